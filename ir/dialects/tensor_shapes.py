"""The tensor dialect's slices and reshapes (MLIR 22 syntax).

``tensor.extract_slice`` / ``tensor.insert_slice`` (offsets, sizes and strides
mixing index values and constants, written with ``custom<DynamicIndexList>``;
rank-reducing slices drop unit dimensions), ``tensor.collapse_shape``,
``tensor.expand_shape`` (with ``output_shape``) and ``tensor.reshape``: each
with its format, its verifier (MLIR's wording), its interpreter rule (bounds
and sizes checked at run time, naming the op) and its derivative rules.  All
are linear; a slice transposes to an insert into a zero and back, a reshape to
the inverse reshape.
"""

from __future__ import annotations

from typing import List, Optional, Sequence

from ..lazy_numpy import np
from ..ad_interfaces import linear
from ..attributes import ArrayAttr, DenseArrayAttr, IntegerAttr
from ..custom_directives import DYNAMIC_INDEX
from ..interpreter import interpret, runtime_error
from ..opdef import AnyTensor, Attr, Index, Op, Operand, Result
from ..traits import NoMemoryEffect, Pure
from ..types import DYNAMIC, TensorType, index
from .tensor import DimOp, FromElementsOp, check_shape_matches, index_constant, tensor
from ..builder import InsertionPoint
from ..rewrite import RewritePattern
from .view_like import (  # noqa: F401  (static_index_array, rank_reduction_mask: used from here too)
    SLICE_LISTS,
    compose_slices,
    mixed_lists,
    slice_attributes,
    rank_reduction_mask,
    static_index_array,
    verify_in_bounds,
    verify_offsets_sizes_strides,
)

_SLICE_LISTS = SLICE_LISTS
_SLICE_ATTRS = (Attr("static_offsets", DenseArrayAttr), Attr("static_sizes", DenseArrayAttr),
                Attr("static_strides", DenseArrayAttr))


class _SliceOp(Op):
    """What extract_slice and insert_slice share: the offsets, sizes and strides of a
    strided box in the larger tensor (`_full_operand`), static or dynamic per entry."""

    _full_operand = 0  # the position of the tensor the box lies in
    _small_operand = 0  # the position (or -1: the result) of the tensor the box's contents are

    def _lists(self):
        return [(what, self.attributes[f"static_{what}s"].values, group)
                for what, group in (("offset", self.offsets), ("size", self.sizes), ("stride", self.strides))]

    def _small_type(self) -> TensorType:
        return self.results[0].type if self._small_operand < 0 else self.operands[self._small_operand].type

    def verify(self) -> None:
        full = self.operands[self._full_operand].type
        if full.is_ranked:
            verify_offsets_sizes_strides(self, [full.rank] * 3)
        offsets, sizes, strides = (lst[1] for lst in self._lists())
        small = self._small_type()
        expected = TensorType(tuple(DYNAMIC if s == DYNAMIC_INDEX else s for s in sizes), full.element_type)
        if small.is_ranked and small.rank > expected.rank:
            raise self.emit_error("expected rank to be smaller or equal to the other rank. ")
        if small.is_ranked and rank_reduction_mask(expected.shape, small.shape) is None:
            raise self.emit_error(f"expected type to be '{expected}' or a rank-reduced version. (size mismatch) ")
        if small.element_type != full.element_type:
            raise self.emit_error(f"expected element type to be '{full.element_type}'")
        verify_in_bounds(self, full.shape, offsets, sizes, strides)

    # -- what rules and the interpreter use ------------------------------------------------
    def box_operands(self, value_of=lambda v: v):
        """The offsets, sizes and strides operand groups (mapped through `value_of`) and the
        static attributes, to build another op over the same box."""
        groups = [[value_of(v) for v in g] for g in (self.offsets, self.sizes, self.strides)]
        attrs = {name: self.attributes[name] for name in ("static_offsets", "static_sizes", "static_strides")}
        return groups, attrs

    def box_indices(self, args: Sequence, full_shape: Sequence[int]):
        """(per-dimension index arrays for `np.ix_`, the box's sizes) from the op's static
        lists and the interpreter's values of its dynamic ones; a runtime error when the
        box leaves the tensor."""
        first = 1 + (self._small_operand >= 0)  # dynamic values follow the tensor operands
        dynamic = iter(int(a) for a in args[first:])
        offsets, sizes, strides = ([next(dynamic) if s == DYNAMIC_INDEX else s for s in lst[1]]
                                   for lst in self._lists())
        axes = []
        for k, (o, s, st, n) in enumerate(zip(offsets, sizes, strides, full_shape)):
            if s < 0:
                raise runtime_error(self, f"negative size {s} along dimension {k}")
            axis = o + st * np.arange(s)
            if s and not (0 <= axis.min() and axis.max() < n):
                raise runtime_error(self, f"slice along dimension {k} (offset {o}, size {s}, stride {st}) "
                                          f"runs out of bounds of a tensor of size {n}")
            axes.append(axis)
        return axes, sizes


