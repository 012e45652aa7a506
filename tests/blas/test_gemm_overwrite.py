"""A gemm marked ``overwrite`` (beta = 0, what --convert-linalg-to-blas makes of a product
into a buffer just set to zero) gives what the fill and the accumulating loops give:
interpreted, compiled through irc's kernel and through OpenBLAS, for every size including
an empty inner dimension (c must come back zero), and back through --convert-blas-to-linalg."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import irc
from irc.interpreter import Interpreter
from irc.passes import run_pipeline

SOURCE = (Path(__file__).parent / "gemm_overwrite.mlir").read_text()


def _module(pipeline: str):
    module = irc.parse_module(SOURCE)
    run_pipeline(module, pipeline)
    return module


def _reference(name, args):
    return Interpreter(_module("convert-linalg-to-loops")).call(name, list(args))


@pytest.mark.parametrize("m,n,k", [(4, 3, 5), (1, 1, 1), (7, 9, 0), (0, 3, 2), (33, 17, 65)])
def test_overwrite_equals_fill_and_accumulate(m, n, k, monkeypatch):
    rng = np.random.default_rng(m * 100 + n * 10 + k)
    a, b = rng.standard_normal((m, k)), rng.standard_normal((k, n))
    blas = _module("convert-linalg-to-blas")
    assert irc.print_op(blas).count("{overwrite}") == 5
    want = _reference("loops_and_a_copy", [a, b, m, n])
    np.testing.assert_allclose(want[0], a @ b, atol=1e-12)
    runs = {"interpreted": lambda: Interpreter(blas).call("loops_and_a_copy", [a, b, m, n]),
            "back to linalg": lambda: Interpreter(_module("convert-linalg-to-blas,convert-blas-to-linalg,"
                                                          "convert-linalg-to-loops")).call(
                "loops_and_a_copy", [a, b, m, n])}
    pytest.importorskip("llvmlite")
    from irc.backends.llvm import jit

    for choice in ("kernel", "blas"):
        def compiled(choice=choice):
            monkeypatch.setenv("IRC_GEMM", choice)
            jit.clear_memory_cache()
            return list(irc.compile(_module("convert-linalg-to-blas"), opt_level=2, disk_cache=False)
                        .loops_and_a_copy(a, b, m, n))
        runs[f"compiled ({choice})"] = compiled
    for label, run in runs.items():
        for got, expected in zip(run(), want):
            np.testing.assert_allclose(got, expected, rtol=1e-12, atol=1e-12, err_msg=label)


def test_static_f32_overwrite_compiled_matches_numpy(monkeypatch):
    pytest.importorskip("llvmlite")
    from irc.backends.llvm import jit

    rng = np.random.default_rng(1)
    a, b = rng.standard_normal((4, 5)).astype(np.float32), rng.standard_normal((5, 3)).astype(np.float32)
    for choice in ("kernel", "blas"):
        monkeypatch.setenv("IRC_GEMM", choice)
        jit.clear_memory_cache()
        compiled = irc.compile(_module("convert-linalg-to-blas"), opt_level=2, disk_cache=False)
        np.testing.assert_allclose(compiled.fill_then_product(a, b), a @ b, rtol=1e-5, err_msg=choice)


def test_empty_arrays_with_any_strides_are_accepted_and_reach_blas_with_valid_ones(monkeypatch):
    """numpy gives empty arrays arbitrary strides (often 0): no element is addressed, so the
    interpreter and the JIT take them, and the compiled code sees the type's own strides
    (OpenBLAS refuses a leading dimension below the row length even for empty matrices)."""
    pytest.importorskip("llvmlite")
    from numpy.lib.stride_tricks import as_strided

    from irc.backends.llvm import jit

    a = as_strided(np.empty(1), shape=(7, 0), strides=(0, 0))
    b = as_strided(np.empty(1), shape=(0, 9), strides=(0, 0))
    want = _reference("loops_and_a_copy", [a, b, 7, 9])
    assert all(np.array_equal(w, np.zeros((7, 9))) for w in want)
    monkeypatch.setenv("IRC_GEMM", "blas")
    jit.clear_memory_cache()
    got = irc.compile(_module("convert-linalg-to-blas"), opt_level=2, disk_cache=False).loops_and_a_copy(a, b, 7, 9)
    assert all(np.array_equal(g, np.zeros((7, 9))) for g in got)
