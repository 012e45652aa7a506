"""The math dialect: elementary functions on floats and integers (MLIR syntax).

Every op works elementwise on scalars, tensors and vectors, is Pure, takes
MLIR's optional ``fastmath<...>`` flags (``#arith.fastmath``) where MLIR
does, and has one numpy implementation (`compute`) that both its
interpreter rule and its constant folder use, so a folded constant is
bit-identical to what the interpreter computes.  Arithmetic happens in the
operand's precision (f32 stays f32); domain errors give NaN as C's libm
does, never a Python exception or warning.

Folding follows MLIR's math folders: correctly rounded ops (absf, copysign,
floor, ceil, trunc, round, roundeven, sqrt, fma) and the integer ops fold in
every type; the transcendental functions fold for f32 and f64 only, and
never where the result would be a domain-error NaN.
"""

from __future__ import annotations

import math as _pymath
from fractions import Fraction
from typing import Optional

from ..lazy_numpy import np, numpy_function
from ..attributes import (
    Attribute,
    DenseElementsAttr,
    FloatAttr,
    IntegerAttr,
    elementwise_operands,
    is_splat_view,
    numpy_dtype,
    round_to_float_type,
)
from ..opdef import DIALECTS, Dialect, FloatLike, IntegerLike, Op, Operand, Result
from ..traits import ElementwiseMappable, Pure, SameOperandsAndResultShape, SameOperandsAndResultType, add_trait
from ..types import FloatType, ShapedType, Type, element_type, i1, is_bool_like, with_element_type


class MathDialect(Dialect):
    """The math dialect; folded constants become `arith.constant`s, as in MLIR."""

    def materialize_constant(self, builder, value, type, location):
        arith = DIALECTS.get("arith")
        if arith is None:
            return None
        return arith.materialize_constant(builder, value, type, location)


math = MathDialect("math", "elementary math functions on floats and integers")


# the fastmath flags, `#arith.fastmath<...>`, written `fastmath<fast>` in custom
# forms and omitted when they are `none` (MLIR's DefaultValuedAttr)
from .arith import FASTMATH  # noqa: E402


# ----------------------------------------------------------------------------
# numeric helpers


def _quiet():
    return np.errstate(all="ignore")


def _dtype_of(t: Type):
    return numpy_dtype(element_type(t))


def _is_bf16(t: Type) -> bool:
    e = element_type(t)
    return isinstance(e, FloatType) and e.name == "bf16"


def _round_bf16(v, t: Type):
    if isinstance(v, np.ndarray):
        flat = [round_to_float_type(float(x), element_type(t)) for x in v.reshape(-1)]
        return np.array(flat, dtype=np.float32).reshape(v.shape)
    return np.float32(round_to_float_type(float(v), element_type(t)))


def _as_float(v, t: Type):
    """`v` as a numpy scalar/array of float type `t`'s dtype."""
    dt = _dtype_of(t)
    if isinstance(v, np.ndarray):
        return v if v.dtype == dt else v.astype(dt)
    return dt.type(v)


def _elementwise(fn, *args):
    """Apply a scalar Python function elementwise (arrays) or once (scalars)."""
    if any(isinstance(a, np.ndarray) for a in args):
        arrays = np.broadcast_arrays(*[np.asarray(a) for a in args])
        out = [fn(*vals) for vals in zip(*[a.reshape(-1) for a in arrays])]
        return np.array(out, dtype=object).reshape(arrays[0].shape)
    return fn(*args)


def _round_half_away(x):
    """C's round(): halves go away from zero (np.round rounds them to even)."""
    t = np.trunc(x)
    frac = np.abs(x - t)
    one = x.dtype.type(1)
    out = np.where(frac >= x.dtype.type(0.5), t + np.copysign(one, x), t)
    return out if isinstance(x, np.ndarray) else x.dtype.type(out)


