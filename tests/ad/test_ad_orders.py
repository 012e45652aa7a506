"""Derivatives at second and third order through control flow: the four minimal
programs of issue 14, each a class of defect found by comparing irc with JAX on
random programs.  Expected values come from JAX, central differences and irc's
own forward mode.  Like every AD test, each runs interpreted and compiled by
LLVM (the autouse `backend` fixture in tests/ad/conftest.py)."""

from __future__ import annotations

import math
import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).parent))
from adtest import call, compile_module  # noqa: E402

# @main(x) = f''(x), by reverse over reverse mode
GRAD_OF_GRAD = """
func.func @g(%x: f64) -> f64 {
  %d = ad.grad @f(%x) : (f64) -> f64
  return %d : f64
}
func.func @main(%x: f64) -> f64 {
  %d = ad.grad @g(%x) : (f64) -> f64
  return %d : f64
}
"""

# 1. scf.while nested in the "before" region of another scf.while: the reverse of
#    that region runs twice (for the exiting run and once per trip), and both must
#    see the inner loop's trips.
WHILE_IN_BEFORE = """
func.func @f(%x: f64) -> f64 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %one = arith.constant 1.0 : f64
  %half = arith.constant 0.5 : f64
  %r:2 = scf.while (%i = %c0, %w = %x) : (index, f64) -> (index, f64) {
    %s = scf.while (%t = %w) : (f64) -> f64 {
      %lt = arith.cmpf olt, %t, %one : f64
      scf.condition(%lt) %t : f64
    } do {
    ^bb0(%u: f64):
      %sn = math.sin %u : f64
      %a = arith.addf %u, %sn : f64
      %b = arith.addf %a, %half : f64
      scf.yield %b : f64
    }
    %c = arith.cmpi slt, %i, %c1 : index
    scf.condition(%c) %i, %s : index, f64
  } do {
  ^bb0(%j: index, %v: f64):
    %k = arith.addi %j, %c1 : index
    scf.yield %k, %v : index, f64
  }
  return %r#1 : f64
}
func.func @main(%x: f64) -> (f64, f64) {
  %g = ad.grad @f(%x) : (f64) -> f64
  %one = arith.constant 1.0 : f64
  %y, %d = ad.jvp @f(%x, %one) : (f64, f64) -> (f64, f64)
  return %g, %d : f64, f64
}
"""

# The same cause with a checkpointed loop in the before region: each reverse
# instance recomputes the checkpoint, and the inner loop must tape its values in
# that instance's recomputation.
CHECKPOINTED_LOOP_IN_BEFORE = """
func.func @f(%x: f64) -> f64 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %r:2 = scf.while (%i = %c0, %w = %x) : (index, f64) -> (index, f64) {
    %s = ad.checkpoint -> (f64) {
      %l = scf.for %k = %c0 to %c2 step %c1 iter_args(%a = %w) -> (f64) {
        %sn = math.sin %a : f64
        %m = arith.mulf %sn, %a : f64
        %p = arith.addf %m, %a : f64
        scf.yield %p : f64
      }
      ad.yield %l : f64
    }
    %c = arith.cmpi slt, %i, %c2 : index
    scf.condition(%c) %i, %s : index, f64
  } do {
  ^bb0(%j: index, %v: f64):
    %k = arith.addi %j, %c1 : index
    %t = math.tanh %v : f64
    scf.yield %k, %t : index, f64
  }
  return %r#1 : f64
}
func.func @g(%x: f64) -> f64 {
  %d = ad.grad @f(%x) : (f64) -> f64
  return %d : f64
}
func.func @j(%x: f64) -> f64 {
  %one = arith.constant 1.0 : f64
  %y, %d = ad.jvp @f(%x, %one) : (f64, f64) -> (f64, f64)
  return %d : f64
}
func.func @gg(%x: f64) -> f64 {
  %d = ad.grad @g(%x) : (f64) -> f64
  return %d : f64
}
func.func @jj(%x: f64) -> f64 {
  %one = arith.constant 1.0 : f64
  %y, %d = ad.jvp @j(%x, %one) : (f64, f64) -> (f64, f64)
  return %d : f64
}
"""

# 2. Regions whose reverse is affine or the identity: the reverse op is built with no
#    results, so it comes with an empty terminator that the reverse code must go before.
IF_AFFINE_BRANCH = """
func.func @f(%x: f64) -> f64 {
  %z = arith.constant 0.0 : f64
  %c = arith.cmpf ole, %x, %z : f64
  %r = scf.if %c -> (f64) {
    %t = math.tanh %x : f64
    scf.yield %t : f64
  } else {
    scf.yield %x : f64
  }
  return %r : f64
}
""" + GRAD_OF_GRAD

