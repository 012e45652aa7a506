"""memref views: new memrefs over the same memory (MLIR 22 syntax).

``subview`` (offsets, sizes and strides mixing values and constants; the
result's strided layout inferred as MLIR infers it; rank-reducing),
``reinterpret_cast``, ``view`` (a typed view of a byte buffer),
``collapse_shape``/``expand_shape`` (with ``output_shape``), ``reshape`` and
``extract_strided_metadata``::

    %s = memref.subview %m[%i, 2] [4, %n] [1, 2] : memref<8x16xf64> to memref<4x?xf64, strided<[16, 2], offset: ?>>
    %r = memref.reinterpret_cast %m to offset: [0], sizes: [%n, 4], strides: [4, 1] : memref<8x16xf64> to memref<?x4xf64, strided<[4, 1]>>
    %c = memref.collapse_shape %m [[0, 1]] : memref<8x16xf64> into memref<128xf64>

Views are views in the interpreter too: each makes a numpy view of the same
allocation (`irc.memory.strided_view`), so a store through a subview is seen
through its base, and a view of freed memory, or one reaching outside its
buffer, is a runtime error naming the op.  All are `Pure` (MLIR's
ViewLikeOpInterface): the result aliases the source, which activity analysis
and the bufferization follow both ways.
"""

from __future__ import annotations

import dataclasses
from typing import List, Optional, Sequence

from ..lazy_numpy import np
from ..attributes import ArrayAttr, DenseArrayAttr, StridedLayoutAttr, numpy_dtype
from ..custom_directives import DYNAMIC_INDEX
from ..diagnostics import error
from ..interpreter import interpret, runtime_error
from ..opdef import Attr, Index, Op, Operand, Result, TypeConstraint
from ..traits import Pure
from ..types import DYNAMIC, IntegerType, MemRefType, index
from .. import memory
from .memref import RankedMemRef, RankedOrUnrankedMemRef, identity_strides, memref, strides_and_offset
from ..builder import InsertionPoint
from ..rewrite import RewritePattern
from .view_like import (
    INDEX_LIST,
    SLICE_LISTS,
    as_dynamic,
    compose_slices,
    mixed_lists,
    slice_attributes,
    mixed_values,
    rank_reduction_mask,
    reassociation_groups,
    split_mixed,
    verify_collapsed_shape,
    verify_in_bounds,
    verify_offsets_sizes_strides,
)

_LIST_ATTRS = (Attr("static_offsets", DenseArrayAttr), Attr("static_sizes", DenseArrayAttr),
               Attr("static_strides", DenseArrayAttr))
_LIST_OPERANDS = (Operand("offsets", Index, variadic=True), Operand("sizes", Index, variadic=True),
                  Operand("strides", Index, variadic=True))


def _times(a: int, b: int) -> int:
    """MLIR's SaturatedInteger product: 0 times anything is 0, else `?` is contagious."""
    if a == 0 or b == 0:
        return 0
    return DYNAMIC if DYNAMIC in (a, b) else a * b


def _plus(a: int, b: int) -> int:
    return DYNAMIC if DYNAMIC in (a, b) else a + b


def strided_type(t: MemRefType, shape, strides, offset) -> MemRefType:
    """`t`'s element type and memory space with `shape` and a ``strided<...>`` layout."""
    return dataclasses.replace(t, shape=tuple(shape), layout=StridedLayoutAttr(tuple(strides), offset))


# ----------------------------------------------------------------------------
# subview


def subview_result_type(source: MemRefType, offsets, sizes, strides) -> MemRefType:
    """MLIR's SubViewOp::inferResultType (static lists, DYNAMIC_INDEX or DYNAMIC for a
    value): the sizes, and the source's strides and offset moved by the slice."""
    source_strides, source_offset = strides_and_offset(source)
    offsets, sizes, strides = as_dynamic(offsets), as_dynamic(sizes), as_dynamic(strides)
    offset = source_offset
    for o, s in zip(offsets, source_strides):
        offset = _plus(offset, _times(o, s))
    return strided_type(source, sizes, [_times(s, st) for s, st in zip(source_strides, strides)], offset)