def _exact_fma(a, b, c, dt):
    """a*b + c with one rounding to `dt` (IEEE fusedMultiplyAdd)."""
    fa, fb, fc = float(a), float(b), float(c)
    if not (_pymath.isfinite(fa) and _pymath.isfinite(fb) and _pymath.isfinite(fc)):
        with _quiet():
            return dt.type(np.float64(fa) * np.float64(fb) + np.float64(fc))
    exact = Fraction(fa) * Fraction(fb) + Fraction(fc)
    if exact == 0:
        # the sign of an exact zero follows IEEE: -0 only if both a*b and c are -0
        prod_neg = (_pymath.copysign(1.0, fa) * _pymath.copysign(1.0, fb)) < 0
        both_neg = prod_neg and fa * fb == 0 and _pymath.copysign(1.0, fc) < 0
        zero_prod = fa * fb == 0 and fc == 0
        return dt.type(-0.0 if (zero_prod and both_neg) else 0.0)
    return _round_fraction(exact, dt)


def _round_fraction(q: Fraction, dt):
    """The value of `dt` nearest to the exact rational `q` (ties to even)."""
    try:
        f = float(q)  # correctly rounded to f64
    except OverflowError:
        return dt.type(_pymath.copysign(_pymath.inf, q))
    if dt == np.float64:
        return np.float64(f)
    with _quiet():
        cand = dt.type(f)
    if not np.isfinite(cand):
        return cand
    best = cand
    for nb in (np.nextafter(cand, dt.type(-np.inf)), np.nextafter(cand, dt.type(np.inf))):
        if not np.isfinite(nb):
            continue
        d_best, d_nb = abs(Fraction(float(best)) - q), abs(Fraction(float(nb)) - q)
        if d_nb < d_best or (d_nb == d_best and _is_even(nb) and not _is_even(best)):
            best = nb
    return best


def _is_even(x) -> bool:
    return int(np.asarray(x).view(np.uint16 if x.dtype == np.float16 else (
        np.uint32 if x.dtype == np.float32 else np.uint64))) & 1 == 0


def _powi(a, n: int, dt):
    """LLVM's llvm.powi semantics (compiler-rt __powidf2): repeated squaring in the type."""
    recip = n < 0
    n = abs(n)
    r = dt.type(1)
    with _quiet():
        while True:
            if n & 1:
                r = dt.type(r * a)
            n >>= 1
            if n == 0:
                break
            a = dt.type(a * a)
        return dt.type(dt.type(1) / r) if recip else r


# ----------------------------------------------------------------------------
# base classes


class _MathOp(Op):
    """Common behaviour of math ops: `compute` on runtime values, folding through it."""

    __slots__ = ()
    # folds in every float type when True; only in f32/f64 otherwise
    exact = False

    @classmethod
    def compute(cls, args, t: Type):
        """The op on runtime values (numpy scalars/arrays, Python ints) for result type `t`."""
        raise NotImplementedError


class _FloatOp(_MathOp):
    """Float ops computed by a numpy function `fn` in the operands' precision."""

    __slots__ = ()
    fn = None
    folds = True  # False: never constant-folded

    @classmethod
    def compute(cls, args, t: Type):
        args = [_as_float(a, t) for a in args]
        with _quiet():
            r = cls.fn(*args)
        if not isinstance(r, np.ndarray):
            r = _dtype_of(t).type(r)
        elif r.dtype != _dtype_of(t):
            r = r.astype(_dtype_of(t))
        return _round_bf16(r, t) if _is_bf16(t) else r

    def fold(self, operands):
        if not self.folds or any(c is None for c in operands):
            return None
        t = self.results[0].type
        et = element_type(t)
        if not isinstance(et, FloatType) or et.name in ("f80", "f128", "tf32"):
            return None
        if not self.exact and et.name not in ("f32", "f64"):
            return None
        values = [_attr_to_runtime(c, v.type) for c, v in zip(operands, self.operands)]
        if any(v is None for v in values):
            return None
        r = type(self).compute(values, t)
        # a NaN from non-NaN inputs is a domain error: leave it to run time, as MLIR does
        if np.any(np.isnan(r)) and not any(np.any(np.isnan(np.asarray(v, dtype=np.float64))) for v in values):
            return None
        return [_runtime_to_attr(r, t)]


