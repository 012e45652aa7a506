"""Both ways to differentiate array code give the same gradient (float64, interpreter):

(a) differentiate the tensor program (--ad-reverse), then bufferize it (the main path);
(b) bufferize the loss (--one-shot-bufferize=bufferize-function-boundaries), then
    differentiate the buffer program with `dup` memref arguments: the caller passes one
    zeroed shadow buffer per weight and reads the gradient back from it.  Where a
    bufferized loop carries a buffer through its iter_args, --canonicalize first
    replaces the iter_arg by that buffer (AD refuses buffers carried through loops).

Each gradient is also checked against central differences of the bufferized loss along
random directions, and each run frees every buffer it allocates."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import numpy as np
import pytest

import irc
from harness import PIPELINE, parse, run
from irc.functions import FunctionLike
from irc.interpreter import Interpreter
from irc.passes import run_pipeline

HERE = Path(__file__).parent
LINALG = (HERE / "models_linalg.mlir").read_text()


def function_text(text: str, name: str) -> str:
    """The text of function @name of a module written one function per column-0 block."""
    found = re.search(rf"^func\.func @{name}\(.*?^}}\n", text, re.S | re.M)
    assert found, name
    return found.group(0)


def bufferized_gradient(loss_text: str, loss: str, wrt, pipeline: str = PIPELINE):
    """@loss bufferized at its boundaries, and @grad(args..., shadows...) = ad.grad of it
    with the arguments at `wrt` dup (their gradients accumulate into the shadows)."""
    module = parse(loss_text)
    run_pipeline(module, pipeline)
    fn = next(op for op in module.regions[0].blocks[0].ops if FunctionLike.of(op).sym_name() == loss)
    types = [str(t) for t in FunctionLike.of(fn).function_type().inputs]
    args = ", ".join(f"%a{i}: {t}" for i, t in enumerate(types))
    shadows = ", ".join(f"%s{i}: {types[i]}" for i in wrt)
    names = ", ".join([f"%a{i}" for i in range(len(types))] + [f"%s{i}" for i in wrt])
    all_types = ", ".join(types + [types[i] for i in wrt])
    wrapper = f"""
