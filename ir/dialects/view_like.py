"""What slices, views and reshapes of tensors and memrefs share.

MLIR keeps this in ``OffsetSizeAndStrideOpInterface`` and ``ReshapeOpsUtils``:
the offsets/sizes/strides lists mixing index values and constants (written
with ``custom<DynamicIndexList>``, held as operands plus ``static_*`` arrays
with `DYNAMIC_INDEX` where a value is), their verification with MLIR's
wording, the static bounds check of a slice, rank reduction, and the checks
of a reassociation (which dimensions a collapse or expand merges).
``tensor.extract_slice``/``insert_slice`` and ``memref.subview``/
``reinterpret_cast``/``collapse_shape``/``expand_shape`` all use them.
"""

from __future__ import annotations

from typing import Iterable, List, Optional, Sequence

from ..attributes import DenseArrayAttr
from ..custom_directives import DYNAMIC_INDEX
from ..diagnostics import error
from ..types import DYNAMIC, i64

INDEX_LIST = "custom<DynamicIndexList>"
# the three lists as slices and subviews write them: [offsets] [sizes] [strides]
SLICE_LISTS = (f"{INDEX_LIST}($offsets, $static_offsets) {INDEX_LIST}($sizes, $static_sizes) "
               f"{INDEX_LIST}($strides, $static_strides)")
LIST_NAMES = ("offset", "size", "stride")


def static_index_array(values: Sequence[int]) -> DenseArrayAttr:
    """A static index list (``array<i64: ...>``) from sizes using irc's DYNAMIC for ``?``."""
    return DenseArrayAttr(i64, tuple(DYNAMIC_INDEX if v == DYNAMIC else v for v in values))


def as_dynamic(static: Iterable[int]) -> List[int]:
    """A static index list with irc's DYNAMIC (types' ``?``) where MLIR's kDynamic is."""
    return [DYNAMIC if s == DYNAMIC_INDEX else s for s in static]


def mixed_values(static: Sequence[int], dynamic: Iterable) -> list:
    """The list with each `DYNAMIC_INDEX` replaced by the next of `dynamic` (run-time
    values, or SSA values for a builder)."""
    values = iter(dynamic)
    return [next(values) if s == DYNAMIC_INDEX else s for s in static]


def split_mixed(mixed: Sequence) -> tuple:
    """(dynamic values, static array) from a list of ints and values (MLIR's dispatchIndexOpFoldResults)."""
    dynamic = [v for v in mixed if not isinstance(v, int)]
    return dynamic, DenseArrayAttr(i64, tuple(v if isinstance(v, int) else DYNAMIC_INDEX for v in mixed))


def fold_round_trip(op):
    """The fold of a cast-like op (tensor.cast, tensor.bitcast, memref.cast): a cast to
    its source's own type, or back through a cast of its kind to where that one began,
    is that value."""
    source, dest = op.operands[0], op.results[0].type
    if source.type == dest:
        return [source]
    inner = source.owner
    if type(inner) is type(op) and inner.operands[0].type == dest:
        return [inner.operands[0]]
    return None


def verify_offsets_sizes_strides(op, max_ranks: Sequence[int]) -> None:
    """MLIR's verifyOffsetSizeAndStrideOp, with its wording (errors without the op prefix)."""
    lists = [(what, op.attributes[f"static_{what}s"].values, getattr(op, f"{what}s")) for what in LIST_NAMES]
    (_, offsets, _), (_, sizes, _), (_, strides, _) = lists
    if not (len(offsets) == 1 and max_ranks[0] == 1) and len(offsets) != len(sizes):
        raise error(f"expected mixed offsets rank to match mixed sizes rank ({len(offsets)} vs {len(sizes)}) "
                    "so the rank of the result type is well-formed.", op.location)
    if len(sizes) != len(strides):
        raise error(f"expected mixed sizes rank to match mixed strides rank ({len(sizes)} vs {len(strides)}) "
                    "so the rank of the result type is well-formed.", op.location)
    for (what, static, values), rank in zip(lists, max_ranks):
        if len(static) != rank:
            raise error(f"expected {rank} {what} values, got {len(static)}", op.location)
        dynamic = sum(1 for s in static if s == DYNAMIC_INDEX)
        if dynamic != len(values):
            raise error(f"expected the number of '{what}s' to match the number of dynamic entries in "
                        f"'static_{what}s' ({len(values)} vs {dynamic})", op.location)
    for what, static, _ in lists[:2]:
        for s in static:
            if s != DYNAMIC_INDEX and s < 0:
                raise error(f"expected {what}s to be non-negative, but got {s}", op.location)


def verify_in_bounds(op, shape: Sequence[int], offsets, sizes, strides) -> None:
    """MLIR's verifyInBoundsSlice on the static entries (a slice of static extent
    must end inside a static dimension)."""
    for k, (o, s, st, n) in enumerate(zip(offsets, sizes, strides, shape)):
        if DYNAMIC_INDEX in (o, s, st) or n == DYNAMIC or s == 0:
            continue
        last = o + (s - 1) * st
        if last >= n:
            raise error(f"slice along dimension {k} runs out-of-bounds: {last} >= {n}", op.location)


