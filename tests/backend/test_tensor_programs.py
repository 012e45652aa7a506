"""`irc.compile` and `irc run` take programs on tensors: a copy is bufferized with
function boundaries (arguments read-only) and lowered to loops before LLVM
(passes/compile_pipeline.py).  Results equal the interpreter's; the caller's
arrays never change, even where the function updates a tensor argument in
place (MLIR's writable-argument rule would let it write the caller's buffer)."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

import irc
from irc.interpreter import Interpreter
from irc.passes.compile_pipeline import lower_tensor_program, uses_tensors

pytest.importorskip("llvmlite")

PROGRAM = """
func.func @update(%x: tensor<?xf64>, %i: index, %v: f64) -> tensor<?xf64> {
  %y = tensor.insert %v into %x[%i] : tensor<?xf64>
  return %y : tensor<?xf64>
}
func.func @scaled_rows(%a: tensor<3x4xf32>, %s: tensor<4xf32>) -> (tensor<3x4xf32>, f32) {
  %e = tensor.empty() : tensor<3x4xf32>
  %b = linalg.broadcast ins(%s : tensor<4xf32>) outs(%e : tensor<3x4xf32>) dimensions = [0]
  %m = linalg.mul ins(%a, %b : tensor<3x4xf32>, tensor<3x4xf32>) outs(%e : tensor<3x4xf32>) -> tensor<3x4xf32>
  %t = math.tanh %m : tensor<3x4xf32>
  %zero = arith.constant 0.0 : f32
  %e0 = tensor.empty() : tensor<f32>
  %init = linalg.fill ins(%zero : f32) outs(%e0 : tensor<f32>) -> tensor<f32>
  %sum = linalg.reduce { arith.addf } ins(%t : tensor<3x4xf32>) outs(%init : tensor<f32>) dimensions = [0, 1]
  %r = tensor.extract %sum[] : tensor<f32>
  return %t, %r : tensor<3x4xf32>, f32
}
func.func @grad(%a: tensor<3x4xf32>, %s: tensor<4xf32>) -> tensor<4xf32> {
  %ct = arith.constant 1.0 : f32
  %ct_t = arith.constant dense<0.0> : tensor<3x4xf32>
  %y, %r, %ga = ad.vjp @scaled_rows(%a, %s, %ct_t, %ct) {wrt = [1]} : (tensor<3x4xf32>, tensor<4xf32>, tensor<3x4xf32>, f32) -> (tensor<3x4xf32>, f32, tensor<4xf32>)
  return %ga : tensor<4xf32>
}
"""


def test_a_tensor_program_compiles_and_agrees_with_the_interpreter():
    module = irc.parse_module(PROGRAM)
    compiled = irc.compile(module, opt_level=2, disk_cache=False)
    rng = np.random.default_rng(0)
    x = rng.normal(size=5)
    before = x.copy()
    got = compiled.update(x, 2, 7.5)
    assert np.array_equal(x, before), "the caller's array changed"
    want = Interpreter(module).call("update", [x.copy(), 2, 7.5])[0]
    assert np.array_equal(got, want) and got[2] == 7.5
    a = rng.normal(size=(3, 4)).astype(np.float32)
    s = rng.normal(size=4).astype(np.float32)
    t, r = compiled.scaled_rows(a, s)
    t_ref, r_ref = Interpreter(module).call("scaled_rows", [a, s])
    np.testing.assert_allclose(t, t_ref, rtol=2e-6)  # tanhf from the C library (docs/backend.md)
    assert r == pytest.approx(float(r_ref), rel=1e-5)
    g = compiled.grad(a, s)
    from irc.passes.ad import lower_ad

    lowered = irc.parse_module(PROGRAM)
    lower_ad(lowered)
    np.testing.assert_allclose(g, Interpreter(lowered).call("grad", [a, s])[0], rtol=1e-5)


def test_lowering_happens_on_a_copy_and_only_for_tensor_programs():
    from irc.passes.ad import lower_ad

    module = irc.parse_module(PROGRAM)
    lower_ad(module)
    text = irc.print_op(module)
    lowered = lower_tensor_program(module)
    assert irc.print_op(module) == text and lowered is not module
    assert not uses_tensors(lowered) and "bufferization.writable = false" in irc.print_op(lowered)
    scalar = irc.parse_module("func.func @f(%x: f64) -> f64 { return %x : f64 }")
    assert lower_tensor_program(scalar) is scalar


def test_irc_run_compiles_a_tensor_program(tmp_path):
    path = tmp_path / "p.mlir"
    path.write_text(PROGRAM)
    np.save(tmp_path / "x.npy", np.arange(4.0))
    out = subprocess.run([sys.executable, "-m", "irc.tools.main", "run", str(path), "--entry", "update",
                          "--arg", str(tmp_path / "x.npy"), "--arg", "1", "--arg", "9.0"],
                         capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert "running in the interpreter" not in out.stderr
    assert "9" in out.stdout


@pytest.mark.parametrize("shape", [(), (3,)])
def test_irc_run_compiled_takes_buffers_and_scalars_from_the_command_line(tmp_path, shape):
    # a .npy for a memref parameter (0-d included) and a number for an f64: the compiled call
    # gets the array (a writable copy of a read-only load) and a scalar, as the interpreter does
    rank = "x".join(map(str, shape)) + "x" if shape else ""
    idx = "[%c0]" if shape else "[]"
    path = tmp_path / "m.mlir"
    path.write_text(f"""
func.func @f(%m: memref<{rank}f64>, %x: f64) -> f64 {{
  %c0 = arith.constant 0 : index
  %v = memref.load %m{idx} : memref<{rank}f64>
  %r = arith.addf %v, %x : f64
  memref.store %r, %m{idx} : memref<{rank}f64>
  return %r : f64
}}""")
    np.save(tmp_path / "m.npy", np.full(shape, 2.5))
    outs = []
    for mode in ([], ["--interpret"]):
        out = subprocess.run([sys.executable, "-m", "irc.tools.main", "run", str(path), "--entry", "f",
                              "--arg", str(tmp_path / "m.npy"), "--arg", "1.0", *mode],
                             capture_output=True, text=True)
        assert out.returncode == 0, out.stderr
        outs.append(out.stdout)
    assert outs[0] == outs[1] and "3.5" in outs[0]