class FloatUnaryOp(_FloatOp):
    """A unary op on a float-like operand: ``math.sin %x fastmath<fast> : f64``."""

    __slots__ = ()
    operand_defs = (Operand("operand", FloatLike),)
    result_defs = (Result("result", FloatLike),)
    attribute_defs = (FASTMATH,)
    traits = frozenset({Pure, SameOperandsAndResultType})
    format = "$operand (`fastmath` `` $fastmath^)? attr-dict `:` type($result)"


class FloatBinaryOp(_FloatOp):
    """A binary op on float-like operands: ``math.powf %x, %y : f32``."""

    __slots__ = ()
    operand_defs = (Operand("lhs", FloatLike), Operand("rhs", FloatLike))
    result_defs = (Result("result", FloatLike),)
    attribute_defs = (FASTMATH,)
    traits = frozenset({Pure, SameOperandsAndResultType})
    format = "$lhs `,` $rhs (`fastmath` `` $fastmath^)? attr-dict `:` type($result)"


class FloatTernaryOp(_FloatOp):
    """A ternary op on float-like operands: ``math.fma %a, %b, %c : f64``."""

    __slots__ = ()
    operand_defs = (Operand("a", FloatLike), Operand("b", FloatLike), Operand("c", FloatLike))
    result_defs = (Result("result", FloatLike),)
    attribute_defs = (FASTMATH,)
    traits = frozenset({Pure, SameOperandsAndResultType})
    format = "$a `,` $b `,` $c (`fastmath` `` $fastmath^)? attr-dict `:` type($result)"


class IntegerUnaryOp(_MathOp):
    """A unary op on a signless-integer-like operand: ``math.absi %x : i32``."""

    __slots__ = ()
    operand_defs = (Operand("operand", IntegerLike),)
    result_defs = (Result("result", IntegerLike),)
    traits = frozenset({Pure, SameOperandsAndResultType})
    format = "$operand attr-dict `:` type($result)"
    exact = True
    int_fn = None  # fn(value: int, width: int) -> int, on the signed value
    # the same on whole arrays (arith_arrays.py): fn(values, width) -> results modulo 2^64
    int_fn_array = None

    @classmethod
    def compute(cls, args, t: Type):
        from ..interpreter import int_width, wrap
        from .arith_arrays import arrays_apply, wrapped

        w = int_width(t)
        fn = cls.int_fn
        et = element_type(t)
        if cls.int_fn_array is not None and arrays_apply(args[:1], w):
            return np.asarray(wrapped(cls.int_fn_array(args[0], w), w, _dtype_of(t)))
        out = _elementwise(lambda v: wrap(fn(int(v), w), et), args[0])
        return np.asarray(out).astype(_dtype_of(t)) if isinstance(out, np.ndarray) else out

    def fold(self, operands):
        c = operands[0]
        if c is None:
            return None
        t = self.results[0].type
        v = _attr_to_runtime(c, t)
        if v is None:
            return None
        return [_runtime_to_attr(type(self).compute([v], t), t)]


class FloatClassificationOp(_MathOp):
    """A test of a float's class with an i1(-like) result: ``math.isnan %x : f32``."""

    __slots__ = ()
    operand_defs = (Operand("operand", FloatLike),)
    result_defs = (Result("result"),)
    attribute_defs = (FASTMATH,)
    traits = frozenset({Pure, SameOperandsAndResultShape})
    # MLIR's form has no `fastmath` keyword here: the flags go in the attribute dictionary
    format = "$operand attr-dict `:` type($operand)"
    exact = True
    fn = None

    @classmethod
    def infer_result_types(cls, operand_types, attributes, regions=()):
        return [with_element_type(operand_types[0], i1)]

    @classmethod
    def compute(cls, args, t: Type):
        r = cls.fn(args[0])
        return r.astype(np.bool_) if isinstance(r, np.ndarray) else int(bool(r))

    def verify_declaration(self) -> None:
        # MLIR checks these with the operand/result constraints, before the traits
        super().verify_declaration()
        r = self.results[0].type
        if not is_bool_like(r):
            raise self.emit_error(f"result #0 must be bool-like, but got '{r}'")
        if r != with_element_type(self.operands[0].type, i1):
            raise self.emit_error("failed to verify that result type has i1 element type and same shape as operands")

    def fold(self, operands):
        c = operands[0]
        if c is None:
            return None
        v = _attr_to_runtime(c, self.operands[0].type)
        if v is None:
            return None
        t = self.results[0].type
        return [_runtime_to_attr(type(self).compute([v], t), t)]


