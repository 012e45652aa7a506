"""Derivative rules of scf (and of ad.checkpoint, a region op of the same kind).

Forward mode carries tangents beside the primals: an scf.for gets one extra
iter arg per active iter arg (per direction), an scf.if one extra result per
active result, an scf.while extra before/after arguments.

Reverse mode (store-all; see passes/ad/reverse.py for the tape mechanics):
- scf.if: an scf.if on the same condition whose branches are the reversed
  branches; adjoints of captured outer values leave as extra results.
- scf.for: a second scf.for with the same bounds whose body is the reversed
  body; values of the forward iteration come back from tapes in LIFO order, so
  the reverse loop need not compute its own induction variable.  Adjoints of
  the iter args and of captured outer values are its iter args.
- scf.while: the trip count is data dependent, so the forward sweep pushes a
  ``false`` sentinel before the loop and a ``true`` per trip onto a trip tape;
  the reverse is an scf.while that pops a flag per trip (JAX cannot reverse a
  while_loop).  The last run of ``before`` (the one that exits) is reversed
  first, then each trip reverses ``after`` and the ``before`` that preceded it.
- ad.checkpoint / scf.execute_region: the region is reversed in place;
  ad.checkpoint recomputes its intermediates (its body is cloned again in the
  reverse sweep) instead of taping them.
"""

from __future__ import annotations

from ..ad_interfaces import jvp, vjp
from ..builder import Builder, InsertionPoint
from ..types import i1, is_float_buffer
from .ad import CheckpointOp, TapePopOp, TapePushOp
from .ad import YieldOp as ADYieldOp
from .scf import ConditionOp, ExecuteRegionOp, ForOp, IfOp, WhileOp, YieldOp

# ----------------------------------------------------------------------------
# forward mode


def _active_positions(ctx, pairs):
    """Positions i where any of the values in pairs[i] is active."""
    return [i for i, vs in enumerate(pairs) if any(ctx.is_active(v) for v in vs)]


def _tangent_slots(ctx, values, positions):
    out = []
    for i in positions:
        if is_float_buffer(values[i].type):
            raise carried_buffer_error(ctx.op)
        out += ctx.tangents_or_zero(values[i])
    return out


def carried_buffer_error(op):
    """The located error for a loop or branch that passes a buffer of floats through its
    iter_args or results (bufferized loops do; the shadow would have to travel along)."""
    return op.emit_error("carries a buffer with derivatives through its iter_args or results, which AD does "
                         "not follow; run --canonicalize first (it replaces an iter_arg that carries one buffer "
                         "unchanged by that buffer)")


def _split_tangents(ctx, values, positions, n):
    """Per position in range(n): the list of `width` values from `values` (None if inactive)."""
    w = ctx.width
    out = [None] * n
    for k, i in enumerate(positions):
        out[i] = list(values[k * w:(k + 1) * w])
    return out


def _name_tangents(primals, tangents):
    for p, ts in zip(primals, tangents):
        if ts is not None and p.name_hint:
            for k, t in enumerate(ts):
                t.name_hint = f"{p.name_hint}_tangent" + (str(k) if len(ts) > 1 else "")


@jvp(ForOp, emits_primal=True)
def _for_jvp(ctx, op, tangents):
    body = op.body_block
    iters = body.arguments[1:]
    n = len(iters)
    act = _active_positions(ctx, list(zip(iters, op.results)))
    tinits = _tangent_slots(ctx, op.init_args, act)
    new = ctx.b.insert(ForOp.create(ctx.primal(op.lower_bound), ctx.primal(op.upper_bound), ctx.primal(op.step),
                                    [ctx.primal(v) for v in op.init_args] + tinits, location=op.location))
    nb = new.body_block
    for a, na in zip(body.arguments, nb.arguments):
        na.name_hint = a.name_hint
    targs = _split_tangents(ctx, nb.arguments[1 + n:], act, n)
    _name_tangents(iters, targs)
    term = ctx.jvp_block(body, nb, nb.arguments[:1 + n], [None] + targs)
    with ctx.at_end(nb):
        ys = [ctx.primal(v) for v in term.operands] + _tangent_slots(ctx, term.operands, act)
    ctx.terminate(nb, YieldOp, ys, location=term.location)
    res = list(new.results)
    return res[:n], _split_tangents(ctx, res[n:], act, n)


