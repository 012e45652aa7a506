"""Derivative rules of linalg's structured ops, forward and reverse, on tensors.

Every structured op gets its rules from its generic form, by differentiating
its scalar body (`BodyTangents`: the scalar ops' own JVP rules, run inside a
new body):

- **forward**: one new ``linalg.generic`` computes the primal and the tangent
  outputs together (tangent inputs read through the inputs' maps, tangent
  accumulators through the outputs'), so reductions of any body carry their
  tangents along exactly as the loops would;
- **reverse**: for each active input one ``linalg.generic`` whose output is
  that input's cotangent, read through the input's own map: it recomputes the
  body at every point (never a tape per element) and adds ``ct · ∂y/∂x`` into
  the cotangent, summing over the loops the input's map does not name: the
  adjoint of a reduction is a broadcast.  Where the cotangent starts from a
  zero the rule made and the map is a permutation of all the loops (each
  element written once), the generic writes a ``tensor.empty`` instead of
  adding to the zero.  Outputs that reduce must combine by
  ``+`` (the body is ``acc + e``) or by max/min (then only the points where
  ``e`` equals the result get the cotangent: a mask); any other reducing body
  is a located "not differentiable" error naming the op.

The contraction family (matmul ... contract) is bilinear, and transpose,
broadcast, copy and fill linear: their rules are declarations over other
named ops (a cotangent of a matmul is a ``linalg.contract``, of a broadcast a
``linalg.reduce``), which read better and lower to the same loops.

The rules are destination-style, so the same code serves ops on buffers
(``linalg_buffer_derivatives.py`` runs them in a context whose primal values
are buffers): a cotangent is accumulated onto ``ctx.adjoint_init(operand)``
(a zero tensor here, the operand's shadow buffer there), and a built op's
"result" is its result on tensors, its output buffer on buffers
(`result_or_output`).
"""

from __future__ import annotations

from typing import Dict, List, Optional

from ..ad_interfaces import RuleContext, jvp, linear, non_differentiable_ops, jvp_rules, vjp
from ..affine import dims_used, is_projected_permutation
from ..attributes import AffineDim, ArrayAttr, DenseArrayAttr
from ..builder import Builder
from ..core import Block, Region, Value
from ..types import MemRefType, ShapedType, TensorType, element_type, i64, is_float_like
from .linalg import GenericOp, IndexOp, REDUCTION, StructuredOp, StructuredOpBase, YieldOp
from .linalg_interpreter import reduction_combiner
from .linalg_named import (BatchMatmulOp, BatchReduceMatmulOp, BroadcastOp, ContractOp, CopyOp, DotOp, FillOp,
                           MatmulOp, MatvecOp, ReduceOp, TransposeOp, VecmatOp)
from ..affine import affine_map

_MAX_MIN = {"arith.maximumf", "arith.maxnumf", "arith.minimumf", "arith.minnumf"}


class BodyTangents(RuleContext):
    """Forward-mode differentiation of a structured op's body into a new body: clones
    each op, and runs the JVP rule of every op with a tangent operand."""

    def __init__(self, outer, builder: Builder, op, mapping: Dict, tangents: Dict):
        super().__init__(builder)
        self.outer, self.linalg_op = outer, op
        self.mapping, self.tangents = mapping, tangents

    def primal(self, v: Value) -> Value:
        found = self.mapping.get(v)
        return found if found is not None else self.outer.primal(v)

    def is_active(self, v: Value) -> bool:
        return v in self.tangents

    def run(self, block: Block) -> None:
        for op in block.ops:
            if op is block.terminator:
                return
            new = self.b.insert(op.clone(self.mapping))
            for r, nr in zip(op.results, new.results):
                self.mapping[r] = nr
            tin = [self.tangents.get(v) for v in op.operands]
            if all(t is None for t in tin) or non_differentiable_ops.lookup(op):
                continue
            if not any(is_float_like(r.type) for r in op.results):
                continue
            rule = jvp_rules.lookup(op)
            if rule is None or rule.emits_primal:
                raise self.linalg_op.emit_error(f"is not differentiable: its body's '{op.op_name}' has no "
                                                f"derivative rule usable inside a structured op")
            self.op = op
            for r, t in zip(op.results, rule.fn(self, op, tin)):
                if t is not None:
                    self.tangents[r] = t

    def tangent_or_zero(self, v: Value) -> Value:
        t = self.tangents.get(v)
        return t if t is not None else self.constant(0.0, v.type)


