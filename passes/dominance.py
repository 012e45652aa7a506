"""Dominance analysis for passes: the dominator tree of a region's blocks.

The tree is computed with Cooper, Harvey & Kennedy's iterative algorithm
("A Simple, Fast Dominance Algorithm", 2001), the same code the verifier
uses for its SSA dominance check, so passes and verifier agree on it.
"""

from __future__ import annotations

from typing import Dict, Iterator, List

from irc.core import Block, Region
from irc.verifier import _dominator_tree


class DominanceInfo:
    """The dominator tree of one region; unreachable blocks are not in it."""

    def __init__(self, region: Region):
        self.region = region
        if len(region.blocks) <= 1:
            self.children: Dict[Block, List[Block]] = {b: [] for b in region.blocks}
        else:
            self.children = _dominator_tree(region)

    def is_reachable(self, block: Block) -> bool:
        return block in self.children

    def preorder(self) -> Iterator[Block]:
        """Blocks in a depth-first pre-order of the tree (dominators first)."""
        if not self.region.blocks:
            return
        stack = [self.region.blocks[0]]
        while stack:
            b = stack.pop()
            yield b
            stack.extend(reversed(self.children.get(b, [])))
