"""The tensor dialect (MLIR syntax): creation, shape queries and element access.

``tensor.dim``, ``tensor.rank``, ``tensor.empty``, ``tensor.splat``,
``tensor.from_elements``, ``tensor.cast``, ``tensor.extract`` and
``tensor.insert``, each with its format (checked against mlir-opt 22), its
verifier, its folder where MLIR has an obvious one, its interpreter rule and
its derivative rules.  Slices and reshapes are in `tensor_shapes.py`.
Tensors are values: no op here changes its operands (``tensor.insert``
returns a new tensor).
"""

from __future__ import annotations

from typing import List, Sequence


from ..lazy_numpy import np
from ..ad_interfaces import linear, non_differentiable
from ..attributes import DenseElementsAttr, FloatAttr, IntegerAttr, numpy_dtype
from ..location import UNKNOWN
from ..opdef import AnyTensor, Dialect, Index, Op, Operand, Result, TypeConstraint
from ..rewrite import RewritePattern
from .view_like import fold_round_trip
from ..traits import NoMemoryEffect, Pure
from ..types import DYNAMIC, FloatType, IntegerType, TensorType, Type, index


class TensorDialect(Dialect):
    """The tensor dialect; folded index values (``tensor.dim``, ``tensor.rank``) become
    ``arith.constant`` ops, as MLIR's tensor dialect materializes them."""

    def materialize_constant(self, builder, value, type, location=UNKNOWN):
        from .arith import arith

        return arith.materialize_constant(builder, value, type, location)


tensor = TensorDialect("tensor", "tensor creation, shape queries, element access, slices and reshapes")


def _dynamic_dims(t: TensorType) -> int:
    return sum(1 for d in t.shape if d == DYNAMIC)


def dynamic_sizes(builder, like) -> List:
    """``tensor.dim`` of `like` (a tensor value) for each dynamic dimension of its type."""
    from .arith import ConstantOp

    sizes = []
    for i, d in enumerate(like.type.shape):
        if d == DYNAMIC:
            k = builder.insert(ConstantOp.create(i, index, location=builder.location)).results[0]
            sizes.append(builder.create(DimOp, like, k).results[0])
    return sizes


@tensor.op
class DimOp(Op):
    """The size of dimension `index` of `source`."""

    name = "tensor.dim"
    summary = "dimension index operation"
    operand_defs = (Operand("source", AnyTensor), Operand("index", Index))
    result_defs = (Result("result", Index),)
    traits = frozenset({NoMemoryEffect})
    format = "attr-dict $source `,` $index `:` type($source)"

    @classmethod
    def infer_result_types(cls, operand_types, attributes, regions=()):
        return [index]

    def fold(self, operands):
        """A static dimension of the source's type is a constant."""
        t, i = self.operands[0].type, operands[1]
        if isinstance(i, IntegerAttr) and t.is_ranked and 0 <= i.value < t.rank and t.shape[i.value] != DYNAMIC:
            return [IntegerAttr(t.shape[i.value], index)]
        return None


@tensor.op
class RankOp(Op):
    """The rank of `tensor` (an index)."""

    name = "tensor.rank"
    summary = "rank operation"
    operand_defs = (Operand("tensor", AnyTensor),)
    result_defs = (Result("result", Index),)
    traits = frozenset({NoMemoryEffect})
    format = "$tensor attr-dict `:` type($tensor)"

    @classmethod
    def infer_result_types(cls, operand_types, attributes, regions=()):
        return [index]

    def fold(self, operands):
        """A ranked operand's rank is a constant."""
        t = self.operands[0].type
        return [IntegerAttr(t.rank, index)] if t.is_ranked else None


