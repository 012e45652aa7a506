"""Derivative rules of the arith dialect, one short entry per op.

Partial derivatives ``(ctx, g) -> g·∂f/∂xᵢ`` build IR (see
`irc.ad_interfaces.elementwise`); casts between float widths have their own
pair of rules because the cotangent goes back to the operand's type.

Conventions at non-differentiable points (docs/ad.md):
- ``maximumf``/``maxnumf`` ties send the whole gradient to the first
  argument (``lhs >= rhs``), ``minimumf``/``minnumf`` likewise (``lhs <= rhs``);
- ``select`` is differentiable in the chosen value, never in the condition;
- ``remf(a, b) = a - trunc(a/b)·b``: ∂/∂a = 1, ∂/∂b = -trunc(a/b);
- comparisons, integer arithmetic and float->int casts give integers, which
  are never active; ``bitcast`` is not differentiable.
"""

from __future__ import annotations

from ..ad_interfaces import elementwise, jvp, non_differentiable, vjp
from . import arith as A
from . import math as M


def _rule(op, *partials):
    elementwise(op, partials=partials)


def _x(ctx, i):
    return ctx.operand(i)


_rule(A.AddFOp, lambda ctx, g: g, lambda ctx, g: g)
_rule(A.SubFOp, lambda ctx, g: g, lambda ctx, g: ctx.neg(g))
_rule(A.MulFOp, lambda ctx, g: ctx.mul(g, _x(ctx, 1)), lambda ctx, g: ctx.mul(g, _x(ctx, 0)))
_rule(
    A.DivFOp,
    lambda ctx, g: ctx.div(g, _x(ctx, 1)),
    lambda ctx, g: ctx.neg(ctx.div(ctx.mul(g, ctx.result()), _x(ctx, 1))),
)
_rule(A.NegFOp, lambda ctx, g: ctx.neg(g))
_rule(
    A.RemFOp,
    lambda ctx, g: g,
    lambda ctx, g: ctx.neg(ctx.mul(g, ctx.emit(M.TruncOp, ctx.div(_x(ctx, 0), _x(ctx, 1))))),
)


def _pick(predicate, first: bool):
    """Partial of a max/min: the gradient goes to the operand the op picked (ties: the first)."""

    def partial(ctx, g):
        took_lhs = ctx.cmpf(predicate, _x(ctx, 0), _x(ctx, 1))
        return ctx.select(took_lhs, g, None, g) if first else ctx.select(took_lhs, None, g, g)

    return partial


for _op in (A.MaximumFOp, A.MaxNumFOp):
    _rule(_op, _pick("oge", True), _pick("oge", False))
for _op in (A.MinimumFOp, A.MinNumFOp):
    _rule(_op, _pick("ole", True), _pick("ole", False))

_rule(
    A.SelectOp,
    lambda ctx, g: None,
    lambda ctx, g: ctx.select(_x(ctx, 0), g, None, g),
    lambda ctx, g: ctx.select(_x(ctx, 0), None, g, g),
)


# float width casts: the tangent follows the cast, the cotangent goes back
def _cast_rules(op, back):
    @jvp(op)
    def _jvp(ctx, o, t):
        return [ctx.emit(op, t[0], result_types=[o.results[0].type]) if t[0] is not None else None]

    @vjp(op)
    def _vjp(ctx, o, ct):
        return [ctx.emit(back, ct[0], result_types=[o.operands[0].type])]


_cast_rules(A.ExtFOp, A.TruncFOp)
_cast_rules(A.TruncFOp, A.ExtFOp)

non_differentiable(A.ConstantOp, A.BitcastOp, A.CmpFOp, A.CmpIOp, A.FPToSIOp, A.FPToUIOp)
