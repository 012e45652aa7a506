"""`dce`: erase side-effect-free ops whose results are unused, at every depth.

A worklist makes it linear: erasing an op puts the ops defining its operands
back on the list, since they may have just lost their last use.  Ops with
regions are erased as a whole when the MemoryEffects interface says they are
removable (`is_trivially_dead` looks inside RecursiveMemoryEffects ops such as
scf.for) and unused; dropping unused
results of such ops is the canonicalizer's job.
"""

from __future__ import annotations

from irc.core import Operation

from .pass_manager import Pass, register_pass
from .rewrite import is_trivially_dead


def erase_dead_ops(root: Operation) -> int:
    """Erase every trivially dead op nested in `root`; the number erased."""
    # post-order, reversed: users come before the ops they use
    worklist = [op for op in root.walk() if op is not root]
    erased = set()
    count = 0
    while worklist:
        op = worklist.pop()
        if op in erased or op.parent is None or not is_trivially_dead(op):
            continue
        defs = [v.defining_op for v in op.operands]
        for nested in op.walk():
            erased.add(nested)
        op.erase()
        count += 1
        for d in defs:
            if d is not None and d not in erased and root.is_ancestor_of(d) and d is not root:
                worklist.append(d)
    return count


@register_pass
class DCE(Pass):
    """Dead code elimination of unused side-effect-free ops."""

    name = "dce"
    summary = "Erase unused side-effect-free operations"

    def run(self, op: Operation) -> None:
        self.num_erased = erase_dead_ops(op)