def memref_rank_reduction(expected: MemRefType, candidate: MemRefType, static_sizes) -> Optional[List[bool]]:
    """MLIR's computeMemRefRankReductionMask: which unit dimensions of `expected` the
    candidate drops, told apart by their strides where sizes cannot; None if none fit."""
    unused = [s == 1 for s in static_sizes]
    if len(expected.shape) == len(candidate.shape):
        return [False] * len(expected.shape)
    if sum(unused) + len(candidate.shape) == len(expected.shape):
        return unused
    a, b = strides_and_offset(expected), strides_and_offset(candidate)
    if a is None or b is None:
        return None
    unaccounted = {s: a[0].count(s) for s in a[0]}
    in_candidate = {s: b[0].count(s) for s in b[0]}
    for d, dropped in enumerate(unused):
        if not dropped:
            continue
        s = a[0][d]
        if unaccounted.get(s, 0) > in_candidate.get(s, 0):
            unaccounted[s] -= 1
        elif unaccounted.get(s, 0) == in_candidate.get(s, 0):
            unused[d] = False
        else:
            return None
    return unused if sum(unused) + len(candidate.shape) == len(expected.shape) else None


def subview_type_mismatch(expected: MemRefType, result: MemRefType, static_sizes) -> Optional[str]:
    """How `result` fails to be `expected` or a rank-reduced version of it (MLIR's
    SliceVerificationResult: "rank", "sizes", "element type", "layout"), or None."""
    if expected == result:
        return None
    if len(result.shape) > len(expected.shape):
        return "rank"
    if rank_reduction_mask(expected.shape, result.shape) is None:
        return "sizes"
    if result.element_type != expected.element_type:
        return "element type"
    got = strides_and_offset(result)
    want_strides, want_offset = strides_and_offset(expected)
    if got is None or got[1] != want_offset:
        return "layout"
    mask = memref_rank_reduction(expected, result, static_sizes)
    if mask is None or [s for s, d in zip(want_strides, mask) if not d] != list(got[0]):
        return "layout"
    return None


def _subview_mismatch(op, expected: MemRefType, what: str):
    return error(f"expected result type to be '{expected}' or a rank-reduced version. (mismatch of result "
                 f"{what}), but got '{op.results[0].type}'", op.location)


@memref.op
class SubViewOp(Op):
    """A strided box of `source` as a view of the same memory; the result may drop
    unit dimensions of the box (a rank-reducing subview)."""

    name = "memref.subview"
    summary = "memref subview operation"
    operand_defs = (Operand("source", RankedMemRef),) + _LIST_OPERANDS
    result_defs = (Result("result", RankedMemRef),)
    attribute_defs = _LIST_ATTRS
    traits = frozenset({Pure})
    format = f"$source `` {SLICE_LISTS} attr-dict `:` type($source) `to` type($result)"

    @classmethod
    def infer_result_types(cls, operand_types, attributes, regions=()):
        return [subview_result_type(operand_types[0], *(attributes[f"static_{w}s"].values
                                                          for w in ("offset", "size", "stride")))]

    @classmethod
    def create(cls, source, offsets: Sequence, sizes: Sequence, strides: Sequence, result_type=None, location=None):
        """A subview from mixed lists (ints and index values); the result type is
        inferred (not rank-reduced) unless given."""
        groups, attrs = [], {}
        for what, mixed in (("offsets", offsets), ("sizes", sizes), ("strides", strides)):
            dynamic, static = split_mixed(mixed)
            groups.append(dynamic)
            attrs[f"static_{what}"] = static
        kw = {} if location is None else {"location": location}
        return cls.build(source, *groups, result_types=None if result_type is None else [result_type],
                         attributes=attrs, **kw)

    def static_lists(self):
        """(offsets, sizes, strides) as static arrays, DYNAMIC_INDEX where a value is."""
        return tuple(self.attributes[f"static_{w}s"].values for w in ("offset", "size", "stride"))

    def dropped_dims(self) -> List[bool]:
        """Which dimensions of the box the result drops."""
        offsets, sizes, strides = self.static_lists()
        expected = subview_result_type(self.source.type, offsets, sizes, strides)
        mask = memref_rank_reduction(expected, self.results[0].type, sizes)
        return mask if mask is not None else [False] * len(sizes)

    def verify(self) -> None:
        base, result = self.source.type, self.results[0].type
        verify_offsets_sizes_strides(self, [len(base.shape)] * 3)
        if base.memory_space != result.memory_space:
            raise error(f"different memory spaces specified for base memref type '{base}' and subview memref "
                        f"type '{result}'", self.location)
        if strides_and_offset(base) is None:
            raise error(f"base type '{base}' is not strided", self.location)
        offsets, sizes, strides = self.static_lists()
        expected = subview_result_type(base, offsets, sizes, strides)
        mismatch = subview_type_mismatch(expected, result, sizes)
        if mismatch == "rank":
            raise error(f"expected result rank to be smaller or equal to the source rank, but got '{result}'",
                        self.location)
        if mismatch == "element type":
            raise error(f"expected result element type to be '{expected.element_type}', but got '{result}'",
                        self.location)
        if mismatch is not None:
            raise _subview_mismatch(self, expected, mismatch)
        verify_in_bounds(self, base.shape, offsets, sizes, strides)

    def fold(self, operands):
        """A subview of the whole source, with its type, is the source (MLIR's fold)."""
        t = self.source.type
        offsets, sizes, strides = self.static_lists()
        if (t == self.results[0].type and t.has_static_shape and tuple(sizes) == tuple(t.shape)
                and not any(offsets) and all(s == 1 for s in strides)):
            return [self.source]
        return None


