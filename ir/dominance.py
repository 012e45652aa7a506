"""Dominance: the dominator tree of a region's blocks, and a reusable
post-order walk of any graph.

The tree is computed with Cooper, Harvey & Kennedy's iterative algorithm
("A Simple, Fast Dominance Algorithm", 2001).  The verifier's SSA check and
the passes (CSE) use the same code, so they cannot disagree.
"""

from __future__ import annotations

from typing import Callable, Dict, Hashable, Iterable, Iterator, List, TypeVar

from .core import Block, Region

N = TypeVar("N", bound=Hashable)


def post_order(root: N, successors: Callable[[N], Iterable[N]], seen=None) -> List[N]:
    """Nodes reachable from `root`, each after all the nodes it reaches first
    (iterative depth-first search: deep graphs do not hit Python's recursion limit).
    Pass a shared `seen` set to walk a forest without revisiting nodes."""
    seen = set() if seen is None else seen
    order: List[N] = []
    seen.add(root)
    stack = [(root, iter(successors(root)))]
    while stack:
        node, it = stack[-1]
        nxt = next(it, None)
        if nxt is None:
            order.append(node)
            stack.pop()
        elif nxt not in seen:
            seen.add(nxt)
            stack.append((nxt, iter(successors(nxt))))
    return order


def dominator_tree(region: Region) -> Dict[Block, List[Block]]:
    """Children lists of the dominator tree (Cooper, Harvey & Kennedy's iterative algorithm)."""
    blocks = region.blocks
    entry = blocks[0]
    succs = {b: [s for s in (b.last_op.successors if b.last_op is not None else [])] for b in blocks}
    order = post_order(entry, lambda b: [s for s in succs.get(b, ()) if s in succs])
    rpo = list(reversed(order))
    index = {b: i for i, b in enumerate(rpo)}
    preds: Dict[Block, List[Block]] = {b: [] for b in rpo}
    for b in rpo:
        for s in succs[b]:
            if s in preds:
                preds[s].append(b)
    idom = {entry: entry}
    changed = True
    while changed:
        changed = False
        for b in rpo[1:]:
            new = None
            for p in preds[b]:
                if p in idom:
                    new = p if new is None else _intersect(p, new, idom, index)
            if new is not None and idom.get(b) is not new:
                idom[b] = new
                changed = True
    children: Dict[Block, List[Block]] = {b: [] for b in rpo}
    for b, d in idom.items():
        if b is not entry:
            children[d].append(b)
    return children


def _intersect(a, b, idom, index):
    while a is not b:
        while index[a] > index[b]:
            a = idom[a]
        while index[b] > index[a]:
            b = idom[b]
    return a


class DominanceInfo:
    """The dominator tree of one region; unreachable blocks are not in it."""

    def __init__(self, region: Region):
        self.region = region
        if len(region.blocks) <= 1:
            self.children: Dict[Block, List[Block]] = {b: [] for b in region.blocks}
        else:
            self.children = dominator_tree(region)

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
