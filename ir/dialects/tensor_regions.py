"""The tensor dialect's ops that build a tensor from pieces or from a region
(MLIR 22 syntax): ``tensor.concat``, ``tensor.generate``, ``tensor.pad`` and
their terminator ``tensor.yield``.

Each with its format, its verifier (MLIR's wording), its interpreter rule (the
region runs once on whole index arrays when it is elementwise, through
`Interpreter.map_region`) and, where the op is linear, its derivative rules:
``concat`` transposes to one ``extract_slice`` per input; ``pad`` with a
padding value defined outside its region (MLIR's constant padding) is linear
in its source and transposes to the ``extract_slice`` of the interior.
``generate``'s body is arbitrary code: it has no derivative rule (an active
use is the AD driver's "no derivative rule" diagnostic).
"""

from __future__ import annotations

from typing import List

from ..lazy_numpy import np
from ..ad_interfaces import jvp, linear, vjp
from ..attributes import DenseArrayAttr, IntegerAttr, UnitAttr, numpy_dtype
from ..builder import Builder
from ..core import Block, Region
from ..custom_directives import DYNAMIC_INDEX
from ..interpreter import interpret, runtime_error
from ..opdef import AnyTensor, AnyType, Attr, Index, Op, Operand, RegionDef, Result
from ..traits import HasParent, Pure, RecursiveMemoryEffects, ReturnLike, SingleBlock, Terminator
from ..types import DYNAMIC, TensorType, i64, index
from .arith import AddIOp, _UnitKeywordSyntax
from .tensor import DimOp, check_shape_matches, index_constant, tensor
from .tensor_shapes import ExtractSliceOp, static_index_array


@tensor.op
class YieldOp(Op):
    """The element a ``tensor.generate`` or ``tensor.pad`` region gives for its point."""

    name = "tensor.yield"
    summary = "Yield a value from a region"
    operand_defs = (Operand("value", AnyType),)
    traits = frozenset({Pure, Terminator, ReturnLike, HasParent.of("tensor.generate", "tensor.pad")})
    format = "$value attr-dict `:` type($value)"


def _check_body(op, rank: int, element_type, body_message: str) -> None:
    """One index argument per dimension and a yield of the element type (MLIR's wording)."""
    block = op.regions[0].blocks[0]
    if len(block.arguments) != rank or any(a.type != index for a in block.arguments):
        raise op.emit_error("must have one body argument per input dimension" if op.op_name == "tensor.generate"
                            else f"expected the block to have {rank} arguments")
    term = block.terminator
    if not isinstance(term, YieldOp) or term.operands[0].type != element_type:
        raise op.emit_error(body_message)


# ----------------------------------------------------------------------------
# concat


@tensor.op
class ConcatOp(Op):
    """`inputs` joined along dimension `dim` (the other dimensions agree)."""

    name = "tensor.concat"
    summary = "tensor concatenation operation"
    operand_defs = (Operand("inputs", AnyTensor, variadic=True),)
    result_defs = (Result("result", AnyTensor),)
    attribute_defs = (Attr("dim", IntegerAttr),)
    traits = frozenset({Pure})
    format = "`dim` `(` $dim `)` $inputs attr-dict `:` functional-type(operands, results)"

    @property
    def axis(self) -> int:
        return int(self.attributes["dim"].value)

    def verify(self) -> None:
        result = self.results[0].type
        if not self.operands:
            raise self.emit_error("requires at least one input")
        inputs = [v.type for v in self.operands]
        if any(not t.is_ranked or t.rank != result.rank for t in inputs):
            raise self.emit_error("rank of concatenated inputs must match result rank")
        if any(t.element_type != result.element_type for t in inputs):
            raise self.emit_error("inputs and result element type must match")
        if not 0 <= self.axis < result.rank:
            raise self.emit_error("concatenation dim must be less than the tensor rank")
        inferred = []
        for k in range(result.rank):
            sizes = [t.shape[k] for t in inputs]
            if k == self.axis:
                inferred.append(DYNAMIC if DYNAMIC in sizes else sum(sizes))
                continue
            static = {s for s in sizes if s != DYNAMIC}
            if len(static) > 1:
                raise self.emit_error(f"static concatenation size mismatch along non-concatenated dimension {k}")
            inferred.append(static.pop() if static else DYNAMIC)
        want = TensorType(tuple(inferred), result.element_type)
        if any(w != DYNAMIC and r != DYNAMIC and w != r for w, r in zip(want.shape, result.shape)):
            raise self.emit_error(f"result type '{result}'does not match inferred shape '{want}' static sizes")