@tensor.op
class ExtractSliceOp(_SliceOp):
    """The strided box of `source` at offsets/sizes/strides; the result may drop unit
    dimensions of the box (a rank-reducing slice)."""

    name = "tensor.extract_slice"
    summary = "extract slice operation"
    operand_defs = (Operand("source", AnyTensor), Operand("offsets", Index, variadic=True),
                    Operand("sizes", Index, variadic=True), Operand("strides", Index, variadic=True))
    result_defs = (Result("result", AnyTensor),)
    attribute_defs = _SLICE_ATTRS
    traits = frozenset({NoMemoryEffect})
    format = f"$source `` {_SLICE_LISTS} attr-dict `:` type($source) `to` type($result)"
    _small_operand = -1

    @classmethod
    def infer_result_types(cls, operand_types, attributes, regions=()):
        sizes = attributes["static_sizes"].values
        return [TensorType(tuple(DYNAMIC if s == DYNAMIC_INDEX else s for s in sizes), operand_types[0].element_type)]

    def fold(self, operands):
        """The whole source, unstrided and of the same static type, is the source."""
        t = self.operands[0].type
        offsets, sizes, strides = (lst[1] for lst in self._lists())
        if (t == self.results[0].type and t.has_static_shape and tuple(sizes) == tuple(t.shape)
                and not any(offsets) and all(s == 1 for s in strides)):
            return [self.operands[0]]
        return None


class ComposeExtractSlices(RewritePattern):
    """extract_slice of extract_slice is one extract_slice of the first source (offsets
    added, strides multiplied; arith index ops where entries are values)."""

    def match_and_rewrite(self, op, rewriter) -> bool:
        inner = op.operands[0].owner
        if not isinstance(inner, ExtractSliceOp) or not inner.operands[0].type.is_ranked:
            return False
        sizes = [DYNAMIC if s == DYNAMIC_INDEX else s for s in inner.attributes["static_sizes"].values]
        dropped = rank_reduction_mask(sizes, inner.results[0].type.shape)
        if dropped is None:
            return False
        rewriter.set_insertion_point(InsertionPoint.before_op(op))
        lists = compose_slices(rewriter, mixed_lists(inner), mixed_lists(op), dropped)
        groups, attrs = slice_attributes(lists)
        rewriter.replace_op_with_new(op, ExtractSliceOp, inner.operands[0], *groups,
                                     result_types=[op.results[0].type], attributes=attrs)
        return True


ExtractSliceOp.canonicalization_patterns = (ComposeExtractSlices(),)


@tensor.op
class InsertSliceOp(_SliceOp):
    """`dest` with the strided box at offsets/sizes/strides replaced by `source` (a new
    tensor); `source` may lack unit dimensions of the box."""

    name = "tensor.insert_slice"
    summary = "insert_slice operation"
    operand_defs = (Operand("source", AnyTensor), Operand("dest", AnyTensor), Operand("offsets", Index, variadic=True),
                    Operand("sizes", Index, variadic=True), Operand("strides", Index, variadic=True))
    result_defs = (Result("result", AnyTensor),)
    attribute_defs = _SLICE_ATTRS
    traits = frozenset({NoMemoryEffect})
    format = f"$source `into` $dest `` {_SLICE_LISTS} attr-dict `:` type($source) `into` type($dest)"
    _full_operand = 1

    @classmethod
    def infer_result_types(cls, operand_types, attributes, regions=()):
        return [operand_types[1]]


