"""memref views, copy, rank, atomic_rmw and globals compiled: the interpreter's test
program (tests/dialects/memref/views_interpret.mlir) run by both, results equal,
and the run-time errors compiled code can see are the interpreter's, never a crash."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import irc
from irc.interpreter import Interpreter, InterpreterError

pytest.importorskip("llvmlite")

PROGRAM = (Path(__file__).parents[1] / "dialects" / "memref" / "views_interpret.mlir").read_text()


@pytest.fixture(scope="module")
def both():
    module = irc.parse_module(PROGRAM)
    return irc.compile(module, opt_level=2, disk_cache=False), module


@pytest.mark.parametrize("entry", ["through", "globals", "reshapes"])
def test_views_compute_what_the_interpreter_computes(both, entry):
    compiled, module = both
    want = Interpreter(module).call(entry, [])
    got = compiled[entry].call([])
    assert [float(x) for x in got] == [float(x) for x in want]


@pytest.mark.parametrize("entry, args, message", [
    ("subview_oob", [3], r"'memref.subview' op subview along dimension 0 \(offset 3, size 2, stride 1\) runs out "
                         "of bounds of a memref of size 4"),
    ("copy_shapes", [3], "'memref.copy' op copies a memref of shape 3 into one of shape 4"),
    ("constant_store", [], "'memref.store' op writes to a constant 'memref.global'"),
    ("free_global", [], "'memref.dealloc' op frees the buffer of a 'memref.global'"),
])
def test_view_errors_are_the_interpreters_not_crashes(both, entry, args, message):
    compiled, _ = both
    with pytest.raises(InterpreterError, match=message):
        compiled[entry].call(args)


def test_a_subview_result_is_a_strided_numpy_view(both):
    compiled, _ = both
    s = compiled.subview_oob(1)
    assert s.shape == (2,) and s.strides == (8,)
    s[:] = [1.0, 2.0]  # its buffer is freed when numpy drops it
    assert s.tolist() == [1.0, 2.0]


def test_a_global_result_is_a_copy():
    m = irc.compile("""
memref.global "private" constant @table : memref<3xf64> = dense<[1.0, 2.0, 4.0]>
func.func @read_table() -> memref<3xf64> {
  %t = memref.get_global @table : memref<3xf64>
  return %t : memref<3xf64>
}""", disk_cache=False)
    a = m.read_table()
    a[0] = 9.0
    assert m.read_table().tolist() == [1.0, 2.0, 4.0]
    assert isinstance(a, np.ndarray)
