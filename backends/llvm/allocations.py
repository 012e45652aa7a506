"""The heap memory a call of compiled code holds, freed if the call fails.

A failure after which no value is harmless (an allocation that returned NULL)
leaves the compiled code at once, by ``longjmp`` to the entry
(`ModuleTranslation.unwind`), past every frame that would have freed its
buffers and tapes.  So every allocation the code makes goes through three
helpers that keep a list of the live ones, one per module (compiled code runs
on one thread, as its status word does):

- ``_irc_malloc(n)``: malloc, and the pointer added to the list (NULL, with
  nothing held, if either fails);
- ``_irc_realloc(p, n)``: realloc, the list entry following the buffer;
- ``_irc_free(p)``: the entry removed (searched from the newest end, where
  a buffer freed in the scope that made it is), then free.

The entry that unwound frees everything on the list (``_irc_free_live``):
buffers, tapes, and the results it would have returned.  Every entry empties
the list when it returns (what is left is the caller's: its results, or what
the program never freed, as without the list); the list's own storage stays
for the next call.
"""

from __future__ import annotations

import llvmlite.ir as ll

from .translation import I64, PTR, ModuleTranslation

I1 = ll.IntType(1)
FIRST_CAPACITY = 64


def _globals(mt: ModuleTranslation):
    """(data, count, capacity): the list of live allocations."""
    return (mt._zeroed_global("_irc_live_data", PTR), mt._zeroed_global("_irc_live_count", I64),
            mt._zeroed_global("_irc_live_capacity", I64))


def _libc(mt: ModuleTranslation):
    return (mt.declare_c_function("malloc", PTR, [I64]), mt.declare_c_function("realloc", PTR, [PTR, I64]),
            mt.declare_c_function("free", ll.VoidType(), [PTR]))


def _internal(mt: ModuleTranslation, name: str, ret, args) -> ll.Function:
    """A helper called, not inlined: next to malloc a call costs nothing, and the functions
    that allocate stay small for LLVM's optimizer (compile time)."""
    fn = ll.Function(mt.module, ll.FunctionType(ret, args), name=name)
    fn.linkage = "internal"
    fn.attributes.add("noinline")
    return fn


def _slot(b: ll.IRBuilder, data, i):
    return b.gep(data, [i], source_etype=PTR)


def _build_track(mt: ModuleTranslation, name: str) -> ll.Function:
    """_irc_track(p) -> i1: `p` added to the list (false if the list cannot grow)."""
    data_g, count_g, cap_g = _globals(mt)
    _, realloc, _ = _libc(mt)
    fn = _internal(mt, name, I1, [PTR])
    b = ll.IRBuilder(fn.append_basic_block("entry"))
    count, cap = b.load(count_g, typ=I64), b.load(cap_g, typ=I64)
    with b.if_then(b.icmp_unsigned("==", count, cap), likely=False):
        new_cap = b.select(b.icmp_unsigned("==", cap, ll.Constant(I64, 0)), ll.Constant(I64, FIRST_CAPACITY),
                           b.shl(cap, ll.Constant(I64, 1)))
        grown = b.call(realloc, [b.load(data_g, typ=PTR), b.mul(new_cap, ll.Constant(I64, 8))])
        with b.if_then(b.icmp_unsigned("==", grown, ll.Constant(PTR, None)), likely=False):
            b.ret(ll.Constant(I1, 0))
        b.store(grown, data_g)
        b.store(new_cap, cap_g)
    b.store(fn.args[0], _slot(b, b.load(data_g, typ=PTR), count))
    b.store(b.add(count, ll.Constant(I64, 1)), count_g)
    b.ret(ll.Constant(I1, 1))
    return fn


def _open_loop(fn: ll.Function, b: ll.IRBuilder, first: ll.Value, condition):
    """A loop at `b` over an index from `first` while `condition(index)` holds, the builder
    left in its body; returns (index, close), where close(next index) ends the body and
    leaves the builder after the loop."""
    before = b.block
    loop, body, done = (fn.append_basic_block(n) for n in ("loop", "body", "done"))
    b.branch(loop)
    b.position_at_end(loop)
    index = b.phi(I64)
    index.add_incoming(first, before)
    b.cbranch(condition(index), body, done)
    b.position_at_end(body)

    def close(following: ll.Value) -> None:
        index.add_incoming(following, b.block)
        b.branch(loop)
        b.position_at_end(done)

    return index, close


def _build_find(mt: ModuleTranslation, name: str) -> ll.Function:
    """_irc_find(p) -> i64: the index of `p` on the list, searched from the newest; -1 if absent."""
    data_g, count_g, _ = _globals(mt)
    fn = _internal(mt, name, I64, [PTR])
    b = ll.IRBuilder(fn.append_basic_block("entry"))
    data = b.load(data_g, typ=PTR)
    i, close = _open_loop(fn, b, b.load(count_g, typ=I64), lambda i: b.icmp_signed(">", i, ll.Constant(I64, 0)))
    k = b.sub(i, ll.Constant(I64, 1))
    with b.if_then(b.icmp_unsigned("==", b.load(_slot(b, data, k), typ=PTR), fn.args[0])):
        b.ret(k)
    close(k)
    b.ret(ll.Constant(I64, -1))
    return fn


