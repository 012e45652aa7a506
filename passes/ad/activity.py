"""Activity analysis: which values of a function need derivative code.

A value is *varied* when it depends on an active argument (a forward data
flow) and *useful* when it reaches a float result (a backward data flow);
it is *active* when it is both and its type is differentiable (float, or
tensor/vector of float).  Integers, indices and i1 are never active, and the
results of ops declared `non_differentiable` (comparisons, floor,
ad.stop_gradient ...) are never varied.  Derivative code is emitted only for
active values (Hascoet & Pascual, "The Tapenade AD tool", 2013, sec. 3).

Ops with regions say how values flow into and out of their regions through
the `activity_flow` interface (scf.for: init -> iter arg, yield -> iter arg,
yield -> result ...).  An op with regions but no such declaration is treated
conservatively: everything it contains and returns depends on everything it
uses.
"""

from __future__ import annotations

from typing import Iterable, List, Set, Tuple

from irc.ad_interfaces import activity_flow, is_differentiable_type, non_differentiable_ops
from irc.core import Operation, Value


def _values_used_inside(op: Operation) -> List[Value]:
    out = []
    for region in op.regions:
        for inner in region.walk():
            out.extend(inner.operands)
    return out


class ActivityAnalysis:
    """Activity of every value in `fn`'s body for the given active arguments."""

    def __init__(self, body_block, active_args: Iterable[int], outputs: Iterable[Value]):
        self.block = body_block
        self.varied: Set[Value] = set()
        self.useful: Set[Value] = set()
        args = body_block.arguments
        for i in active_args:
            if is_differentiable_type(args[i].type):
                self.varied.add(args[i])
        self._ops = list(self._all_ops(body_block))
        self._forward()
        for v in outputs:
            if is_differentiable_type(v.type):
                self.useful.add(v)
        self._backward()

    @staticmethod
    def _all_ops(block):
        for op in block.ops:
            yield from op.walk(post_order=False)

    def _edges(self, op) -> List[Tuple[Value, Value]]:
        flow = activity_flow.lookup(op)
        if flow is not None:
            return flow(op)
        if not op.regions:
            return []
        edges = []
        inside = _values_used_inside(op) + list(op.operands)
        targets = list(op.results)
        for region in op.regions:
            for b in region.blocks:
                targets.extend(b.arguments)
        for s in inside:
            for d in targets:
                edges.append((s, d))
        return edges

    def _forward(self) -> None:
        varied = self.varied
        changed = True
        while changed:
            changed = False
            for op in self._ops:
                if non_differentiable_ops.lookup(op):
                    continue
                if op.regions or activity_flow.lookup(op) is not None:
                    for s, d in self._edges(op):
                        if s in varied and d not in varied and is_differentiable_type(d.type):
                            varied.add(d)
                            changed = True
                    if op.regions:
                        continue
                if any(v in varied for v in op.operands):
                    for r in op.results:
                        if r not in varied and is_differentiable_type(r.type):
                            varied.add(r)
                            changed = True

    def _backward(self) -> None:
        useful = self.useful
        changed = True
        while changed:
            changed = False
            for op in reversed(self._ops):
                if op.regions or activity_flow.lookup(op) is not None:
                    for s, d in self._edges(op):
                        if d in useful and s not in useful:
                            useful.add(s)
                            changed = True
                    if op.regions:
                        continue
                if any(r in useful for r in op.results):
                    for v in op.operands:
                        if v not in useful:
                            useful.add(v)
                            changed = True

    def is_active(self, v: Value) -> bool:
        return v in self.varied and v in self.useful and is_differentiable_type(v.type)

    def op_is_active(self, op: Operation) -> bool:
        return any(self.is_active(r) for r in op.results)

    def needs_rule(self, op: Operation, rule) -> bool:
        """Whether the driver must call `op`'s rule: an active result, or (rules
        marked `always`, e.g. tape ops) an active operand, or (ops with regions)
        such an op inside."""
        if self.op_is_active(op):
            return True
        if rule is not None and rule.always and any(self.is_active(v) for v in op.operands):
            return True
        if op.regions:
            from irc.ad_interfaces import jvp_rules

            for region in op.regions:
                for inner in region.walk():
                    r = jvp_rules.lookup(inner)
                    if r is not None and r.always and any(self.is_active(v) for v in inner.operands):
                        return True
        return False


def captured_values(op: Operation) -> List[Value]:
    """Values used inside `op`'s regions but defined outside `op` (in order, once each)."""
    seen, out = set(), []
    for region in op.regions:
        for inner in region.walk():
            for v in inner.operands:
                if v in seen:
                    continue
                owner = v.defining_op if v.defining_op is not None else v.owner.parent_op
                if owner is not None and op.is_ancestor_of(owner):
                    continue
                seen.add(v)
                out.append(v)
    return out