@tensor.op
class FromElementsOp(Op):
    """A statically shaped tensor of `elements` in row-major order."""

    name = "tensor.from_elements"
    summary = "tensor from elements operation."
    operand_defs = (Operand("elements", variadic=True),)
    result_defs = (Result("result", AnyTensor),)
    traits = frozenset({Pure})
    format = "$elements attr-dict `:` type($result)"

    def verify(self) -> None:
        t = self.results[0].type
        if not t.is_ranked or not t.has_static_shape:
            raise self.emit_error(f"'result' must be statically shaped tensor of any type values, but got '{t}'")
        if len(self.operands) != t.num_elements:
            raise self.emit_error(f"number of operands and types do not match: got {len(self.operands)} "
                                  f"operands and {t.num_elements} types")
        for k, v in enumerate(self.operands):
            if v.type != t.element_type:
                raise self.emit_error(f"operand #{k} must be {t.element_type} (the element type of {t}), "
                                      f"but got {v.type}")


def cast_compatible(a: TensorType, b: TensorType) -> bool:
    """MLIR's areCastCompatible for tensors: same element type, and the shapes agree
    wherever both are known (either may be unranked)."""
    if a.element_type != b.element_type:
        return False
    if not a.is_ranked or not b.is_ranked:
        return True
    return a.rank == b.rank and all(x == y or DYNAMIC in (x, y) for x, y in zip(a.shape, b.shape))


@tensor.op
class CastOp(Op):
    """`source` seen as another, compatible tensor type (more or less static); checked at run time."""

    name = "tensor.cast"
    summary = "tensor cast operation"
    operand_defs = (Operand("source", AnyTensor),)
    result_defs = (Result("dest", AnyTensor),)
    traits = frozenset({Pure})
    format = "$source attr-dict `:` type($source) `to` type($dest)"

    def verify(self) -> None:
        a, b = self.operands[0].type, self.results[0].type
        if not cast_compatible(a, b):
            raise self.emit_error(f"operand type '{a}' and result type '{b}' are cast incompatible")

    def fold(self, operands):
        """A cast to the source's own type, or back through another cast to it, is the source."""
        return fold_round_trip(self)


def _bit_width(t) -> int:
    return getattr(t, "width", None) or 0


def _bitcast_compatible(a, b) -> bool:
    """MLIR's BitcastOp::areCastCompatible: compatible shapes, element types of one bit width."""
    if not (isinstance(a, TensorType) and isinstance(b, TensorType)):
        return False
    if a.is_ranked and b.is_ranked and not (
            a.rank == b.rank and all(x == y or DYNAMIC in (x, y) for x, y in zip(a.shape, b.shape))):
        return False
    return _bit_width(a.element_type) == _bit_width(b.element_type) != 0


BitcastElements = TypeConstraint(
    "tensor of signless integer or unsigned integer or signed integer or floating-point values",
    lambda t: isinstance(t, TensorType) and isinstance(t.element_type, (IntegerType, FloatType)),
)


@tensor.op
class BitcastOp(Op):
    """The bits of `source` seen as another element type of the same width."""

    name = "tensor.bitcast"
    summary = "tensor bitcast operation"
    operand_defs = (Operand("source", BitcastElements),)
    result_defs = (Result("dest", BitcastElements),)
    traits = frozenset({Pure})
    format = "$source attr-dict `:` type($source) `to` type($dest)"

    def verify(self) -> None:
        a, b = self.operands[0].type, self.results[0].type
        if not _bitcast_compatible(a, b):
            raise self.emit_error(f"operand type '{a}' and result type '{b}' are cast incompatible")

    def fold(self, operands):
        """A bitcast to the source's own type, or back through another bitcast to it, is the source."""
        return fold_round_trip(self)


class ChainedBitcast(RewritePattern):
    """bitcast(bitcast(x)) is one bitcast of x (MLIR's ChainedTensorBitcast)."""

    def match_and_rewrite(self, op, rewriter) -> bool:
        inner = op.operands[0].owner
        if not isinstance(inner, BitcastOp):
            return False
        rewriter.replace_op_with_new(op, BitcastOp, inner.operands[0], result_types=[op.results[0].type])
        return True


BitcastOp.canonicalization_patterns = (ChainedBitcast(),)


