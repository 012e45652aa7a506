"""LLVM translation of the memref ops beyond load/store/alloc: views (subview,
reinterpret_cast, view, collapse_shape, expand_shape, reshape,
extract_strided_metadata), copy, rank, atomic_rmw, and globals.

A view is a new descriptor over the same allocation, computed as MLIR's
MemRefToLLVM lowering computes it.  Where the interpreter checks a view at
run time and the descriptor knows enough to check it too (a subview inside
its source, a view inside its byte buffer, a reshape keeping the element
count, a copy between equal shapes), the compiled code records the
interpreter's error and makes the view empty (sizes 0), so later accesses
through it fail their own bounds checks instead of touching memory.  A
reinterpret_cast is trusted, as in MLIR: the descriptor does not know its
allocation's size (the interpreter checks it).

``memref.atomic_rmw`` is a load, the combination and a store: compiled code
runs on one thread (``scf.parallel``/``scf.forall`` are loops).
``memref.global`` is an LLVM global (a constant one is read-only memory);
``get_global``'s descriptor has MLIR's ``0xdeadbeef`` allocated pointer, by
which the JIT knows not to free it.
"""

from __future__ import annotations

import llvmlite.ir as ll
import numpy as np

from irc.attributes import DenseElementsAttr
from irc.custom_directives import DYNAMIC_INDEX
from irc.dialects import memref as MR
from irc.dialects import memref_globals as MG
from irc.dialects import memref_views as MV
from irc.dialects.view_like import mixed_values, reassociation_groups

from .memref import (GLOBAL_SENTINEL, _sizes, _strides, descriptor_type, element_pointer, first_failing, on_stack,
                     read_only, writable)
from .scf import counted_loop
from .translation import I64, PTR, llvm_type, translate_module_op, translate_to_llvm, unsupported

I1 = ll.IntType(1)
ZERO, ONE = ll.Constant(I64, 0), ll.Constant(I64, 1)


def _descriptor(t, op, result_type, allocated, aligned, offset, sizes, strides, source=None, valid=None):
    """A descriptor of `result_type`; with `valid` (an i1) its sizes are 0 where it is false.
    A view of a stack buffer stays one (returning it is refused)."""
    b = t.b
    desc = ll.Constant(descriptor_type(result_type, op), None)
    desc = b.insert_value(desc, allocated, 0)
    desc = b.insert_value(desc, aligned, 1)
    desc = b.insert_value(desc, offset, 2)
    for d, (n, s) in enumerate(zip(sizes, strides)):
        if valid is not None:
            n = b.select(valid, n, ZERO)
        desc = b.insert_value(desc, n, [3, d])
        desc = b.insert_value(desc, s, [4, d])
    for tagged in (on_stack(t), read_only(t)):
        if source is not None and source in tagged:
            tagged.add(desc)
    return desc


def _mixed(t, op, static, dynamic):
    """LLVM index values of a mixed static/dynamic list."""
    return [v if not isinstance(v, int) else ll.Constant(I64, v) for v in mixed_values(static, iter(dynamic))]


def _slice_lists(t, op, args):
    """(offsets, sizes, strides) of a subview or reinterpret_cast as LLVM index values
    (the operand groups split as the interpreter splits them)."""
    return [_mixed(t, op, s, g) for s, g in zip(op.static_lists(), MV._groups(op, args))]


def _ranked(op, what: str, *types) -> None:
    """A located error unless every one of `types` is a ranked memref."""
    if any(t.shape is None for t in types):
        raise unsupported(op, f"{what} an unranked memref; the LLVM backend translates ranked memrefs")


@translate_to_llvm.register(MV.SubViewOp)
def _subview(t, op, args):
    b = t.b
    src = args[0]
    rank = len(op.source.type.shape)
    offsets, sizes, steps = _slice_lists(t, op, args)
    extents, base_strides = _sizes(b, src, rank), _strides(b, src, rank)
    ok, fits = ll.Constant(I1, 1), []
    for o, n, st, extent in zip(offsets, sizes, steps, extents):
        last = b.add(o, b.mul(b.sub(n, ONE), st))
        inside = b.and_(b.icmp_unsigned("<", o, extent), b.icmp_unsigned("<", last, extent))
        empty = b.icmp_signed("==", n, ZERO)
        fits.append(b.and_(b.icmp_signed(">=", n, ZERO), b.or_(empty, inside)))
        ok = b.and_(ok, fits[-1])
    if rank:
        with b.if_then(b.not_(ok), likely=False):  # the interpreter's words for the first dimension that fails
            d, o, n, st, extent = first_failing(b, fits, [ll.Constant(I64, d) for d in range(rank)], offsets, sizes,
                                                steps, extents)
            negative = b.icmp_signed("<", n, ZERO)
            t.fail_if(negative, op, "negative size {} along dimension {}", n, d)
            t.fail_if(b.not_(negative), op, "subview along dimension {} (offset {}, size {}, stride {}) runs out of "
                                            "bounds of a memref of size {}", d, o, n, st, extent)
    offset = b.extract_value(src, 2)
    for o, s in zip(offsets, base_strides):
        offset = b.add(offset, b.mul(o, s))
    kept = [d for d, dropped in enumerate(op.dropped_dims()) if not dropped]
    return [_descriptor(t, op, op.results[0].type, b.extract_value(src, 0), b.extract_value(src, 1), offset,
                        [sizes[d] for d in kept], [b.mul(steps[d], base_strides[d]) for d in kept], src, ok)]


