"""`irc bench mlp`'s programs compute what they claim (timings are never asserted):
the tensor model bufferized, its products made BLAS calls, the rest lowered to
loops and compiled, its gradient and HVP beside the numpy reference, the numpy
HVP beside finite differences, the matmul loop nest and the matmul through BLAS."""

from __future__ import annotations

import numpy as np
import pytest

import irc
from irc.tools import bench_mlp

pytest.importorskip("llvmlite")


def _small_problem(n=4, batch=3, seed=0):
    rng = np.random.default_rng(seed)
    params = [rng.standard_normal((n, n)), rng.standard_normal(n), rng.standard_normal((n, n)), rng.standard_normal(n)]
    return params, rng.standard_normal((n, batch)), [rng.standard_normal(p.shape) for p in params]


def test_the_numpy_hvp_is_the_derivative_of_the_numpy_gradient():
    params, x, v = _small_problem()
    eps = 1e-6
    plus = bench_mlp.numpy_tasks([p + eps * d for p, d in zip(params, v)], x, v)["gradient"]()
    minus = bench_mlp.numpy_tasks([p - eps * d for p, d in zip(params, v)], x, v)["gradient"]()
    for h, a, b in zip(bench_mlp.numpy_tasks(params, x, v)["hvp"](), plus, minus):
        np.testing.assert_allclose(h, (a - b) / (2 * eps), rtol=1e-5, atol=1e-7)


def test_the_tensor_model_its_gradient_and_hvp_match_numpy_compiled():
    """The tensor program through ad, one-shot-bufferize and linalg-to-loops, compiled."""
    params, x, v = _small_problem()
    compiled = irc.compile(bench_mlp.mlp_module_text(4, 3, "f64"), opt_level=2, disk_cache=False)
    reference = bench_mlp.numpy_tasks(params, x, v)
    assert compiled.mlp(*params, x) == pytest.approx(reference["primal"](), rel=1e-12)
    for got, want in zip(compiled.mlp_grad(*params, x), reference["gradient"]()):
        np.testing.assert_allclose(got, want, rtol=1e-10, atol=1e-12)
    for got, want in zip(compiled.mlp_hvp(*params, x, *v), reference["hvp"]()):
        np.testing.assert_allclose(got, want, rtol=1e-10, atol=1e-12)


def test_the_matmul_loop_nest_multiplies():
    compiled = irc.compile(bench_mlp.matmul_module_text(8, 5, 3), opt_level=3, disk_cache=False)
    rng = np.random.default_rng(2)
    a, b = rng.standard_normal((8, 5)).astype(np.float32), rng.standard_normal((5, 3)).astype(np.float32)
    c = np.full((8, 3), np.nan, np.float32)
    compiled.matmul(a, b, c)
    np.testing.assert_allclose(c, a @ b, rtol=1e-5, atol=1e-5)


def test_the_pipeline_makes_every_matrix_product_a_blas_call():
    """Forward and transposed products of the gradient and HVP: none is left to loops, and
    the HVP does not compute the gradient it drops (2 products in the primal, 5 in the
    gradient, 11 in the HVP)."""
    text = bench_mlp.mlp_module_text(4, 3, "f32")
    assert text.count("blas.gemm") == 2 + 5 + 11 and "linalg." not in text


def test_the_matmul_through_blas_multiplies():
    from irc.backends.llvm.blas import find_blas

    if find_blas() is None:
        pytest.skip("no BLAS (numpy's bundled OpenBLAS) on this machine")
    compiled = irc.compile(bench_mlp.matmul_blas_module_text(8, 5, 3), opt_level=3, disk_cache=False)
    rng = np.random.default_rng(4)
    a, b = rng.standard_normal((8, 5)).astype(np.float32), rng.standard_normal((5, 3)).astype(np.float32)
    c = np.ones((8, 3), np.float32)
    compiled.matmul(a, b, c)
    np.testing.assert_allclose(c, 1 + a @ b, rtol=1e-5, atol=1e-5)


def test_goals_and_table_read_a_result():
    result = {"cpus": 2, "blas_threads": 1, "irc": {"error": "x"}, "numpy": {"tasks": {
        "primal": {"median_s": 1e-4}, "gradient": {"median_s": 3e-4}, "hvp": {"median_s": 5e-4}}},
        "jax_jit": {"error": "not installed"}, "pytorch": {"error": "not installed"},
        "matmul": {"max_abs_error": 0.0, "tasks": {"numpy.matmul": {"median_s": 1e-4}}, "gflops": {"numpy.matmul": 1.0},
                   "winner": "numpy.matmul"}}
    result["goals"] = bench_mlp.mlp_goals(result)
    table = bench_mlp.format_mlp_table(result)
    assert "numpy (by hand)" in table and "fastest: numpy.matmul" in table and "skipped: x" in table
