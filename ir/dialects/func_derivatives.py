"""Derivative rules of calls: a call is differentiated through its callee,
whose derivative function is generated once per activity and reused
(``@g_jvp`` / ``@g_vjp``; custom rules named by ``ad.jvp_rule`` /
``ad.vjp_rule`` are used instead when present).

The rules read only the `CallLike` and `FunctionLike` interfaces, and are
the rules of *every* call-like op without its own (``func.call``, a
plugin's call op), so a new function dialect is differentiated without
writing a rule.

Reverse mode calls ``@g_vjp`` in the reverse sweep, which recomputes g's
forward sweep: the tape of a call stays inside the callee.
"""

from __future__ import annotations

from ..ad_interfaces import Rule, jvp_rules, vjp_rules
from ..functions import CallLike, FunctionLike, resolve_callee
from ..types import is_float_buffer, is_float_like


def _callee(op):
    fn = resolve_callee(op)
    if fn is None:
        raise op.emit_error(f"calls unknown function '{CallLike.of(op).callee()}'")
    return fn


def _call_jvp(ctx, op, tangents):
    callee = _callee(op)
    call = CallLike.of(op)
    active = [i for i, t in enumerate(tangents) if t is not None]
    primals = [ctx.primal(v) for v in op.operands]
    if not active:
        new = call.build_like(ctx.b, call.callee().root, primals, list(op.result_types))
        return new.results, [None] * len(op.results)
    g = ctx.manager.jvp_function(callee, active, ctx.width, at=op)
    args = primals + [t for i in active for t in tangents[i]]
    g_fn = FunctionLike.of(g)
    new = call.build_like(ctx.b, g_fn.sym_name(), args, list(g_fn.function_type().results))
    n = len(op.results)
    res = list(new.results)
    outs, k = [], n
    for r in op.results:
        if is_float_like(r.type):
            outs.append(res[k:k + ctx.width])
            k += ctx.width
        else:
            outs.append(None)
    return res[:n], outs


def _call_vjp(ctx, op, cts):
    callee = _callee(op)
    active = [i for i, v in enumerate(op.operands) if ctx.is_active(v)]
    buffers = [i for i in active if is_float_buffer(op.operands[i].type)]
    if buffers:
        # @g_vjp recomputes g in the reverse sweep: its loads would see memory written since,
        # and its stores would run twice
        raise op.emit_error(
            f"reverse mode through a call that passes a buffer with derivatives (operand {buffers[0]}) is "
            "not supported: the callee would run again in the reverse sweep; inline it first (--inline)")
    g = ctx.manager.vjp_function(callee, active, at=op)
    args = [ctx.primal(v) for v in op.operands]
    for r, c in zip(op.results, cts):
        if is_float_like(r.type):
            args.append(ctx.materialize(c, r))
    g_fn = FunctionLike.of(g)
    new = CallLike.of(op).build_like(ctx.b, g_fn.sym_name(), args, list(g_fn.function_type().results))
    res = list(new.results)[len(op.results):]
    out = [None] * len(op.operands)
    for k, i in enumerate(active):
        out[i] = res[k]
    return out


# every call-like op without rules of its own is differentiated through its callee
jvp_rules.register_default(CallLike.implemented_by)(Rule(_call_jvp, emits_primal=True))
vjp_rules.register_default(CallLike.implemented_by)(Rule(_call_vjp))
