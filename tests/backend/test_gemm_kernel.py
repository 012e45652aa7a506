"""irc's own gemm kernel (backends/llvm/gemm_kernel.py) computes what blas.gemm means,
``c += op(a) @ op(b)``, on every size (0, 1, remainders of the tile, K blocks), both
transposes, f32 and f64, batches, strided, offset and column-major views, within
K·eps·(|a||b| + |c|) of an extended-precision product; beta = 0 stores; a read-only
output is refused as on the CBLAS path; and IRC_GEMM picks the lowering."""

from __future__ import annotations

import ctypes

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import irc

pytest.importorskip("llvmlite")

DTYPES = {"f32": np.float32, "f64": np.float64}


def _reference(a, b, c, ta: bool, tb: bool):
    """c + op(a) @ op(b) in long double, and the error bound the kernel must meet:
    (K + 2)·eps·(|op(a)||op(b)| + |c|) elementwise (K fused multiply-adds, one addition)."""
    wide = np.longdouble
    opa = (a.swapaxes(-1, -2) if ta else a).astype(wide)
    opb = (b.swapaxes(-1, -2) if tb else b).astype(wide)
    k = opa.shape[-1]
    eps = np.finfo(c.dtype).eps
    want = c.astype(wide) + opa @ opb
    bound = (k + 2) * eps * (np.abs(opa) @ np.abs(opb) + np.abs(c).astype(wide)) + np.finfo(c.dtype).tiny
    return want, bound


def _check(got, want, bound, what=""):
    err = np.abs(got.astype(np.longdouble) - want)
    worst = np.unravel_index(np.argmax(err - bound), err.shape) if err.size else None
    assert (err <= bound).all(), f"{what}: error {err[worst]} > bound {bound[worst]} at {worst}"


def _operands(rng, m, n, k, ta, tb, dtype, batch=None):
    lead = () if batch is None else (batch,)
    shapes = (lead + ((k, m) if ta else (m, k)), lead + ((n, k) if tb else (k, n)), lead + (m, n))
    return tuple(rng.standard_normal(s).astype(dtype) for s in shapes)


def _gemm_function(ta: bool, tb: bool, dt: str, batch: bool = False, c_type: str = "") -> str:
    lead = "?x" if batch else ""
    mem = f"memref<{lead}?x?x{dt}>"
    flags = [f for f, on in (("transpose_a", ta), ("transpose_b", tb)) if on]
    attrs = f" {{{', '.join(flags)}}}" if flags else ""
    c_type = c_type or mem
    return f"""func.func @f(%a: {mem}, %b: {mem}, %c: {c_type}) {{
  blas.gemm %a, %b, %c{attrs} : {mem}, {mem}, {c_type}
  return
}}"""


def _compiled(text: str, monkeypatch, gemm: str = "kernel"):
    monkeypatch.setenv("IRC_GEMM", gemm)
    if gemm == "blas":
        from irc.backends.llvm.blas import find_blas

        if find_blas() is None:
            pytest.skip("no BLAS (numpy's bundled OpenBLAS) on this machine")
    return irc.compile(text, opt_level=3, disk_cache=False)


# -- through blas.gemm ------------------------------------------------------------------------


@settings(max_examples=60, deadline=None)
@given(m=st.integers(0, 70), n=st.integers(0, 70), k=st.integers(0, 70), ta=st.booleans(), tb=st.booleans(),
       dt=st.sampled_from(sorted(DTYPES)), seed=st.integers(0, 2**32 - 1))
def test_kernel_equals_the_product_on_every_small_size(m, n, k, ta, tb, dt, seed):
    with pytest.MonkeyPatch.context() as mp:
        fn = _compiled(_gemm_function(ta, tb, dt), mp).f
    a, b, c = _operands(np.random.default_rng(seed), m, n, k, ta, tb, DTYPES[dt])
    want, bound = _reference(a, b, c, ta, tb)
    fn(a, b, c)
    _check(c, want, bound, f"{m}x{n}x{k} ta={ta} tb={tb} {dt}")


LARGE = [(256, 64, 256), (256, 256, 64), (257, 129, 300), (1, 1000, 3), (1000, 1, 5), (3, 5, 1000), (64, 64, 64)]