@tensor.op
class EmptyOp(Op):
    """A tensor of the result type whose contents are unspecified; one index operand
    per dynamic dimension."""

    name = "tensor.empty"
    summary = "empty tensor operation"
    operand_defs = (Operand("dynamicSizes", Index, variadic=True),)
    result_defs = (Result("result", AnyTensor),)
    traits = frozenset({Pure})
    format = "`(` $dynamicSizes `)` attr-dict `:` type($result)"

    def verify(self) -> None:
        t = self.results[0].type
        if t.is_ranked and _dynamic_dims(t) != len(self.operands):
            raise self.emit_error("incorrect number of dynamic sizes, has " f"{len(self.operands)}, expected "
                                  f"{_dynamic_dims(t)}")


@tensor.op
class SplatOp(Op):
    """A tensor with every element `input`; one index operand per dynamic dimension."""

    name = "tensor.splat"
    summary = "tensor splat or broadcast operation"
    operand_defs = (Operand("input"), Operand("dynamicSizes", Index, variadic=True))
    result_defs = (Result("aggregate", AnyTensor),)
    traits = frozenset({Pure})
    format = "$input (`[` $dynamicSizes^ `]`)? attr-dict `:` type($aggregate)"

    @classmethod
    def create(cls, value, result_type: TensorType, sizes: Sequence = (), location=UNKNOWN) -> "SplatOp":
        return cls.build(value, list(sizes), result_types=[result_type], location=location)

    def verify(self) -> None:
        t = self.results[0].type
        if t.element_type != self.operands[0].type:
            raise self.emit_error(f"operand #0 must be {t.element_type} (the element type of {t}), "
                                  f"but got {self.operands[0].type}")
        if _dynamic_dims(t) != len(self.operands) - 1:
            raise self.emit_error(f"incorrect number of dynamic sizes, has {len(self.operands) - 1}, expected "
                                  f"{_dynamic_dims(t)}")


@tensor.op
class ExtractOp(Op):
    """The element of `tensor` at `indices`."""

    name = "tensor.extract"
    summary = "element extraction operation"
    operand_defs = (Operand("tensor", AnyTensor), Operand("indices", Index, variadic=True))
    result_defs = (Result("result"),)
    traits = frozenset({NoMemoryEffect})
    format = "$tensor `[` $indices `]` attr-dict `:` type($tensor)"

    @classmethod
    def infer_result_types(cls, operand_types, attributes, regions=()):
        return [operand_types[0].element_type]

    def verify(self) -> None:
        _check_indices(self, self.operands[0].type, len(self.operands) - 1)

    def fold(self, operands):
        """extract of splat is the splatted value; extract of from_elements at constant
        indices is that element."""
        source = self.operands[0].owner
        if isinstance(source, SplatOp):
            return [source.operands[0]]
        if isinstance(source, FromElementsOp) and all(isinstance(i, IntegerAttr) for i in operands[1:]):
            shape = self.operands[0].type.shape
            indices = [i.value for i in operands[1:]]
            if all(0 <= i < n for i, n in zip(indices, shape)):
                return [source.operands[int(np.ravel_multi_index(indices, shape)) if shape else 0]]
        return None


_FOLD_ELEMENTS = 64  # a constant tensor folded with an inserted element has at most this many


