"""The verifier: declarations, traits, op-specific checks, the control-flow
edges of RegionBranch ops, terminators, region isolation and SSA dominance.

Dominance is checked by one scan per region: values become visible as their
definitions are passed, in dominator-tree order for multi-block regions, so
verification is linear in the size of the IR.
"""

from __future__ import annotations

from typing import Dict, List

from .control_flow import RegionBranch, verify_region_edges
from .core import Block, Operation, Region, Value
from .deep_stack import MAX_NESTING, nesting_error, retry_on_deep_stack
from .diagnostics import DiagnosticError, error
from .dominance import dominator_tree
from .traits import IsolatedFromAbove, NoTerminator, SingleBlock, Terminator


def verify(op: Operation) -> None:
    """Raise DiagnosticError if `op` (and everything nested) is invalid."""
    retry_on_deep_stack(lambda: _Verifier().verify_op(op))


class _Verifier:
    """One walk of the IR.  `visible` maps each value whose definition has been
    passed (and whose block is still open) to the isolation level it was defined
    at: a use checks one dict entry, however deep the nesting."""

    def __init__(self):
        self.visible: Dict[Value, int] = {}
        self.level = 0  # how many isolated-from-above regions enclose the current one
        self.depth = 0  # how many regions enclose the current one

    def verify_op(self, op: Operation) -> None:
        if op.registered:
            op.verify_declaration()
            for trait in op.traits:
                v = getattr(trait, "verify", None)
                if v is not None:
                    v(op)
        for i, v in enumerate(op.operands):
            if v.type is None:
                raise op.emit_error(f"operand #{i} is an unresolved value")
        for region in op.regions:
            self.verify_region(op, region)
        if op.registered:
            op.verify()
            if op.regions and RegionBranch.implemented_by(op):
                verify_region_edges(op)

    def verify_region(self, op: Operation, region: Region) -> None:
        if not region.blocks:
            return
        if op.has_trait(SingleBlock) and len(region.blocks) > 1:
            raise op.emit_error(f"expects region to have 0 or 1 blocks, got {len(region.blocks)}")
        isolated = op.has_trait(IsolatedFromAbove)
        self.level += isolated
        self.depth += 1
        if self.depth > MAX_NESTING:
            raise nesting_error(op)
        try:
            if len(region.blocks) == 1:
                added: List[Value] = []
                self.verify_block(op, region.blocks[0], added)
                self._forget(added)
            else:
                children = dominator_tree(region)
                self._walk_domtree(op, region.blocks[0], children)
                unreachable = [b for b in region.blocks if b not in children]
                if unreachable:  # check structure only: every definition of the region is visible
                    added = [v for v in _all_defs(region) if v not in self.visible]
                    for v in added:
                        self.visible[v] = self.level
                    for b in unreachable:
                        self.verify_block(op, b, added)
                    self._forget(added)
        finally:
            self.level -= isolated
            self.depth -= 1

    def _forget(self, values: List[Value]) -> None:
        visible = self.visible
        for v in values:
            visible.pop(v, None)

    def _walk_domtree(self, op, entry, children):
        # each block sees the definitions of the blocks that dominate it: a depth-first
        # walk of the dominator tree, forgetting a block's definitions when its subtree is done
        work = [(entry, None)]
        while work:
            b, added = work.pop()
            if added is not None:
                self._forget(added)
                continue
            added = []
            self.verify_block(op, b, added)
            work.append((b, added))
            for c in reversed(children.get(b, [])):
                work.append((c, None))

    def verify_block(self, op: Operation, block: Block, added: List[Value]) -> None:
        visible, level = self.visible, self.level
        for a in block.arguments:
            visible[a] = level
            added.append(a)
        last = block.last_op
        needs_terminator = op.registered and not op.has_trait(NoTerminator)
        if needs_terminator:
            if last is None:
                raise op.emit_error("empty block: expect at least a terminator")
            if not last.has_trait(Terminator) and last.registered:
                raise error(
                    "block with no terminator, has " + f"'{last.op_name}'", last.location
                )
        for inner in block.ops:
            if inner.has_trait(Terminator) and inner is not last and inner.registered:
                raise inner.emit_error("must be the last operation in the parent block")
            for i, v in enumerate(inner.operands):
                if visible.get(v) != level:
                    raise self._bad_use(inner, i, v)
            for s in inner.successors:
                if s.parent is not block.parent:
                    raise inner.emit_error("reference to block defined in another region")
            self.verify_op(inner)
            for r in inner.results:
                visible[r] = level
                added.append(r)

    def _bad_use(self, user: Operation, index: int, v: Value) -> DiagnosticError:
        notes = []
        def_op = v.defining_op
        if def_op is not None:
            notes.append(("operand defined here", def_op.location))
        if self.visible.get(v, self.level) < self.level:
            return user.emit_error(
                "using value defined outside the region",
                notes + [("required by region isolation constraints", user.location)],
            )
        if isinstance(def_op, Operation) and def_op.is_ancestor_of(user):
            return user.emit_error(f"operand #{index} is defined by an enclosing op and used inside it", notes)
        return user.emit_error(f"operand #{index} does not dominate this use", notes)


def _all_defs(region: Region):
    for b in region.blocks:
        yield from b.arguments
        for op in b.ops:
            yield from op.results
