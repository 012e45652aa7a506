"""Bufferization models of the tensor dialect (MLIR's
TensorBufferizableOpInterfaceImpl): what each op reads, writes and aliases,
and the memref ops it becomes.

- ``empty`` → ``memref.alloc``; ``extract`` → ``memref.load``; ``insert`` →
  ``memref.store`` into its dest's buffer (written in place); ``dim`` →
  ``memref.dim``; ``rank`` → a constant; ``cast`` → ``memref.cast``.
- ``extract_slice`` → ``memref.subview`` (a view: aliases its source);
  ``insert_slice`` → a subview of the dest and ``memref.copy`` into it (no
  copy when the source already is that subview: the matching
  extract/insert pair of an in-place loop); ``parallel_insert_slice`` the
  same, before its ``scf.forall.in_parallel`` (which ends up empty).
- ``collapse_shape``/``expand_shape``/``reshape`` → their memref views (of a
  contiguous copy when the source is a strided view).
- ``from_elements``, ``splat``, ``generate``, ``pad`` and ``concat`` write a
  new buffer: stores, loop nests running the body, and copies into subviews.
"""

from __future__ import annotations

from typing import List

from ..attributes import StridedLayoutAttr
from ..bufferizable import Bufferizable
from ..custom_directives import DYNAMIC_INDEX
from ..types import DYNAMIC, MemRefType, TensorType, index
from . import tensor as T
from . import tensor_parallel as TP
from . import tensor_regions as TR
from . import tensor_shapes as TS


def _load_store():
    from .memref import LoadOp, StoreOp

    return LoadOp, StoreOp


def _fully_dynamic_layout(rank: int) -> StridedLayoutAttr:
    return StridedLayoutAttr(tuple([DYNAMIC] * rank), DYNAMIC)


class _Allocating(Bufferizable):
    """An op that makes a new tensor without reading a tensor: a fresh buffer."""

    def reads(self, op, index):
        return False


@Bufferizable.implement(T.EmptyOp)
class _Empty(_Allocating):
    def bufferize(self, op, state):
        b = state.builder_before(op)
        state.replace(op, [state.allocate(b, op.results[0].type, list(op.operands))])


@Bufferizable.implement(T.ExtractOp)
class _Extract(Bufferizable):
    def bufferize(self, op, state):
        LoadOp, _ = _load_store()
        b = state.builder_before(op)
        load = b.create(LoadOp, state.buffer(op.operands[0]), list(op.operands[1:]),
                        result_types=[op.results[0].type])
        state.replace(op, [load.results[0]])


@Bufferizable.implement(T.InsertOp)
class _Insert(Bufferizable):
    def writes(self, op, index):
        return index == 1

    def aliases(self, op, index):
        return [(op.results[0], True)] if index == 1 else []

    def bufferize(self, op, state):
        _, StoreOp = _load_store()
        b = state.builder_before(op)
        dest = state.buffer(op.operands[1])
        b.create(StoreOp, op.operands[0], dest, list(op.operands[2:]))
        state.replace(op, [dest])


@Bufferizable.implement(T.DimOp)
class _Dim(Bufferizable):
    def reads(self, op, index):
        return False  # only the shape

    def bufferize(self, op, state):
        from .memref import DimOp

        b = state.builder_before(op)
        dim = b.create(DimOp, state.buffer(op.operands[0]), op.operands[1], result_types=[index])
        state.replace(op, [dim.results[0]])


@Bufferizable.implement(T.RankOp)
class _Rank(Bufferizable):
    def reads(self, op, index):
        return False

    def bufferize(self, op, state):
        b = state.builder_before(op)
        state.replace(op, [state.index_constant(b, op.operands[0].type.rank)])


@Bufferizable.implement(T.CastOp)
class _Cast(Bufferizable):
    def reads(self, op, index):
        return False

    def aliases(self, op, index):
        return [(op.results[0], True)]

    def bufferize(self, op, state):
        b = state.builder_before(op)
        source = state.buffer(op.operands[0])
        t = op.results[0].type
        layout = None if source.type.layout is None else _fully_dynamic_layout(t.rank)
        state.replace(op, [state.cast(b, source, MemRefType(t.shape, t.element_type, layout,
                                                            source.type.memory_space))])


