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
"""

DRIVER = r"""
#include <stdio.h>
#include "prog.h"
int main(void) {
    double y, g;
    int64_t q, r, q0, r0;
    if (scale(1.5, 4, &y) != 0) return 3;
    if (f_grad(3.0, &g) != 0) return 4;
    if (divide(17, 5, &q, &r) != 0) return 5;
    int status = divide(1, 0, &q0, &r0);  /* division by zero: an error code, no trap */
    printf("%.17g %.17g %lld %lld %d\n", y, g, (long long)q, (long long)r, status);
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
    (tmp_path / "driver.c").write_text(DRIVER)
    exe = tmp_path / "driver"
    build = subprocess.run(["cc", "-o", str(exe), str(tmp_path / "driver.c"), str(obj), "-lm"],
                           capture_output=True, text=True, cwd=tmp_path)
    assert build.returncode == 0, build.stderr
    run = subprocess.run([str(exe)], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    y, g, q, r, status = run.stdout.split()
    assert float(y) == 6.0 and float(g) == 6.0 and (q, r) == ("3", "2") and int(status) > 0


def test_a_generated_derivative_is_exported_by_name(program, tmp_path):
    obj = tmp_path / "prog.o"
    # @square's ad.grad generates the private @square_grad; --export makes it a C function
    assert main(["translate", str(program), "--to-obj", "-o", str(obj), "--export=square_grad"]) == 0
    header = (tmp_path / "prog.h").read_text()
    assert "int32_t square_grad(double arg0, double *result0);" in header
    assert "square_vjp" not in header  # private, not asked for
