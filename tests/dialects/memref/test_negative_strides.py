"""Negative strides in the interpreter's memory model: a caller's reversed array
(``a[::-1]``) is a memref with a ``strided<[-1], offset: n-1>`` layout, read and
written in place; views of it are measured from the lowest address it spans;
a subview of a reversed view composes strides and offsets as MLIR does."""

from __future__ import annotations

import numpy as np
import pytest

import irc
from irc.diagnostics import DiagnosticError
from irc.interpreter import Interpreter

PROGRAM = """
func.func @swap_ends(%r: memref<?xf64, strided<[-1], offset: ?>>) -> f64 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %n = memref.dim %r, %c0 : memref<?xf64, strided<[-1], offset: ?>>
  %last = arith.subi %n, %c1 : index
  %x = memref.load %r[%c0] : memref<?xf64, strided<[-1], offset: ?>>
  %y = memref.load %r[%last] : memref<?xf64, strided<[-1], offset: ?>>
  memref.store %y, %r[%c0] : memref<?xf64, strided<[-1], offset: ?>>
  memref.store %x, %r[%last] : memref<?xf64, strided<[-1], offset: ?>>
  %f = memref.reinterpret_cast %r to offset: [0], sizes: [1], strides: [1] : memref<?xf64, strided<[-1], offset: ?>> to memref<1xf64>
  %low = memref.load %f[%c0] : memref<1xf64>
  return %low : f64
}

func.func @reversed_rows(%m: memref<3x4xf64, strided<[-4, 1], offset: 8>>) -> (f64, f64) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %row = memref.subview %m[1, 0] [2, 2] [1, 2] : memref<3x4xf64, strided<[-4, 1], offset: 8>> to memref<2x2xf64, strided<[-4, 2], offset: 4>>
  %a = memref.load %row[%c0, %c1] : memref<2x2xf64, strided<[-4, 2], offset: 4>>
  %b = memref.load %row[%c1, %c1] : memref<2x2xf64, strided<[-4, 2], offset: 4>>
  %v = arith.constant -1.0 : f64
  memref.store %v, %row[%c1, %c0] : memref<2x2xf64, strided<[-4, 2], offset: 4>>
  return %a, %b : f64, f64
}

func.func @fixed(%r: memref<4xf64, strided<[-1], offset: 3>>) -> f64 {
  %c0 = arith.constant 0 : index
  %x = memref.load %r[%c0] : memref<4xf64, strided<[-1], offset: 3>>
  return %x : f64
}
"""


def _call(name, args):
    return Interpreter(irc.parse_module(PROGRAM, "negative.mlir")).call(name, args)


@pytest.mark.parametrize("n", [1, 2, 5])
def test_reversed_caller_array_is_read_and_written_in_place(n):
    a = np.arange(float(n))
    (low,) = _call("swap_ends", [a[::-1]])
    want = np.arange(float(n))
    want[[0, -1]] = want[[-1, 0]]
    assert np.array_equal(a, want)
    assert low == a[0]  # the lowest address the reversed view spans is a[0]


def test_subview_of_rows_in_reverse_order():
    m = np.arange(12.0).reshape(3, 4)
    view = m[::-1]  # rows 2, 1, 0: strides [-4, 1], offset 8
    a, b = _call("reversed_rows", [view])
    assert (a, b) == (view[1, 2], view[2, 2])
    assert m[0, 0] == -1.0 and np.count_nonzero(m != np.arange(12.0).reshape(3, 4)) == 1


@pytest.mark.parametrize("array, message", [
    (np.arange(8.0)[::-2], "expected stride -1"),
    (np.arange(4.0), "expected stride -1"),
])
def test_layout_mismatch_is_an_error_naming_the_argument(array, message):
    with pytest.raises(DiagnosticError, match=message):
        _call("fixed", [array])


@pytest.mark.parametrize("run", ["interpreter", "llvm"])
def test_compiled_code_and_interpreter_agree_on_a_reversed_view(run):
    """The same reads and writes through a reversed view and a subview of it, compiled
    (the descriptor's offset is the layout's) and interpreted."""
    a = np.arange(6.0)
    if run == "llvm":
        pytest.importorskip("llvmlite")
        compiled = irc.compile(PROGRAM, disk_cache=False)
        low = compiled.swap_ends(a[::-1])
    else:
        (low,) = _call("swap_ends", [a[::-1]])
    assert low == 5.0 and a.tolist() == [5.0, 1.0, 2.0, 3.0, 4.0, 0.0]
