"""A recursion budget for deeply nested IR: work runs on a thread with a big stack.

The parser, verifier, printer, passes and interpreter recurse once or a few
times per level of nesting (regions, nested array attributes, tuple types,
calls).  Python's default budget (1,000 frames on an 8 MiB stack) ends at a
few hundred levels.  `run_with_deep_stack` runs a function on a thread whose
stack is `STACK_BYTES` (reserved, touched only as deep as it goes) with the
recursion limit raised to `RECURSION_LIMIT`, so the limit, not the C stack,
is what a too-deep input meets: a RecursionError, never a crash.  The parser
refuses nesting deeper than `MAX_NESTING` with a located diagnostic, which
keeps every later stage well inside the budget; the verifier and the printer
refuse IR built from Python that nests regions deeper (`nesting_error`), and
run again on such a thread when the caller's budget runs out first
(`retry_on_deep_stack`).
"""

from __future__ import annotations

import sys
import threading
from typing import Callable, TypeVar

STACK_BYTES = 1 << 30  # virtual: pages are touched only as deep as the work goes
RECURSION_LIMIT = 200_000  # about 5 KiB of C stack per Python frame, the most any frame here takes
MAX_NESTING = 10_000  # regions, brackets and angle brackets open at once; the parser's limit

_ON_DEEP_STACK = threading.local()

T = TypeVar("T")


def on_deep_stack() -> bool:
    """True on a thread started by `run_with_deep_stack`."""
    return getattr(_ON_DEEP_STACK, "active", False)


def run_with_deep_stack(fn: Callable[..., T], *args, **kwargs) -> T:
    """`fn(*args, **kwargs)` on a thread with a big stack and a raised recursion limit.

    Returns its result or raises its exception; already on such a thread, calls
    `fn` directly.  Where no thread with that stack can be made, `fn` runs here
    with the ordinary budget.
    """
    if on_deep_stack():
        return fn(*args, **kwargs)
    outcome = {}

    def target():
        _ON_DEEP_STACK.active = True
        try:
            outcome["value"] = fn(*args, **kwargs)
        except BaseException as e:  # handed to the caller's thread as is
            outcome["error"] = e

    try:
        previous_size = threading.stack_size(STACK_BYTES)
    except (ValueError, RuntimeError):
        return fn(*args, **kwargs)
    previous_limit = sys.getrecursionlimit()  # one limit for all threads: raised while the work runs
    try:
        thread = threading.Thread(target=target, name="irc-deep-stack", daemon=True)
        sys.setrecursionlimit(max(previous_limit, RECURSION_LIMIT))
        try:
            thread.start()
        except RuntimeError:  # the system would not give a thread that stack
            sys.setrecursionlimit(previous_limit)
            return fn(*args, **kwargs)
    finally:
        threading.stack_size(previous_size)
    try:
        thread.join()
    finally:
        sys.setrecursionlimit(previous_limit)
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


def retry_on_deep_stack(fn: Callable[..., T], *args, **kwargs) -> T:
    """`fn(*args, **kwargs)`; run again on a deep-stack thread if it ran out of this thread's
    recursion budget (IR nested a few hundred levels deep, built from Python and walked from
    the main thread).  For read-only walks (verify, print), which can start over."""
    try:
        return fn(*args, **kwargs)
    except RecursionError:
        if on_deep_stack():
            raise
    return run_with_deep_stack(fn, *args, **kwargs)


def nesting_error(op):
    """The error for regions nested deeper than MAX_NESTING below `op`: IR built from Python
    (the parser refuses such text) that the verifier or printer meets."""
    return op.emit_error(f"regions nested deeper than {MAX_NESTING} levels are not supported (irc's nesting limit)")


_OPENERS = "{[(<"


def check_nesting_depth(text: str, filename: str, first_line: int = 1, limit: int = MAX_NESTING) -> None:
    """Raise a located DiagnosticError where `text` opens more than `limit` brackets at once.

    `{ [ ( <` open and `} ] ) >` close (not the `>` of `->`, `>=`, nor `<=`).
    Most files have fewer openers in all than the limit and cost four
    `str.count` calls; others get one vectorized pass, and only a file that
    pass finds too deep is scanned exactly (strings and comments skipped) to
    find the place.
    """
    if sum(text.count(c) for c in _OPENERS) <= limit:
        return
    import numpy as np

    codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    step = np.zeros(len(codes), dtype=np.int32)
    for c in _OPENERS:
        step[codes == ord(c)] = 1
    for c in "}])":
        step[codes == ord(c)] = -1
    closing_angle = codes == ord(">")
    closing_angle[1:] &= codes[:-1] != ord("-")  # not the `>` of `->`
    closing_angle[:-1] &= codes[1:] != ord("=")  # nor of `>=`
    step[closing_angle] = -1
    if np.cumsum(step).max() <= limit:  # counts brackets in strings and comments too: an upper bound
        return
    line, column = _first_too_deep(text, limit)
    if line is not None:
        from .diagnostics import error
        from .location import FileLineColLoc

        raise error(f"nesting deeper than {limit} levels (regions, brackets, '<...>') is not supported",
                    FileLineColLoc(filename, line + first_line - 1, column))


def _first_too_deep(text: str, limit: int):
    """(line, column) of the opener that first exceeds `limit`, strings and comments skipped; (None, None)."""
    import re

    depth, line, line_start = 0, 1, 0
    for m in re.finditer(r'"(?:[^"\\\n]|\\.)*"|//[^\n]*|->|<=|>=|[{\[(<}\])>]|\n', text):
        tok = m.group()
        if tok == "\n":
            line, line_start = line + 1, m.end()
        elif tok in ("{", "[", "(", "<"):
            depth += 1
            if depth > limit:
                return line, m.start() - line_start + 1
        elif tok in ("}", "]", ")", ">"):
            depth -= 1
    return None, None
