"""Bufferization models of scf's parallel loops: ``scf.forall`` (MLIR's
ForallOpInterface) and ``scf.parallel`` with tensor reductions (irc's own:
MLIR 22 has no model for it).

- ``scf.forall``: each ``shared_outs`` operand is read and written, and is
  the same buffer as its output block argument and its result; the loop
  becomes an ``scf.forall`` without outputs working in those buffers (copies
  only where the in-place analysis says the operand's old value is still
  read), and ``tensor.parallel_insert_slice`` becomes a subview and a copy
  before the emptied ``scf.forall.in_parallel`` (tensor_bufferize.py).
- ``scf.parallel``: each tensor init is read and written, and is the same
  buffer as its result and as the left argument of its reduction region;
  the combiner works in that buffer (a ``scf.reduce.return`` of another
  buffer is copied into it).  The value an iteration hands to ``scf.reduce``
  is its right argument: a buffer the iteration made is handed on to the
  reduction region, which frees it after combining (ownership moves through
  the terminator, as for ``scf.if``); a view of a buffer made in the
  iteration is copied first; any other buffer is only read.
"""

from __future__ import annotations

from ..bufferizable import Bufferizable, is_tensor
from ..builder import Builder
from ..core import Region
from ..types import MemRefType
from .scf import ParallelOp, ReduceOp, ReduceReturnOp
from .scf_bufferize import _copy_into_carried, _identity
from .scf_forall import ForallOp


class _CarriesTensors(Bufferizable):
    """A parallel loop whose trailing operands (after its bounds) are tensors it works in:
    each is read and written, and is the same buffer as the values `carried(op, k)`."""

    def _position(self, op, index):
        """The carried position of operand `index` (None for a bound)."""
        k = index - self.bound_count(op)
        return k if k >= 0 else None

    def writes(self, op, index):
        return self._position(op, index) is not None

    def aliases(self, op, index):
        k = self._position(op, index)
        return [] if k is None else [(v, True) for v in self.carried(op, k)]


@Bufferizable.implement(ForallOp)
class _Forall(_CarriesTensors):
    def bound_count(self, op):
        return len(op.operands) - len(op.outputs)

    def carried(self, op, k):
        """The output block argument and the result."""
        return [op.body_block.arguments[op.rank + k], op.results[k]]

    def bufferize(self, op, state):
        buffers = [state.buffer(v) for v in op.outputs]
        new = state.builder_before(op).insert(ForallOp.create(
            op.mixed_lower_bounds, op.mixed_upper_bounds, op.mixed_steps, location=op.location))
        for name, attr in op.attributes.items():
            if name not in new.attributes and name != "operandSegmentSizes":
                new.attributes[name] = attr
        block = new.body_block
        block.last_op.erase()  # the empty in_parallel create() adds; the old body brings its own
        old = op.body_block
        for arg, iv in zip(old.arguments[:op.rank], block.arguments):
            iv.name_hint = arg.name_hint
            arg.replace_all_uses_with(iv)
        for arg, buffer in zip(old.arguments[op.rank:], buffers):
            state.map(arg, buffer)
        for moved in list(old.ops):
            block.append(moved.detach())
        state.replace(op, buffers)
        return new


@Bufferizable.implement(ParallelOp)
class _Parallel(_CarriesTensors):
    def bound_count(self, op):
        return 3 * len(op.step)

    def carried(self, op, k):
        """The result and the reduction region's left (accumulator) argument."""
        return [op.results[k], op.reduce_op.regions[k].blocks[0].arguments[0]]

    def bufferize(self, op, state):
        b = state.builder_before(op)
        inits = []
        for v in op.init_vals:
            inits.append(_with_type(state, b, state.buffer(v), _identity(v.type)) if is_tensor(v) else v)
        new = b.insert(ParallelOp.build(op.lower_bound, op.upper_bound, op.step, inits,
                                        result_types=[v.type for v in inits], regions=[Region()],
                                        attributes=dict(op.attributes), location=op.location))
        new.regions[0].take_body(op.regions[0])
        for r, v, old in zip(new.results, inits, op.init_vals):
            if is_tensor(old):
                state.alias(r, [v], equivalent=True)
        state.replace(op, list(new.results))
        return new


@Bufferizable.implement(ReduceOp)
class _Reduce(Bufferizable):
    def aliases(self, op, index):
        return [(op.regions[index].blocks[0].arguments[1], True)]

    def bufferize(self, op, state):
        b = state.builder_before(op)
        operands, regions = [], []
        for k, (v, region) in enumerate(zip(op.operands, op.regions)):
            old = region.blocks[0]
            if is_tensor(v):
                operand, new_block = _handed_on(state, b, op, k)
            else:
                operand, new_block = v, state.rebuild_block(old, [a.type for a in old.arguments])
            operands.append(operand)
            regions.append(Region([new_block]))
        new = b.insert(ReduceOp.build(operands, regions=regions, attributes=dict(op.attributes),
                                      location=op.location))
        state.replace(op, [])
        return new

    def finalize(self, op, state):
        """A region whose right argument is a buffer the iteration handed on frees it."""
        from .memref import DeallocOp

        for region in op.regions:
            block = region.blocks[0]
            right = block.arguments[1]
            root = state.equivalent_root.get(right)
            if isinstance(right.type, MemRefType) and root in state.transferred and state.is_owned_root(root):
                Builder.before(block.terminator, op.location).create(DeallocOp, right)


def _with_type(state, b, buffer, memref_type):
    """`buffer`, or an owned copy of it where its type differs (a strided view: a cast
    to the identity layout would be wrong at any offset but 0)."""
    return buffer if buffer.type == memref_type else state.own_copy(b, buffer, memref_type)


def _handed_on(state, b, op, k):
    """(the buffer scf.reduce hands to reduction `k`, its rebuilt region block): a whole
    buffer the iteration owns is handed on (the region frees it), a view of one is copied
    first, any other buffer is only read."""
    accumulator = op.parent_op.init_vals[k]
    t = accumulator.type
    body = op.parent
    buffer = _with_type(state, b, state.buffer(op.operands[k]), t)
    if state.local_owned_roots(buffer, body) and not state._whole_local(buffer, body):
        buffer = state.own_copy(b, buffer, t)  # a view of the iteration's buffer: hand on a whole one
    if state._whole_local(buffer, body):
        state.transfer(state.equivalent_root[buffer])
    block = state.rebuild_block(op.regions[k].blocks[0], [t, t])
    state.alias(block.arguments[0], [accumulator], equivalent=True)
    state.alias(block.arguments[1], [buffer], equivalent=True)
    return buffer, block


@Bufferizable.implement(ReduceReturnOp)
class _ReduceReturn(Bufferizable):
    """The combined value goes into the accumulator (the region's left argument)."""

    def bufferize(self, op, state):
        accumulator = op.parent.arguments[0]
        if isinstance(accumulator.type, MemRefType):
            _copy_into_carried(state, op, [0], [accumulator])
        return None
