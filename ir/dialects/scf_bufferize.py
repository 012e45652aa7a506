"""Bufferization models of scf (MLIR's SCF BufferizableOpInterfaceImpl).

- ``scf.for``: each tensor init is read and written (the loop works in its
  buffer), and is the same buffer as its iter_arg and result.  A yield whose
  buffer is not the iter_arg's is copied into the iter_arg's buffer, so a
  loop always carries one buffer per iter_arg.
- ``scf.while`` whose before and after arguments have the same types: the
  same, with the before arguments, the after arguments and the results all
  one buffer per position (``scf.condition`` and the after region's
  ``scf.yield`` copy into it when they forward another buffer).
- ``scf.while`` whose types change (before ``(tensor, i32)``, after
  ``(tensor, f64, ...)``): the before arguments carry the inits' buffers.  A
  tensor that ``scf.condition`` forwards is, when the analysis finds it
  equivalent to a before argument, that argument's carried buffer (so the
  after argument and the result are too); any other is handed on as a buffer
  of its own (a copy unless the before region made it), which the after
  region frees, or the loop's block when it becomes a result.  The after
  region's ``scf.yield`` copies into the carried buffers (the inits' buffers,
  which are in scope there) what is not already one.
- ``scf.if`` / ``scf.execute_region`` / ``scf.index_switch``: results alias what every region
  yields (the same buffer when all yield equivalent ones); buffers a branch
  allocates and yields are handed on to the result (`BufferizationState.hand_on`).
"""

from __future__ import annotations

from ..bufferizable import Bufferizable, is_tensor
from ..builder import Builder
from ..core import Region
from ..types import MemRefType
from .scf import ConditionOp, ExecuteRegionOp, ForOp, IfOp, WhileOp, YieldOp
from .scf_index_switch import IndexSwitchOp

_RESULTS_FROM_REGIONS = (IfOp, ExecuteRegionOp, IndexSwitchOp)


def _move_regions(old, new) -> None:
    for src, dst in zip(old.regions, new.regions):
        dst.take_body(src)


def _rebuild_loop(state, op, inits, build):
    """The loop `build(inits, buffers)` makes, carrying one buffer per tensor result: its
    init's buffer as it is (a subview stays a subview: the loop works in that slice)."""
    buffers = [state.buffer(v) if is_tensor(r) else None for v, r in zip(inits, op.results)]
    new = state.builder_before(op).insert(build([buf if buf is not None else v for v, buf in zip(inits, buffers)],
                                                buffers))
    for r, buf in zip(new.results, buffers):
        if buf is not None:
            state.alias(r, [buf], equivalent=True)
    state.replace(op, list(new.results))
    return new


def _identity(t) -> MemRefType:
    return MemRefType(t.shape, t.element_type)


def _copy_into_carried(state, term, operand_indices, targets) -> None:
    """Make operand k of `term` the loop-carried buffer targets[k], copying when it is another."""
    b = Builder.before(term, term.location)
    pending = []
    for k, target in zip(operand_indices, targets):
        if target is None:
            continue
        v = state.buffer(term.operands[k])
        if state.equivalent_root.get(v) is not None and state.equivalent_root.get(v) is state.equivalent_root.get(target):
            term.set_operand(k, state.fit(b, v, target.type))
            continue
        # stage through a temporary when the value shares memory with a carried buffer (a swap)
        carried = {r for t in targets if t is not None for r in state.roots_of(t)}
        if carried & set(state.roots_of(v)):
            v = state.own_copy(b, v, target.type)
        pending.append((k, v, target))
    for k, v, target in pending:
        state.copy(b, v, target)
        term.set_operand(k, target)


@Bufferizable.implement(ForOp)
class _For(Bufferizable):
    def writes(self, op, index):
        return index >= 3

    def aliases(self, op, index):
        if index < 3:
            return []
        k = index - 3
        return [(op.body_block.arguments[k + 1], True), (op.results[k], True)]

    def bufferize(self, op, state):
        return _rebuild_loop(state, op, list(op.init_args), lambda inits, buffers: ForOp.build(
            op.lower_bound, op.upper_bound, op.step, inits, result_types=[v.type for v in inits],
            regions=[Region([state.carried_block(op.body_block, [None] + buffers)])],
            attributes=dict(op.attributes), location=op.location))


def _types_change(loop) -> bool:
    """The while's after arguments are not its before arguments' types, position by position."""
    return [a.type for a in loop.before_block.arguments] != [a.type for a in loop.after_block.arguments]


def _forwarded_in_place(loop, equivalent) -> dict:
    """For a while whose types change: condition operand position j -> the before argument
    position i whose carried buffer it forwards (`equivalent(value, before_arg)`), each
    before argument at most once."""
    before = loop.before_block.arguments
    out, used = {}, set()
    for j, v in enumerate(loop.condition_op.operands[1:]):
        if not (is_tensor(v) or isinstance(v.type, MemRefType)):
            continue
        i = next((i for i, a in enumerate(before) if i not in used and a.type == v.type and equivalent(v, a)), None)
        if i is not None:
            out[j] = i
            used.add(i)
    return out


