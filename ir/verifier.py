"""The verifier: declarations, traits, op-specific checks, the control-flow
edges of RegionBranch ops, terminators, region isolation and SSA dominance.

Dominance is checked by one scan per region: values become visible as their
definitions are passed, in dominator-tree order for multi-block regions, so
verification is linear in the size of the IR.
"""

from __future__ import annotations

from typing import List, Set

from .control_flow import RegionBranch, verify_region_edges
from .core import Block, Operation, Region, Value
from .diagnostics import DiagnosticError, error
from .dominance import dominator_tree
from .traits import IsolatedFromAbove, NoTerminator, SingleBlock, Terminator


def verify(op: Operation) -> None:
    """Raise DiagnosticError if `op` (and everything nested) is invalid."""
    _Verifier().verify_op(op, [set()])


class _Verifier:
    def verify_op(self, op: Operation, visible: List[Set[Value]]) -> None:
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
            self.verify_region(op, region, visible)
        if op.registered:
            op.verify()
            if op.regions and RegionBranch.implemented_by(op):
                verify_region_edges(op)

    def verify_region(self, op: Operation, region: Region, visible: List[Set[Value]]) -> None:
        if not region.blocks:
            return
        if op.has_trait(SingleBlock) and len(region.blocks) > 1:
            raise op.emit_error(f"expects region to have 0 or 1 blocks, got {len(region.blocks)}")
        isolated = op.has_trait(IsolatedFromAbove)
        scopes = [set()] if isolated else visible + [set()]
        outer = visible if isolated else None
        if len(region.blocks) == 1:
            self.verify_block(op, region.blocks[0], scopes, outer)
        else:
            children = dominator_tree(region)
            self._walk_domtree(op, region.blocks[0], children, scopes, outer)
            for b in region.blocks:
                if b not in children:  # unreachable: check structure only
                    self.verify_block(op, b, scopes + [set(_all_defs(region))], outer)

    def _walk_domtree(self, op, entry, children, scopes, outer):
        # each block sees the definitions of the blocks that dominate it
        work = [(entry, list(scopes))]
        while work:
            b, sc = work.pop()
            local = set()
            self.verify_block(op, b, sc + [local], outer)
            for c in reversed(children.get(b, [])):
                work.append((c, sc + [local]))

    def verify_block(self, op: Operation, block: Block, scopes: List[Set[Value]], outer) -> None:
        local = scopes[-1]
        for a in block.arguments:
            local.add(a)
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
                if not any(v in s for s in scopes):
                    raise self._bad_use(inner, i, v, outer)
            for s in inner.successors:
                if s.parent is not block.parent:
                    raise inner.emit_error("reference to block defined in another region")
            self.verify_op(inner, scopes)
            for r in inner.results:
                local.add(r)

    def _bad_use(self, user: Operation, index: int, v: Value, outer) -> DiagnosticError:
        notes = []
        def_op = v.defining_op
        if def_op is not None:
            notes.append(("operand defined here", def_op.location))
        if outer is not None and any(v in s for s in outer):
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
