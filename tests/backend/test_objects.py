"""Ahead-of-time output: `irc translate --to-llvm/--to-asm/--to-obj`, and an
object file linked into a C program built with `cc`."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from irc.tools.main import main

pytest.importorskip("llvmlite")

PROGRAM = """
func.func @scale(%x: f64, %k: i32) -> f64 {
  %kf = arith.sitofp %k : i32 to f64
  %y = arith.mulf %x, %kf : f64
  return %y : f64
}
func.func @square(%x: f64) -> f64 {
  %y = arith.mulf %x, %x : f64
  return %y : f64
}
func.func @f_grad(%x: f64) -> f64 {
  %g = ad.grad @square(%x) : (f64) -> f64
  return %g : f64
}
func.func @divide(%a: i64, %b: i64) -> (i64, i64) {
  %q = arith.divsi %a, %b : i64
  %r = arith.remsi %a, %b : i64
  return %q, %r : i64, i64
}
func.func @scaled(%m: memref<?x2xf64>, %k: f64) -> (memref<?x2xf64>, f64) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %zero = arith.constant 0.0 : f64
  %n = memref.dim %m, %c0 : memref<?x2xf64>
  %out = memref.alloc(%n) : memref<?x2xf64>
  %s = scf.for %i = %c0 to %n step %c1 iter_args(%acc = %zero) -> (f64) {
    %r = scf.for %j = %c0 to %c2 step %c1 iter_args(%a = %acc) -> (f64) {
      %x = memref.load %m[%i, %j] : memref<?x2xf64>
      %y = arith.mulf %x, %k : f64
      memref.store %y, %out[%i, %j] : memref<?x2xf64>
      %b = arith.addf %a, %y : f64
      scf.yield %b : f64
    }
    scf.yield %r : f64
  }
  return %out, %s : memref<?x2xf64>, f64
}
func.func @first(%m: memref<?x2xf64>) -> f64 {
  %c0 = arith.constant 0 : index
  %x = memref.load %m[%c0, %c0] : memref<?x2xf64>
  return %x : f64
}
"""

DRIVER = r"""
#include <stdio.h>
#include <stdlib.h>
#include "prog.h"
int main(void) {
    double y, g;
    int64_t q, r, q0, r0;
    if (scale(1.5, 4, &y) != 0) return 3;
    if (f_grad(3.0, &g) != 0) return 4;
    if (divide(17, 5, &q, &r) != 0) return 5;
    int status = divide(1, 0, &q0, &r0);  /* division by zero: an error code, no trap */
    printf("%.17g %.17g %lld %lld %d\n", y, g, (long long)q, (long long)r, status);
    /* a 3x2 array in MLIR's descriptor, through the status entry and MLIR's C interface */
    double data[6] = {1, 2, 3, 4, 5, 6};
    irc_memref_2d m = {data, data, 0, {3, 2}, {2, 1}};
    irc_memref_2d out;
    double sum;
    if (scaled(&m, 10.0, &out, &sum) != 0) return 6;
    printf("%g %g %lld %lld %g\n", ((double *)out.aligned)[5], sum, (long long)out.sizes[0],
           (long long)out.strides[0], _mlir_ciface_first(&m));
    scaled_results both;
    _mlir_ciface_scaled(&both, &m, 2.0);
    printf("%g %g\n", ((double *)both.r0.aligned)[0], both.r1);
    free(out.allocated);
    free(both.r0.allocated);
    return 0;
}
"""


@pytest.fixture
def program(tmp_path):
    path = tmp_path / "prog.mlir"
    path.write_text(PROGRAM)
    return path


def test_translate_to_llvm_prints_llvm_ir(program, capsys):
    assert main(["translate", str(program), "--to-llvm"]) == 0
    out = capsys.readouterr().out
    assert 'define i32 @"scale"(double' in out or "define i32 @scale(double" in out
    assert "_irc_fn_scale" in out


def test_translate_to_asm(program, capsys):
    assert main(["translate", str(program), "--to-asm"]) == 0
    assert "scale:" in capsys.readouterr().out


def test_export_of_an_unknown_function_is_an_error(program, tmp_path, capsys):
    assert main(["translate", str(program), "--to-obj", "-o", str(tmp_path / "x.o"), "--export=nope"]) == 1
    assert "--export=nope: no function '@nope'" in capsys.readouterr().err


@pytest.mark.skipif(shutil.which("cc") is None, reason="needs a C compiler (cc)")
def test_object_file_links_into_a_c_program(program, tmp_path):
    obj = tmp_path / "prog.o"
    assert main(["translate", str(program), "--to-obj", "-o", str(obj)]) == 0
    header = (tmp_path / "prog.h").read_text()
    assert "int32_t scale(double arg0, int32_t arg1, double *result0);" in header
    assert "int32_t divide(int64_t arg0, int64_t arg1, int64_t *result0, int64_t *result1);" in header
    assert "division by zero" in header  # the error codes are listed
    assert "int32_t scaled(irc_memref_2d *arg0, double arg1, irc_memref_2d *result0, double *result1);" in header
    assert "typedef struct { irc_memref_2d r0; double r1; } scaled_results;" in header
    assert "void _mlir_ciface_scaled(scaled_results *results, irc_memref_2d *arg0, double arg1);" in header
    assert "double _mlir_ciface_first(irc_memref_2d *arg0);" in header
    (tmp_path / "driver.c").write_text(DRIVER)
    exe = tmp_path / "driver"
    build = subprocess.run(["cc", "-o", str(exe), str(tmp_path / "driver.c"), str(obj), "-lm"],
                           capture_output=True, text=True, cwd=tmp_path)
    assert build.returncode == 0, build.stderr
    run = subprocess.run([str(exe)], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    scalars, arrays, ciface = run.stdout.splitlines()
    y, g, q, r, status = scalars.split()
    assert float(y) == 6.0 and float(g) == 6.0 and (q, r) == ("3", "2") and int(status) > 0
    assert arrays.split() == ["60", "210", "3", "2", "1"]  # out[2][1], the sum, sizes[0], strides[0], m[0][0]
    assert ciface.split() == ["2", "42"]


def test_a_generated_derivative_is_exported_by_name(program, tmp_path):
    obj = tmp_path / "prog.o"
    # @square's ad.grad generates the private @square_grad; --export makes it a C function
    assert main(["translate", str(program), "--to-obj", "-o", str(obj), "--export=square_grad"]) == 0
    header = (tmp_path / "prog.h").read_text()
    assert "int32_t square_grad(double arg0, double *result0);" in header
    assert "square_vjp" not in header  # private, not asked for
