"""LLVM translation of the arith dialect, with the interpreter's semantics.

Where MLIR leaves a result undefined, the interpreter (ir/dialects/arith.py)
picks a value or raises an error; the code here computes the same:

- divisions and remainders by zero record the interpreter's run-time error
  (and divide by 1 instead, so nothing traps); INT_MIN / -1 wraps to INT_MIN,
  its remainder is 0;
- shifts by at least the bit width give 0 (``shli``, ``shrui``) or the sign
  fill (``shrsi``);
- ``fptosi``/``fptoui`` of NaN, infinity or an out-of-range value record an
  error;
- ``nsw``/``nuw``/``exact`` are not passed on: the interpreter computes the
  wrapped value, and keeping the flags would let LLVM assume otherwise.

Float ops carry exactly the fast-math flags the IR asks for, so without
flags results are bitwise the interpreter's.
"""

from __future__ import annotations

import llvmlite.ir as ll
import numpy as np

from irc.attributes import FloatAttr, IntegerAttr, round_exact
from irc.dialects import arith as A
from irc.types import FloatType

from .bf16 import bf16_to_bits, bits_to_bf16, double_to_float_odd, is_bf16
from .translation import llvm_type, translate_to_llvm, unsupported

# -- constants --------------------------------------------------------------------------


def float_constant(typ: ll.Type, value: float) -> ll.Constant:
    """A float constant of LLVM type `typ`, rounded to it first (f16 overflows to inf)."""
    if isinstance(typ, ll.HalfType):
        value = float(np.float16(value))
    elif isinstance(typ, ll.FloatType):
        value = float(np.float32(value))
    return ll.Constant(typ, value)


@translate_to_llvm.register(A.ConstantOp)
def _constant(t, op, args):
    attr = op.attributes["value"]
    typ = llvm_type(op.results[0].type, op)
    if isinstance(attr, FloatAttr):
        if is_bf16(op.results[0].type):  # the interpreter's value, rounded once from the literal
            return [float_constant(typ, round_exact(attr.value, op.results[0].type))]
        return [float_constant(typ, attr.value)]
    if isinstance(attr, IntegerAttr):
        width = typ.width
        return [ll.Constant(typ, attr.value & ((1 << width) - 1))]
    raise unsupported(op, f"with value {attr} is not a scalar; the LLVM backend translates scalar constants")


# -- floats -----------------------------------------------------------------------------

_FLOAT_BINARY = {
    A.AddFOp: "fadd",
    A.SubFOp: "fsub",
    A.MulFOp: "fmul",
    A.DivFOp: "fdiv",
    A.RemFOp: "frem",  # C's fmod, as np.fmod
}


def _float_binary(method):
    def rule(t, op, args):
        return [getattr(t.b, method)(args[0], args[1], flags=t.fastmath(op))]

    return rule


for _cls, _method in _FLOAT_BINARY.items():
    translate_to_llvm.register(_cls)(_float_binary(_method))

# maximumf/minimumf propagate NaN and order -0 < +0 (llvm.maximum); maxnumf/minnumf
# return the other operand of a NaN (llvm.maxnum, numpy's fmax)
_FLOAT_INTRINSIC_BINARY = {
    A.MaximumFOp: "llvm.maximum",
    A.MinimumFOp: "llvm.minimum",
    A.MaxNumFOp: "llvm.maxnum",
    A.MinNumFOp: "llvm.minnum",
}


def type_suffix(typ: ll.Type) -> str:
    """The overload suffix of an intrinsic for a scalar type (f64, f32, f16, i32 ...)."""
    if isinstance(typ, ll.DoubleType):
        return "f64"
    if isinstance(typ, ll.FloatType):
        return "f32"
    if isinstance(typ, ll.HalfType):
        return "f16"
    return f"i{typ.width}"