@interpret.register(ExtractSliceOp)
def _interpret_extract_slice(interp, op, args):
    source = np.asarray(args[0])
    axes, _ = op.box_indices(args, source.shape)
    box = source[np.ix_(*axes)] if axes else source.copy()
    t = op.results[0].type
    return [check_shape_matches(op, box.reshape([n for n, d in zip(box.shape, _dropped(op, box.ndim)) if not d]), t)]


def _dropped(op, box_rank: int) -> List[bool]:
    """Which box dimensions the op's smaller tensor lacks (its rank reduction)."""
    small = op._small_type()
    sizes = [DYNAMIC if s == DYNAMIC_INDEX else s for s in op.attributes["static_sizes"].values]
    return rank_reduction_mask(sizes, small.shape) or [False] * box_rank


@interpret.register(InsertSliceOp)
def _interpret_insert_slice(interp, op, args):
    source, dest = np.asarray(args[0]), np.asarray(args[1])
    axes, sizes = op.box_indices(args, dest.shape)
    expected = [n for n, d in zip(sizes, _dropped(op, len(sizes))) if not d]
    if list(source.shape) != expected:
        raise runtime_error(op, f"the source's shape {'x'.join(map(str, source.shape))} does not match the "
                                f"slice's sizes {'x'.join(map(str, sizes))}")
    out = np.array(dest, copy=True)  # tensors are values: never write into an operand
    if axes:
        out[np.ix_(*axes)] = source.reshape(sizes)
    else:
        out[...] = source
    return [out]


def _slice_like(ctx, op: _SliceOp, op_class, *tensors, result_type):
    """`op_class` (extract_slice or insert_slice) over the same box as `op`, on `tensors`."""
    groups, attrs = op.box_operands(ctx.primal)
    return ctx.emit(op_class, *tensors, *groups, result_types=[result_type], **attrs)


linear(ExtractSliceOp, linear_operands=[0], transpose=lambda ctx, op, ct: [
    _slice_like(ctx, op, InsertSliceOp, ct[0], ctx.zero(op.operands[0]), result_type=op.operands[0].type)
] + [None] * (len(op.operands) - 1))
linear(InsertSliceOp, linear_operands=[0, 1], transpose=lambda ctx, op, ct: [
    _slice_like(ctx, op, ExtractSliceOp, ct[0], result_type=op.operands[0].type),
    _slice_like(ctx, op, InsertSliceOp, ctx.zero(op.operands[0]), ct[0], result_type=op.operands[1].type),
] + [None] * (len(op.operands) - 2))


# ----------------------------------------------------------------------------
# reshapes


def _reassociation(op) -> List[List[int]]:
    return [[int(i.value) for i in group] for group in op.attributes["reassociation"]]


class _ReassociativeReshapeOp(Op):
    """What collapse_shape and expand_shape share: groups of consecutive dimensions of the
    expanded type, each one dimension of the collapsed type."""

    def _types(self):
        """(expanded type, collapsed type)."""
        raise NotImplementedError

    def verify(self) -> None:
        expanded, collapsed = self._types()
        groups = _reassociation(self)
        if expanded.rank < collapsed.rank:
            raise self.emit_error(f"expected the expanded type, '{expanded}' to have a higher (or same) rank "
                                  f"than the collapsed type, '{collapsed}'.")
        if collapsed.rank != len(groups):
            raise self.emit_error(f"expected collapsed rank ({collapsed.rank}) to equal the number of "
                                  f"reassociation maps ({len(groups)}).")
        nxt = 0
        for k, group in enumerate(groups):
            if not group or group != list(range(nxt, nxt + len(group))):
                raise self.emit_error(f"expected reassociation map #{k} to be valid and contiguous.")
            nxt += len(group)
        if nxt != expanded.rank:
            raise self.emit_error(f"expected reassociation map #{len(groups) - 1} to have size equal to the "
                                  f"expanded rank ({expanded.rank}), but it is  {nxt}.")
        want = TensorType(collapsed_shape(expanded.shape, groups), expanded.element_type)
        if collapsed.element_type != expanded.element_type:
            raise self.emit_error(f"expected collapsed type to be '{want}', but got '{collapsed}'")
        for k, (w, got) in enumerate(zip(want.shape, collapsed.shape)):
            if w == DYNAMIC and got != DYNAMIC:
                raise self.emit_error(f"expected dimension {k} of collapsed type to be dynamic since one or more "
                                      "of the corresponding dimensions in the expanded type is dynamic")
            if w != DYNAMIC and got != w:
                raise self.emit_error(f"expected dimension {k} of collapsed type to be static value of {w}")


