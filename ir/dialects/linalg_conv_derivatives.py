"""Derivative rules of linalg's convolutions and poolings, built from their
indexing maps (so one rule serves every layout, stride and dilation).

A convolution ``O[mO] += I[mI] * K[mK]`` over a loop domain is bilinear
(JAX's ``defbilinear``): its JVP applies the op to each tangent in turn,
accumulating into the init's tangent.  Its transposes are the same loop nest
with the roles swapped (``linalg.generic`` ops, readable IR):

- w.r.t. the input, ``dI[mI] += dO[mO] * K[mK]``: a scatter through the
  strided, dilated input map, i.e. the transposed convolution; a loop is
  parallel only where it is a plain index of ``dI`` used nowhere else there
  (two windows that overlap write the same element);
- w.r.t. the filter, ``dK[mK] += I[mI] * dO[mO]``: the correlation of the
  input with the output's cotangent;
- w.r.t. the init (the accumulator), the cotangent itself.

``pooling_*_sum`` is linear in its input: the JVP is the op on the tangent,
the transpose ``dI[mI] += dO[mO]`` (the window operand rides along for the
loop sizes).

``pooling_*_max`` / ``_min``: the result's derivative flows to the elements
equal to the result, the window's inputs and the init alike.  **Tie rule**:
when several are equal (a plateau), each gets an equal share, ``dO /
count``, so the derivative is the mean of the one-sided choices and the
JVP and VJP stay each other's transpose.  Integer poolings are not
differentiable.  The quantized convolutions (``_q``) use the generic form's
rules (``linalg_derivatives.py``).

The rules are destination-style (cotangents accumulate onto
``ctx.adjoint_init``, built ops answer `result_or_output`), so on buffers
``linalg_buffer_derivatives.py`` runs these same rules with shadow buffers.
"""

from __future__ import annotations

from typing import List

from ..ad_interfaces import cmpf_value, jvp, vjp
from ..affine import affine_map
from ..attributes import AffineDim, AffineMapAttr
from ..types import ShapedType, element_type
from .linalg import PARALLEL, REDUCTION, GenericOp, StructuredOp
from .linalg_conv import WindowOp
from .linalg_derivatives import result_or_output
from .linalg_opdsl import ScalarBody

# ----------------------------------------------------------------------------
# building blocks


def scatter_iterators(target: AffineMapAttr) -> List[str]:
    """Iterator types of a loop nest that accumulates into an operand read through
    `target`: a loop is parallel only where it is a plain index of `target`
    appearing in no other index (else two points can write one element)."""
    from ..affine import dims_used

    plain = [e.position for e in target.results if isinstance(e, AffineDim)]
    used_elsewhere = set()
    for e in target.results:
        if not isinstance(e, AffineDim):
            used_elsewhere |= dims_used(e)
    return [PARALLEL if d in plain and plain.count(d) == 1 and d not in used_elsewhere else REDUCTION
            for d in range(target.num_dims)]


def structured_generic(ctx, inputs, output, maps, iterators, body) -> object:
    """``linalg.generic`` at the rule's builder; `body(scalar, args)` returns the yielded value
    (`scalar`: a `ScalarBody` whose type is the output's element type); its result (on
    buffers: `output`, written in place)."""
    out_type = element_type(output.type)

    def build(b, args):
        return [body(ScalarBody(b, out_type), args)]

    op = GenericOp.create(list(inputs), [output], list(maps), list(iterators), build, location=ctx.b.location)
    return result_or_output(ctx, op)


def _identity(rank: int, num_dims: int = None) -> AffineMapAttr:
    return affine_map(rank if num_dims is None else num_dims, [AffineDim(i) for i in range(rank)])


def _rebuild(ctx, op, inputs, init):
    """`op`'s kind with its strides and dilations on new operands; its result."""
    attrs = {k: op.attributes[k] for k in ("strides", "dilations") if k in op.attributes}
    return result_or_output(ctx, type(op).create(list(inputs), [init], location=ctx.b.location, **attrs))


def _divide(ctx, a, b, like):
    """``a / b`` elementwise (arrays of `like`'s shape), as a generic (also on buffers)."""
    rank = len(like.type.shape)
    return structured_generic(ctx, [a, b], ctx.zero(like), [_identity(rank)] * 3, [PARALLEL] * rank,
                              lambda s, x: s.div(x[0], x[1]))


def _structure(op):
    s = StructuredOp.of(op)
    return s.indexing_maps(), s.iterator_types()


# ----------------------------------------------------------------------------
# convolutions: bilinear in input and filter, linear in the init


def _conv_jvp(ctx, op, t):
    t_in, t_k, t_init = t
    if t_in is None and t_k is None and t_init is None:
        return [None]
    acc = ctx.materialize(t_init, op.operands[2])
    if t_in is not None:
        acc = _rebuild(ctx, op, [t_in, ctx.operand(1)], acc)
    if t_k is not None:
        acc = _rebuild(ctx, op, [ctx.operand(0), t_k], acc)
    return [acc]


def _conv_vjp(ctx, op, ct):
    g = ct[0]
    if g is None:
        return [None, None, None]
    (m_in, m_k, m_out), _ = _structure(op)
    x, k, _ = op.operands

    def multiply_accumulate(s, args):
        a, b, acc = args
        return s.add(acc, s.cast(s.mul(s.cast(a, b.type) if a.type != b.type else a, b), acc.type))

    d_in = d_k = None
    if ctx.is_active(x):
        d_in = structured_generic(ctx, [g, ctx.operand(1)], ctx.adjoint_init(x), [m_out, m_k, m_in],
                                  scatter_iterators(m_in), multiply_accumulate)
    if ctx.is_active(k):
        d_k = structured_generic(ctx, [ctx.operand(0), g], ctx.adjoint_init(k), [m_in, m_out, m_k],
                                 scatter_iterators(m_k), multiply_accumulate)
    return [d_in, d_k, g if ctx.is_active(op.operands[2]) else None]


