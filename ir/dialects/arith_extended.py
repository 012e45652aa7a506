"""arith's two-result integer ops: ``arith.addui_extended`` (sum and unsigned
overflow bit) and ``arith.mulsi_extended`` / ``arith.mului_extended`` (low and
high halves of the double-width product).  Registered with the `arith`
dialect and re-exported by `irc.dialects.arith`.

The interpreter computes them exactly on Python integers (no overflow of a
machine type anywhere); the folders are MLIR's: constants fold, ``x + 0``
is ``(x, false)``, ``x * 0`` is ``(0, 0)`` and, unsigned, ``x * 1`` is
``(x, 0)``.
"""

from __future__ import annotations

from typing import List

from ..lazy_numpy import np
from ..attributes import numpy_dtype
from ..interpreter import to_signed, to_unsigned, wrap
from ..opdef import Operand, Result
from ..traits import Commutative, ElementwiseMappable, Pure, verify_elementwise
from ..types import Type, element_type, i1, with_element_type
from .arith import (
    ArithOp,
    BoolLike,
    SignlessIntegerOrIndexLike,
    _int_width,
    _is_int_const,
    _splat_attr,
    arith,
)

__all__ = ["AddUIExtendedOp", "MulSIExtendedOp", "MulUIExtendedOp"]


def _pairwise(fn, a, b, types: List[Type]):
    """Apply ``fn(x, y) -> (r0, r1)`` (Python ints) to scalars or element by element
    to arrays; each result comes back in the runtime form of its type in `types`."""
    if not isinstance(a, np.ndarray) and not isinstance(b, np.ndarray):
        return list(fn(a, b))
    shape = a.shape if isinstance(a, np.ndarray) else b.shape
    xs = np.broadcast_to(a, shape).reshape(-1).tolist()
    ys = np.broadcast_to(b, shape).reshape(-1).tolist()
    pairs = [fn(x, y) for x, y in zip(xs, ys)]
    return [
        np.array([p[k] for p in pairs], dtype=numpy_dtype(element_type(t))).reshape(shape)
        for k, t in enumerate(types)
    ]


class _ExtendedOp(ArithOp):
    """Two results computed together from two integer operands, elementwise."""

    __slots__ = ()
    traits = frozenset({Pure, Commutative, ElementwiseMappable})

    def compute(self, a: int, b: int, t: Type):
        """One element: operands as stored (signed range of `t`), the two results out."""
        raise NotImplementedError

    def evaluate(self, args):
        t = element_type(self.operands[0].type)
        return _pairwise(lambda a, b: self.compute(a, b, t), args[0], args[1], [r.type for r in self.results])

    # the operands and results of one type (MLIR's AllTypesMatch)
    same_type = ("lhs", "rhs")

    def verify(self) -> None:
        verify_elementwise(self)
        if len({getattr(self, name).type for name in self.same_type}) > 1:
            raise self.emit_error(f"failed to verify that all of {{{', '.join(self.same_type)}}} have same type")


@arith.op
class AddUIExtendedOp(_ExtendedOp):
    """Unsigned addition with an overflow bit: ``sum = (a + b) mod 2^n`` and
    ``overflow = a + b >= 2^n`` (the carry out)."""

    __slots__ = ()
    name = "arith.addui_extended"
    summary = "extended unsigned integer addition operation returning sum and overflow bit"
    operand_defs = (Operand("lhs", SignlessIntegerOrIndexLike), Operand("rhs", SignlessIntegerOrIndexLike))
    result_defs = (Result("sum", SignlessIntegerOrIndexLike), Result("overflow", BoolLike))
    format = "$lhs `,` $rhs attr-dict `:` type($sum) `,` type($overflow)"
    same_type = ("lhs", "rhs", "sum")

    @classmethod
    def infer_result_types(cls, operand_types, attributes, regions=()):
        return [operand_types[0], with_element_type(operand_types[0], i1)]

    def compute(self, a, b, t):
        total = to_unsigned(a, t) + to_unsigned(b, t)
        return wrap(total, t), int(total >> _int_width(t) != 0)

    def verify(self) -> None:
        super().verify()
        want = with_element_type(self.results[0].type, i1)
        if self.results[1].type != want:
            raise self.emit_error(f"overflow must be {want} to match the sum, but got {self.results[1].type}")

    def fold_identities(self, operands):
        t = self.results[0].type
        false = _splat_attr(0, self.results[1].type)
        for x, c in ((self.lhs, operands[1]), (self.rhs, operands[0])):
            if _is_int_const(c, 0, t) and false is not None:
                return [x, false]
        return None


class _MulExtendedOp(_ExtendedOp):
    """``low, high``: the two halves of the exact 2n-bit product."""

    __slots__ = ()
    operand_defs = (Operand("lhs", SignlessIntegerOrIndexLike), Operand("rhs", SignlessIntegerOrIndexLike))
    result_defs = (Result("low", SignlessIntegerOrIndexLike), Result("high", SignlessIntegerOrIndexLike))
    format = "$lhs `,` $rhs attr-dict `:` type($lhs)"
    same_type = ("lhs", "rhs", "low", "high")
    signed = True

    @classmethod
    def infer_result_types(cls, operand_types, attributes, regions=()):
        return [operand_types[0], operand_types[0]]

    def compute(self, a, b, t):
        view = to_signed if self.signed else to_unsigned
        product = view(a, t) * view(b, t)
        return wrap(product, t), wrap(product >> _int_width(t), t)

    def fold_identities(self, operands):
        t = self.results[0].type
        zero = _splat_attr(0, t)
        for x, c in ((self.lhs, operands[1]), (self.rhs, operands[0])):
            if zero is not None and _is_int_const(c, 0, t):
                return [zero, zero]
            if zero is not None and not self.signed and _is_int_const(c, 1, t):
                return [x, zero]
        return None


@arith.op
class MulSIExtendedOp(_MulExtendedOp):
    """Signed multiplication giving the low and high n bits of the 2n-bit product."""

    __slots__ = ()
    name = "arith.mulsi_extended"
    summary = "extended signed integer multiplication operation"
    signed = True


@arith.op
class MulUIExtendedOp(_MulExtendedOp):
    """Unsigned multiplication giving the low and high n bits of the 2n-bit product."""

    __slots__ = ()
    name = "arith.mului_extended"
    summary = "extended unsigned integer multiplication operation"
    signed = False