# ----------------------------------------------------------------------------
# slices


def _subview(state, b, source, slice_op, result_tensor_type):
    """``memref.subview`` of `source` over `slice_op`'s box, rank-reduced to `result_tensor_type`."""
    from .memref_views import SubViewOp, subview_result_type

    groups, attrs = slice_op.box_operands()
    static = [attrs[f"static_{w}s"].values for w in ("offset", "size", "stride")]
    full = subview_result_type(source.type, *static)
    result_type = full
    if len(result_tensor_type.shape) != len(full.shape):
        mask = TS.rank_reduction_mask(list(full.shape), list(result_tensor_type.shape))
        strides, offset = _strides_offset(full)
        kept = tuple(s for s, dropped in zip(strides, mask) if not dropped)
        result_type = MemRefType(tuple(result_tensor_type.shape), full.element_type,
                                 StridedLayoutAttr(kept, offset), full.memory_space)
    view = b.create(SubViewOp, source, *groups, result_types=[result_type], attributes=attrs).results[0]
    return state.alias(view, [source])


def _strides_offset(t: MemRefType):
    from .memref import strides_and_offset

    return strides_and_offset(t)


def _same_box(a, b) -> bool:
    """Two slice-like ops (tensor or memref) over the same box: equal static lists and
    the same dynamic values."""
    for name in ("static_offsets", "static_sizes", "static_strides"):
        if a.attributes.get(name) != b.attributes.get(name):
            return False
    return list(a.offsets) + list(a.sizes) + list(a.strides) == list(b.offsets) + list(b.sizes) + list(b.strides)


@Bufferizable.implement(TS.ExtractSliceOp)
class _ExtractSlice(Bufferizable):
    def reads(self, op, index):
        return False  # a view; what reads it reads the source

    def aliases(self, op, index):
        return [(op.results[0], False)] if index == 0 else []

    def bufferize(self, op, state):
        b = state.builder_before(op)
        state.replace(op, [_subview(state, b, state.buffer(op.operands[0]), op, op.results[0].type)])


@Bufferizable.implement(TS.InsertSliceOp)
class _InsertSlice(Bufferizable):
    def reads(self, op, index):
        if index == 0:
            return True
        if index != 1:
            return False
        # the dest is not read when the slice covers all of it
        dest = op.operands[1].type
        offsets, sizes, strides = (op.attributes[f"static_{w}s"].values for w in ("offset", "size", "stride"))
        return not (all(o == 0 for o in offsets) and all(s == 1 for s in strides)
                    and tuple(sizes) == tuple(dest.shape) and DYNAMIC not in dest.shape)

    def writes(self, op, index):
        return index == 1

    def aliases(self, op, index):
        return [(op.results[0], True)] if index == 1 else []

    def matching_subset(self, op, index, analysis, written):
        """A slice extracted from the dest at this op's box, written and inserted back:
        the dest's read (index 1) does not see a write into that slice, nor does this
        op's own read of its source (index 0) see its write of the dest."""
        if index not in (0, 1):
            return False
        for v in analysis.origin_chain(written if index == 1 else op.operands[0]):
            source_op = v.defining_op
            if (isinstance(source_op, TS.ExtractSliceOp) and _same_box(source_op, op)
                    and analysis.equivalent_values(source_op.operands[0], op.operands[1])):
                return True
        return False

    def bufferize(self, op, state):
        dest = state.buffer(op.operands[1])
        _copy_into_box(state, state.builder_before(op), op, dest)
        state.replace(op, [dest])


def _copy_into_box(state, b, op, dest) -> None:
    """Copy the buffer of `op`'s source (operand 0) into a subview of `dest` over `op`'s box,
    unless the source already is that subview (an in-place extract/insert pair)."""
    source = state.buffer(op.operands[0])
    view = state.equivalent_root.get(source)  # the subview the source is, if it is one
    producer = view.defining_op if view is not None else None
    already_there = (producer is not None and producer.op_name == "memref.subview"
                     and state.equivalent_root.get(producer.operands[0]) is state.equivalent_root.get(dest)
                     and state.equivalent_root.get(dest) is not None and _same_box(producer, op))
    if not already_there:
        view = _subview(state, b, dest, op, op.operands[0].type)
        state.copy(b, source, view)


