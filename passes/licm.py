"""`loop-invariant-code-motion`: hoist pure ops whose operands are all
defined outside a loop to just before the loop.

Loops are found through the `LoopLike` interface (``irc.control_flow``)
rather than by name: any op whose dialect attaches a LoopLike model is a
loop, and its `loop_regions` are the regions hoisted out of.

Pure ops are speculatable (see `irc.traits.Pure`), so moving one out of a
loop that might run zero times is safe.  Inner loops are processed first,
so an invariant found in a nest moves as far out as it can.
"""

from __future__ import annotations

from typing import List, Optional, Sequence

from irc.control_flow import LoopLike
from irc.core import Operation, Region, Value
from irc.effects import is_pure
from irc.traits import Terminator

from .pass_manager import Pass, register_pass

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


def hoist_loop_invariants(loop: Operation, body_regions: Sequence[Region]) -> int:
    """Move invariant ops of `loop`'s `body_regions` before `loop`; the number moved."""
    moved = 0
    worklist: List[Operation] = []
    body_regions = list(body_regions)
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
        loops = [o for o in op.walk() if o is not op and LoopLike.implemented_by(o)]
        for loop in loops:  # post-order: inner loops first
            moved += hoist_loop_invariants(loop, LoopLike.of(loop).loop_regions())
        self.num_hoisted = moved