def rank_reduction_mask(full: Sequence[int], reduced: Sequence[int]) -> Optional[List[bool]]:
    """Which dimensions of `full` are dropped to give `reduced` (MLIR's
    computeRankReductionMask: unit dimensions, matched left to right); None if none do."""
    dropped, j = [], 0
    for d in full:
        if j < len(reduced) and reduced[j] == d:
            dropped.append(False)
            j += 1
        elif d == 1:
            dropped.append(True)
        else:
            return None
    return dropped if j == len(reduced) else None


def reassociation_groups(op) -> List[List[int]]:
    """The op's ``reassociation`` attribute as lists of dimension numbers (a located error,
    in MLIR's wording, when it is not an array of integer arrays)."""
    from ..attributes import ArrayAttr, IntegerAttr

    groups = op.attributes["reassociation"]
    if not isinstance(groups, ArrayAttr) or not all(
            isinstance(g, ArrayAttr) and all(isinstance(i, IntegerAttr) for i in g) for g in groups):
        raise op.emit_error("attribute 'reassociation' failed to satisfy constraint: Array of 64-bit integer "
                            "array attributes")
    return [[int(i.value) for i in group] for group in groups]


def verify_collapsed_shape(op, collapsed: Sequence[int], expanded: Sequence[int], groups) -> None:
    """MLIR's verifyCollapsedShape (ReshapeOpsUtils) with its wording, several dynamic
    dimensions per group allowed, as the memref reshapes allow them."""
    if len(groups) != len(collapsed):
        raise op.emit_error(f"invalid number of reassociation groups: found {len(groups)}, expected {len(collapsed)}")
    nxt = 0
    for k, group in enumerate(groups):
        dynamic = False
        for d in group:
            if d != nxt:
                raise op.emit_error("reassociation indices must be contiguous")
            nxt += 1
            if d >= len(expanded):
                raise op.emit_error(f"reassociation index {d} is out of bounds")
            dynamic = dynamic or expanded[d] == DYNAMIC
        if (collapsed[k] == DYNAMIC) != dynamic:
            raise op.emit_error(f"collapsed dim ({k}) must be dynamic if and only if reassociation group is dynamic")
        if not dynamic:
            size = 1
            for d in group:
                size *= expanded[d]
            if size != collapsed[k]:
                raise op.emit_error(f"collapsed dim size ({collapsed[k]}) must equal reassociation group size ({size})")
    if not collapsed:
        if any(d != 1 for d in expanded):
            raise op.emit_error("rank 0 memrefs can only be extended/collapsed with/from ones")
    elif nxt != len(expanded):
        raise op.emit_error(f"expanded rank ({len(expanded)}) inconsistent with number of reassociation indices ({nxt})")


# ----------------------------------------------------------------------------
# a slice of a slice is one slice


DRY_RUN = object()  # what a composed entry that needs arithmetic is, when `rewriter` is None


def _index_arith(rewriter):
    """mul/add on mixed entries (ints or index values), folding what is constant and
    building ``arith.muli``/``addi`` before the rewriter's insertion point otherwise
    (`rewriter` None: a dry run, DRY_RUN standing for what would be built)."""
    from .arith import ConstantOp
    from .arith_integer import AddIOp, MulIOp
    from ..attributes import IntegerAttr
    from ..types import index

    def value(x):
        return rewriter.create(ConstantOp, value=IntegerAttr(x, index)).results[0] if isinstance(x, int) else x

    def mul(a, b):
        if isinstance(a, int) and isinstance(b, int):
            return a * b
        if 0 in (a, b):
            return 0
        if a == 1 or b == 1:
            return b if a == 1 else a
        if rewriter is None:
            return DRY_RUN
        return rewriter.create(MulIOp, value(a), value(b)).results[0]

    def add(a, b):
        if isinstance(a, int) and isinstance(b, int):
            return a + b
        if a == 0 or b == 0:
            return b if a == 0 else a
        if rewriter is None:
            return DRY_RUN
        return rewriter.create(AddIOp, value(a), value(b)).results[0]

    return mul, add


def mixed_lists(op) -> tuple:
    """The op's (offsets, sizes, strides), each a list of ints and index values."""
    return tuple(mixed_values(op.attributes[f"static_{w}s"].values, getattr(op, f"{w}s")) for w in LIST_NAMES)


def compose_slices(rewriter, inner: tuple, outer: tuple, inner_dropped: Sequence[bool]) -> tuple:
    """The (offsets, sizes, strides) of the box that `outer` (a box of `inner`'s result)
    takes of `inner`'s source: offset = inner offset + outer offset × inner stride,
    stride = inner stride × outer stride; dimensions `inner` drops keep its entries.
    With `rewriter` None, a dry run: what needs arithmetic is DRY_RUN (a dynamic entry)."""
    mul, add = _index_arith(rewriter)
    offsets, sizes, strides = [], [], []
    k = 0
    for d, dropped in enumerate(inner_dropped):
        if dropped:
            offsets.append(inner[0][d]), sizes.append(1), strides.append(inner[2][d])
            continue
        offsets.append(add(inner[0][d], mul(outer[0][k], inner[2][d])))
        sizes.append(outer[1][k])
        strides.append(mul(inner[2][d], outer[2][k]))
        k += 1
    return offsets, sizes, strides


def slice_attributes(lists: tuple) -> tuple:
    """(operand groups, static attributes) of mixed (offsets, sizes, strides) lists."""
    groups, attrs = [], {}
    for what, mixed in zip(LIST_NAMES, lists):
        dynamic, static = split_mixed(mixed)
        groups.append(dynamic)
        attrs[f"static_{what}s"] = static
    return groups, attrs
