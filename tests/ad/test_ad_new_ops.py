"""Derivative rules of math.sincos, math.clampf and scf.index_switch against
central finite differences, forward and reverse (``adtest.check_function``
also checks <vjp(u), v> == <u, jvp(v)>)."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).parent))
from adtest import call, check_function, compile_module, fn_text, jvp_driver, vjp_driver  # noqa: E402

SINCOS = """func.func @f(%x0: f64) -> (f64, f64) {
  %s, %c = math.sincos %x0 : f64
  %p = arith.mulf %s, %x0 : f64
  return %p, %c : f64, f64
}
"""


@pytest.mark.parametrize("x", [-2.5, 0.3, 1.7])
def test_sincos_rules_match_finite_differences(x):
    check_function(SINCOS, 1, 2, np.array([x]), np.random.default_rng(1))


CLAMP = fn_text("f", 3, "  %r = math.clampf %a0 to [%a1, %a2] : f64")


@pytest.mark.parametrize(
    "point",
    [
        [0.5, -1.0, 2.0],  # inside: the value passes through
        [-3.0, -1.0, 2.0],  # below: min is the result
        [4.0, -1.0, 2.0],  # above: max is the result
        [0.5, 2.0, 1.0],  # min > max: maximumf(minimumf(v, max), min) is min
    ],
)
def test_clampf_rules_match_finite_differences(point):
    check_function(CLAMP, 3, 1, np.array(point), np.random.default_rng(2))


def test_clampf_gradient_goes_to_one_operand_at_ties():
    """At v == max == result the whole gradient goes to the value (documented convention)."""
    m = compile_module(CLAMP + vjp_driver(3) + jvp_driver(3))
    assert call(m, "vjp", [2.0, -1.0, 2.0, 1.0])[1:] == [1.0, 0.0, 0.0]


# The index comes from x1 (fptosi: not differentiable), so the case depends on
# the point; h = 1e-6 never crosses a case boundary at the points below.
SWITCH = """func.func @f(%x0: f64, %x1: f64) -> f64 {
  %k = arith.fptosi %x1 : f64 to i64
  %i = arith.index_cast %k : i64 to index
  %r = scf.index_switch %i -> f64
  case 0 {
    %sq = arith.mulf %x0, %x0 : f64
    scf.yield %sq : f64
  }
  case 1 {
    %s = math.sin %x0 : f64
    %p = arith.mulf %s, %x1 : f64
    scf.yield %p : f64
  }
  default {
    %a = arith.addf %x0, %x1 : f64
    scf.yield %a : f64
  }
  return %r : f64
}
"""


@pytest.mark.parametrize("point", [[0.7, 0.5], [0.7, 1.5], [0.7, 2.5]])
def test_index_switch_rules_match_finite_differences(point):
    check_function(SWITCH, 2, 1, np.array(point), np.random.default_rng(3))


# Inside a loop the reverse sweep needs each trip's case: the switch index is a
# primal value the reverse driver tapes, as it does scf.if's condition.
SWITCH_IN_LOOP = """func.func @f(%x0: f64, %x1: f64) -> f64 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c3 = arith.constant 3 : index
  %c7 = arith.constant 7 : index
  %r = scf.for %i = %c0 to %c7 step %c1 iter_args(%acc = %x0) -> (f64) {
    %k = arith.remui %i, %c3 : index
    %v = scf.index_switch %k -> f64
    case 0 {
      %m = arith.mulf %acc, %x1 : f64
      scf.yield %m : f64
    }
    case 1 {
      %s = math.sin %acc : f64
      scf.yield %s : f64
    }
    default {
      %a = arith.addf %acc, %x1 : f64
      scf.yield %a : f64
    }
    scf.yield %v : f64
  }
  return %r : f64
}
"""


def test_index_switch_in_a_loop_matches_finite_differences():
    check_function(SWITCH_IN_LOOP, 2, 1, np.array([0.4, 0.9]), np.random.default_rng(4))