@translate_to_llvm.register(MV.ReinterpretCastOp)
def _reinterpret_cast(t, op, args):
    b = t.b
    _ranked(op, "casts", op.source.type)
    offsets, sizes, strides = _slice_lists(t, op, args)
    src = args[0]
    return [_descriptor(t, op, op.results[0].type, b.extract_value(src, 0), b.extract_value(src, 1), offsets[0],
                        sizes, strides, src)]


@translate_to_llvm.register(MV.ViewOp)
def _view(t, op, args):
    b = t.b
    src, shift, dynamic = args[0], args[1], args[2:]
    rt = op.results[0].type
    sizes = _mixed(t, op, [DYNAMIC_INDEX if d == MR.DYNAMIC else d for d in rt.shape], dynamic)
    elem_bytes = ll.Constant(I64, _bytes(llvm_type(rt.element_type, op)))
    count = ONE
    for n in sizes:
        count = b.mul(count, n)
    available = b.sub(b.extract_value(src, [3, 0]), shift)
    nbytes = b.mul(count, elem_bytes)
    ok = b.and_(b.icmp_signed(">=", shift, ZERO), b.icmp_signed("<=", nbytes, available))
    for n in sizes:
        ok = b.and_(ok, b.icmp_signed(">=", n, ZERO))
    t.fail_if(b.not_(ok), op, "a view of {} bytes at byte shift {} does not fit in a buffer of {} bytes",
              nbytes, shift, b.extract_value(src, [3, 0]))
    start = b.gep(b.extract_value(src, 1), [b.add(b.extract_value(src, 2), shift)], source_etype=ll.IntType(8))
    return [_descriptor(t, op, rt, b.extract_value(src, 0), start, ZERO, sizes, _row_major(b, sizes), src, ok)]


def _list_of(n: int) -> str:
    """A Python list of `n` values as the interpreter prints one: ``[{}, {}]``."""
    return "[" + ", ".join(["{}"] * n) + "]"


def _bytes(typ) -> int:
    from .translation import size_of

    return size_of(typ)


def _row_major(b, sizes):
    strides, stride = [], ONE
    for n in reversed(sizes):
        strides.append(stride)
        stride = b.mul(stride, n)
    return list(reversed(strides))


@translate_to_llvm.register(MV.CollapseShapeOp)
def _collapse_shape(t, op, args):
    b = t.b
    src = args[0]
    rank = len(op.operands[0].type.shape)
    extents, strides = _sizes(b, src, rank), _strides(b, src, rank)
    sizes, out_strides = [], []
    for group in reassociation_groups(op):
        n = ONE
        for d in group:
            n = b.mul(n, extents[d])
        sizes.append(n)
        # the stride of the innermost dimension of size other than 1 (MLIR's getCollapsedStride)
        out_strides.append(_innermost_nonunit_stride(b, [extents[d] for d in group], [strides[d] for d in group]))
    return [_descriptor(t, op, op.results[0].type, b.extract_value(src, 0), b.extract_value(src, 1),
                        b.extract_value(src, 2), sizes, out_strides, src)]


def _innermost_nonunit_stride(b, extents, strides):
    """The stride of the last dimension whose size is not 1, else of the last dimension."""
    stride = strides[-1]
    found = b.icmp_unsigned("!=", extents[-1], ONE)
    for n, s in zip(reversed(extents[:-1]), reversed(strides[:-1])):
        take = b.and_(b.not_(found), b.icmp_unsigned("!=", n, ONE))
        stride = b.select(take, s, stride)
        found = b.or_(found, take)
    return stride


