"""memref in compiled code: numpy arrays in (MLIR's descriptor, no copy), loads
and stores checked against the sizes, alloc/dealloc, and clear errors for
arrays that do not fit the memref type."""

from __future__ import annotations

import numpy as np
import pytest

import irc
from irc.interpreter import Interpreter, InterpreterError

pytest.importorskip("llvmlite")

PROGRAM = """
func.func @total(%m: memref<?x3xf64>) -> f64 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c3 = arith.constant 3 : index
  %zero = arith.constant 0.0 : f64
  %n = memref.dim %m, %c0 : memref<?x3xf64>
  %s = scf.for %i = %c0 to %n step %c1 iter_args(%acc = %zero) -> (f64) {
    %r = scf.for %j = %c0 to %c3 step %c1 iter_args(%a = %acc) -> (f64) {
      %x = memref.load %m[%i, %j] : memref<?x3xf64>
      %b = arith.addf %a, %x : f64
      scf.yield %b : f64
    }
    scf.yield %r : f64
  }
  return %s : f64
}
func.func @scale(%m: memref<?xf32>, %k: f32) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %n = memref.dim %m, %c0 : memref<?xf32>
  scf.for %i = %c0 to %n step %c1 {
    %x = memref.load %m[%i] : memref<?xf32>
    %y = arith.mulf %x, %k : f32
    memref.store %y, %m[%i] : memref<?xf32>
  }
  return
}
func.func @at(%m: memref<4xi32>, %i: index) -> i32 {
  %x = memref.load %m[%i] : memref<4xi32>
  return %x : i32
}
func.func @squares(%n: index) -> f64 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %zero = arith.constant 0.0 : f64
  %buf = memref.alloc(%n) : memref<?xf64>
  scf.for %i = %c0 to %n step %c1 {
    %ii = arith.index_cast %i : index to i64
    %f = arith.sitofp %ii : i64 to f64
    %sq = arith.mulf %f, %f : f64
    memref.store %sq, %buf[%i] : memref<?xf64>
  }
  %s = scf.for %i = %c0 to %n step %c1 iter_args(%acc = %zero) -> (f64) {
    %x = memref.load %buf[%i] : memref<?xf64>
    %b = arith.addf %acc, %x : f64
    scf.yield %b : f64
  }
  memref.dealloc %buf : memref<?xf64>
  return %s : f64
}
func.func @strided(%m: memref<?xf64, strided<[?], offset: ?>>) -> f64 {
  %c1 = arith.constant 1 : index
  %x = memref.load %m[%c1] : memref<?xf64, strided<[?], offset: ?>>
  return %x : f64
}
"""


@pytest.fixture(scope="module")
def compiled():
    return irc.compile(PROGRAM, opt_level=2, disk_cache=False)


def test_arrays_in_results_out(compiled):
    a = np.arange(12.0).reshape(4, 3)
    assert compiled.total(a) == 66.0 == Interpreter(irc.parse_module(PROGRAM)).call("total", [a])[0]
    v = np.array([1, 2, 3], dtype=np.float32)
    assert compiled.scale(v, 2.0) is None
    assert v.tolist() == [2.0, 4.0, 6.0]  # written in place: no copy
    assert compiled.squares(10) == 285.0


def test_strided_views_pass_through_strides(compiled):
    a = np.arange(10.0)
    assert compiled.strided(a[::3]) == 3.0  # element 1 of [0, 3, 6, 9]


def test_out_of_bounds_is_the_interpreters_error_not_a_crash(compiled):
    m = np.arange(4, dtype=np.int32)
    assert compiled.at(m, 3) == 3
    for i in (4, -1, 2**40):
        with pytest.raises(InterpreterError, match=rf"'memref.load' op index \[{i}\] is out of bounds for a memref "
                                                   r"of shape 4 \(dimension 0 has size 4\)"):
            compiled.at(m, i)


@pytest.mark.parametrize(
    "arg, message",
    [
        (np.zeros(4, dtype=np.float64), "expected an array of int32"),
        (np.zeros((4, 1), dtype=np.int32), "expected an array of rank 1"),
        (np.zeros(5, dtype=np.int32), "expected size 4 in dimension 0"),
        (np.zeros(8, dtype=np.int32)[::2], "row-major contiguous"),
        ([1, 2, 3, 4], "expected a numpy array"),
        (np.broadcast_to(np.zeros(1, dtype=np.int32), (4,)), "stride|read-only"),
    ],
)
def test_arrays_that_do_not_fit_are_clear_errors(compiled, arg, message):
    with pytest.raises(TypeError, match=message):
        compiled.at(arg, 0)