# ----------------------------------------------------------------------------
# attribute <-> runtime value


def _attr_to_runtime(a: Attribute, t: Type):
    if isinstance(a, FloatAttr):
        return _dtype_of(t).type(a.value)
    if isinstance(a, IntegerAttr):
        return int(a.value)
    if isinstance(a, DenseElementsAttr):
        return elementwise_operands([a.array])[0] if is_splat_view(a.array) else np.array(a.array)
    return None


def _runtime_to_attr(v, t: Type) -> Attribute:
    if isinstance(t, ShapedType):
        return DenseElementsAttr(t, np.asarray(v))
    if isinstance(t, FloatType):
        return FloatAttr(float(v), t)
    return IntegerAttr(int(v), t)


# ----------------------------------------------------------------------------
# float unary ops


def _declare(base, cls_name: str, op_name: str, summary: str, **fields):
    """Declare and register an op class of `base` in one line (the math ops differ
    only in name and computation)."""
    body = {"name": op_name, "summary": summary, "__doc__": f"``{op_name}``: {summary}.",
            "__module__": __name__, "__slots__": ()}
    body.update({k: staticmethod(v) if callable(v) else v for k, v in fields.items()})
    return math.op(type(cls_name, (base,), body))


def _unary(cls_name: str, op_name: str, fn, summary: str, exact: bool = False, folds: bool = True):
    return _declare(FloatUnaryOp, cls_name, op_name, summary, fn=fn, exact=exact, folds=folds)


def _rsqrt(x):
    return x.dtype.type(1) / np.sqrt(x)


def _libm(fn):
    """A C library function (Python's math.erf ...) in f64, rounded to the operand's type."""

    def apply(x):
        if isinstance(x, np.ndarray):
            return np.asarray(_elementwise(lambda v: fn(float(v)), x), dtype=x.dtype)
        return x.dtype.type(fn(float(x)))

    return apply


ExpOp = _unary("ExpOp", "math.exp", numpy_function("exp"), "base-e exponential")
Exp2Op = _unary("Exp2Op", "math.exp2", numpy_function("exp2"), "base-2 exponential")
ExpM1Op = _unary("ExpM1Op", "math.expm1", numpy_function("expm1"), "exp(x) - 1")
LogOp = _unary("LogOp", "math.log", numpy_function("log"), "base-e logarithm")
Log2Op = _unary("Log2Op", "math.log2", numpy_function("log2"), "base-2 logarithm")
Log10Op = _unary("Log10Op", "math.log10", numpy_function("log10"), "base-10 logarithm")
Log1pOp = _unary("Log1pOp", "math.log1p", numpy_function("log1p"), "log(1 + x)")
SinOp = _unary("SinOp", "math.sin", numpy_function("sin"), "sine")
CosOp = _unary("CosOp", "math.cos", numpy_function("cos"), "cosine")
TanOp = _unary("TanOp", "math.tan", numpy_function("tan"), "tangent")
AsinOp = _unary("AsinOp", "math.asin", numpy_function("arcsin"), "arcus sine")
AcosOp = _unary("AcosOp", "math.acos", numpy_function("arccos"), "arcus cosine")
AtanOp = _unary("AtanOp", "math.atan", numpy_function("arctan"), "arcus tangent")
SinhOp = _unary("SinhOp", "math.sinh", numpy_function("sinh"), "hyperbolic sine")
CoshOp = _unary("CoshOp", "math.cosh", numpy_function("cosh"), "hyperbolic cosine")
TanhOp = _unary("TanhOp", "math.tanh", numpy_function("tanh"), "hyperbolic tangent")
AsinhOp = _unary("AsinhOp", "math.asinh", numpy_function("arcsinh"), "inverse hyperbolic sine")
AcoshOp = _unary("AcoshOp", "math.acosh", numpy_function("arccosh"), "inverse hyperbolic cosine")
AtanhOp = _unary("AtanhOp", "math.atanh", numpy_function("arctanh"), "inverse hyperbolic tangent")
SqrtOp = _unary("SqrtOp", "math.sqrt", numpy_function("sqrt"), "square root", exact=True)
# rsqrt rounds twice here and a backend may compute it differently (rsqrtss): never folded
RsqrtOp = _unary("RsqrtOp", "math.rsqrt", _rsqrt, "reciprocal of the square root", folds=False)
CbrtOp = _unary("CbrtOp", "math.cbrt", numpy_function("cbrt"), "cube root")
ErfOp = _unary("ErfOp", "math.erf", _libm(_pymath.erf), "error function")
ErfcOp = _unary("ErfcOp", "math.erfc", _libm(_pymath.erfc), "complementary error function")
AbsFOp = _unary("AbsFOp", "math.absf", numpy_function("abs"), "absolute value", exact=True)
FloorOp = _unary("FloorOp", "math.floor", numpy_function("floor"), "largest integer not greater than x", exact=True)
CeilOp = _unary("CeilOp", "math.ceil", numpy_function("ceil"), "smallest integer not less than x", exact=True)
TruncOp = _unary("TruncOp", "math.trunc", numpy_function("trunc"), "x rounded toward zero", exact=True)
RoundOp = _unary("RoundOp", "math.round", _round_half_away, "x rounded to nearest, halves away from zero", exact=True)
RoundEvenOp = _unary("RoundEvenOp", "math.roundeven", numpy_function("rint"), "x rounded to nearest, halves to even", exact=True)