def call_intrinsic(t, base: str, args, ret=None, flags=()):
    """Call the overloaded intrinsic `base` at the type of the first argument."""
    typ = args[0].type
    fn = t.mt.intrinsic(f"{base}.{type_suffix(typ)}", ret or typ, [a.type for a in args])
    return t.b.call(fn, list(args), fastmath=flags)


def _float_intrinsic_binary(base):
    def rule(t, op, args):
        return [call_intrinsic(t, base, args, flags=t.fastmath(op))]

    return rule


for _cls, _base in _FLOAT_INTRINSIC_BINARY.items():
    translate_to_llvm.register(_cls)(_float_intrinsic_binary(_base))


@translate_to_llvm.register(A.NegFOp)
def _negf(t, op, args):
    return [t.b.fneg(args[0], flags=t.fastmath(op))]


_CMPF = {"eq": "==", "ne": "!=", "gt": ">", "ge": ">=", "lt": "<", "le": "<="}


@translate_to_llvm.register(A.CmpFOp)
def _cmpf(t, op, args):
    p = op.predicate_name
    a, b = args
    flags = t.fastmath(op)
    if p in ("false", "true"):
        return [ll.Constant(ll.IntType(1), int(p == "true"))]
    if p == "ord":
        return [t.b.fcmp_ordered("ord", a, b, flags=flags)]
    if p == "uno":
        return [t.b.fcmp_unordered("uno", a, b, flags=flags)]
    cmp = t.b.fcmp_ordered if p[0] == "o" else t.b.fcmp_unordered
    return [cmp(_CMPF[p[1:]], a, b, flags=flags)]


# -- comparisons and select ------------------------------------------------------------

_CMPI = {"eq": "==", "ne": "!=", "lt": "<", "le": "<=", "gt": ">", "ge": ">="}


@translate_to_llvm.register(A.CmpIOp)
def _cmpi(t, op, args):
    p = op.predicate_name
    if p in ("eq", "ne"):
        return [t.b.icmp_signed(_CMPI[p], args[0], args[1])]
    cmp = t.b.icmp_signed if p[0] == "s" else t.b.icmp_unsigned
    return [cmp(_CMPI[p[1:]], args[0], args[1])]


@translate_to_llvm.register(A.SelectOp)
def _select(t, op, args):
    return [t.b.select(args[0], args[1], args[2])]


# -- integers -----------------------------------------------------------------------------


def _const(v, value: int) -> ll.Constant:
    return ll.Constant(v.type, value & ((1 << v.type.width) - 1))


@translate_to_llvm.register(A.AddIOp)
def _addi(t, op, args):
    return [t.b.add(*args)]


@translate_to_llvm.register(A.SubIOp)
def _subi(t, op, args):
    return [t.b.sub(*args)]


@translate_to_llvm.register(A.MulIOp)
def _muli(t, op, args):
    return [t.b.mul(*args)]


@translate_to_llvm.register(A.AndIOp)
def _andi(t, op, args):
    return [t.b.and_(*args)]


@translate_to_llvm.register(A.OrIOp)
def _ori(t, op, args):
    return [t.b.or_(*args)]


@translate_to_llvm.register(A.XOrIOp)
def _xori(t, op, args):
    return [t.b.xor(*args)]


def _safe_divisor(t, op, b, signed: bool):
    """`b`, or 1 where it is 0 (recording the interpreter's error) or, for signed
    divisions, -1 (whose quotient the caller computes as a wrapping negation)."""
    b_ = t.b
    zero = b_.icmp_unsigned("==", b, _const(b, 0))
    t.fail_if(zero, op, "division by zero")
    bad = b_.or_(zero, b_.icmp_signed("==", b, _const(b, -1))) if signed and b.type.width > 1 else zero
    return b_.select(bad, _const(b, 1), b), bad


