"""LLVM translation of the memref dialect with MLIR's descriptor layout.

A ranked memref is the struct MLIR's LLVM lowering uses,
``{ptr allocated, ptr aligned, i64 offset, [rank x i64] sizes, [rank x i64] strides}``;
element (i, j, ...) is at ``aligned + offset + i*stride0 + j*stride1 + ...``
(in elements).  Loads and stores check every index against its size, as the
interpreter does (an out-of-bounds access records the interpreter's error
and is skipped, so it never touches memory).  `memref.alloc` is malloc with
row-major strides, `memref.dealloc` frees (both through allocations.py's list of
live buffers, which a call that fails frees); `memref.alloca` with static sizes
is a stack slot in the function's entry.  Use-after-free and double free are
the interpreter's to find (tests/ run both).
"""

from __future__ import annotations

import llvmlite.ir as ll

from irc.dialects import memref as MR
from irc.types import MemRefType

from .allocations import tracked_free, tracked_malloc
from .translation import I64, PTR, indexed_access, llvm_type, size_of, translate_to_llvm, unsupported

DYNAMIC = MR.DYNAMIC
GLOBAL_SENTINEL = 0xDEADBEEF  # the allocated pointer of a memref.global's descriptor, as MLIR's lowering sets it


def descriptor_type(t: MemRefType, op=None) -> ll.Type:
    """MLIR's memref descriptor struct for a ranked memref type."""
    if t.shape is None:
        raise unsupported(op, f"uses the unranked {t}; the LLVM backend translates ranked memrefs")
    rank = len(t.shape)
    fields = [PTR, PTR, I64]
    if rank:
        fields += [ll.ArrayType(I64, rank), ll.ArrayType(I64, rank)]
    return ll.LiteralStructType(fields)


def _sizes(b, desc, rank):
    return [b.extract_value(desc, [3, d]) for d in range(rank)]


def _strides(b, desc, rank):
    return [b.extract_value(desc, [4, d]) for d in range(rank)]


def element_pointer(t, op, desc, indices, check: bool = True):
    """(pointer to the element, in-bounds i1) for `indices` into `desc`."""
    b = t.b
    mt = op.memref.type if hasattr(op, "memref") else op.operands[0].type
    rank = len(indices)
    ok = ll.Constant(ll.IntType(1), 1)
    sizes = _sizes(b, desc, rank)
    inside = [b.icmp_unsigned("<", i, n) for i, n in zip(indices, sizes)]  # 0 <= i < n as one unsigned test
    for flag in inside:
        ok = b.and_(ok, flag)
    if check and rank:
        braces = ", ".join(["{}"] * rank)
        message = f"index [{braces}] is out of bounds for a memref of shape {'x'.join(['{}'] * rank)} " \
                  "(dimension {} has size {})"
        t.fail_if(b.not_(ok), op, message,
                  lambda: [*indices, *sizes, *first_failing(b, inside, [ll.Constant(I64, d) for d in range(rank)], sizes)])
    linear = b.extract_value(desc, 2)
    for i, s in zip(indices, _strides(b, desc, rank)):
        linear = b.add(linear, b.mul(i, s))
    elem = llvm_type(mt.element_type, op)
    base = b.extract_value(desc, 1)
    return b.gep(base, [linear], source_etype=elem), ok


def first_failing(b, passed, *columns):
    """The entries of `columns` (lists of values, one per dimension) at the first dimension
    whose `passed` flag is false, as the interpreter names the first dimension that fails."""
    chosen = [column[-1] for column in columns]
    for k in reversed(range(len(passed) - 1)):
        chosen = [b.select(passed[k], c, column[k]) for c, column in zip(chosen, columns)]
    return chosen


indexed_access.register(MR.LoadOp)(lambda op: (op.memref, list(op.indices)))
indexed_access.register(MR.StoreOp)(lambda op: (op.memref, list(op.indices)))


@translate_to_llvm.register(MR.LoadOp)
def _load(t, op, args):
    b = t.b
    elem = llvm_type(op.results[0].type, op)
    if op in t.unchecked:  # its loop checked the whole range before it started
        return [b.load(element_pointer(t, op, args[0], args[1:], check=False)[0], typ=elem)]
    ptr, ok = element_pointer(t, op, args[0], args[1:])
    before = b.block
    with b.if_then(ok, likely=True):
        value = b.load(ptr, typ=elem)
        loaded = b.block
    phi = b.phi(elem)
    phi.add_incoming(value, loaded)
    phi.add_incoming(ll.Constant(elem, None), before)
    return [phi]