def collapsed_shape(shape: Sequence[int], groups: Sequence[Sequence[int]]) -> tuple:
    """Each group's product, dynamic if any of its dimensions is."""
    out = []
    for group in groups:
        dims = [shape[i] for i in group]
        out.append(DYNAMIC if DYNAMIC in dims else int(np.prod(dims, dtype=np.int64)))
    return tuple(out)


@tensor.op
class CollapseShapeOp(_ReassociativeReshapeOp):
    """`src` with each group of consecutive dimensions merged into one."""

    name = "tensor.collapse_shape"
    summary = "operation to produce a tensor with a smaller rank"
    operand_defs = (Operand("src", AnyTensor),)
    result_defs = (Result("result", AnyTensor),)
    attribute_defs = (Attr("reassociation", ArrayAttr),)
    traits = frozenset({Pure})
    format = "$src $reassociation attr-dict `:` type($src) `into` type($result)"

    def _types(self):
        return self.operands[0].type, self.results[0].type


@tensor.op
class ExpandShapeOp(_ReassociativeReshapeOp):
    """`src` with each dimension split into a group of consecutive ones, of sizes
    `output_shape` (index values and constants)."""

    name = "tensor.expand_shape"
    summary = "operation to produce a tensor with a higher rank"
    operand_defs = (Operand("src", AnyTensor), Operand("output_shape", Index, variadic=True))
    result_defs = (Result("result", AnyTensor),)
    attribute_defs = (Attr("reassociation", ArrayAttr), Attr("static_output_shape", DenseArrayAttr))
    traits = frozenset({Pure})
    format = ("$src $reassociation `output_shape` custom<DynamicIndexList>($output_shape, $static_output_shape) "
              "attr-dict `:` type($src) `into` type($result)")

    def _types(self):
        return self.results[0].type, self.operands[0].type

    def verify(self) -> None:
        super().verify()
        result = self.results[0].type
        static = self.attributes["static_output_shape"].values
        if len(static) != result.rank:
            raise self.emit_error(f"expected number of static shape dims to be equal to the output rank "
                                  f"({result.rank}) but found {len(static)} inputs instead")
        dynamic = sum(1 for s in static if s == DYNAMIC_INDEX)
        if dynamic != len(self.output_shape):
            raise self.emit_error(f"mismatch in dynamic dims in output_shape and static_output_shape: "
                                  f"static_output_shape has {dynamic} dynamic dims while output_shape has "
                                  f"{len(self.output_shape)} values")
        for k, (s, d) in enumerate(zip(static, result.shape)):
            if s != DYNAMIC_INDEX and d != DYNAMIC and s != d:
                raise self.emit_error(f"invalid output shape provided at pos {k}")


