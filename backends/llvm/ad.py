"""LLVM translation of the ad dialect's run-time ops: tapes, stop_gradient,
checkpoint (the transform ops are lowered before translation).

A tape is a growable buffer: a heap record ``{data, size, capacity, next}``
whose data grows by doubling (malloc/realloc).  Tapes are owned by the
function that creates them: each creation links the record into a list
held in that function's frame, and every return of the function frees the
list, so no path leaks; ``ad.tape_free`` releases the data earlier.  Popping an empty tape is the interpreter's
run-time error (the pop gives 0 instead).  A tape cannot leave the function
that created it (returning one is refused at translation).
"""

from __future__ import annotations

import llvmlite.ir as ll

from irc.dialects import ad as AD

from .allocations import tracked_free, tracked_malloc, tracked_realloc
from .translation import I64, PTR, llvm_type, size_of, translate_to_llvm, unsupported

# the record: data pointer, size, capacity (in elements), next record of the owner's list
TAPE = ll.LiteralStructType([PTR, I64, I64, PTR])
_DATA, _SIZE, _CAP, _NEXT = 0, 1, 2, 3


def _field(b, tape, i):
    return b.gep(tape, [ll.Constant(ll.IntType(32), 0), ll.Constant(ll.IntType(32), i)], source_etype=TAPE)


def _build_free_all(mt, name):
    """_irc_tapes_free(head): free every record of a function's list and its data."""
    free = tracked_free(mt)  # off the list of live allocations a failed call frees
    fn = ll.Function(mt.module, ll.FunctionType(ll.VoidType(), [PTR]), name=name)
    fn.linkage = "internal"
    entry, loop, done = fn.append_basic_block("entry"), fn.append_basic_block("loop"), fn.append_basic_block("done")
    b = ll.IRBuilder(entry)
    b.branch(loop)
    b.position_at_end(loop)
    p = b.phi(PTR)
    p.add_incoming(fn.args[0], entry)
    is_null = b.icmp_unsigned("==", p, ll.Constant(PTR, None))
    body = fn.append_basic_block("body")
    b.cbranch(is_null, done, body)
    b.position_at_end(body)
    b.call(free, [b.load(_field(b, p, _DATA), typ=PTR)])
    nxt = b.load(_field(b, p, _NEXT), typ=PTR)
    b.call(free, [p])
    p.add_incoming(nxt, body)
    b.branch(loop)
    b.position_at_end(done)
    b.ret_void()
    return fn


GROWN = ll.LiteralStructType([PTR, I64])


def _build_grow(mt, name):
    """_irc_tape_grow(data, capacity, element_size) -> {data, capacity}: the data reallocated
    to double the capacity (16 at first); a null data pointer if out of memory.  It takes
    and returns the fields rather than the record, so a record in the frame never escapes
    and LLVM keeps its fields in registers."""
    realloc = tracked_realloc(mt)
    fn = ll.Function(mt.module, ll.FunctionType(GROWN, [PTR, I64, I64]), name=name)
    fn.linkage = "internal"
    b = ll.IRBuilder(fn.append_basic_block("entry"))
    data, cap, esize = fn.args
    new_cap = b.select(b.icmp_unsigned("==", cap, ll.Constant(I64, 0)), ll.Constant(I64, 16), b.shl(cap, ll.Constant(I64, 1)))
    grown = b.call(realloc, [data, b.mul(new_cap, esize)])
    out = b.insert_value(ll.Constant(GROWN, ll.Undefined), grown, 0)
    b.ret(b.insert_value(out, new_cap, 1))
    return fn


def _owner_list(t):
    """The function's list of tapes (a stack slot), freed before every return."""
    head = t.state.get("ad.tapes")
    if head is None:
        head = t.state["ad.tapes"] = t.entry_slot(PTR, ll.Constant(PTR, None), "tapes")
        free_all = t.mt.helper("_irc_tapes_free", _build_free_all)
        t.at_exit.append(lambda ft: ft.b.call(free_all, [ft.b.load(head, typ=PTR)]))
        for r in t.function.function_type().results:
            if isinstance(r, AD.TapeType):
                raise unsupported(t.op, "returns a tape; tapes live in the function that creates them")
    return head


