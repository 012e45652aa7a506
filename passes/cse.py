"""`cse`: common subexpression elimination over regions, following dominance.

Blocks are visited in dominator-tree order with a scoped hash table of the
ops seen so far (as in MLIR's CSE), so an op is replaced only by an
equivalent op that dominates it.  Regions of ops that are not
IsolatedFromAbove inherit the enclosing scope; isolated ones start empty.
Only side-effect-free ops (`is_side_effect_free`, from the MemoryEffects
interface, which looks inside RecursiveMemoryEffects ops) are eliminated; ops with regions are compared structurally.
"""

from __future__ import annotations

from typing import Dict, List, Optional

from irc.core import Block, Operation, Region, Value
from irc.effects import is_side_effect_free
from irc.traits import Commutative, IsolatedFromAbove, Terminator

from irc.dominance import DominanceInfo
from .pass_manager import Pass, PassOption, register_pass

_MISSING = object()


class ScopedTable:
    """A hash map whose insertions are undone when their scope is popped."""

    def __init__(self):
        self.map: Dict = {}
        self.undo: List[list] = []

    def push(self) -> None:
        self.undo.append([])

    def pop(self) -> None:
        for key, old in reversed(self.undo.pop()):
            if old is _MISSING:
                del self.map[key]
            else:
                self.map[key] = old

    def lookup(self, key):
        return self.map.get(key)

    def insert(self, key, value) -> None:
        self.undo[-1].append((key, self.map.get(key, _MISSING)))
        self.map[key] = value


# ----------------------------------------------------------------------------
# structural equivalence of operations


def _operands_match(xs, ys, mapping: Dict, commutative: bool) -> bool:
    if len(xs) != len(ys):
        return False
    if all(mapping.get(x, x) is y for x, y in zip(xs, ys)):
        return True
    if commutative and len(xs) == 2:
        return mapping.get(xs[0], xs[0]) is ys[1] and mapping.get(xs[1], xs[1]) is ys[0]
    return False


def ops_equivalent(a: Operation, b: Operation, mapping: Optional[Dict] = None, commutative: bool = True) -> bool:
    """Same name, attributes, result types and operands (through `mapping` for
    values defined inside the regions being compared), and structurally equal
    regions."""
    mapping = {} if mapping is None else mapping
    if a.op_name != b.op_name or a.attributes != b.attributes:
        return False
    if len(a.results) != len(b.results) or any(x.type != y.type for x, y in zip(a.results, b.results)):
        return False
    if not _operands_match(a.operands, b.operands, mapping, commutative and Commutative in a.traits):
        return False
    if len(a.successors) != len(b.successors) or any(
        mapping.get(x, x) is not y for x, y in zip(a.successors, b.successors)
    ):
        return False
    if len(a.regions) != len(b.regions):
        return False
    for ra, rb in zip(a.regions, b.regions):
        if not _regions_equivalent(ra, rb, mapping, commutative):
            return False
    for x, y in zip(a.results, b.results):
        mapping[x] = y
    return True


def _regions_equivalent(ra: Region, rb: Region, mapping: Dict, commutative: bool) -> bool:
    if len(ra.blocks) != len(rb.blocks):
        return False
    for ba, bb in zip(ra.blocks, rb.blocks):  # map blocks first: successors may point forward
        if len(ba.arguments) != len(bb.arguments) or any(
            x.type != y.type for x, y in zip(ba.arguments, bb.arguments)
        ):
            return False
        mapping[ba] = bb
        for x, y in zip(ba.arguments, bb.arguments):
            mapping[x] = y
    for ba, bb in zip(ra.blocks, rb.blocks):
        oa, ob = ba.first_op, bb.first_op
        while oa is not None and ob is not None:
            if not ops_equivalent(oa, ob, mapping, commutative):
                return False
            oa, ob = oa.next_op, ob.next_op
        if oa is not None or ob is not None:
            return False
    return True


class _RegionOpKey:
    """Hash key of a pure op with regions: cheap hash, structural equality."""

    __slots__ = ("op", "hash", "commutative")

    def __init__(self, op: Operation, outer_key, commutative: bool):
        self.op = op
        self.commutative = commutative
        shape = tuple((len(r.blocks), sum(len(b) for b in r.blocks)) for r in op.regions)
        self.hash = hash((outer_key, shape))

    def __hash__(self):
        return self.hash

    def __eq__(self, other):
        return isinstance(other, _RegionOpKey) and ops_equivalent(self.op, other.op, None, self.commutative)


