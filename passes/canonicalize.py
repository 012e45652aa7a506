"""`canonicalize`: op folders, every op's canonicalization patterns and
region simplification, applied by the greedy driver to a fixed point.

What gets rewritten is declared next to each op (`fold`,
`canonicalization_patterns`); this pass only adds the op-independent
pieces: constants of commutative ops move to the right, and regions lose
unreachable blocks and unused arguments of blocks whose predecessors all say
how to drop the operand they forward (the `erase_successor_operand` hook).
"""

from __future__ import annotations

from typing import List

from irc.core import Operation, Region
from irc.rewrite import PatternRewriter, RewritePattern, constant_value
from irc.traits import Commutative

from .pass_manager import Pass, PassOption, register_pass
from .rewrite import GreedyRewriteConfig, apply_patterns_greedily, canonicalization_patterns


class MoveConstantToRight(RewritePattern):
    """``c op x`` → ``x op c`` for Commutative ops, so later patterns only look right."""

    root = None

    def match_and_rewrite(self, op: Operation, rewriter: PatternRewriter) -> bool:
        if Commutative not in op.traits or len(op.operands) != 2:
            return False
        lhs, rhs = op.operands
        if constant_value(lhs) is None or constant_value(rhs) is not None:
            return False
        rewriter.modify_op_in_place(op, lambda: op.set_operands([rhs, lhs]))
        return True


GENERIC_PATTERNS = (MoveConstantToRight,)


# ----------------------------------------------------------------------------
# region simplification


def _reachable_blocks(region: Region) -> set:
    entry = region.blocks[0]
    seen = {entry}
    stack = [entry]
    while stack:
        b = stack.pop()
        term = b.last_op
        if term is None:
            continue
        for s in term.successors:
            if s not in seen and s.parent is region:
                seen.add(s)
                stack.append(s)
    return seen


def erase_unreachable_blocks(region: Region, rewriter: PatternRewriter) -> bool:
    """Drop blocks no path from the entry block reaches; True if any were dropped."""
    if len(region.blocks) < 2:
        return False
    live = _reachable_blocks(region)
    dead = [b for b in region.blocks if b not in live]
    if not dead:
        return False
    # their values are only used by each other (dominance), so drop references first
    for b in dead:
        for op in list(b.ops):
            for nested in op.walk():
                for f in rewriter.on_erase:
                    f(nested)
            op._drop_references()
    for b in dead:
        for op in list(b.ops):
            for r in op.results:
                r.forget_uses()
            op.detach()
        for a in b.arguments:
            a.forget_uses()
        b.parent = None
    region.blocks = [b for b in region.blocks if b in live]
    return True


def erase_dead_block_arguments(region: Region, rewriter: PatternRewriter) -> bool:
    """Erase unused arguments of non-entry blocks whose predecessors' terminators
    all define ``erase_successor_operand(successor_index, argument_index)``."""
    changed = False
    for block in region.blocks[1:]:
        if not block.arguments:
            continue
        preds = []
        ok = True
        for b in region.blocks:
            term = b.last_op
            if term is None:
                continue
            for i, s in enumerate(term.successors):
                if s is block:
                    if not hasattr(term, "erase_successor_operand"):
                        ok = False
                    preds.append((term, i))
        if not ok or not preds:
            continue
        for index in reversed(range(len(block.arguments))):
            if block.arguments[index].uses:
                continue
            for term, i in preds:
                rewriter.modify_op_in_place(term, lambda t=term, i=i, k=index: t.erase_successor_operand(i, k))
            block.erase_argument(index)
            changed = True
    return changed


def simplify_regions(root: Operation, rewriter: PatternRewriter) -> bool:
    """Region clean-up under `root`: unreachable blocks, then dead block arguments."""
    changed = False
    for op in list(root.walk()):
        if op.parent is None and op is not root:
            continue  # inside a block erased a moment ago
        for region in op.regions:
            if len(region.blocks) > 1:
                changed |= erase_unreachable_blocks(region, rewriter)
                changed |= erase_dead_block_arguments(region, rewriter)
    return changed


# ----------------------------------------------------------------------------
# the pass


@register_pass
class Canonicalize(Pass):
    """Fold, erase dead ops and apply every op's canonicalization patterns."""

    name = "canonicalize"
    summary = "Fold constants, apply algebraic identities and simplify regions"
    options = (
        PassOption("max-iterations", int, 10, "sweeps of the greedy driver before giving up (<= 0: no limit)"),
        PassOption("region-simplify", bool, True, "erase unreachable blocks and dead block arguments"),
        PassOption("top-down", bool, True, "visit definitions before their uses"),
    )

    def __init__(self, **opts):
        super().__init__(**opts)
        self._patterns = None

    def patterns(self) -> List[RewritePattern]:
        if self._patterns is None:
            self._patterns = [p() for p in GENERIC_PATTERNS] + canonicalization_patterns()
        return self._patterns

    def run(self, op: Operation) -> None:
        config = GreedyRewriteConfig(
            max_iterations=self.opts["max-iterations"],
            top_down=self.opts["top-down"],
            region_simplifier=simplify_regions if self.opts["region-simplify"] else None,
        )
        apply_patterns_greedily(op, self.patterns(), config)
