"""`--convert-linalg-to-blas` keeps the meaning: every matmul-like form (transposed
operands and output, batches, gemv both ways, dot, strided and column-major
layouts, f32 and f64, size-1 dimensions) gives the buffers the loops
give, in the interpreter and compiled against numpy's OpenBLAS; without a BLAS
the JIT compiles the blas ops as loops and says so."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

import irc
from irc.interpreter import Interpreter
from irc.passes import run_pipeline

LETTERS = {"m": "d0", "n": "d1", "k": "d2"}


def _map(dims: str) -> str:
    return f"affine_map<(d0, d1, d2) -> ({', '.join(LETTERS[d] for d in dims)})>"


def gemm_program(a: str, b: str, c: str, sizes, dtype: str, layouts=("", "", "")) -> str:
    """C(c) += A(a) * B(b) as linalg.contract; `a` names A's dims in storage order ("mk" or "km")."""
    def mtype(dims, layout):
        return f"memref<{'x'.join(str(sizes[d]) for d in dims)}x{dtype}{layout}>"

    ta, tb, tc = (mtype(d, lay) for d, lay in zip((a, b, c), layouts))
    return f"""func.func @f(%a: {ta}, %b: {tb}, %c: {tc}) {{
  linalg.contract indexing_maps = [{_map(a)}, {_map(b)}, {_map(c)}] ins(%a, %b : {ta}, {tb}) outs(%c : {tc})
  return
}}"""


def _through(text: str, pipeline: str):
    module = irc.parse_module(text)
    run_pipeline(module, pipeline)
    return module


def _compile(module):
    pytest.importorskip("llvmlite")
    from irc.backends.llvm.blas import find_blas

    if find_blas() is None:
        pytest.skip("no BLAS (numpy's bundled OpenBLAS) on this machine")
    return irc.compile(module, opt_level=2, disk_cache=False)


def _agree(text: str, args, rtol: float, compiled: bool = True, expect_blas: bool = True):
    """The function run on loops, on blas ops interpreted and on blas ops compiled: same buffers."""
    loops = _through(text, "convert-linalg-to-loops")
    blas = _through(text, "convert-linalg-to-blas,convert-linalg-to-loops")
    assert ("blas." in irc.print_op(blas)) == expect_blas
    want = [np.array(x, copy=True) for x in args]
    Interpreter(loops).call("f", want)
    runs = [("interpreted", lambda xs: Interpreter(blas).call("f", xs))]
    if compiled:
        runs.append(("compiled", lambda xs: _compile(blas).f(*xs)))
    for label, run in runs:
        got = [np.array(x, copy=True) for x in args]
        run(got)
        for g, w in zip(got, want):
            np.testing.assert_allclose(g, w, rtol=rtol, atol=rtol, err_msg=label)


FORMS = list(itertools.product(("mk", "km"), ("kn", "nk"), ("mn", "nm")))


@pytest.mark.parametrize("dtype", ["f32", "f64"])
@pytest.mark.parametrize("a,b,c", FORMS, ids=["-".join(f) for f in FORMS])
def test_every_transposed_gemm_equals_its_loops(a, b, c, dtype):
    rng = np.random.default_rng(abs(hash((a, b, c, dtype))) % 2**32)
    np_type = np.float32 if dtype == "f32" else np.float64
    for sizes in ({"m": 1, "n": 1, "k": 1}, {"m": 1, "n": 4, "k": 3}, {"m": 5, "n": 1, "k": 2},
                  {"m": 3, "n": 2, "k": 1}, dict(zip("mnk", rng.integers(1, 9, 3)))):
        args = [rng.standard_normal([sizes[d] for d in dims]).astype(np_type) for dims in (a, b, c)]
        _agree(gemm_program(a, b, c, sizes, dtype), args, 1e-5 if dtype == "f32" else 1e-12)


NAMED = {
    "batch_matmul": ("""func.func @f(%a: memref<3x4x5xf32>, %b: memref<3x5x2xf32>, %c: memref<3x4x2xf32>) {
  linalg.batch_matmul ins(%a, %b : memref<3x4x5xf32>, memref<3x5x2xf32>) outs(%c : memref<3x4x2xf32>)
  return
}""", [(3, 4, 5), (3, 5, 2), (3, 4, 2)]),
    "matvec": ("""func.func @f(%a: memref<4x5xf64>, %x: memref<5xf64>, %y: memref<4xf64>) {
  linalg.matvec ins(%a, %x : memref<4x5xf64>, memref<5xf64>) outs(%y : memref<4xf64>)
  return
}""", [(4, 5), (5,), (4,)]),
    "vecmat": ("""func.func @f(%x: memref<4xf32>, %a: memref<4x5xf32>, %y: memref<5xf32>) {
  linalg.vecmat ins(%x, %a : memref<4xf32>, memref<4x5xf32>) outs(%y : memref<5xf32>)
  return
}""", [(4,), (4, 5), (5,)]),
    "dot": ("""func.func @f(%x: memref<7xf64>, %y: memref<7xf64>, %s: memref<f64>) {
  linalg.dot ins(%x, %y : memref<7xf64>, memref<7xf64>) outs(%s : memref<f64>)
  return
}""", [(7,), (7,), ()]),
    "dynamic_sizes": ("""func.func @f(%a: memref<?x?xf64>, %b: memref<?x?xf64>, %c: memref<?x?xf64>) {
  linalg.matmul ins(%a, %b : memref<?x?xf64>, memref<?x?xf64>) outs(%c : memref<?x?xf64>)
  return
}""", [(3, 1), (1, 6), (3, 6)]),
}