def branch_jvp(ctx, op, make):
    """Forward rule of an op whose regions are alternatives (scf.if, scf.index_switch):
    `make(result_types)` builds the same op on the primal selector, one block per region;
    each new region is the JVP of the old one and yields primals, then tangents."""
    n = len(op.results)
    act = _active_positions(ctx, [(r,) for r in op.results])
    types = [r.type for r in op.results] + [op.results[i].type for i in act for _ in range(ctx.width)]
    new = ctx.b.insert(make(types))
    for old_region, region in zip(op.regions, new.regions):
        old, nb = (old_region.blocks[0] if old_region.blocks else None), region.blocks[0]
        if old is None:  # an scf.if without else (so without results): nothing runs there
            ctx.terminate(nb, YieldOp, [], location=op.location)
            continue
        term = ctx.jvp_block(old, nb, [], [])
        with ctx.at_end(nb):
            ys = [ctx.primal(v) for v in term.operands] + _tangent_slots(ctx, term.operands, act)
        ctx.terminate(nb, YieldOp, ys, location=term.location)
    res = list(new.results)
    return res[:n], _split_tangents(ctx, res[n:], act, n)


@jvp(IfOp, emits_primal=True)
def _if_jvp(ctx, op, tangents):
    return branch_jvp(ctx, op, lambda types: IfOp.create(ctx.primal(op.condition), types, with_else=True,
                                                         location=op.location))


@jvp(WhileOp, emits_primal=True)
def _while_jvp(ctx, op, tangents):
    cond, y = op.condition_op, op.yield_op
    nb_args, na_args = len(op.before_arguments), len(op.after_arguments)
    act_b = _active_positions(ctx, list(zip(op.before_arguments, y.operands)))
    act_a = _active_positions(ctx, list(zip(op.after_arguments, op.results, cond.operands[1:])))
    # keep the two sets consistent along the loop edges
    inits = [ctx.primal(v) for v in op.inits] + _tangent_slots(ctx, op.inits, act_b)
    rtypes = [r.type for r in op.results] + [op.results[i].type for i in act_a for _ in range(ctx.width)]
    new = ctx.b.insert(WhileOp.create(inits, rtypes, location=op.location))
    bb, ab = new.before_block, new.after_block
    for a, na in zip(op.before_arguments, bb.arguments):
        na.name_hint = a.name_hint
    for a, na in zip(op.after_arguments, ab.arguments):
        na.name_hint = a.name_hint
    term = ctx.jvp_block(op.before_block, bb, bb.arguments[:nb_args],
                         _split_tangents(ctx, bb.arguments[nb_args:], act_b, nb_args))
    with ctx.at_end(bb):
        args = [ctx.primal(v) for v in term.operands[1:]] + _tangent_slots(ctx, term.operands[1:], act_a)
    ctx.terminate(bb, ConditionOp, ctx.primal(term.operands[0]), args, location=term.location)
    term = ctx.jvp_block(op.after_block, ab, ab.arguments[:na_args],
                         _split_tangents(ctx, ab.arguments[na_args:], act_a, na_args))
    with ctx.at_end(ab):
        ys = [ctx.primal(v) for v in term.operands] + _tangent_slots(ctx, term.operands, act_b)
    ctx.terminate(ab, YieldOp, ys, location=term.location)
    res = list(new.results)
    return res[:len(op.results)], _split_tangents(ctx, res[len(op.results):], act_a, len(op.results))


def _single_region_jvp(make, terminator):
    def rule(ctx, op, tangents):
        n = len(op.results)
        act = _active_positions(ctx, [(r,) for r in op.results])
        types = [r.type for r in op.results] + [op.results[i].type for i in act for _ in range(ctx.width)]
        new = ctx.b.insert(make(types, op))
        nb = new.regions[0].blocks[0]
        term = ctx.jvp_block(op.regions[0].blocks[0], nb, [], [])
        with ctx.at_end(nb):
            ys = [ctx.primal(v) for v in term.operands] + _tangent_slots(ctx, term.operands, act)
        ctx.terminate(nb, terminator, ys, location=term.location)
        res = list(new.results)
        return res[:n], _split_tangents(ctx, res[n:], act, n)

    return rule


