"""Ctrl-C while compiled code runs: native code never returns to Python's SIGINT
handler, so `irc run` installs a native one for the call, compiled here by LLVM:
it writes ``irc: interrupted`` to stderr and ends the process with status 130
(what the command does on Ctrl-C everywhere else), using only async-signal-safe
calls (``write``, ``_exit``).  Python's own handler is put back after the call."""

from __future__ import annotations

import ctypes
import ctypes.util
from contextlib import contextmanager

import llvmlite.ir as ll

SIGINT = 2
_handler = []  # [(engine, address)]: compiled once per process, kept alive


def _handler_address(message: bytes, status: int) -> int:
    if _handler:
        return _handler[0][1]
    from .jit import _llvm, host_target_machine

    llvm = _llvm()
    m = ll.Module(name="irc_sigint")
    i32, i64, ptr = ll.IntType(32), ll.IntType(64), ll.PointerType()
    text = ll.GlobalVariable(m, ll.ArrayType(ll.IntType(8), len(message)), name="message")
    text.global_constant = True
    text.initializer = ll.Constant(ll.ArrayType(ll.IntType(8), len(message)), bytearray(message))
    write = ll.Function(m, ll.FunctionType(i64, [i32, ptr, i64]), name="write")
    leave = ll.Function(m, ll.FunctionType(ll.VoidType(), [i32]), name="_exit")
    fn = ll.Function(m, ll.FunctionType(ll.VoidType(), [i32]), name="_irc_on_sigint")
    b = ll.IRBuilder(fn.append_basic_block("entry"))
    b.call(write, [ll.Constant(i32, 2), b.bitcast(text, ptr), ll.Constant(i64, len(message))])
    b.call(leave, [ll.Constant(i32, status)])
    b.unreachable()
    engine = llvm.create_mcjit_compiler(llvm.parse_assembly(str(m)), host_target_machine(0))
    engine.finalize_object()
    _handler.append((engine, engine.get_function_address("_irc_on_sigint")))
    return _handler[0][1]


@contextmanager
def interrupts_exit(message: bytes = b"irc: interrupted\n", status: int = 130):
    """While the block runs, Ctrl-C writes `message` and exits with `status`.  The disposition
    is the process's, so this works from the big-stack thread `irc run` works on (Python's
    `signal.signal` is for the main thread only)."""
    libc = ctypes.CDLL(ctypes.util.find_library("c"))
    libc.signal.restype = ctypes.c_void_p
    libc.signal.argtypes = [ctypes.c_int, ctypes.c_void_p]
    previous = libc.signal(SIGINT, _handler_address(message, status))
    try:
        yield
    finally:
        libc.signal(SIGINT, previous)
