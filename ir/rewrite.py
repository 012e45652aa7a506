"""Rewrite patterns and the rewriter they mutate IR through.

A pattern matches one shape rooted at one op and rewrites it::

    class AddZero(RewritePattern):
        root = "arith.addi"
        def match_and_rewrite(self, op, rewriter) -> bool:
            if not is_constant_int(op.rhs, 0):
                return False
            rewriter.replace_op(op, [op.lhs])
            return True

Op classes list their patterns in ``canonicalization_patterns``; the greedy
driver (irc.passes.rewrite) applies them with folding until a fixed point.
Patterns must make every change through the rewriter so the driver sees it.
"""

from __future__ import annotations

from typing import Callable, List, Optional, Sequence

from .attributes import Attribute, DenseElementsAttr, FloatAttr, IntegerAttr
from .builder import Builder, InsertionPoint
from .core import Operation, Value
from .traits import ConstantLike


class RewritePattern:
    """Base class; set `root` to an op name (or None to match any op)."""

    root: Optional[str] = None
    benefit: int = 1

    def match_and_rewrite(self, op: Operation, rewriter: "PatternRewriter") -> bool:
        raise NotImplementedError


class PatternRewriter(Builder):
    """A Builder whose mutations are reported to listeners (the greedy driver's worklist)."""

    def __init__(self):
        super().__init__()
        self.on_insert: List[Callable[[Operation], None]] = []
        self.on_erase: List[Callable[[Operation], None]] = []
        self.on_modify: List[Callable[[Operation], None]] = []

    def insert(self, op: Operation) -> Operation:
        super().insert(op)
        for f in self.on_insert:
            f(op)
        return op

    def _notify_users(self, value: Value) -> None:
        for u in value.uses:
            for f in self.on_modify:
                f(u.owner)

    def replace_all_uses_with(self, old: Value, new: Value) -> None:
        users = [u.owner for u in old.uses]
        old.replace_all_uses_with(new)
        for user in users:
            for f in self.on_modify:
                f(user)

    def replace_op(self, op: Operation, values: Sequence[Value]) -> None:
        """Replace every result of `op` by `values`, then erase `op`."""
        for r, v in zip(op.results, values):
            self.replace_all_uses_with(r, v)
        self.erase_op(op)

    def replace_op_with_new(self, op: Operation, op_class, *operands, **kwargs) -> Operation:
        self.set_insertion_point(InsertionPoint.before_op(op))
        kwargs.setdefault("location", op.location)
        new = self.create(op_class, *operands, **kwargs)
        self.replace_op(op, new.results)
        return new

    def erase_op(self, op: Operation) -> None:
        for nested in op.walk():
            for f in self.on_erase:
                f(nested)
        for operand in op.operands:
            d = operand.defining_op
            if d is not None:
                for f in self.on_modify:
                    f(d)
        for r in op.results:
            if r.uses:  # dropping a still-used op would corrupt the IR
                raise ValueError(f"erasing '{op.op_name}' whose result is still used")
        op.erase()

    def modify_op_in_place(self, op: Operation, fn: Callable[[], None]) -> None:
        fn()
        for f in self.on_modify:
            f(op)


# ----------------------------------------------------------------------------
# constant matching helpers used by folders and patterns


def constant_value(v: Value) -> Optional[Attribute]:
    """The attribute of a ConstantLike op defining `v`, else None."""
    op = v.defining_op
    if op is not None and op.has_trait(ConstantLike):
        return op.attributes.get("value")
    return None


def is_constant_int(v: Value, n: int) -> bool:
    a = constant_value(v)
    if isinstance(a, IntegerAttr):
        return a.value == n
    if isinstance(a, DenseElementsAttr) and a.is_splat:
        return int(a.array.reshape(-1)[0]) == n
    return False


def is_constant_float(v: Value, x: float) -> bool:
    """Exact (bitwise) comparison: -0.0 is not 0.0."""
    import math

    a = constant_value(v)
    if isinstance(a, FloatAttr):
        return a.value == x and math.copysign(1.0, a.value) == math.copysign(1.0, x)
    if isinstance(a, DenseElementsAttr) and a.is_splat:
        y = float(a.array.reshape(-1)[0])
        return y == x and math.copysign(1.0, y) == math.copysign(1.0, x)
    return False