@tensor.op
class ReshapeOp(Op):
    """`source`'s elements (row-major) in a tensor of the shape held by the 1-D tensor `shape`."""

    name = "tensor.reshape"
    summary = "tensor reshape operation"
    operand_defs = (Operand("source", AnyTensor), Operand("shape", AnyTensor))
    result_defs = (Result("result", AnyTensor),)
    traits = frozenset({NoMemoryEffect})
    format = "$source `(` $shape `)` attr-dict `:` functional-type(operands, results)"

    def verify(self) -> None:
        source, shape, result = self.operands[0].type, self.operands[1].type, self.results[0].type
        if source.element_type != result.element_type:
            raise self.emit_error("element types of source and destination tensor types should be the same")
        if not isinstance(shape, TensorType) or not shape.is_ranked or shape.rank != 1:
            raise self.emit_error(f"operand #1 must be 1D tensor of signless integer or index values, "
                                  f"but got '{shape}'")
        if source.is_ranked and result.is_ranked and source.has_static_shape and result.has_static_shape \
                and source.num_elements != result.num_elements:
            raise self.emit_error("source and destination tensor should have the same number of elements")
        if result.is_ranked:
            if shape.shape[0] == DYNAMIC:
                raise self.emit_error("cannot use shape operand with dynamic length to reshape to "
                                      "statically-ranked tensor type")
            if shape.shape[0] != result.rank:
                raise self.emit_error("length of shape operand differs from the result's tensor rank")


@interpret.register(CollapseShapeOp)
def _interpret_collapse_shape(interp, op, args):
    source = np.asarray(args[0])
    shape = [int(np.prod([source.shape[i] for i in g], dtype=np.int64)) for g in _reassociation(op)]
    return [check_shape_matches(op, source.reshape(shape), op.results[0].type)]


@interpret.register(ExpandShapeOp)
def _interpret_expand_shape(interp, op, args):
    source = np.asarray(args[0])
    dynamic = iter(int(a) for a in args[1:])
    shape = [next(dynamic) if s == DYNAMIC_INDEX else s for s in op.attributes["static_output_shape"].values]
    for k, group in enumerate(_reassociation(op)):
        product = int(np.prod([shape[i] for i in group], dtype=np.int64))
        if product != source.shape[k]:
            raise runtime_error(op, f"output_shape {shape} splits dimension {k} of size {source.shape[k]} into "
                                    f"sizes whose product is {product}")
    return [check_shape_matches(op, source.reshape(shape), op.results[0].type)]


@interpret.register(ReshapeOp)
def _interpret_reshape(interp, op, args):
    source, shape = np.asarray(args[0]), [int(s) for s in np.asarray(args[1]).reshape(-1)]
    if any(s < 0 for s in shape) or int(np.prod(shape, dtype=np.int64)) != source.size:
        raise runtime_error(op, f"cannot reshape {source.size} elements into shape {shape}")
    return [check_shape_matches(op, source.reshape(shape), op.results[0].type)]


def _sizes_of(ctx, value, t: TensorType) -> List:
    """`tensor.dim` of `value` (where the rule builds) for each dynamic dimension of `t`."""
    return [ctx.emit(DimOp, value, index_constant(ctx, k)) for k, d in enumerate(t.shape) if d == DYNAMIC]


def _collapse_transpose(ctx, op, ct):
    """Expand the cotangent back to the source's shape, its dynamic sizes read from the source."""
    t = op.operands[0].type
    return [ctx.emit(ExpandShapeOp, ct[0], _sizes_of(ctx, ctx.operand(0), t), result_types=[t],
                     reassociation=op.attributes["reassociation"], static_output_shape=static_index_array(t.shape))]


def _reshape_transpose(ctx, op, ct):
    """Reshape the cotangent back to the source's shape (ranked sources only)."""
    t = op.operands[0].type
    if not t.is_ranked:
        raise op.emit_error("the reverse derivative needs a ranked source")
    dims = [ctx.emit(DimOp, ctx.operand(0), index_constant(ctx, k)) if d == DYNAMIC else index_constant(ctx, d)
            for k, d in enumerate(t.shape)]
    shape = ctx.emit(FromElementsOp, dims, result_types=[TensorType((t.rank,), index)])
    return [ctx.emit(ReshapeOp, ct[0], shape, result_types=[t]), None]


linear(CollapseShapeOp, transpose=_collapse_transpose)
linear(ExpandShapeOp, linear_operands=[0], transpose=lambda ctx, op, ct: [
    ctx.emit(CollapseShapeOp, ct[0], result_types=[op.operands[0].type], reassociation=op.attributes["reassociation"])
] + [None] * (len(op.operands) - 1))
linear(ReshapeOp, linear_operands=[0], transpose=_reshape_transpose)
