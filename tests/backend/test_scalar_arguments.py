"""Scalar parameters of compiled functions: numpy's 0-d arrays are taken as their element
(checked like a numpy scalar), and f16 crosses the JIT's boundary as its bits."""

from __future__ import annotations

import numpy as np
import pytest

import irc
from irc.interpreter import Interpreter

pytest.importorskip("llvmlite")

PROGRAM = """
func.func @f(%x: f64, %i: i32) -> f64 {
  %y = arith.sitofp %i : i32 to f64
  %z = arith.addf %x, %y : f64
  return %z : f64
}
func.func @half(%x: f16, %y: f64) -> (f16, f64) {
  %z = arith.addf %x, %x : f16
  return %z, %y : f16, f64
}
"""


@pytest.fixture(scope="module")
def compiled():
    return irc.compile(PROGRAM, opt_level=2, disk_cache=False)


@pytest.mark.parametrize("x, i", [
    (np.array(1.0), 2),
    (1.0, np.array(2, dtype=np.int32)),
    (np.array(1.0, dtype=np.float32), np.array(2.0)),  # an integral float, as a scalar 2.0 is
    (np.array(1, dtype=np.int64), np.array(2, dtype=np.uint8)),
])
def test_a_0d_array_is_taken_for_a_scalar_parameter(compiled, x, i):
    assert compiled.f(x, i) == 3.0 == Interpreter(irc.parse_module(PROGRAM)).call("f", [x, i])[0]


@pytest.mark.parametrize("x, i, message", [
    (np.array(True), 1, "argument 0 of @f: expected a number for f64, got bool"),
    (np.array("x"), 1, "argument 0 of @f: expected a number for f64, got str_"),
    (1.0, np.array(2.5), "argument 1 of @f: expected an integer for i32, got 2.5"),
    (np.array([1.0]), 1, "argument 0 of @f: expected a number for f64, got ndarray"),  # 1-d: not a scalar
])
def test_a_0d_array_of_the_wrong_kind_is_the_scalars_error(compiled, x, i, message):
    with pytest.raises(TypeError, match=message.replace("[", r"\[")):
        compiled.f(x, i)


def test_f16_arguments_cross_the_jit_boundary(compiled):
    # ctypes has no _Float16 (an XMM register in the C ABI): the JIT passes its bits, so the
    # pointers after it stay where the entry reads them (they were off by one register: a crash)
    assert compiled.half(1.5, 2.0) == (np.float16(3.0), 2.0)
    assert compiled.half(np.array(0.25, dtype=np.float16), np.float16(3)) == (np.float16(0.5), 3.0)
