"""Derivative rules of the func dialect: a call is differentiated through its
callee, whose derivative function is generated once per activity and reused
(``@g_jvp`` / ``@g_vjp``; custom rules named by ``ad.jvp_rule`` /
``ad.vjp_rule`` are used instead when present).

Reverse mode calls ``@g_vjp`` in the reverse sweep, which recomputes g's
forward sweep: the tape of a call stays inside the callee.
"""

from __future__ import annotations

from ..ad_interfaces import jvp, vjp
from ..attributes import SymbolRefAttr
from ..symbols import lookup_symbol
from ..types import is_float_like
from .func import CallOp, FuncOp


def _callee(op) -> FuncOp:
    fn = lookup_symbol(op, op.attributes["callee"])
    if not isinstance(fn, FuncOp):
        raise op.emit_error(f"calls unknown function '{op.attributes['callee']}'")
    return fn


@jvp(CallOp, emits_primal=True)
def _call_jvp(ctx, op, tangents):
    callee = _callee(op)
    active = [i for i, t in enumerate(tangents) if t is not None]
    primals = [ctx.primal(v) for v in op.operands]
    if not active:
        call = ctx.b.create(CallOp, primals, result_types=list(op.result_types), callee=op.attributes["callee"])
        return call.results, [None] * len(op.results)
    g = ctx.manager.jvp_function(callee, active, ctx.width, at=op)
    args = primals + [t for i in active for t in tangents[i]]
    call = ctx.b.create(CallOp, args, result_types=list(g.function_type.results), callee=SymbolRefAttr(g.sym_name))
    n = len(op.results)
    res = list(call.results)
    outs, k = [], n
    for r in op.results:
        if is_float_like(r.type):
            outs.append(res[k:k + ctx.width])
            k += ctx.width
        else:
            outs.append(None)
    return res[:n], outs


@vjp(CallOp)
def _call_vjp(ctx, op, cts):
    callee = _callee(op)
    active = [i for i, v in enumerate(op.operands) if ctx.is_active(v)]
    g = ctx.manager.vjp_function(callee, active, at=op)
    args = [ctx.primal(v) for v in op.operands]
    for r, c in zip(op.results, cts):
        if is_float_like(r.type):
            args.append(ctx.materialize(c, r.type))
    call = ctx.b.create(CallOp, args, result_types=list(g.function_type.results), callee=SymbolRefAttr(g.sym_name))
    res = list(call.results)[len(op.results):]
    out = [None] * len(op.operands)
    for k, i in enumerate(active):
        out[i] = res[k]
    return out
