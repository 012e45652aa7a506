"""Bufferization models of AD's tape ops: tapes of tensors become tapes of
buffers.

``ad.tape_push`` of a tensor pushes a *copy* of its buffer (a new buffer the
tape owns, so later in-place writes to the tensor's buffer cannot change
what was taped); ``ad.tape_pop`` hands that buffer back, and the block that
pops it owns it (the pass frees it after its last use).  ``tape_create``,
``tape_size`` and ``tape_free`` are rebuilt on the buffer tape.
"""

from __future__ import annotations

from ..bufferizable import Bufferizable, register_tensor_holder
from ..types import MemRefType, TensorType
from .ad import TapeCreateOp, TapeFreeOp, TapePopOp, TapePushOp, TapeSizeOp, TapeType


def _holds_tensors(t) -> bool:
    return isinstance(t, TapeType) and isinstance(t.element, TensorType)


register_tensor_holder(_holds_tensors)


def _buffer_tape_type(t: TapeType) -> TapeType:
    e = t.element
    return TapeType.of(MemRefType(e.shape, e.element_type)) if isinstance(e, TensorType) else t


@Bufferizable.implement(TapeCreateOp)
class _TapeCreate(Bufferizable):
    def bufferize(self, op, state):
        b = state.builder_before(op)
        new = b.insert(TapeCreateOp.build(result_types=[_buffer_tape_type(op.results[0].type)],
                                          attributes=dict(op.attributes), location=op.location))
        state.replace(op, [new.results[0]])


@Bufferizable.implement(TapePushOp)
class _TapePush(Bufferizable):
    """Reads the tensor: the tape gets a copy of its buffer."""

    def bufferize(self, op, state):
        b = state.builder_before(op)
        tape = state.buffer(op.operands[0])
        value = op.operands[1]
        if isinstance(value.type, TensorType):
            source = state.buffer(value)
            copy = state.own_copy(b, source, tape.type.element)
            state.transfer(copy)  # the tape owns it now
            value = copy
        b.create(TapePushOp, tape, value)
        state.replace(op, [])


@Bufferizable.implement(TapePopOp)
class _TapePop(Bufferizable):
    """A popped buffer is owned by the block that pops it."""

    def bufferize(self, op, state):
        b = state.builder_before(op)
        tape = state.buffer(op.operands[0])
        pop = b.create(TapePopOp, tape, result_types=[tape.type.element])
        result = pop.results[0]
        if isinstance(result.type, MemRefType):
            state.new_root(result, owned=True)
        state.replace(op, [result])


class _TapeUse(Bufferizable):
    """tape_size / tape_free: the same op on the buffer tape."""

    def reads(self, op, index):
        return False

    def bufferize(self, op, state):
        b = state.builder_before(op)
        new = b.create(type(op), state.buffer(op.operands[0]),
                       result_types=[r.type for r in op.results])
        state.replace(op, list(new.results))


Bufferizable.attach(TapeSizeOp, _TapeUse)
Bufferizable.attach(TapeFreeOp, _TapeUse)