@pytest.mark.parametrize("gemm", ["kernel", "blas", "auto"])
@pytest.mark.parametrize("m,n,k", LARGE, ids=["x".join(map(str, s)) for s in LARGE])
def test_large_and_skinny_products_with_either_lowering(m, n, k, gemm, monkeypatch):
    rng = np.random.default_rng(m * 7 + n * 3 + k)
    for ta, tb, dt in ((False, False, "f32"), (True, False, "f64"), (False, True, "f32"), (True, True, "f64")):
        fn = _compiled(_gemm_function(ta, tb, dt), monkeypatch, gemm).f
        a, b, c = _operands(rng, m, n, k, ta, tb, DTYPES[dt])
        want, bound = _reference(a, b, c, ta, tb)
        fn(a, b, c)
        _check(c, want, bound, f"{gemm} {m}x{n}x{k} ta={ta} tb={tb} {dt}")


@pytest.mark.parametrize("gemm", ["kernel", "blas", "auto"])
def test_a_batch_is_one_product_per_leading_index(gemm, monkeypatch):
    rng = np.random.default_rng(11)
    for ta, tb in ((False, False), (True, True), (False, True)):
        fn = _compiled(_gemm_function(ta, tb, "f32", batch=True), monkeypatch, gemm).f
        for batch, m, n, k in ((3, 9, 35, 17), (0, 4, 4, 4), (2, 0, 3, 3), (1, 1, 1, 1)):
            a, b, c = _operands(rng, m, n, k, ta, tb, np.float32, batch)
            want, bound = _reference(a, b, c, ta, tb)
            fn(a, b, c)
            _check(c, want, bound, f"batch {batch} {m}x{n}x{k}")


VIEWS = """func.func @f(%A: memref<40x50xDT>, %B: memref<40x50xDT>, %C: memref<40x50xDT>) {
  %a = memref.subview %A[3, 5] [M, K] [1, 1] : memref<40x50xDT> to memref<MxKxDT, strided<[50, 1], offset: 155>>
  %b = memref.subview %B[1, 2] [K, N] [1, 1] : memref<40x50xDT> to memref<KxNxDT, strided<[50, 1], offset: 52>>
  %c = memref.reinterpret_cast %C to offset: [7], sizes: [M, N], strides: [1, 41]
      : memref<40x50xDT> to memref<MxNxDT, strided<[1, 41], offset: 7>>
  blas.gemm %a, %b, %c : memref<MxKxDT, strided<[50, 1], offset: 155>>, memref<KxNxDT, strided<[50, 1], offset: 52>>,
      memref<MxNxDT, strided<[1, 41], offset: 7>>
  return
}"""


@pytest.mark.parametrize("gemm", ["kernel", "blas", "auto"])
@pytest.mark.parametrize("dt", ["f32", "f64"])
@pytest.mark.parametrize("m,n,k", [(33, 40, 20), (9, 1, 31), (1, 17, 2), (36, 45, 35)])
def test_offset_views_and_a_column_major_output(m, n, k, dt, gemm, monkeypatch):
    """Operands that are subviews (offsets, leading dimension 50) and an output stored column by
    column (leading dimension 41) inside bigger buffers; nothing outside the views changes."""
    text = VIEWS.replace("DT", dt).replace("M", str(m)).replace("N", str(n)).replace("K", str(k))
    fn = _compiled(text, monkeypatch, gemm).f
    rng = np.random.default_rng(m + n + k)
    A, B, C = (rng.standard_normal((40, 50)).astype(DTYPES[dt]) for _ in range(3))
    a, b = A[3:3 + m, 5:5 + k], B[1:1 + k, 2:2 + n]
    flat = C.reshape(-1)
    c = np.lib.stride_tricks.as_strided(flat[7:], (m, n), (C.itemsize, 41 * C.itemsize))
    want, bound = _reference(a, b, c.copy(), False, False)
    outside = C.copy()
    np.lib.stride_tricks.as_strided(outside.reshape(-1)[7:], (m, n), (C.itemsize, 41 * C.itemsize))[...] = 0
    fn(A, B, C)
    c = np.lib.stride_tricks.as_strided(C.reshape(-1)[7:], (m, n), (C.itemsize, 41 * C.itemsize)).copy()
    _check(c, want, bound, f"views {m}x{n}x{k} {dt}")
    np.lib.stride_tricks.as_strided(C.reshape(-1)[7:], (m, n), (C.itemsize, 41 * C.itemsize))[...] = 0
    np.testing.assert_array_equal(C, outside)


