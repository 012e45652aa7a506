"""Model-sized programs: the gradient from --ad-reverse checked against central
finite differences in float64 (interpreter), then the same program bufferized
(--ad-reverse --one-shot-bufferize) gives the same gradient and frees every
buffer it does not return."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from harness import check_bufferized, parse, run

HERE = Path(__file__).parent


def finite_difference_gradient(module, loss: str, args, h: float = 1e-6):
    """Central differences of @loss with respect to every array argument."""
    grads = []
    for k, a in enumerate(args):
        g = np.zeros_like(a)
        for idx in np.ndindex(a.shape):
            plus = [x.copy() for x in args]
            minus = [x.copy() for x in args]
            plus[k][idx] += h
            minus[k][idx] -= h
            g[idx] = (run(module, loss, plus)[1][0] - run(module, loss, minus)[1][0]) / (2 * h)
        grads.append(g)
    return grads


def check_model(text: str, loss: str, grad: str, args, rtol=1e-6, atol=1e-8):
    """FD-check @grad (after ad-reverse), then the bufferized gradient equals it."""
    module, bufferized, reference = check_bufferized(text, grad, args, before="ad-reverse")
    fd = finite_difference_gradient(parse(text), loss, args)
    for got, want in zip(reference, fd):
        np.testing.assert_allclose(got, want, rtol=rtol, atol=atol)
    return module


LOOPS = (HERE / "models_loops.mlir").read_text()


def test_row_loop_with_extract_insert():
    rng = np.random.default_rng(1)
    check_model(LOOPS, "rows_loss", "rows_grad", [rng.normal(size=(5, 3)), rng.normal(size=3)])


def test_packed_lower_triangular_matvec():
    rng = np.random.default_rng(2)
    check_model(LOOPS, "tri_loss", "tri_grad", [rng.normal(size=10), rng.normal(size=4)])


LINALG = (HERE / "models_linalg.mlir").read_text()


def test_two_layer_mlp_gradient_wrt_all_weights():
    rng = np.random.default_rng(3)
    args = [rng.normal(size=(8, 4)), rng.normal(size=(4, 5)) / 2, rng.normal(size=5) / 2,
            rng.normal(size=(5, 3)) / 2, rng.normal(size=3) / 2]
    module, bufferized, reference = check_bufferized(LINALG, "mlp_grad", args, before="ad-reverse")
    fd = finite_difference_gradient(parse(LINALG), "mlp_loss", args)
    for got, want in zip(reference, fd[1:]):
        np.testing.assert_allclose(got, want, rtol=1e-6, atol=1e-8)


def test_softmax_cross_entropy_gradient():
    rng = np.random.default_rng(4)
    labels = np.eye(5)[rng.integers(0, 5, size=6)]
    args = [rng.normal(size=(6, 4)), rng.normal(size=(4, 5)), labels]
    module, bufferized, reference = check_bufferized(LINALG, "softmax_grad", args, before="ad-reverse")
    fd = finite_difference_gradient(parse(LINALG), "softmax_ce", args)
    for got, want in zip(reference, fd[:2]):
        np.testing.assert_allclose(got, want, rtol=1e-6, atol=1e-8)