@translate_to_llvm.register(MV.ExpandShapeOp)
def _expand_shape(t, op, args):
    b = t.b
    src = args[0]
    sizes = _mixed(t, op, op.attributes["static_output_shape"].values, args[1:])
    rank = len(op.operands[0].type.shape)
    extents, src_strides = _sizes(b, src, rank), _strides(b, src, rank)
    strides = [None] * len(sizes)
    ok, splits, products = ll.Constant(I1, 1), [], []
    for k, group in enumerate(reassociation_groups(op)):
        stride = src_strides[k]
        product = ONE
        for d in reversed(group):
            strides[d] = stride
            stride = b.mul(stride, sizes[d])
            product = b.mul(product, sizes[d])
        products.append(product)
        splits.append(b.icmp_signed("==", product, extents[k]))
        ok = b.and_(ok, splits[-1])
    if rank:
        t.fail_if(b.not_(ok), op, f"output_shape {_list_of(len(sizes))} splits dimension {{}} of size {{}} into sizes "
                                  "whose product is {}",
                  lambda: [*sizes, *first_failing(b, splits, [ll.Constant(I64, k) for k in range(rank)], extents,
                                                  products)])
    return [_descriptor(t, op, op.results[0].type, b.extract_value(src, 0), b.extract_value(src, 1),
                        b.extract_value(src, 2), sizes, strides, src, ok)]


@translate_to_llvm.register(MV.ReshapeOp)
def _reshape(t, op, args):
    b = t.b
    src, shape = args
    st, rt = op.operands[0].type, op.results[0].type
    _ranked(op, "reshapes", st, rt)
    index_type = op.operands[1].type.element_type
    sizes = []
    for d in range(len(rt.shape)):
        ptr, _ = element_pointer(t, _ShapeRead(op), shape, [ll.Constant(I64, d)], check=False)
        n = b.load(ptr, typ=llvm_type(index_type, op))
        sizes.append(n if n.type == I64 else b.sext(n, I64))
    count, want = ONE, ONE
    for n in sizes:
        count = b.mul(count, n)
    for n in _sizes(b, src, len(st.shape)):
        want = b.mul(want, n)
    counted = b.icmp_signed("==", count, want)
    for n in sizes:
        counted = b.and_(counted, b.icmp_signed(">=", n, ZERO))
    ok = counted
    for d, n in enumerate(sizes):
        if rt.shape[d] != MR.DYNAMIC:
            ok = b.and_(ok, b.icmp_signed("==", n, ll.Constant(I64, rt.shape[d])))
    t.fail_if(b.not_(counted), op, f"cannot reshape {{}} elements into shape {_list_of(len(sizes))}", want, *sizes)
    t.fail_if(b.and_(counted, b.not_(ok)), op, f"the shape {_list_of(len(sizes))} does not match {rt}", *sizes)
    return [_descriptor(t, op, rt, b.extract_value(src, 0), b.extract_value(src, 1), b.extract_value(src, 2),
                        sizes, _row_major(b, sizes), src, ok)]


class _ShapeRead:
    """element_pointer's view of memref.reshape's shape operand."""

    def __init__(self, op):
        self.memref = op.operands[1]


@translate_to_llvm.register(MV.ExtractStridedMetadataOp)
def _extract_strided_metadata(t, op, args):
    b = t.b
    src = args[0]
    rank = len(op.operands[0].type.shape)
    base = _descriptor(t, op, op.results[0].type, b.extract_value(src, 0), b.extract_value(src, 1), ZERO, [], [], src)
    return [base, b.extract_value(src, 2), *_sizes(b, src, rank), *_strides(b, src, rank)]


@translate_to_llvm.register(MR.RankOp)
def _rank(t, op, args):
    _ranked(op, "asks the rank of", op.operands[0].type)
    return [ll.Constant(I64, len(op.operands[0].type.shape))]


@translate_to_llvm.register(MR.CopyOp)
def _copy(t, op, args):
    b = t.b
    src, dst = args
    st, dt = op.operands[0].type, op.operands[1].type
    _ranked(op, "copies", st, dt)
    rank = len(st.shape)
    a, c = _sizes(b, src, rank), _sizes(b, dst, rank)
    same = ll.Constant(I1, 1)
    for x, y in zip(a, c):
        same = b.and_(same, b.icmp_signed("==", x, y))
    shape = "x".join(["{}"] * rank) or "scalar"
    t.fail_if(b.not_(same), op, f"copies a memref of shape {shape} into one of shape {shape}", *a, *c)
    same = writable(t, op, dst, same)
    elem = llvm_type(st.element_type, op)
    with b.if_then(same):
        def nest(d, ivs):
            if d == rank:
                value = b.load(_address(b, src, ivs, elem), typ=elem)
                b.store(value, _address(b, dst, ivs, elem))
                return []
            return counted_loop(t, op, ZERO, a[d], ONE, [], lambda iv, _: nest(d + 1, ivs + [iv]), name="copy")

        nest(0, [])
    return []