@Bufferizable.implement(WhileOp)
class _While(Bufferizable):
    def writes(self, op, index):
        return True

    def aliases(self, op, index):
        out = [(op.before_block.arguments[index], True)]
        if _types_change(op):
            return out  # the after arguments and results: see _Condition.analyze
        after = op.after_block.arguments
        if index < len(after) and after[index].type == op.inits[index].type:
            out.append((after[index], True))
        if index < len(op.results) and op.results[index].type == op.inits[index].type:
            out.append((op.results[index], True))
        return out

    def bufferize(self, op, state):
        if not _types_change(op):
            return _rebuild_loop(state, op, list(op.inits), lambda inits, buffers: WhileOp.build(
                inits, result_types=[v.type for v in inits],
                regions=[Region([state.carried_block(op.before_block, buffers)]),
                         Region([state.carried_block(op.after_block, buffers)])],
                attributes=dict(op.attributes), location=op.location))
        forwarded = _forwarded_in_place(op, state.analysis.equivalent_values)
        b = state.builder_before(op)
        buffers = [state.buffer(v) if is_tensor(v) else None for v in op.inits]
        inits = [buf if buf is not None else v for v, buf in zip(op.inits, buffers)]
        after_types = [_identity(a.type) if is_tensor(a) else a.type for a in op.after_block.arguments]
        for j, i in forwarded.items():
            after_types[j] = inits[i].type
        new = b.insert(WhileOp.build(inits, result_types=after_types,
                                     regions=[Region([state.carried_block(op.before_block, buffers)]),
                                              Region([state.rebuild_block(op.after_block, after_types)])],
                                     attributes=dict(op.attributes), location=op.location))
        state.changing_whiles[new] = forwarded
        for j, (arg, r) in enumerate(zip(new.after_block.arguments, new.results)):
            if not isinstance(arg.type, MemRefType):
                continue
            if j in forwarded:
                state.alias(arg, [buffers[forwarded[j]]], equivalent=True)
                state.alias(r, [buffers[forwarded[j]]], equivalent=True)
            else:  # a buffer of its own each time: the after region and the loop's block own it
                state.new_root(arg, owned=True)
                state.new_root(r, owned=True)
        state.replace(op, list(new.results))
        return new


@Bufferizable.implement(ConditionOp)
class _Condition(Bufferizable):
    def analyze(self, op, analysis):
        """In a while whose types change, a forwarded tensor equivalent to a before argument
        is that argument's buffer in the after region and the results (decided here, before
        the after region is analyzed)."""
        loop = op.parent_op
        if not isinstance(loop, WhileOp) or not _types_change(loop):
            return
        for j, i in _forwarded_in_place(loop, analysis.equivalent_values).items():
            carried = loop.before_block.arguments[i]
            analysis.union(loop.after_block.arguments[j], carried, True)
            analysis.union(loop.results[j], carried, True)

    def bufferize(self, op, state):
        loop = op.parent_op
        if loop not in state.changing_whiles:
            targets = [a if isinstance(a.type, MemRefType) else None for a in loop.before_block.arguments]
            _copy_into_carried(state, op, range(1, len(op.operands)), targets)
            return
        forwarded = state.changing_whiles[loop]
        for j, arg in enumerate(loop.after_block.arguments):
            if not isinstance(arg.type, MemRefType):
                continue
            if j in forwarded:
                op.set_operand(j + 1, loop.before_block.arguments[forwarded[j]])
            else:
                state.hand_on([op], j + 1, arg.type, force_owned=True)


class _ResultsFromRegions(Bufferizable):
    """scf.if and scf.execute_region: results come from the regions' yields."""

    def analyze(self, op, analysis):
        for j, r in enumerate(op.results):
            if not is_tensor(r):
                continue
            yielded = [region.blocks[0].terminator.operands[j] for region in op.regions if region.blocks]
            if yielded and all(analysis.equivalent_values(y, yielded[0]) for y in yielded):
                analysis.union(r, yielded[0], True)

    def bufferize(self, op, state):
        b = state.builder_before(op)
        types = [_identity(r.type) if is_tensor(r) else r.type for r in op.results]
        new = b.insert(type(op).build(*op.operands, result_types=types,
                                      regions=[Region() for _ in op.regions],
                                      attributes=dict(op.attributes), location=op.location))
        _move_regions(op, new)
        state.replace(op, list(new.results))
        return new

    def finalize(self, op, state):
        terminators = [region.blocks[0].terminator for region in op.regions if region.blocks]
        for j, r in enumerate(op.results):
            if not isinstance(r.type, MemRefType):
                continue
            owned, buffers = state.hand_on(terminators, j, r.type)
            if owned:
                state.new_root(r, owned=True)
            else:
                same = {state.equivalent_root.get(v) for v in buffers}
                state.alias(r, buffers, equivalent=len(same) == 1 and None not in same)
                if len(same) == 1 and None not in same:
                    state.equivalent_root[r] = same.pop()


for _cls in _RESULTS_FROM_REGIONS:
    Bufferizable.attach(_cls, _ResultsFromRegions)


@Bufferizable.implement(YieldOp)
class _Yield(Bufferizable):
    def aliases(self, op, index):
        parent = op.parent_op
        if isinstance(parent, _RESULTS_FROM_REGIONS):
            return [(parent.results[index], False)]
        return []  # a loop copies what is not its iter_arg's buffer

    def bufferize(self, op, state):
        parent = op.parent_op
        if isinstance(parent, ForOp):
            targets = [a if isinstance(a.type, MemRefType) else None for a in parent.body_block.arguments[1:]]
        elif isinstance(parent, WhileOp) and parent in state.changing_whiles:  # the inits' buffers
            targets = [v if isinstance(v.type, MemRefType) else None for v in parent.inits]
        elif isinstance(parent, WhileOp):  # the after region's arguments carry the same buffers
            targets = [a if isinstance(a.type, MemRefType) else None for a in parent.after_block.arguments]
        else:
            return None  # the parent's finalize hands the yielded buffers on
        _copy_into_carried(state, op, range(len(op.operands)), targets)
        return None
