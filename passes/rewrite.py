"""The greedy pattern-rewrite driver (MLIR's GreedyPatternRewriteDriver).

`apply_patterns_greedily(op, patterns)` keeps a worklist of the ops nested
in `op` and, for each one popped, in this order:

1. erases it when it is trivially dead (unused, not a terminator, and the
   MemoryEffects interface says it only reads or allocates its own results);
2. deduplicates it when it is a constant (constants are hoisted to the entry
   block of the nearest isolated-from-above region, one per value and type);
3. folds it through ``op.fold(constant_operands)``; folded attributes become
   constants through ``op.dialect.materialize_constant``;
4. applies the first matching pattern (highest benefit first) rooted at its name.

Every change goes through a `PatternRewriter` whose listeners put the touched
ops back on the worklist, so the driver runs to a fixed point, bounded by
`max_iterations` sweeps (and a cap on rewrites per sweep, so a pattern that
always "succeeds" cannot hang the compiler).
"""

from __future__ import annotations

import copy
from typing import Dict, Iterable, List, Optional

from irc.attributes import Attribute
from irc.builder import Builder, InsertionPoint
from irc.core import Operation, Region, Value
from irc.rewrite import PatternRewriter, RewritePattern, constant_value
from irc.effects import is_trivially_dead
from irc.traits import ConstantLike, IsolatedFromAbove

__all__ = [
    "GreedyRewriteConfig",
    "FrozenPatternSet",
    "apply_patterns_greedily",
    "fold_op",
    "is_trivially_dead",
    "canonicalization_patterns",
]


class GreedyRewriteConfig:
    """Knobs of the greedy driver.

    `max_iterations`: sweeps over the IR (a sweep ends when the worklist is
    empty; another starts only if the previous one changed something); a
    value <= 0 means no limit.  `fold`: call op folders.  `erase_dead`: erase
    unused side-effect-free ops.  `top_down`: visit definitions before uses.
    `region_simplifier`: an optional callable ``(root_op, rewriter) -> bool``
    run after each sweep that changed something (canonicalize passes its
    block clean-up here).
    """

    def __init__(
        self,
        max_iterations: int = 10,
        fold: bool = True,
        erase_dead: bool = True,
        top_down: bool = True,
        region_simplifier=None,
        max_rewrites_per_sweep: Optional[int] = None,
    ):
        self.max_iterations = max_iterations
        self.fold = fold
        self.erase_dead = erase_dead
        self.top_down = top_down
        self.region_simplifier = region_simplifier
        self.max_rewrites_per_sweep = max_rewrites_per_sweep


class FrozenPatternSet:
    """Patterns indexed by root op name, each list sorted by decreasing benefit.

    Accepts pattern instances or pattern classes (instantiated with no arguments).
    """

    def __init__(self, patterns: Iterable = ()):
        self.by_root: Dict[str, List[RewritePattern]] = {}
        self.any_root: List[RewritePattern] = []
        for p in patterns:
            if isinstance(p, type):
                p = p()
            if p.root is None:
                self.any_root.append(p)
            else:
                self.by_root.setdefault(p.root, []).append(p)
        self.any_root.sort(key=lambda p: -p.benefit)
        for lst in self.by_root.values():
            lst.sort(key=lambda p: -p.benefit)
        self._merged: Dict[str, List[RewritePattern]] = {}

    def for_op(self, name: str) -> List[RewritePattern]:
        got = self._merged.get(name)
        if got is None:
            specific = self.by_root.get(name, [])
            got = sorted(specific + self.any_root, key=lambda p: -p.benefit) if self.any_root else specific
            self._merged[name] = got
        return got

    def __len__(self):
        return len(self.any_root) + sum(len(v) for v in self.by_root.values())


def canonicalization_patterns() -> List[RewritePattern]:
    """Every op class's `canonicalization_patterns` in the current context, instantiated."""
    from irc.context import current_context
    from irc.dialects import load_all

    load_all()
    out, seen_classes = [], set()
    for cls in current_context().ops.values():
        if cls in seen_classes:  # aliases map several names to one class
            continue
        seen_classes.add(cls)
        for p in getattr(cls, "canonicalization_patterns", ()) or ():
            p = p() if isinstance(p, type) else p
            if p.root is None and getattr(cls, "name", None):
                # a pattern listed on an op class without a root applies to that op
                p = copy.copy(p)
                p.root = cls.name
            out.append(p)
    return out


# ----------------------------------------------------------------------------
# folding


def _constant_operands(op: Operation) -> List[Optional[Attribute]]:
    return [constant_value(v) for v in op.operands]