# ----------------------------------------------------------------------------
# float binary and ternary ops


def _binary(cls_name: str, op_name: str, fn, summary: str, exact: bool = False):
    return _declare(FloatBinaryOp, cls_name, op_name, summary, fn=fn, exact=exact)


PowFOp = _binary("PowFOp", "math.powf", numpy_function("power"), "lhs raised to the power rhs (C's pow)")
Atan2Op = _binary("Atan2Op", "math.atan2", numpy_function("arctan2"), "2-argument arcus tangent atan2(lhs, rhs)")
CopySignOp = _binary("CopySignOp", "math.copysign", numpy_function("copysign"), "magnitude of lhs with the sign of rhs", exact=True)


def _fma(a, b, c):
    dt = a.dtype
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray) or isinstance(c, np.ndarray):
        out = _elementwise(lambda x, y, z: _exact_fma(x, y, z, dt), a, b, c)
        return np.asarray(out, dtype=dt)
    return _exact_fma(a, b, c, dt)


@math.op
class FmaOp(FloatTernaryOp):
    """``math.fma``: a * b + c with a single rounding (llvm.fma)."""

    __slots__ = ()
    name = "math.fma"
    summary = "fused multiply-add"
    fn = staticmethod(_fma)
    exact = True


def _clampf(value, lo, hi):
    """MLIR 22's definition, ``maximumf(minimumf(value, max), min)``: NaN in, NaN out."""
    from .arith import _maximum, _minimum

    r = _maximum(_minimum(value, hi), lo)
    return r[()] if isinstance(r, np.ndarray) and not isinstance(value, np.ndarray) else r


@math.op
class ClampFOp(FloatTernaryOp):
    """``math.clampf %value to [%min, %max] : f32``: `value` limited to [min, max].

    MLIR 22 defines it as ``maximumf(minimumf(value, max), min)`` (so ``min``
    wins when min > max) and does not fold it; neither does irc."""

    __slots__ = ()
    name = "math.clampf"
    summary = "floating point clamping operation"
    operand_defs = (Operand("value", FloatLike), Operand("min", FloatLike), Operand("max", FloatLike))
    format = "$value `to` ` ` `[` $min `,` $max `]` (`fastmath` `` $fastmath^)? attr-dict `:` type($result)"
    fn = staticmethod(_clampf)
    folds = False