def _captured_values(op) -> List[Value]:
    """Values `op`'s body uses but that are defined outside it."""
    inner = [o for r in op.regions for o in r.walk()]
    defined = {a for r in op.regions for b in r.blocks for a in b.arguments}
    for o in inner:
        defined.update(o.results)
        defined.update(a for r in o.regions for b in r.blocks for a in b.arguments)
    seen = []
    for o in inner:
        for v in o.operands:
            if v not in defined and v not in seen:
                seen.append(v)
    return seen


def _captured(ctx, op) -> Dict:
    """Values the body uses from outside the op, mapped to their primal (they are constants here)."""
    out = {}
    for v in _captured_values(op):
        if ctx.is_active(v):
            raise op.emit_error("is not differentiable: its body uses an active value defined outside it "
                                "(pass it as an input)")
        out[v] = ctx.primal(v)
    return out


def result_or_output(ctx, op):
    """`op` (built by a rule) inserted at the rule's builder; its first result on tensors,
    its first output buffer on buffers (destination style: the op wrote it in place)."""
    ctx.b.insert(op)
    return op.results[0] if op.results else StructuredOp.of(op).outputs()[0]


def zero_scalar_container(ctx, s, t):
    """A zero 0-d tensor (on buffers, a 0-d buffer) of element type `t`: the destination of a
    scalar operand's cotangent."""
    return ctx.zero(TensorType((), t) if s.has_tensor_semantics() else MemRefType((), t))


def read_scalar(ctx, container):
    """The element of a 0-d tensor or buffer."""
    from .memref import LoadOp
    from .tensor import ExtractOp

    return ctx.emit(ExtractOp if isinstance(container.type, TensorType) else LoadOp, container, [])


def _iterators_for(m, num_loops) -> List[str]:
    named = set().union(*[dims_used(e) for e in m.results]) if m.results else set()
    return ["parallel" if d in named else REDUCTION for d in range(num_loops)]


# ----------------------------------------------------------------------------
# forward mode


@jvp(StructuredOpBase, emits_primal=True)
def structured_jvp(ctx, op, tangents):
    """One generic computing the primal outputs and, per direction, their tangents."""
    s = StructuredOp.of(op)
    ins, outs, maps = s.inputs(), s.outputs(), s.indexing_maps()
    n_in, n_out, width = len(ins), len(outs), ctx.width
    active = [k for k in range(n_in) if tangents[k] is not None]
    new_ins = [ctx.primal(v) for v in ins] + [tangents[k][w] for w in range(width) for k in active]
    new_outs = [ctx.primal(v) for v in outs]
    for w in range(width):
        for j in range(n_out):
            t = tangents[n_in + j]
            new_outs.append(t[w] if t is not None else ctx.zero(ctx.primal(outs[j])))
    new_maps = (maps[:n_in] + [maps[k] for _ in range(width) for k in active] + maps[n_in:]
                + maps[n_in:] * width)
    g = ctx.b.insert(GenericOp.create(new_ins, new_outs, new_maps, s.iterator_types(), location=op.location))
    block, new_block = s.body(), g.regions[0].blocks[0]
    args = new_block.arguments
    yields = []
    body_b = Builder.at_end(new_block, op.location)
    mapping = _captured(ctx, op)
    base = dict(mapping)
    primal_yield = None
    for w in range(width):
        mapping = dict(base)
        mapping.update(zip(block.arguments[:n_in], args[:n_in]))
        out_args = args[len(new_ins):len(new_ins) + n_out]
        mapping.update(zip(block.arguments[n_in:], out_args))
        tan = {block.arguments[k]: args[n_in + w * len(active) + a] for a, k in enumerate(active)}
        t_out = args[len(new_ins) + n_out + w * n_out:len(new_ins) + n_out + (w + 1) * n_out]
        tan.update(zip(block.arguments[n_in:], t_out))
        inner = BodyTangents(ctx, body_b, op, mapping, tan)
        inner.run(block)
        if primal_yield is None:
            primal_yield = [inner.primal(v) for v in block.terminator.operands]
        yields += [inner.tangent_or_zero(v) for v in block.terminator.operands]
    body_b.create(YieldOp, primal_yield + yields)
    results = list(g.results)
    if not results:  # on buffers: the primal and tangent outputs were written in place
        return [], [None] * len(op.results)
    return results[:n_out], [[results[n_out + w * n_out + j] for w in range(width)] for j in range(n_out)]


