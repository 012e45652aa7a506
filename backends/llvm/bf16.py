"""bf16 in compiled code: an LLVM ``float`` holding a value rounded to bfloat16.

This is the interpreter's own runtime form of bf16 (a float32 whose low 16
bits are zero; ir/dialects/arith.py `_round_bf16`), and what numpy holds a
bf16 buffer in (float32 arrays), so arrays cross the boundary unchanged.
LLVM's own `bfloat` would need the C runtime's ``__truncsfbf2`` for every
rounding, which this C library lacks.

- Every arith and math op whose result is bf16 computes in float and rounds
  the result to nearest-even once (`round_to_bf16`, the interpreter's bit
  formula; NaNs pass unchanged); the interpreter computes in float32 and
  rounds the same way, so results are bitwise equal (math functions up to the
  C library's last-place differences, docs/backend.md).  A constant is the
  interpreter's exactly rounded value.
- Values reaching bf16 from a wider type round once: `double_to_bf16` narrows
  to float rounding to odd first (truncate, then set the last bit if anything
  was dropped), which makes the final nearest-even rounding exact: float
  keeps 16 more bits than bf16.  `truncf` from f32 is that final rounding
  alone; `sitofp`/`uitofp` go through double (exact up to 53 bits).
- At the C boundary a bf16 scalar is a ``double`` (rounded once on the way
  in); bf16 buffers are float32 arrays.
"""

from __future__ import annotations

import llvmlite.ir as ll

from irc.types import FloatType

I32 = ll.IntType(32)
I64 = ll.IntType(64)


def is_bf16(t) -> bool:
    """Whether irc type `t` is the scalar bf16."""
    return type(t) is FloatType and t.name == "bf16"


def round_to_bf16(b: ll.IRBuilder, x: ll.Value) -> ll.Value:
    """Float `x` rounded to the nearest bf16 (ties to even) as a float; NaN unchanged."""
    bits = b.bitcast(x, I32)
    lsb = b.and_(b.lshr(bits, ll.Constant(I32, 16)), ll.Constant(I32, 1))
    rounded = b.and_(b.add(b.add(bits, ll.Constant(I32, 0x7FFF)), lsb), ll.Constant(I32, 0xFFFF0000 - (1 << 32)))
    return b.select(b.fcmp_unordered("uno", x, x), x, b.bitcast(rounded, ll.FloatType()))


def double_to_float_odd(b: ll.IRBuilder, d: ll.Value) -> ll.Value:
    """Double `d` narrowed to float rounding to odd: toward zero, then the last bit set when the
    result is inexact.  Rounding that to bf16 is the same as rounding `d` once."""
    f = b.fptrunc(d, ll.FloatType())
    back = b.fpext(f, ll.DoubleType())
    bits = b.bitcast(f, I32)
    fabs = b.module.declare_intrinsic("llvm.fabs", [ll.DoubleType()])
    away = b.fcmp_ordered(">", b.call(fabs, [back]), b.call(fabs, [d]))  # nearest went away from zero
    bits = b.select(away, b.sub(bits, ll.Constant(I32, 1)), bits)
    inexact = b.fcmp_ordered("!=", back, d)
    bits = b.select(inexact, b.or_(bits, ll.Constant(I32, 1)), bits)
    return b.bitcast(bits, ll.FloatType())


def double_to_bf16(b: ll.IRBuilder, d: ll.Value) -> ll.Value:
    """Double `d` rounded once to bf16 (nearest-even), as a float."""
    return round_to_bf16(b, double_to_float_odd(b, d))


def bits_to_bf16(b: ll.IRBuilder, i: ll.Value) -> ll.Value:
    """An i16 bit pattern as the bf16 it encodes (a float with those as its high bits)."""
    wide = b.shl(b.zext(i, I32), ll.Constant(I32, 16))
    return b.bitcast(wide, ll.FloatType())


def bf16_to_bits(b: ll.IRBuilder, x: ll.Value) -> ll.Value:
    """The i16 bit pattern of bf16 value `x` (a float)."""
    return b.trunc(b.lshr(b.bitcast(x, I32), ll.Constant(I32, 16)), ll.IntType(16))