class ComposeSubViews(RewritePattern):
    """subview of subview is one subview of the first source (offsets added, strides
    multiplied; arith index ops where entries are values), where its type allows."""

    def match_and_rewrite(self, op, rewriter) -> bool:
        inner = op.source.owner
        if not isinstance(inner, SubViewOp):
            return False
        dropped = inner.dropped_dims()
        dry = slice_attributes(compose_slices(None, mixed_lists(inner), mixed_lists(op), dropped))[1]
        static = [dry[f"static_{w}s"].values for w in ("offset", "size", "stride")]
        expected = subview_result_type(inner.source.type, *static)
        if subview_type_mismatch(expected, op.results[0].type, static[1]) is not None:
            return False
        rewriter.set_insertion_point(InsertionPoint.before_op(op))
        groups, attrs = slice_attributes(compose_slices(rewriter, mixed_lists(inner), mixed_lists(op), dropped))
        rewriter.replace_op_with_new(op, SubViewOp, inner.source, *groups, result_types=[op.results[0].type],
                                     attributes=attrs)
        return True


SubViewOp.canonicalization_patterns = (ComposeSubViews(),)


@interpret.register(SubViewOp)
def _interpret_subview(interp, op, args):
    m = args[0]
    offsets, sizes, strides = (mixed_values(static, (int(a) for a in group))
                               for static, group in zip(op.static_lists(), _groups(op, args)))
    shape = m.array.shape
    for d, (o, n, st, extent) in enumerate(zip(offsets, sizes, strides, shape)):
        if n < 0:
            raise runtime_error(op, f"negative size {n} along dimension {d}")
        if n and not (0 <= o < extent and 0 <= o + (n - 1) * st < extent):
            raise runtime_error(op, f"subview along dimension {d} (offset {o}, size {n}, stride {st}) runs out "
                                    f"of bounds of a memref of size {extent}")
    base_strides = m.strides
    start = m.offset + sum(o * s for o, s in zip(offsets, base_strides))
    view = memory.strided_view(op, m, start, sizes, [st * s for st, s in zip(strides, base_strides)])
    dropped = op.dropped_dims()
    if any(dropped):
        view = view.view(view.array[tuple(0 if d else slice(None) for d in dropped)])
    return [view]


def _groups(op, args):
    """The interpreter's values of the offsets, sizes and strides operand groups."""
    counts = [len(op.offsets), len(op.sizes), len(op.strides)]
    pos, out = 1, []
    for n in counts:
        out.append(args[pos:pos + n])
        pos += n
    return out