@translate_to_llvm.register(MR.StoreOp)
def _store(t, op, args):
    b = t.b
    if op in t.unchecked and args[1] not in read_only(t):
        b.store(args[0], element_pointer(t, op, args[1], args[2:], check=False)[0])
        return []
    ptr, ok = element_pointer(t, op, args[1], args[2:])
    ok = writable(t, op, args[1], ok)
    with b.if_then(ok, likely=True):
        b.store(args[0], ptr)
    return []


@translate_to_llvm.register(MR.DimOp)
def _dim(t, op, args):
    b = t.b
    desc, d = args
    rank = len(op.source.type.shape)
    t.fail_if(b.icmp_unsigned(">=", d, ll.Constant(I64, rank)), op,
              f"dimension index {{}} is out of range for a memref of rank {rank}", d)
    if rank == 0:
        return [ll.Constant(I64, 0)]
    result = ll.Constant(I64, 0)
    for k, n in enumerate(_sizes(b, desc, rank)):
        result = b.select(b.icmp_unsigned("==", d, ll.Constant(I64, k)), n, result)
    return [result]


def _fill(t, mtype, op, data, dynamic_sizes):
    """A descriptor over `data` with `mtype`'s sizes (dynamic ones from operands) and row-major strides."""
    b = t.b
    desc_t = descriptor_type(mtype, op)
    desc = ll.Constant(desc_t, None)
    desc = b.insert_value(desc, data, 0)
    desc = b.insert_value(desc, data, 1)
    desc = b.insert_value(desc, ll.Constant(I64, 0), 2)
    sizes, dyn = [], iter(dynamic_sizes)
    for s in mtype.shape:
        sizes.append(next(dyn) if s == DYNAMIC else ll.Constant(I64, s))
    stride = ll.Constant(I64, 1)
    strides = []
    for n in reversed(sizes):
        strides.append(stride)
        stride = b.mul(stride, n)
    strides.reverse()
    for d, (n, s) in enumerate(zip(sizes, strides)):
        desc = b.insert_value(desc, n, [3, d])
        desc = b.insert_value(desc, s, [4, d])
    return desc, stride  # stride: the element count


def _check_layout(op, mtype):
    if mtype.layout is not None:
        raise unsupported(op, f"allocates {mtype} with a layout; the LLVM backend allocates row-major memrefs")


def _element_bytes(elem: ll.Type) -> int:
    return size_of(elem)


@translate_to_llvm.register(MR.AllocOp)
def _alloc(t, op, args):
    mtype = op.results[0].type
    _check_layout(op, mtype)
    b = t.b
    elem = llvm_type(mtype.element_type, op)
    static = 1
    for s in mtype.shape:
        if s != DYNAMIC:
            static *= s
    # the byte count in 128 bits, saturated at 2^63 after each product: a size past what memory
    # can hold (or a negative one, read unsigned) asks malloc for SIZE_MAX, which fails, rather
    # than wrapping to a small buffer that in-bounds indices would overrun
    wide, cap = ll.IntType(128), ll.Constant(ll.IntType(128), 1 << 63)
    count = ll.Constant(wide, min(static * _element_bytes(elem), 1 << 63))
    dynamic_dims = [d for d, s in enumerate(mtype.shape) if s == DYNAMIC]
    for d, n in zip(dynamic_dims, args):
        t.fail_if(b.icmp_signed("<", n, ll.Constant(I64, 0)), op, f"dynamic size {{}} of dimension {d} is negative", n)
        count = b.mul(count, b.zext(n, wide))
        count = b.select(b.icmp_unsigned(">", count, cap), cap, count)
    too_big = b.icmp_unsigned(">", count, ll.Constant(wide, 1 << 62))
    nbytes = b.select(too_big, ll.Constant(I64, -1), b.trunc(count, I64))
    malloc = tracked_malloc(t.mt)  # freed if the call fails later (allocations.py)
    # malloc(0) may return NULL: allocate at least one byte
    data = b.call(malloc, [b.select(b.icmp_unsigned("==", nbytes, ll.Constant(I64, 0)), ll.Constant(I64, 1), nbytes)])
    null = b.icmp_unsigned("==", data, ll.Constant(PTR, None))
    t.fail_if(null, op, "cannot allocate the buffer (out of memory)")
    with b.if_then(null, likely=False):  # no later access of it would be harmless
        t.mt.unwind(b)
    return [_fill(t, mtype, op, data, list(args))[0]]


