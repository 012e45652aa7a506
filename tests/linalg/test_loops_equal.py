"""Lowering to loops keeps the meaning: each program on buffers gives the same
buffers in the interpreter before and after --convert-linalg-to-loops and
--convert-linalg-to-parallel-loops (and after --linalg-generalize-named-ops)."""

from __future__ import annotations

import numpy as np
import pytest

import irc
from irc.interpreter import Interpreter
from irc.passes import run_pipeline

PROGRAMS = {
    "matmul": ("""func.func @f(%a: memref<?x?xf64>, %b: memref<?x?xf64>, %c: memref<?x?xf64>) {
  linalg.matmul ins(%a, %b : memref<?x?xf64>, memref<?x?xf64>) outs(%c : memref<?x?xf64>)
  return
}""", [(3, 4), (4, 5), (3, 5)]),
    "transposed_batch_reduce": ("""func.func @f(%a: memref<2x4x3xf64>, %b: memref<2x4x5xf64>, %c: memref<3x5xf64>) {
  linalg.batch_reduce_matmul indexing_maps = [affine_map<(d0, d1, d2, d3) -> (d0, d3, d1)>, affine_map<(d0, d1, d2, d3) -> (d0, d3, d2)>, affine_map<(d0, d1, d2, d3) -> (d1, d2)>] ins(%a, %b : memref<2x4x3xf64>, memref<2x4x5xf64>) outs(%c : memref<3x5xf64>)
  return
}""", [(2, 4, 3), (2, 4, 5), (3, 5)]),
    "reduce_max_and_broadcast": ("""func.func @f(%a: memref<3x4xf64>, %m: memref<3xf64>, %o: memref<3x4xf64>) {
  linalg.reduce { arith.maximumf } ins(%a : memref<3x4xf64>) outs(%m : memref<3xf64>) dimensions = [1]
  linalg.broadcast ins(%m : memref<3xf64>) outs(%o : memref<3x4xf64>) dimensions = [1]
  linalg.sub ins(%a, %o : memref<3x4xf64>, memref<3x4xf64>) outs(%o : memref<3x4xf64>)
  linalg.exp ins(%o : memref<3x4xf64>) outs(%o : memref<3x4xf64>)
  return
}""", [(3, 4), (3,), (3, 4)]),
    "transpose_fill_dot": ("""func.func @f(%a: memref<3x4xf64>, %t: memref<4x3xf64>, %x: memref<3xf64>, %s: memref<f64>) {
  linalg.transpose ins(%a : memref<3x4xf64>) outs(%t : memref<4x3xf64>) permutation = [1, 0]
  %z = arith.constant 0.5 : f64
  linalg.fill ins(%z : f64) outs(%s : memref<f64>)
  linalg.dot ins(%x, %x : memref<3xf64>, memref<3xf64>) outs(%s : memref<f64>)
  return
}""", [(3, 4), (4, 3), (3,), ()]),
    "window": ("""func.func @f(%x: memref<9xf64>, %w: memref<3xf64>, %y: memref<4xf64>) {
  linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0 * 2 + d1)>, affine_map<(d0, d1) -> (d1)>, affine_map<(d0, d1) -> (d0)>], iterator_types = ["parallel", "reduction"]}
      ins(%x, %w : memref<9xf64>, memref<3xf64>) outs(%y : memref<4xf64>) {
  ^bb0(%a: f64, %b: f64, %acc: f64):
    %i = linalg.index 0 : index
    %ii = arith.index_cast %i : index to i64
    %f = arith.sitofp %ii : i64 to f64
    %m = arith.mulf %a, %b : f64
    %n = arith.mulf %m, %f : f64
    %s = arith.addf %acc, %n : f64
    linalg.yield %s : f64
  }
  return
}""", [(9,), (3,), (4,)]),
}


def run_buffers(module, shapes, seed=0):
    rng = np.random.default_rng(seed)
    arrays = [np.array(rng.normal(size=s)) for s in shapes]
    interp = Interpreter(module)
    interp.call("f", arrays)
    return arrays


@pytest.mark.parametrize("pipeline", ["convert-linalg-to-loops", "convert-linalg-to-parallel-loops",
                                      "linalg-generalize-named-ops"])
@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_lowering_keeps_the_results(name, pipeline):
    text, shapes = PROGRAMS[name]
    want = run_buffers(irc.parse_module(text), shapes)
    lowered = irc.parse_module(text)
    run_pipeline(lowered, pipeline)
    irc.verify(lowered)
    left = {op.op_name for op in lowered.walk() if op.op_name.startswith("linalg.")}
    if pipeline != "linalg-generalize-named-ops":
        assert not left, f"linalg ops left after {pipeline}: {left}"
    else:
        assert left <= {"linalg.generic", "linalg.yield", "linalg.index"}
    got = run_buffers(lowered, shapes)
    for w, g in zip(want, got):
        np.testing.assert_allclose(g, w, rtol=1e-12, atol=1e-12)