def _signed_div_parts(t, op, a, b):
    """Truncated quotient and remainder of signed a / b with the interpreter's
    rules (b == -1 gives -a and 0, wrapping)."""
    bb = t.b
    safe, _ = _safe_divisor(t, op, b, signed=True)
    minus_one = bb.icmp_signed("==", b, _const(b, -1)) if b.type.width > 1 else ll.Constant(ll.IntType(1), 0)
    q = bb.select(minus_one, bb.neg(a), bb.sdiv(a, safe))
    r = bb.select(minus_one, _const(a, 0), bb.srem(a, safe))
    return q, r


@translate_to_llvm.register(A.DivSIOp)
def _divsi(t, op, args):
    if args[0].type.width == 1:
        safe, _ = _safe_divisor(t, op, args[1], signed=False)
        return [args[0]]  # i1: the only valid divisor is 1 (true reads -1 signed: -a == a)
    return [_signed_div_parts(t, op, *args)[0]]


@translate_to_llvm.register(A.RemSIOp)
def _remsi(t, op, args):
    if args[0].type.width == 1:
        _safe_divisor(t, op, args[1], signed=False)
        return [_const(args[0], 0)]
    return [_signed_div_parts(t, op, *args)[1]]


@translate_to_llvm.register(A.DivUIOp)
def _divui(t, op, args):
    safe, _ = _safe_divisor(t, op, args[1], signed=False)
    return [t.b.udiv(args[0], safe)]


@translate_to_llvm.register(A.RemUIOp)
def _remui(t, op, args):
    safe, _ = _safe_divisor(t, op, args[1], signed=False)
    return [t.b.urem(args[0], safe)]


def _adjusted_quotient(t, op, args, toward: str):
    """ceil or floor of a signed quotient: the truncated one, moved by one where
    the remainder is not 0 and the exact quotient is positive (ceil) or negative (floor)."""
    a, b = args
    bb = t.b
    if a.type.width == 1:
        _safe_divisor(t, op, b, signed=False)
        return [a]
    q, r = _signed_div_parts(t, op, a, b)
    inexact = bb.icmp_signed("!=", r, _const(r, 0))
    same_sign = bb.icmp_signed(">=", bb.xor(a, b), _const(a, 0))
    if toward == "ceil":
        return [bb.select(bb.and_(inexact, same_sign), bb.add(q, _const(q, 1)), q)]
    return [bb.select(bb.and_(inexact, bb.not_(same_sign)), bb.sub(q, _const(q, 1)), q)]


translate_to_llvm.register(A.CeilDivSIOp)(lambda t, op, args: _adjusted_quotient(t, op, args, "ceil"))
translate_to_llvm.register(A.FloorDivSIOp)(lambda t, op, args: _adjusted_quotient(t, op, args, "floor"))


@translate_to_llvm.register(A.CeilDivUIOp)
def _ceildivui(t, op, args):
    safe, _ = _safe_divisor(t, op, args[1], signed=False)
    bb = t.b
    q = bb.udiv(args[0], safe)
    inexact = bb.icmp_unsigned("!=", bb.urem(args[0], safe), _const(q, 0))
    return [bb.select(inexact, bb.add(q, _const(q, 1)), q)]


def _shift(kind: str):
    def rule(t, op, args):
        a, n = args
        bb = t.b
        w = a.type.width
        too_far = bb.icmp_unsigned(">=", n, _const(n, w)) if w > 1 else bb.icmp_unsigned("!=", n, _const(n, 0))
        safe = bb.select(too_far, _const(n, 0), n)
        if kind == "shl":
            return [bb.select(too_far, _const(a, 0), bb.shl(a, safe))]
        if kind == "lshr":
            return [bb.select(too_far, _const(a, 0), bb.lshr(a, safe))]
        fill = bb.ashr(a, _const(a, w - 1)) if w > 1 else a
        return [bb.select(too_far, fill, bb.ashr(a, safe))]

    return rule


translate_to_llvm.register(A.ShLIOp)(_shift("shl"))
translate_to_llvm.register(A.ShRUIOp)(_shift("lshr"))
translate_to_llvm.register(A.ShRSIOp)(_shift("ashr"))