@translate_to_llvm.register(AD.TapeCreateOp)
def _tape_create(t, op, args):
    if op.parent is t.body_block:
        return [_frame_tape(t)]
    b = t.b
    head = _owner_list(t)
    malloc = tracked_malloc(t.mt)
    tape = b.call(malloc, [ll.Constant(I64, 32)])
    t.fail_if(b.icmp_unsigned("==", tape, ll.Constant(PTR, None)), op, "cannot allocate a tape (out of memory)")
    with b.if_then(b.icmp_unsigned("!=", tape, ll.Constant(PTR, None))):
        b.store(ll.Constant(PTR, None), _field(b, tape, _DATA))
        b.store(ll.Constant(I64, 0), _field(b, tape, _SIZE))
        b.store(ll.Constant(I64, 0), _field(b, tape, _CAP))
        b.store(b.load(head, typ=PTR), _field(b, tape, _NEXT))
        b.store(tape, head)
    return [tape]


def _frame_tape(t):
    """A tape created in the function's own block (where AD creates them): its record is a
    stack slot, zeroed at entry, whose data every return frees."""
    free = tracked_free(t.mt)
    tape = t.entry_slot(TAPE, ll.Constant(TAPE, None), "tape")
    t.at_exit.append(lambda ft: ft.b.call(free, [ft.b.load(_field(ft.b, tape, _DATA), typ=PTR)]))
    return tape


@translate_to_llvm.register(AD.TapePushOp)
def _tape_push(t, op, args):
    tape, value = args
    b = t.b
    size = b.load(_field(b, tape, _SIZE), typ=I64)
    full = b.icmp_unsigned("==", size, b.load(_field(b, tape, _CAP), typ=I64))
    grow = t.mt.helper("_irc_tape_grow", _build_grow)
    esize = ll.Constant(I64, size_of(value.type))
    with b.if_else(full, likely=False) as (then, otherwise):
        with then:
            grown = b.call(grow, [b.load(_field(b, tape, _DATA), typ=PTR), size, esize])
            grown_data = b.extract_value(grown, 0)
            grew = b.icmp_unsigned("!=", grown_data, ll.Constant(PTR, None))
            with b.if_then(grew):
                b.store(grown_data, _field(b, tape, _DATA))
                b.store(b.extract_value(grown, 1), _field(b, tape, _CAP))
            then_block = b.block
        with otherwise:
            other_block = b.block
    ok = b.phi(ll.IntType(1))
    ok.add_incoming(grew, then_block)
    ok.add_incoming(ll.Constant(ll.IntType(1), 1), other_block)
    t.fail_if(b.not_(ok), op, "cannot grow a tape (out of memory)")
    with b.if_then(ok, likely=True):
        data = b.load(_field(b, tape, _DATA), typ=PTR)
        b.store(value, b.gep(data, [size], source_etype=value.type))
        b.store(b.add(size, ll.Constant(I64, 1)), _field(b, tape, _SIZE))
    return []


@translate_to_llvm.register(AD.TapePopOp)
def _tape_pop(t, op, args):
    tape = args[0]
    b = t.b
    typ = llvm_type(op.results[0].type, op)
    size = b.load(_field(b, tape, _SIZE), typ=I64)
    empty = b.icmp_unsigned("==", size, ll.Constant(I64, 0))
    t.fail_if(empty, op, "pops from an empty tape")
    last = b.select(empty, size, b.sub(size, ll.Constant(I64, 1)))  # an empty tape stays empty
    data = b.load(_field(b, tape, _DATA), typ=PTR)
    where = b.select(empty, b.bitcast(t.mt.zero_element(size_of(typ)), PTR), b.gep(data, [last], source_etype=typ))
    value = b.load(where, typ=typ)  # a zero from an empty tape, without a branch
    b.store(last, _field(b, tape, _SIZE))
    return [value]


@translate_to_llvm.register(AD.TapeSizeOp)
def _tape_size(t, op, args):
    return [t.b.load(_field(t.b, args[0], _SIZE), typ=I64)]


@translate_to_llvm.register(AD.StopGradientOp)
def _stop_gradient(t, op, args):
    return [args[0]]


@translate_to_llvm.register(AD.YieldOp)
def _ad_yield(t, op, args):
    from .translation import Terminator

    return Terminator(args)


@translate_to_llvm.register(AD.CheckpointOp)
def _checkpoint(t, op, args):
    return t.emit_region(op, 0, args)


@translate_to_llvm.register(AD.TapeFreeOp)
def _tape_free(t, op, args):
    """Release the data now; the record stays on the owner's list (freed at return), so a
    tape freed here and the tapes nobody frees are both released exactly once."""
    b = t.b
    tape = args[0]
    free = tracked_free(t.mt)
    b.call(free, [b.load(_field(b, tape, _DATA), typ=PTR)])
    b.store(ll.Constant(PTR, None), _field(b, tape, _DATA))
    b.store(ll.Constant(I64, 0), _field(b, tape, _SIZE))
    b.store(ll.Constant(I64, 0), _field(b, tape, _CAP))
    return []
