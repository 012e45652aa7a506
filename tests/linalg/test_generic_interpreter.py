"""linalg.generic in the interpreter: whole-array evaluation (sum, max and general
reductions, strided gathers, scatter-adds, buffers written in place) agrees with
numpy, and with the per-element path it falls back to."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import irc
from irc.diagnostics import DiagnosticError
from irc.interpreter import Interpreter

HERE = Path(__file__).parent


def run(text: str, name: str, *args):
    interp = Interpreter(irc.parse_module(text))
    return interp.call(name, list(args)), interp


def generic(maps, iterators, ins, outs, body, results=True, args="%x: f64, %y: f64, %acc: f64"):
    ins_t = ", ".join(t for _, t in ins)
    outs_t = ", ".join(t for _, t in outs)
    res = (" -> " + (outs_t if len(outs) == 1 else f"({outs_t})")) if results else ""
    its = ", ".join(f'"{i}"' for i in iterators)
    ins_part = f"ins({', '.join(v for v, _ in ins)} : {ins_t}) " if ins else ""
    return (f"linalg.generic {{indexing_maps = [{', '.join(maps)}], iterator_types = [{its}]}} "
            f"{ins_part}outs({', '.join(v for v, _ in outs)} : {outs_t}) {{\n"
            f"  ^bb0({args}):\n{body}\n  }}{res}")


MATMUL = ["affine_map<(i, j, k) -> (i, k)>", "affine_map<(i, j, k) -> (k, j)>", "affine_map<(i, j, k) -> (i, j)>"]


def matmul_program(body: str) -> str:
    op = generic(MATMUL, ["parallel", "parallel", "reduction"],
                 [("%a", "tensor<?x?xf64>"), ("%b", "tensor<?x?xf64>")], [("%c", "tensor<?x?xf64>")], body)
    return f"""func.func @f(%a: tensor<?x?xf64>, %b: tensor<?x?xf64>, %c: tensor<?x?xf64>) -> tensor<?x?xf64> {{
  %r = {op}
  return %r : tensor<?x?xf64>
}}"""


SUM_BODY = """    %p = arith.mulf %x, %y : f64
    %s = arith.addf %acc, %p : f64
    linalg.yield %s : f64"""
# not a plain combiner: acc is scaled, so the fold runs point by point along k
GENERAL_BODY = """    %p = arith.mulf %x, %y : f64
    %h = arith.constant 0.5 : f64
    %q = arith.mulf %acc, %h : f64
    %s = arith.addf %q, %p : f64
    linalg.yield %s : f64"""
# scf.if in the body: numpy cannot run it, so it runs per element
PER_ELEMENT_BODY = """    %p = arith.mulf %x, %y : f64
    %z = arith.constant 0.0 : f64
    %pos = arith.cmpf ogt, %p, %z : f64
    %v = scf.if %pos -> (f64) {
      scf.yield %p : f64
    } else {
      scf.yield %z : f64
    }
    %s = arith.addf %acc, %v : f64
    linalg.yield %s : f64"""


def reference_general(a, b, c):
    out = c.copy()
    for k in range(a.shape[1]):
        out = out * 0.5 + np.outer(a[:, k], b[k, :])
    return out


@pytest.mark.parametrize("shape", [(3, 4, 5), (1, 1, 1), (4, 1, 3), (2, 6, 1)])
def test_matmul_bodies_agree_with_numpy(shape):
    m, k, n = shape
    rng = np.random.default_rng(sum(shape))
    a, b, c = rng.normal(size=(m, k)), rng.normal(size=(k, n)), rng.normal(size=(m, n))
    (r,), interp = run(matmul_program(SUM_BODY), "f", a, b, c)
    np.testing.assert_allclose(r, c + a @ b, rtol=1e-12)
    (r,), _ = run(matmul_program(GENERAL_BODY), "f", a, b, c)
    np.testing.assert_allclose(r, reference_general(a, b, c), rtol=1e-12)
    (r,), _ = run(matmul_program(PER_ELEMENT_BODY), "f", a, b, c)
    want = c + np.einsum("ik,kj->ij", a, b, optimize=False) * 0 + np.maximum(a[:, :, None] * b[None], 0).sum(1)
    np.testing.assert_allclose(r, want, rtol=1e-12)


def test_the_sum_body_runs_once_not_once_per_element():
    a, b, c = np.ones((8, 9)), np.ones((9, 10)), np.zeros((8, 10))
    _, interp = run(matmul_program(SUM_BODY), "f", a, b, c)
    assert interp.steps < 10  # the function's ops plus the body's three, once


def test_tensor_operands_are_never_changed():
    a, b, c = np.ones((2, 3)), np.ones((3, 2)), np.zeros((2, 2))
    run(matmul_program(SUM_BODY), "f", a, b, c)
    assert not c.any()


STRIDED = """func.func @f(%x: tensor<9xf64>, %w: tensor<3xf64>, %s: tensor<4xf64>, %m: tensor<4xf64>) -> (tensor<4xf64>, tensor<4xf64>) {
  %r:2 = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0 * 2 + d1)>, affine_map<(d0, d1) -> (d1)>, affine_map<(d0, d1) -> (d0)>, affine_map<(d0, d1) -> (d0)>], iterator_types = ["parallel", "reduction"]}
      ins(%x, %w : tensor<9xf64>, tensor<3xf64>) outs(%s, %m : tensor<4xf64>, tensor<4xf64>) {
  ^bb0(%a: f64, %b: f64, %acc: f64, %big: f64):
    %p = arith.mulf %a, %b : f64
    %t = arith.addf %acc, %p : f64
    %u = arith.maximumf %big, %a : f64
    linalg.yield %t, %u : f64, f64
  } -> (tensor<4xf64>, tensor<4xf64>)
  return %r#0, %r#1 : tensor<4xf64>, tensor<4xf64>
}"""


def test_a_strided_window_sums_and_maxes():
    rng = np.random.default_rng(0)
    x, w, s, m = rng.normal(size=9), rng.normal(size=3), rng.normal(size=4), np.full(4, -np.inf)
    (total, big), _ = run(STRIDED, "f", x, w, s, m)
    windows = np.stack([x[2 * i:2 * i + 3] for i in range(4)])
    np.testing.assert_allclose(total, s + windows @ w, rtol=1e-12)
    np.testing.assert_allclose(big, windows.max(1))


SCATTER = """func.func @f(%g: tensor<4xf64>, %w: tensor<3xf64>, %dx: tensor<9xf64>) -> tensor<9xf64> {
  %r = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0)>, affine_map<(d0, d1) -> (d1)>, affine_map<(d0, d1) -> (d0 * 2 + d1)>], iterator_types = ["parallel", "parallel"]}
      ins(%g, %w : tensor<4xf64>, tensor<3xf64>) outs(%dx : tensor<9xf64>) {
  ^bb0(%a: f64, %b: f64, %acc: f64):
    %p = arith.mulf %a, %b : f64
    %t = arith.addf %acc, %p : f64
    linalg.yield %t : f64
  } -> tensor<9xf64>
  return %r : tensor<9xf64>
}"""


def test_an_output_map_that_is_not_injective_accumulates_like_loops():
    rng = np.random.default_rng(1)
    g, w, dx = rng.normal(size=4), rng.normal(size=3), rng.normal(size=9)
    (r,), _ = run(SCATTER, "f", g, w, dx)
    want = dx.copy()
    for i in range(4):
        for k in range(3):
            want[2 * i + k] += g[i] * w[k]
    np.testing.assert_allclose(r, want, rtol=1e-12)


IOTA = """func.func @f(%m: memref<3x5xi64>) {
  linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d1, d0)>], iterator_types = ["parallel", "parallel"]} outs(%m : memref<3x5xi64>) {
  ^bb0(%out: i64):
    %i = linalg.index 0 : index
    %j = linalg.index 1 : index
    %c10 = arith.constant 10 : index
    %t = arith.muli %j, %c10 : index
    %s = arith.addi %t, %i : index
    %v = arith.index_cast %s : index to i64
    linalg.yield %v : i64
  }
  return
}"""


def test_a_buffer_output_is_written_in_place_with_the_loop_indices():
    m = np.zeros((3, 5), dtype=np.int64)
    run(IOTA, "f", m)
    assert m.tolist() == [[10 * j + i for i in range(5)] for j in range(3)]


def test_a_mismatched_dynamic_size_is_a_runtime_error_naming_the_op():
    with pytest.raises(DiagnosticError, match="'linalg.generic' op operand #1 has size 4 in dimension 0"):
        run(matmul_program(SUM_BODY), "f", np.ones((2, 3)), np.ones((4, 2)), np.ones((2, 2)))


def test_a_strided_read_past_the_end_is_a_runtime_error():
    text = STRIDED.replace("tensor<9xf64>", "tensor<?xf64>")
    with pytest.raises(DiagnosticError, match="indexing map #0 reaches index 8 in dimension 0 of operand #0, whose size is 7"):
        run(text, "f", np.ones(7), np.ones(3), np.ones(4), np.ones(4))