def _new_checkpoint(types, op):
    from ..core import Block, Region

    return CheckpointOp.build(result_types=types, regions=[Region([Block()])], location=op.location)


jvp(ExecuteRegionOp, emits_primal=True)(
    _single_region_jvp(lambda types, op: ExecuteRegionOp.create(types, location=op.location), YieldOp))
jvp(CheckpointOp, emits_primal=True)(_single_region_jvp(_new_checkpoint, ADYieldOp))


# ----------------------------------------------------------------------------
# reverse mode


def branch_vjp(ctx, op, cts, make):
    """Reverse rule of an op whose regions are alternatives (scf.if, scf.index_switch):
    `make(result_types)` builds the same op on the primal selector (so it takes the
    branch the forward sweep took); each region is reversed and yields the adjoints of
    the outer values it captured."""
    captured = ctx.captured_active(op)
    rev = ctx.b.insert(make([c.type for c in captured]))
    for old_region, region in zip(op.regions, rev.regions):
        old, nb = (old_region.blocks[0] if old_region.blocks else None), region.blocks[0]
        cap = {}
        if old is not None:  # an scf.if without else has nothing to reverse there
            seeds = [(v, c) for v, c in zip(old.last_op.operands, cts) if c is not None]
            _, cap = ctx.reverse_block(old, nb, seeds, {c: None for c in captured})
        with ctx.at_end(nb):
            ys = [ctx.materialize(cap.get(c), c) for c in captured]
        ctx.terminate(nb, YieldOp, ys, location=op.location)
    for c, r in zip(captured, rev.results):
        ctx.accumulate(c, r)
    return [None]


@vjp(IfOp)
def _if_vjp(ctx, op, cts):
    return branch_vjp(ctx, op, cts, lambda types: IfOp.create(ctx.primal(op.condition), types, with_else=True,
                                                              location=op.location))


@vjp(ForOp)
def _for_vjp(ctx, op, cts):
    body = op.body_block
    iters = body.arguments[1:]
    act = _active_positions(ctx, list(zip(iters, op.results)))
    captured = ctx.captured_active(op)
    init = [ctx.materialize(cts[i], op.results[i]) for i in act] + [ctx.zero(c) for c in captured]
    rev = ctx.b.insert(ForOp.create(ctx.primal(op.lower_bound), ctx.primal(op.upper_bound), ctx.primal(op.step),
                                    init, location=op.location))
    rb = rev.body_block
    rargs = rb.arguments[1:]
    for k, i in enumerate(act):
        rargs[k].name_hint = f"{iters[i].name_hint}_adjoint" if iters[i].name_hint else None
    for j, c in enumerate(captured):
        rargs[len(act) + j].name_hint = f"{c.name_hint}_adjoint" if c.name_hint else None
    y = body.last_op
    seeds = [(y.operands[i], rargs[k]) for k, i in enumerate(act)]
    carried = {c: rargs[len(act) + j] for j, c in enumerate(captured)}
    arg_adj, cap = ctx.reverse_block(body, rb, seeds, carried)
    with ctx.at_end(rb):
        ys = [ctx.materialize(arg_adj[1 + i], iters[i]) for i in act]
        ys += [ctx.materialize(cap[c], c) for c in captured]
    ctx.terminate(rb, YieldOp, ys, location=op.location)
    res = list(rev.results)
    for j, c in enumerate(captured):
        ctx.accumulate(c, res[len(act) + j])
    out = [None] * len(op.operands)
    for k, i in enumerate(act):
        out[3 + i] = res[k]
    return out


def _bool_constant(b, value: bool):
    from ..attributes import IntegerAttr
    from .arith import ConstantOp

    return b.create(ConstantOp, value=IntegerAttr(1 if value else 0, i1), result_types=[i1]).results[0]


