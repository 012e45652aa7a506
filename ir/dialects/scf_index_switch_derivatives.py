"""Derivative rules of ``scf.index_switch``: scf.if's (``branch_jvp``/``branch_vjp``
in ``scf_derivatives.py``) with one region per case (activity flows through the
op's RegionBranch model).

- Forward: a switch on the same index whose regions are the JVPs of the
  original regions; it yields the primal results then one tangent per active
  result (per direction).
- Reverse: a switch on the same index, so it takes the case the forward sweep
  took (the index is a primal value: the reverse driver tapes it when the
  switch sits in a loop, as it does scf.if's condition); each region is the
  reversed original region and yields the adjoints of the outer values it
  captured.
"""

from __future__ import annotations

from ..ad_interfaces import jvp, vjp
from .scf_derivatives import branch_jvp, branch_vjp
from .scf_index_switch import IndexSwitchOp


@jvp(IndexSwitchOp, emits_primal=True)
def _index_switch_jvp(ctx, op, tangents):
    return branch_jvp(ctx, op, lambda types: _same_switch(ctx, op, types))


@vjp(IndexSwitchOp)
def _index_switch_vjp(ctx, op, cts):
    return branch_vjp(ctx, op, cts, lambda types: _same_switch(ctx, op, types))


def _same_switch(ctx, op, result_types):
    return IndexSwitchOp.create(ctx.primal(op.arg), op.case_values, result_types, location=op.location)