def test_transposed_numpy_views_pass_through_their_strides(monkeypatch):
    """A column-major a (numpy's a.T) and b with a leading dimension past its width."""
    text = """func.func @f(%a: memref<30x20xf64, strided<[1, 31]>>, %b: memref<20x10xf64, strided<[16, 1]>>,
             %c: memref<30x10xf64>) {
  blas.gemm %a, %b, %c : memref<30x20xf64, strided<[1, 31]>>, memref<20x10xf64, strided<[16, 1]>>, memref<30x10xf64>
  return
}"""
    fn = _compiled(text, monkeypatch).f
    rng = np.random.default_rng(2)
    a = rng.standard_normal((20, 31)).T[:30]
    b = rng.standard_normal((20, 16))[:, :10]
    c = rng.standard_normal((30, 10))
    want, bound = _reference(a, b, c, False, False)
    fn(a, b, c)
    _check(c, want, bound, "numpy views")


def test_a_constant_output_is_refused_as_the_interpreter_refuses_it(monkeypatch):
    text = """memref.global "private" constant @table : memref<2x2xf32> = dense<[[1.0, 2.0], [3.0, 4.0]]>
func.func @f(%a: memref<2x2xf32>, %b: memref<2x2xf32>) -> memref<2x2xf32> {
  %c = memref.get_global @table : memref<2x2xf32>
  blas.gemm %a, %b, %c : memref<2x2xf32>, memref<2x2xf32>, memref<2x2xf32>
  return %c : memref<2x2xf32>
}"""
    from irc.interpreter import InterpreterError

    fn = _compiled(text, monkeypatch).f
    with pytest.raises(InterpreterError, match="writes to a constant 'memref.global'"):
        fn(np.ones((2, 2), np.float32), np.ones((2, 2), np.float32))


def test_irc_gemm_chooses_the_lowering(monkeypatch):
    from irc.backends.llvm import jit
    from irc.backends.llvm.blas import find_blas
    from irc.diagnostics import DiagnosticError

    text = _gemm_function(False, False, "f64")
    monkeypatch.setenv("IRC_GEMM", "kernel")
    kernel_ir = jit.llvm_ir(text)
    assert "_irc_gemm_f64_" in kernel_ir and "cblas" not in kernel_ir
    lib = find_blas()
    if lib is not None:
        monkeypatch.setenv("IRC_GEMM", "blas")
        blas_ir = jit.llvm_ir(text)
        assert lib.symbols["dgemm"] in blas_ir and "_irc_gemm_" not in blas_ir
    monkeypatch.setenv("IRC_GEMM", "fastest")
    with pytest.raises(DiagnosticError, match="IRC_GEMM='fastest'.*expected one of auto, kernel, blas"):
        jit.llvm_ir(text)
    monkeypatch.setenv("IRC_GEMM", "kernel")
    monkeypatch.setenv("IRC_GEMM_TILE", "8by2")
    with pytest.raises(DiagnosticError, match="IRC_GEMM_TILE='8by2'.*expected ROWSxVECTORS"):
        jit.llvm_ir(text)


def test_auto_takes_the_kernel_where_it_measured_faster(monkeypatch):
    """The rule of docs/backend.md: with AVX-512 the kernel except for the thinnest products,
    and only up to 256^3 where OpenBLAS runs AVX-512 kernels too; never without AVX-512."""
    from irc.backends.llvm import blas, gemm_kernel

    lib = blas.BlasLibrary("libopenblas.so", {"sgemm": "cblas_sgemm"}, 32)
    monkeypatch.setenv("IRC_GEMM", "auto")
    monkeypatch.setattr(blas, "load_blas", lambda: lib)
    monkeypatch.setattr(gemm_kernel, "host_vector_bits", lambda: 512)
    monkeypatch.setattr(blas.BlasLibrary, "core", lambda self: "Haswell")
    assert blas.kernel_rule(32) == blas.kernel_rule(64) == blas.KernelRule(min_n=4, min_k=16)
    monkeypatch.setattr(blas.BlasLibrary, "core", lambda self: "SkylakeX")
    assert blas.kernel_rule(32) == blas.KernelRule(min_n=8, min_k=64, max_volume=256 ** 3)
    monkeypatch.setattr(gemm_kernel, "host_vector_bits", lambda: 256)
    assert blas.kernel_rule(32) is None
    monkeypatch.setenv("IRC_GEMM", "kernel")
    assert blas.kernel_rule(32).always()
    monkeypatch.setenv("IRC_GEMM", "auto")
    monkeypatch.setattr(blas, "load_blas", lambda: None)
    assert blas.kernel_rule(64).always()


