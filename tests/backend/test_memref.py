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


RESULTS = """
func.func @squares(%n: index) -> memref<?xf64> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %buf = memref.alloc(%n) : memref<?xf64>
  scf.for %i = %c0 to %n step %c1 {
    %ii = arith.index_cast %i : index to i64
    %f = arith.sitofp %ii : i64 to f64
    %sq = arith.mulf %f, %f : f64
    memref.store %sq, %buf[%i] : memref<?xf64>
  }
  return %buf : memref<?xf64>
}
func.func @grid(%k: f32) -> (memref<2x3xf32>, f32) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c3 = arith.constant 3 : index
  %buf = memref.alloc() : memref<2x3xf32>
  scf.for %i = %c0 to %c2 step %c1 {
    scf.for %j = %c0 to %c3 step %c1 {
      memref.store %k, %buf[%i, %j] : memref<2x3xf32>
    }
  }
  %x = memref.load %buf[%c1, %c2] : memref<2x3xf32>
  return %buf, %x : memref<2x3xf32>, f32
}
func.func @same(%m: memref<?xf64>) -> memref<?xf64> {
  return %m : memref<?xf64>
}
func.func @twice(%n: index) -> (memref<?xi32>, memref<?xi32>) {
  %buf = memref.alloc(%n) : memref<?xi32>
  return %buf, %buf : memref<?xi32>, memref<?xi32>
}
func.func @fails_after_alloc(%n: index, %d: i64) -> memref<?xi64> {
  %c0 = arith.constant 0 : index
  %buf = memref.alloc(%n) : memref<?xi64>
  %one = arith.constant 1 : i64
  %q = arith.divsi %one, %d : i64
  memref.store %q, %buf[%c0] : memref<?xi64>
  return %buf : memref<?xi64>
}
func.func @offset(%m: memref<2xf64, strided<[1], offset: 3>>) -> f64 {
  %c1 = arith.constant 1 : index
  %x = memref.load %m[%c1] : memref<2xf64, strided<[1], offset: 3>>
  return %x : f64
}
func.func @corner(%m: memref<?x?xf64, strided<[?, ?], offset: ?>>) -> f64 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %x = memref.load %m[%c0, %c1] : memref<?x?xf64, strided<[?, ?], offset: ?>>
  return %x : f64
}
"""


@pytest.fixture(scope="module")
def with_results():
    return irc.compile(RESULTS, opt_level=2, disk_cache=False)


def test_memref_results_are_numpy_arrays_that_own_their_buffers(with_results):
    a = with_results.squares(5)
    assert isinstance(a, np.ndarray) and a.dtype == np.float64 and a.tolist() == [0.0, 1.0, 4.0, 9.0, 16.0]
    a[0] = 7.0  # the caller's own array, writable
    expected = Interpreter(irc.parse_module(RESULTS)).call("squares", [5])[0]
    assert with_results.squares(5).tolist() == expected.tolist()
    grid, x = with_results.grid(2.5)
    assert grid.shape == (2, 3) and grid.dtype == np.float32 and grid.flags.c_contiguous
    assert (grid == 2.5).all() and x == np.float32(2.5)
    assert with_results.squares(0).shape == (0,)


def test_a_result_that_is_an_argument_is_a_view_of_it(with_results):
    m = np.arange(4.0)
    r = with_results.same(m)
    assert np.shares_memory(r, m)
    r[1] = 10.0
    assert m[1] == 10.0
    del m  # the result keeps the caller's array alive
    assert r.tolist() == [0.0, 10.0, 2.0, 3.0]
    for _ in range(200):  # never freed by the compiled side (a double free would abort here)
        del r
        r = with_results.same(np.arange(4.0))
        assert r.tolist() == [0.0, 1.0, 2.0, 3.0]


def test_results_sharing_one_buffer_share_one_owner(with_results):
    a, b = with_results.twice(3)
    a[:] = [1, 2, 3]
    assert b.tolist() == [1, 2, 3]  # one buffer, freed once when both are gone
    del a
    assert b.tolist() == [1, 2, 3]


def test_a_runtime_error_after_an_allocation_frees_it(with_results):
    assert with_results.fails_after_alloc(3, 1)[0] == 1
    with pytest.raises(InterpreterError, match="division by zero"):
        with_results.fails_after_alloc(3, 0)


def test_static_offsets_and_transposed_views(with_results):
    base = np.arange(5.0)
    assert with_results.offset(base[3:5]) == 4.0
    a = np.arange(6.0).reshape(2, 3)
    assert with_results.corner(a.T) == 3.0 == a.T[0, 1]  # through the transposed strides, no copy