# ----------------------------------------------------------------------------
# reinterpret_cast


@memref.op
class ReinterpretCastOp(Op):
    """A view of the source's memory with any offset, sizes and strides (from the
    base of its allocation, as MLIR's descriptor says)."""

    name = "memref.reinterpret_cast"
    summary = "memref reinterpret cast operation"
    operand_defs = (Operand("source", RankedOrUnrankedMemRef),) + _LIST_OPERANDS
    result_defs = (Result("result", RankedMemRef),)
    attribute_defs = _LIST_ATTRS
    traits = frozenset({Pure})
    format = (f"$source `to` `offset` `` `:` {INDEX_LIST}($offsets, $static_offsets) `` `,` `sizes` `` `:` "
              f"{INDEX_LIST}($sizes, $static_sizes) `` `,` `strides` `` `:` {INDEX_LIST}($strides, $static_strides) "
              "attr-dict `:` type($source) `to` type($result)")

    def static_lists(self):
        return tuple(self.attributes[f"static_{w}s"].values for w in ("offset", "size", "stride"))

    def verify(self) -> None:
        source, result = self.source.type, self.results[0].type
        verify_offsets_sizes_strides(self, [1, len(result.shape), len(result.shape)])
        if source.memory_space != result.memory_space:
            raise error(f"different memory spaces specified for source type '{source}' and result memref type "
                        f"'{result}'", self.location)
        if source.element_type != result.element_type:
            raise error(f"different element types specified for source type '{source}' and result memref type "
                        f"'{result}'", self.location)
        offsets, sizes, strides = (as_dynamic(lst) for lst in self.static_lists())
        for d, (want, got) in enumerate(zip(sizes, result.shape)):
            if want != DYNAMIC and want != got:
                raise error(f"expected result type with size = {want} instead of {got} in dim = {d}", self.location)
        layout = strides_and_offset(result)
        if layout is None:
            raise error(f"expected result type to have strided layout but found '{result}'", self.location)
        result_strides, result_offset = layout
        if offsets[0] != result_offset:
            raise error(f"expected result type with offset = {_dynamic_word(offsets[0])} instead of "
                        f"{_dynamic_word(result_offset)}", self.location)
        for d, (want, got) in enumerate(zip(strides, result_strides)):
            if want != got:
                raise error(f"expected result type with stride = {_dynamic_word(want)} instead of "
                            f"{_dynamic_word(got)} in dim = {d}", self.location)


def _dynamic_word(v: int) -> str:
    return "dynamic" if v == DYNAMIC else str(v)


@interpret.register(ReinterpretCastOp)
def _interpret_reinterpret_cast(interp, op, args):
    offsets, sizes, strides = (mixed_values(static, (int(a) for a in group))
                               for static, group in zip(op.static_lists(), _groups(op, args)))
    return [memory.strided_view(op, args[0], offsets[0], sizes, strides)]


# ----------------------------------------------------------------------------
# view: a typed memref over a byte buffer

I8Memref1D = TypeConstraint(
    "1D memref of 8-bit signless integer values",
    lambda t: isinstance(t, MemRefType) and t.shape is not None and len(t.shape) == 1
    and t.element_type == IntegerType(8),
)


@memref.op
class ViewOp(Op):
    """A contiguous memref of any element type over a 1-D ``i8`` buffer, `byte_shift`
    bytes in, with one size per dynamic dimension."""

    name = "memref.view"
    summary = "memref view operation"
    operand_defs = (Operand("source", I8Memref1D), Operand("byte_shift", Index), Operand("sizes", Index, variadic=True))
    result_defs = (Result("result", RankedMemRef),)
    traits = frozenset({Pure})
    format = "$source `[` $byte_shift `]` `` `[` $sizes `]` attr-dict `:` type($source) `to` type($result)"

    def verify(self) -> None:
        base, result = self.source.type, self.results[0].type
        if base.layout is not None:
            raise error(f"unsupported map for base memref type '{base}'", self.location)
        if result.layout is not None:
            raise error(f"unsupported map for result memref type '{result}'", self.location)
        if base.memory_space != result.memory_space:
            raise error(f"different memory spaces specified for base memref type '{base}' and view memref type "
                        f"'{result}'", self.location)
        dynamic = sum(1 for d in result.shape if d == DYNAMIC)
        if len(self.sizes) != dynamic:
            raise self.emit_error(f"incorrect number of dynamic sizes, has {len(self.sizes)}, expected {dynamic}")