def _minmax(signed: bool, pick_greater: bool):
    def rule(t, op, args):
        cmp = t.b.icmp_signed if signed else t.b.icmp_unsigned
        c = cmp(">" if pick_greater else "<", args[0], args[1])
        return [t.b.select(c, args[0], args[1])]

    return rule


translate_to_llvm.register(A.MaxSIOp)(_minmax(True, True))
translate_to_llvm.register(A.MinSIOp)(_minmax(True, False))
translate_to_llvm.register(A.MaxUIOp)(_minmax(False, True))
translate_to_llvm.register(A.MinUIOp)(_minmax(False, False))


# -- casts ---------------------------------------------------------------------------------


def _cast(method):
    def rule(t, op, args):
        dst = llvm_type(op.results[0].type, op)
        if args[0].type == dst:  # bf16 -> f32: both floats (backends/llvm/bf16.py)
            return [args[0]]
        return [getattr(t.b, method)(args[0], dst)]

    return rule


def _int_to_float(method):
    """sitofp/uitofp; to bf16 through double (exact up to 53 bits) and one rounding."""
    plain = _cast(method)

    def rule(t, op, args):
        if not is_bf16(op.results[0].type):
            return plain(t, op, args)
        if args[0].type.width > 53:
            raise unsupported(op, f"converts a {op.operands[0].type} to bf16; the LLVM backend rounds integers of "
                                  "at most 53 bits to bf16 exactly")
        return [double_to_float_odd(t.b, getattr(t.b, method)(args[0], ll.DoubleType()))]

    return rule


@translate_to_llvm.register(A.BitcastOp)
def _bitcast(t, op, args):
    if is_bf16(op.results[0].type):
        return [bits_to_bf16(t.b, args[0])]
    if is_bf16(op.operands[0].type):
        return [bf16_to_bits(t.b, args[0])]
    return [t.b.bitcast(args[0], llvm_type(op.results[0].type, op))]


translate_to_llvm.register(A.ExtFOp)(_cast("fpext"))
translate_to_llvm.register(A.ExtSIOp)(_cast("sext"))
translate_to_llvm.register(A.ExtUIOp)(_cast("zext"))
translate_to_llvm.register(A.TruncIOp)(_cast("trunc"))
translate_to_llvm.register(A.SIToFPOp)(_int_to_float("sitofp"))
translate_to_llvm.register(A.UIToFPOp)(_int_to_float("uitofp"))


@translate_to_llvm.register(A.TruncFOp)
def _truncf(t, op, args):
    """Narrow with the op's rounding mode: LLVM's fptrunc rounds to nearest even; the other
    modes step that result by one unit in the last place where it lies on the wrong side of
    the exact value (compared exactly in the wide type), as the interpreter rounds once."""
    x = args[0]
    dst = llvm_type(op.results[0].type, op)
    b = t.b
    mode = op.rounding_mode
    if is_bf16(op.results[0].type):  # rounded to bf16 after the rule (backends/llvm/bf16.py)
        if mode != "to_nearest_even":
            raise unsupported(op, f"rounds to bf16 {mode}; the LLVM backend rounds to bf16 to nearest even only")
        return [x if x.type == dst else double_to_float_odd(b, x)]
    r = b.fptrunc(x, dst)
    if mode == "to_nearest_even":
        return [r]
    bits_type = ll.IntType(_float_width(dst))
    bits = b.bitcast(r, bits_type)
    back = b.fpext(r, x.type)
    negative = b.icmp_signed("<", bits, ll.Constant(bits_type, 0))
    one = ll.Constant(bits_type, 1)
    larger, smaller = b.add(bits, one), b.sub(bits, one)  # one step away from / toward zero
    if mode == "downward":
        step = b.select(negative, larger, smaller)
        wrong = b.fcmp_ordered(">", back, x)
    elif mode == "upward":
        step = b.select(negative, smaller, larger)
        wrong = b.fcmp_ordered("<", back, x)
    elif mode == "toward_zero":
        step = smaller
        wrong = b.fcmp_ordered(">", _fabs(t, back), _fabs(t, x))
    else:  # to_nearest_away: at an exact tie that went toward zero, take the other neighbour
        step = larger
        away = b.fpext(b.bitcast(larger, dst), x.type)
        wrong = b.and_(b.fcmp_ordered("<", _fabs(t, back), _fabs(t, x)),
                       b.fcmp_ordered("==", b.fsub(away, x), b.fsub(x, back)))
    return [b.bitcast(b.select(wrong, step, bits), dst)]