@tensor.op
class InsertOp(Op):
    """`dest` with the element at `indices` replaced by `scalar` (a new tensor)."""

    name = "tensor.insert"
    summary = "element insertion operation"
    operand_defs = (Operand("scalar"), Operand("dest", AnyTensor), Operand("indices", Index, variadic=True))
    result_defs = (Result("result", AnyTensor),)
    traits = frozenset({NoMemoryEffect})
    format = "$scalar `into` $dest `[` $indices `]` attr-dict `:` type($dest)"

    @classmethod
    def infer_result_types(cls, operand_types, attributes, regions=()):
        return [operand_types[1]]

    def fold(self, operands):
        """A constant scalar into a small constant tensor at constant indices is a constant
        (the seed ``1.0`` of a gradient, inserted into a zero ``tensor<f32>``)."""
        scalar, dest, indices = operands[0], operands[1], operands[2:]
        t = self.operands[1].type
        if not (isinstance(dest, DenseElementsAttr) and isinstance(scalar, (FloatAttr, IntegerAttr))
                and all(isinstance(i, IntegerAttr) for i in indices) and dest.array.size <= _FOLD_ELEMENTS):
            return None
        at = tuple(i.value for i in indices)
        if not all(0 <= i < n for i, n in zip(at, t.shape)):
            return None
        array = np.array(dest.array)
        array[at] = scalar.value
        return [DenseElementsAttr(t, array)]

    def verify(self) -> None:
        t = self.operands[1].type
        _check_indices(self, t, len(self.operands) - 2)
        if self.operands[0].type != t.element_type or self.results[0].type != t:
            raise self.emit_error(f"expects a {t.element_type} scalar and a result of type {t}")


def _check_indices(op, t: Type, n: int) -> None:
    """MLIR's wording: one index per dimension."""
    if t.is_ranked and t.rank != n:
        raise op.emit_error("incorrect number of indices for extract_element" if op.op_name == "tensor.extract"
                            else "incorrect number of indices")


# ----------------------------------------------------------------------------
# interpreter rules

from ..interpreter import runtime_error  # noqa: E402
from ..interpreter import interpret  # noqa: E402


def _shape_with(t: TensorType, sizes: Sequence[int], op) -> tuple:
    sizes = iter(sizes)
    shape = tuple(next(sizes) if d == DYNAMIC else d for d in t.shape)
    if any(d < 0 for d in shape):
        raise runtime_error(op, f"negative dimension size in {shape}")
    return shape


def _checked_index(op, arr, indices):
    """`indices` as a tuple, or a runtime error worded as the memref ops' (never a numpy one)."""
    for k, (i, n) in enumerate(zip(indices, arr.shape)):
        if not 0 <= i < n:
            shape = "x".join(map(str, arr.shape))
            raise runtime_error(op, f"index [{', '.join(map(str, indices))}] is out of bounds for a tensor of "
                                    f"shape {shape} (dimension {k} has size {n})")
    return tuple(indices)


@interpret.register(DimOp)
def _interpret_dim(interp, op, args):
    arr, i = args
    if not 0 <= i < arr.ndim:
        raise runtime_error(op, f"dimension {i} is out of range for a tensor of rank {arr.ndim}")
    return [int(arr.shape[i])]


@interpret.register(RankOp)
def _interpret_rank(interp, op, args):
    return [int(np.ndim(args[0]))]


@interpret.register(FromElementsOp)
def _interpret_from_elements(interp, op, args):
    t = op.results[0].type
    return [np.array(args, dtype=numpy_dtype(t.element_type)).reshape(t.shape)]


def check_shape_matches(op, arr, t: TensorType, what: str = "result"):
    """A runtime error (never a numpy one) unless `arr`'s shape fits `t`'s static sizes."""
    if t.is_ranked and (arr.ndim != t.rank or any(d not in (DYNAMIC, n) for d, n in zip(t.shape, arr.shape))):
        shape = "x".join(map(str, arr.shape)) or "a scalar"
        raise runtime_error(op, f"a tensor of shape {shape} does not fit the {what} type {t}")
    return arr


@interpret.register(CastOp)
def _interpret_cast(interp, op, args):
    return [check_shape_matches(op, np.asarray(args[0]), op.results[0].type)]


@interpret.register(BitcastOp)
def _interpret_bitcast(interp, op, args):
    source = np.asarray(args[0])
    dtype = numpy_dtype(op.results[0].type.element_type)
    if source.dtype.itemsize != dtype.itemsize:
        raise runtime_error(op, f"cannot reinterpret {source.dtype} elements as {dtype} in the interpreter")
    return [check_shape_matches(op, np.ascontiguousarray(source).view(dtype), op.results[0].type)]


