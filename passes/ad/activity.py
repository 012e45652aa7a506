"""Activity analysis: which values of a function need derivative code.

A value is *varied* when it depends on an active argument (a forward data
flow) and *useful* when it reaches a float result (a backward data flow);
it is *active* when it is both and its type is differentiable (float, or
tensor/vector of float).  Integers, indices and i1 are never active, and the
results of ops declared `non_differentiable` (comparisons, floor,
ad.stop_gradient ...) are never varied.  Derivative code is emitted only for
active values (Hascoet & Pascual, "The Tapenade AD tool", 2013, sec. 3).

Ops with regions say how values flow into and out of their regions through
the `RegionBranch` interface (scf.for: init -> iter arg, yield -> iter arg,
yield -> result ...; ``irc.control_flow.value_flow``).  An op with regions
that does not implement it is treated conservatively: everything it contains
and returns depends on everything it uses.  An op without regions that writes one of its operands (its
`MemoryEffects` say so: ``ad.tape_push``) carries its other operands into it.

Activity follows values through buffers: a store of a varied value varies
the buffer, a load from a varied buffer is varied, and an op that takes a
buffer and returns one (``memref.cast``, ``memref.subview``) returns a view
of it, so activity flows both ways between them.  A buffer of floats is
itself active when it is varied and useful: its loads and stores get shadow
twins (``ir/dialects/memref_derivatives.py``).  A ``dup`` buffer argument is
both an input and an output (the caller reads its shadow back), so it seeds
both flows; a constant one seeds neither, and an active value stored into
it is a diagnostic at the store, never a derivative silently lost.
"""

from __future__ import annotations

from typing import Callable, Dict, Iterable, List, Optional, Set, Tuple

from irc.ad_interfaces import is_differentiable_type, non_differentiable_ops
from irc.types import MemRefType, is_float_buffer, is_float_like
from irc.control_flow import RegionBranch, value_flow
from irc.core import Operation, Value
from irc.effects import READ, WRITE, memory_effects


def _values_used_inside(op: Operation) -> List[Value]:
    out = []
    for region in op.regions:
        for inner in region.walk():
            out.extend(inner.operands)
    return out


def _written_operands(op: Operation) -> List[Value]:
    """The operands `op` writes (its MemoryEffects; any buffer operand when they are unknown)."""
    effects = memory_effects(op)
    if effects is None:  # unknown effects (a call): it may write any buffer it is given
        return [v for v in op.operands if isinstance(v.type, MemRefType)]
    return [e.value for e in effects if e.kind == WRITE and e.value is not None and e.value in op.operands]


def _write_edges(op: Operation, sources=None) -> List[Tuple[Value, Value]]:
    """(source, written operand) pairs of an op that writes some of its operands; the
    sources are its operands unless given."""
    sources = list(op.operands) if sources is None else sources
    return [(v, w) for w in _written_operands(op) for v in sources if v is not w]


def _alias_edges(op: Operation) -> List[Tuple[Value, Value]]:
    """(result view, source buffer) pairs: a write through the view reaches the source."""
    sources = [v for v in op.operands if isinstance(v.type, MemRefType)]
    return [(r, v) for r in op.results if isinstance(r.type, MemRefType) for v in sources]


def _carries_derivatives(t) -> bool:
    """What varied-ness propagates to: differentiable values and buffers of floats."""
    return is_differentiable_type(t) or (isinstance(t, MemRefType) and is_float_like(t.element_type))


def _propagate(reached: Set[Value], edges: Dict[Value, List[Value]], admits: Optional[Callable]) -> None:
    """Add to `reached` everything reachable along `edges` (whose type `admits`, when given)."""
    work = list(reached)
    while work:
        for d in edges.get(work.pop(), ()):
            if d not in reached and (admits is None or admits(d.type)):
                reached.add(d)
                work.append(d)