@math.op
class SincosOp(_MathOp):
    """``%s, %c = math.sincos %x : f32``: sine and cosine of one operand (llvm.sincos).

    Not folded, as in MLIR 22."""

    __slots__ = ()
    name = "math.sincos"
    summary = "sine and cosine of the operand"
    operand_defs = (Operand("operand", FloatLike),)
    result_defs = (Result("sin", FloatLike), Result("cos", FloatLike))
    attribute_defs = (FASTMATH,)
    traits = frozenset({Pure})
    format = "$operand (`fastmath` `` $fastmath^)? attr-dict `:` type($operand)"

    @classmethod
    def infer_result_types(cls, operand_types, attributes, regions=()):
        return [operand_types[0], operand_types[0]]

    def verify(self) -> None:
        if len({self.operands[0].type, *(r.type for r in self.results)}) > 1:
            raise self.emit_error("failed to verify that all of {operand, sin, cos} have same type")

    @classmethod
    def compute(cls, args, t: Type):
        return [SinOp.compute(args, t), CosOp.compute(args, t)]


# ----------------------------------------------------------------------------
# integer ops


def _ctlz(v: int, w: int) -> int:
    u = v & ((1 << w) - 1)
    return w - u.bit_length()


def _cttz(v: int, w: int) -> int:
    u = v & ((1 << w) - 1)
    return w if u == 0 else (u & -u).bit_length() - 1


def _ctpop(v: int, w: int) -> int:
    return bin(v & ((1 << w) - 1)).count("1")


def _bit_length_array(u):
    """The bit lengths of uint64 values (six halving steps, exact: no floats)."""
    x = np.asarray(u, dtype=np.uint64)
    n = np.zeros(x.shape, dtype=np.int64)
    for step in (32, 16, 8, 4, 2, 1):
        big = x >= np.uint64(1 << step)
        n += np.where(big, step, 0)
        x = np.where(big, x >> np.uint64(step), x)
    return n + (x > 0)


def _ctlz_array(v, w: int):
    from .arith_arrays import unsigned

    return w - _bit_length_array(unsigned(v, w))


def _cttz_array(v, w: int):
    from .arith_arrays import unsigned

    u = unsigned(v, w)
    return np.where(u == 0, w, _bit_length_array(u & (np.uint64(0) - u)) - 1)


def _ctpop_array(v, w: int):
    """Set bits of each value (the SWAR popcount on uint64)."""
    from .arith_arrays import unsigned

    u64 = np.uint64
    x = unsigned(v, w)
    x = x - ((x >> u64(1)) & u64(0x5555555555555555))
    x = (x & u64(0x3333333333333333)) + ((x >> u64(2)) & u64(0x3333333333333333))
    x = (x + (x >> u64(4))) & u64(0x0F0F0F0F0F0F0F0F)
    return (x * u64(0x0101010101010101)) >> u64(56)


def _absi_array(v, w: int):
    from .arith_arrays import signed

    return np.abs(signed(v, w))  # the minimum stays the minimum, wrapped


def _int_unary(cls_name: str, op_name: str, fn, summary: str, fn_array=None):
    return _declare(IntegerUnaryOp, cls_name, op_name, summary, int_fn=fn, int_fn_array=fn_array)


AbsIOp = _int_unary("AbsIOp", "math.absi", lambda v, w: abs(v), "integer absolute value (wraps for the minimum)",
                    _absi_array)
CountLeadingZerosOp = _int_unary("CountLeadingZerosOp", "math.ctlz", _ctlz, "number of leading zero bits",
                                 _ctlz_array)
CountTrailingZerosOp = _int_unary("CountTrailingZerosOp", "math.cttz", _cttz, "number of trailing zero bits",
                                  _cttz_array)
CtPopOp = _int_unary("CtPopOp", "math.ctpop", _ctpop, "number of set bits", _ctpop_array)


def _ipowi_scalar(base: int, power: int) -> Optional[int]:
    """MLIR's math.ipowi on signed values; None for 0 to a negative power (division by zero)."""
    if power == 0:
        return 1
    if power < 0:
        if base == 0:
            return None
        if base == 1:
            return 1
        if base == -1:
            return -1 if power & 1 else 1
        return 0
    return base ** power


