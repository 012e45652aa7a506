"""The interpreter's memory model through the Python API and `irc run`:
memref arguments are passed without copies, mismatches are errors (never a
silent copy), buffers are counted, tensors are values."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

import irc
from irc.interpreter import Interpreter, InterpreterError

IRC = [sys.executable, "-m", "irc.tools.main"]

PROGRAM = """
func.func @fill(%out: memref<?xf64>, %v: f64) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %n = memref.dim %out, %c0 : memref<?xf64>
  scf.for %i = %c0 to %n step %c1 {
    memref.store %v, %out[%i] : memref<?xf64>
  }
  return
}

func.func @scale_column(%m: memref<?x?xf64, strided<[?, ?], offset: ?>>, %k: f64) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %n = memref.dim %m, %c0 : memref<?x?xf64, strided<[?, ?], offset: ?>>
  scf.for %i = %c0 to %n step %c1 {
    %x = memref.load %m[%i, %c0] : memref<?x?xf64, strided<[?, ?], offset: ?>>
    %y = arith.mulf %x, %k : f64
    memref.store %y, %m[%i, %c0] : memref<?x?xf64, strided<[?, ?], offset: ?>>
  }
  return
}

func.func @read(%m: memref<4xf64>) -> f64 {
  %c3 = arith.constant 3 : index
  %x = memref.load %m[%c3] : memref<4xf64>
  return %x : f64
}

func.func @copy_out(%n: index) -> memref<?xi32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %m = memref.alloc(%n) : memref<?xi32>
  scf.for %i = %c0 to %n step %c1 {
    %x = arith.index_cast %i : index to i32
    memref.store %x, %m[%i] : memref<?xi32>
  }
  return %m : memref<?xi32>
}

func.func @balanced(%n: index) -> f64 {
  %c0 = arith.constant 0 : index
  %one = arith.constant 1.0 : f64
  %m = memref.alloc(%n) : memref<?xf64>
  %s = memref.alloca() : memref<f64>
  memref.store %one, %m[%c0] : memref<?xf64>
  %x = memref.load %m[%c0] : memref<?xf64>
  memref.store %x, %s[] : memref<f64>
  memref.dealloc %m : memref<?xf64>
  %y = memref.load %s[] : memref<f64>
  return %y : f64
}

func.func @leaks_one(%n: index) {
  %a = memref.alloc(%n) : memref<?xf64>
  %b = memref.alloc(%n) : memref<?xf64>
  memref.dealloc %b : memref<?xf64>
  return
}

func.func @unsigned(%m: memref<2xui8>) -> ui8 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %x = memref.load %m[%c0] : memref<2xui8>
  memref.store %x, %m[%c1] : memref<2xui8>
  return %x : ui8
}

func.func @tensor_identity(%t: tensor<3xf64>) -> (tensor<3xf64>, tensor<3xf64>) {
  %c = arith.constant dense<1.0> : tensor<3xf64>
  %s = arith.addf %t, %c : tensor<3xf64>
  return %t, %s : tensor<3xf64>, tensor<3xf64>
}

