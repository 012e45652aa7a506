"""Canonicalization patterns of the scf dialect (MLIR's SCF canonicalizations).

Listed in the op classes' ``canonicalization_patterns`` at the end of this
file, so `canonicalize` and any greedy rewrite that asks for them find them.
Every change goes through the rewriter, so the greedy driver sees it.
"""

from __future__ import annotations

from functools import cmp_to_key
from typing import List, Optional, Sequence

from ..attributes import IntegerAttr
from ..builder import InsertionPoint
from ..control_flow import LoopLike, parent_yields
from ..core import Block, Operation, Region, Value
from ..rewrite import RewritePattern, constant_value
from .scf import ExecuteRegionOp, ForOp, IfOp, ParallelOp, YieldOp


def inline_block_before(rewriter, block: Block, anchor: Operation, arg_values: Sequence[Value]) -> List[Value]:
    """Move `block`'s ops except its terminator before `anchor`, with its arguments
    replaced by `arg_values`; return the terminator's operands (through the rewriter)."""
    for a, v in zip(block.arguments, arg_values):
        rewriter.replace_all_uses_with(a, v)
    term = block.last_op
    yielded = list(term.operands) if term is not None else []
    rewriter.set_insertion_point(InsertionPoint.before_op(anchor))
    for op in list(block.ops):
        if op is term:
            break
        op.detach()
        rewriter.insert(op)
    return yielded


def _replace_with_region(rewriter, op: Operation, region: Region, arg_values: Sequence[Value]) -> None:
    """Replace `op` by the (single-block) `region` inlined before it."""
    yielded = inline_block_before(rewriter, region.blocks[0], op, arg_values) if region.blocks else []
    rewriter.replace_op(op, yielded[: len(op.results)])


class IfConstantCondition(RewritePattern):
    """``scf.if true/false``: inline the taken region (or drop the op)."""

    root = "scf.if"

    def match_and_rewrite(self, op, rewriter) -> bool:
        c = constant_value(op.condition)
        if not isinstance(c, IntegerAttr):
            return False
        region = op.then_region if c.value & 1 else op.else_region
        if not region.blocks and op.results:
            return False
        _replace_with_region(rewriter, op, region, [])
        return True


class IfSameYieldedValues(RewritePattern):
    """A result that every branch yields as the same outer value is that value
    (the branches are the edges to the parent the RegionBranch interface names)."""

    root = "scf.if"

    def match_and_rewrite(self, op, rewriter) -> bool:
        if not op.results or not op.else_region.blocks:
            return False
        yields = parent_yields(op)
        changed = False
        for i, r in enumerate(op.results):
            if not r.uses:
                continue
            a = yields[0].operands[i]
            if all(y.operands[i] is a for y in yields) and not _defined_inside(a, op):
                rewriter.replace_all_uses_with(r, a)
                changed = True
        return changed


class IfRemoveUnusedResults(RewritePattern):
    """Drop results of scf.if that nothing uses (and their yielded operands)."""

    root = "scf.if"

    def match_and_rewrite(self, op, rewriter) -> bool:
        keep = [i for i, r in enumerate(op.results) if r.uses]
        if len(keep) == len(op.results):
            return False
        for y in parent_yields(op):
            kept = [y.operands[i] for i in keep]
            rewriter.modify_op_in_place(y, lambda y=y, kept=kept: y.set_operands(kept))
        new = IfOp.build(op.condition, result_types=[op.results[i].type for i in keep],
                         regions=[Region(), Region()], location=op.location, attributes=dict(op.attributes))
        new.regions[0].take_body(op.regions[0])
        new.regions[1].take_body(op.regions[1])
        _replace_keeping(rewriter, op, new, keep)
        return True


class IfRemoveEmptyElse(RewritePattern):
    """An else branch that only yields nothing is dropped (no results)."""

    root = "scf.if"

    def match_and_rewrite(self, op, rewriter) -> bool:
        if op.results or not op.else_region.blocks:
            return False
        block = op.else_region.blocks[0]
        if block.first_op is not block.last_op or (block.last_op is not None and block.last_op.operands):
            return False

        def drop():
            region = op.else_region
            for b in region.blocks:
                for inner in list(b.ops):
                    inner.erase()
            region.blocks = []

        rewriter.modify_op_in_place(op, drop)
        return True


class IfToSelect(RewritePattern):
    """An scf.if with results whose branches only yield becomes ``arith.select``s
    (MLIR's ConvertTrivialIfToSelect)."""

    root = "scf.if"

    def match_and_rewrite(self, op, rewriter) -> bool:
        if not op.results or not op.else_region.blocks:
            return False
        then_y, else_y = op.then_yield, op.else_yield
        if op.then_block.first_op is not then_y or op.else_block.first_op is not else_y:
            return False
        from .arith import SelectOp

        rewriter.set_insertion_point(InsertionPoint.before_op(op))
        values = []
        for a, b in zip(then_y.operands, else_y.operands):
            if a is b:
                values.append(a)
            else:
                values.append(rewriter.create(SelectOp, op.condition, a, b, location=op.location).results[0])
        rewriter.replace_op(op, values)
        return True


class ForTrivialTripCount(RewritePattern):
    """``scf.for`` that runs zero times becomes its inits; one that runs once becomes its body."""

    root = "scf.for"

    def match_and_rewrite(self, op, rewriter) -> bool:
        if op.lower_bound is op.upper_bound:
            trips = 0
        else:
            trips = op.constant_trip_count()
        if trips == 0:
            rewriter.replace_op(op, list(op.init_args))
            return True
        if trips == 1:
            _replace_with_region(rewriter, op, op.body, [op.lower_bound, *op.init_args])
            return True
        return False


