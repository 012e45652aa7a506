"""A small convolutional network's loss and gradient, interpreted: a strided
conv_2d_nhwc_hwcf, tanh, a max (or sum) pooling, a dense layer through
linalg.matmul and a sum of tanh; the gradient from --ad-reverse against central
finite differences in float64 with respect to the image and both weights; then
bufferized and lowered to loops, the same gradient with no buffer left."""

from __future__ import annotations

import numpy as np
import pytest

import irc
from irc.interpreter import Interpreter
from irc.passes.ad import lower_ad

CNN = """
func.func @loss(%x: tensor<2x7x7x1xf64>, %k: tensor<3x3x1x2xf64>, %w: tensor<8x3xf64>) -> f64 {
  %zero = arith.constant 0.0 : f64
  %c0 = tensor.empty() : tensor<2x3x3x2xf64>
  %c1 = linalg.fill ins(%zero : f64) outs(%c0 : tensor<2x3x3x2xf64>) -> tensor<2x3x3x2xf64>
  %c = linalg.conv_2d_nhwc_hwcf {strides = dense<2> : tensor<2xi64>, dilations = dense<1> : tensor<2xi64>}
         ins(%x, %k : tensor<2x7x7x1xf64>, tensor<3x3x1x2xf64>) outs(%c1 : tensor<2x3x3x2xf64>) -> tensor<2x3x3x2xf64>
  %a = math.tanh %c : tensor<2x3x3x2xf64>
  %window = tensor.empty() : tensor<2x2xf64>
  %lowest = arith.constant {INIT} : f64
  %p0 = tensor.empty() : tensor<2x2x2x2xf64>
  %p1 = linalg.fill ins(%lowest : f64) outs(%p0 : tensor<2x2x2x2xf64>) -> tensor<2x2x2x2xf64>
  %p = linalg.{POOL} ins(%a, %window : tensor<2x3x3x2xf64>, tensor<2x2xf64>) outs(%p1 : tensor<2x2x2x2xf64>) -> tensor<2x2x2x2xf64>
  %flat = tensor.collapse_shape %p [[0], [1, 2, 3]] : tensor<2x2x2x2xf64> into tensor<2x8xf64>
  %d0 = tensor.empty() : tensor<2x3xf64>
  %d1 = linalg.fill ins(%zero : f64) outs(%d0 : tensor<2x3xf64>) -> tensor<2x3xf64>
  %d = linalg.matmul ins(%flat, %w : tensor<2x8xf64>, tensor<8x3xf64>) outs(%d1 : tensor<2x3xf64>) -> tensor<2x3xf64>
  %t = math.tanh %d : tensor<2x3xf64>
  %s0 = tensor.empty() : tensor<f64>
  %s1 = linalg.fill ins(%zero : f64) outs(%s0 : tensor<f64>) -> tensor<f64>
  %s = linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> ()>],
                       iterator_types = ["reduction", "reduction"]}
         ins(%t : tensor<2x3xf64>) outs(%s1 : tensor<f64>) {
  ^bb0(%e: f64, %acc: f64):
    %n = arith.addf %acc, %e : f64
    linalg.yield %n : f64
  } -> tensor<f64>
  %l = tensor.extract %s[] : tensor<f64>
  return %l : f64
}
func.func @grad(%x: tensor<2x7x7x1xf64>, %k: tensor<3x3x1x2xf64>, %w: tensor<8x3xf64>)
    -> (tensor<2x7x7x1xf64>, tensor<3x3x1x2xf64>, tensor<8x3xf64>) {
  %gx, %gk, %gw = ad.grad @loss(%x, %k, %w) : (tensor<2x7x7x1xf64>, tensor<3x3x1x2xf64>, tensor<8x3xf64>)
    -> (tensor<2x7x7x1xf64>, tensor<3x3x1x2xf64>, tensor<8x3xf64>)
  return %gx, %gk, %gw : tensor<2x7x7x1xf64>, tensor<3x3x1x2xf64>, tensor<8x3xf64>
}
"""


def numpy_loss(x, k, w, pool):
    """The same network in numpy (stride-2 valid convolution, 2x2 stride-1 pooling)."""
    conv = np.zeros((2, 3, 3, 2))
    for i in range(3):
        for j in range(3):
            conv += np.einsum("nhwc,cf->nhwf", x[:, i:i + 5:2, j:j + 5:2, :], k[i, j])
    a = np.tanh(conv)
    windows = [a[:, i:i + 2, j:j + 2, :] for i in range(2) for j in range(2)]
    p = np.maximum.reduce(windows) if pool == "max" else sum(windows)
    return float(np.tanh(p.reshape(2, 8) @ w).sum())


def program(pool: str) -> str:
    kind = "pooling_nhwc_max" if pool == "max" else "pooling_nhwc_sum"
    return CNN.replace("{POOL}", kind).replace("{INIT}", "0xFFF0000000000000" if pool == "max" else "0.0")


def central_differences(loss, args, h=1e-6):
    grads = []
    for n, a in enumerate(args):
        g = np.zeros_like(a)
        for idx in np.ndindex(a.shape):
            plus, minus = [x.copy() for x in args], [x.copy() for x in args]
            plus[n][idx] += h
            minus[n][idx] -= h
            g[idx] = (loss(plus) - loss(minus)) / (2 * h)
        grads.append(g)
    return grads


@pytest.mark.parametrize("pool", ["max", "sum"])
def test_cnn_gradient_matches_finite_differences(pool):
    rng = np.random.default_rng(5)
    args = [rng.normal(size=(2, 7, 7, 1)), rng.normal(size=(3, 3, 1, 2)) / 2, rng.normal(size=(8, 3)) / 2]
    module = irc.parse_module(program(pool))
    lower_ad(module)
    irc.verify(module)
    loss = lambda a: float(Interpreter(module).call("loss", list(a))[0])  # noqa: E731
    assert loss(args) == pytest.approx(numpy_loss(*args, pool), rel=1e-12)
    grads = [np.asarray(g) for g in Interpreter(module).call("grad", list(args))]
    for got, want in zip(grads, central_differences(loss, args)):
        np.testing.assert_allclose(got, want, rtol=1e-6, atol=1e-8)


@pytest.mark.parametrize("pool", ["max", "sum"])
def test_cnn_gradient_bufferized_and_lowered_to_loops_is_the_same(pool):
    """--ad-reverse --one-shot-bufferize --convert-linalg-to-loops: only loops over buffers
    remain, they give the tensor program's gradient, and every buffer not returned is freed."""
    from irc.passes import run_pipeline

    rng = np.random.default_rng(6)
    args = [rng.normal(size=(2, 7, 7, 1)), rng.normal(size=(3, 3, 1, 2)) / 2, rng.normal(size=(8, 3)) / 2]
    tensors = irc.parse_module(program(pool))
    run_pipeline(tensors, "ad-reverse")
    want = Interpreter(tensors).call("grad", [a.copy() for a in args])
    loops = irc.parse_module(program(pool))
    run_pipeline(loops, "ad-reverse,one-shot-bufferize{bufferize-function-boundaries},convert-linalg-to-loops")
    irc.verify(loops)
    assert "linalg." not in irc.print_op(loops)
    interp = Interpreter(loops)
    got = interp.call("grad", [a.copy() for a in args])
    for g, w in zip(got, want):
        np.testing.assert_allclose(np.asarray(g), np.asarray(w), rtol=1e-10, atol=1e-12)
    assert interp.memory.leaks(returned=got) == []