def _record_trips(ctx, fwd: WhileOp):
    """Instrument forward loop `fwd`: a ``false`` sentinel before it, a ``true`` per trip."""
    trips = ctx.new_tape(i1, "trips")
    fb = Builder.before(fwd)
    fb.create(TapePushOp, trips, _bool_constant(fb, False))
    ab = Builder(InsertionPoint.at_start(fwd.after_block), fwd.location)
    ab.create(TapePushOp, trips, _bool_constant(ab, True))
    return trips


@vjp(WhileOp)
def _while_vjp(ctx, op, cts):
    cond, y = op.condition_op, op.yield_op
    act_b = _active_positions(ctx, list(zip(op.before_arguments, y.operands)))
    captured = ctx.captured_active(op)
    trips = ctx.once_per_forward_copy("trips", lambda fwd: _record_trips(ctx, fwd))
    # the last run of `before` (the one whose condition was false)
    exit_rev = ctx.b.insert(ExecuteRegionOp.create(
        [op.before_arguments[i].type for i in act_b] + [c.type for c in captured], location=op.location))
    eb = exit_rev.regions[0].blocks[0]
    seeds = [(v, c) for v, c in zip(cond.operands[1:], cts) if c is not None]
    b_adj, cap = ctx.reverse_block(op.before_block, eb, seeds, {c: None for c in captured})
    with ctx.at_end(eb):
        ys = [ctx.materialize(b_adj[i], op.before_arguments[i]) for i in act_b]
        ys += [ctx.materialize(cap[c], c) for c in captured]
    ctx.terminate(eb, YieldOp, ys, location=op.location)
    # one reverse trip per forward trip: reverse `after`, then the `before` that preceded it
    carried_types = [v.type for v in exit_rev.results]
    rev = ctx.b.insert(WhileOp.create(list(exit_rev.results), carried_types, location=op.location))
    rbb, rab = rev.before_block, rev.after_block
    with ctx.at_end(rbb):
        flag = ctx.b.create(TapePopOp, trips, result_types=[i1]).results[0]
    ctx.terminate(rbb, ConditionOp, flag, list(rbb.arguments), location=op.location)
    k = len(act_b)
    seeds = [(y.operands[i], rab.arguments[j]) for j, i in enumerate(act_b)]
    carried = {c: rab.arguments[k + j] for j, c in enumerate(captured)}
    a_adj, cap = ctx.reverse_block(op.after_block, rab, seeds, carried)
    seeds = [(v, a) for v, a in zip(cond.operands[1:], a_adj) if a is not None]
    b_adj, cap = ctx.reverse_block(op.before_block, rab, seeds, cap)
    with ctx.at_end(rab):
        ys = [ctx.materialize(b_adj[i], op.before_arguments[i]) for i in act_b]
        ys += [ctx.materialize(cap[c], c) for c in captured]
    ctx.terminate(rab, YieldOp, ys, location=op.location)
    res = list(rev.results)
    for j, c in enumerate(captured):
        ctx.accumulate(c, res[k + j])
    out = [None] * len(op.operands)
    for j, i in enumerate(act_b):
        out[i] = res[j]
    return out


def _single_region_vjp(recompute: bool):
    def rule(ctx, op, cts):

        block = op.regions[0].blocks[0]
        captured = ctx.captured_active(op)
        rev = ctx.b.insert(ExecuteRegionOp.create([c.type for c in captured], location=op.location))
        rb = rev.regions[0].blocks[0]
        if recompute:
            ctx.recompute_into(block, rb)
        seeds = [(v, c) for v, c in zip(block.last_op.operands, cts) if c is not None]
        _, cap = ctx.reverse_block(block, rb, seeds, {c: None for c in captured})
        with ctx.at_end(rb):
            ys = [ctx.materialize(cap[c], c) for c in captured]
        ctx.terminate(rb, YieldOp, ys, location=op.location)
        for c, r in zip(captured, rev.results):
            ctx.accumulate(c, r)
        return []

    return rule


vjp(ExecuteRegionOp)(_single_region_vjp(False))
vjp(CheckpointOp)(_single_region_vjp(True))
