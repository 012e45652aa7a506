"""arith's integer arithmetic: addi subi muli, the divisions and remainders,
andi ori xori, the shifts, and the signed/unsigned min/max.  Registered with
the `arith` dialect and re-exported by `irc.dialects.arith`, which imports
this module once the shared base classes and helpers exist.

Each op has its scalar rule (`compute`, Python ints) and, beside it, its rule on
whole arrays (`compute_array`, numpy in 64-bit two's complement: arith_arrays.py)
with the same results: wraparound at the width, INT_MIN / -1 wrapping, remainders
by -1 being 0, shifts past the width giving 0 or the sign fill, division by zero
an error naming the op."""

from __future__ import annotations

from ..interpreter import to_signed, to_unsigned
from ..lazy_numpy import np
from ..traits import Commutative, NoMemoryEffect, SameOperandsAndResultType
from ..types import Type, element_type
from .arith import (
    ArithError,
    _defining,
    _flat_ints,
    _int_width,
    _IntBinaryOp,
    _IntBinaryOpWithExact,
    _IntBinaryOpWithOverflow,
    _is_int_const,
    _splat_attr,
    arith,
    attr_to_value,
)
from .arith_arrays import safe_divisor, shift_amount, signed, unsigned

__all__ = [
    "AddIOp",
    "SubIOp",
    "MulIOp",
    "DivSIOp",
    "DivUIOp",
    "CeilDivSIOp",
    "CeilDivUIOp",
    "FloorDivSIOp",
    "RemSIOp",
    "RemUIOp",
    "AndIOp",
    "OrIOp",
    "XOrIOp",
    "ShLIOp",
    "ShRUIOp",
    "ShRSIOp",
    "MaxSIOp",
    "MinSIOp",
    "MaxUIOp",
    "MinUIOp",
]

def _signed_range(t: Type):
    w = _int_width(t)
    return -(1 << (w - 1)), (1 << (w - 1)) - 1


def _div_trunc(a: int, b: int) -> int:
    q = abs(a) // abs(b)
    return q if (a < 0) == (b < 0) else -q


def _check_divisor(b: int) -> None:
    if b == 0:
        raise ArithError("division by zero")


# whole-array rules (arith_arrays.py): operands a, b of width w in, a result modulo 2^64
# out (uint64 or int64), wrapped to w by the caller


def _divisors(b, w: int):
    """(the signed divisors, where they are -1); division by zero is the scalar rule's error."""
    if np.any(unsigned(b, w) == 0):
        raise ArithError("division by zero")
    sb = signed(b, w)
    return sb, sb == -1


def _negated(sa):
    """-sa modulo 2^64 (INT_MIN / -1 wraps to INT_MIN, as the scalar rule does)."""
    return np.uint64(0) - np.asarray(sa).view(np.uint64)


def _signed_division(rounding):
    """A signed division rule: quotient by -1 is the wrapped negation, others `rounding(sa, sb)`."""
    def rule(a, b, w):
        sa = signed(a, w)
        sb, minus_one = _divisors(b, w)
        q = rounding(sa, safe_divisor(sb, minus_one))
        return np.where(minus_one, _negated(sa), np.asarray(q).view(np.uint64))
    return staticmethod(rule)


def _trunc_div_array(sa, sb):
    q = sa // sb
    return q + (((sa - q * sb) != 0) & ((sa < 0) != (sb < 0)))


def _unsigned_division(rule):
    def checked(a, b, w):
        ua, ub = unsigned(a, w), unsigned(b, w)
        if np.any(ub == 0):
            raise ArithError("division by zero")
        return rule(ua, ub)
    return staticmethod(checked)


@arith.op
class AddIOp(_IntBinaryOpWithOverflow):
    """Integer addition modulo 2^n."""

    __slots__ = ()
    name = "arith.addi"
    summary = "integer addition operation"
    compute_array = staticmethod(lambda a, b, w: unsigned(a, w) + unsigned(b, w))
    traits = _IntBinaryOp.traits | {Commutative}
    compute = staticmethod(lambda a, b, t: a + b)

    def fold_identities(self, operands):
        t = self.results[0].type
        if _is_int_const(operands[1], 0, t):
            return [self.lhs]
        if _is_int_const(operands[0], 0, t):
            return [self.rhs]
        # (a - b) + b -> a and b + (a - b) -> a
        for x, y in ((self.lhs, self.rhs), (self.rhs, self.lhs)):
            sub = _defining(x, SubIOp)
            if sub is not None and sub.rhs is y:
                return [sub.lhs]
        return None