def test_the_choice_is_part_of_the_cache_key(monkeypatch):
    from irc.backends.llvm import blas

    keys = set()
    for choice in ("kernel", "blas"):
        monkeypatch.setenv("IRC_GEMM", choice)
        keys.add(blas.lowering_tag())
    assert len(keys) == 2


# -- the kernel function itself: other tiles, K blocks, beta = 0 --------------------------------


def _kernel(dtype, shape, accumulate):
    """The kernel alone, JIT-compiled, as a ctypes function taking numpy views."""
    import llvmlite.binding as llvm

    from irc.backends.llvm.gemm_kernel import gemm_kernel
    from irc.backends.llvm.jit import _llvm, host_target_machine, optimize
    from irc.backends.llvm.translation import ModuleTranslation

    import llvmlite.ir as ll

    mt = ModuleTranslation(irc.parse_module(""))
    fn = gemm_kernel(mt, ll.FloatType() if dtype == np.float32 else ll.DoubleType(), shape, accumulate)
    fn.linkage = "external"
    _llvm()
    mod = llvm.parse_assembly(str(mt.module))
    mod.verify()
    tm = host_target_machine(2)
    optimize(mod, tm, 2)
    engine = llvm.create_mcjit_compiler(mod, tm)
    engine.finalize_object()
    i, p = ctypes.c_int64, ctypes.c_void_p
    raw = ctypes.CFUNCTYPE(None, i, i, i, p, i, i, p, i, i, p, i)(engine.get_function_address(fn.name))

    def call(opa, opb, c):
        e = c.itemsize
        assert c.strides[1] == e or c.size == 0
        raw(opa.shape[0], opb.shape[1], opa.shape[1], opa.ctypes.data, opa.strides[0] // e, opa.strides[1] // e,
            opb.ctypes.data, opb.strides[0] // e, opb.strides[1] // e, c.ctypes.data, c.strides[0] // e)

    call.engine = engine  # keeps the code alive
    return call


@pytest.mark.parametrize("accumulate", [True, False], ids=["beta1", "beta0"])
@pytest.mark.parametrize("rows,vectors,lanes", [(8, 2, 16), (6, 2, 8), (5, 3, 4), (3, 1, 2), (1, 1, 4)])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_any_tile_and_k_block_gives_the_product(rows, vectors, lanes, accumulate, dtype):
    """Tiles of every kind (odd rows, one vector, narrow lanes) with a K block of 8 and an M
    block of 2 tiles and a row, so that K and M blocks, M and N remainders and the packed
    panel all run; beta = 0 overwrites NaN."""
    from irc.backends.llvm.gemm_kernel import TileShape

    call = _kernel(dtype, TileShape(rows, vectors, lanes, 8, 2 * rows + 1), accumulate)
    rng = np.random.default_rng(rows * 100 + vectors * 10 + lanes)
    for m, n, k in ((0, 5, 5), (5, 0, 5), (7, 9, 0), (1, 1, 1), (rows + 1, vectors * lanes + 1, 17),
                    (3 * rows - 1, 2 * vectors * lanes - 1, 24), (37, 41, 9)):
        for ta, tb in ((False, False), (True, False), (False, True), (True, True)):
            a, b, c = _operands(rng, m, n, k, ta, tb, dtype)
            wide = np.pad(c, ((0, 0), (0, 3)), constant_values=7.0)  # a leading dimension past the width
            c = wide[:, :n]
            start = c.copy()
            if not accumulate:
                c[...] = np.nan
            call(a.T if ta else a, b.T if tb else b, c)
            want, bound = _reference(a, b, start if accumulate else np.zeros_like(start), ta, tb)
            what = f"tile {rows}x{vectors}x{lanes} {m}x{n}x{k} ta={ta} tb={tb}"
            _check(c, want, bound, what)
            assert (wide[:, n:] == 7.0).all(), f"{what}: wrote past the last column"


def test_the_sweep_measures_both_lowerings_and_reads_as_a_table():
    from irc.tools import bench_gemm

    result = bench_gemm.run_gemm_sweep(budget_s=0.01, cases=[("tiny", 5, 3, 4, True, False, "f64")])
    rows = result["cases"][0]["rows"]
    assert rows["kernel"]["max_abs_error"] < 1e-12 and rows["numpy"]["gflops"] > 0
    assert all(row["max_abs_error"] < 1e-12 for name, row in rows.items() if name != "numpy")
    table = bench_gemm.format_sweep(result)
    assert "tiny" in table and "5x3x4ᵀa" in table and result["cases"][0]["fastest"] in table
