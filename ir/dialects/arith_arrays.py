"""Integer arithmetic on whole numpy arrays with the interpreter's exact scalar
semantics, so that a linalg body or an elementwise op on tensors of integers
runs once in numpy instead of once per element in Python.

Values of an integer type of width w <= 64 are held in the signed range of w
(i1 as 0/1, numpy bool), as the scalar rules hold them (`irc.interpreter.wrap`).
The rules compute in 64-bit two's complement: `unsigned(x, w)` is the
operand's unsigned view as uint64, `signed(x, w)` its sign-extended view as
int64; a result computed modulo 2^64 is brought back to width w by
`wrapped(r, w, dtype)`.  Each op's rule (`compute_array` beside its scalar
`compute` in arith_integer.py, `convert_array` beside `convert` in
arith_casts.py) says what it does on those views; wider types (numpy object
arrays) keep the per-element path.
"""

from __future__ import annotations

from ..lazy_numpy import np

MAX_ARRAY_WIDTH = 64


def _as_int64(x) -> "np.ndarray":
    a = np.asarray(x)
    if a.dtype == np.uint64:
        return a.view(np.int64)
    return a.astype(np.int64, copy=False)


def unsigned(x, w: int) -> "np.ndarray":
    """The unsigned view (uint64) of width-`w` integers held in their signed range."""
    u = _as_int64(x).view(np.uint64)
    return u if w >= 64 else u & np.uint64((1 << w) - 1)


def signed(x, w: int) -> "np.ndarray":
    """The signed view (int64) of width-`w` integers: bit w-1 extended (i1 true is -1)."""
    if w >= 64:
        return _as_int64(x)
    u = unsigned(x, w).view(np.int64)
    sign = np.int64(1 << (w - 1))
    return (u ^ sign) - sign


def wrapped(r, w: int, dtype) -> "np.ndarray":
    """A result computed modulo 2^64 (uint64 or int64) reduced to width `w`'s signed range
    (0/1 for i1), in `dtype`."""
    if w == 1:
        return (unsigned(r, 1) != 0).astype(dtype, copy=False)
    return signed(r, w).astype(dtype, copy=False)


def shift_amount(b, w: int):
    """(the unsigned shift amounts, where they reach the width): MLIR's poison, which the
    interpreter gives as 0 (shli, shrui) or the sign fill (shrsi)."""
    n = unsigned(b, w)
    return n, n >= np.uint64(w)


def safe_divisor(d, minus_one=None):
    """`d` with the divisor -1 (where `minus_one` marks it) replaced by 1, so that numpy
    never divides the most negative int64 by -1 (the callers give those lanes their
    wrapped value themselves)."""
    return d if minus_one is None else np.where(minus_one, d.dtype.type(1), d)


def arrays_apply(operands, width: int) -> bool:
    """Whether the whole-array rules apply: some operand is an array and the width fits."""
    return width <= MAX_ARRAY_WIDTH and any(isinstance(a, np.ndarray) for a in operands)