@interpret.register(ViewOp)
def _interpret_view(interp, op, args):
    buffer, shift = args[0], int(args[1])
    memory.check_live(op, buffer)
    t = op.results[0].type
    sizes = mixed_values([DYNAMIC_INDEX if d == DYNAMIC else d for d in t.shape], (int(a) for a in args[2:]))
    dtype = numpy_dtype(t.element_type)
    nbytes = int(np.prod(sizes, dtype=np.int64)) * dtype.itemsize
    if any(n < 0 for n in sizes) or shift < 0 or shift + nbytes > buffer.array.size:
        raise runtime_error(op, f"a view of {nbytes} bytes at byte shift {shift} does not fit in a buffer of "
                                f"{buffer.array.size} bytes")
    raw = buffer.array[shift:shift + nbytes]
    return [buffer.view(raw.view(dtype).reshape(sizes))]


# ----------------------------------------------------------------------------
# collapse_shape and expand_shape


def collapsed_layout(source: MemRefType, groups) -> Optional[MemRefType]:
    """MLIR's CollapseShapeOp::computeCollapsedType, None where the groups are not
    contiguous in memory (the layout of the result, or its absence)."""
    shape = []
    for group in groups:
        size = 1
        for d in group:
            size = DYNAMIC if DYNAMIC in (size, source.shape[d]) else size * source.shape[d]
        shape.append(size)
    if source.layout is None:
        return dataclasses.replace(source, shape=tuple(shape))
    layout = strides_and_offset(source)
    if layout is None:
        return None
    strides, offset = layout
    result_strides = []
    for group in groups:
        ref = list(group)
        while len(ref) > 1 and source.shape[ref[-1]] == 1:
            ref.pop()
        last = ref[-1]
        result_strides.append(strides[last] if source.shape[last] != DYNAMIC or len(ref) == 1 else DYNAMIC)
    for k, group in enumerate(groups):  # each group must be contiguous (where that is known)
        stride = result_strides[k]
        for d in reversed(group[1:]):
            stride = _times(stride, source.shape[d])
            if source.shape[d - 1] == 1:
                continue
            if DYNAMIC not in (stride, strides[d - 1]) and stride != strides[d - 1]:
                return None
    return strided_type(source, shape, result_strides, offset)


def expanded_layout(source: MemRefType, shape, groups) -> Optional[MemRefType]:
    """MLIR's ExpandShapeOp::computeExpandedType."""
    if source.layout is None:
        return dataclasses.replace(source, shape=tuple(shape))
    layout = strides_and_offset(source)
    if layout is None:
        return None
    strides, offset = layout
    result, d = [], len(shape) - 1
    for group, stride in reversed(list(zip(groups, strides))):
        for _ in group:
            result.append(stride)
            stride = _times(stride, shape[d])
            d -= 1
    result = result[::-1] + [1] * (len(shape) - len(result))
    return strided_type(source, shape, result, offset)


class _ReshapeViewOp(Op):
    """What collapse_shape and expand_shape share (the expanded and collapsed types)."""

    def _types(self):
        raise NotImplementedError


@memref.op
class CollapseShapeOp(_ReshapeViewOp):
    """The source with each group of consecutive, contiguous dimensions merged into one."""

    name = "memref.collapse_shape"
    summary = "operation to produce a memref with a smaller rank."
    operand_defs = (Operand("src", RankedMemRef),)
    result_defs = (Result("result", RankedMemRef),)
    attribute_defs = (Attr("reassociation", ArrayAttr),)
    traits = frozenset({Pure})
    format = "$src $reassociation attr-dict `:` type($src) `into` type($result)"

    def verify(self) -> None:
        source, result = self.src.type, self.results[0].type
        r0, r1 = len(source.shape), len(result.shape)
        if r0 < r1:
            raise self.emit_error(f"has source rank {r0} and result rank {r1}. This is not a collapse ({r0} < {r1}).")
        groups = reassociation_groups(self)
        verify_collapsed_shape(self, result.shape, source.shape, groups)
        expected = collapsed_layout(source, groups)
        if expected is None:
            raise self.emit_error("invalid source layout map or collapsing non-contiguous dims")
        expected = dataclasses.replace(expected, shape=result.shape)
        if expected != result:
            raise self.emit_error(f"expected collapsed type to be '{expected}' but found '{result}'")


