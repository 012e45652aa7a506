"""`remove-dead-buffers`: allocations nothing reads, and the ops that only fill them.

After differentiation and inlining, a forward-over-reverse program still
computes results its caller drops (the HVP does not need the gradient, yet
the inlined gradient code fills its buffers, with two matrix products, and
frees them).  MLIR's ``memref.alloc`` canonicalization erases an allocation
whose only uses are stores and its dealloc; this pass is that rule for any op
whose effects are known (`MemoryEffects`): a buffer is dead when every use of
it is its ``dealloc``, an op with no results used, no allocation or free, and
every write into dead buffers, or an op with no results used that only reads
(the load of a primal value the gradient drops).  The dead set is the greatest fixed point
(a buffer read only by ops that fill dead buffers is dead too); the ops using
dead buffers, the buffers and their deallocs are then erased.  A buffer
that is returned, passed to a call, viewed (subview, cast ...) or written by
an op that also writes a live buffer stays.
"""

from __future__ import annotations

from typing import List, Set

from irc.core import Operation
from irc.effects import ALLOCATE, FREE, READ, WRITE, memory_effects
from irc.traits import Terminator

from .pass_manager import Pass, register_pass


def _allocation(op: Operation):
    """The buffer `op` allocates on the heap or stack (its only result), or None."""
    effects = memory_effects(op) if len(op.results) == 1 and not op.regions else None
    if effects and all(e.kind == ALLOCATE and e.value is op.results[0] for e in effects):
        return op.results[0]
    return None


def _frees(op: Operation, buffer) -> bool:
    effects = memory_effects(op)
    return bool(effects) and all(e.kind == FREE and e.value is buffer for e in effects)


def _fills_only(op: Operation, buffer, dead: Set) -> bool:
    """`op` reads or writes `buffer` (its effects say so), writes something and only buffers
    in `dead`, allocates and frees nothing, is no terminator, and nobody uses its results."""
    if any(r.has_uses for r in op.results) or Terminator in op.traits:
        return False
    effects = memory_effects(op)
    if not effects or not any(e.value is buffer for e in effects) or not any(e.kind == WRITE for e in effects):
        return False
    return all(e.kind not in (ALLOCATE, FREE) and (e.kind != WRITE or e.value in dead) for e in effects)


def _reads_unused(op: Operation) -> bool:
    """`op` only reads memory and nobody uses its results (a load of the primal value the
    gradient drops): it goes with the buffer it reads."""
    if any(r.has_uses for r in op.results) or Terminator in op.traits or op.regions:
        return False
    effects = memory_effects(op)
    return bool(effects) and all(e.kind == READ for e in effects)


def remove_dead_buffers(root: Operation) -> int:
    """Erase the dead buffers under `root` and the ops that only fill them; how many buffers."""
    dead = {v for op in root.walk() for v in [_allocation(op)] if v is not None}
    changed = True
    while changed:
        changed = False
        for buffer in list(dead):
            for use in buffer.uses:
                user = use.owner
                if not (_frees(user, buffer) or _fills_only(user, buffer, dead) or _reads_unused(user)):
                    dead.discard(buffer)
                    changed = True
                    break
    doomed: List[Operation] = []
    seen = set()
    for buffer in dead:
        for use in list(buffer.uses):
            if id(use.owner) not in seen:
                seen.add(id(use.owner))
                doomed.append(use.owner)
    for op in doomed:
        op.erase()
    for buffer in dead:
        buffer.owner.erase()
    return len(dead)


@register_pass
class RemoveDeadBuffers(Pass):
    """Allocations that nothing reads, with the ops that only write them and their deallocs, are erased."""

    name = "remove-dead-buffers"
    summary = "Erase allocations nobody reads, with the ops that only write them and their deallocs"

    def run(self, op: Operation) -> None:
        remove_dead_buffers(op)
