"""arith's integer arithmetic: addi subi muli, the divisions and remainders,
andi ori xori, the shifts, and the signed/unsigned min/max.  Registered with
the `arith` dialect and re-exported by `irc.dialects.arith`, which imports
this module once the shared base classes and helpers exist."""

from __future__ import annotations

from ..interpreter import to_signed, to_unsigned
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


@arith.op
class AddIOp(_IntBinaryOpWithOverflow):
    """Integer addition modulo 2^n."""

    __slots__ = ()
    name = "arith.addi"
    summary = "integer addition operation"
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
    compute = staticmethod(lambda a, b, t: max(to_signed(a, t), to_signed(b, t)))
    absorbing = staticmethod(lambda t: _signed_range(t)[1])
    neutral = staticmethod(lambda t: _signed_range(t)[0])


@arith.op
class MinSIOp(_MinMaxIOp):
    """Signed minimum."""

    __slots__ = ()
    name = "arith.minsi"
    summary = "signed integer minimum operation"
    compute = staticmethod(lambda a, b, t: min(to_signed(a, t), to_signed(b, t)))
    absorbing = staticmethod(lambda t: _signed_range(t)[0])
    neutral = staticmethod(lambda t: _signed_range(t)[1])


@arith.op
class MaxUIOp(_MinMaxIOp):
    """Unsigned maximum."""

    __slots__ = ()
    name = "arith.maxui"
    summary = "unsigned integer maximum operation"
    compute = staticmethod(lambda a, b, t: max(to_unsigned(a, t), to_unsigned(b, t)))
    absorbing = staticmethod(lambda t: -1)
    neutral = staticmethod(lambda t: 0)


@arith.op
class MinUIOp(_MinMaxIOp):
    """Unsigned minimum."""

    __slots__ = ()
    name = "arith.minui"
    summary = "unsigned integer minimum operation"
    compute = staticmethod(lambda a, b, t: min(to_unsigned(a, t), to_unsigned(b, t)))
    absorbing = staticmethod(lambda t: 0)
    neutral = staticmethod(lambda t: -1)