def fold_op(op: Operation) -> Optional[list]:
    """Call the op's folder; None when it has none or declines.

    Returns the folder's list (one Attribute or Value per result).  A folder
    may also return a single Attribute or Value for a one-result op.
    """
    fold = getattr(op, "fold", None)
    if fold is None:
        return None
    result = fold(_constant_operands(op))
    if result is None:
        return None
    if isinstance(result, (Attribute, Value)):
        result = [result]
    result = list(result)
    if len(result) != len(op.results) or any(r is None for r in result):
        return None
    return result


# ----------------------------------------------------------------------------
# the driver


class _ConstantTable:
    """Constants per insertion region, hoisted to the front of the region's
    entry block and deduplicated (MLIR's OperationFolder)."""

    def __init__(self, root: Operation):
        self.root = root
        self.table: Dict[tuple, Operation] = {}
        self.last_hoisted: Dict[Region, Operation] = {}
        self._is_last: set = set()

    def insertion_region(self, op: Operation) -> Optional[Region]:
        region = op.parent_region
        while region is not None:
            owner = region.parent
            if owner is None or owner is self.root or owner.has_trait(IsolatedFromAbove):
                return region
            region = owner.parent_region
        return None

    @staticmethod
    def key(region: Region, value: Attribute, type) -> tuple:
        # constants of different dialects with equal value and type are interchangeable
        return (region, value, type)

    def _hoist_point(self, region: Region) -> InsertionPoint:
        last = self.last_hoisted.get(region)
        entry = region.blocks[0]
        if last is not None and last.parent is entry:
            return InsertionPoint.after_op(last)
        return InsertionPoint.at_start(entry)

    def forget(self, op: Operation) -> None:
        """`op` is about to be erased: keep the hoisting point valid."""
        for region, last in list(self.last_hoisted.items()) if op in self._is_last else ():
            if last is op:
                prev = op.prev_op
                if prev is not None and prev.has_trait(ConstantLike):
                    self._set_last(region, prev)
                else:
                    del self.last_hoisted[region]
                break
        self._is_last.discard(op)

    def _set_last(self, region: Region, op: Operation) -> None:
        old = self.last_hoisted.get(region)
        if old is not None:
            self._is_last.discard(old)
        self.last_hoisted[region] = op
        self._is_last.add(op)

    def lookup(self, k) -> Optional[Operation]:
        op = self.table.get(k)
        if op is not None and op.parent is None:  # erased behind our back
            del self.table[k]
            return None
        return op

    def hoist(self, region: Region, op: Operation) -> None:
        ip = self._hoist_point(region)
        if ip.before is not op:
            op.detach()
            if ip.before is None:
                ip.block.append(op)
            else:
                ip.block.insert_before(ip.before, op)
        self._set_last(region, op)

    def get_or_create(self, op_for_region: Operation, dialect, value: Attribute, type, location):
        """(constant Value, created?) for `value` of `type`, usable at `op_for_region`; None if impossible."""
        region = self.insertion_region(op_for_region)
        if region is None or dialect is None:
            return None
        k = self.key(region, value, type)
        existing = self.lookup(k)
        if existing is not None:
            return existing.results[0], False
        builder = Builder(self._hoist_point(region), location)
        new = dialect.materialize_constant(builder, value, type, location)
        if new is None:
            return None
        if isinstance(new, Value):
            new = new.defining_op
        if new.parent is None:
            builder.insert(new)
        if len(new.results) != 1 or new.results[0].type != type:
            new.erase()
            return None
        self._set_last(region, new)
        if new.has_trait(ConstantLike):
            self.table[k] = new
        return new.results[0], True