class ActivityAnalysis:
    """Activity of every value in `fn`'s body for the given active arguments."""

    def __init__(self, body_block, active_args: Iterable[int], outputs: Iterable[Value]):
        self.block = body_block
        self.varied: Set[Value] = set()
        self.useful: Set[Value] = set()
        args = body_block.arguments
        for i in active_args:
            if _carries_derivatives(args[i].type):
                self.varied.add(args[i])
        self._ops = list(self._all_ops(body_block))
        self._forward()
        for v in outputs:
            if _carries_derivatives(v.type):
                self.useful.add(v)
        self._backward()

    @staticmethod
    def _all_ops(block):
        for op in block.ops:
            yield from op.walk(post_order=False)

    def _edges(self, op) -> List[Tuple[Value, Value]]:
        if not op.regions:
            return _write_edges(op) + _alias_edges(op)
        if RegionBranch.implemented_by(op):
            return value_flow(op)
        edges = []
        inside = _values_used_inside(op) + list(op.operands)
        targets = list(op.results)
        for region in op.regions:
            for b in region.blocks:
                targets.extend(b.arguments)
        for s in inside:
            for d in targets:
                edges.append((s, d))
        # an op with a body of its own (a linalg op on buffers) writes its output buffers
        return edges + _write_edges(op, inside)

    def _forward(self) -> None:
        """Worklist propagation along value -> value edges: O(edges), not O(ops x sweeps)."""
        edges: Dict[Value, List[Value]] = {}
        for op in self._ops:
            if non_differentiable_ops.lookup(op):
                continue
            for s, d in self._edges(op):
                edges.setdefault(s, []).append(d)
            if op.regions:
                continue
            for v in op.operands:
                edges.setdefault(v, []).extend(op.results)
        _propagate(self.varied, edges, _carries_derivatives)

    def _backward(self) -> None:
        """Worklist propagation from the outputs back to what they depend on."""
        edges: Dict[Value, List[Value]] = {}
        for op in self._ops:
            for s, d in self._edges(op):
                edges.setdefault(d, []).append(s)
            if op.regions:
                continue
            for r in op.results:
                edges.setdefault(r, []).extend(op.operands)
        _propagate(self.useful, edges, None)

    def is_active(self, v: Value) -> bool:
        """Varied, useful and carrying derivatives (a float value, or a buffer of floats,
        whose derivatives live in its shadow buffer)."""
        return v in self.varied and v in self.useful and (is_differentiable_type(v.type) or is_float_buffer(v.type))

    def op_is_active(self, op: Operation) -> bool:
        return any(self.is_active(r) for r in op.results)

    def touches_active_buffer(self, op: Operation) -> bool:
        """Whether `op` may read or write an active buffer operand (its MemoryEffects say so,
        or say nothing: a call): then its rule must run even with no active result, or the
        derivative held in the buffer's shadow would be lost."""
        buffers = [v for v in op.operands if is_float_buffer(v.type) and self.is_active(v)]
        if not buffers or (op.regions and RegionBranch.implemented_by(op)):
            return False  # control flow: the ops in its regions touch the buffers
        effects = memory_effects(op)
        return effects is None or any(e.kind in (READ, WRITE) and e.value in buffers for e in effects)

    def needs_rule(self, op: Operation, rule) -> bool:
        """Whether the driver must call `op`'s rule: an active result, or (rules
        marked `always`, e.g. tape ops) an active operand, or (ops with regions)
        such an op inside, or one with a body of its own touching an active buffer."""
        if self.op_is_active(op) or self.touches_active_buffer(op):
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
                    if inner.regions and self.touches_active_buffer(inner):
                        return True  # a linalg op on an active buffer
        return False


def captured_values(op: Operation) -> List[Value]:
    """Values used inside `op`'s regions but defined outside `op` (in order, once each).

    O(size of `op`): what is defined inside is collected first, so a use costs
    a set lookup, not a walk up the (possibly deep) nesting.
    """
    inner_ops = [inner for region in op.regions for inner in region.walk()]
    defined = {a for region in op.regions for b in region.blocks for a in b.arguments}
    for inner in inner_ops:
        defined.update(inner.results)
        for region in inner.regions:
            for b in region.blocks:
                defined.update(b.arguments)
    seen, out = set(), []
    for inner in inner_ops:
        for v in inner.operands:
            if v not in seen and v not in defined:
                seen.add(v)
                out.append(v)
    return out
