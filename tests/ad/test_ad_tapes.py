"""Tapes have a lifetime: every tape reverse mode creates is freed on every path
(loops of zero trips, either branch of an if, data-dependent while loops,
checkpoints, derivatives of derivatives), a use after free is a located runtime
error, and a push stores a copy of the value, never an alias."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

import irc
from irc.dialects.ad import Tape, TapePopOp, TapePushOp
from irc.interpreter import Interpreter, InterpreterError

sys.path.insert(0, str(Path(__file__).parent))
from adtest import compile_module  # noqa: E402
from test_ad_orders import CHECKPOINT_IN_LOOP, MAX_IN_LOOP_THIRD_ORDER, WHILE_IN_BEFORE  # noqa: E402

# The trip count of the for loop is an argument, so one generated function runs
# its loop 0, 1 or 3 times; the if takes either branch; the while runs 0-4 trips
# depending on x.
PATHS = """
func.func @f(%x: f64, %n: index) -> f64 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %zero = arith.constant 0.0 : f64
  %one = arith.constant 1.0 : f64
  %step = arith.constant 0.375 : f64
  %pos = arith.cmpf ogt, %x, %zero : f64
  %b = scf.if %pos -> (f64) {
    %l = scf.for %i = %c0 to %n step %c1 iter_args(%a = %x) -> (f64) {
      %s = math.sin %a : f64
      %m = arith.mulf %s, %a : f64
      scf.yield %m : f64
    }
    scf.yield %l : f64
  } else {
    %t = math.tanh %x : f64
    scf.yield %t : f64
  }
  %w = scf.while (%u = %b) : (f64) -> f64 {
    %lt = arith.cmpf olt, %u, %one : f64
    scf.condition(%lt) %u : f64
  } do {
  ^bb0(%v: f64):
    %sq = arith.mulf %v, %v : f64
    %p = arith.addf %v, %step : f64
    %q = arith.addf %p, %sq : f64
    scf.yield %q : f64
  }
  %r = scf.for %i = %c0 to %n step %c1 iter_args(%a = %w) -> (f64) {
    %c = ad.checkpoint -> (f64) {
      %e = math.exp %a : f64
      %h = arith.mulf %e, %step : f64
      ad.yield %h : f64
    }
    scf.yield %c : f64
  }
  return %r : f64
}
func.func @grad(%x: f64, %n: index) -> f64 {
  %g = ad.grad @f(%x, %n) : (f64, index) -> f64
  return %g : f64
}
func.func @grad_grad(%x: f64, %n: index) -> f64 {
  %g = ad.grad @grad(%x, %n) : (f64, index) -> f64
  return %g : f64
}
func.func @jvp_grad(%x: f64, %n: index) -> f64 {
  %one = arith.constant 1.0 : f64
  %y, %d = ad.jvp @grad(%x, %n, %one) : (f64, index, f64) -> (f64, f64)
  return %d : f64
}
func.func @grad_jvp_grad(%x: f64, %n: index) -> f64 {
  %g = ad.grad @jvp_grad(%x, %n) : (f64, index) -> f64
  return %g : f64
}
"""


def _tape_counts(module, name, args):
    interp = Interpreter(module)
    interp.call(name, list(args))
    return interp.stats.get("ad.tape_create", 0), interp.stats.get("ad.tape_free", 0)


@pytest.mark.parametrize("entry", ["grad", "grad_grad", "jvp_grad", "grad_jvp_grad"])
@pytest.mark.parametrize("x, n", [(0.5, 0), (0.5, 1), (0.5, 3), (-0.5, 0), (-0.5, 2), (1.5, 1)],
                         ids=["trips0", "trips1", "trips3", "else-trips0", "else-trips2", "while-trips0"])
def test_every_tape_created_is_freed_on_every_path(entry, x, n):
    m = compile_module(PATHS)
    created, freed = _tape_counts(m, entry, [x, n])
    assert created > 0
    assert freed == created


@pytest.mark.parametrize("text, entry, x", [
    (WHILE_IN_BEFORE, "main", 0.1),
    (CHECKPOINT_IN_LOOP, "main", 0.75),
    (MAX_IN_LOOP_THIRD_ORDER, "main", 1.3),
], ids=["while-in-before", "checkpoint-rev-rev", "max-rev-fwd-rev"])
def test_nested_sweeps_free_their_tapes(text, entry, x):
    m = compile_module(text)
    created, freed = _tape_counts(m, entry, [x])
    assert created > 0
    assert freed == created


def test_each_generated_function_frees_what_it_creates():
    """Statically: every ad.tape_create of a generated function has one ad.tape_free,
    in the function's top-level block (so no path skips it)."""
    m = compile_module(PATHS, cleanup=False)
    for fn in m.regions[0].blocks[0].ops:
        creates = [op for op in fn.walk() if op.op_name == "ad.tape_create"]
        frees = [op for op in fn.walk() if op.op_name == "ad.tape_free"]
        assert sorted(id(op.results[0]) for op in creates) == sorted(id(op.operands[0]) for op in frees)
        body = fn.regions[0].blocks[0]
        assert all(op.parent is body for op in creates + frees)


