"""Every derivative rule of arith and math against central finite differences,
at random points of each op's domain, in forward and reverse mode."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).parent))
from adtest import call, central_difference, compile_module, fn_text, jvp_driver, vjp_driver  # noqa: E402

# op text (operands %a0, %a1, %a2), number of float operands, sampler of a point in its domain
U = lambda lo, hi: (lambda rng, n: rng.uniform(lo, hi, size=n))  # noqa: E731
OPS = {
    "arith.addf": ("arith.addf %a0, %a1", 2, U(-2, 2)),
    "arith.subf": ("arith.subf %a0, %a1", 2, U(-2, 2)),
    "arith.mulf": ("arith.mulf %a0, %a1", 2, U(-2, 2)),
    "arith.divf": ("arith.divf %a0, %a1", 2, U(0.5, 2)),
    "arith.negf": ("arith.negf %a0", 1, U(-2, 2)),
    "arith.remf": ("arith.remf %a0, %a1", 2, U(0.3, 0.7)),
    "arith.maximumf": ("arith.maximumf %a0, %a1", 2, U(-2, 2)),
    "arith.minimumf": ("arith.minimumf %a0, %a1", 2, U(-2, 2)),
    "arith.maxnumf": ("arith.maxnumf %a0, %a1", 2, U(-2, 2)),
    "arith.minnumf": ("arith.minnumf %a0, %a1", 2, U(-2, 2)),
    "math.exp": ("math.exp %a0", 1, U(-2, 2)),
    "math.exp2": ("math.exp2 %a0", 1, U(-2, 2)),
    "math.expm1": ("math.expm1 %a0", 1, U(-2, 2)),
    "math.log": ("math.log %a0", 1, U(0.2, 3)),
    "math.log2": ("math.log2 %a0", 1, U(0.2, 3)),
    "math.log10": ("math.log10 %a0", 1, U(0.2, 3)),
    "math.log1p": ("math.log1p %a0", 1, U(-0.5, 3)),
    "math.sin": ("math.sin %a0", 1, U(-3, 3)),
    "math.cos": ("math.cos %a0", 1, U(-3, 3)),
    "math.tan": ("math.tan %a0", 1, U(-1.2, 1.2)),
    "math.asin": ("math.asin %a0", 1, U(-0.9, 0.9)),
    "math.acos": ("math.acos %a0", 1, U(-0.9, 0.9)),
    "math.atan": ("math.atan %a0", 1, U(-3, 3)),
    "math.sinh": ("math.sinh %a0", 1, U(-2, 2)),
    "math.cosh": ("math.cosh %a0", 1, U(-2, 2)),
    "math.tanh": ("math.tanh %a0", 1, U(-2, 2)),
    "math.asinh": ("math.asinh %a0", 1, U(-2, 2)),
    "math.acosh": ("math.acosh %a0", 1, U(1.2, 3)),
    "math.atanh": ("math.atanh %a0", 1, U(-0.9, 0.9)),
    "math.sqrt": ("math.sqrt %a0", 1, U(0.2, 3)),
    "math.rsqrt": ("math.rsqrt %a0", 1, U(0.2, 3)),
    "math.cbrt": ("math.cbrt %a0", 1, U(0.2, 3)),
    "math.erf": ("math.erf %a0", 1, U(-2, 2)),
    "math.erfc": ("math.erfc %a0", 1, U(-2, 2)),
    "math.absf": ("math.absf %a0", 1, U(-2, 2)),
    "math.powf": ("math.powf %a0, %a1", 2, U(0.5, 2)),
    "math.atan2": ("math.atan2 %a0, %a1", 2, U(0.3, 2)),
    "math.copysign": ("math.copysign %a0, %a1", 2, U(0.3, 2)),
    "math.fma": ("math.fma %a0, %a1, %a2", 3, U(-2, 2)),
}


def _module(name):
    text, n, _ = OPS[name]
    body = f"  %r = {text} : f64"
    return fn_text("f", n, body) + jvp_driver(n) + vjp_driver(n), n


@pytest.mark.parametrize("mode", ["jvp", "vjp"])
@pytest.mark.parametrize("name", sorted(OPS))
def test_rule_matches_finite_differences(name, mode):
    m, n = _module(name)
    m = compile_module(m)
    rng = np.random.default_rng(abs(hash((name, mode))) % 2**32)
    sample = OPS[name][2]
    f = lambda x: call(m, "f", x)  # noqa: E731
    for _ in range(3):
        x = sample(rng, n)
        if mode == "jvp":
            v = rng.normal(size=n)
            got = call(m, "jvp", list(x) + list(v))
            assert got[0] == pytest.approx(f(x)[0], rel=1e-14)
            np.testing.assert_allclose(got[1], central_difference(f, x, v)[0], rtol=1e-5, atol=1e-7)
        else:
            got = call(m, "vjp", list(x) + [1.0])
            fd = [central_difference(f, x, np.eye(n)[i])[0] for i in range(n)]
            np.testing.assert_allclose(got[1:], fd, rtol=1e-5, atol=1e-7)


@pytest.mark.parametrize("mode", ["jvp", "vjp"])
def test_fpowi_matches_finite_differences(mode):
    text = (
        "func.func @f(%a0: f64, %n: i32) -> f64 {\n  %r = math.fpowi %a0, %n : f64, i32\n  return %r : f64\n}\n"
        "func.func @jvp(%x: f64, %n: i32, %d: f64) -> (f64, f64) {\n"
        "  %y, %dy = ad.jvp @f(%x, %n, %d) : (f64, i32, f64) -> (f64, f64)\n  return %y, %dy : f64, f64\n}\n"
        "func.func @grad(%x: f64, %n: i32) -> f64 {\n"
        "  %g = ad.grad @f(%x, %n) : (f64, i32) -> f64\n  return %g : f64\n}\n"
    )
    m = compile_module(text)
    for x, n in [(1.3, 3), (0.7, -2), (2.0, 0)]:
        fd = (call(m, "f", [x + 1e-6, n])[0] - call(m, "f", [x - 1e-6, n])[0]) / 2e-6
        got = call(m, "jvp", [x, n, 1.0])[1] if mode == "jvp" else call(m, "grad", [x, n])[0]
        assert got == pytest.approx(fd, rel=1e-6, abs=1e-8)


@pytest.mark.parametrize(
    "op, x, expected",
    [
        ("math.absf %a0", 0.0, 0.0),
        ("math.floor %a0", 1.5, 0.0),
        ("math.ceil %a0", 1.5, 0.0),
        ("math.round %a0", 1.2, 0.0),
        ("math.trunc %a0", 1.7, 0.0),
        ("math.roundeven %a0", 1.7, 0.0),
        ("arith.maximumf %a0, %a0", 1.0, 1.0),
    ],
)
def test_non_differentiable_point_conventions(op, x, expected):
    m = compile_module(fn_text("f", 1, f"  %r = {op} : f64") + vjp_driver(1) + jvp_driver(1))
    assert call(m, "vjp", [x, 1.0])[1] == expected
    assert call(m, "jvp", [x, 1.0])[1] == expected


def test_maximumf_tie_goes_to_first_argument():
    text = fn_text("f", 2, "  %r = arith.maximumf %a0, %a1 : f64", ) + vjp_driver(2)
    m = compile_module(text)
    assert call(m, "vjp", [1.0, 1.0, 1.0])[1:] == [1.0, 0.0]
    text = fn_text("f", 2, "  %r = arith.minimumf %a0, %a1 : f64", ) + vjp_driver(2)
    m = compile_module(text)
    assert call(m, "vjp", [1.0, 1.0, 1.0])[1:] == [1.0, 0.0]


def test_select_and_casts():
    text = (
        "func.func @f(%a0: f64, %a1: f64) -> f64 {\n"
        "  %c = arith.cmpf olt, %a0, %a1 : f64\n"
        "  %s = arith.select %c, %a0, %a1 : f64\n"
        "  %t = arith.truncf %s : f64 to f32\n"
        "  %e = arith.extf %t : f32 to f64\n"
        "  %r = arith.mulf %e, %a1 : f64\n"
        "  return %r : f64\n}\n"
    ) + vjp_driver(2) + jvp_driver(2)
    m = compile_module(text)
    assert call(m, "vjp", [1.0, 2.0, 1.0])[1:] == [2.0, 1.0]
    assert call(m, "vjp", [3.0, 2.0, 1.0])[1:] == [0.0, 4.0]
    assert call(m, "jvp", [1.0, 2.0, 1.0, 0.0])[1] == 2.0