# ----------------------------------------------------------------------------
# reverse mode


def _output_kinds(op, s) -> List[str]:
    """How each output depends on the loops: "map" (each element written once), "sum" or
    "max" (a reduction by + or by max/min); an error for any other reduction."""
    block, n_in = s.body(), len(s.inputs())
    reduces = bool(s.reduction_dims())
    kinds = []
    for j, m in enumerate(s.indexing_maps()[n_in:]):
        if not reduces and is_projected_permutation(m):
            kinds.append("map")
            continue
        comb = reduction_combiner(block, j, n_in)
        if comb in ("arith.addf",):
            kinds.append("sum")
        elif comb in _MAX_MIN:
            kinds.append("max")
        else:
            raise op.emit_error(f"is not differentiable: output #{j} is reduced by a body that is neither a "
                                f"sum nor a max/min of its accumulator")
    return kinds


def _accumulated_operand(block, j: int, n_in: int) -> Value:
    """The `e` of a reducing body ``yield op(acc_j, e)``."""
    acc = block.arguments[n_in + j]
    producer = block.terminator.operands[j].defining_op
    return producer.operands[1] if producer.operands[0] is acc else producer.operands[0]


def depends_on(value: Value, arg: Value) -> bool:
    """Whether `value` (in a body) is computed from block argument `arg`."""
    work, seen = [value], set()
    while work:
        v = work.pop()
        if v is arg:
            return True
        if v in seen or v.defining_op is None:
            continue
        seen.add(v)
        work.extend(v.defining_op.operands)
    return False


def accumulates(block, j: int, n_in: int) -> bool:
    """Whether the body yields ``acc_j + e`` with `e` not computed from ``acc_j``: then the
    accumulator's cotangent is the result's, and no derivative reads its value."""
    acc = block.arguments[n_in + j]
    producer = block.terminator.operands[j].defining_op
    if producer is None or producer.op_name != "arith.addf" or acc not in producer.operands:
        return False
    return not depends_on(_accumulated_operand(block, j, n_in), acc)


