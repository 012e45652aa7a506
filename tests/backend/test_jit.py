"""irc.compile: calling compiled functions from Python, argument checking,
run-time errors, caching (in-process and on disk) and memory."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest

import irc
from irc.interpreter import Interpreter, InterpreterError

pytest.importorskip("llvmlite")

ODE = """
func.func @euler(%y0: f64, %p: f64) -> f64 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %n = arith.constant 1000 : index
  %dt = arith.constant 1.0e-3 : f64
  %r = scf.for %i = %c0 to %n step %c1 iter_args(%y = %y0) -> (f64) {
    %s = math.sin %y : f64
    %a = arith.mulf %s, %p : f64
    %b = arith.mulf %a, %dt : f64
    %y2 = arith.addf %y, %b : f64
    scf.yield %y2 : f64
  }
  return %r : f64
}
func.func @grad(%y0: f64, %p: f64) -> (f64, f64) {
  %g:2 = ad.grad @euler(%y0, %p) : (f64, f64) -> (f64, f64)
  return %g#0, %g#1 : f64, f64
}
func.func @divmod(%a: i32, %b: i32) -> (i32, i32) {
  %q = arith.divsi %a, %b : i32
  %r = arith.remsi %a, %b : i32
  return %q, %r : i32, i32
}
func.func @mixed(%x: f32, %n: i1, %k: index) -> (f32, i1, index) {
  return %x, %n, %k : f32, i1, index
}
func.func @nothing() {
  return
}
func.func @ramp(%n: index, %m: memref<?xf64>) -> memref<?xf64> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %buf = memref.alloc(%n) : memref<?xf64>
  scf.for %i = %c0 to %n step %c1 {
    %x = memref.load %m[%i] : memref<?xf64>
    memref.store %x, %buf[%i] : memref<?xf64>
  }
  return %buf : memref<?xf64>
}
"""


@pytest.fixture(scope="module")
def compiled():
    return irc.compile(ODE, opt_level=2, disk_cache=False)


def test_results_match_the_interpreter(compiled):
    m = irc.parse_module(ODE)
    assert compiled.euler(0.5, 1.3) == Interpreter(m).call("euler", [0.5, 1.3])[0]
    from irc.passes.ad import lower_ad

    lower_ad(m)
    expected = Interpreter(m).call("grad", [0.5, 1.3])
    np.testing.assert_allclose(compiled.grad(0.5, 1.3), expected, rtol=1e-12)
    assert compiled.divmod(7, -2) == (-3, 1)
    assert compiled.divmod(-(2**31), -1) == (-(2**31), 0)  # wraps, as the interpreter does
    assert compiled.nothing() is None


def test_result_types(compiled):
    x, flag, k = compiled.mixed(np.float32(1.5), True, -3)
    assert isinstance(x, np.float32) and x == np.float32(1.5)
    assert flag == 1 and k == -3
    assert compiled.mixed(0.1, 0, 2**64 + 5)[2] == 5  # index wraps to 64 bits, as in the interpreter


def test_division_by_zero_is_the_interpreters_error(compiled):
    with pytest.raises(InterpreterError, match="'arith.divsi' op division by zero"):
        compiled.divmod(1, 0)
    assert compiled.divmod(9, 4) == (2, 1)  # the status was reset


@pytest.mark.parametrize(
    "args, message",
    [
        ((1.0,), "takes 2 arguments, got 1"),
        ((1.0, 2.0, 3.0), "takes 2 arguments, got 3"),
        (("a", 1.0), "argument 0 of @euler: expected a number for f64, got str"),
        ((None, 1.0), "expected a number for f64, got NoneType"),
        ((1.0, [1.0]), "argument 1 of @euler: expected a number for f64, got list"),
        ((1.0, np.zeros(3)), "expected a number for f64, got ndarray"),
    ],
)
def test_bad_arguments_are_clear_errors(compiled, args, message):
    with pytest.raises(TypeError, match=message.replace("(", r"\(").replace("[", r"\[")):
        compiled.euler(*args)


def test_integer_arguments_are_checked(compiled):
    with pytest.raises(TypeError, match="expected an integer for i32, got 1.5"):
        compiled.divmod(1.5, 1)
    with pytest.raises(TypeError, match="expected an integer for i32, got str"):
        compiled.divmod("1", 1)
    assert compiled.divmod(6.0, 3) == (2, 0)  # an integral float is accepted, as by the interpreter


def test_unknown_function(compiled):
    with pytest.raises(AttributeError, match="no function 'nope'"):
        compiled.nope


def test_same_module_is_compiled_once():
    from irc.backends.llvm import jit

    before = jit.stats["llvm_compilations"]
    a = irc.compile(ODE, opt_level=1, disk_cache=False)
    b = irc.compile(irc.parse_module(ODE), opt_level=1, disk_cache=False)
    assert a is b
    assert jit.stats["llvm_compilations"] == before + 1


def test_a_second_process_loads_from_the_disk_cache(tmp_path):
    script = textwrap.dedent(
        f"""
        import irc
        from irc.backends.llvm import jit
        m = irc.compile({ODE!r}, opt_level=2)
        assert m.euler(0.5, 1.3) > 0.5
        print(jit.stats["llvm_compilations"], jit.stats["disk_cache_hits"])
        """
    )
    env = dict(os.environ, XDG_CACHE_HOME=str(tmp_path))
    runs = [subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True) for _ in range(2)]
    assert [r.returncode for r in runs] == [0, 0], runs[0].stderr + runs[1].stderr
    assert runs[0].stdout.split() == ["1", "0"]
    assert runs[1].stdout.split() == ["0", "1"]
    folder = tmp_path / "irc"
    assert oct(folder.stat().st_mode & 0o777) == "0o700"
    assert sorted(p.suffix for p in folder.glob("llvm-*")) == [".json", ".o"]


def test_a_cache_folder_others_can_write_is_not_used(tmp_path, monkeypatch):
    from irc.backends.llvm import cache

    folder = tmp_path / "irc"
    folder.mkdir()
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    cache.store("k", b"object code", {"errors": [], "externals": []})
    assert cache.load("k") == (b"object code", {"errors": [], "externals": [], "key": "k", "size": 11})
    folder.chmod(0o777)  # another user could plant code here: never read from it
    assert cache.load("k") is None


def _rss_kib() -> int:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


@pytest.mark.skipif(not os.path.exists("/proc/self/status"), reason="needs /proc to read the RSS")
def test_no_leak_over_many_calls(compiled):
    """10^5 calls of a gradient (tapes malloc'd and freed each call), of a function
    returning an array it allocated (freed when numpy drops it) and of a failing call:
    RSS must not grow with the number of calls."""
    src = np.arange(1000.0)
    for _ in range(2000):
        compiled.grad(0.5, 1.3)
        compiled.ramp(1000, src)
    before = _rss_kib()
    for _ in range(100_000):
        compiled.grad(0.5, 1.3)
        assert compiled.ramp(1000, src)[999] == 999.0
    for _ in range(1000):
        try:
            compiled.divmod(1, 0)
        except InterpreterError:
            pass
    grown = _rss_kib() - before
    # a leak of one tape (8 KiB of data) or one array (8 KB) per call would be 800 MB
    assert grown < 20_000, f"RSS grew by {grown} KiB over 10^5 calls"


def test_unbounded_recursion_is_the_interpreters_error_not_a_crash():
    m = irc.compile("""
func.func @forever(%x: f64) -> f64 {
  %r = func.call @forever(%x) : (f64) -> f64
  return %r : f64
}
""", disk_cache=False)
    with pytest.raises(InterpreterError, match="call depth exceeds 500"):
        m.forever(1.0)
