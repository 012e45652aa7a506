"""Region control flow: how control and values move between an op and its
regions (MLIR's RegionBranchOpInterface, RegionBranchTerminatorOpInterface
and LoopLikeOpInterface).

A `RegionBranch` op says, for each *point* — entering from the parent (None)
or leaving one of its regions through that region's terminator — which
successors control may reach: a region of the op, or the parent again (its
results).  Each `RegionSuccessor` names the values that receive what is
forwarded (the region's entry arguments, or the op's results).  The values
forwarded along an edge come from the op itself (`entry_operands`) or from
the terminator (`RegionBranchTerminator.forwarded_operands`; a ReturnLike
terminator forwards all its operands unless it says otherwise).

From that one description follow:
- `region_edges(op)`: every edge with its (forwarded, input) values, which
  activity analysis and the dead-result patterns read;
- `verify_region_edges(op)`: the type check of every edge, with MLIR's
  wording (run by the verifier for every RegionBranch op).

A `LoopLike` op names its loop regions, induction variables, inits, region
iter args, the values yielded to the next iteration and its loop results;
LICM and the dead-iter-arg pattern read it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import List, Optional

from .core import Operation, Region, Value
from .interfaces import OpInterface, required
from .traits import ReturnLike


@dataclass
class RegionSuccessor:
    """Where control may go: `region` of the op (None: back to the parent op), and
    the values that receive what is forwarded along the edge."""

    region: Optional[Region]
    inputs: List[Value] = field(default_factory=list)

    @property
    def is_parent(self) -> bool:
        """Control goes back to the parent op (its results receive the values)."""
        return self.region is None


class RegionBranch(OpInterface):
    """An op whose regions run under its control (scf.for, scf.if, scf.while ...)."""

    interface_name = "RegionBranchOpInterface"

    @required
    def successors(self, op, point: Optional[Region]) -> List[RegionSuccessor]:
        """Successors of `point`: None (control enters from the parent) or a region
        of `op` (control leaves it through its terminator)."""

    def entry_operands(self, op, successor: RegionSuccessor) -> List[Value]:
        """The operands of `op` forwarded to `successor` when control enters."""
        return []


class RunsRegionOnce(RegionBranch):
    """A model for ops that run their one region once, whose terminators give the
    op's results (scf.execute_region, ad.checkpoint)."""

    def successors(self, op, point):
        if point is None:
            return [RegionSuccessor(op.regions[0])]
        return [RegionSuccessor(None, list(op.results))]


class RegionBranchTerminator(OpInterface):
    """A terminator that forwards values to a region successor (scf.yield, scf.condition).
    ReturnLike terminators implement it by default, forwarding every operand."""

    interface_name = "RegionBranchTerminatorOpInterface"

    def forwarded_operands(self, op, successor: RegionSuccessor) -> List[Value]:
        """The operands of terminator `op` that go to `successor`'s inputs."""
        return list(op.operands)

    @classmethod
    def _fallback(cls, op):
        return _FORWARD_ALL if ReturnLike in op.traits else None


_FORWARD_ALL = RegionBranchTerminator()


@dataclass
class RegionEdge:
    """One control-flow edge of a RegionBranch op: from `source` (the op itself when
    entering, else a terminator in `source_region`) to `successor`."""

    source: Operation
    source_region: Optional[Region]
    successor: RegionSuccessor
    forwarded: List[Value]

    def pairs(self):
        """(forwarded value, input value) pairs along the edge."""
        return list(zip(self.forwarded, self.successor.inputs))


def region_edges(op: Operation) -> List[RegionEdge]:
    """Every edge of RegionBranch op `op` (entering, and leaving each region's
    terminators that forward values)."""
    rb = RegionBranch.of(op)
    edges = [RegionEdge(op, None, s, list(rb.entry_operands(s))) for s in rb.successors(None)]
    for region in op.regions:
        if not region.blocks:
            continue
        successors = None
        for block in region.blocks:
            term = block.last_op
            if term is None:
                continue
            forward = RegionBranchTerminator.get(term)
            if forward is None:
                continue
            if successors is None:
                successors = rb.successors(region)
            for s in successors:
                edges.append(RegionEdge(term, region, s, list(forward.forwarded_operands(s))))
    return edges


def value_flow(op: Operation) -> List[tuple]:
    """(source, destination) pairs of every value `op`'s region edges carry."""
    out = []
    for e in region_edges(op):
        out.extend(e.pairs())
    return out


def region_index(op: Operation, region: Region) -> int:
    """The position of `region` among `op`'s regions."""
    for i, r in enumerate(op.regions):
        if r is region:
            return i
    raise ValueError("region does not belong to op")


def verify_region_edges(op: Operation) -> None:
    """Check that the values forwarded along each edge match the successor's inputs."""
    for e in region_edges(op):
        source = "parent" if e.source_region is None else f"Operation {e.source.op_name}"
        target = "parent" if e.successor.is_parent else f"Region #{region_index(op, e.successor.region)}"
        values, inputs = e.forwarded, e.successor.inputs
        if len(values) != len(inputs):
            raise op.emit_error(
                f"along control flow edge from {source} to {target}: region branch point has {len(values)} "
                f"operands, but region successor needs {len(inputs)} inputs"
            )
        for i, (v, t) in enumerate(zip(values, inputs)):
            if v.type != t.type:
                raise op.emit_error(
                    f"along control flow edge from {source} to {target}: successor operand type #{i} '{v.type}' "
                    f"should match successor input type #{i} '{t.type}'"
                )


def parent_yields(op: Operation) -> List[Operation]:
    """The terminators of `op`'s regions whose values go to `op`'s results."""
    out = []
    for e in region_edges(op):
        if e.source_region is not None and e.successor.is_parent and e.source not in out:
            out.append(e.source)
    return out


class LoopLike(OpInterface):
    """A loop: regions that run repeatedly, with values carried between iterations."""

    interface_name = "LoopLikeOpInterface"

    @required
    def loop_regions(self, op) -> List[Region]:
        """The regions that run once per iteration (LICM hoists out of them)."""

    def induction_vars(self, op) -> List[Value]:
        """The block arguments that count the iterations."""
        return []

    def inits(self, op) -> List[Value]:
        """The operands that start the loop-carried values."""
        return []

    def region_iter_args(self, op) -> List[Value]:
        """The block arguments that hold the loop-carried values in each iteration."""
        return []

    def yielded_values(self, op) -> List[Value]:
        """The values passed to the next iteration's iter args."""
        return []

    def loop_results(self, op) -> List[Value]:
        """The results holding the final loop-carried values (one per iter arg), or []
        when the results do not correspond to the iter args (scf.while)."""
        return []


class ParallelCombining(OpInterface):
    """An op in a parallel loop's combining terminator (``scf.forall.in_parallel``) that
    merges one iteration's contribution into a shared output (MLIR's
    ParallelCombiningOpInterface on ``tensor.parallel_insert_slice``)."""

    interface_name = "ParallelCombiningOpInterface"
    # op names of the terminators whose region holds combining ops (scf.forall.in_parallel)
    terminators: set = set()

    @classmethod
    def is_combining_terminator(cls, op) -> bool:
        """`op` is a terminator whose region may hold only combining ops."""
        return op.op_name in cls.terminators

    @required
    def updated_destinations(self, op) -> List[int]:
        """The operand indices of the shared outputs (the loop's output block arguments)
        the op updates."""

    @required
    def combine(self, op, interp, args) -> list:
        """Interpreter: the new values of the updated destinations, from the op's evaluated
        operands `args` in which each destination holds the output's current value."""
