"""`loop-invariant-code-motion`: hoist pure ops whose operands are all
defined outside a loop to just before the loop.

Loops are found through the `loop_like` interface rather than by name: an op
class may declare ``loop_body_regions = (0,)`` (the indices of the regions
that run once per iteration), or a dialect registers the same tuple with
``loop_like.register_value("dialect.op", (0,))``.  The scf loops are
registered here by name so this file does not import scf.

Pure ops are speculatable (see `irc.traits.Pure`), so moving one out of a
loop that might run zero times is safe.  Inner loops are processed first,
so an invariant found in a nest moves as far out as it can.
"""

from __future__ import annotations

from typing import List, Optional, Sequence

from irc.core import Operation, Region, Value
from irc.opdef import OpInterface
from irc.traits import Terminator, is_pure

from .pass_manager import Pass, register_pass

# Loops say which of their regions run once per iteration: a `loop_body_regions`
# class attribute on the op (scf.for, scf.while, scf.parallel declare it), or,
# for ops defined elsewhere, a value registered on this interface.
loop_like = OpInterface(
    "loop_like",
    "Loop ops: the value is the tuple of indices of the regions executed once per iteration.",
)


def loop_body_regions(op: Operation) -> Optional[Sequence[int]]:
    """Indices of `op`'s per-iteration regions if it is a loop, else None."""
    declared = getattr(type(op), "loop_body_regions", None)
    if declared is not None:
        return declared
    return loop_like.lookup(op)


def _defining_owner(value: Value) -> Optional[Operation]:
    """The op defining `value`: its producer, or for a block argument the op owning the block."""
    d = value.defining_op
    if d is not None:
        return d
    block = value.parent_block
    return block.parent_op if block is not None else None


def is_defined_outside(value: Value, loop: Operation) -> bool:
    """True if `value` is defined outside `loop` (so it is the same every iteration)."""
    owner = _defining_owner(value)
    return owner is None or not loop.is_ancestor_of(owner)


def _uses_only_outside(op: Operation, loop: Operation) -> bool:
    """Every value `op` (or an op nested in it) uses from outside `op` is defined outside `loop`."""
    for nested in op.walk():
        for v in nested.operands:
            owner = _defining_owner(v)
            if owner is not None and op.is_ancestor_of(owner):
                continue  # defined inside `op` itself: moves with it
            if owner is not None and loop.is_ancestor_of(owner):
                return False
    return True


def can_hoist(op: Operation, loop: Operation) -> bool:
    if Terminator in op.traits or op.successors or not is_pure(op):
        return False
    return _uses_only_outside(op, loop)


def hoist_loop_invariants(loop: Operation, regions: Sequence[int]) -> int:
    """Move invariant ops of `loop`'s body regions before `loop`; the number moved."""
    moved = 0
    worklist: List[Operation] = []
    body_regions: List[Region] = [loop.regions[i] for i in regions if i < len(loop.regions)]
    for region in body_regions:
        for block in region.blocks:
            worklist.extend(block.ops)
    worklist.reverse()  # a stack: visit in program order
    while worklist:
        op = worklist.pop()
        if op.parent is None or op.parent_region not in body_regions:
            continue
        if not can_hoist(op, loop):
            continue
        op.move_before(loop)
        moved += 1
        # users in the loop body may have just become invariant
        for r in op.results:
            for u in r.uses:
                user = u.owner
                if user.parent is not None and user.parent_region in body_regions:
                    worklist.append(user)
    return moved


@register_pass
class LoopInvariantCodeMotion(Pass):
    """Hoist loop-invariant pure ops out of loops (scf.for, scf.while, scf.parallel, ...)."""

    name = "loop-invariant-code-motion"
    summary = "Hoist loop-invariant pure (speculatable) operations out of loops"

    def run(self, op: Operation) -> None:
        moved = 0
        loops = [(o, r) for o in op.walk() if (r := loop_body_regions(o)) is not None and o is not op]
        for loop, regions in loops:  # post-order: inner loops first
            moved += hoist_loop_invariants(loop, regions)
        self.num_hoisted = moved