@interpret.register(ConcatOp)
def _interpret_concat(interp, op, args):
    arrays = [np.asarray(a) for a in args]
    for k, a in enumerate(arrays[1:], 1):
        if any(n != m for d, (n, m) in enumerate(zip(a.shape, arrays[0].shape)) if d != op.axis):
            raise runtime_error(op, f"input #{k} of shape {'x'.join(map(str, a.shape))} does not match input #0 "
                                    f"of shape {'x'.join(map(str, arrays[0].shape))} off dimension {op.axis}")
    return [check_shape_matches(op, np.concatenate(arrays, axis=op.axis), op.results[0].type)]


def _concat_transpose(ctx, op, ct):
    """Input k's cotangent is the slice of the result's cotangent where input k lies."""
    axis, rank = op.axis, op.results[0].type.rank
    out, offset = [], 0  # the running offset: an int while static, then a value
    for v in op.operands:
        t = v.type
        sizes = [ctx.emit(DimOp, ctx.primal(v), index_constant(ctx, k)) for k, d in enumerate(t.shape) if d == DYNAMIC]
        offsets = [offset] if not isinstance(offset, int) else []
        static_offsets = [DYNAMIC_INDEX if k == axis and offsets else (offset if k == axis else 0)
                          for k in range(rank)]
        out.append(ctx.emit(ExtractSliceOp, ct[0], offsets, sizes, [], result_types=[t],
                            static_offsets=DenseArrayAttr(i64, tuple(static_offsets)),
                            static_sizes=static_index_array(t.shape),
                            static_strides=static_index_array([1] * rank)))
        n = t.shape[axis]
        if isinstance(offset, int) and n != DYNAMIC:
            offset += n
        else:
            here = offset if not isinstance(offset, int) else index_constant(ctx, offset)
            size = index_constant(ctx, n) if n != DYNAMIC else ctx.emit(DimOp, ctx.primal(v), index_constant(ctx, axis))
            offset = ctx.emit(AddIOp, here, size)
    return out


linear(ConcatOp, transpose=_concat_transpose)


# ----------------------------------------------------------------------------
# generate


@tensor.op
class GenerateOp(Op):
    """A tensor whose element at each point is what the body yields for that point's
    indices; one index operand per dynamic dimension."""

    name = "tensor.generate"
    summary = "Creates a dynamically sized tensor from elements"
    operand_defs = (Operand("dynamicExtents", Index, variadic=True),)
    result_defs = (Result("result", AnyTensor),)
    region_defs = (RegionDef("body"),)
    traits = frozenset({RecursiveMemoryEffects, SingleBlock})
    format = "$dynamicExtents $body attr-dict `:` type($result)"

    def verify(self) -> None:
        t = self.results[0].type
        dynamic = sum(1 for d in t.shape if d == DYNAMIC)
        if dynamic != len(self.operands):
            raise self.emit_error(f"incorrect number of dynamic sizes, has {len(self.operands)}, expected {dynamic}")
        _check_body(self, t.rank, t.element_type,
                    "body must be terminated with a `yield` operation of the tensor element type")


def _index_grids(shape) -> List[np.ndarray]:
    """Each dimension's index at every point of `shape` (the body's arguments, whole)."""
    return [g.astype(np.int64) for g in np.indices(shape)] if shape else []


@interpret.register(GenerateOp)
def _interpret_generate(interp, op, args):
    t = op.results[0].type
    sizes = iter(int(a) for a in args)
    shape = tuple(next(sizes) if d == DYNAMIC else d for d in t.shape)
    if any(d < 0 for d in shape):
        raise runtime_error(op, f"negative dimension size in {shape}")
    return [interp.map_region(op.regions[0], _index_grids(shape), shape)[0].astype(numpy_dtype(t.element_type))]


# ----------------------------------------------------------------------------
# pad