USE_AFTER_FREE = """
func.func @main(%x: f64) -> f64 {
  %t = ad.tape_create : !ad.tape<f64>
  ad.tape_push %t, %x : !ad.tape<f64>, f64
  ad.tape_free %t : !ad.tape<f64>
  %y = ad.tape_pop %t : !ad.tape<f64> -> f64
  return %y : f64
}
"""

DOUBLE_FREE = """
func.func @main(%x: f64) -> f64 {
  %t = ad.tape_create : !ad.tape<f64>
  ad.tape_free %t : !ad.tape<f64>
  ad.tape_free %t : !ad.tape<f64>
  return %x : f64
}
"""


@pytest.mark.parametrize("text, message", [
    (USE_AFTER_FREE, "'ad.tape_pop' op uses a tape that was freed"),
    (DOUBLE_FREE, "'ad.tape_free' op frees a tape that was already freed"),
], ids=["use-after-free", "double-free"])
def test_freed_tape_misuse_is_a_located_runtime_error(text, message):
    m = irc.parse_module(text)
    irc.verify(m)
    with pytest.raises(InterpreterError) as err:
        Interpreter(m).call("main", [1.0])
    assert message in str(err.value)


def test_push_copies_the_value():
    """A buffer pushed onto a tape is copied: writing to it afterwards leaves the tape's entry alone."""
    from irc.interpreter import interpret

    m = irc.parse_module("""
func.func @main(%t: tensor<2xf64>) -> tensor<2xf64> {
  %tape = ad.tape_create : !ad.tape<tensor<2xf64>>
  ad.tape_push %tape, %t : !ad.tape<tensor<2xf64>>, tensor<2xf64>
  %r = ad.tape_pop %tape : !ad.tape<tensor<2xf64>> -> tensor<2xf64>
  ad.tape_free %tape : !ad.tape<tensor<2xf64>>
  return %r : tensor<2xf64>
}
""")
    ops = list(m.regions[0].blocks[0].first_op.regions[0].blocks[0].ops)
    push = next(op for op in ops if isinstance(op, TapePushOp))
    pop = next(op for op in ops if isinstance(op, TapePopOp))
    interp = Interpreter(m)
    tape, buffer = Tape(), np.array([1.0, 2.0])
    interpret.lookup(push)(interp, push, [tape, buffer])
    buffer[0] = 99.0
    (popped,) = interpret.lookup(pop)(interp, pop, [tape])
    np.testing.assert_array_equal(popped, [1.0, 2.0])


TAPE_OPS = """
func.func @main(%x: f64) -> (f64, f64, index) {
  %t = ad.tape_create : !ad.tape<f64>
  %unused = ad.tape_create : !ad.tape<f64>
  ad.tape_push %t, %x : !ad.tape<f64>, f64
  ad.tape_push %t, %x : !ad.tape<f64>, f64
  %n = ad.tape_size %t : !ad.tape<f64>
  %dead = ad.tape_size %t : !ad.tape<f64>
  %a = ad.tape_pop %t : !ad.tape<f64> -> f64
  %b = ad.tape_pop %t : !ad.tape<f64> -> f64
  ad.tape_free %t : !ad.tape<f64>
  return %a, %b, %n : f64, f64, index
}
"""


def test_tape_ops_declare_their_memory_effects():
    from irc.effects import ALLOCATE, FREE, READ, WRITE, memory_effects

    m = irc.parse_module(TAPE_OPS)
    kinds = {}
    for op in m.walk():
        if op.op_name.startswith("ad.tape_"):
            kinds[op.op_name] = sorted(e.kind for e in memory_effects(op))
    assert kinds == {
        "ad.tape_create": [ALLOCATE],
        "ad.tape_push": sorted([WRITE, READ]),
        "ad.tape_size": [READ],
        "ad.tape_pop": sorted([READ, WRITE]),
        "ad.tape_free": [FREE],
    }


def test_clean_up_keeps_every_push_pop_and_free():
    """CSE must not merge the two pops or pushes, DCE must not drop the free; an unused
    tape and an unused size read are dead."""
    from irc.passes import run_pipeline

    m = irc.parse_module(TAPE_OPS)
    run_pipeline(m, "canonicalize,cse,dce")
    names = [op.op_name for op in m.walk() if op.op_name.startswith("ad.tape_")]
    assert names == ["ad.tape_create", "ad.tape_push", "ad.tape_push", "ad.tape_size",
                     "ad.tape_pop", "ad.tape_pop", "ad.tape_free"]
    assert Interpreter(m).call("main", [2.0]) == [2.0, 2.0, 2]
