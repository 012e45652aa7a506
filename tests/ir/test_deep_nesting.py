"""Nesting depth is not a small fixed limit: 1,000 nested regions, array
attributes and tuple types go through every stage, `func.call` recursion
thousands deep runs, and what is deeper than irc can hold is a located
diagnostic (exit 1), never a Python RecursionError."""

from __future__ import annotations

import pytest

from irc.deep_stack import MAX_NESTING, check_nesting_depth, run_with_deep_stack
from irc.diagnostics import DiagnosticError
from irc.tools.main import main

DEPTH = 1000


def nested_regions(depth: int) -> str:
    """@f(x) = x^(depth+1) through `depth` nested scf.execute_region; @g is its gradient."""
    lines = ["func.func @f(%x: f64) -> f64 {"]
    lines += [f"  %r{i} = scf.execute_region -> f64 {{" for i in range(depth)]
    lines += ["  %v = arith.mulf %x, %x : f64", "  scf.yield %v : f64"]
    for i in reversed(range(depth)):
        lines.append("  }")
        lines += [f"  %w{i} = arith.mulf %r{i}, %x : f64", f"  scf.yield %w{i} : f64"] if i else ["  return %r0 : f64"]
    lines += ["}", "func.func @g(%x: f64) -> f64 {", "  %d = ad.grad @f(%x) : (f64) -> f64", "  return %d : f64", "}"]
    return "\n".join(lines) + "\n"


def run_cli(argv, capsys):
    code = main(argv)
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.fixture
def deep_file(tmp_path):
    path = tmp_path / "deep.mlir"
    path.write_text(nested_regions(DEPTH))
    return str(path)


def test_a_thousand_nested_regions_print_and_parse_back(deep_file, capsys, tmp_path):
    code, out, err = run_cli(["opt", deep_file], capsys)
    assert code == 0, err
    assert out.count("scf.execute_region") == DEPTH
    again = tmp_path / "again.mlir"
    again.write_text(out)
    code, out2, err = run_cli(["opt", str(again)], capsys)
    assert code == 0 and out2 == out


def test_a_thousand_nested_regions_canonicalize_away(deep_file, capsys):
    code, out, err = run_cli(["opt", deep_file, "--canonicalize"], capsys)
    assert code == 0, err
    assert "scf.execute_region" not in out  # single-block regions are inlined into their parent


def test_a_thousand_nested_regions_differentiate_and_run(deep_file, capsys):
    code, out, err = run_cli(["opt", deep_file, "--ad"], capsys)
    assert code == 0, err
    assert "ad.grad" not in out
    x = 1.0001
    code, out, err = run_cli(["run", deep_file, "--entry", "g", "--arg", str(x), "--interpret"], capsys)
    assert code == 0, err
    assert float(out) == pytest.approx((DEPTH + 1) * x ** DEPTH, rel=1e-9)


def nested_attribute_or_type(kind: str, depth: int) -> str:
    """An unregistered op with a `depth`-deep array attribute, tuple type or (kind "region") region nest."""
    if kind == "region":
        return "func.func @f() {\n" + "  %r = scf.execute_region -> f64 {\n" * depth + "}\n"
    if kind == "array":
        return '"test.op"() {a = ' + "[" * depth + "1 : i32" + "]" * depth + "} : () -> ()\n"
    return '"test.op"() : () -> ' + "tuple<" * depth + "f64" + ">" * depth + "\n"


@pytest.mark.parametrize("kind", ["array", "tuple"])
def test_a_thousand_nested_attributes_and_types_round_trip(kind, capsys, tmp_path):
    text = nested_attribute_or_type(kind, DEPTH)
    path = tmp_path / "deep.mlir"
    path.write_text(text)
    code, out, err = run_cli(["opt", str(path), "--allow-unregistered-dialect"], capsys)
    assert code == 0, err
    assert out.count("[" if kind == "array" else "tuple<") == DEPTH
    path.write_text(out)
    code, out2, err = run_cli(["opt", str(path), "--allow-unregistered-dialect"], capsys)
    assert code == 0 and out2 == out


RECURSIVE = """\
func.func @count(%n: i64) -> i64 {
  %zero = arith.constant 0 : i64
  %one = arith.constant 1 : i64
  %done = arith.cmpi sle, %n, %zero : i64
  %r = scf.if %done -> (i64) {
    scf.yield %zero : i64
  } else {
    %m = arith.subi %n, %one : i64
    %c = func.call @count(%m) : (i64) -> i64
    %s = arith.addi %c, %one : i64
    scf.yield %s : i64
  }
  return %r : i64
}
"""


def test_call_recursion_thousands_deep_runs(capsys, tmp_path):
    path = tmp_path / "count.mlir"
    path.write_text(RECURSIVE)
    code, out, err = run_cli(["run", str(path), "--entry", "count", "--arg", "3000", "--interpret"], capsys)
    assert code == 0, err
    assert out.strip() == "3000"


def test_unbounded_call_recursion_is_the_interpreters_located_diagnostic(capsys, tmp_path):
    path = tmp_path / "count.mlir"
    path.write_text(RECURSIVE)
    code, out, err = run_cli(["run", str(path), "--entry", "count", "--arg", "1000000", "--interpret"], capsys)
    assert code == 1
    assert f"{path}:1:1: error:" in err and "call depth exceeds" in err
    assert "RecursionError" not in err and "Traceback" not in err


@pytest.mark.parametrize("kind", ["region", "array", "tuple"])
def test_nesting_beyond_the_limit_is_a_located_diagnostic(kind, capsys, tmp_path):
    path = tmp_path / "too_deep.mlir"
    path.write_text(nested_attribute_or_type(kind, MAX_NESTING + 5))
    code, out, err = run_cli(["opt", str(path), "--allow-unregistered-dialect"], capsys)
    assert code == 1
    first = err.splitlines()[0]
    assert first.startswith(f"{path}:") and f"nesting deeper than {MAX_NESTING} levels" in first
    line, col = map(int, first[len(str(path)) + 1:].split(":")[:2])
    assert line >= 1 and col >= 1
    assert "Traceback" not in err


def test_brackets_in_strings_and_comments_do_not_count():
    text = '"test.op"() {s = "' + "[" * (MAX_NESTING + 10) + '"} : () -> ()\n// ' + "(" * (MAX_NESTING + 10) + "\n"
    check_nesting_depth(text, "ok.mlir")  # no error


def test_arrows_and_comparisons_do_not_unbalance_the_count():
    text = "(" * MAX_NESTING + "->  >= " * 20 + ")" * MAX_NESTING + "(" * 30
    with pytest.raises(DiagnosticError):
        check_nesting_depth("(" * 30 + text, "deep.mlir")
    check_nesting_depth(text, "ok.mlir")


def test_run_with_deep_stack_returns_and_raises_like_a_call():
    def recurse(n):
        return 0 if n == 0 else 1 + recurse(n - 1)

    assert run_with_deep_stack(recurse, 20_000) == 20_000
    with pytest.raises(ZeroDivisionError):
        run_with_deep_stack(lambda: 1 / 0)