@interpret.register(EmptyOp)
def _interpret_empty(interp, op, args):
    t = op.results[0].type
    return [np.zeros(_shape_with(t, args, op), dtype=numpy_dtype(t.element_type))]


@interpret.register(SplatOp)
def _interpret_splat(interp, op, args):
    t = op.results[0].type
    return [np.full(_shape_with(t, args[1:], op), args[0], dtype=numpy_dtype(t.element_type))]


@interpret.register(ExtractOp)
def _interpret_extract(interp, op, args):
    arr = args[0]
    return [arr[_checked_index(op, arr, args[1:])]]


@interpret.register(InsertOp)
def _interpret_insert(interp, op, args):
    scalar, arr = args[0], args[1]
    out = np.array(arr, copy=True)  # tensors are values: never write into an operand
    out[_checked_index(op, arr, args[2:])] = scalar
    return [out]


# ----------------------------------------------------------------------------
# derivative rules: shapes carry no derivative; splat, extract and insert are
# linear in their float operands, so one declaration each gives both modes


non_differentiable(DimOp, RankOp, EmptyOp, BitcastOp)


def _sum_all(ctx, t):
    """The sum of every element of tensor `t`, as scf.for loops of tensor.extract."""
    from ..builder import Builder
    from .arith import AddFOp, ConstantOp
    from .scf import ForOp

    b = ctx.b
    elt = t.type.element_type
    zero = ctx.constant(0.0, elt)
    c0 = b.insert(ConstantOp.create(0, index, location=b.location)).results[0]
    c1 = b.insert(ConstantOp.create(1, index, location=b.location)).results[0]
    dims = [b.create(DimOp, t, b.insert(ConstantOp.create(i, index, location=b.location)).results[0]).results[0]
            for i in range(t.type.rank)]

    def nest(builder, depth, ivs, acc):
        loop = builder.insert(ForOp.create(c0, dims[depth], c1, [acc], location=builder.location))
        body = Builder.at_end(loop.body_block, builder.location)
        iv, inner = loop.body_block.arguments[0], loop.body_block.arguments[1]
        if depth + 1 == len(dims):
            x = body.create(ExtractOp, t, [*ivs, iv]).results[0]
            out = body.create(AddFOp, inner, x).results[0]
        else:
            out = nest(body, depth + 1, [*ivs, iv], inner)
        from .scf import YieldOp

        body.create(YieldOp, [out])
        return loop.results[0]

    if not dims:
        return b.create(ExtractOp, t, []).results[0]
    return nest(b, 0, [], zero)


linear(SplatOp, transpose=lambda ctx, op, ct: [_sum_all(ctx, ct[0])] + [None] * (len(op.operands) - 1))
linear(ExtractOp, transpose=lambda ctx, op, ct: [
    ctx.emit(InsertOp, ct[0], ctx.zero(op.operands[0]), [ctx.primal(v) for v in op.operands[1:]])
] + [None] * (len(op.operands) - 1))
linear(InsertOp, transpose=lambda ctx, op, ct: [
    ctx.emit(ExtractOp, ct[0], [ctx.primal(v) for v in op.operands[2:]]),
    ctx.emit(InsertOp, ctx.zero(op.operands[0]), ct[0], [ctx.primal(v) for v in op.operands[2:]]),
] + [None] * (len(op.operands) - 2))


def index_constant(ctx, i: int):
    """An ``arith.constant i : index`` where the rule builds."""
    from .arith import ConstantOp

    return ctx.b.insert(ConstantOp.create(i, index, location=ctx.b.location)).results[0]


def _from_elements_transpose(ctx, op, ct):
    """Element k's cotangent is the result cotangent at k's (row-major) position."""
    shape = op.results[0].type.shape
    return [ctx.emit(ExtractOp, ct[0], [index_constant(ctx, i) for i in np.unravel_index(k, shape)])
            for k in range(len(op.operands))]


linear(FromElementsOp, transpose=_from_elements_transpose)
linear(CastOp, transpose=lambda ctx, op, ct: [ctx.emit(CastOp, ct[0], result_types=[op.operands[0].type])])