@memref.op
class ExpandShapeOp(_ReshapeViewOp):
    """The source with each dimension split into a group of consecutive ones, of sizes
    `output_shape` (index values and constants)."""

    name = "memref.expand_shape"
    summary = "operation to produce a memref with a higher rank."
    operand_defs = (Operand("src", RankedMemRef), Operand("output_shape", Index, variadic=True))
    result_defs = (Result("result", RankedMemRef),)
    attribute_defs = (Attr("reassociation", ArrayAttr), Attr("static_output_shape", DenseArrayAttr))
    traits = frozenset({Pure})
    format = ("$src $reassociation `output_shape` custom<DynamicIndexList>($output_shape, $static_output_shape) "
              "attr-dict `:` type($src) `into` type($result)")

    def verify(self) -> None:
        source, result = self.src.type, self.results[0].type
        r0, r1 = len(source.shape), len(result.shape)
        if r0 > r1:
            raise self.emit_error(f"has source rank {r0} and result rank {r1}. This is not an expansion "
                                  f"({r0} > {r1}).")
        groups = reassociation_groups(self)
        verify_collapsed_shape(self, source.shape, result.shape, groups)
        expected = expanded_layout(source, result.shape, groups)
        if expected is None:
            raise self.emit_error("invalid source layout map")
        if expected != result:
            raise self.emit_error(f"expected expanded type to be '{expected}' but found '{result}'")
        static = self.attributes["static_output_shape"].values
        if len(static) != r1:
            raise self.emit_error(f"expected number of static shape bounds to be equal to the output rank ({r1}) "
                                  f"but found {len(static)} inputs instead")
        dynamic = sum(1 for s in static if s == DYNAMIC_INDEX)
        if dynamic != len(self.output_shape):
            raise self.emit_error(f"mismatch in dynamic dims in output_shape and static_output_shape: "
                                  f"static_output_shape has {dynamic} dynamic dims while output_shape has "
                                  f"{len(self.output_shape)} values")
        for k, (d, s) in enumerate(zip(result.shape, static)):
            if d != DYNAMIC and d != s:
                raise self.emit_error(f"invalid output shape provided at pos {k}")


def _reshaped_view(op, m, shape):
    """`m` seen with `shape`, as a view: a runtime error where the memory is not laid
    out for it (MLIR leaves that undefined)."""
    memory.check_live(op, m)
    try:
        return m.view(np.reshape(m.array, shape, copy=False))
    except ValueError:
        raise runtime_error(op, f"cannot view a memref of shape {'x'.join(map(str, m.array.shape))} and strides "
                                f"{m.strides} with shape {'x'.join(map(str, shape))} without a copy") from None


@interpret.register(CollapseShapeOp)
def _interpret_collapse_shape(interp, op, args):
    m = args[0]
    shape = [int(np.prod([m.array.shape[d] for d in g], dtype=np.int64)) for g in reassociation_groups(op)]
    return [_reshaped_view(op, m, shape)]


@interpret.register(ExpandShapeOp)
def _interpret_expand_shape(interp, op, args):
    m = args[0]
    shape = mixed_values(op.attributes["static_output_shape"].values, (int(a) for a in args[1:]))
    for k, group in enumerate(reassociation_groups(op)):
        product = int(np.prod([shape[d] for d in group], dtype=np.int64))
        if product != m.array.shape[k]:
            raise runtime_error(op, f"output_shape {shape} splits dimension {k} of size {m.array.shape[k]} into "
                                    f"sizes whose product is {product}")
    return [_reshaped_view(op, m, shape)]


# ----------------------------------------------------------------------------
# reshape (the shape in a memref)


