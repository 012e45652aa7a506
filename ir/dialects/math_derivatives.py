"""Derivative rules of the math dialect: one line per op, ``g * f'(x)``.

Each entry gives the partial derivatives as functions ``(ctx, g) -> g·∂f/∂xᵢ``
that build IR; `elementwise` turns them into a JVP and a VJP rule (a scalar
factor is its own transpose).  ``x``/``y`` below are the op's operand and
result, fetched lazily with ``ctx.operand(0)``/``ctx.result()`` so reverse
mode tapes only what a rule uses; ``ctx.emit_on_operand(M.CosOp)`` asks for
``cos(x)`` computed in the forward sweep and taped in place of ``x`` (the
reverse of a loop then computes no cosine).

Conventions at non-differentiable points (documented in docs/ad.md):
- ``absf`` at 0 has derivative 0 (the subgradient of smallest norm);
- ``floor``, ``ceil``, ``trunc``, ``round``, ``roundeven`` have derivative 0
  everywhere (they are piecewise constant);
- ``copysign(a, b)`` is treated as ``a·sign(a)·sign(b)`` in ``a`` and
  constant in ``b``;
- ``powf(x, y)`` differentiates in ``y`` through ``log(x)`` (NaN for x <= 0,
  as the function itself is real only for x > 0 there);
- ``clampf`` gives its derivative to the one operand it returns (at ties the
  value before ``max``, and ``min(value, max)`` before ``min``);
- ``isnan``/``isinf``/... and the integer ops return integers: never active.
"""

from __future__ import annotations

import math

from ..ad_interfaces import elementwise, jvp, non_differentiable, vjp
from . import math as M


def _x(ctx, i=0):
    return ctx.operand(i)


def _c(ctx, value):
    """A constant of the op's result type; shaped like the first operand, whose
    dynamic sizes it takes (tensor<?xf64>)."""
    t = ctx.op.results[0].type
    return ctx.constant(value, ctx.operand(0) if ctx.op.operands[0].type == t else t)


def _sq(ctx, v):
    return ctx.mul(v, v)


def _one_minus_x2(ctx):
    x = _x(ctx)
    return ctx.sub(_c(ctx, 1.0), _sq(ctx, x))


def _rule(op, *partials):
    elementwise(op, partials=partials)


_rule(M.ExpOp, lambda ctx, g: ctx.mul(g, ctx.result()))
_rule(M.Exp2Op, lambda ctx, g: ctx.mul(g, ctx.mul(ctx.result(), _c(ctx, math.log(2.0)))))
_rule(M.ExpM1Op, lambda ctx, g: ctx.mul(g, ctx.add(ctx.result(), _c(ctx, 1.0))))
_rule(M.LogOp, lambda ctx, g: ctx.div(g, _x(ctx)))
_rule(M.Log2Op, lambda ctx, g: ctx.div(g, ctx.mul(_x(ctx), _c(ctx, math.log(2.0)))))
_rule(M.Log10Op, lambda ctx, g: ctx.div(g, ctx.mul(_x(ctx), _c(ctx, math.log(10.0)))))
_rule(M.Log1pOp, lambda ctx, g: ctx.div(g, ctx.add(_x(ctx), _c(ctx, 1.0))))
_rule(M.SinOp, lambda ctx, g: ctx.mul(g, ctx.emit_on_operand(M.CosOp)))
_rule(M.CosOp, lambda ctx, g: ctx.neg(ctx.mul(g, ctx.emit_on_operand(M.SinOp))))
_rule(M.TanOp, lambda ctx, g: ctx.mul(g, ctx.add(_c(ctx, 1.0), _sq(ctx, ctx.result()))))
_rule(M.AsinOp, lambda ctx, g: ctx.mul(g, ctx.emit(M.RsqrtOp, _one_minus_x2(ctx))))
_rule(M.AcosOp, lambda ctx, g: ctx.neg(ctx.mul(g, ctx.emit(M.RsqrtOp, _one_minus_x2(ctx)))))
_rule(M.AtanOp, lambda ctx, g: ctx.div(g, ctx.add(_c(ctx, 1.0), _sq(ctx, _x(ctx)))))
_rule(M.SinhOp, lambda ctx, g: ctx.mul(g, ctx.emit_on_operand(M.CoshOp)))
_rule(M.CoshOp, lambda ctx, g: ctx.mul(g, ctx.emit_on_operand(M.SinhOp)))
_rule(M.TanhOp, lambda ctx, g: ctx.mul(g, ctx.sub(_c(ctx, 1.0), _sq(ctx, ctx.result()))))
_rule(M.AsinhOp, lambda ctx, g: ctx.mul(g, ctx.emit(M.RsqrtOp, ctx.add(_sq(ctx, _x(ctx)), _c(ctx, 1.0)))))
_rule(M.AcoshOp, lambda ctx, g: ctx.mul(g, ctx.emit(M.RsqrtOp, ctx.sub(_sq(ctx, _x(ctx)), _c(ctx, 1.0)))))
_rule(M.AtanhOp, lambda ctx, g: ctx.div(g, _one_minus_x2(ctx)))
_rule(M.SqrtOp, lambda ctx, g: ctx.div(g, ctx.mul(_c(ctx, 2.0), ctx.result())))
_rule(M.RsqrtOp, lambda ctx, g: ctx.mul(g, ctx.mul(_c(ctx, -0.5), ctx.mul(ctx.result(), _sq(ctx, ctx.result())))))
_rule(M.CbrtOp, lambda ctx, g: ctx.div(g, ctx.mul(_c(ctx, 3.0), _sq(ctx, ctx.result()))))
_rule(M.ErfOp, lambda ctx, g: ctx.mul(g, ctx.mul(_c(ctx, 2.0 / math.sqrt(math.pi)),
                                                 ctx.emit(M.ExpOp, ctx.neg(_sq(ctx, _x(ctx)))))))
