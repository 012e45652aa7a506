"""Random programs (straight-line code, scf.if, scf.for with iter_args,
scf.while, calls) differentiated in both modes and checked against central
finite differences and against each other: <vjp(u), v> == <u, jvp(v)>.

CI runs a few hundred examples; ``IRC_AD_EXAMPLES=5000 pytest
tests/ad/test_ad_random_programs.py`` runs more.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import numpy as np
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).parent))
from adtest import call, compile_module, jvp_driver, vjp_driver  # noqa: E402

EXAMPLES = int(os.environ.get("IRC_AD_EXAMPLES", "300"))

HELPER = """
func.func @helper(%p: f64, %q: f64) -> f64 {
  %s = math.sin %p : f64
  %m = arith.mulf %s, %q : f64
  %r = arith.addf %m, %p : f64
  return %r : f64
}
"""


class Gen:
    """Builds the text of a random function from hypothesis draws."""

    def __init__(self, draw):
        self.draw = draw
        self.lines = []
        self.n = 0
        self.indent = "  "

    def fresh(self) -> str:
        self.n += 1
        return f"%v{self.n}"

    def emit(self, text: str) -> None:
        self.lines.append(self.indent + text)

    def pick(self, scope):
        return self.draw(st.sampled_from(scope))

    def const(self, value: float) -> str:
        c = self.fresh()
        self.emit(f"{c} = arith.constant {value!r} : f64")
        return c

    def stmt(self, scope, depth: int):
        kinds = ["unary", "binary", "binary", "div", "call"]
        if depth < 2:
            kinds += ["if", "for", "while", "while_data"]
        kind = self.draw(st.sampled_from(kinds))
        getattr(self, "gen_" + kind)(scope, depth)

    def block(self, scope, depth: int, count: int):
        scope = list(scope)
        for _ in range(count):
            self.stmt(scope, depth)
        return scope

    def gen_unary(self, scope, depth):
        op = self.draw(st.sampled_from(["math.sin", "math.cos", "math.tanh", "math.atan", "arith.negf"]))
        r = self.fresh()
        self.emit(f"{r} = {op} {self.pick(scope)} : f64")
        scope.append(r)

    def gen_binary(self, scope, depth):
        op = self.draw(st.sampled_from(["arith.addf", "arith.subf", "arith.mulf", "arith.maximumf"]))
        r = self.fresh()
        self.emit(f"{r} = {op} {self.pick(scope)}, {self.pick(scope)} : f64")
        scope.append(r)

    def gen_div(self, scope, depth):
        a, b = self.pick(scope), self.pick(scope)
        s, d, q = self.fresh(), self.fresh(), self.fresh()
        one = self.const(1.0)
        self.emit(f"{s} = arith.mulf {b}, {b} : f64")
        self.emit(f"{d} = arith.addf {one}, {s} : f64")
        self.emit(f"{q} = arith.divf {a}, {d} : f64")
        scope.append(q)

    def gen_call(self, scope, depth):
        r = self.fresh()
        self.emit(f"{r} = func.call @helper({self.pick(scope)}, {self.pick(scope)}) : (f64, f64) -> f64")
        scope.append(r)

    def gen_if(self, scope, depth):
        c, r = self.fresh(), self.fresh()
        self.emit(f"{c} = arith.cmpf olt, {self.pick(scope)}, {self.pick(scope)} : f64")
        self.emit(f"{r} = scf.if {c} -> (f64) {{")
        for k in range(2):
            if k:
                self.emit("} else {")
            saved = self.indent
            self.indent += "  "
            inner = self.block(scope, depth + 1, self.draw(st.integers(0, 2)))
            self.emit(f"scf.yield {self.pick(inner)} : f64")
            self.indent = saved
        self.emit("}")
        scope.append(r)

    def gen_for(self, scope, depth):
        trips = self.draw(st.integers(0, 3))
        lo, one, hi = self.fresh(), self.fresh(), self.fresh()
        self.emit(f"{lo} = arith.constant 0 : index")
        self.emit(f"{one} = arith.constant 1 : index")
        self.emit(f"{hi} = arith.constant {trips} : index")
        r, iv, acc = self.fresh(), self.fresh(), self.fresh()
        self.emit(f"{r} = scf.for {iv} = {lo} to {hi} step {one} iter_args({acc} = {self.pick(scope)}) -> (f64) {{")
        saved = self.indent
        self.indent += "  "
        inner = self.block(scope + [acc], depth + 1, self.draw(st.integers(1, 3)))
        self.emit(f"scf.yield {self.pick(inner[len(scope):])} : f64")
        self.indent = saved
        self.emit("}")
        scope.append(r)

    def gen_while(self, scope, depth):
        trips = self.draw(st.integers(0, 3))
        zero, one, hi = self.fresh(), self.fresh(), self.fresh()
        self.emit(f"{zero} = arith.constant 0 : index")
        self.emit(f"{one} = arith.constant 1 : index")
        self.emit(f"{hi} = arith.constant {trips} : index")
        r, i, acc, c = self.fresh(), self.fresh(), self.fresh(), self.fresh()
        self.emit(f"{r}:2 = scf.while ({i} = {zero}, {acc} = {self.pick(scope)}) : (index, f64) -> (index, f64) {{")
        self.emit(f"  {c} = arith.cmpi slt, {i}, {hi} : index")
        self.emit(f"  scf.condition({c}) {i}, {acc} : index, f64")
        j, b = self.fresh(), self.fresh()
        self.emit("} do {")
        self.emit(f"^bb0({j}: index, {b}: f64):")
        saved = self.indent
        self.indent += "  "
        inner = self.block(scope + [b], depth + 1, self.draw(st.integers(1, 3)))
        k = self.fresh()
        self.emit(f"{k} = arith.addi {j}, {one} : index")
        self.emit(f"scf.yield {k}, {self.pick(inner[len(scope):])} : index, f64")
        self.indent = saved
        self.emit("}")
        scope.append(f"{r}#1")

    def gen_while_data(self, scope, depth):
        """A while whose trip count depends on the data (bounded by a counter)."""
        zero, one, cap, lim, step = self.fresh(), self.fresh(), self.fresh(), self.fresh(), self.fresh()
        self.emit(f"{zero} = arith.constant 0 : index")
        self.emit(f"{one} = arith.constant 1 : index")
        self.emit(f"{cap} = arith.constant 4 : index")
        self.emit(f"{lim} = arith.constant 1.0 : f64")
        self.emit(f"{step} = arith.constant 0.375 : f64")
        r, i, acc, c1, c2, c = (self.fresh() for _ in range(6))
        self.emit(f"{r}:2 = scf.while ({i} = {zero}, {acc} = {self.pick(scope)}) : (index, f64) -> (index, f64) {{")
        self.emit(f"  {c1} = arith.cmpi slt, {i}, {cap} : index")
        self.emit(f"  {c2} = arith.cmpf olt, {acc}, {lim} : f64")
        self.emit(f"  {c} = arith.andi {c1}, {c2} : i1")
        self.emit(f"  scf.condition({c}) {i}, {acc} : index, f64")
        j, b = self.fresh(), self.fresh()
        self.emit("} do {")
        self.emit(f"^bb0({j}: index, {b}: f64):")
        saved = self.indent
        self.indent += "  "
        inner = self.block(scope + [b], depth + 1, self.draw(st.integers(0, 2)))
        w = self.pick(inner[len(scope):])
        k, sq, n1, n2 = self.fresh(), self.fresh(), self.fresh(), self.fresh()
        self.emit(f"{k} = arith.addi {j}, {one} : index")
        self.emit(f"{sq} = arith.mulf {w}, {w} : f64")
        self.emit(f"{n1} = arith.addf {b}, {step} : f64")
        self.emit(f"{n2} = arith.addf {n1}, {sq} : f64")
        self.emit(f"scf.yield {k}, {n2} : index, f64")
        self.indent = saved
        self.emit("}")
        scope.append(f"{r}#1")


@st.composite
def programs(draw):
    """(module text, number of arguments) of a random function @f with two results."""
    n_args = draw(st.integers(1, 3))
    g = Gen(draw)
    scope = [f"%a{i}" for i in range(n_args)]
    scope = g.block(scope, 0, draw(st.integers(1, 6)))
    outs = [g.pick(scope), g.pick(scope)]
    args = ", ".join(f"%a{i}: f64" for i in range(n_args))
    body = "\n".join(g.lines)
    text = f"func.func @f({args}) -> (f64, f64) {{\n{body}\n  return {outs[0]}, {outs[1]} : f64, f64\n}}\n"
    return HELPER + text, n_args


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(programs(), st.integers(0, 2**32 - 1))
def test_random_program_derivatives(program, seed):
    text, n = program
    m = compile_module(text + jvp_driver(n, 2) + vjp_driver(n, 2))
    rng = np.random.default_rng(seed)
    x = rng.uniform(-1.5, 1.5, size=n)
    v = rng.normal(size=n)
    u = rng.normal(size=2)
    f = lambda p: np.asarray(call(m, "f", list(p)))  # noqa: E731
    y = f(x)
    assume(np.all(np.isfinite(y)))
    out = call(m, "jvp", list(x) + list(v))
    np.testing.assert_array_equal(out[:2], y)
    jv = np.asarray(out[2:])
    out = call(m, "vjp", list(x) + list(u))
    np.testing.assert_array_equal(out[:2], y)
    uj = np.asarray(out[2:])
    # the two modes agree exactly up to rounding: <vjp(u), v> == <u, jvp(v)>
    np.testing.assert_allclose(np.dot(uj, v), np.dot(u, jv), rtol=1e-9, atol=1e-9)
    # central differences, skipped where a branch or max flips inside the stencil
    h = 1e-5
    fd1 = (f(x + h * v) - f(x - h * v)) / (2 * h)
    fd2 = (f(x + h / 2 * v) - f(x - h / 2 * v)) / h
    smooth = np.allclose(fd1, fd2, rtol=1e-4, atol=1e-6)
    if smooth:
        np.testing.assert_allclose(jv, fd1, rtol=1e-4, atol=1e-5)
