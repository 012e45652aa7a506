"""Forward mode: build ``@f_jvp(primals..., tangents...) -> (results..., tangents...)``.

The transform walks f's body once, cloning each op and, for active ops,
calling the op's JVP rule to build its tangents right after it (the dual
numbers of Wengert/Griewank, as IR).  Tangents exist only for active values
(`activity.py`); None stands for a zero tangent, so inactive code costs
nothing.  With ``width = N`` every active value carries N tangents and a
plain rule runs once per direction (its primal parts are shared by CSE).
"""

from __future__ import annotations

from typing import Dict, List, Optional, Sequence

from irc.ad_interfaces import RuleContext, body_end, jvp_rules
from irc.builder import Builder
from irc.core import Block, Operation, Value
from irc.functions import FunctionLike
from irc.traits import Terminator
from irc.types import FunctionType, is_float_buffer, is_float_like

from .activity import ActivityAnalysis


def tangent_name(v: Value, suffix: str = "tangent", k: Optional[int] = None) -> Optional[str]:
    if not v.name_hint:
        return None
    return f"{v.name_hint}_{suffix}" + (f"{k}" if k is not None else "")


class JvpContext(RuleContext):
    """The context a JVP rule builds in: every primal value dominates the tangent code."""

    def __init__(self, transform: "ForwardTransform", builder: Builder, op: Operation):
        super().__init__(builder)
        self.transform = transform
        self.manager = transform.manager
        self.op = op
        self.width = transform.width

    def primal(self, v: Value) -> Value:
        return self.transform.mapping.get(v, v)

    def tangent(self, v: Value) -> Optional[List[Value]]:
        """The N tangents of original value `v` (None when it is inactive)."""
        return self.transform.tangents.get(v)

    def is_active(self, v: Value) -> bool:
        return self.transform.activity.is_active(v)

    def jvp_block(self, block: Block, new_block: Block, primal_args: Sequence[Value], tangent_args: Sequence):
        """Transform `block` into `new_block`, its arguments given; returns the
        original terminator (the caller builds the new one)."""
        t = self.transform
        for a, p in zip(block.arguments, primal_args):
            t.mapping[a] = p
        for a, tl in zip(block.arguments, tangent_args):
            if tl is not None:
                t.tangents[a] = list(tl)
        return t.transform_block(block, Builder(body_end(new_block), self.b.location))

    def tangents_or_zero(self, v: Value) -> List[Value]:
        tl = self.tangent(v)
        if tl is None:
            z = self.zero(self.primal(v))
            return [z] * self.width
        return list(tl)


class ForwardTransform:
    """Forward-mode differentiation of one function for one activity and width."""

    def __init__(self, manager, fn: Operation, active: Sequence[int], width: int, name: str):
        self.manager = manager
        self.fn = fn
        self.function = FunctionLike.of(fn)  # any function op: func.func, a plugin's
        self.active = list(active)
        self.width = width
        self.name = name
        self.mapping: Dict = {}
        self.tangents: Dict[Value, List[Value]] = {}

    def signature(self) -> FunctionType:
        ft = self.function.function_type()
        tin = [ft.inputs[i] for i in self.active for _ in range(self.width)]
        tout = [t for t in ft.results if is_float_like(t) for _ in range(self.width)]
        return FunctionType(tuple(ft.inputs) + tuple(tin), tuple(ft.results) + tuple(tout))

    def build(self) -> Operation:
        fn, function = self.fn, self.function
        entry = function.entry_block()
        term = entry.last_op
        # a dup buffer's shadow (its tangent) is an output too: the caller reads it back
        buffers = [entry.arguments[i] for i in self.active if is_float_buffer(entry.arguments[i].type)]
        self.activity = ActivityAnalysis(entry, self.active, list(term.operands) + buffers)
        new = function.create_like(self.name, self.signature(), fn.location)
        new_entry = FunctionLike.of(new).entry_block()
        args = new_entry.arguments
        fn_args = entry.arguments
        n = len(fn_args)
        for a, na in zip(fn_args, args):
            self.mapping[a] = na
            na.name_hint = a.name_hint
        k = n
        for i in self.active:
            a = fn_args[i]
            ts = list(args[k:k + self.width])
            for j, t in enumerate(ts):
                t.name_hint = tangent_name(a, k=j if self.width > 1 else None)
            self.tangents[a] = ts
            k += self.width
        b = Builder.at_end(new_entry, fn.location)
        ret = self.transform_block(entry, b)
        outs = [self.mapping.get(v, v) for v in ret.operands]
        b.location = ret.location
        ctx = JvpContext(self, b, ret)
        for v in ret.operands:
            if is_float_like(v.type):
                outs.extend(ctx.tangents_or_zero(v))
        function.build_return(b, outs)
        return new

    def transform_block(self, block: Block, b: Builder) -> Operation:
        """Clone `block`'s ops with their tangents at `b`; return its terminator (not cloned)."""
        for op in block.ops:
            if op.has_trait(Terminator):
                return op
            self.transform_op(op, b)
        return None

    def transform_op(self, op: Operation, b: Builder) -> None:
        act = self.activity
        rule = jvp_rules.lookup(op)
        if not act.needs_rule(op, rule):
            b.insert(op.clone(self.mapping))
            return
        if rule is None:
            raise op.emit_error(
                "has no forward-mode derivative rule, but its result depends on an active value "
                "(register one with irc.ad_interfaces.jvp, or wrap the operand in ad.stop_gradient)"
            )
        saved = b.location
        b.location = op.location
        try:
            ctx = JvpContext(self, b, op)
            tin = [self.tangents.get(v) if act.is_active(v) else None for v in op.operands]
            if rule.emits_primal:
                primals, touts = rule.fn(ctx, op, tin)
            else:
                new = b.insert(op.clone(self.mapping))
                primals = new.results
                per_dir = []
                for k in range(self.width):
                    per_dir.append(rule.fn(ctx, op, [t[k] if t is not None else None for t in tin]))
                touts = []
                for i in range(len(op.results)):
                    ts = [d[i] for d in per_dir]
                    touts.append(None if all(t is None for t in ts) else ts)
            for r, p in zip(op.results, primals):
                self.mapping[r] = p
            for r, ts in zip(op.results, touts):
                if ts is None or not act.is_active(r):
                    continue
                ts = [t if t is not None else ctx.zero(self.mapping[r]) for t in ts]
                for j, t in enumerate(ts):
                    if t.name_hint is None and t.defining_op is not None:
                        t.name_hint = tangent_name(r, k=j if self.width > 1 else None)
                self.tangents[r] = ts
        finally:
            b.location = saved