def _build_malloc(mt: ModuleTranslation, name: str) -> ll.Function:
    malloc, _, free = _libc(mt)
    track = mt.helper("_irc_track", _build_track)
    fn = _internal(mt, name, PTR, [I64])
    b = ll.IRBuilder(fn.append_basic_block("entry"))
    p = b.call(malloc, fn.args)
    null = ll.Constant(PTR, None)
    with b.if_then(b.icmp_unsigned("==", p, null), likely=False):
        b.ret(null)
    with b.if_then(b.not_(b.call(track, [p])), likely=False):
        b.call(free, [p])
        b.ret(null)
    b.ret(p)
    return fn


def _build_realloc(mt: ModuleTranslation, name: str) -> ll.Function:
    _, realloc, free = _libc(mt)
    track, find = mt.helper("_irc_track", _build_track), mt.helper("_irc_find", _build_find)
    data_g, _, _ = _globals(mt)
    fn = _internal(mt, name, PTR, [PTR, I64])
    old, n = fn.args
    b = ll.IRBuilder(fn.append_basic_block("entry"))
    p = b.call(realloc, [old, n])
    null = ll.Constant(PTR, None)
    with b.if_then(b.icmp_unsigned("==", p, null), likely=False):
        b.ret(null)  # the old buffer stays, and stays on the list
    was_null = b.icmp_unsigned("==", old, null)
    with b.if_else(was_null) as (fresh, moved):
        with fresh:  # a first allocation (a tape's first growth)
            with b.if_then(b.not_(b.call(track, [p])), likely=False):
                b.call(free, [p])
                b.ret(null)
        with moved:
            k = b.call(find, [old])
            with b.if_then(b.icmp_signed(">=", k, ll.Constant(I64, 0)), likely=True):
                b.store(p, _slot(b, b.load(data_g, typ=PTR), k))
    b.ret(p)
    return fn


def _build_free(mt: ModuleTranslation, name: str) -> ll.Function:
    _, _, free = _libc(mt)
    find = mt.helper("_irc_find", _build_find)
    data_g, count_g, _ = _globals(mt)
    fn = _internal(mt, name, ll.VoidType(), [PTR])
    b = ll.IRBuilder(fn.append_basic_block("entry"))
    p = fn.args[0]
    with b.if_then(b.icmp_unsigned("==", p, ll.Constant(PTR, None))):
        b.ret_void()
    k = b.call(find, [p])
    with b.if_then(b.icmp_signed(">=", k, ll.Constant(I64, 0)), likely=True):  # the newest takes its place
        data, last = b.load(data_g, typ=PTR), b.sub(b.load(count_g, typ=I64), ll.Constant(I64, 1))
        b.store(b.load(_slot(b, data, last), typ=PTR), _slot(b, data, k))
        b.store(last, count_g)
    b.call(free, [p])
    b.ret_void()
    return fn


def _build_free_live(mt: ModuleTranslation, name: str) -> ll.Function:
    """_irc_free_live(): free everything on the list, and empty it (an entry that unwound)."""
    _, _, free = _libc(mt)
    data_g, count_g, _ = _globals(mt)
    fn = _internal(mt, name, ll.VoidType(), [])
    fn.attributes.add("cold")
    b = ll.IRBuilder(fn.append_basic_block("entry"))
    data, count = b.load(data_g, typ=PTR), b.load(count_g, typ=I64)
    i, close = _open_loop(fn, b, ll.Constant(I64, 0), lambda i: b.icmp_signed("<", i, count))
    b.call(free, [b.load(_slot(b, data, i), typ=PTR)])
    close(b.add(i, ll.Constant(I64, 1)))
    b.store(ll.Constant(I64, 0), count_g)
    b.ret_void()
    return fn


def tracked_malloc(mt: ModuleTranslation) -> ll.Function:
    """``ptr _irc_malloc(i64)``: malloc whose buffer a failed call frees."""
    return mt.helper("_irc_malloc", _build_malloc)


def tracked_realloc(mt: ModuleTranslation) -> ll.Function:
    """``ptr _irc_realloc(ptr, i64)``: realloc keeping the list of live allocations right."""
    return mt.helper("_irc_realloc", _build_realloc)


def tracked_free(mt: ModuleTranslation) -> ll.Function:
    """``void _irc_free(ptr)``: free (of NULL too), off the list of live allocations."""
    return mt.helper("_irc_free", _build_free)


def free_live(mt: ModuleTranslation, b: ll.IRBuilder) -> None:
    """Free what the failed call still holds (at the entry it unwound to)."""
    b.call(mt.helper("_irc_free_live", _build_free_live), [])


def release_live(mt: ModuleTranslation, b: ll.IRBuilder) -> None:
    """Empty the list as an entry returns: what is left belongs to the caller now."""
    b.store(ll.Constant(I64, 0), _globals(mt)[1])
