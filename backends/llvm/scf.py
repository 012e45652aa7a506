"""LLVM translation of the scf dialect: structured control flow becomes basic
blocks and phi nodes.

- ``scf.if``: two arms joining in a block whose phis are the results;
- ``scf.for``: a header testing ``iv < ub`` (unsigned with ``unsignedCmp``),
  the body, a latch adding the step; a non-positive step with ``lb < ub``
  is the interpreter's run-time error;
- ``scf.while``: the `before` region in the header, `after` as the body;
- ``scf.parallel``: a plain loop nest on the CPU, accumulators carried
  through it and combined by the `scf.reduce` regions;
- ``scf.execute_region``: its block in place.

An ``scf.while`` whose body can record a run-time error also leaves once
one is recorded, as the interpreter stops at the first error (a loop whose
exit depends on a failed division cannot spin).  Counted loops (``scf.for``,
``scf.parallel``) do not test the status on every trip: their trip count is
fixed at entry, a failed op yields a harmless value and touches no memory,
so they end anyway, and the entry reports the first error as before.  The
test per trip would cost a load and a branch in every hot loop, keep LLVM
from vectorizing, and lengthen the reverse sweeps of AD (issue 16: the ode
gradient).
"""

from __future__ import annotations

import llvmlite.ir as ll

from irc.dialects import scf as S

from .translation import Terminator, indexed_access, translate_to_llvm

I1 = ll.IntType(1)


@translate_to_llvm.register(S.YieldOp, S.ConditionOp, S.ReduceOp, S.ReduceReturnOp)
def _yield(t, op, args):
    return Terminator(args)


def _phis(b, values, pred):
    out = []
    for v in values:
        p = b.phi(v.type)
        p.add_incoming(v, pred)
        out.append(p)
    return out


def _can_fail(op) -> bool:
    """Whether translating `op`'s regions may record a run-time error (a division,
    a call, a tape pop ... anything but the ops known never to fail)."""
    for region in op.regions:
        for block in region.blocks:
            for inner in block.ops:
                if inner.op_name not in _NEVER_FAIL or _can_fail(inner):
                    return True
    return False


_NEVER_FAIL = frozenset(
    f"arith.{n}" for n in (
        "constant addf subf mulf divf remf negf maximumf minimumf maxnumf minnumf cmpf cmpi select "
        "addi subi muli andi ori xori shli shrui shrsi maxsi minsi maxui minui extf truncf extsi extui "
        "trunci sitofp uitofp index_cast index_castui bitcast"
    ).split()
) | frozenset(
    f"math.{n}" for n in (
        "sin cos tan asin acos atan sinh cosh tanh asinh acosh atanh exp exp2 expm1 log log2 log10 log1p "
        "sqrt rsqrt cbrt erf erfc absf floor ceil trunc round roundeven powf atan2 copysign fma fpowi "
        "absi ctlz cttz ctpop isnan isinf isfinite isnormal"
    ).split()
) | {"scf.yield", "scf.condition", "scf.if", "scf.execute_region", "scf.reduce", "scf.reduce.return",
     "ad.tape_push", "ad.tape_create", "ad.tape_size", "ad.tape_free", "ad.stop_gradient", "ad.yield", "ad.checkpoint"}  # fmt: skip


@translate_to_llvm.register(S.IfOp)
def _if(t, op, args):
    b = t.b
    then_bb, merge_bb = t.block("if.then"), t.block("if.end")
    has_else = bool(op.else_region.blocks)
    else_bb = t.block("if.else") if has_else else merge_bb
    b.cbranch(args[0], then_bb, else_bb)
    incoming = []
    b.position_at_end(then_bb)
    values = t.emit_region(op, 0, [])
    incoming.append((values, b.block))
    b.branch(merge_bb)
    if has_else:
        b.position_at_end(else_bb)
        values = t.emit_region(op, 1, [])
        incoming.append((values, b.block))
        b.branch(merge_bb)
    b.position_at_end(merge_bb)
    results = []
    for i, r in enumerate(op.results):
        p = b.phi(incoming[0][0][i].type)
        for values, block in incoming:
            p.add_incoming(values[i], block)
        results.append(p)
    return results


@translate_to_llvm.register(S.ExecuteRegionOp)
def _execute_region(t, op, args):
    return t.emit_region(op, 0, [])


def counted_loop(t, op, lb, ub, step, inits, body, unsigned: bool = False, name: str = "for"):
    """for iv = lb; iv < ub; iv += step carrying `inits`; `body(iv, values)` emits one
    iteration and returns the next values.  Returns the final values."""
    b = t.b
    zero = ll.Constant(step.type, 0)
    lt = b.icmp_unsigned if unsigned else b.icmp_signed
    nonpositive = b.icmp_unsigned("==", step, zero) if unsigned else b.icmp_signed("<=", step, zero)
    t.fail_if(b.and_(lt("<", lb, ub), nonpositive), op, "step must be positive, got {}", step)
    pre = b.block
    head, body_bb, done = t.block(f"{name}.head"), t.block(f"{name}.body"), t.block(f"{name}.end")
    b.branch(head)
    b.position_at_end(head)
    iv = b.phi(lb.type)
    iv.add_incoming(lb, pre)
    carried = _phis(b, inits, pre)
    go = b.and_(lt("<", iv, ub), b.not_(nonpositive))
    b.cbranch(go, body_bb, done)
    b.position_at_end(body_bb)
    nxt = body(iv, carried)
    iv_next = b.add(iv, step)
    latch = b.block
    b.branch(head)
    iv.add_incoming(iv_next, latch)
    for p, v in zip(carried, nxt):
        p.add_incoming(v, latch)
    b.position_at_end(done)
    return carried


