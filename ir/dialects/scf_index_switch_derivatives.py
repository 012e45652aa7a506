"""Derivative rules of ``scf.index_switch``, as scf.if's (``scf_derivatives.py``)
with one region per case (activity flows through the op's RegionBranch model).

- Forward: a switch on the same index whose regions are the JVPs of the
  original regions; it yields the primal results then one tangent per active
  result (per direction).
- Reverse: a switch on the same index, so it takes the case the forward sweep
  took (the index is a primal value: the reverse driver tapes it when the
  switch sits in a loop, as it does scf.if's condition); each region is the
  reversed original region and yields the adjoints of the outer values it
  captured.
"""

from __future__ import annotations

from ..ad_interfaces import jvp, vjp
from .scf import YieldOp
from .scf_derivatives import _active_positions, _split_tangents, _tangent_slots
from .scf_index_switch import IndexSwitchOp


@jvp(IndexSwitchOp, emits_primal=True)
def _index_switch_jvp(ctx, op, tangents):
    n = len(op.results)
    act = _active_positions(ctx, [(r,) for r in op.results])
    types = [r.type for r in op.results] + [op.results[i].type for i in act for _ in range(ctx.width)]
    new = ctx.b.insert(IndexSwitchOp.create(ctx.primal(op.arg), op.case_values, types, location=op.location))
    for old, region in zip(op.regions, new.regions):
        nb = region.blocks[0]
        term = ctx.jvp_block(old.blocks[0], nb, [], [])
        with ctx.at_end(nb):
            ys = [ctx.primal(v) for v in term.operands] + _tangent_slots(ctx, term.operands, act)
        ctx.terminate(nb, YieldOp, ys, location=term.location)
    res = list(new.results)
    return res[:n], _split_tangents(ctx, res[n:], act, n)


@vjp(IndexSwitchOp)
def _index_switch_vjp(ctx, op, cts):
    captured = ctx.captured_active(op)
    rev = ctx.b.insert(IndexSwitchOp.create(ctx.primal(op.arg), op.case_values, [c.type for c in captured],
                                            location=op.location))
    for old, region in zip(op.regions, rev.regions):
        ob, nb = old.blocks[0], region.blocks[0]
        seeds = [(v, c) for v, c in zip(ob.last_op.operands, cts) if c is not None]
        _, cap = ctx.reverse_block(ob, nb, seeds, {c: None for c in captured})
        with ctx.at_end(nb):
            ys = [ctx.materialize(cap[c], c.type) for c in captured]
        ctx.terminate(nb, YieldOp, ys, location=op.location)
    for c, r in zip(captured, rev.results):
        ctx.accumulate(c, r)
    return [None]
