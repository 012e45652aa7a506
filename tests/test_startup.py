"""`irc opt`'s start-up imports only what parsing and printing need.

Start-up counts in `irc bench parse` (the whole command against xdsl-opt), and
numpy alone was a third of it; it is imported on first use (ir/lazy_numpy.py).
The passes are imported only when a flag may name one (tools/main.py).
These tests check which modules a fresh process imported, never a timing.
"""

import subprocess
import sys
import textwrap

import numpy as np

# f64 arith/math/scf/func, as in `irc bench parse`: nothing here needs numpy
PLAIN = """\
func.func @f(%a: f64, %b: f64, %n: index) -> f64 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %k = arith.constant 2.5 : f64
  %r = scf.for %i = %c0 to %n step %c1 iter_args(%acc = %a) -> (f64) {
    %s = math.sin %acc : f64
    %m = arith.mulf %s, %k : f64
    %lt = arith.cmpf olt, %m, %b : f64
    %x = arith.select %lt, %m, %b : f64
    scf.yield %x : f64
  }
  return %r : f64
}
"""

DENSE = """\
func.func @g() -> tensor<2xf64> {
  %t = arith.constant dense<[1.0, 2.0]> : tensor<2xf64>
  return %t : tensor<2xf64>
}
"""

# runs `irc opt FILE` in this process (main, not console_main, which ends with
# os._exit) and reports whether numpy was imported
_PROBE = textwrap.dedent("""
    import sys
    from irc.tools.main import main
    code = main(["opt", sys.argv[1]])
    print("numpy imported:", "numpy" in sys.modules, "exit:", code, file=sys.stderr)
""")


def _opt_imports_numpy(tmp_path, text: str) -> bool:
    path = tmp_path / "input.mlir"
    path.write_text(text)
    proc = subprocess.run([sys.executable, "-c", _PROBE, str(path)], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert "func.func @" in proc.stdout, proc.stdout
    last = proc.stderr.strip().splitlines()[-1]
    assert last.endswith("exit: 0"), proc.stderr
    return last.startswith("numpy imported: True")


def test_opt_without_dense_values_does_not_import_numpy(tmp_path):
    assert not _opt_imports_numpy(tmp_path, PLAIN)


def test_opt_with_a_dense_value_imports_numpy(tmp_path):
    # the probe can tell: a dense attribute is held in a numpy array
    assert _opt_imports_numpy(tmp_path, DENSE)


_PASSES_PROBE = textwrap.dedent("""
    import sys
    from irc.tools.main import main
    code = main(["opt", *sys.argv[1:]])
    passes = sorted(m for m in sys.modules if m.startswith("irc.passes.") and m != "irc.passes.pass_manager")
    print("pass modules:", ",".join(passes), "exit:", code, file=sys.stderr)
""")


def _pass_modules_imported(tmp_path, *flags) -> list:
    path = tmp_path / "input.mlir"
    path.write_text(PLAIN)
    proc = subprocess.run([sys.executable, "-c", _PASSES_PROBE, str(path), *flags], capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 0, proc.stderr
    last = proc.stderr.strip().splitlines()[-1]
    assert last.endswith("exit: 0"), proc.stderr
    return [m for m in last.split("pass modules:")[1].split("exit:")[0].strip().split(",") if m]


def test_opt_without_pass_flags_imports_no_pass(tmp_path):
    # `irc opt FILE` builds its arguments without one flag per pass, so no pass module is imported
    assert _pass_modules_imported(tmp_path) == []


def test_opt_with_a_pass_flag_or_pipeline_imports_the_passes(tmp_path):
    assert "irc.passes.cse" in _pass_modules_imported(tmp_path, "--cse")
    assert "irc.passes.cse" in _pass_modules_imported(tmp_path, "--pass-pipeline=builtin.module(cse)")


def test_lazy_numpy_is_numpy():
    from irc.lazy_numpy import np as lazy, numpy_function

    assert lazy.ndarray is np.ndarray and lazy.float32 is np.float32
    assert isinstance(np.zeros(2), lazy.ndarray)
    assert numpy_function("fmod")(7.0, 4.0) == np.fmod(7.0, 4.0)