@Bufferizable.implement(TP.ParallelInsertSliceOp)
class _ParallelInsertSlice(Bufferizable):
    """A subview of the shared output's buffer and a copy, placed before the combining
    terminator (MLIR's model).  Its write into the output is decided at the scf.forall
    (the output operand is written there), so it is always in place, as in MLIR."""

    def reads(self, op, index):
        return index == 0

    def bufferize(self, op, state):
        b = state.builder_before(op.parent_op)
        _copy_into_box(state, b, op, state.buffer(op.operands[1]))
        state.replace(op, [])


# ----------------------------------------------------------------------------
# reshapes: views of a contiguous buffer


def _contiguous(state, b, buffer):
    """`buffer`, or an identity-layout copy of it when it is a strided view."""
    if buffer.type.layout is None:
        return buffer
    copy = state.allocate_like(b, buffer, TensorType(buffer.type.shape, buffer.type.element_type))
    state.copy(b, buffer, copy)
    return copy


class _ReshapeView(Bufferizable):
    """collapse_shape/expand_shape/reshape: the same buffer seen with another shape."""

    memref_op = ""

    def reads(self, op, index):
        return False

    def aliases(self, op, index):
        return [(op.results[0], True)] if index == 0 else []

    def bufferize(self, op, state):
        from ..context import current_context

        b = state.builder_before(op)
        source = _contiguous(state, b, state.buffer(op.operands[0]))
        operands = [source] + [state.buffer(v) if isinstance(v.type, TensorType) else v for v in op.operands[1:]]
        t = op.results[0].type
        cls = current_context().ops[self.memref_op]
        kept = {k: v for k, v in op.attributes.items() if k != "operandSegmentSizes"}
        view = b.create(cls, *operands, result_types=[MemRefType(t.shape, t.element_type)], attributes=kept)
        state.replace(op, [state.alias(view.results[0], [source], equivalent=True)])


@Bufferizable.implement(TS.CollapseShapeOp)
class _Collapse(_ReshapeView):
    memref_op = "memref.collapse_shape"


@Bufferizable.implement(TS.ExpandShapeOp)
class _Expand(_ReshapeView):
    memref_op = "memref.expand_shape"

    def bufferize(self, op, state):
        from .memref_views import ExpandShapeOp

        b = state.builder_before(op)
        source = _contiguous(state, b, state.buffer(op.operands[0]))
        t = op.results[0].type
        kept = {k: v for k, v in op.attributes.items() if k != "operandSegmentSizes"}
        view = b.create(ExpandShapeOp, source, list(op.operands[1:]), result_types=[MemRefType(t.shape,
                                                                                              t.element_type)],
                        attributes=kept)
        state.replace(op, [state.alias(view.results[0], [source], equivalent=True)])


@Bufferizable.implement(TS.ReshapeOp)
class _Reshape(_ReshapeView):
    memref_op = "memref.reshape"

    def reads(self, op, index):
        return index == 1  # the shape operand is read


# ----------------------------------------------------------------------------
# ops that fill a new buffer


@Bufferizable.implement(T.FromElementsOp)
class _FromElements(_Allocating):
    def bufferize(self, op, state):
        from ..lazy_numpy import np

        _, StoreOp = _load_store()
        b = state.builder_before(op)
        t = op.results[0].type
        buf = state.allocate(b, t)
        for k, v in enumerate(op.operands):
            idx = [state.index_constant(b, int(i)) for i in np.unravel_index(k, t.shape)] if t.shape else []
            b.create(StoreOp, v, buf, idx)
        state.replace(op, [buf])


@Bufferizable.implement(T.SplatOp)
class _Splat(_Allocating):
    def bufferize(self, op, state):
        _, StoreOp = _load_store()
        b = state.builder_before(op)
        buf = state.allocate(b, op.results[0].type, list(op.operands[1:]))
        state.loop_nest(b, state.sizes(b, buf), lambda inner, ivs: inner.create(StoreOp, op.operands[0], buf, ivs))
        state.replace(op, [buf])


