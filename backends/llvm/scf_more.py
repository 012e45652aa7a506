"""LLVM translation of the scf ops added after the first backend:
``scf.index_switch`` (an LLVM ``switch`` over the case values, the default
region as its default, results joined by phis) and ``scf.forall`` without
shared outputs (on the CPU a plain loop nest, as ``scf.parallel``; a forall
over tensors is bufferized first)."""

from __future__ import annotations

import llvmlite.ir as ll

from irc.dialects.scf_forall import ForallOp, InParallelOp
from irc.dialects.scf_index_switch import IndexSwitchOp

from .scf import counted_loop
from .translation import I64, Terminator, translate_to_llvm, unsupported


@translate_to_llvm.register(IndexSwitchOp)
def _index_switch(t, op, args):
    b = t.b
    merge = t.block("switch.end")
    default = t.block("switch.default")
    switch = b.switch(args[0], default)
    arms = [(default, 0)]  # the default region first, then one per case, as the op holds them
    for k, value in enumerate(op.case_values):
        block = t.block(f"switch.case{value}")
        switch.add_case(ll.Constant(I64, value), block)
        arms.append((block, k + 1))
    incoming = []
    for block, index in arms:
        b.position_at_end(block)
        values = t.emit_region(op, index, [])
        incoming.append((values, b.block))
        b.branch(merge)
    b.position_at_end(merge)
    results = []
    for i in range(len(op.results)):
        phi = b.phi(incoming[0][0][i].type)
        for values, block in incoming:
            phi.add_incoming(values[i], block)
        results.append(phi)
    return results


@translate_to_llvm.register(InParallelOp)
def _in_parallel(t, op, args):
    if op.regions[0].blocks and op.regions[0].blocks[0].first_op is not None:
        raise unsupported(op, "combines results into shared outputs; bufferize the scf.forall first")
    return Terminator([])


@translate_to_llvm.register(ForallOp)
def _forall(t, op, args):
    if op.outputs:
        raise unsupported(op, "has shared outputs (tensors); bufferize it first")
    values = {v: a for v, a in zip(op.operands, args)}

    def bound(x):
        return values[x] if not isinstance(x, int) else ll.Constant(I64, x)

    lbs = [bound(x) for x in op.mixed_lower_bounds]
    ubs = [bound(x) for x in op.mixed_upper_bounds]
    steps = [bound(x) for x in op.mixed_steps]

    def nest(dim, ivs):
        if dim == len(lbs):
            t.emit_block(op.body_block, ivs)
            return []
        return counted_loop(t, op, lbs[dim], ubs[dim], steps[dim], [], lambda iv, _: nest(dim + 1, ivs + [iv]),
                            name="forall")

    nest(0, [])
    return []