def _address(b, desc, ivs, elem):
    linear = b.extract_value(desc, 2)
    for d, i in enumerate(ivs):
        linear = b.add(linear, b.mul(i, b.extract_value(desc, [4, d])))
    return b.gep(b.extract_value(desc, 1), [linear], source_etype=elem)


_ATOMIC = {
    "addf": lambda b, x, y: b.fadd(x, y), "mulf": lambda b, x, y: b.fmul(x, y),
    "addi": lambda b, x, y: b.add(x, y), "muli": lambda b, x, y: b.mul(x, y),
    "andi": lambda b, x, y: b.and_(x, y), "ori": lambda b, x, y: b.or_(x, y), "xori": lambda b, x, y: b.xor(x, y),
    "assign": lambda b, x, y: y,
    "maxs": lambda b, x, y: b.select(b.icmp_signed(">", x, y), x, y),
    "mins": lambda b, x, y: b.select(b.icmp_signed("<", x, y), x, y),
    "maxu": lambda b, x, y: b.select(b.icmp_unsigned(">", x, y), x, y),
    "minu": lambda b, x, y: b.select(b.icmp_unsigned("<", x, y), x, y),
}  # fmt: skip
_ATOMIC_FLOAT_INTRINSICS = {"maximumf": "llvm.maximum", "minimumf": "llvm.minimum",
                            "maxnumf": "llvm.maxnum", "minnumf": "llvm.minnum"}


@translate_to_llvm.register(MR.AtomicRMWOp)
def _atomic_rmw(t, op, args):
    from .arith import call_intrinsic

    b = t.b
    value, desc, indices = args[0], args[1], args[2:]
    elem = value.type
    ptr, ok = element_pointer(t, op, desc, indices)
    ok = writable(t, op, desc, ok)
    kind = op.kind_name
    before = b.block
    with b.if_then(ok, likely=True):
        old = b.load(ptr, typ=elem)
        if kind in _ATOMIC_FLOAT_INTRINSICS:
            new = call_intrinsic(t, _ATOMIC_FLOAT_INTRINSICS[kind], [old, value])
        else:
            new = _ATOMIC[kind](b, old, value)
        b.store(new, ptr)
        done = b.block
    result = b.phi(elem)
    result.add_incoming(old, done)
    result.add_incoming(ll.Constant(elem, None), before)
    return [result]


class _GlobalTranslation:
    """memref.global: an LLVM global of the element array (internal unless public)."""

    @staticmethod
    def declare(mt, op) -> None:
        t = op.memref_type
        elem = llvm_type(t.element_type, op)
        count = int(np.prod(t.shape, dtype=np.int64)) if t.shape else 1
        g = ll.GlobalVariable(mt.module, ll.ArrayType(elem, count), name=f"_irc_global_{op.sym_name}")
        init = op.attributes.get("initial_value")
        if isinstance(init, DenseElementsAttr):
            from .arith import float_constant

            flat = np.broadcast_to(init.array, tuple(t.shape)).reshape(-1).tolist()
            if isinstance(elem, ll.IntType):
                values = [ll.Constant(elem, int(v) & ((1 << elem.width) - 1)) for v in flat]
            else:
                values = [float_constant(elem, float(v)) for v in flat]
            g.initializer = ll.Constant(ll.ArrayType(elem, count), values)
        elif init is None:
            raise unsupported(op, "declares an external global; the LLVM backend translates defined globals")
        else:
            g.initializer = ll.Constant(ll.ArrayType(elem, count), None)
        g.linkage = "internal"  # writable memory even when constant: stores are refused where they are seen
        align = op.attributes.get("alignment")
        if align is not None:
            g.align = align.value
        mt.globals_by_name[op.sym_name] = g

    @staticmethod
    def define(mt, op) -> None:
        pass


translate_module_op.register_value(MG.GlobalOp, _GlobalTranslation())


@translate_to_llvm.register(MG.GetGlobalOp)
def _get_global(t, op, args):
    g = t.mt.globals_by_name.get(op.attributes["name"].root)
    if g is None:
        raise unsupported(op, "names a global this module does not define")
    rt = op.results[0].type
    b = t.b
    sizes = [ll.Constant(I64, n) for n in rt.shape]
    sentinel = ll.Constant(I64, GLOBAL_SENTINEL).inttoptr(PTR)
    desc = _descriptor(t, op, rt, sentinel, b.bitcast(g, PTR), ZERO, sizes, _row_major(b, sizes))
    if op.global_op() is not None and op.global_op().is_constant:
        read_only(t).add(desc)
    return [desc]
