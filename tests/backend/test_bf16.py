"""bf16 compiled (a float rounded to bf16 after every computing op; backends/llvm/bf16.py)
against the interpreter, bitwise, over random values and the hard cases: ties, values
just past a tie, subnormals, overflow, infinities and NaN."""

from __future__ import annotations

import numpy as np
import pytest

import irc
from irc.interpreter import Interpreter

pytest.importorskip("llvmlite")

BINARY = ["addf", "subf", "mulf", "divf", "maximumf", "minnumf", "remf"]

PROGRAM = "\n".join(
    f"""func.func @{op}(%x: f64, %y: f64) -> f64 {{
  %a = arith.truncf %x : f64 to bf16
  %b = arith.truncf %y : f64 to bf16
  %c = arith.{op} %a, %b : bf16
  %r = arith.extf %c : bf16 to f64
  return %r : f64
}}""" for op in BINARY) + """
func.func @narrow64(%x: f64) -> bf16 {
  %r = arith.truncf %x : f64 to bf16
  return %r : bf16
}
func.func @narrow32(%x: f32) -> bf16 {
  %r = arith.truncf %x : f32 to bf16
  return %r : bf16
}
func.func @from_int(%n: i32, %m: i32) -> (bf16, bf16) {
  %s = arith.sitofp %n : i32 to bf16
  %u = arith.uitofp %m : i32 to bf16
  return %s, %u : bf16, bf16
}
func.func @bits(%x: bf16, %i: i16) -> (i16, bf16, bf16, i1) {
  %b = arith.bitcast %x : bf16 to i16
  %f = arith.bitcast %i : i16 to bf16
  %n = arith.negf %f : bf16
  %c = arith.cmpf olt, %x, %f : bf16
  return %b, %f, %n, %c : i16, bf16, bf16, i1
}
func.func @constants() -> (bf16, bf16, bf16) {
  %a = arith.constant 0.1 : bf16
  %b = arith.constant 1.00390625000001 : bf16
  %c = arith.constant 3.0e38 : bf16
  return %a, %b, %c : bf16, bf16, bf16
}
func.func @sum(%m: memref<?xbf16>) -> bf16 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %n = memref.dim %m, %c0 : memref<?xbf16>
  %z = arith.constant 0.0 : bf16
  %s = scf.for %i = %c0 to %n step %c1 iter_args(%acc = %z) -> bf16 {
    %v = memref.load %m[%i] : memref<?xbf16>
    %w = arith.mulf %v, %v : bf16
    %a2 = arith.addf %acc, %w : bf16
    memref.store %a2, %m[%i] : memref<?xbf16>
    scf.yield %a2 : bf16
  }
  return %s : bf16
}
func.func @sine(%x: bf16) -> bf16 {
  %s = math.sin %x : bf16
  return %s : bf16
}
"""


def hard_doubles(rng, n):
    """Random doubles, bf16 ties and their neighbours, subnormals, huge values, specials."""
    ties = 1 + (np.arange(0, 127) * 2 + 1) * 2.0 ** -8  # halfway between neighbouring bf16 in [1, 2)
    tiny = rng.uniform(-1, 1, 40) * 2.0 ** -130
    return np.concatenate([
        rng.normal(size=n) * 10.0 ** rng.integers(-6, 6, n),
        # a tie, and values past it by less than half a float unit (through float they would
        # become the tie and round to even: double rounding)
        ties, ties + 2e-15, ties - 2e-15, -ties, -(ties + 2e-15),
        tiny, [3.3e38, 3.4e38, -3.39e38, 1e39, np.inf, -np.inf, np.nan, 0.0, -0.0, 2.0 ** -133, 2.0 ** -134],
    ])


def same(got, want):
    got, want = np.float64(got), np.float64(want)
    return (np.isnan(got) and np.isnan(want)) or (got == want and np.signbit(got) == np.signbit(want))


@pytest.fixture(scope="module")
def both():
    module = irc.parse_module(PROGRAM)
    return irc.compile(module, opt_level=2, disk_cache=False), Interpreter(module)


def test_narrowing_rounds_once_as_the_interpreter(both):
    compiled, interp = both
    rng = np.random.default_rng(0)
    for x in hard_doubles(rng, 300):
        want = interp.call("narrow64", [float(x)])[0]
        assert same(compiled.narrow64(float(x)), want), x
        with np.errstate(over="ignore"):  # doubles past float's range become infinities, as intended
            x32 = np.float32(x)
        assert same(compiled.narrow32(x32), interp.call("narrow32", [x32])[0]), x32


@pytest.mark.parametrize("op", BINARY)
def test_arithmetic_is_bitwise_the_interpreters(both, op):
    compiled, interp = both
    rng = np.random.default_rng(len(op))
    xs, ys = hard_doubles(rng, 150), hard_doubles(rng, 150)
    rng.shuffle(ys)
    for x, y in zip(xs, ys[:len(xs)]):
        assert same(getattr(compiled, op)(float(x), float(y)), interp.call(op, [float(x), float(y)])[0]), (x, y)


def test_integers_bits_constants_and_buffers(both):
    compiled, interp = both
    rng = np.random.default_rng(3)
    for n in list(rng.integers(-2**31, 2**31 - 1, 200)) + [16777217, -16777219, 2**31 - 1, -2**31, 0]:
        got, want = compiled.from_int(int(n), int(n)), interp.call("from_int", [int(n), int(n)])
        assert all(same(g, w) for g, w in zip(got, want)), n
    for i in list(rng.integers(-2**15, 2**15 - 1, 100)) + [0x7F80, 0x7FC0, -1, 1]:
        x = np.float32(rng.normal())
        x = interp.call("narrow32", [x])[0]
        got, want = compiled.bits(x, int(i)), interp.call("bits", [x, int(i)])
        assert int(got[0]) == int(want[0]) and int(got[3]) == int(want[3])
        assert same(got[1], want[1]) and same(got[2], want[2]), i
    assert all(same(g, w) for g, w in zip(compiled.constants(), interp.call("constants", [])))
    values = np.array([interp.call("narrow32", [np.float32(v)])[0] for v in rng.normal(size=17)], dtype=np.float32)
    a, b = values.copy(), values.copy()
    assert same(compiled.sum(a), interp.call("sum", [b])[0])
    assert np.array_equal(a, b)


def test_math_functions_are_within_one_bf16_unit(both):
    compiled, interp = both
    for x in np.linspace(-6, 6, 97):
        x = interp.call("narrow32", [np.float32(x)])[0]
        got, want = np.float32(compiled.sine(x)), np.float32(interp.call("sine", [x])[0])
        assert abs(int(got.view(np.int32)) - int(want.view(np.int32))) <= 1 << 16, x