def _cotangent_generic(ctx, op, s, kinds, ct, seed: int, target, target_map, dest=None):
    """A generic adding ``Σ_j ct_j · ∂y_j/∂(body argument seed)`` at every point into `dest`
    (default: a zero like `target`), read and written through `target_map`."""
    ins, outs, maps = s.inputs(), s.outputs(), s.indexing_maps()
    n_in, num_loops = len(ins), s.num_loops()
    live = [j for j in range(len(outs)) if ct[j] is not None]
    masked = [j for j in live if kinds[j] == "max"]
    new_ins = ([ctx.primal(v) for v in ins] + [ctx.primal(v) for v in outs]
               + [ctx.result(j) for j in masked] + [ct[j] for j in live])
    out_maps = maps[n_in:]
    new_maps = maps[:n_in] + out_maps + [out_maps[j] for j in masked] + [out_maps[j] for j in live]
    scalar = not isinstance(target.type, ShapedType)
    if dest is None:
        dest = zero_scalar_container(ctx, s, target.type) if scalar else ctx.zero(target)
    # a fresh zero whose every element one loop point writes (the map is a permutation of all the
    # loops): the cotangent is written, not added to zero (an adjoint's first contribution, as JAX
    # emits it)
    one_to_one = is_projected_permutation(target_map) and len(target_map.results) == num_loops
    overwrite = _empty_for_zero(ctx, dest) if one_to_one and not scalar else None
    if overwrite is not None:
        dest = overwrite
    g = GenericOp.create(new_ins, [dest], new_maps + [target_map], _iterators_for(target_map, num_loops),
                         location=op.location)
    block, nb = s.body(), g.regions[0].blocks[0]
    args = nb.arguments
    b = Builder.at_end(nb, op.location)
    mapping = _captured(ctx, op)
    mapping.update(zip(block.arguments, args[:n_in + len(outs)]))
    seed_arg = block.arguments[seed]
    inner = BodyTangents(ctx, b, op, mapping, {})
    inner.tangents[seed_arg] = inner.constant(1.0, seed_arg.type)
    inner.run(block)
    results_at = dict(zip(masked, args[n_in + len(outs):n_in + len(outs) + len(masked)]))
    cts = dict(zip(live, args[n_in + len(outs) + len(masked):-1]))
    total = None
    for j in live:
        if kinds[j] == "max":
            e = _accumulated_operand(block, j, n_in)
            d = inner.tangents.get(e)
            if d is None:
                continue
            term = inner.mul(cts[j], d)
            equal = inner.cmpf("oeq", inner.primal(e), results_at[j])
            term = inner.select(equal, term, None, term)
        else:
            d = inner.tangents.get(block.terminator.operands[j])
            term = inner.mul(cts[j], d) if d is not None else None
        total = inner.add(total, term)
    if total is None and overwrite is not None:
        total = inner.zero(args[-1])
    b.create(YieldOp, [total if overwrite is not None else inner.add(args[-1], total) if total is not None
                       else args[-1]])
    result = result_or_output(ctx, g)
    return read_scalar(ctx, result) if scalar else result


def _empty_for_zero(ctx, dest: Value) -> Optional[Value]:
    """A ``tensor.empty`` of `dest`'s type and sizes when `dest` is a zero tensor a rule made
    (a ``dense<0.0>`` constant or a ``tensor.splat`` of +0.0), else None."""
    from ..rewrite import is_constant_float
    from .tensor import EmptyOp, SplatOp

    producer = dest.defining_op
    if not isinstance(dest.type, TensorType) or producer is None:
        return None
    if isinstance(producer, SplatOp) and is_constant_float(producer.operands[0], 0.0):
        sizes = list(producer.operands[1:])
    elif is_constant_float(dest, 0.0):
        sizes = []
    else:
        return None
    return ctx.b.create(EmptyOp, sizes, result_types=[dest.type]).results[0]


def _init_cotangent(ctx, op, s, kinds, ct, j):
    """The cotangent of output j's initial value."""
    n_in = len(s.inputs())
    if ct[j] is None:
        return None
    if kinds[j] == "sum" or accumulates(s.body(), j, n_in):
        return ct[j]
    if kinds[j] == "max":
        rank = s.outputs()[j].type.rank
        ident = affine_map(rank, [AffineDim(d) for d in range(rank)])
        init, res = ctx.primal(s.outputs()[j]), ctx.result(j)

        def body(b, a):
            inner = BodyTangents(ctx, b, op, {}, {})
            eq = inner.cmpf("oeq", a[0], a[1])
            return [inner.select(eq, a[2], None, a[2])]

        g = GenericOp.create([init, res, ct[j]], [ctx.zero(s.outputs()[j])], [ident] * 4, ["parallel"] * rank,
                             body_builder=body, location=op.location)
        return result_or_output(ctx, g)
    if not s.payload_uses_output(j):
        return None  # overwritten: the initial value does not reach the result
    return _cotangent_generic(ctx, op, s, kinds, ct, n_in + j, s.outputs()[j], s.indexing_maps()[n_in + j])


