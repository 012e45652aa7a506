"""A 2-layer MLP loss (matmul + bias broadcast + tanh + sum of squares) on tensors:
its gradient with respect to every weight, from --ad-reverse, agrees with
finite differences in the interpreter; the same program at 256x256 weights
and batch 64 is what the interpreter timing in the issue's note measures
(`python tests/linalg/test_mlp.py` prints it; no test asserts a time)."""

from __future__ import annotations

import time

import numpy as np
import pytest

import irc
from irc.interpreter import Interpreter
from irc.passes.ad import lower_ad


def mlp_program(batch: int, width: int, hidden: int, out: int) -> str:
    x, w1, b1 = f"tensor<{batch}x{width}xf64>", f"tensor<{width}x{hidden}xf64>", f"tensor<{hidden}xf64>"
    w2, b2 = f"tensor<{hidden}x{out}xf64>", f"tensor<{out}xf64>"
    h, o = f"tensor<{batch}x{hidden}xf64>", f"tensor<{batch}x{out}xf64>"
    return f"""
func.func @loss(%x: {x}, %w1: {w1}, %b1: {b1}, %w2: {w2}, %b2: {b2}) -> f64 {{
  %eh = tensor.empty() : {h}
  %bias1 = linalg.broadcast ins(%b1 : {b1}) outs(%eh : {h}) dimensions = [0]
  %pre = linalg.matmul ins(%x, %w1 : {x}, {w1}) outs(%bias1 : {h}) -> {h}
  %act = linalg.tanh ins(%pre : {h}) outs(%eh : {h}) -> {h}
  %eo = tensor.empty() : {o}
  %bias2 = linalg.broadcast ins(%b2 : {b2}) outs(%eo : {o}) dimensions = [0]
  %y = linalg.matmul ins(%act, %w2 : {h}, {w2}) outs(%bias2 : {o}) -> {o}
  %sq = linalg.square ins(%y : {o}) outs(%eo : {o}) -> {o}
  %zero = arith.constant 0.0 : f64
  %e0 = tensor.empty() : tensor<f64>
  %init = linalg.fill ins(%zero : f64) outs(%e0 : tensor<f64>) -> tensor<f64>
  %sum = linalg.reduce {{ arith.addf }} ins(%sq : {o}) outs(%init : tensor<f64>) dimensions = [0, 1]
  %l = tensor.extract %sum[] : tensor<f64>
  return %l : f64
}}
func.func @grad(%x: {x}, %w1: {w1}, %b1: {b1}, %w2: {w2}, %b2: {b2}) -> ({w1}, {b1}, {w2}, {b2}) {{
  %g:4 = ad.grad @loss(%x, %w1, %b1, %w2, %b2) {{wrt = [1, 2, 3, 4]}} : ({x}, {w1}, {b1}, {w2}, {b2}) -> ({w1}, {b1}, {w2}, {b2})
  return %g#0, %g#1, %g#2, %g#3 : {w1}, {b1}, {w2}, {b2}
}}
"""


def params(rng, batch, width, hidden, out):
    return [rng.normal(size=(batch, width)), rng.normal(size=(width, hidden)) / np.sqrt(width),
            rng.normal(size=hidden) * 0.1, rng.normal(size=(hidden, out)) / np.sqrt(hidden), rng.normal(size=out) * 0.1]


def numpy_loss(x, w1, b1, w2, b2):
    return float(np.sum((np.tanh(x @ w1 + b1) @ w2 + b2) ** 2))


def test_mlp_gradient_matches_finite_differences():
    rng = np.random.default_rng(0)
    sizes = (5, 4, 6, 3)
    module = irc.parse_module(mlp_program(*sizes))
    lower_ad(module)
    irc.verify(module)
    values = params(rng, *sizes)
    loss = Interpreter(module).call("loss", values)[0]
    assert float(loss) == pytest.approx(numpy_loss(*values), rel=1e-12)
    grads = Interpreter(module).call("grad", values)
    h = 1e-6
    for k, g in zip(range(1, 5), grads):
        d = rng.normal(size=values[k].shape)
        plus = list(values)
        minus = list(values)
        plus[k] = values[k] + h * d
        minus[k] = values[k] - h * d
        fd = (numpy_loss(*plus) - numpy_loss(*minus)) / (2 * h)
        assert float(np.sum(g * d)) == pytest.approx(fd, rel=1e-6)


def measure(batch=64, width=256, hidden=256, out=256, repeats=3):
    """Seconds for the interpreted forward + gradient of the 256x256, batch-64 MLP (best of `repeats`)."""
    module = irc.parse_module(mlp_program(batch, width, hidden, out))
    lower_ad(module)
    values = params(np.random.default_rng(1), batch, width, hidden, out)
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        Interpreter(module).call("loss", values)
        Interpreter(module).call("grad", values)
        best = min(best, time.perf_counter() - start)
    return best


if __name__ == "__main__":
    print(f"MLP 256x256, batch 64, interpreted forward + gradient: {measure():.3f} s (best of 3)")


def test_differentiate_bufferize_lower_to_loops_keeps_the_gradient():
    """--ad-reverse --one-shot-bufferize --convert-linalg-to-loops leaves only scalar
    arith/math, scf and memref, and the loops give the tensor program's gradient."""
    from irc.passes import run_pipeline

    sizes = (4, 3, 5, 2)
    values = params(np.random.default_rng(2), *sizes)
    tensors = irc.parse_module(mlp_program(*sizes))
    lower_ad(tensors)
    want = Interpreter(tensors).call("grad", values)
    loops = irc.parse_module(mlp_program(*sizes))
    run_pipeline(loops, "ad-reverse,one-shot-bufferize{bufferize-function-boundaries},convert-linalg-to-loops")
    irc.verify(loops)
    dialects = {op.op_name.split(".")[0] for op in loops.walk()}
    assert dialects <= {"builtin", "func", "arith", "math", "scf", "memref"}, dialects
    interp = Interpreter(loops)
    got = interp.call("grad", [np.array(v) for v in values])
    for w, g in zip(want, got):
        np.testing.assert_allclose(g, w, rtol=1e-12, atol=1e-12)
