"""Views, reshapes and their canonicalizations mean the same numbers: composed
slices and subviews read what the pair read, writes through views land in the
base, and tensor.bitcast reinterprets bits."""

from __future__ import annotations

import numpy as np
import pytest

import irc
from irc.interpreter import Interpreter
from irc.passes import run_pipeline

SLICES = """
func.func @tensor_slices(%t: tensor<16x16xf64>, %i: index, %n: index) -> (tensor<2x?xf64>, tensor<3xf64>) {
  %a = tensor.extract_slice %t[2, %i] [8, 8] [1, 2] : tensor<16x16xf64> to tensor<8x8xf64>
  %b = tensor.extract_slice %a[1, 2] [2, %n] [2, 1] : tensor<8x8xf64> to tensor<2x?xf64>
  %c = tensor.extract_slice %t[3, 0] [1, 16] [1, 1] : tensor<16x16xf64> to tensor<16xf64>
  %d = tensor.extract_slice %c[4] [3] [2] : tensor<16xf64> to tensor<3xf64>
  return %b, %d : tensor<2x?xf64>, tensor<3xf64>
}

func.func @subviews(%t: memref<16x16xf64>, %i: index, %n: index) -> (memref<2x?xf64, strided<[32, 2], offset: ?>>, memref<3xf64, strided<[2], offset: 52>>) {
  %a = memref.subview %t[2, %i] [8, 8] [1, 2] : memref<16x16xf64> to memref<8x8xf64, strided<[16, 2], offset: ?>>
  %b = memref.subview %a[1, 2] [2, %n] [2, 1] : memref<8x8xf64, strided<[16, 2], offset: ?>> to memref<2x?xf64, strided<[32, 2], offset: ?>>
  %c = memref.subview %t[3, 0] [1, 16] [1, 1] : memref<16x16xf64> to memref<16xf64, strided<[1], offset: 48>>
  %d = memref.subview %c[4] [3] [2] : memref<16xf64, strided<[1], offset: 48>> to memref<3xf64, strided<[2], offset: 52>>
  return %b, %d : memref<2x?xf64, strided<[32, 2], offset: ?>>, memref<3xf64, strided<[2], offset: 52>>
}

func.func @bits(%t: tensor<3xf32>) -> tensor<3xi32> {
  %0 = tensor.bitcast %t : tensor<3xf32> to tensor<3xi32>
  return %0 : tensor<3xi32>
}
"""


def _run(canonicalize: bool, name: str, args):
    module = irc.parse_module(SLICES, "views.mlir")
    if canonicalize:
        run_pipeline(module, "canonicalize")
        assert sum(1 for op in module.walk() if op.op_name in ("tensor.extract_slice", "memref.subview")) == 4
    return [np.array(r) for r in Interpreter(module).call(name, args)]


@pytest.mark.parametrize("name", ["tensor_slices", "subviews"])
@pytest.mark.parametrize("i,n", [(0, 1), (1, 3), (1, 2)])
def test_a_composed_slice_reads_what_the_pair_read(name, i, n):
    t = np.random.default_rng(i * 7 + n).standard_normal((16, 16))
    before = _run(False, name, [t, i, n])
    after = _run(True, name, [t, i, n])
    expected = [t[3:7:2, i + 4:i + 4 + 2 * n:2], t[3, 4:10:2]]
    for b, a, e in zip(before, after, expected):
        np.testing.assert_array_equal(b, e)
        np.testing.assert_array_equal(a, e)


def test_a_subview_result_is_a_view_of_the_callers_array():
    t = np.zeros((16, 16))
    b, d = Interpreter(irc.parse_module(SLICES)).call("subviews", [t, 1, 2])
    b[...] = 1.0
    assert t.sum() == 4.0 and (t[3:7:2, 5:9:2] == 1.0).all()  # rows 3, 5; columns 5, 7
    d[...] = 2.0
    assert list(t[3, 4:10:2]) == [2.0, 2.0, 2.0]


def test_bitcast_reinterprets_the_bits():
    x = np.array([1.0, -2.5, 0.0], dtype=np.float32)
    (bits,) = Interpreter(irc.parse_module(SLICES)).call("bits", [x])
    np.testing.assert_array_equal(bits, x.view(np.int32))


ATOMIC = """
func.func @rmw_{kind}(%m: memref<1x{t}>, %v: {t}) -> ({t}, {t}) {{
  %c0 = arith.constant 0 : index
  %old = memref.atomic_rmw {kind} %v, %m[%c0] : ({t}, memref<1x{t}>) -> {t}
  %new = memref.load %m[%c0] : memref<1x{t}>
  return %old, %new : {t}, {t}
}}
"""

NAN = float("nan")


@pytest.mark.parametrize("kind,old,value,new", [
    ("addf", 1.5, 2.0, 3.5), ("mulf", 1.5, 2.0, 3.0), ("assign", 1.5, 2.0, 2.0),
    ("maximumf", 1.5, NAN, NAN), ("maxnumf", 1.5, NAN, 1.5), ("minimumf", 1.5, -2.0, -2.0),
    ("minnumf", NAN, 3.0, 3.0),
    ("addi", 7, -9, -2), ("muli", 7, -3, -21), ("andi", 6, 3, 2), ("ori", 6, 3, 7), ("xori", 6, 3, 5),
    ("maxs", -1, 3, 3), ("mins", -1, 3, -1), ("maxu", -1, 3, -1), ("minu", -1, 3, 3),
])
def test_atomic_rmw_returns_the_old_value_and_stores_the_combination(kind, old, value, new):
    t = "f64" if isinstance(old, float) else "i32"
    module = irc.parse_module(ATOMIC.format(kind=kind, t=t))
    m = np.array([old], dtype=np.float64 if t == "f64" else np.int32)
    got_old, got_new = Interpreter(module).call(f"rmw_{kind}", [m, value])
    np.testing.assert_equal([got_old, got_new, m[0]], [old, new, new])
