"""Derivative rules: the interfaces ops register them through, and the small
context API a rule uses to build IR.

A rule is a short function beside its op (``ir/dialects/*_derivatives.py``)
that *builds IR* with the context's builder, the way JAX's ``ad.py`` writes
``sin``'s JVP as ``g * cos(x)``::

    @jvp(SinOp)
    def _(ctx, op, t):                  # t: one tangent per operand (None = zero)
        return [ctx.mul(t[0], ctx.emit(CosOp, ctx.operand(0)))]

    @vjp(SinOp)
    def _(ctx, op, ct):                 # ct: one cotangent per result (None = zero)
        return [ctx.mul(ct[0], ctx.emit(CosOp, ctx.operand(0)))]

`ctx.operand(i)` / `ctx.result(i)` are the op's primal values *where the
rule is building* (in reverse mode inside a loop they come from a tape; the
rule need not care).  A rule returns one tangent per result (JVP) or one
cotangent per operand (VJP); `None` means zero, and the helpers below treat
`None` as zero (``ctx.mul(None, x)`` is None, ``ctx.add(None, x)`` is x), so
no zero arithmetic is ever emitted.

Ops with regions (scf.for, scf.if, scf.while, func.call) register rules with
``emits_primal=True`` (JVP: the rule also builds the primal op and returns
``(primal_results, tangents)``) and use the region helpers of the mode's
context (`jvp_block`, `reverse_block`); see ``ir/dialects/scf_derivatives.py``.

Ops whose results carry no derivative (comparisons, floor, integer ops,
``ad.stop_gradient``) are declared `non_differentiable`: activity analysis
never marks their results active.  An active op without a rule is a located
error naming the op.
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass
from typing import Callable, List, Optional, Sequence

from .builder import Builder, InsertionPoint
from .core import Operation, Value
from .diagnostics import error
from .interfaces import rule_interface
from .types import ShapedType, Type, is_float_like


@dataclass(frozen=True)
class Rule:
    """A registered derivative rule.

    `emits_primal`: the rule builds the primal op itself (ops with regions,
    calls); otherwise the driver clones the primal op first.
    """

    fn: Callable
    emits_primal: bool = False
    always: bool = False  # run whenever an operand is active, even with no active result (tape ops)


jvp_rules = rule_interface("ad.jvp", "forward-mode rule: fn(ctx, op, tangents) -> tangents of results")
vjp_rules = rule_interface("ad.vjp", "reverse-mode rule: fn(ctx, op, cotangents) -> cotangents of operands")
non_differentiable_ops = rule_interface("ad.non_differentiable", "True: results carry no derivative")


def jvp(*ops, emits_primal: bool = False, always: bool = False):
    """Register a forward-mode (JVP) rule for ops (classes or names)."""

    def deco(fn):
        for o in ops:
            jvp_rules.register_value(o, Rule(fn, emits_primal, always))
        return fn

    return deco


def vjp(*ops, always: bool = False):
    """Register a reverse-mode (VJP) rule for ops (classes or names)."""

    def deco(fn):
        for o in ops:
            vjp_rules.register_value(o, Rule(fn, False, always))
        return fn

    return deco


def non_differentiable(*ops) -> None:
    """Declare ops whose results have zero derivative everywhere (or are not real-valued)."""
    for o in ops:
        non_differentiable_ops.register_value(o, True)


# ----------------------------------------------------------------------------
# the context a rule builds with


class RuleContext:
    """What a rule sees: a builder at the right place, the op's primal values,
    and arithmetic helpers that treat None as zero.

    Subclassed by the forward and reverse drivers (``passes/ad``), which say
    how `primal` finds a value.
    """

    def __init__(self, builder):
        self.b = builder
        self.op: Optional[Operation] = None  # the op whose rule is running

    # -- primal values -----------------------------------------------------------------
    def primal(self, v: Value) -> Value:
        """The primal value of original value `v`, usable where the rule builds."""
        raise NotImplementedError

    def operand(self, i: int) -> Value:
        return self.primal(self.op.operands[i])

    def result(self, i: int = 0) -> Value:
        return self.primal(self.op.results[i])

    # -- building --------------------------------------------------------------------------
    @contextmanager
    def at_end(self, block):
        """Build at the end of `block`'s body: before its terminator if a builder put one there
        (``scf.for`` without iter args and ``scf.if`` without results come with an empty yield)."""
        with self.b.at(body_end(block)):
            yield self

    def terminate(self, block, op_class, *operands, location=None) -> Operation:
        """End `block` with ``op_class(*operands)``, replacing the terminator it may already have."""
        old = block.terminator
        if old is not None:
            old.erase()
        loc = self.b.location if location is None else location
        return Builder(InsertionPoint.at_end(block), loc).create(op_class, *operands)

    def emit(self, op_class, *operands, **kwargs) -> Value:
        """Build `op_class` at the insertion point; its single result (or the op)."""
        op = self.b.create(op_class, *operands, **kwargs)
        return op.results[0] if len(op.results) == 1 else op

    def emit_on_operand(self, op_class, i: int = 0) -> Value:
        """``op_class(operand i)``, a primal factor of the rule (sin's ``cos(x)``); the op's
        result has its operand's type.  Reverse mode computes it in the forward sweep beside
        the operand and tapes it in place of the operand, so a loop's reverse sweep does not
        recompute it (JAX's linearize keeps such residuals the same way)."""
        return self.emit(op_class, self.operand(i))

    def constant(self, value: float, like) -> Value:
        """A float constant of the type of `like` (a Value or a Type): splat for shaped types,
        ``tensor.splat`` over `like`'s sizes when the shape is dynamic (then `like` must be
        a value where the rule builds)."""
        from .ad_types import full

        t, like_value = self._like(like)
        try:
            return full(self.b, value, t, like_value)
        except ValueError as e:
            raise (self.op.emit_error(str(e)) if self.op is not None else error(str(e), self.b.location))

    def _like(self, like):
        """(type, what gives its dynamic sizes where the rule builds) of `like`: a Type, a
        value where the rule builds, or an original value.  For a tensor of dynamic shape
        that is the list of its sizes (`dynamic_sizes`: the reverse sweep tapes those
        indices, never the tensor), for other shaped types its primal value."""
        if isinstance(like, Type):
            return like, None
        t = like.type
        if isinstance(t, ShapedType) and not t.has_static_shape:
            from .types import TensorType

            try:
                like = self.dynamic_sizes(like) if isinstance(t, TensorType) else self.primal(like)
            except NotImplementedError:  # a bare context: `like` is already where it builds
                pass
        return t, like

    def dynamic_sizes(self, v: Value) -> List[Value]:
        """The sizes of tensor `v`'s dynamic dimensions where the rule builds (``tensor.dim``
        of its primal; the reverse sweep reads them from the forward sweep, where a loop
        tapes only these indices)."""
        from .dialects.tensor import dynamic_sizes

        return dynamic_sizes(self.b, self.primal(v))

    def zero(self, like) -> Value:
        """A zero tangent of `like`'s type (`TangentSpace.zero`); a value, not a type, where
        the shape may be dynamic."""
        from .ad_types import TangentSpace

        t, like_value = self._like(like)
        space = TangentSpace.get(t)
        if space is None:
            return self.constant(0.0, like)
        try:
            return space.zero(self.b, like_value)
        except ValueError as e:
            raise (self.op.emit_error(str(e)) if self.op is not None else error(str(e), self.b.location))

    def materialize(self, v: Optional[Value], like) -> Value:
        """`v`, or a zero of `like`'s type when `v` is None."""
        return v if v is not None else self.zero(like)

    def adjoint_init(self, operand: Value) -> Value:
        """What a rule accumulates original `operand`'s cotangent onto (a destination-style
        rule builds ``init + ct``): a zero of its type.  A context over buffers answers with
        the operand's shadow, so the same rule accumulates into it in place
        (``ir/dialects/linalg_buffer_derivatives.py``)."""
        return self.zero(operand)

    # -- arithmetic with None as zero ------------------------------------------------------
    def add(self, a: Optional[Value], b: Optional[Value]) -> Optional[Value]:
        if a is None:
            return b
        if b is None:
            return a
        from .ad_types import TangentSpace

        return TangentSpace.of(a.type).add(self.b, a, b)

    def sub(self, a: Optional[Value], b: Optional[Value]) -> Optional[Value]:
        if b is None:
            return a
        if a is None:
            return self.neg(b)
        from .dialects.arith import SubFOp

        return self.emit(SubFOp, a, b)

    def neg(self, a: Optional[Value]) -> Optional[Value]:
        if a is None:
            return None
        from .dialects.arith import NegFOp

        return self.emit(NegFOp, a)

    def mul(self, a: Optional[Value], b: Optional[Value]) -> Optional[Value]:
        if a is None or b is None:
            return None
        from .dialects.arith import MulFOp

        return self.emit(MulFOp, a, b)

    def div(self, a: Optional[Value], b: Value) -> Optional[Value]:
        if a is None:
            return None
        from .dialects.arith import DivFOp

        return self.emit(DivFOp, a, b)

    def select(self, cond: Value, a: Optional[Value], b: Optional[Value], like) -> Optional[Value]:
        """`cond ? a : b` with None as zero (None when both are zero)."""
        if a is None and b is None:
            return None
        from .dialects.arith import SelectOp

        return self.emit(SelectOp, cond, self.materialize(a, like), self.materialize(b, like))

    def cmpf(self, predicate: str, a: Value, b: Value) -> Value:
        return cmpf_value(self.b, predicate, a, b)

    def sum(self, values: Sequence[Optional[Value]]) -> Optional[Value]:
        out = None
        for v in values:
            out = self.add(out, v)
        return out


def body_end(block) -> InsertionPoint:
    """Where code goes at the end of `block`: before its terminator, if it has one."""
    term = block.terminator
    return InsertionPoint(block, term) if term is not None else InsertionPoint.at_end(block)


def dense_splat(value: float, t: ShapedType):
    """A splat DenseElementsAttr of `value` for shaped type `t`."""
    import numpy as np

    from .attributes import DenseElementsAttr, numpy_dtype

    # one element broadcast (a splat view): a zero of a huge static shape costs no memory
    return DenseElementsAttr(t, np.broadcast_to(np.array(value, dtype=numpy_dtype(t.element_type)), t.shape))


def cmpf_value(builder, predicate: str, a: Value, b: Value) -> Value:
    """``arith.cmpf <predicate>, a, b`` at `builder`."""
    from .dialects.arith import CmpFOp

    return builder.insert(CmpFOp.create(predicate, a, b, location=builder.location)).results[0]


def is_differentiable_type(t: Type) -> bool:
    """Float scalars and tensors/vectors of floats carry derivatives, and any type whose
    `TangentSpace` model says so (tapes of floats, whose shadow tapes carry the
    derivatives of what they hold)."""
    from .ad_types import is_differentiable_type as through_interface

    return through_interface(t)


def elementwise(*ops, partials: Sequence[Callable]):
    """Register both rules of an elementwise op from its partial derivatives.

    ``partials[i](ctx, g)`` builds ``g * d result / d operand_i`` (a scalar
    factor, so it is its own transpose): the JVP is the sum over operands
    with a tangent, the VJP applies each partial to the result's cotangent
    (only for active operands).  A partial may return None (zero).
    """

    def jvp_rule(ctx, op, t):
        return [ctx.sum([p(ctx, ti) for p, ti in zip(partials, t) if ti is not None])]

    def vjp_rule(ctx, op, ct):
        g = ct[0]
        return [p(ctx, g) if g is not None and ctx.is_active(v) else None for p, v in zip(partials, op.operands)]

    jvp(*ops)(jvp_rule)
    vjp(*ops)(vjp_rule)


def _rebuild(ctx, op, operands):
    """`op`'s kind and attributes applied to `operands` at the rule's builder; its results."""
    from .opdef import create_operation

    new = create_operation(op.op_name, list(operands), list(op.result_types), dict(op.attributes),
                           regions=[r.clone() for r in op.regions], location=ctx.b.location)
    return list(ctx.b.insert(new).results)


def linear(*ops, transpose: Callable, linear_operands: Optional[Sequence[int]] = None):
    """Register both rules of an op that is linear in its float operands (JAX's
    ``deflinear``): the JVP applies the op itself to the tangents (zero where an
    operand is inactive; the other operands, such as indices, stay primal), and
    ``transpose(ctx, op, cts)`` builds the VJP: one cotangent per operand (None
    for zero or non-differentiable ones) from the results' cotangents.
    `linear_operands` names the positions the op is linear in (default: every
    operand of a differentiable type).
    """

    def positions(op):
        if linear_operands is not None:
            return list(linear_operands)
        return [i for i, v in enumerate(op.operands) if is_differentiable_type(v.type)]

    def jvp_rule(ctx, op, t):
        lin = positions(op)
        if all(t[i] is None for i in lin):
            return [None] * len(op.results)
        operands = [ctx.materialize(t[i], ctx.operand(i)) if i in lin else ctx.operand(i)
                    for i in range(len(op.operands))]
        return _rebuild(ctx, op, operands)

    def vjp_rule(ctx, op, ct):
        if all(c is None for c in ct):
            return [None] * len(op.operands)
        cts = [ctx.materialize(c, op.results[k]) for k, c in enumerate(ct)]
        outs = list(transpose(ctx, op, cts))
        return [c if ctx.is_active(v) else None for c, v in zip(outs, op.operands)]

    jvp(*ops)(jvp_rule)
    vjp(*ops)(vjp_rule)


def bilinear(*ops, transpose_lhs: Callable, transpose_rhs: Callable, lhs: int = 0, rhs: int = 1):
    """Register both rules of an op linear in each of two operands when the other is
    fixed (JAX's ``defbilinear``: a product, a matmul).  JVP: ``op(dlhs, rhs) + op(lhs,
    drhs)``; VJP: ``transpose_lhs(ctx, op, ct)`` is the lhs cotangent (the transpose of
    ``x -> op(x, rhs)`` applied to the result's cotangent `ct`), ``transpose_rhs``
    the rhs one.  Rules read the other operand with ``ctx.operand(i)``."""

    def jvp_rule(ctx, op, t):
        terms = []
        for i, other in ((lhs, rhs), (rhs, lhs)):
            if t[i] is not None:
                operands = [ctx.operand(k) for k in range(len(op.operands))]
                operands[i] = t[i]
                terms.append(_rebuild(ctx, op, operands)[0])
        return [ctx.sum(terms)]

    def vjp_rule(ctx, op, ct):
        out = [None] * len(op.operands)
        if ct[0] is None:
            return out
        if ctx.is_active(op.operands[lhs]):
            out[lhs] = transpose_lhs(ctx, op, ct[0])
        if ctx.is_active(op.operands[rhs]):
            out[rhs] = transpose_rhs(ctx, op, ct[0])
        return out

    jvp(*ops)(jvp_rule)
    vjp(*ops)(vjp_rule)