_rule(M.ErfcOp, lambda ctx, g: ctx.mul(g, ctx.mul(_c(ctx, -2.0 / math.sqrt(math.pi)),
                                                  ctx.emit(M.ExpOp, ctx.neg(_sq(ctx, _x(ctx)))))))


def _abs_partial(ctx, g):
    """g·sign(x), with sign(0) = 0."""
    x = _x(ctx)
    zero = _c(ctx, 0.0)
    neg = ctx.select(ctx.cmpf("olt", x, zero), ctx.neg(g), None, x)
    return ctx.select(ctx.cmpf("ogt", x, zero), g, neg, x)


_rule(M.AbsFOp, _abs_partial)
non_differentiable(M.FloorOp, M.CeilOp, M.TruncOp, M.RoundOp, M.RoundEvenOp)

# binary and ternary ops
_rule(
    M.PowFOp,
    lambda ctx, g: ctx.mul(g, ctx.mul(_x(ctx, 1), ctx.emit(M.PowFOp, _x(ctx, 0), ctx.sub(_x(ctx, 1), _c(ctx, 1.0))))),
    lambda ctx, g: ctx.mul(g, ctx.mul(ctx.emit(M.LogOp, _x(ctx, 0)), ctx.result())),
)


def _atan2_denominator(ctx):
    return ctx.add(_sq(ctx, _x(ctx, 0)), _sq(ctx, _x(ctx, 1)))


_rule(
    M.Atan2Op,  # atan2(a, b): d/da = b / (a² + b²), d/db = -a / (a² + b²)
    lambda ctx, g: ctx.div(ctx.mul(g, _x(ctx, 1)), _atan2_denominator(ctx)),
    lambda ctx, g: ctx.neg(ctx.div(ctx.mul(g, _x(ctx, 0)), _atan2_denominator(ctx))),
)
_rule(
    M.CopySignOp,
    lambda ctx, g: ctx.mul(g, ctx.mul(ctx.emit(M.CopySignOp, _c(ctx, 1.0), _x(ctx, 0)),
                                      ctx.emit(M.CopySignOp, _c(ctx, 1.0), _x(ctx, 1)))),
    lambda ctx, g: None,
)
_rule(
    M.FmaOp,
    lambda ctx, g: ctx.mul(g, _x(ctx, 1)),
    lambda ctx, g: ctx.mul(g, _x(ctx, 0)),
    lambda ctx, g: g,
)


def _fpowi_partial(ctx, g):
    """d/dx x^n = n·x^(n-1)."""
    from . import arith as A

    n = _x(ctx, 1)
    one = ctx.b.create(A.ConstantOp, value=_int_attr(1, n.type), result_types=[n.type]).results[0]
    n1 = ctx.emit(A.SubIOp, n, one)
    nf = ctx.emit(A.SIToFPOp, n, result_types=[ctx.op.results[0].type])
    return ctx.mul(g, ctx.mul(nf, ctx.emit(M.FPowIOp, _x(ctx, 0), n1)))


def _int_attr(v, t):
    from ..attributes import IntegerAttr

    return IntegerAttr(v, t)


_rule(M.FPowIOp, _fpowi_partial, lambda ctx, g: None)


# clampf(v, lo, hi) = maximumf(minimumf(v, hi), lo): the result is exactly one of
# its operands, and its derivative goes to that one (at ties: v before hi, and
# the inner minimum before lo, so the three partials always sum to g)
def _clamp_choices(ctx):
    """(inner takes v, outer takes the inner minimum) as i1 values."""
    from . import arith as A

    v, lo, hi = _x(ctx, 0), _x(ctx, 1), _x(ctx, 2)
    inner = ctx.emit(A.MinimumFOp, v, hi)
    return ctx.cmpf("ole", v, hi), ctx.cmpf("oge", inner, lo)


def _clamp_value_partial(ctx, g):
    takes_value, takes_inner = _clamp_choices(ctx)
    return ctx.select(takes_inner, ctx.select(takes_value, g, None, g), None, g)


def _clamp_min_partial(ctx, g):
    _, takes_inner = _clamp_choices(ctx)
    return ctx.select(takes_inner, None, g, g)


def _clamp_max_partial(ctx, g):
    takes_value, takes_inner = _clamp_choices(ctx)
    return ctx.select(takes_inner, ctx.select(takes_value, None, g, g), None, g)


_rule(M.ClampFOp, _clamp_value_partial, _clamp_min_partial, _clamp_max_partial)


# sincos has two results: d sin = cos·dx, d cos = -sin·dx (reusing the results)
@jvp(M.SincosOp)
def _sincos_jvp(ctx, op, tangents):
    t = tangents[0]
    return [ctx.mul(t, ctx.result(1)), ctx.neg(ctx.mul(t, ctx.result(0)))]


@vjp(M.SincosOp)
def _sincos_vjp(ctx, op, cotangents):
    ct_sin, ct_cos = cotangents
    return [ctx.sub(ctx.mul(ct_sin, ctx.result(1)), ctx.mul(ct_cos, ctx.result(0)))]
