"""Compiled scalar ops beside the interpreter on many inputs: truncf in every
rounding mode (ties, subnormals, overflow, NaN), the extended integer ops at
their edges, clampf with NaN and signed zeros."""

from __future__ import annotations

import numpy as np
import pytest

import irc
from irc.interpreter import Interpreter

pytest.importorskip("llvmlite")

MODES = ("to_nearest_even", "downward", "upward", "toward_zero", "to_nearest_away")
PAIRS = (("f64", "f32"), ("f64", "f16"), ("f32", "f16"))


def _module(funcs):
    return irc.parse_module("\n".join(funcs))


def _bits(v, dtype):
    a = np.asarray(v, dtype=dtype)
    return int(a.view({2: np.uint16, 4: np.uint32, 8: np.uint64}[a.itemsize]))


def _samples(src, dst, rng):
    fdst = np.finfo({"f32": np.float32, "f16": np.float16}[dst])
    tiny, big = float(fdst.smallest_subnormal), float(fdst.max)
    values = [0.0, -0.0, float("inf"), -float("inf"), float("nan"), big, -big, big * 1.0001, tiny, tiny / 2,
              tiny * 1.5, -tiny * 2.5, 1 + 2.0 ** -24, 1 + 2.0 ** -11, 1 + 3 * 2.0 ** -12]
    values += list(rng.standard_normal(200) * 10.0 ** rng.integers(-8, 8, 200))
    values += list(rng.uniform(-4 * tiny, 4 * tiny, 50))
    return [float(np.asarray(v, dtype={"f64": np.float64, "f32": np.float32}[src])) for v in values]


def test_truncf_in_every_rounding_mode_is_the_interpreters():
    funcs = [f"""func.func @t_{src}_{dst}_{mode}(%a: {src}) -> {dst} {{
  %0 = arith.truncf %a {mode} : {src} to {dst}
  return %0 : {dst}
}}""" for src, dst in PAIRS for mode in MODES]
    module = _module(funcs)
    compiled = irc.compile(module, opt_level=2, disk_cache=False)
    interp = Interpreter(module)
    rng = np.random.default_rng(7)
    for src, dst in PAIRS:
        dtype = {"f32": np.float32, "f16": np.float16}[dst]
        for v in _samples(src, dst, rng):
            for mode in MODES:
                name = f"t_{src}_{dst}_{mode}"
                want, got = interp.call(name, [v])[0], compiled[name](v)
                if np.isnan(want):
                    assert np.isnan(got), (name, v)
                else:
                    assert _bits(got, dtype) == _bits(want, dtype), (name, v, got, want)


@pytest.mark.parametrize("width", [1, 8, 32, 64])
def test_extended_integer_ops_are_the_interpreters(width):
    t = f"i{width}"
    module = _module([f"""func.func @ext(%a: {t}, %b: {t}) -> ({t}, i1, {t}, {t}, {t}, {t}) {{
  %s, %o = arith.addui_extended %a, %b : {t}, i1
  %l, %h = arith.mulsi_extended %a, %b : {t}
  %ul, %uh = arith.mului_extended %a, %b : {t}
  return %s, %o, %l, %h, %ul, %uh : {t}, i1, {t}, {t}, {t}, {t}
}}"""])
    compiled = irc.compile(module, opt_level=2, disk_cache=False)
    interp = Interpreter(module)
    lo, hi = -(2 ** (width - 1)), 2 ** (width - 1) - 1
    edges = [lo, hi, -1, 0, 1, lo + 1, hi - 1] if width > 1 else [0, -1]
    rng = np.random.default_rng(width)
    pairs = [(a, b) for a in edges for b in edges] + [
        (int(rng.integers(lo, hi, endpoint=True)), int(rng.integers(lo, hi, endpoint=True))) for _ in range(50)]
    for a, b in pairs:
        want = interp.call("ext", [a, b])
        got = compiled.ext(a, b)
        mask = (1 << width) - 1
        assert [int(x) & mask for x in got] == [int(x) & mask for x in want], (a, b)


def test_clampf_is_the_interpreters():
    module = _module(["""func.func @c(%v: f64, %lo: f64, %hi: f64) -> f64 {
  %0 = math.clampf %v to [%lo, %hi] : f64
  return %0 : f64
}"""])
    compiled = irc.compile(module, opt_level=2, disk_cache=False)
    interp = Interpreter(module)
    special = [float("nan"), -0.0, 0.0, 1.0, -1.0, 5.0, float("inf")]
    for v in special:
        for lo in special:
            for hi in special:
                want, got = interp.call("c", [v, lo, hi])[0], compiled.c(v, lo, hi)
                assert (np.isnan(want) and np.isnan(got)) or _bits(got, np.float64) == _bits(want, np.float64)