@translate_to_llvm.register(S.ForOp)
def _for(t, op, args):
    lb, ub, step, *inits = args

    def loop():
        return counted_loop(
            t, op, lb, ub, step, inits, lambda iv, values: t.emit_region(op, 0, [iv, *values]), op.unsigned_cmp
        )

    accesses = _invariant_accesses(op)
    if not accesses:
        return loop()
    # loop versioning: when every access indexed by the induction variable or by loop-invariant
    # values stays inside its memref for the whole trip range, run a copy without the checks
    # (which LLVM can vectorize); otherwise the checked loop reports the first bad index
    b = t.b
    safe = _in_bounds_for_all_trips(t, op, accesses, lb, ub)
    with b.if_else(safe, likely=True) as (fast, slow):
        with fast:
            t.unchecked.update(a[0] for a in accesses)
            fast_values = loop()
            t.unchecked.difference_update(a[0] for a in accesses)
            fast_block = b.block
        with slow:
            slow_values = loop()
            slow_block = b.block
    merged = []
    for f, s in zip(fast_values, slow_values):
        phi = b.phi(f.type)
        phi.add_incoming(f, fast_block)
        phi.add_incoming(s, slow_block)
        merged.append(phi)
    return merged


def _invariant_accesses(op):
    """The bounds-checked accesses directly in an innermost loop's body whose memref is defined
    outside the loop and whose indices are the induction variable or defined outside it:
    (access op, memref value, indices)."""
    body = op.regions[0].blocks[0]
    found = []
    for inner in body.ops:
        if inner.regions:
            return []  # innermost loops only: each copy of an outer body would copy the inner loops too
        access = indexed_access.lookup(inner)
        if access is None:
            continue
        memref, indices = access(inner)
        if memref.parent_block is body or any(i.parent_block is body and i is not body.arguments[0] for i in indices):
            continue
        found.append((inner, memref, indices))
    return found


def _in_bounds_for_all_trips(t, op, accesses, lb, ub):
    """An i1: the loop runs no trip, or every access fits for every induction value in [lb, ub)."""
    import llvmlite.ir as ll

    b = t.b
    iv = op.regions[0].blocks[0].arguments[0]
    unsigned = op.unsigned_cmp
    empty = (b.icmp_unsigned if unsigned else b.icmp_signed)(">=", lb, ub)
    ok = ll.Constant(ll.IntType(1), 1)
    for _, memref, indices in accesses:
        desc = t.values[memref]
        for d, index in enumerate(indices):
            size = b.extract_value(desc, [3, d])
            if index is iv:
                fits = b.icmp_unsigned("<=", ub, size)
                if not unsigned:
                    fits = b.and_(fits, b.icmp_signed(">=", lb, ll.Constant(lb.type, 0)))
            else:
                fits = b.icmp_unsigned("<", t.values[index], size)
            ok = b.and_(ok, fits)
    return b.or_(empty, ok)


@translate_to_llvm.register(S.WhileOp)
def _while(t, op, args):
    b = t.b
    pre = b.block
    head, body_bb, done = t.block("while.head"), t.block("while.body"), t.block("while.end")
    b.branch(head)
    b.position_at_end(head)
    carried = _phis(b, args, pre)
    cond, *passed = t.emit_region(op, 0, carried)
    if _can_fail(op):
        cond = b.and_(cond, b.not_(t.failed()))
    b.cbranch(cond, body_bb, done)
    b.position_at_end(body_bb)
    nxt = t.emit_region(op, 1, passed)
    latch = b.block
    b.branch(head)
    for p, v in zip(carried, nxt):
        p.add_incoming(v, latch)
    b.position_at_end(done)
    return passed


@translate_to_llvm.register(S.ParallelOp)
def _parallel(t, op, args):
    n = len(op.step)
    lbs, ubs, steps, inits = args[:n], args[n:2 * n], args[2 * n:3 * n], list(args[3 * n:])
    reduce_op = op.reduce_op
    body_block = op.body.blocks[0]

    def nest(dim, ivs, acc):
        if dim == n:
            values = t.emit_block(body_block, ivs)
            return [
                t.emit_block(reduce_op.regions[i].blocks[0], [a, v])[0] for i, (a, v) in enumerate(zip(acc, values))
            ]
        return counted_loop(
            t, op, lbs[dim], ubs[dim], steps[dim], acc, lambda iv, values: nest(dim + 1, ivs + [iv], values),
            name="parallel",
        )

    return nest(0, [], inits)


_ = I1