# ----------------------------------------------------------------------------
# pooling: sum is linear; max and min route the derivative through a mask


def _sum_pool_jvp(ctx, op, t):
    t_in, _, t_init = t
    if t_in is None and t_init is None:
        return [None]
    acc = ctx.materialize(t_init, op.operands[2])
    return [_rebuild(ctx, op, [t_in, ctx.operand(1)], acc) if t_in is not None else acc]


def _sum_pool_vjp(ctx, op, ct):
    g = ct[0]
    if g is None or not ctx.is_active(op.operands[0]):
        return [None, None, g if g is not None and ctx.is_active(op.operands[2]) else None]
    (m_in, m_w, m_out), _ = _structure(op)
    d_in = structured_generic(ctx, [g, ctx.operand(1)], ctx.adjoint_init(op.operands[0]), [m_out, m_w, m_in],
                              scatter_iterators(m_in), lambda s, a: s.add(a[2], s.cast(a[0], a[2].type)))
    return [d_in, None, g if ctx.is_active(op.operands[2]) else None]


def _where_equal(s, a, y, value, zero_like):
    """``a == y ? value : 0`` in a body (a cast to y's type first)."""
    hit = cmpf_value(s.b, "oeq", s.cast(a, y.type), y)
    return s.select(hit, s.cast(value, zero_like.type), s.constant(0.0, zero_like.type))


def _extreme_count(ctx, op):
    """How many of the window's inputs and the init equal the result, per output element."""
    (m_in, m_w, m_out), iterators = _structure(op)
    x, w, init = (ctx.operand(i) for i in range(3))
    y = ctx.result(0)
    rank = len(m_out.results)
    one = lambda s: s.constant(1.0, s.out_type)  # noqa: E731
    from_init = structured_generic(ctx, [init, y], ctx.zero(op.operands[2]), [_identity(rank)] * 3,
                                   [PARALLEL] * rank, lambda s, a: _where_equal(s, a[0], a[1], one(s), a[2]))
    return structured_generic(ctx, [x, w, y], from_init, [m_in, m_w, m_out, m_out], iterators,
                              lambda s, a: s.add(a[3], _where_equal(s, a[0], a[2], one(s), a[3])))


def _extreme_pool_jvp(ctx, op, t):
    t_in, _, t_init = t
    if t_in is None and t_init is None:
        return [None]
    (m_in, m_w, m_out), iterators = _structure(op)
    x, w, init, y = ctx.operand(0), ctx.operand(1), ctx.operand(2), ctx.result(0)
    rank = len(m_out.results)
    acc = ctx.zero(op.operands[2])
    if t_init is not None:
        acc = structured_generic(ctx, [init, y, t_init], acc, [_identity(rank)] * 4, [PARALLEL] * rank,
                                 lambda s, a: _where_equal(s, a[0], a[1], a[2], a[3]))
    if t_in is not None:
        acc = structured_generic(ctx, [x, w, y, t_in], acc, [m_in, m_w, m_out, m_in, m_out], iterators,
                                 lambda s, a: s.add(a[4], _where_equal(s, a[0], a[2], a[3], a[4])))
    return [_divide(ctx, acc, _extreme_count(ctx, op), op.operands[2])]


def _extreme_pool_vjp(ctx, op, ct):
    g = ct[0]
    x_active, init_active = ctx.is_active(op.operands[0]), ctx.is_active(op.operands[2])
    if g is None or not (x_active or init_active):
        return [None, None, None]
    (m_in, m_w, m_out), _ = _structure(op)
    x, w, init, y = ctx.operand(0), ctx.operand(1), ctx.operand(2), ctx.result(0)
    share = _divide(ctx, g, _extreme_count(ctx, op), op.operands[2])
    d_in = d_init = None
    if x_active:
        d_in = structured_generic(ctx, [x, w, y, share], ctx.adjoint_init(op.operands[0]), [m_in, m_w, m_out, m_out, m_in],
                                  scatter_iterators(m_in),
                                  lambda s, a: s.add(a[4], _where_equal(s, a[0], a[2], a[3], a[4])))
    if init_active:
        rank = len(m_out.results)
        d_init = structured_generic(ctx, [init, y, share], ctx.zero(op.operands[2]), [_identity(rank)] * 4,
                                    [PARALLEL] * rank, lambda s, a: _where_equal(s, a[0], a[1], a[2], a[3]))
    return [d_in, None, d_init]


# ----------------------------------------------------------------------------
# registration: each window op says how it differentiates (`WindowOp.derivative`)

RULES = {
    "bilinear": (_conv_jvp, _conv_vjp),
    "linear": (_sum_pool_jvp, _sum_pool_vjp),
    "extreme": (_extreme_pool_jvp, _extreme_pool_vjp),
}


def _register() -> None:
    from ..opdef import OPS

    for cls in list(OPS.values()):
        rules = RULES.get(getattr(cls, "derivative", None)) if isinstance(cls, type) and issubclass(cls, WindowOp) else None
        if rules is not None:
            jvp(cls)(rules[0])
            vjp(cls)(rules[1])


_register()


__all__ = ["scatter_iterators", "structured_generic"]