class ForRemoveUnusedIterArgs(RewritePattern):
    """Drop loop-carried values nobody needs (MLIR's ForOpIterArgsFolder and more):

    - the body yields the iter arg unchanged, or yields the init itself: the
      value never changes, so the iter arg and the result are the init;
    - the result is unused and the iter arg only feeds pure ops of the body
      whose values only flow back into the same yield operand (a dead cycle).
    """

    root = "scf.for"

    def match_and_rewrite(self, op, rewriter) -> bool:
        if not op.body.blocks:
            return False
        block = op.body.blocks[0]
        term = block.last_op
        if not isinstance(term, YieldOp) or len(term.operands) != len(op.results):
            return False
        loop = LoopLike.of(op)
        iter_args, inits, yielded, results = (loop.region_iter_args(), loop.inits(), loop.yielded_values(),
                                              loop.loop_results())
        if len(iter_args) != len(inits):
            return False
        drop, dead_ops = [], []
        for i, (arg, res) in enumerate(zip(iter_args, results)):
            y = yielded[i]
            if y is arg or y is inits[i]:
                # the value never changes: every use of it (inside and out) is the init
                rewriter.replace_all_uses_with(arg, inits[i])
                rewriter.replace_all_uses_with(res, inits[i])
                drop.append(i)
            elif not res.uses:
                slice_ops = _dead_cycle(arg, term, i, block)
                if slice_ops is not None:
                    drop.append(i)
                    dead_ops.extend(o for o in slice_ops if o not in dead_ops)
        if not drop:
            return False
        keep = [i for i in range(len(op.results)) if i not in drop]
        new_yield = [term.operands[i] for i in keep]
        rewriter.modify_op_in_place(term, lambda: term.set_operands(new_yield))
        # erase the dead cycles, users first
        for dead in sorted(dead_ops, key=cmp_to_key(_block_order), reverse=True):
            rewriter.erase_op(dead)
        new = ForOp.build(op.lower_bound, op.upper_bound, op.step, [inits[i] for i in keep],
                          result_types=[op.results[i].type for i in keep], regions=[Region()],
                          location=op.location, attributes=dict(op.attributes))
        new.regions[0].take_body(op.regions[0])
        for i in reversed(drop):
            block.erase_argument(iter_args[i].index)
        _replace_keeping(rewriter, op, new, keep)
        return True


def _block_order(a: Operation, b: Operation) -> int:
    return 0 if a is b else (-1 if a.is_before_in_block(b) else 1)


def _dead_cycle(arg: Value, term: Operation, index: int, block: Block) -> Optional[List[Operation]]:
    """The pure ops of `block` computed from `arg` if their values reach nothing but
    operand `index` of the terminator; None if anything else depends on them."""
    from ..effects import is_pure

    ops: List[Operation] = []
    seen = set()
    work = [arg]
    while work:
        v = work.pop()
        for u in v.uses:
            owner = u.owner
            if owner is term:
                if u.index != index:
                    return None
                continue
            if owner.parent is not block or not is_pure(owner):
                return None
            if owner not in seen:
                seen.add(owner)
                ops.append(owner)
                work.extend(owner.results)
    return ops


class ExecuteRegionInline(RewritePattern):
    """A single-block scf.execute_region (not marked no_inline) is inlined into its parent block."""

    root = "scf.execute_region"

    def match_and_rewrite(self, op, rewriter) -> bool:
        if "no_inline" in op.attributes or len(op.region.blocks) != 1:
            return False
        if not isinstance(op.region.blocks[0].last_op, YieldOp):
            return False
        _replace_with_region(rewriter, op, op.region, [])
        return True


class ParallelZeroTrips(RewritePattern):
    """An scf.parallel with a constant empty dimension becomes its inits."""

    root = "scf.parallel"

    def match_and_rewrite(self, op, rewriter) -> bool:
        for lb, ub in zip(op.lower_bound, op.upper_bound):
            a, b = constant_value(lb), constant_value(ub)
            if lb is ub or (isinstance(a, IntegerAttr) and isinstance(b, IntegerAttr) and a.value >= b.value):
                rewriter.replace_op(op, list(op.init_vals))
                return True
        return False


def _defined_inside(v: Value, op: Operation) -> bool:
    d = v.defining_op
    if d is not None:
        return op.is_ancestor_of(d)
    block = v.parent_block
    owner = block.parent_op if block is not None else None
    return owner is not None and op.is_ancestor_of(owner)


IfOp.canonicalization_patterns = (IfConstantCondition(), IfSameYieldedValues(), IfRemoveUnusedResults(),
                                  IfRemoveEmptyElse(), IfToSelect())
ForOp.canonicalization_patterns = (ForTrivialTripCount(), ForRemoveUnusedIterArgs())
ExecuteRegionOp.canonicalization_patterns = (ExecuteRegionInline(),)
ParallelOp.canonicalization_patterns = (ParallelZeroTrips(),)


def _replace_keeping(rewriter, op, new, keep) -> None:
    """Put `new` where `op` is; its results stand for `op`'s results at positions `keep`."""
    rewriter.set_insertion_point(InsertionPoint.before_op(op))
    rewriter.insert(new)
    for j, i in enumerate(keep):
        rewriter.replace_all_uses_with(op.results[i], new.results[j])
    rewriter.erase_op(op)