@translate_to_llvm.register(MR.AllocaOp)
def _alloca(t, op, args):
    mtype = op.results[0].type
    _check_layout(op, mtype)
    if any(s == DYNAMIC for s in mtype.shape):
        raise unsupported(op, "has dynamic sizes; the LLVM backend translates memref.alloca of static shape")
    count = 1
    for s in mtype.shape:
        count *= s
    slot = t.alloca(ll.ArrayType(llvm_type(mtype.element_type, op), max(count, 1)))
    desc = _fill(t, mtype, op, slot, [])[0]
    on_stack(t, op).add(desc)
    return [desc]


def read_only(t) -> set:
    """The descriptors of this function that view a constant memref.global (kept through view
    ops): a store through one records the interpreter's error instead of writing."""
    return t.state.setdefault("memref.read_only", set())


def on_stack(t, op=None) -> set:
    """The descriptors of this function that view a memref.alloca (kept through view ops):
    returning one would hand the caller a dead stack frame, refused when the function ends."""
    found = t.state.get("memref.stack")
    if found is None:
        found = t.state["memref.stack"] = set()

        def check(ft):
            for value, result in zip(ft.returned, ft.function.function_type().results):
                if value in found:
                    ret = ft.function.return_op()
                    raise unsupported(ret or ft.op, f"returns a view of a 'memref.alloca' ({result}), which dies with "
                                                    "the call; allocate it with 'memref.alloc' to return it")

        t.at_exit.append(check)
    return found


def writable(t, op, desc, ok):
    """`ok` and not a view of a constant global (then the interpreter's error is recorded)."""
    if desc in read_only(t):
        t.fail_if(ll.Constant(ll.IntType(1), 1), op, "writes to a constant 'memref.global'")
        return ll.Constant(ll.IntType(1), 0)
    return ok


@translate_to_llvm.register(MR.DeallocOp)
def _dealloc(t, op, args):
    b = t.b
    free = tracked_free(t.mt)
    allocated = b.extract_value(args[0], 0)
    is_global = b.icmp_unsigned("==", b.ptrtoint(allocated, I64), ll.Constant(I64, GLOBAL_SENTINEL))
    t.fail_if(is_global, op, "frees the buffer of a 'memref.global'")
    with b.if_then(b.not_(is_global)):
        b.call(free, [allocated])
    return []


@translate_to_llvm.register(MR.CastOp)
def _cast(t, op, args):
    src, dst = op.operands[0].type, op.results[0].type
    if src.shape is None or dst.shape is None:
        raise unsupported(op, "casts to or from an unranked memref; the LLVM backend translates ranked memrefs")
    b = t.b
    desc = args[0]
    ok = ll.Constant(ll.IntType(1), 1)
    for d, (want, n) in enumerate(zip(dst.shape, _sizes(b, desc, len(dst.shape)))):
        if want != DYNAMIC:
            ok = b.and_(ok, b.icmp_unsigned("==", n, ll.Constant(I64, want)))
    shape = "x".join(["{}"] * len(dst.shape)) or "scalar"
    t.fail_if(b.not_(ok), op, f"cannot cast a memref of shape {shape} to {dst}", *_sizes(b, desc, len(dst.shape)))
    _check_cast_strides(t, op, dst, desc, ok)
    return [desc]


def _check_cast_strides(t, op, dst, desc, shape_ok):
    """The static strides of `dst`'s layout against the descriptor's, where a dimension has
    more than one element (after the sizes, in the interpreter's words: memory.check_layout)."""
    layout = MR.strides_and_offset(dst)
    if layout is None or not dst.shape or all(w == DYNAMIC for w in layout[0]):
        return
    b, rank = t.b, len(dst.shape)
    sizes, strides = _sizes(b, desc, rank), _strides(b, desc, rank)
    fits = [ll.Constant(ll.IntType(1), 1) if w == DYNAMIC else
            b.or_(b.icmp_signed("<=", n, ll.Constant(I64, 1)), b.icmp_signed("==", s, ll.Constant(I64, w)))
            for w, n, s in zip(layout[0], sizes, strides)]
    fit = fits[0]
    for flag in fits[1:]:
        fit = b.and_(fit, flag)
    identity = dst.layout is None
    hint = "a row-major contiguous array (np.ascontiguousarray)" if identity else "stride {} in dimension {}"
    got = "[" + ", ".join(["{}"] * rank) + "]"

    def values():
        named = [] if identity else first_failing(b, fits, [ll.Constant(I64, w) for w in layout[0]],
                                                  [ll.Constant(I64, d) for d in range(rank)])
        return [*named, *strides]

    t.fail_if(b.and_(shape_ok, b.not_(fit)), op, f"cannot cast to {dst}: expected {hint} for {dst}, got strides "
                                                 f"{got} (in elements)", values)
