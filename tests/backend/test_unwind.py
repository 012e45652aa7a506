"""Compiled failure paths: a call that fails (an allocation that returns NULL unwinds to
its entry) frees what it allocated, and MLIR's C interface (`_mlir_ciface_`) unwinds too,
its status and message read back by a C program through `<module>_last_error()`."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest

from irc.tools.main import main

pytest.importorskip("llvmlite")

HUGE = 1 << 61  # elements of f64: a byte count past 2^62, which malloc is never asked for

PROGRAM = """
func.func @fill(%n: index) -> f64 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %x = arith.constant 1.5 : f64
  %b = memref.alloc(%n) : memref<?xf64>
  scf.for %i = %c0 to %n step %c1 {
    memref.store %x, %b[%i] : memref<?xf64>
  }
  %y = memref.load %b[%c0] : memref<?xf64>
  memref.dealloc %b : memref<?xf64>
  return %y : f64
}
func.func @make(%n: index) -> memref<?xf64> {
  %b = memref.alloc(%n) : memref<?xf64>
  return %b : memref<?xf64>
}
func.func @divide(%a: i64, %b: i64) -> i64 {
  %q = arith.divsi %a, %b : i64
  return %q : i64
}
func.func @at(%m: memref<3xf64>, %i: index) -> f64 {
  %y = memref.load %m[%i] : memref<3xf64>
  return %y : f64
}
func.func @to_int(%x: f64) -> i32 {
  %y = arith.fptosi %x : f64 to i32
  return %y : i32
}
"""

DRIVER = r"""
#include <stdio.h>
#include <stdlib.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include "prog.h"
static void report(const char *what, double value) {
    int code = prog_last_error();
    printf("%s|%g|%d|%s\n", what, value, code, prog_last_error_message());
}
int main(void) {
    double r = _mlir_ciface_fill(3);
    report("fill 3", r);
    r = _mlir_ciface_fill(%HUGE%LL);  /* malloc fails: unwinds, never writes through NULL */
    report("fill huge", r);
    irc_memref_1d out = {(void *)1, (void *)1, 7, {7}, {7}};
    _mlir_ciface_make(&out, %HUGE%LL);
    report("make huge", (double)(out.allocated == NULL && out.sizes[0] == 0));
    _mlir_ciface_make(&out, 4);
    report("make 4", (double)out.sizes[0]);
    free(out.allocated);
    report("divide", (double)_mlir_ciface_divide(1, 0));
    double data[3] = {1, 2, 3};
    irc_memref_1d m = {data, data, 0, {3}, {1}};
    report("at", _mlir_ciface_at(&m, 5));
    report("to_int", (double)_mlir_ciface_to_int(1e20));
    double y = 7;
    int status = fill(%HUGE%LL, &y);  /* the status entry: its code, and the same message */
    report(status ? "status entry" : "no status", y);
#if defined(__GLIBC__) && (__GLIBC__ > 2 || __GLIBC_MINOR__ >= 33)
    /* glibc's count of bytes in use: failing calls through MLIR's C interface hold nothing */
    holds_then_fails_results held;
    _mlir_ciface_holds_then_fails(&held, 2000, %HUGE%LL);
    size_t before = mallinfo2().uordblks;
    for (int i = 0; i < 500; i++)
        _mlir_ciface_holds_then_fails(&held, 2000, %HUGE%LL);
    printf("held|%ld\n", (long)(mallinfo2().uordblks - before));
#else
    printf("held|skip\n");
#endif
    return 0;
}
"""


@pytest.mark.skipif(shutil.which("cc") is None, reason="needs a C compiler (cc)")
def test_mlir_c_interface_unwinds_and_reports_through_last_error(tmp_path):
    source = tmp_path / "prog.mlir"
    source.write_text(PROGRAM + HOLDS_THEN_FAILS)
    obj = tmp_path / "prog.o"
    assert main(["translate", str(source), "--to-obj", "-o", str(obj)]) == 0
    header = (tmp_path / "prog.h").read_text()
    assert "int32_t prog_last_error(void);" in header
    assert "const char *prog_last_error_message(void);" in header
    (tmp_path / "driver.c").write_text(DRIVER.replace("%HUGE%", str(HUGE)))
    exe = tmp_path / "driver"
    build = subprocess.run(["cc", "-Wall", "-o", str(exe), str(tmp_path / "driver.c"), str(obj), "-lm"],
                           capture_output=True, text=True, cwd=tmp_path)
    assert build.returncode == 0, build.stderr
    run = subprocess.run([str(exe)], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr  # a crash (writing through NULL) was -11
    lines = [line.split("|") for line in run.stdout.splitlines()]
    where = f"{source}:"
    assert lines[0] == ["fill 3", "1.5", "0", ""]
    what, value, code, message = lines[1]
    assert (what, value) == ("fill huge", "0") and int(code) > 0
    assert message.startswith(where + "6:3: error: 'memref.alloc' op cannot allocate the buffer (out of memory)")
    assert lines[2][:2] == ["make huge", "1"] and "'memref.alloc' op cannot allocate" in lines[2][3]
    assert lines[3] == ["make 4", "4", "0", ""]
    assert lines[4][0] == "divide" and lines[4][3].endswith("'arith.divsi' op division by zero")
    assert lines[5][3].endswith("'memref.load' op index [5] is out of bounds for a memref of shape 3 "
                                "(dimension 0 has size 3)")
    assert lines[6][3].endswith("'arith.fptosi' op 1e+20 is out of the range of signed i32")
    assert lines[7][:2] == ["status entry", "0"] and "cannot allocate the buffer" in lines[7][3]
    held = lines[8][1]  # 500 failing calls each held about 48 KB before the list of live allocations
    assert held == "skip" or int(held) < 100_000, f"{held} bytes still allocated after 500 failing calls"


HOLDS_THEN_FAILS = """
func.func @holds_then_fails(%n: index, %big: index) -> (memref<?xf64>, f64) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %x = arith.constant 1.5 : f64
  %t = ad.tape_create : !ad.tape<f64>
  %a = memref.alloc(%n) : memref<?xf64>
  %r = memref.alloc(%n) : memref<?xf64>
  scf.for %i = %c0 to %n step %c1 {
    ad.tape_push %t, %x : !ad.tape<f64>, f64
    memref.store %x, %a[%i] : memref<?xf64>
    memref.store %x, %r[%i] : memref<?xf64>
  }
  %b = memref.alloc(%big) : memref<?xf64>
  %y = memref.load %b[%c0] : memref<?xf64>
  memref.dealloc %b : memref<?xf64>
  memref.dealloc %a : memref<?xf64>
  return %r, %y : memref<?xf64>, f64
}
"""


def _rss_kib() -> int:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise AssertionError("no VmRSS")


@pytest.mark.skipif(not os.path.exists("/proc/self/status"), reason="needs /proc to read the RSS")
def test_a_call_that_unwinds_frees_its_buffers_tapes_and_results():
    """Each failing call holds a filled buffer, the result it would return and a tape
    (about 48 KB); 2000 of them leaked about 100 MB before the list of live allocations."""
    import irc
    from irc.interpreter import InterpreterError

    compiled = irc.compile(HOLDS_THEN_FAILS, opt_level=2, disk_cache=False)
    result, y = compiled.holds_then_fails(2000, 4)
    assert result.shape == (2000,) and result[-1] == 1.5
    for _ in range(50):  # the allocator's own pools settle first
        with pytest.raises(InterpreterError, match="cannot allocate the buffer"):
            compiled.holds_then_fails(2000, HUGE)
    before = _rss_kib()
    for _ in range(2000):
        with pytest.raises(InterpreterError, match="cannot allocate the buffer"):
            compiled.holds_then_fails(2000, HUGE)
    grown = _rss_kib() - before
    assert grown < 10_000, f"RSS grew by {grown} KiB over 2000 failing calls"
    assert compiled.holds_then_fails(3, 1)[0].tolist() == [1.5] * 3  # the next call starts clean


def test_a_function_named_like_the_objects_error_functions_is_a_clear_error(tmp_path, capsys):
    source = tmp_path / "prog.mlir"
    source.write_text("func.func @prog_last_error() -> i32 {\n  %c = arith.constant 0 : i32\n  return %c : i32\n}\n")
    assert main(["translate", str(source), "--to-obj", "-o", str(tmp_path / "prog.o")]) == 1
    assert "cannot export '@prog_last_error' to C: the object defines 'prog_last_error' itself" in \
        capsys.readouterr().err
    assert main(["translate", str(source), "--to-obj", "-o", str(tmp_path / "7-up.o")]) == 0
    assert "int32_t _7_up_last_error(void);" in (tmp_path / "7-up.h").read_text()  # a C identifier