@memref.op
class ReshapeOp(Op):
    """The contiguous source seen with the shape held in the 1-D memref `shape`."""

    name = "memref.reshape"
    summary = "memref reshape operation"
    operand_defs = (Operand("source", RankedOrUnrankedMemRef), Operand("shape", RankedMemRef))
    result_defs = (Result("result", RankedOrUnrankedMemRef),)
    traits = frozenset({Pure})
    format = "$source `(` $shape `)` attr-dict `:` functional-type(operands, results)"

    def verify(self) -> None:
        source, shape, result = self.source.type, self.shape.type, self.results[0].type
        if source.element_type != result.element_type:
            raise self.emit_error("element types of source and destination memref types should be the same")
        if source.shape is not None and source.layout is not None:
            raise self.emit_error("source memref type should have identity affine map")
        if result.shape is not None:
            if result.layout is not None:
                raise self.emit_error("result memref type should have identity affine map")
            if shape.shape[0] == DYNAMIC:
                raise self.emit_error("cannot use shape operand with dynamic length to reshape to "
                                      "statically-ranked memref type")
            if shape.shape[0] != len(result.shape):
                raise self.emit_error("length of shape operand differs from the result's memref rank")


@interpret.register(ReshapeOp)
def _interpret_reshape(interp, op, args):
    m, shape_buffer = args
    memory.check_live(op, shape_buffer)
    shape = [int(s) for s in shape_buffer.array.reshape(-1)]
    if any(s < 0 for s in shape) or int(np.prod(shape, dtype=np.int64)) != m.array.size:
        raise runtime_error(op, f"cannot reshape {m.array.size} elements into shape {shape}")
    t = op.results[0].type
    if t.shape is not None and any(w not in (DYNAMIC, g) for w, g in zip(t.shape, shape)):
        raise runtime_error(op, f"the shape {shape} does not match {t}")
    return [_reshaped_view(op, m, shape)]


# ----------------------------------------------------------------------------
# extract_strided_metadata


@memref.op
class ExtractStridedMetadataOp(Op):
    """The base buffer (rank 0), offset, sizes and strides of a strided memref."""

    name = "memref.extract_strided_metadata"
    summary = "extracts a buffer base with offset and strides"
    operand_defs = (Operand("source", RankedMemRef),)
    # MLIR's `sizes` and `strides` groups, one value per dimension each
    result_defs = (Result("base_buffer", RankedMemRef), Result("offset", Index),
                   Result("sizes_and_strides", Index, variadic=True))
    traits = frozenset({Pure})
    format = "$source `:` type($source) `->` type(results) attr-dict"

    @property
    def sizes(self):
        return self.results[2:2 + len(self.source.type.shape)]

    @property
    def strides(self):
        return self.results[2 + len(self.source.type.shape):]

    @classmethod
    def infer_result_types(cls, operand_types, attributes, regions=()):
        t = operand_types[0]
        base = dataclasses.replace(t, shape=(), layout=None)
        return [base, index] + [index] * (2 * len(t.shape))

    def verify(self) -> None:
        t = self.source.type
        want = self.infer_result_types([t], {})
        if strides_and_offset(t) is None:
            raise self.emit_error(f"operand #0 must be strided memref of any type values, but got '{t}'")
        if [r.type for r in self.results] != want:
            raise self.emit_error(f"failed to verify that result types match those inferred from the source "
                                  f"'{t}'")


@interpret.register(ExtractStridedMetadataOp)
def _interpret_extract_strided_metadata(interp, op, args):
    m = args[0]
    memory.check_live(op, m)
    base = memory.strided_view(op, m, 0, [], [])
    return [base, m.offset, *m.array.shape, *m.strides]


# identity_strides is re-exported for the backends (descriptor strides of a contiguous view)
__all__ = ["SubViewOp", "ReinterpretCastOp", "ViewOp", "CollapseShapeOp", "ExpandShapeOp", "ReshapeOp",
           "ExtractStridedMetadataOp", "subview_result_type", "collapsed_layout", "expanded_layout",
           "memref_rank_reduction", "strided_type", "identity_strides"]