@arith.op
class SubIOp(_IntBinaryOpWithOverflow):
    """Integer subtraction modulo 2^n."""

    __slots__ = ()
    name = "arith.subi"
    summary = "integer subtraction operation"
    compute_array = staticmethod(lambda a, b, w: unsigned(a, w) - unsigned(b, w))
    compute = staticmethod(lambda a, b, t: a - b)

    def fold_identities(self, operands):
        t = self.results[0].type
        if self.lhs is self.rhs:
            z = _splat_attr(0, t)
            return [z] if z is not None else None
        if _is_int_const(operands[1], 0, t):
            return [self.lhs]
        add = _defining(self.lhs, AddIOp)
        if add is not None:  # (a + b) - b -> a, (a + b) - a -> b
            if add.rhs is self.rhs:
                return [add.lhs]
            if add.lhs is self.rhs:
                return [add.rhs]
        return None


@arith.op
class MulIOp(_IntBinaryOpWithOverflow):
    """Integer multiplication modulo 2^n."""

    __slots__ = ()
    name = "arith.muli"
    summary = "integer multiplication operation"
    compute_array = staticmethod(lambda a, b, w: unsigned(a, w) * unsigned(b, w))
    traits = _IntBinaryOp.traits | {Commutative}
    compute = staticmethod(lambda a, b, t: a * b)

    def fold_identities(self, operands):
        t = self.results[0].type
        for x, y, c in ((self.lhs, self.rhs, operands[1]), (self.rhs, self.lhs, operands[0])):
            if _is_int_const(c, 1, t):
                return [x]
            if _is_int_const(c, 0, t):  # integers only: x * 0 == 0 always
                return [y]
        return None


class _DivOp(_IntBinaryOp):
    """Integer divisions: division by zero is a runtime error and never folded.

    NoMemoryEffect, not Pure: side-effect free (DCE and CSE may drop or merge
    them) but not speculatable, so LICM never hoists a division out of the
    branch that guards its divisor (MLIR's ConditionallySpeculatable)."""

    __slots__ = ()
    traits = frozenset({SameOperandsAndResultType, NoMemoryEffect})

    def fold_identities(self, operands):
        if _is_int_const(operands[1], 1, self.results[0].type):
            return [self.lhs]
        return None


def _divsi(a, b, t):
    _check_divisor(b)
    return _div_trunc(to_signed(a, t), to_signed(b, t))


@arith.op
class DivSIOp(_DivOp, _IntBinaryOpWithExact):
    """Signed division rounding toward zero."""

    __slots__ = ()
    name = "arith.divsi"
    summary = "signed integer division operation"
    compute_array = _signed_division(_trunc_div_array)
    compute = staticmethod(_divsi)

    def fold_constants(self, operands):
        t = element_type(self.results[0].type)
        lo, _ = _signed_range(t)
        pairs = zip(_flat_ints(attr_to_value(operands[0])), _flat_ints(attr_to_value(operands[1])))
        if any(to_signed(a, t) == lo and to_signed(b, t) == -1 for a, b in pairs):
            return None  # signed overflow (INT_MIN / -1) is undefined: leave it
        return super().fold_constants(operands)