@vjp(StructuredOpBase)
def structured_vjp(ctx, op, ct):
    """One generic per active input (its cotangent); output inits by the combiner's rule."""
    if all(c is None for c in ct):
        return [None] * len(op.operands)
    s = StructuredOp.of(op)
    ins, outs = s.inputs(), s.outputs()
    kinds = _output_kinds(op, s)
    cotangents = []
    for i, v in enumerate(ins):
        active = ctx.is_active(v) and is_float_like(element_type(v.type))
        dest = ctx.adjoint_init(v) if active and isinstance(v.type, ShapedType) else None
        cotangents.append(_cotangent_generic(ctx, op, s, kinds, ct, i, v, s.indexing_maps()[i], dest)
                          if active else None)
    for j, v in enumerate(outs):
        cotangents.append(_init_cotangent(ctx, op, s, kinds, ct, j) if ctx.is_active(v) else None)
    return cotangents


# ----------------------------------------------------------------------------
# declarations: the contraction family is bilinear, the data movers linear

CONTRACTIONS = (MatmulOp, BatchMatmulOp, BatchReduceMatmulOp, MatvecOp, VecmatOp, DotOp, ContractOp)


def contract(ctx, lhs, rhs, init, maps):
    """``linalg.contract`` of `lhs` and `rhs` into `init` through `maps` (lhs, rhs, init)."""
    return result_or_output(ctx, ContractOp.create([lhs, rhs], [init], location=ctx.b.location,
                                                   indexing_maps=ArrayAttr(tuple(maps))))


@jvp(*CONTRACTIONS)
def _contraction_jvp(ctx, op, t):
    """d(C + A·B) = dC + dA·B + A·dB, accumulated through the init operand."""
    maps = StructuredOp.of(op).indexing_maps()
    acc = t[2]
    for k, (lhs, rhs) in ((0, (t[0], ctx.operand(1))), (1, (ctx.operand(0), t[1]))):
        if t[k] is not None:
            acc = contract(ctx, lhs, rhs, ctx.materialize(acc, op.operands[2]), maps)
    return [acc]


@vjp(*CONTRACTIONS)
def _contraction_vjp(ctx, op, ct):
    """A's cotangent contracts the result's with B (and B's with A); C's is the result's."""
    g = ct[0]
    if g is None:
        return [None] * 3
    m_a, m_b, m_c = StructuredOp.of(op).indexing_maps()
    a, b, c = op.operands
    return [contract(ctx, g, ctx.operand(1), ctx.adjoint_init(a), [m_c, m_b, m_a]) if ctx.is_active(a) else None,
            contract(ctx, ctx.operand(0), g, ctx.adjoint_init(b), [m_a, m_c, m_b]) if ctx.is_active(b) else None,
            g if ctx.is_active(c) else None]


def _sum_reduce(ctx, value, init, dims):
    """``linalg.reduce { arith.addf }`` of `value` along `dims` into `init`."""
    from .arith import AddFOp

    block = Block([element_type(value.type), element_type(init.type)])
    bb = Builder.at_end(block, ctx.b.location)
    bb.create(YieldOp, [bb.create(AddFOp, block.arguments[1], block.arguments[0]).results[0]])
    op = ReduceOp.create([value], [init], location=ctx.b.location, body=Region([block]),
                         dimensions=DenseArrayAttr(i64, tuple(dims)))
    return ctx.b.insert(op).results[0]


def _transpose_t(ctx, op, ct):
    perm = list(op.attributes["permutation"].values)
    inverse = [perm.index(i) for i in range(len(perm))]
    t = ctx.b.insert(TransposeOp.create([ct[0]], [ctx.zero(op.operands[0])], location=ctx.b.location,
                                        permutation=DenseArrayAttr(i64, tuple(inverse)))).results[0]
    return [t, None]


def _broadcast_t(ctx, op, ct):
    dims = list(op.attributes["dimensions"].values)
    return [_sum_reduce(ctx, ct[0], ctx.zero(op.operands[0]), dims), None]


def _fill_t(ctx, op, ct):
    from .tensor import ExtractOp

    rank = ct[0].type.rank
    total = _sum_reduce(ctx, ct[0], ctx.zero(TensorType((), element_type(ct[0].type))), list(range(rank)))
    return [ctx.emit(ExtractOp, total, []), None]


linear(TransposeOp, transpose=_transpose_t)
linear(BroadcastOp, transpose=_broadcast_t)
linear(CopyOp, transpose=lambda ctx, op, ct: [ct[0], None])
linear(FillOp, transpose=_fill_t)