def test_returning_a_stack_allocation_is_refused_at_its_return():
    from irc.backends.llvm.translation import TranslationError

    source = """func.func @f() -> memref<4xf64> {
  %a = memref.alloca() : memref<4xf64>
  %b = memref.cast %a : memref<4xf64> to memref<?xf64>
  %c = memref.cast %b : memref<?xf64> to memref<4xf64>
  return %c : memref<4xf64>
}"""
    with pytest.raises(TranslationError, match=r"'func.return' op returns a view of a 'memref.alloca'") as e:
        irc.compile(source, disk_cache=False)
    flc = e.value.diagnostics[0].location.file_line_col()
    assert (flc.line, flc.col) == (5, 3)


@pytest.mark.parametrize(
    "args, message",
    [
        ((), "@at takes 2 arguments, got 0"),
        ((np.zeros(4, dtype=np.int32),), "@at takes 2 arguments, got 1"),
        ((np.zeros(4, dtype=np.int32), 0, 1), "@at takes 2 arguments, got 3"),
        ((None, 0), "argument 0 of @at: expected a numpy array .* got NoneType"),
        (({"a": 1}, 0), "expected a numpy array .* got dict"),
        ((np.float64(1.0), 0), "expected a numpy array .* got float64"),
        ((np.zeros(4, dtype=np.int32), np.zeros(4)), "argument 1 of @at: expected an integer for index, got ndarray"),
        ((np.zeros(4, dtype=">i4"), 0), "expected an array of int32"),
        ((np.zeros(4, dtype=np.int64), 0), "expected an array of int32 for memref<4xi32>, got int64"),
        ((np.zeros((), dtype=np.int32), 0), "expected an array of rank 1 for memref<4xi32>, got rank 0"),
    ],
)
def test_bad_calls_with_arrays_are_clear_errors(compiled, args, message):
    with pytest.raises(TypeError, match=message):
        compiled.at(*args)


def test_a_read_only_array_is_refused(compiled):
    m = np.arange(4, dtype=np.int32)
    m.flags.writeable = False
    with pytest.raises(TypeError, match="argument 0 of @at: the array is read-only"):
        compiled.at(m, 0)


LOOPS = """
func.func @sum_first(%m: memref<?xf64>, %n: index, %lo: index) -> f64 {
  %c1 = arith.constant 1 : index
  %zero = arith.constant 0.0 : f64
  %s = scf.for %i = %lo to %n step %c1 iter_args(%acc = %zero) -> (f64) {
    %x = memref.load %m[%i] : memref<?xf64>
    %y = arith.addf %acc, %x : f64
    scf.yield %y : f64
  }
  return %s : f64
}
func.func @row_into(%m: memref<4x?xf64>, %out: memref<?xf64>, %r: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %n = memref.dim %out, %c0 : memref<?xf64>
  scf.for %j = %c0 to %n step %c1 {
    %x = memref.load %m[%r, %j] : memref<4x?xf64>
    memref.store %x, %out[%j] : memref<?xf64>
  }
  return
}
"""


@pytest.mark.parametrize("n, lo, expected", [(4, 0, 6.0), (0, 0, 0.0), (3, 5, 0.0), (4, 2, 5.0)])
def test_loops_checked_once_before_they_run_compute_the_same(n, lo, expected):
    m = irc.compile(LOOPS, opt_level=3, disk_cache=False)
    assert m.sum_first(np.arange(4.0), n, lo) == expected


@pytest.mark.parametrize("n, lo, bad", [(5, 0, 4), (3, -1, -1)])
def test_a_loop_that_would_leave_its_memref_reports_the_first_bad_index(n, lo, bad):
    m = irc.compile(LOOPS, opt_level=3, disk_cache=False)
    message = rf"'memref.load' op index \[{bad}\] is out of bounds for a memref of shape 4 \(dimension 0 has size 4\)"
    with pytest.raises(InterpreterError, match=message):
        m.sum_first(np.arange(4.0), n, lo)
    with pytest.raises(InterpreterError, match=message):
        Interpreter(irc.parse_module(LOOPS)).call("sum_first", [np.arange(4.0), n, lo])


def test_a_loop_with_an_invariant_index_out_of_range_is_refused_not_run_unchecked():
    m = irc.compile(LOOPS, opt_level=3, disk_cache=False)
    rows = np.arange(12.0).reshape(4, 3)
    out = np.zeros(3)
    m.row_into(rows, out, 2)
    assert out.tolist() == [6.0, 7.0, 8.0]
    with pytest.raises(InterpreterError, match="out of bounds"):
        m.row_into(rows, np.zeros(3), 4)
    with pytest.raises(InterpreterError, match="out of bounds"):
        m.row_into(rows, np.zeros(5), 1)  # the row has 3 elements, the loop runs to 5
