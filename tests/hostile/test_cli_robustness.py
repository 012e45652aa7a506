"""Ctrl-C, `--verify-diagnostics` on hostile comment lines, and long source
lines: one line for Ctrl-C, linear work for the verifier's comments, and a
source excerpt cut around the caret."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from hostile import SQUARE, assert_located, irc, write


def _python(code: str):
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("where", ["irc.dialects.load_all", "irc.tools.main.build_parser",
                                   "irc.tools.main.load_entry_point_plugins"])
def test_ctrl_c_during_start_up_is_one_line(tmp_path, where):
    src = write(tmp_path, "in.mlir", SQUARE)
    module, name = where.rsplit(".", 1)
    proc = _python(f"""
        import importlib, sys
        import irc.tools.main as cli

        def interrupted(*args, **kwargs):
            raise KeyboardInterrupt

        setattr(importlib.import_module({module!r}), {name!r}, interrupted)
        sys.argv = ["irc", "opt", {str(src)!r}]
        cli.console_main()
    """)
    assert proc.returncode == 130, proc.stderr
    assert proc.stderr == "irc: interrupted\n"


def test_ctrl_c_while_the_command_module_loads_is_one_line():
    proc = _python("""
        import os, signal, sys, time
        sys.argv[0] = "irc"
        import irc.tools.main
        os.kill(os.getpid(), signal.SIGINT)
        time.sleep(30)
    """)
    assert proc.returncode == 130, proc.stderr
    assert proc.stderr == "irc: interrupted\n"


# ----------------------------------------------------------------------------
# --verify-diagnostics


def test_unclosed_expectation_is_located(tmp_path):
    src = write(tmp_path, "in.mlir", SQUARE + "// expected-error {{ never closed\n")
    code, _, err = irc(["opt", src, "--verify-diagnostics"])
    assert code == 1
    assert_located(err, src, 5, 1, "found start of expected-error with no end '}}'")


@pytest.mark.parametrize("line", [
    "// expected-error {{ " * 20000,
    "// " + "expected-error {{ " * 20000,
    "//" + " " * 20000 + "expected-error" + " " * 20000 + "@+1" + " " * 20000,
    "/" * 20000 + " " * 20000 + "expected-note",
])
def test_thousands_of_unclosed_expectations_on_a_line(tmp_path, line):
    src = write(tmp_path, "in.mlir", SQUARE + line + "\n")
    code, _, err = irc(["opt", src, "--verify-diagnostics"])
    if "{{" in line:
        assert code == 1
        assert_located(err, src, 5, 1, "with no end '}}'")
    else:
        assert code == 0, err[:2000]


def test_many_expectations_are_matched(tmp_path):
    body = "".join(f"// expected-error@+1 {{{{custom op 'bad.op{i}' is unknown}}}}\nbad.op{i}\n// -----\n"
                   for i in range(300))
    src = write(tmp_path, "in.mlir", body)
    code, _, err = irc(["opt", src, "--verify-diagnostics", "--split-input-file"])
    assert code == 0, err[:2000]


# ----------------------------------------------------------------------------
# long source lines


def test_ten_megabyte_bad_token_is_not_echoed_whole(tmp_path):
    src = write(tmp_path, "in.mlir", "func.func @f() {\n  %0 = arith.constant " + "$" * 10_000_000 + "\n}\n")
    code, _, err = irc(["opt", src])
    assert code == 1
    assert_located(err, src, 2, 23, "unexpected character '$'")
    assert len(err) < 2000


def test_caret_far_into_a_long_line_points_at_the_error(tmp_path):
    src = write(tmp_path, "in.mlir", "func.func @f() attributes {a = \"" + "x" * 100_000 + "\", b = %} {\n  return\n}\n")
    code, _, err = irc(["opt", src])
    assert code == 1
    head, excerpt, caret = err.splitlines()[:3]
    assert head.startswith(f"{src}:1:")
    assert len(excerpt) < 200 and excerpt.startswith("...")
    assert excerpt[len(caret) - 1] == "%", (excerpt, caret)


def test_ctrl_c_in_compiled_code_is_one_line(tmp_path):
    pytest.importorskip("llvmlite")
    src = write(tmp_path, "spin.mlir", """func.func @spin(%x: f64) -> f64 {
  %t = arith.constant true
  %r = scf.while (%a = %x) : (f64) -> f64 {
    scf.condition(%t) %a : f64
  } do {
  ^bb0(%b: f64):
    %c = arith.addf %b, %x : f64
    scf.yield %c : f64
  }
  return %r : f64
}
""")
    proc = subprocess.Popen([sys.executable, "-m", "irc.tools.main", "run", str(src), "--entry", "spin", "--arg", "1.0"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    import signal
    import time

    time.sleep(8)  # start-up, compile, then the endless native loop
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert err == "irc: interrupted\n"


def test_a_pass_flag_with_options_does_not_swallow_the_input_file(tmp_path):
    """`irc opt --canonicalize file.mlir` reads the file, as mlir-opt does: a pass flag's options
    come as ``--canonicalize=max-iterations=3``; a word after the flag naming none of its
    options is the input."""
    from hostile import irc, write

    path = write(tmp_path, "f.mlir", "func.func @f(%x: f32) -> f32 {\n  %one = arith.constant 1.0 : f32\n"
                 "  %m = arith.mulf %x, %one : f32\n  return %m : f32\n}\n")
    for argv in (["opt", "--canonicalize", path], ["opt", "--canonicalize", path, "--cse"],
                 ["opt", "--canonicalize=max-iterations=3", path], ["opt", path, "--canonicalize"],
                 ["opt", "--cse", "--canonicalize", path]):
        code, out, err = irc(argv)
        assert (code, err) == (0, ""), argv
        assert "arith.mulf" not in out and "return %x : f32" in out, argv
    code, _, err = irc(["opt", "--canonicalize", path, path])
    assert code == 1 and "more than one input file" in err