@arith.op
class DivUIOp(_DivOp, _IntBinaryOpWithExact):
    """Unsigned division."""

    __slots__ = ()
    name = "arith.divui"
    summary = "unsigned integer division operation"
    compute_array = _unsigned_division(lambda ua, ub: ua // ub)

    @staticmethod
    def compute(a, b, t):
        _check_divisor(b)
        return to_unsigned(a, t) // to_unsigned(b, t)


@arith.op
class CeilDivSIOp(_DivOp):
    """Signed division rounding toward +infinity."""

    __slots__ = ()
    name = "arith.ceildivsi"
    summary = "signed ceil integer division operation"
    compute_array = _signed_division(lambda sa, sb: sa // sb + (sa % sb != 0))

    @staticmethod
    def compute(a, b, t):
        _check_divisor(b)
        return -(-to_signed(a, t) // to_signed(b, t))


@arith.op
class CeilDivUIOp(_DivOp):
    """Unsigned division rounding toward +infinity."""

    __slots__ = ()
    name = "arith.ceildivui"
    summary = "unsigned ceil integer division operation"
    compute_array = _unsigned_division(lambda ua, ub: ua // ub + (ua % ub != 0))

    @staticmethod
    def compute(a, b, t):
        _check_divisor(b)
        return -(-to_unsigned(a, t) // to_unsigned(b, t))


@arith.op
class FloorDivSIOp(_DivOp):
    """Signed division rounding toward -infinity."""

    __slots__ = ()
    name = "arith.floordivsi"
    summary = "signed floor integer division operation"
    compute_array = _signed_division(lambda sa, sb: sa // sb)

    @staticmethod
    def compute(a, b, t):
        _check_divisor(b)
        return to_signed(a, t) // to_signed(b, t)


class _RemOp(_DivOp):
    """Remainders: like divisions, by zero is an error, so not Pure."""

    __slots__ = ()

    def fold_identities(self, operands):
        t = self.results[0].type
        if _is_int_const(operands[1], 1, t):
            z = _splat_attr(0, t)
            return [z] if z is not None else None
        return None


@arith.op
class RemSIOp(_RemOp):
    """Signed remainder; the result has the sign of the dividend."""

    __slots__ = ()
    name = "arith.remsi"
    summary = "signed integer division remainder operation"
    @staticmethod
    def compute_array(a, b, w):
        sb, minus_one = _divisors(b, w)
        return np.where(minus_one, np.int64(0), np.fmod(signed(a, w), safe_divisor(sb, minus_one)))


    @staticmethod
    def compute(a, b, t):
        _check_divisor(b)
        a, b = to_signed(a, t), to_signed(b, t)
        return a - b * _div_trunc(a, b)


@arith.op
class RemUIOp(_RemOp):
    """Unsigned remainder."""

    __slots__ = ()
    name = "arith.remui"
    summary = "unsigned integer division remainder operation"
    compute_array = _unsigned_division(lambda ua, ub: ua % ub)

    @staticmethod
    def compute(a, b, t):
        _check_divisor(b)
        return to_unsigned(a, t) % to_unsigned(b, t)


@arith.op
class AndIOp(_IntBinaryOp):
    """Bitwise and."""

    __slots__ = ()
    name = "arith.andi"
    summary = "integer binary and"
    compute_array = staticmethod(lambda a, b, w: unsigned(a, w) & unsigned(b, w))
    traits = _IntBinaryOp.traits | {Commutative}
    compute = staticmethod(lambda a, b, t: a & b)

    def fold_identities(self, operands):
        t = self.results[0].type
        if self.lhs is self.rhs:
            return [self.lhs]
        for x, y, c in ((self.lhs, self.rhs, operands[1]), (self.rhs, self.lhs, operands[0])):
            if _is_int_const(c, 0, t):
                return [y]
            if _is_int_const(c, -1, t):
                return [x]
        return None


@arith.op
class OrIOp(_IntBinaryOp):
    """Bitwise or."""

    __slots__ = ()
    name = "arith.ori"
    summary = "integer binary or"
    compute_array = staticmethod(lambda a, b, w: unsigned(a, w) | unsigned(b, w))
    traits = _IntBinaryOp.traits | {Commutative}
    compute = staticmethod(lambda a, b, t: a | b)

    def fold_identities(self, operands):
        t = self.results[0].type
        if self.lhs is self.rhs:
            return [self.lhs]
        for x, y, c in ((self.lhs, self.rhs, operands[1]), (self.rhs, self.lhs, operands[0])):
            if _is_int_const(c, 0, t):
                return [x]
            if _is_int_const(c, -1, t):
                return [y]
        return None


@arith.op
class XOrIOp(_IntBinaryOp):
    """Bitwise exclusive or."""

    __slots__ = ()
    name = "arith.xori"
    summary = "integer binary xor"
    compute_array = staticmethod(lambda a, b, w: unsigned(a, w) ^ unsigned(b, w))
    traits = _IntBinaryOp.traits | {Commutative}
    compute = staticmethod(lambda a, b, t: a ^ b)

    def fold_identities(self, operands):
        t = self.results[0].type
        if self.lhs is self.rhs:
            z = _splat_attr(0, t)
            return [z] if z is not None else None
        if _is_int_const(operands[1], 0, t):
            return [self.lhs]
        if _is_int_const(operands[0], 0, t):
            return [self.rhs]
        return None


class _ShiftOp(_IntBinaryOp):
    """Shifts: the amount is unsigned; an amount >= the width is poison in MLIR
    (see the module docstring for the value the interpreter gives it)."""

    __slots__ = ()

    def fold_identities(self, operands):
        if _is_int_const(operands[1], 0, self.results[0].type):
            return [self.lhs]
        return None

    def fold_constants(self, operands):
        t = element_type(self.results[0].type)
        if any(to_unsigned(b, t) >= _int_width(t) for b in _flat_ints(attr_to_value(operands[1]))):
            return None  # poison in MLIR: leave the op
        return super().fold_constants(operands)


@arith.op
class ShLIOp(_ShiftOp, _IntBinaryOpWithOverflow):
    """Shift left."""

    __slots__ = ()
    name = "arith.shli"
    summary = "integer left-shift"
    @staticmethod
    def compute_array(a, b, w):
        n, past = shift_amount(b, w)
        return np.where(past, np.uint64(0), unsigned(a, w) << np.where(past, np.uint64(0), n))


    @staticmethod
    def compute(a, b, t):
        n = to_unsigned(b, t)
        return 0 if n >= _int_width(t) else a << n


@arith.op
class ShRUIOp(_ShiftOp, _IntBinaryOpWithExact):
    """Logical shift right."""

    __slots__ = ()
    name = "arith.shrui"
    summary = "unsigned integer right-shift"
    @staticmethod
    def compute_array(a, b, w):
        n, past = shift_amount(b, w)
        return np.where(past, np.uint64(0), unsigned(a, w) >> np.where(past, np.uint64(0), n))


    @staticmethod
    def compute(a, b, t):
        n = to_unsigned(b, t)
        return 0 if n >= _int_width(t) else to_unsigned(a, t) >> n


@arith.op
class ShRSIOp(_ShiftOp, _IntBinaryOpWithExact):
    """Arithmetic shift right."""

    __slots__ = ()
    name = "arith.shrsi"
    summary = "signed integer right-shift"
    @staticmethod
    def compute_array(a, b, w):
        n, _ = shift_amount(b, w)  # past the width: the sign fill, as the scalar rule gives
        return signed(a, w) >> np.minimum(n, np.uint64(63)).astype(np.int64)


    @staticmethod
    def compute(a, b, t):
        return to_signed(a, t) >> to_unsigned(b, t)


class _MinMaxIOp(_IntBinaryOp):
    __slots__ = ()
    traits = _IntBinaryOp.traits | {Commutative}
    # (the bound that wins, the bound that loses) as functions of the type
    absorbing = None
    neutral = None

    def fold_identities(self, operands):
        t = self.results[0].type
        if self.lhs is self.rhs:
            return [self.lhs]
        for x, y, c in ((self.lhs, self.rhs, operands[1]), (self.rhs, self.lhs, operands[0])):
            if _is_int_const(c, self.absorbing(t), t):
                return [y]
            if _is_int_const(c, self.neutral(t), t):
                return [x]
        return None


@arith.op
class MaxSIOp(_MinMaxIOp):
    """Signed maximum."""

    __slots__ = ()
    name = "arith.maxsi"
    summary = "signed integer maximum operation"
    compute_array = staticmethod(lambda a, b, w: np.maximum(signed(a, w), signed(b, w)))
    compute = staticmethod(lambda a, b, t: max(to_signed(a, t), to_signed(b, t)))
    absorbing = staticmethod(lambda t: _signed_range(t)[1])
    neutral = staticmethod(lambda t: _signed_range(t)[0])


@arith.op
class MinSIOp(_MinMaxIOp):
    """Signed minimum."""

    __slots__ = ()
    name = "arith.minsi"
    summary = "signed integer minimum operation"
    compute_array = staticmethod(lambda a, b, w: np.minimum(signed(a, w), signed(b, w)))
    compute = staticmethod(lambda a, b, t: min(to_signed(a, t), to_signed(b, t)))
    absorbing = staticmethod(lambda t: _signed_range(t)[0])
    neutral = staticmethod(lambda t: _signed_range(t)[1])


@arith.op
class MaxUIOp(_MinMaxIOp):
    """Unsigned maximum."""

    __slots__ = ()
    name = "arith.maxui"
    summary = "unsigned integer maximum operation"
    compute_array = staticmethod(lambda a, b, w: np.maximum(unsigned(a, w), unsigned(b, w)))
    compute = staticmethod(lambda a, b, t: max(to_unsigned(a, t), to_unsigned(b, t)))
    absorbing = staticmethod(lambda t: -1)
    neutral = staticmethod(lambda t: 0)


@arith.op
class MinUIOp(_MinMaxIOp):
    """Unsigned minimum."""

    __slots__ = ()
    name = "arith.minui"
    summary = "unsigned integer minimum operation"
    compute_array = staticmethod(lambda a, b, w: np.minimum(unsigned(a, w), unsigned(b, w)))
    compute = staticmethod(lambda a, b, t: min(to_unsigned(a, t), to_unsigned(b, t)))
    absorbing = staticmethod(lambda t: 0)
    neutral = staticmethod(lambda t: -1)