def _inline_body(state, builder, region, arguments, store_into, offsets=None):
    """Clone `region`'s block at `builder` with its arguments bound to `arguments`, and
    store what its ``tensor.yield`` yields into `store_into` at `arguments` (+ `offsets`)."""
    _, StoreOp = _load_store()
    block = region.blocks[0]
    mapping = dict(zip(block.arguments, arguments))
    for inner in block.ops:
        if isinstance(inner, TR.YieldOp):
            builder.create(StoreOp, mapping.get(inner.operands[0], inner.operands[0]), store_into, list(arguments))
            break
        builder.insert(inner.clone(mapping))


@Bufferizable.implement(TR.GenerateOp)
class _Generate(_Allocating):
    def bufferize(self, op, state):
        b = state.builder_before(op)
        buf = state.allocate(b, op.results[0].type, list(op.operands))
        state.loop_nest(b, state.sizes(b, buf), lambda inner, ivs: _inline_body(state, inner, op.regions[0], ivs, buf))
        state.replace(op, [buf])


def _box_values(state, b, static, dynamic) -> List:
    """Index values for a static list with DYNAMIC_INDEX where `dynamic` supplies one."""
    values = iter(dynamic)
    return [next(values) if s == DYNAMIC_INDEX else state.index_constant(b, s) for s in static]


@Bufferizable.implement(TR.PadOp)
class _Pad(Bufferizable):
    def reads(self, op, index):
        return index == 0

    def bufferize(self, op, state):
        from .arith import AddIOp
        from .memref_views import SubViewOp

        b = state.builder_before(op)
        source = state.buffer(op.operands[0])
        low_static, high_static = op._amounts()
        low = _box_values(state, b, low_static, op.low)
        high = _box_values(state, b, high_static, op.high)
        source_sizes = state.sizes(b, source)
        result_sizes = [b.create(AddIOp, b.create(AddIOp, n, lo).results[0], hi).results[0]
                        for n, lo, hi in zip(source_sizes, low, high)]
        t = op.results[0].type
        dynamic = [s for s, d in zip(result_sizes, t.shape) if d == DYNAMIC]
        buf = state.allocate(b, t, dynamic)
        state.loop_nest(b, result_sizes, lambda inner, ivs: _inline_body(state, inner, op.regions[0], ivs, buf))
        view = b.create(SubViewOp, buf, low, source_sizes, [], attributes=_dynamic_box_attrs(t.rank)).results[0]
        state.alias(view, [buf])
        state.copy(b, source, view)
        state.replace(op, [buf])


def _dynamic_box_attrs(rank: int) -> dict:
    from .tensor_shapes import static_index_array

    dyn = static_index_array([DYNAMIC] * rank)
    return {"static_offsets": dyn, "static_sizes": dyn, "static_strides": static_index_array([1] * rank)}


@Bufferizable.implement(TR.ConcatOp)
class _Concat(Bufferizable):
    def bufferize(self, op, state):
        from .arith import AddIOp
        from .memref_views import SubViewOp

        b = state.builder_before(op)
        axis, t = op.axis, op.results[0].type
        inputs = [state.buffer(v) for v in op.operands]
        sizes = [state.sizes(b, buf) for buf in inputs]
        total = sizes[0][axis]
        for s in sizes[1:]:
            total = b.create(AddIOp, total, s[axis]).results[0]
        result_sizes = list(sizes[0])
        result_sizes[axis] = total
        buf = state.allocate(b, t, [s for s, d in zip(result_sizes, t.shape) if d == DYNAMIC])
        offset = state.index_constant(b, 0)
        zero = offset
        for source, s in zip(inputs, sizes):
            offsets = [offset if k == axis else zero for k in range(t.rank)]
            view = b.create(SubViewOp, buf, offsets, list(s), [], attributes=_dynamic_box_attrs(t.rank)).results[0]
            state.alias(view, [buf])
            state.copy(b, source, view)
            offset = b.create(AddIOp, offset, s[axis]).results[0]
        state.replace(op, [buf])