func.func @tensor_constant() -> tensor<2xf64> {
  %c = arith.constant dense<[1.0, 2.0]> : tensor<2xf64>
  return %c : tensor<2xf64>
}
"""


@pytest.fixture
def interp():
    return Interpreter(irc.parse_module(PROGRAM, "memory.mlir"))


def test_writes_through_an_out_parameter_are_seen_by_the_caller(interp):
    out = np.zeros(5)
    interp.call("fill", [out, 2.5])
    assert out.tolist() == [2.5] * 5


def test_a_strided_memref_argument_is_a_view_of_the_callers_array(interp):
    a = np.arange(12.0).reshape(3, 4)
    column = a[:, 1:]  # a strided, offset view: no copy may be made of it
    interp.call("scale_column", [column, 10.0])
    assert a[:, 1].tolist() == [10.0, 50.0, 90.0]
    assert a[:, 0].tolist() == [0.0, 4.0, 8.0]


@pytest.mark.parametrize(
    "argument, message",
    [
        (np.zeros(4, dtype=np.float32), "expected an array of float64 for memref<4xf64>, got float32"),
        (np.zeros((2, 2)), "expected an array of rank 1 for memref<4xf64>, got rank 2"),
        (np.zeros(5), "expected size 4 in dimension 0 for memref<4xf64>"),
        ([0.0, 1.0, 2.0, 3.0], "expected a numpy array for memref<4xf64>"),
        (np.zeros(8)[::2], "expected a row-major contiguous array (np.ascontiguousarray) for memref<4xf64>"),
    ],
)
def test_a_mismatched_memref_argument_is_an_error_not_a_copy(interp, argument, message):
    with pytest.raises(InterpreterError) as e:
        interp.call("read", [argument])
    assert "'func.func' op argument #0: " + message in str(e.value)


def test_a_store_into_a_read_only_array_is_an_error(interp):
    a = np.zeros(3)
    a.flags.writeable = False
    with pytest.raises(InterpreterError, match="'memref.store' op writes to a read-only array passed by the caller"):
        interp.call("fill", [a, 1.0])


def test_unsigned_elements_keep_their_bits(interp):
    a = np.array([200, 0], dtype=np.uint8)
    (x,) = interp.call("unsigned", [a])
    assert a.tolist() == [200, 200]
    assert x == -56  # the runtime form of integers is the signed range, as everywhere in the interpreter


def test_a_returned_buffer_is_the_callers_array(interp):
    (m,) = interp.call("copy_out", [4])
    assert isinstance(m, np.ndarray) and m.dtype == np.int32 and m.tolist() == [0, 1, 2, 3]
    assert len(interp.memory.live_allocations) == 1
    assert interp.memory.leaks(returned=[m]) == []


def test_the_allocation_counter_sees_nothing_leaked(interp):
    assert interp.call("balanced", [3]) == [1.0]
    assert interp.memory.live_allocations == []
    assert (interp.memory.allocations, interp.memory.frees) == (2, 2)  # the alloca is freed at return


def test_the_allocation_counter_sees_a_leak(interp):
    interp.call("leaks_one", [2])
    (leak,) = interp.memory.live_allocations
    leaked_line = PROGRAM.splitlines().index("  %a = memref.alloc(%n) : memref<?xf64>") + 1
    assert leak.op.op_name == "memref.alloc" and leak.op.location.line == leaked_line
    assert (interp.memory.allocations, interp.memory.frees) == (2, 1)


def test_a_tensor_argument_is_never_changed_and_results_are_the_callers(interp):
    t = np.array([1.0, 2.0, 3.0])
    same, plus_one = interp.call("tensor_identity", [t])
    assert plus_one.tolist() == [2.0, 3.0, 4.0]
    same[0] = 100.0  # the caller owns what it gets back ...
    assert t.tolist() == [1.0, 2.0, 3.0]  # ... and its own array never changes


def test_a_returned_constant_tensor_does_not_share_the_ir_constant(interp):
    (c,) = interp.call("tensor_constant", [])
    c[0] = 42.0
    (again,) = interp.call("tensor_constant", [])
    assert again.tolist() == [1.0, 2.0]


def test_tensor_arguments_are_read_only_inside_the_interpreter():
    from irc.interpreter import coerce
    from irc.types import TensorType, f64

    t = np.zeros(3)
    v = coerce(t, TensorType((3,), f64))
    assert np.shares_memory(v, t) and not v.flags.writeable  # a view, not a copy, that no rule can write


def test_irc_run_reports_a_dtype_mismatched_array_without_a_traceback(tmp_path):
    src = tmp_path / "read.mlir"
    src.write_text(PROGRAM)
    arr = tmp_path / "a.npy"
    np.save(arr, np.zeros(4, dtype=np.float32))
    proc = subprocess.run(IRC + ["run", str(src), "--entry", "read", "--arg", str(arr)], capture_output=True, text=True)
    assert proc.returncode == 1
    assert "expected an array of float64 for memref<4xf64>, got float32" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_a_gradient_reads_a_constant_table_from_a_caller_buffer():
    from irc.passes import run_pipeline

    text = """
func.func @f(%t: memref<4xf64>, %x: f64) -> f64 {
  %c2 = arith.constant 2 : index
  %w = memref.load %t[%c2] : memref<4xf64>
  %y = arith.mulf %w, %x : f64
  %z = arith.mulf %y, %x : f64
  return %z : f64
}
func.func @main(%t: memref<4xf64>, %x: f64) -> f64 {
  %g = ad.grad @f(%t, %x) {wrt = [1]} : (memref<4xf64>, f64) -> f64
  return %g : f64
}
"""
    module = irc.parse_module(text)
    run_pipeline(module, "ad")
    table = np.array([1.0, 2.0, 3.0, 4.0])
    (g,) = Interpreter(module).call("main", [table, 0.5])
    assert g == 2 * 3.0 * 0.5  # d/dx (t[2] x^2)
    assert table.tolist() == [1.0, 2.0, 3.0, 4.0]
