"""``tensor.parallel_insert_slice``: inside ``scf.forall.in_parallel``, one
iteration's slice written into a shared output of the enclosing ``scf.forall``
(MLIR 22's syntax, verifier wording and semantics)::

    scf.forall.in_parallel {
      tensor.parallel_insert_slice %v into %o[%i, 0] [1, 4] [1, 1] : tensor<4xf32> into tensor<8x4xf32>
    }

It has no result: the loop's result for that output is the output with every
iteration's slice inserted.  It implements `ParallelCombining`
(ir/control_flow.py), which the forall's verifier and interpreter ask; its
bufferization model (a subview of the output's buffer and a ``memref.copy``)
is in tensor_bufferize.py.
"""

from __future__ import annotations

from ..control_flow import ParallelCombining
from ..diagnostics import error
from ..opdef import AnyTensor, Index, Operand
from .tensor import tensor
from .tensor_shapes import _SLICE_ATTRS, _SLICE_LISTS, _SliceOp, _interpret_insert_slice


@tensor.op
class ParallelInsertSliceOp(_SliceOp):
    """`source` written into the strided box of the shared output `dest` when the
    enclosing scf.forall's iterations combine; no result of its own."""

    name = "tensor.parallel_insert_slice"
    summary = "Specify the tensor slice update of a single thread of a parent ParallelCombiningOpInterface op"
    operand_defs = (Operand("source", AnyTensor), Operand("dest", AnyTensor), Operand("offsets", Index, variadic=True),
                    Operand("sizes", Index, variadic=True), Operand("strides", Index, variadic=True))
    attribute_defs = _SLICE_ATTRS
    format = f"$source `into` $dest `` {_SLICE_LISTS} attr-dict `:` type($source) `into` type($dest)"
    _full_operand = 1

    def verify(self) -> None:
        parent = self.parent_op
        if parent is None or not ParallelCombining.is_combining_terminator(parent):
            got = parent.op_name if parent is not None else "no parent"
            raise error(f"expected InParallelOpInterface parent, got: '{got}'", self.location)
        super().verify()


@ParallelCombining.implement(ParallelInsertSliceOp)
class _ParallelInsertSliceCombining(ParallelCombining):
    def updated_destinations(self, op):
        return [1]

    def combine(self, op, interp, args):
        """insert_slice's rule on the output's current value (args[1])."""
        return _interpret_insert_slice(interp, op, args)

