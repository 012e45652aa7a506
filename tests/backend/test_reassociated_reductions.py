"""Reductions lowered with ``reassociate-reductions`` compile to sums in another order (LLVM
vectorizes them): still the sum, within f32's rounding of it, for every size including the
empty and remainder ones; max/min exactly."""

from __future__ import annotations

import numpy as np
import pytest

import irc
from irc.passes import run_pipeline

pytest.importorskip("llvmlite")

PROGRAM = """func.func @f(%a: memref<?x?xf32>, %rows: memref<?xf32>, %total: memref<f32>, %top: memref<f32>) {
  linalg.reduce { arith.addf } ins(%a : memref<?x?xf32>) outs(%rows : memref<?xf32>) dimensions = [1]
  linalg.reduce { arith.addf } ins(%a : memref<?x?xf32>) outs(%total : memref<f32>) dimensions = [0, 1]
  linalg.reduce { arith.maximumf } ins(%a : memref<?x?xf32>) outs(%top : memref<f32>) dimensions = [0, 1]
  return
}"""


@pytest.mark.parametrize("shape", [(256, 64), (1, 1), (3, 0), (7, 33), (1000, 17)])
def test_reassociated_sums_are_the_sums(shape):
    module = irc.parse_module(PROGRAM)
    run_pipeline(module, "convert-linalg-to-loops{reassociate-reductions=true}")
    assert "fastmath<reassoc>" in irc.print_op(module)
    f = irc.compile(module, opt_level=3, disk_cache=False).f
    a = np.random.default_rng(sum(shape)).standard_normal(shape).astype(np.float32)
    rows, total, top = np.ones(shape[0], np.float32), np.full((), 2.0, np.float32), np.full((), -9.0, np.float32)
    f(a, rows, total, top)
    exact = a.astype(np.float64)
    bound = 1e-6 * (np.abs(exact).sum() + 1)
    np.testing.assert_allclose(rows, 1 + exact.sum(axis=1), atol=1e-6 * (np.abs(exact).sum(axis=1) + 1).max())
    assert abs(float(total) - (2 + exact.sum())) <= bound
    assert float(top) == max(-9.0, float(a.max()) if a.size else -9.0)
