"""Forward and reverse mode through scf.if, scf.for (iter_args, nested),
scf.while (data-dependent trip count) and calls, against central differences."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).parent))
from adtest import call, check_function, compile_module, vjp_driver  # noqa: E402

IF = """
func.func @f(%a0: f64, %a1: f64) -> f64 {
  %c = arith.cmpf olt, %a0, %a1 : f64
  %r = scf.if %c -> (f64) {
    %s = math.sin %a0 : f64
    %t = arith.mulf %s, %a1 : f64
    scf.yield %t : f64
  } else {
    %e = math.exp %a1 : f64
    scf.yield %e : f64
  }
  return %r : f64
}
"""

FOR = """
func.func @f(%a0: f64, %a1: f64) -> f64 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %r = scf.for %i = %c0 to %c4 step %c1 iter_args(%acc = %a0) -> (f64) {
    %s = math.sin %acc : f64
    %t = arith.mulf %s, %a1 : f64
    %u = arith.addf %t, %acc : f64
    scf.yield %u : f64
  }
  return %r : f64
}
"""

# x grows by 1.5x + y per trip until it reaches 10: the trip count depends on the data
WHILE = """
func.func @f(%a0: f64, %a1: f64) -> f64 {
  %r:2 = scf.while (%x = %a0, %y = %a1) : (f64, f64) -> (f64, f64) {
    %lim = arith.constant 10.0 : f64
    %c = arith.cmpf olt, %x, %lim : f64
    scf.condition(%c) %x, %y : f64, f64
  } do {
  ^bb0(%x: f64, %y: f64):
    %k = arith.constant 1.5 : f64
    %x2 = arith.mulf %x, %k : f64
    %x3 = arith.addf %x2, %y : f64
    %y2 = math.sin %y : f64
    scf.yield %x3, %y2 : f64, f64
  }
  %o = arith.mulf %r#0, %r#1 : f64
  return %o : f64
}
"""

NESTED_WITH_CALL = """
func.func @g(%x: f64, %y: f64) -> f64 {
  %p = arith.mulf %x, %y : f64
  %s = math.sin %p : f64
  return %s : f64
}
func.func @f(%a0: f64, %a1: f64) -> f64 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c3 = arith.constant 3 : index
  %r = scf.for %i = %c0 to %c3 step %c1 iter_args(%acc = %a0) -> (f64) {
    %q = scf.for %j = %c0 to %i step %c1 iter_args(%b = %acc) -> (f64) {
      %g = func.call @g(%b, %a1) : (f64, f64) -> f64
      %h = arith.addf %g, %b : f64
      scf.yield %h : f64
    }
    %w = arith.mulf %q, %a1 : f64
    scf.yield %w : f64
  }
  return %r : f64
}
"""

IF_IN_LOOP = """
func.func @f(%a0: f64, %a1: f64) -> f64 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c5 = arith.constant 5 : index
  %half = arith.constant 0.5 : f64
  %r = scf.for %i = %c0 to %c5 step %c1 iter_args(%acc = %a0) -> (f64) {
    %s = math.sin %acc : f64
    %c = arith.cmpf olt, %s, %half : f64
    %n = scf.if %c -> (f64) {
      %t = arith.mulf %acc, %a1 : f64
      %u = math.cos %t : f64
      scf.yield %u : f64
    } else {
      %v = arith.subf %acc, %a1 : f64
      scf.yield %v : f64
    }
    %w = arith.addf %n, %s : f64
    scf.yield %w : f64
  }
  return %r : f64
}
"""

# active values computed in `before` and passed on by scf.condition
WHILE_BEFORE = """
func.func @f(%a0: f64, %a1: f64) -> f64 {
  %c0 = arith.constant 0 : index
  %r:3 = scf.while (%x = %a0, %i = %c0) : (f64, index) -> (f64, index, f64) {
    %z = math.sin %x : f64
    %w = arith.mulf %z, %a1 : f64
    %lim = arith.constant 5 : index
    %c = arith.cmpi slt, %i, %lim : index
    scf.condition(%c) %w, %i, %z : f64, index, f64
  } do {
  ^bb0(%p: f64, %j: index, %q: f64):
    %one = arith.constant 1 : index
    %j2 = arith.addi %j, %one : index
    %n = arith.addf %p, %q : f64
    scf.yield %n, %j2 : f64, index
  }
  %o = arith.mulf %r#0, %r#2 : f64
  return %o : f64
}
"""

EXECUTE_REGION = """
func.func @f(%a0: f64, %a1: f64) -> f64 {
  %r = scf.execute_region -> f64 {
    %s = math.sin %a0 : f64
    %t = arith.mulf %s, %a1 : f64
    scf.yield %t : f64
  }
  return %r : f64
}
"""


@pytest.mark.parametrize(
    "text", [IF, FOR, WHILE, WHILE_BEFORE, NESTED_WITH_CALL, IF_IN_LOOP, EXECUTE_REGION],
    ids=["if", "for", "while", "while_before", "nested_for_call", "if_in_for", "execute_region"]
)
@pytest.mark.parametrize("point", [(0.3, 0.7), (1.1, 0.4)])
def test_control_flow_derivatives(text, point):
    check_function(text, 2, 1, point, np.random.default_rng(1))


def test_while_reverse_pops_every_tape_push():
    """The reverse sweep pops exactly what the forward sweep pushed (tapes end empty)."""
    from irc.interpreter import Interpreter

    m = compile_module(WHILE + vjp_driver(2))
    interp = Interpreter(m)
    interp.call("vjp", [0.3, 0.7, 1.0])
    assert interp.stats.get("ad.tape_push", 0) > 0


def test_loop_constants_are_recomputed_not_taped():
    m = compile_module(WHILE + vjp_driver(2))
    import irc

    text = irc.print_op(m)
    assert "ad.tape_create : !ad.tape<f64>" in text
    assert "%k_tape" not in text and "%lim_tape" not in text


def test_zero_trip_loop_passes_cotangent_through():
    text = """
func.func @f(%a0: f64, %a1: f64) -> f64 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %r = scf.for %i = %c0 to %c0 step %c1 iter_args(%acc = %a1) -> (f64) {
    %s = math.sin %a0 : f64
    scf.yield %s : f64
  }
  return %r : f64
}
"""
    m = compile_module(text + vjp_driver(2))
    assert call(m, "vjp", [0.5, 0.25, 1.0])[1:] == [0.0, 1.0]
