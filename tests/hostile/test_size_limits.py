"""Sizes an attacker picks: a 10^10-element splat, a rank-65 literal, a
megabyte-long string, a pass anchored where no pass may run.  The big ones
run in a child process whose address space is capped, so a regression is a
MemoryError there, never a machine out of memory."""

from __future__ import annotations

import resource
import subprocess
import sys

import pytest

from hostile import assert_located, irc, write

ADDRESS_SPACE = 1 << 30  # irc needs under 100 MB for all of these; a regression needs far more


def _capped():
    resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE, ADDRESS_SPACE))


def irc_capped(argv):
    """(exit code, stdout, stderr) of `irc ARGV` in a child limited to ADDRESS_SPACE bytes."""
    proc = subprocess.run([sys.executable, "-m", "irc.tools.main", *map(str, argv)], capture_output=True,
                          text=True, preexec_fn=_capped, timeout=300)
    return proc.returncode, proc.stdout, proc.stderr


HUGE = "tensor<100000x100000xf64>"
SPLAT = f"""func.func @f() -> {HUGE} {{
  %0 = arith.constant dense<1.0> : {HUGE}
  %1 = arith.addf %0, %0 : {HUGE}
  %2 = math.sin %1 : {HUGE}
  return %2 : {HUGE}
}}
"""


def test_huge_splat_prints_as_one_value(tmp_path):
    src = write(tmp_path, "in.mlir", SPLAT)
    code, out, err = irc_capped(["opt", src])
    assert code == 0, err
    assert f"arith.constant dense<1.0> : {HUGE}" in out


def test_huge_splat_folds_as_one_value(tmp_path):
    src = write(tmp_path, "in.mlir", SPLAT)
    code, out, err = irc_capped(["opt", src, "--canonicalize", "--cse"])
    assert code == 0, err
    assert f"arith.constant dense<0.9092974268256817> : {HUGE}" in out
    assert "arith.addf" not in out and "math.sin" not in out


def test_huge_splat_result_is_not_printed_element_by_element(tmp_path):
    src = write(tmp_path, "in.mlir", SPLAT)
    code, _, err = irc_capped(["run", src, "--entry", "f", "--interpret"])
    assert code == 1
    assert "irc: error: result #0 has 10000000000 elements; irc run prints at most" in err


def test_huge_splat_compiled_is_an_allocation_error_not_a_crash(tmp_path):
    # compiled, the splat becomes an 80 GB buffer: malloc fails under the cap, and the entry
    # unwinds with the located error instead of writing through NULL
    src = write(tmp_path, "in.mlir", SPLAT)
    code, _, err = irc_capped(["run", src, "--entry", "f"])
    assert code == 1, err
    assert "op cannot allocate the buffer (out of memory)" in err


ALLOC = """func.func @f(%n: index, %m: index) -> f64 {
  %c0 = arith.constant 0 : index
  %b = memref.alloc(%n, %m) : memref<?x?xf64>
  %x = arith.constant 1.5 : f64
  memref.store %x, %b[%c0, %c0] : memref<?x?xf64>
  %y = memref.load %b[%c0, %c0] : memref<?x?xf64>
  memref.dealloc %b : memref<?x?xf64>
  return %y : f64
}
"""


@pytest.mark.parametrize("n, m", [(1 << 40, 1), (1 << 31, 1 << 31), (1 << 62, 1 << 62), (-1, 2), (3, -5)])
def test_compiled_allocation_too_big_or_negative_is_a_runtime_error(tmp_path, n, m):
    # sizes whose byte count passes what memory holds, wraps 64 bits, or is negative read
    # unsigned: one located error, never a small buffer that in-bounds stores overrun
    src = write(tmp_path, "in.mlir", ALLOC)
    code, out, err = irc_capped(["run", src, "--entry", "f", "--arg", str(n), "--arg", str(m)])
    assert code == 1, err
    assert "in.mlir:3:3: error: 'memref.alloc' op" in err and out == ""


def test_compiled_code_runs_again_after_an_allocation_failure():
    import irc as irc_api
    from irc.interpreter import InterpreterError

    pytest.importorskip("llvmlite")
    compiled = irc_api.compile(ALLOC, opt_level=2, disk_cache=False)
    with pytest.raises(InterpreterError, match="cannot allocate the buffer"):
        compiled.f(1 << 61, 4)
    assert compiled.f(2, 3) == 1.5