@tensor.op
class PadOp(Op):
    """`source` with `low`/`high` elements added before/after each dimension, each the
    value the region yields for its point of the result."""

    name = "tensor.pad"
    summary = "tensor pad operation"
    operand_defs = (Operand("source", AnyTensor), Operand("low", Index, variadic=True),
                    Operand("high", Index, variadic=True))
    result_defs = (Result("result", AnyTensor),)
    attribute_defs = (Attr("static_low", DenseArrayAttr), Attr("static_high", DenseArrayAttr),
                      Attr("nofold", UnitAttr, optional=True, syntax=_UnitKeywordSyntax("nofold")))
    region_defs = (RegionDef("region"),)
    traits = frozenset({RecursiveMemoryEffects, SingleBlock})
    format = ("$source ($nofold^)? `low` `` custom<DynamicIndexList>($low, $static_low) "
              "`high` `` custom<DynamicIndexList>($high, $static_high) $region attr-dict "
              "`:` type($source) `to` type($result)")

    def _amounts(self):
        return self.attributes["static_low"].values, self.attributes["static_high"].values

    def verify(self) -> None:
        source, result = self.operands[0].type, self.results[0].type
        low, high = self._amounts()
        for what, static, group in (("low", low, self.low), ("high", high, self.high)):
            if len(static) != source.rank:
                raise self.emit_error(f"failed to infer expectedType from sourceType '{source}', specified "
                                      f"resultType is '{result}'")
            dynamic = sum(1 for s in static if s == DYNAMIC_INDEX)
            if dynamic != len(group):
                raise self.emit_error(f"expected {dynamic} dynamic {what} values, got {len(group)}")
        inferred = TensorType(tuple(
            DYNAMIC if DYNAMIC_INDEX in (lo, hi) or n == DYNAMIC else n + lo + hi
            for n, lo, hi in zip(source.shape, low, high)), source.element_type)
        if result.rank != source.rank or any(w != DYNAMIC and r != w for w, r in zip(inferred.shape, result.shape)):
            raise self.emit_error(f"specified type '{result}' does not match the inferred type '{inferred}'")
        _check_body(self, source.rank, source.element_type, "expected yield type to match shape element type")

    def padding_value(self):
        """The value the region yields when it is defined outside the region (MLIR's
        constant padding); None when the region computes it."""
        v = self.regions[0].blocks[0].terminator.operands[0]
        block = v.parent_block
        owner = block.parent_op if block is not None else None
        return None if owner is not None and self.is_ancestor_of(owner) else v


@interpret.register(PadOp)
def _interpret_pad(interp, op, args):
    source = np.asarray(args[0])
    dynamic = iter(int(a) for a in args[1:])
    low, high = ([next(dynamic) if s == DYNAMIC_INDEX else s for s in amounts] for amounts in op._amounts())
    if any(a < 0 for a in low + high):
        raise runtime_error(op, f"negative padding low {low} high {high}")
    shape = tuple(n + lo + hi for n, lo, hi in zip(source.shape, low, high))
    if any(n >= 1 << 40 for n in shape):  # numpy cannot hold it; say so instead of failing inside numpy
        raise runtime_error(op, f"padded shape {'x'.join(map(str, shape))} is too large")
    out = interp.map_region(op.regions[0], _index_grids(shape), shape)[0].astype(source.dtype)
    out[tuple(slice(lo, lo + n) for lo, n in zip(low, source.shape))] = source
    return [check_shape_matches(op, out, op.results[0].type)]


def _constant_padding_or_error(ctx, op):
    v = op.padding_value()
    if v is None or ctx.is_active(v):
        raise op.emit_error("has a derivative only with an inactive padding value defined outside its region")
    return v


def _pad_jvp(ctx, op, t):
    """The tangent of a constant-padded source is its tangent padded with zeros."""
    _constant_padding_or_error(ctx, op)
    if t[0] is None:
        return [None]
    block = Block([index] * op.operands[0].type.rank)
    pad = ctx.b.insert(PadOp.build(t[0], [ctx.primal(v) for v in op.low], [ctx.primal(v) for v in op.high],
                                   result_types=[op.results[0].type], regions=[Region([block])],
                                   attributes={k: v for k, v in op.attributes.items() if k != "operandSegmentSizes"}))
    inner = Builder.at_end(block, ctx.b.location)
    zero = inner.insert(_float_constant(0.0, op.operands[0].type.element_type, ctx.b.location)).results[0]
    inner.create(YieldOp, zero)
    return [pad.results[0]]


def _float_constant(value, t, location):
    from .arith import ConstantOp

    return ConstantOp.create(value, t, location=location)


def _pad_vjp(ctx, op, ct):
    """The source's cotangent is the interior of the result's cotangent."""
    _constant_padding_or_error(ctx, op)
    out = [None] * len(op.operands)
    if ct[0] is None or not ctx.is_active(op.operands[0]):
        return out
    t = op.operands[0].type
    sizes = [ctx.emit(DimOp, ctx.operand(0), index_constant(ctx, k)) for k, d in enumerate(t.shape) if d == DYNAMIC]
    out[0] = ctx.emit(ExtractSliceOp, ct[0], [ctx.primal(v) for v in op.low], sizes, [], result_types=[t],
                      static_offsets=op.attributes["static_low"], static_sizes=static_index_array(t.shape),
                      static_strides=static_index_array([1] * t.rank))
    return out


jvp(PadOp)(_pad_jvp)
vjp(PadOp)(_pad_vjp)