def _float_width(typ) -> int:
    return {ll.HalfType: 16, ll.FloatType: 32, ll.DoubleType: 64}[type(typ)]


def _fabs(t, v):
    return call_intrinsic(t, "llvm.fabs", [v])


def _index_cast(signed: bool):
    def rule(t, op, args):
        dst = llvm_type(op.results[0].type, op)
        src = args[0].type
        if dst.width == src.width:
            return [args[0]]
        if dst.width < src.width:
            return [t.b.trunc(args[0], dst)]
        return [(t.b.sext if signed else t.b.zext)(args[0], dst)]

    return rule


translate_to_llvm.register(A.IndexCastOp)(_index_cast(True))
translate_to_llvm.register(A.IndexCastUIOp)(_index_cast(False))


def _float_to_int(signed: bool):
    def rule(t, op, args):
        x = args[0]
        dst = llvm_type(op.results[0].type, op)
        w = dst.width
        bb = t.b
        truncated = bb.call(t.mt.intrinsic(f"llvm.trunc.{type_suffix(x.type)}", x.type, [x.type]), [x])
        lo, hi = (-(2.0 ** (w - 1)), 2.0 ** (w - 1)) if signed else (0.0, 2.0**w)
        if w == 1 and signed:
            lo, hi = -1.0, 1.0
        ok = bb.and_(
            bb.fcmp_ordered(">=", truncated, float_constant(x.type, lo)),
            bb.fcmp_ordered("<", truncated, float_constant(x.type, hi)),
        )
        with bb.if_then(bb.not_(ok), likely=False):  # the interpreter's two errors, naming the value
            magnitude = bb.call(t.mt.intrinsic(f"llvm.fabs.{type_suffix(x.type)}", x.type, [x.type]), [x])
            finite = bb.fcmp_ordered("<", magnitude, float_constant(x.type, float("inf")))
            t.fail_if(bb.not_(finite), op, "cannot convert {} to an integer", x)
            t.fail_if(finite, op, f"{{}} is out of the range of {'signed' if signed else 'unsigned'} "
                                  f"{op.results[0].type}", x)
        safe = bb.select(ok, x, float_constant(x.type, 0.0))
        return [(bb.fptosi if signed else bb.fptoui)(safe, dst)]

    return rule


translate_to_llvm.register(A.FPToSIOp)(_float_to_int(True))
translate_to_llvm.register(A.FPToUIOp)(_float_to_int(False))

_ = FloatType  # element types checked by llvm_type


# -- extended results (arith_extended.py) ------------------------------------------------


@translate_to_llvm.register(A.AddUIExtendedOp)
def _addui_extended(t, op, args):
    total = t.b.add(args[0], args[1])
    return [total, t.b.icmp_unsigned("<", total, args[0])]  # a carry out wraps below an operand


def _mul_extended(signed: bool):
    def rule(t, op, args):
        n = args[0].type.width
        wide = ll.IntType(2 * n)
        extend = t.b.sext if signed else t.b.zext
        product = t.b.mul(extend(args[0], wide), extend(args[1], wide))
        return [t.b.trunc(product, args[0].type), t.b.trunc(t.b.lshr(product, ll.Constant(wide, n)), args[0].type)]

    return rule


translate_to_llvm.register(A.MulSIExtendedOp)(_mul_extended(True))
translate_to_llvm.register(A.MulUIExtendedOp)(_mul_extended(False))