def test_megabyte_string_literal_is_cheap(tmp_path):
    src = write(tmp_path, "in.mlir", 'func.func @f() attributes {s = "a\\n' + "a" * 2_000_000 + '"} {\n  return\n}\n')
    code, out, err = irc_capped(["opt", src])
    assert code == 0, err[:2000]
    assert '"a\\n' + "a" * 2_000_000 + '"' in out


@pytest.mark.parametrize("literal, type_", [
    ("[" * 65 + "1.0" + "]" * 65, "tensor<" + "1x" * 65 + "f64>"),
    ("1.0", "tensor<" + "1x" * 65 + "f64>"),
    ("[" * 70 + "1.0" + "]" * 70, "tensor<1xf64>"),
])
def test_rank_65_dense_literal_says_what_is_wrong(tmp_path, literal, type_):
    src = write(tmp_path, "in.mlir", f"func.func @f() {{\n  %0 = arith.constant dense<{literal}> : {type_}\n  return\n}}\n")
    code, _, err = irc(["opt", src])
    assert code == 1
    assert_located(err, src, 2, 23, "irc's dense attributes have at most 64 dimensions")


LOOP = """func.func @f(%x: f64) -> f64 {
  %c0 = arith.constant 0 : index
  %c4 = arith.constant 4 : index
  %c1 = arith.constant 1 : index
  %r = scf.for %i = %c0 to %c4 step %c1 iter_args(%a = %x) -> (f64) {
    %y = arith.mulf %a, %x : f64
    scf.yield %y : f64
  }
  return %r : f64
}
"""


@pytest.mark.parametrize("pipeline, line, op", [
    ("builtin.module(scf.for(cse))", 5, "scf.for"),
    ("builtin.module(func.func(scf.for(canonicalize)))", 5, "scf.for"),
    ("builtin.module(arith.constant(cse))", 2, "arith.constant"),
])
def test_pass_anchored_on_an_op_not_isolated_from_above_is_refused(tmp_path, pipeline, line, op):
    src = write(tmp_path, "in.mlir", LOOP)
    code, _, err = irc(["opt", src, f"--pass-pipeline={pipeline}"])
    assert code == 1
    assert_located(err, src, line, 3,
                   f"'{op}' op trying to schedule a pass on an operation not marked as 'IsolatedFromAbove'")


def test_pass_anchored_on_functions_still_runs(tmp_path):
    src = write(tmp_path, "in.mlir", LOOP)
    code, out, err = irc(["opt", src, "--pass-pipeline=builtin.module(func.func(cse,canonicalize))"])
    assert code == 0, err
    assert "scf.for" in out


def _nested_modules(depth: int):
    """`depth` builtin.modules each inside the last, built with the Python API (no parser limit)."""
    from irc.dialects.builtin import ModuleOp

    top = inner = ModuleOp.build_empty()
    for _ in range(depth):
        nested = ModuleOp.build_empty()
        inner.body.append(nested)
        inner = nested
    return top


def test_ir_built_deeper_than_the_nesting_limit_is_refused_by_name():
    import irc
    from irc.deep_stack import MAX_NESTING

    with pytest.raises(irc.DiagnosticError, match=f"regions nested deeper than {MAX_NESTING} levels are not "
                                                   "supported \\(irc's nesting limit\\)"):
        irc.verify(_nested_modules(MAX_NESTING + 1))


def test_the_printer_refuses_ir_deeper_than_the_nesting_limit(monkeypatch):
    import irc
    from irc import deep_stack, printer

    # the printer's check at a small limit: at 10,000 levels the indentation alone is 100 MB of text
    monkeypatch.setattr(printer, "MAX_NESTING", 50)
    monkeypatch.setattr(deep_stack, "MAX_NESTING", 50)
    with pytest.raises(irc.DiagnosticError, match="regions nested deeper than 50 levels are not supported"):
        irc.print_op(_nested_modules(51))
    assert irc.print_op(_nested_modules(49)).count("module {") == 50


def test_ir_built_deeper_than_the_callers_recursion_budget_verifies_and_prints():
    import irc

    module = _nested_modules(2_000)  # far past the main thread's budget: both walks go on a deep stack
    irc.verify(module)
    assert irc.print_op(module).count("module {") == 2_001