func.func @grad({args}, {shadows}) {{
  ad.grad @{loss}({names}) {{wrt = [{", ".join(map(str, wrt))}]}} : ({all_types}) -> ()
  return
}}"""
    text = irc.print_op(module).rstrip()
    assert text.endswith("}")
    module = parse(text[:-1] + wrapper + "\n}\n")
    run_pipeline(module, "ad")
    irc.verify(module)
    return module


def gradients_both_ways(text: str, loss: str, grad: str, args, wrt, pipeline: str = PIPELINE):
    """(a) tensor gradients after ad-reverse + bufferize, (b) shadows of the bufferized loss."""
    tensors_first = parse(text)
    run_pipeline(tensors_first, f"ad-reverse,{PIPELINE}")
    interp, a = run(tensors_first, grad, args)
    assert interp.memory.leaks(returned=a) == []
    buffers_first = bufferized_gradient(function_text(text, loss), loss, wrt, pipeline)
    shadows = [np.zeros_like(args[i]) for i in wrt]
    interp = Interpreter(buffers_first)
    interp.call("grad", [a.copy() for a in args] + shadows)  # the shadows are written in place
    assert interp.memory.live_allocations == []
    return [np.asarray(g) for g in a], shadows


def check_against_central_differences(text: str, loss: str, args, wrt, grads, directions=3, h=1e-6):
    """<gradient, d> equals the central difference of the bufferized @loss along d."""
    module = parse(function_text(text, loss))
    run_pipeline(module, PIPELINE)
    rng = np.random.default_rng(0)
    for _ in range(directions):
        d = {i: rng.normal(size=args[i].shape) for i in wrt}
        plus = [a + h * d[i] if i in d else a for i, a in enumerate(args)]
        minus = [a - h * d[i] if i in d else a for i, a in enumerate(args)]
        fd = (float(run(module, loss, plus)[1][0]) - float(run(module, loss, minus)[1][0])) / (2 * h)
        assert sum(float(np.sum(g * d[i])) for g, i in zip(grads, wrt)) == pytest.approx(fd, rel=1e-6, abs=1e-8)


def check_both_paths(text, loss, grad, args, wrt, pipeline: str = PIPELINE):
    a, b = gradients_both_ways(text, loss, grad, args, wrt, pipeline)
    assert len(a) == len(b)
    for ga, gb in zip(a, b):
        np.testing.assert_allclose(gb, ga, rtol=1e-12, atol=1e-14)
    check_against_central_differences(text, loss, args, wrt, a)
    check_against_central_differences(text, loss, args, wrt, b)


def test_two_layer_mlp_both_ways():
    rng = np.random.default_rng(3)
    args = [rng.normal(size=(8, 4)), rng.normal(size=(4, 5)) / 2, rng.normal(size=5) / 2,
            rng.normal(size=(5, 3)) / 2, rng.normal(size=3) / 2]
    check_both_paths(LINALG, "mlp_loss", "mlp_grad", args, [1, 2, 3, 4])


def test_softmax_cross_entropy_both_ways():
    rng = np.random.default_rng(4)
    labels = np.eye(5)[rng.integers(0, 5, size=6)]
    args = [rng.normal(size=(6, 4)), rng.normal(size=(4, 5)), labels]
    check_both_paths(LINALG, "softmax_ce", "softmax_grad", args, [0, 1])


LOOPS = (HERE / "models_loops.mlir").read_text()


@pytest.mark.parametrize("loss, shapes", [("rows", [(5, 3), (3,)]), ("tri", [(10,), (4,)])])
def test_loops_over_rows_and_a_packed_triangle_both_ways(loss, shapes):
    """tensor.extract/insert inside scf.for: bufferized, the loop carries its buffer
    through an iter_arg, which --canonicalize replaces by the buffer itself."""
    rng = np.random.default_rng(1)
    args = [rng.normal(size=s) for s in shapes]
    check_both_paths(LOOPS, f"{loss}_loss", f"{loss}_grad", args, [0, 1], pipeline=f"{PIPELINE},canonicalize")


@pytest.mark.parametrize("pool", ["max", "sum"])
def test_small_cnn_both_ways(pool):
    sys.path.insert(0, str(HERE.parent / "models"))
    try:
        from test_cnn import program
    finally:
        sys.path.remove(str(HERE.parent / "models"))
    text = program(pool)
    rng = np.random.default_rng(6)
    args = [rng.normal(size=(2, 7, 7, 1)), rng.normal(size=(3, 3, 1, 2)) / 2, rng.normal(size=(8, 3)) / 2]
    check_both_paths(text.lstrip("\n"), "loss", "grad", args, [0, 1, 2])


def test_mlp_buffer_gradient_lowered_to_loops_runs_interpreted_and_compiled():
    """--one-shot-bufferize, then --ad with dup weights, then --convert-linalg-to-loops: only
    loops over buffers remain, and the interpreter and LLVM give the tensor path's gradients."""
    rng = np.random.default_rng(5)
    args = [rng.normal(size=(8, 4)), rng.normal(size=(4, 5)) / 2, rng.normal(size=5) / 2,
            rng.normal(size=(5, 3)) / 2, rng.normal(size=3) / 2]
    want, _ = gradients_both_ways(LINALG, "mlp_loss", "mlp_grad", args, [1, 2, 3, 4])
    module = bufferized_gradient(function_text(LINALG, "mlp_loss"), "mlp_loss", [1, 2, 3, 4])
    run_pipeline(module, "convert-linalg-to-loops")
    irc.verify(module)
    assert "linalg." not in irc.print_op(module)
    interpreted = [np.zeros_like(a) for a in args[1:]]
    interp = Interpreter(module)
    interp.call("grad", [a.copy() for a in args] + interpreted)
    assert interp.memory.live_allocations == []
    compiled = [np.zeros_like(a) for a in args[1:]]
    irc.compile(module, opt_level=2, disk_cache=False)["grad"].call([a.copy() for a in args] + compiled)
    for w, i, c in zip(want, interpreted, compiled):
        np.testing.assert_allclose(i, w, rtol=1e-12, atol=1e-14)
        np.testing.assert_allclose(c, w, rtol=1e-12, atol=1e-14)
