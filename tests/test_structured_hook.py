"""The whole-array hook for structured ops (`Interpreter.map_region`): a body
of ElementwiseMappable ops runs once on whole arrays, with the same results
as the per-element loop it falls back to."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

import irc
from irc.interpreter import Interpreter, maps_elementwise
from irc.tools.main import load_plugin_file

load_plugin_file(str(Path(__file__).parent / "plugins" / "structured_plugin.py"))

BODY_F64 = """
  ^bb0(%x: f64, %y: f64):
    %p = arith.mulf %x, %y : f64
    %e = math.exp %x : f64
    %s = arith.subf %p, %e : f64
    %z = arith.constant 0.5 : f64
    %q = arith.divf %s, %z : f64
    %c = arith.cmpf ogt, %q, %k : f64
    %m = arith.select %c, %q, %k : f64
    %t = math.tanh %m : f64
    test_structured.yield %t : f64
"""

BODY_I32 = """
  ^bb0(%x: i32, %y: i32):
    %p = arith.muli %x, %y : i32
    %s = arith.addi %p, %x : i32
    %d = arith.shrsi %s, %one : i32
    %r = arith.maxsi %d, %y : i32
    test_structured.yield %r : i32
"""


def program(shape: str, per_element: bool, body: str, elt: str) -> str:
    attr = " {per_element}" if per_element else ""
    t = f"tensor<{shape}x{elt}>"
    return f"""
func.func @f(%a: {t}, %b: {t}, %k: {elt}) -> {t} {{
  %one = arith.constant 1 : i32
  %r = test_structured.map %a, %b{attr} : {t}, {t} -> {t} {{{body}  }}
  return %r : {t}
}}
"""


def run_both(shape, body, elt, a, b, k):
    results, steps = [], []
    for per_element in (False, True):
        interp = Interpreter(irc.parse_module(program(shape, per_element, body, elt)))
        results.append(interp.call("f", [a, b, k])[0])
        steps.append(interp.steps)
    return results, steps


finite = st.floats(-5, 5, allow_nan=False, width=64)


@settings(max_examples=25, deadline=None)
@given(arrays(np.float64, (3, 4), elements=finite), arrays(np.float64, (3, 4), elements=finite), finite)
def test_a_float_body_gives_the_same_results_on_whole_arrays_and_per_element(a, b, k):
    (whole, each), _ = run_both("3x4", BODY_F64, "f64", a, b, k)
    np.testing.assert_array_equal(whole, each)


@settings(max_examples=25, deadline=None)
@given(arrays(np.int32, 6, elements=st.integers(-2**31, 2**31 - 1)), arrays(np.int32, 6, elements=st.integers(-2**31, 2**31 - 1)))
def test_an_integer_body_wraps_the_same_way_on_whole_arrays_and_per_element(a, b):
    (whole, each), _ = run_both("6", BODY_I32, "i32", a, b, 0)
    assert whole.dtype == each.dtype == np.int32
    np.testing.assert_array_equal(whole, each)


def test_the_body_runs_once_on_whole_arrays_and_once_per_element_in_the_fallback():
    a, b = np.ones((5, 7)), np.full((5, 7), 2.0)
    _, (whole_steps, each_steps) = run_both("5x7", BODY_F64, "f64", a, b, 0.0)
    body_ops = 9  # the ops of BODY_F64, terminator included
    outside = 3  # arith.constant, test_structured.map, func.return
    assert whole_steps == outside + body_ops
    assert each_steps == outside + 35 * body_ops


def test_an_empty_iteration_space_yields_empty_arrays():
    (whole, each), _ = run_both("0", BODY_F64, "f64", np.zeros(0), np.zeros(0), 1.0)
    assert whole.shape == each.shape == (0,)


@pytest.mark.parametrize(
    "body, mappable",
    [
        ("%s = arith.addf %x, %x : f64\n test_structured.yield %s : f64", True),
        ("%s = math.sqrt %x : f64\n test_structured.yield %s : f64", True),
        ("%c = arith.constant 2.0 : f64\n test_structured.yield %c : f64", True),
        ("%c = arith.constant dense<2.0> : tensor<2xf64>\n test_structured.yield %x : f64", False),
        ("%v = scf.execute_region -> f64 {\n scf.yield %x : f64\n }\n test_structured.yield %v : f64", False),
    ],
)
def test_which_bodies_run_on_whole_arrays(body, mappable):
    text = f"""
func.func @f(%a: tensor<2xf64>) -> tensor<2xf64> {{
  %r = test_structured.map %a : tensor<2xf64> -> tensor<2xf64> {{
  ^bb0(%x: f64):
    {body}
  }}
  return %r : tensor<2xf64>
}}
"""
    module = irc.parse_module(text)
    (op,) = [o for o in module.walk() if o.op_name == "test_structured.map"]
    assert maps_elementwise(op.body) is mappable
    assert Interpreter(module).call("f", [np.array([1.0, 4.0])])[0].shape == (2,)
