"""An object file whose code calls BLAS (a blas.gemm) links into a C program against
numpy's OpenBLAS, as its header says, and multiplies; with irc's own gemm kernel
(IRC_GEMM=kernel) it links against the C library alone."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from irc.tools.main import main

pytest.importorskip("llvmlite")

PROGRAM = """func.func @product(%a: memref<2x3xf64>, %b: memref<3x2xf64>, %c: memref<2x2xf64>) {
  linalg.matmul ins(%a, %b : memref<2x3xf64>, memref<3x2xf64>) outs(%c : memref<2x2xf64>)
  return
}
"""

DRIVER = r"""
#include <stdio.h>
#include "prog.h"
int main(void) {
    double a[6] = {1, 2, 3, 4, 5, 6}, b[6] = {1, 0, 0, 1, 1, 1}, c[4] = {10, 20, 30, 40};
    irc_memref_2d ma = {a, a, 0, {2, 3}, {3, 1}}, mb = {b, b, 0, {3, 2}, {2, 1}}, mc = {c, c, 0, {2, 2}, {2, 1}};
    int32_t status = product(&ma, &mb, &mc);
    printf("%d %g %g %g %g\n", status, c[0], c[1], c[2], c[3]);
    return 0;
}
"""


@pytest.mark.skipif(shutil.which("cc") is None, reason="needs a C compiler (cc)")
@pytest.mark.parametrize("gemm", ["blas", "kernel"])
def test_an_object_calling_blas_links_against_the_library_its_header_names(tmp_path, monkeypatch, gemm):
    from irc.backends.llvm.blas import find_blas

    monkeypatch.setenv("IRC_GEMM", gemm)
    lib = find_blas()
    if lib is None and gemm == "blas":
        pytest.skip("no BLAS (numpy's bundled OpenBLAS) on this machine")
    source = tmp_path / "prog.mlir"
    source.write_text(PROGRAM)
    assert main(["opt", str(source), "--convert-linalg-to-blas", "-o", str(tmp_path / "blas.mlir")]) == 0
    obj = tmp_path / "prog.o"
    assert main(["translate", str(tmp_path / "blas.mlir"), "--to-obj", "-o", str(obj)]) == 0
    header = (tmp_path / "prog.h").read_text()
    link = []
    if gemm == "blas":
        assert lib.symbols["dgemm"] in header and lib.path in header
        link = [lib.path, f"-Wl,-rpath,{lib.path.rsplit('/', 1)[0]}"]
    else:
        assert "BLAS" not in header
    (tmp_path / "driver.c").write_text(DRIVER)
    exe = tmp_path / "driver"
    build = subprocess.run(["cc", "-o", str(exe), str(tmp_path / "driver.c"), str(obj), *link, "-lm"],
                           capture_output=True, text=True, cwd=tmp_path)
    assert build.returncode == 0, build.stderr
    run = subprocess.run([str(exe)], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    # c += a @ b: [[1+3, 2+3], [4+6, 5+6]] added to [[10, 20], [30, 40]]
    assert run.stdout.split() == ["0", "14", "25", "40", "51"]