class _GreedyDriver:
    def __init__(self, root: Operation, patterns: FrozenPatternSet, config: GreedyRewriteConfig):
        self.root = root
        self.patterns = patterns
        self.config = config
        self.rewriter = PatternRewriter()
        self.rewriter.on_insert.append(self._add)
        self.rewriter.on_modify.append(self._add)
        self.rewriter.on_erase.append(self._forget)
        self.worklist: List[Operation] = []
        self.on_list: set = set()
        self.erased: set = set()
        self.constants = _ConstantTable(root)
        self.changed = False
        self.rewrites = 0

    # -- worklist ---------------------------------------------------------------
    def _add(self, op: Operation) -> None:
        if op is self.root or op in self.on_list or not self.root.is_ancestor_of(op):
            return
        self.on_list.add(op)
        self.worklist.append(op)

    def _forget(self, op: Operation) -> None:
        self.erased.add(op)
        self.on_list.discard(op)
        if op.has_trait(ConstantLike):
            self.constants.forget(op)

    def _fill(self) -> None:
        ops = [op for op in self.root.walk(post_order=not self.config.top_down) if op is not self.root]
        # the worklist is a stack: push in reverse so the first op is popped first
        ops.reverse()
        self.worklist = ops
        self.on_list = set(ops)
        self.erased = set()

    # -- the loop ---------------------------------------------------------------
    def run(self) -> bool:
        iterations = 0
        limit = self.config.max_iterations
        while True:
            iterations += 1
            self._fill()
            cap = self.config.max_rewrites_per_sweep or (20 * len(self.worklist) + 1000)
            sweep_changed = False
            self.rewrites = 0
            while self.worklist:
                op = self.worklist.pop()
                self.on_list.discard(op)
                if op in self.erased or not self.root.is_ancestor_of(op):
                    continue  # erased, or inside something erased without telling us
                if self._process(op):
                    sweep_changed = True
                    self.rewrites += 1
                    if self.rewrites > cap:
                        break
            if self.config.region_simplifier is not None and self.config.region_simplifier(self.root, self.rewriter):
                sweep_changed = True
            self.changed |= sweep_changed
            if not sweep_changed or (limit > 0 and iterations >= limit):
                return self.changed

    def _process(self, op: Operation) -> bool:
        rw = self.rewriter
        if self.config.erase_dead and is_trivially_dead(op):
            rw.erase_op(op)
            return True
        if op.has_trait(ConstantLike) and not op.operands and len(op.results) == 1:
            if self._dedupe_constant(op):
                return True
        elif self.config.fold and self._try_fold(op):
            return True
        for pattern in self.patterns.for_op(op.op_name):
            rw.set_insertion_point(InsertionPoint.before_op(op))
            rw.location = op.location
            if pattern.match_and_rewrite(op, rw):
                return True
        return False

    def _dedupe_constant(self, op: Operation) -> bool:
        """Hoist `op` to its region's constant block, or replace it by an equal constant there."""
        value = op.attributes.get("value")
        region = self.constants.insertion_region(op)
        if value is None or region is None or len(op.attributes) != 1:
            return False  # constants with extra attributes are left where they are
        k = self.constants.key(region, value, op.results[0].type)
        existing = self.constants.lookup(k)
        if existing is op:
            return False
        if existing is not None:
            _keep_name(op.results[0], existing.results[0])
            self.rewriter.replace_op(op, [existing.results[0]])
            return True
        before = (op.parent, op.prev_op)
        self.constants.hoist(region, op)
        self.constants.table[k] = op
        return (op.parent, op.prev_op) != before

    def _try_fold(self, op: Operation) -> bool:
        results = fold_op(op)
        if results is None:
            return False
        if all(isinstance(v, Value) and v is r for v, r in zip(results, op.results)):
            # folded in place: the op changed itself; revisit it and its users
            for r in op.results:
                for u in r.uses:
                    self._add(u.owner)
            self._add(op)
            return True
        values: List[Value] = []
        created: List[Operation] = []
        dialect = getattr(op, "dialect", None)
        for v, r in zip(results, op.results):
            if isinstance(v, Value):
                values.append(v)
                continue
            got = self.constants.get_or_create(op, dialect, v, r.type, op.location)
            if got is None:  # the dialect cannot materialize it: undo and give up
                for new in created:
                    if not any(res.uses for res in new.results):
                        self.rewriter.erase_op(new)
                return False
            c, is_new = got
            if is_new:
                created.append(c.defining_op)
                _keep_name(r, c)
            values.append(c)
        self.rewriter.replace_op(op, values)
        return True


def _keep_name(old: Value, new: Value) -> None:
    """Let `new` inherit the source name of the value it replaces, if it has none."""
    if new.name_hint is None and old.name_hint is not None:
        new.name_hint = old.name_hint


def apply_patterns_greedily(
    op: Operation,
    patterns: Iterable = (),
    config: Optional[GreedyRewriteConfig] = None,
    **config_kwargs,
) -> bool:
    """Fold, erase dead ops and apply `patterns` to everything nested in `op`
    until nothing changes (or the iteration limit); True if the IR changed.

    ``apply_patterns_greedily(func, [MyPattern()], max_iterations=5)``.
    """
    if config is None:
        config = GreedyRewriteConfig(**config_kwargs)
    elif config_kwargs:
        raise TypeError("pass either a config or keyword options, not both")
    if not isinstance(patterns, FrozenPatternSet):
        patterns = FrozenPatternSet(patterns)
    return _GreedyDriver(op, patterns, config).run()