_NO_ATTRIBUTES = frozenset()


def op_key(op: Operation, commutative: bool = True):
    """The hash-table key of `op`: equal keys mean interchangeable ops.

    One flat tuple per op: keys are built for every op of the IR, and fewer
    allocations keep the garbage collector out of the way.
    """
    operands = op.operands
    if commutative and len(operands) == 2 and Commutative in op.traits and id(operands[0]) > id(operands[1]):
        operands = (operands[1], operands[0])
    attrs = op.attributes
    try:
        attrs_key = frozenset(attrs.items()) if attrs else _NO_ATTRIBUTES
    except TypeError:  # an unhashable attribute (should not happen): compare by identity
        attrs_key = id(op)
    results = op.results
    if len(results) == 1:
        key = (op.op_name, attrs_key, results[0].type, *operands)
    else:
        key = (op.op_name, attrs_key, tuple(r.type for r in results), *operands)
    if op.regions:
        return _RegionOpKey(op, key, commutative)
    return key


# ----------------------------------------------------------------------------
# the pass


class _CSE:
    def __init__(self, commutative: bool, regions: bool):
        self.commutative = commutative
        self.with_regions = regions
        self.eliminated = 0

    def can_eliminate(self, op: Operation) -> bool:
        if not op.results or op.successors or Terminator in op.traits:
            return False
        if op.regions and not self.with_regions:
            return False
        return is_side_effect_free(op)

    def run_on_op_regions(self, op: Operation, table: ScopedTable) -> None:
        if IsolatedFromAbove in op.traits:
            table = ScopedTable()
        for region in op.regions:
            self.run_on_region(region, table)

    def run_on_region(self, region: Region, table: ScopedTable) -> None:
        if not region.blocks:
            return
        if len(region.blocks) == 1:
            table.push()
            self.run_on_block(region.blocks[0], table)
            table.pop()
            return
        dom = DominanceInfo(region)
        # depth-first over the dominator tree; a scope per block, popped on the way out
        stack = [(region.blocks[0], False)]
        while stack:
            block, leaving = stack.pop()
            if leaving:
                table.pop()
                continue
            table.push()
            self.run_on_block(block, table)
            stack.append((block, True))
            for child in reversed(dom.children.get(block, [])):
                stack.append((child, False))
        for block in region.blocks:
            if not dom.is_reachable(block):
                table.push()
                self.run_on_block(block, table)
                table.pop()

    def run_on_block(self, block: Block, table: ScopedTable) -> None:
        for op in block.ops:
            if op.regions:
                self.run_on_op_regions(op, table)
            if not self.can_eliminate(op):
                continue
            key = op_key(op, self.commutative)
            existing = table.lookup(key)
            if existing is not None and existing.parent is not None:
                for old, new in zip(op.results, existing.results):
                    _keep_name(old, new)
                    old.replace_all_uses_with(new)
                op.erase()
                self.eliminated += 1
            else:
                table.insert(key, op)


def _keep_name(old: Value, new: Value) -> None:
    if new.name_hint is None and old.name_hint is not None:
        new.name_hint = old.name_hint


@register_pass
class CSE(Pass):
    """Eliminate common subexpressions of side-effect-free ops."""

    name = "cse"
    summary = "Eliminate common sub-expressions"
    options = (
        PassOption("commutative", bool, True, "treat a+b and b+a of Commutative ops as equal"),
        PassOption("regions", bool, True, "also merge pure ops with regions that are structurally equal"),
    )

    def run(self, op: Operation) -> None:
        cse = _CSE(self.opts["commutative"], self.opts["regions"])
        table = ScopedTable()
        table.push()
        cse.run_on_op_regions(op, table)
        self.num_eliminated = cse.eliminated


def eliminate_common_subexpressions(op: Operation, commutative: bool = True) -> int:
    """Run CSE on the regions of `op`; the number of ops erased."""
    cse = _CSE(commutative, True)
    table = ScopedTable()
    table.push()
    cse.run_on_op_regions(op, table)
    return cse.eliminated
