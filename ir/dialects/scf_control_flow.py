"""The control flow of the scf ops, as interfaces: the one description of each
op's region edges (`RegionBranch`: the verifier, activity analysis and the
canonicalization patterns read it) and of its loops (`LoopLike`: LICM and
the dead-iter-arg pattern read it)."""

from __future__ import annotations

from ..control_flow import LoopLike, RegionBranch, RegionBranchTerminator, RegionSuccessor, RunsRegionOnce
from .scf import ConditionOp, ExecuteRegionOp, ForOp, IfOp, ParallelOp, ReduceOp, WhileOp


@RegionBranch.implement(ForOp)
class _ForBranches(RegionBranch):
    """Parent -> body (inits -> iter args) or straight out (zero trips); body -> body or out."""

    def successors(self, op, point):
        iter_args = list(op.body.blocks[0].arguments[1:]) if op.body.blocks else []
        return [RegionSuccessor(op.body, iter_args), RegionSuccessor(None, list(op.results))]

    def entry_operands(self, op, successor):
        return list(op.init_args)


@RegionBranch.implement(IfOp)
class _IfBranches(RegionBranch):
    """Parent -> then or else (or straight out when there is no else); each branch -> out."""

    def successors(self, op, point):
        if point is not None:
            return [RegionSuccessor(None, list(op.results))]
        other = RegionSuccessor(op.else_region) if op.else_region.blocks else RegionSuccessor(None, list(op.results))
        return [RegionSuccessor(op.then_region), other]


@RegionBranch.implement(WhileOp)
class _WhileBranches(RegionBranch):
    """Parent -> before; before -> out or after (scf.condition's values); after -> before."""

    def successors(self, op, point):
        before_args = list(op.before.blocks[0].arguments) if op.before.blocks else []
        if point is op.before:
            after_args = list(op.after.blocks[0].arguments) if op.after.blocks else []
            return [RegionSuccessor(None, list(op.results)), RegionSuccessor(op.after, after_args)]
        return [RegionSuccessor(op.before, before_args)]

    def entry_operands(self, op, successor):
        return list(op.inits)


RegionBranch.attach(ExecuteRegionOp, RunsRegionOnce)  # parent -> the region, which yields the results


@RegionBranch.implement(ParallelOp)
class _ParallelBranches(RegionBranch):
    """As MLIR: parent -> body or straight out (no iterations); body -> body or out.  The
    induction variables are not forwarded; with no iterations the inits are the results,
    else each result is its reduction's combined value (`_ReduceForwards`)."""

    def successors(self, op, point):
        return [RegionSuccessor(op.body), RegionSuccessor(None, list(op.results))]

    def entry_operands(self, op, successor):
        return list(op.init_vals) if successor.is_parent else []


@RegionBranchTerminator.implement(ReduceOp)
class _ReduceForwards(RegionBranchTerminator):
    """scf.reduce gives scf.parallel's results the value each reduction region combines
    (its scf.reduce.return operand), and nothing to the next iteration.  MLIR's scf.reduce
    forwards nothing; here the edge also carries the data flow activity analysis follows:
    reduced operand -> reduction region -> result."""

    def forwarded_operands(self, op, successor):
        if not successor.is_parent:
            return []
        combined = []
        for region in op.regions:
            last = region.blocks[0].last_op if region.blocks else None
            if last is not None and last.operands:
                combined.append(last.operands[0])
        return combined


@RegionBranchTerminator.implement(ConditionOp)
class _ConditionForwards(RegionBranchTerminator):
    """scf.condition forwards everything but the condition."""

    def forwarded_operands(self, op, successor):
        return list(op.operands[1:])


@LoopLike.implement(ForOp)
class _ForLoop(LoopLike):
    def loop_regions(self, op):
        return [op.body]

    def induction_vars(self, op):
        return [op.induction_var]

    def inits(self, op):
        return list(op.init_args)

    def region_iter_args(self, op):
        return op.region_iter_args

    def yielded_values(self, op):
        return list(op.yield_op.operands)

    def loop_results(self, op):
        return list(op.results)


@LoopLike.implement(WhileOp)
class _WhileLoop(LoopLike):
    def loop_regions(self, op):
        return [op.before, op.after]

    def inits(self, op):
        return list(op.inits)

    def region_iter_args(self, op):
        return op.before_arguments

    def yielded_values(self, op):
        return list(op.yield_op.operands)


@LoopLike.implement(ParallelOp)
class _ParallelLoop(LoopLike):
    def loop_regions(self, op):
        return [op.body]

    def induction_vars(self, op):
        return op.induction_vars