FOR_OF_MIN = """
func.func @f(%x: f64) -> f64 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %two = arith.constant 2.0 : f64
  %r = scf.for %i = %c0 to %c2 step %c1 iter_args(%a = %x) -> (f64) {
    %m = arith.minimumf %a, %two : f64
    scf.yield %m : f64
  }
  return %r : f64
}
""" + GRAD_OF_GRAD

# 3. ad.checkpoint in a loop body, reverse over reverse: the recomputation pops a
#    value it never uses, so that tape is inactive, yet the push of the value was
#    reversed (popping an adjoint nobody pushed).
CHECKPOINT_IN_LOOP = """
func.func @f(%x: f64) -> f64 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %r = scf.for %i = %c0 to %c1 step %c1 iter_args(%a = %x) -> (f64) {
    %n = ad.checkpoint -> (f64) {
      %m = arith.negf %a : f64
      ad.yield %m : f64
    }
    %s = math.sin %n : f64
    scf.yield %s : f64
  }
  return %r : f64
}
""" + GRAD_OF_GRAD

# 4. Third order (reverse over forward over reverse) through arith.maximumf in a loop:
#    the same imbalance, on the tangent tape of a value the reverse sweep does not read.
MAX_IN_LOOP_THIRD_ORDER = """
func.func @h(%x: f64) -> f64 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %half = arith.constant 0.5 : f64
  %r = scf.for %i = %c0 to %c1 step %c1 iter_args(%a = %x) -> (f64) {
    %a2 = arith.mulf %a, %a : f64
    %a3 = arith.mulf %a2, %a : f64
    %m = arith.maximumf %a3, %half : f64
    scf.yield %m : f64
  }
  return %r : f64
}
func.func @g1(%x: f64) -> f64 {
  %d = ad.grad @h(%x) : (f64) -> f64
  return %d : f64
}
func.func @g2(%x: f64) -> f64 {
  %one = arith.constant 1.0 : f64
  %y, %d = ad.jvp @g1(%x, %one) : (f64, f64) -> (f64, f64)
  return %d : f64
}
func.func @main(%x: f64) -> f64 {
  %d = ad.grad @g2(%x) : (f64) -> f64
  return %d : f64
}
"""


def test_gradient_of_while_nested_in_before_region():
    m = compile_module(WHILE_IN_BEFORE)
    grad, jvp = call(m, "main", [0.1])
    np.testing.assert_allclose(grad, 3.5210815892708953, rtol=1e-13)
    np.testing.assert_allclose(jvp, 3.5210815892708953, rtol=1e-13)


def test_checkpointed_loop_in_before_region_at_first_and_second_order():
    m = compile_module(CHECKPOINTED_LOOP_IN_BEFORE)
    for x in (0.3, -0.8):
        np.testing.assert_allclose(call(m, "g", [x]), call(m, "j", [x]), rtol=1e-12)
        np.testing.assert_allclose(call(m, "gg", [x]), call(m, "jj", [x]), rtol=1e-12)
    h = 1e-6
    fd = (call(m, "f", [0.3 + h])[0] - call(m, "f", [0.3 - h])[0]) / (2 * h)
    np.testing.assert_allclose(call(m, "g", [0.3]), [fd], rtol=1e-6)


@pytest.mark.parametrize(
    "text, x, expected",
    [
        (IF_AFFINE_BRANCH, -0.5, 0.7268619813835873),
        (FOR_OF_MIN, 0.6, 0.0),
    ],
    ids=["if-identity-branch", "for-of-minimumf"],
)
def test_reverse_over_reverse_of_affine_regions(text, x, expected):
    for cleanup in (False, True):  # the generated IR itself verifies, not only after clean-up
        m = compile_module(text, cleanup=cleanup)
        np.testing.assert_allclose(call(m, "main", [x]), [expected], rtol=1e-13, atol=1e-15)


def test_reverse_over_reverse_of_checkpoint_in_loop():
    m = compile_module(CHECKPOINT_IN_LOOP)
    np.testing.assert_allclose(call(m, "main", [0.75]), [math.sin(0.75)], rtol=1e-13)


def test_third_order_through_maximumf_in_loop():
    m = compile_module(MAX_IN_LOOP_THIRD_ORDER)
    np.testing.assert_allclose(call(m, "main", [1.3]), [6.0], rtol=1e-13)