@pytest.mark.parametrize("name", list(NAMED))
def test_named_products_equal_their_loops(name):
    text, shapes = NAMED[name]
    rng = np.random.default_rng(7)
    dtype = np.float32 if "f32" in text else np.float64
    _agree(text, [rng.standard_normal(s).astype(dtype) for s in shapes], 1e-5)


def test_strided_and_column_major_operands():
    """A with row stride 8 (a view into wider rows), a column-major B, a vector of stride 2."""
    text = """func.func @f(%a: memref<4x5xf32, strided<[8, 1]>>, %b: memref<5x3xf32, strided<[1, 7]>>,
             %c: memref<4x3xf32>, %x: memref<5xf32, strided<[2]>>, %y: memref<4xf32>) {
  linalg.matmul ins(%a, %b : memref<4x5xf32, strided<[8, 1]>>, memref<5x3xf32, strided<[1, 7]>>)
                outs(%c : memref<4x3xf32>)
  linalg.matvec ins(%a, %x : memref<4x5xf32, strided<[8, 1]>>, memref<5xf32, strided<[2]>>) outs(%y : memref<4xf32>)
  return
}"""
    rng = np.random.default_rng(3)
    a = rng.standard_normal((4, 8)).astype(np.float32)[:, :5]
    b = rng.standard_normal((3, 7)).astype(np.float32).T[:5]
    x = rng.standard_normal(10).astype(np.float32)[::2]
    want_c, want_y = a @ b, 1 + a @ x
    blas = _through(text, "convert-linalg-to-blas")
    assert irc.print_op(blas).count("blas.") == 2
    for run in (lambda *v: Interpreter(blas).call("f", list(v)), lambda *v: _compile(blas).f(*v)):
        c, y = np.zeros((4, 3), np.float32), np.ones(4, np.float32)
        run(a, b, c, x, y)
        np.testing.assert_allclose(c, want_c, rtol=1e-5, atol=1e-6)
        np.testing.assert_allclose(y, want_y, rtol=1e-5, atol=1e-6)


def test_ops_blas_cannot_do_stay_loops_and_still_agree():
    text = """func.func @f(%a: memref<3x4xi32>, %b: memref<4x2xi32>, %c: memref<3x2xi32>) {
  linalg.matmul ins(%a, %b : memref<3x4xi32>, memref<4x2xi32>) outs(%c : memref<3x2xi32>)
  return
}"""
    args = [np.arange(12, dtype=np.int32).reshape(3, 4), np.ones((4, 2), np.int32), np.zeros((3, 2), np.int32)]
    _agree(text, args, 0, compiled=False, expect_blas=False)


def test_without_a_blas_gemm_is_irc_kernel_and_gemv_loops_with_a_note(monkeypatch, capfd):
    pytest.importorskip("llvmlite")
    from irc.backends.llvm import jit

    monkeypatch.setenv("IRC_NO_BLAS", "1")
    rng = np.random.default_rng(5)
    for name, note in (("batch_matmul", False), ("matvec", True)):
        text, shapes = NAMED[name]
        module = _through(text, "convert-linalg-to-blas")
        dtype = np.float32 if "f32" in text else np.float64
        a, b, c = (rng.standard_normal(s).astype(dtype) for s in shapes)
        want = c + a @ b
        irc.compile(module, opt_level=2, disk_cache=False).f(a, b, c)
        np.testing.assert_allclose(c, want, rtol=1e-5)
        assert ("no BLAS found" in capfd.readouterr().err) == note, name
        assert "blas." in irc.print_op(module)  # the caller's module is left as it was
        assert ("_irc_gemm_" in jit.llvm_ir(module)) == (name == "batch_matmul")


def test_compile_lowers_linalg_on_buffers_itself(monkeypatch):
    """irc.compile takes linalg ops on buffers: products through BLAS, the rest as loops."""
    pytest.importorskip("llvmlite")
    monkeypatch.setenv("IRC_GEMM", "blas")
    text = """func.func @f(%a: memref<4x5xf64>, %b: memref<5x3xf64>, %c: memref<4x3xf64>) {
  linalg.matmul ins(%a, %b : memref<4x5xf64>, memref<5x3xf64>) outs(%c : memref<4x3xf64>)
  linalg.tanh ins(%c : memref<4x3xf64>) outs(%c : memref<4x3xf64>)
  return
}"""
    from irc.backends.llvm import jit

    rng = np.random.default_rng(9)
    a, b, c = rng.standard_normal((4, 5)), rng.standard_normal((5, 3)), rng.standard_normal((4, 3))
    want = np.tanh(c + a @ b)
    jit.compile(text, opt_level=2, disk_cache=False).f(a, b, c)
    np.testing.assert_allclose(c, want, rtol=1e-12)
    from irc.backends.llvm.blas import find_blas

    lib = find_blas()
    if lib is not None:
        assert lib.symbols["dgemm"] in jit.llvm_ir(text)