@math.op
class IPowIOp(_MathOp):
    """``math.ipowi``: signed integer power (wraps around; 0 to a negative power is undefined)."""

    __slots__ = ()
    name = "math.ipowi"
    summary = "signed integer raised to a signed integer power"
    operand_defs = (Operand("lhs", IntegerLike), Operand("rhs", IntegerLike))
    result_defs = (Result("result", IntegerLike),)
    traits = frozenset({Pure, SameOperandsAndResultType})
    format = "$lhs `,` $rhs attr-dict `:` type($result)"

    @classmethod
    def compute(cls, args, t: Type):
        from ..interpreter import wrap

        et = element_type(t)

        def one(b, p):
            r = _ipowi_scalar(int(b), int(p)) if int(p) < 0 or int(p) < 4096 else _modpow(int(b), int(p), et)
            if r is None:
                raise ZeroDivisionError("math.ipowi: zero raised to a negative power")
            return wrap(r, et)

        out = _elementwise(one, *args)
        return np.asarray(out).astype(_dtype_of(t)) if isinstance(out, np.ndarray) else out

    def fold(self, operands):
        if any(c is None for c in operands):
            return None
        t = self.results[0].type
        values = [_attr_to_runtime(c, t) for c in operands]
        if any(v is None for v in values):
            return None
        try:
            return [_runtime_to_attr(type(self).compute(values, t), t)]
        except ZeroDivisionError:
            return None


def _modpow(b: int, p: int, t: Type) -> int:
    from ..interpreter import int_width

    return pow(b, p, 1 << int_width(t))


@math.op
class FPowIOp(_MathOp):
    """``math.fpowi``: a float raised to a signed integer power (llvm.powi)."""

    __slots__ = ()
    name = "math.fpowi"
    summary = "float raised to a signed integer power"
    operand_defs = (Operand("lhs", FloatLike), Operand("rhs", IntegerLike))
    result_defs = (Result("result", FloatLike),)
    attribute_defs = (FASTMATH,)
    traits = frozenset({Pure, SameOperandsAndResultShape})
    format = "$lhs `,` $rhs (`fastmath` `` $fastmath^)? attr-dict `:` type($lhs) `,` type($rhs)"

    @classmethod
    def infer_result_types(cls, operand_types, attributes, regions=()):
        return [operand_types[0]]

    @classmethod
    def compute(cls, args, t: Type):
        dt = _dtype_of(t)
        a, n = args
        if isinstance(a, np.ndarray) or isinstance(n, np.ndarray):
            out = _elementwise(lambda x, k: _powi(dt.type(x), int(k), dt), a, n)
            r = np.asarray(out, dtype=dt)
        else:
            r = _powi(dt.type(a), int(n), dt)
        return _round_bf16(r, t) if _is_bf16(t) else r

    def verify(self) -> None:
        if self.results[0].type != self.operands[0].type:
            raise self.emit_error("failed to verify that all of {lhs, result} have same type")


# ----------------------------------------------------------------------------
# classification


def _classify(cls_name: str, op_name: str, fn, summary: str):
    return _declare(FloatClassificationOp, cls_name, op_name, summary, fn=fn)


def _isnormal(x):
    with _quiet():
        return np.isfinite(x) & (np.abs(x) >= np.finfo(x.dtype).tiny)


IsNaNOp = _classify("IsNaNOp", "math.isnan", numpy_function("isnan"), "whether the value is NaN")
IsInfOp = _classify("IsInfOp", "math.isinf", numpy_function("isinf"), "whether the value is infinite")
IsFiniteOp = _classify("IsFiniteOp", "math.isfinite", numpy_function("isfinite"), "whether the value is finite")
IsNormalOp = _classify("IsNormalOp", "math.isnormal", _isnormal, "whether the value is normal (not 0, subnormal, inf)")


# ----------------------------------------------------------------------------
# interpreter rules: every op computes through its class's `compute`

from ..interpreter import interpret, runtime_error  # noqa: E402


def _interpret_math(interp, op, args):
    try:
        if len(op.results) > 1:  # math.sincos computes all its results at once
            return type(op).compute(args, op.results[0].type)
        return [type(op).compute(args, op.results[0].type)]
    except ZeroDivisionError as e:
        raise runtime_error(op, str(e).split(": ", 1)[-1])


interpret.register(*[cls for cls in math.ops.values()])(_interpret_math)
add_trait(math.ops.values(), ElementwiseMappable)  # as in MLIR: every math op maps over tensors and vectors
