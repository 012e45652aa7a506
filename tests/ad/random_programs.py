"""A generator of random differentiable programs (text), driven by hypothesis draws.

Statements: straight-line float code (smooth, affine and piecewise ops: min/max,
absf, select, copysign, floor), calls, and at most two levels of nested regions:
scf.if (branches that may be empty: the identity), scf.for (0-3 trips, a body
that may be the identity), scf.while with a fixed or data-dependent trip count
and code (loops included) in both its ``before`` and ``do`` regions,
ad.checkpoint, and region-form ad.grad / ad.jvp inside the program.
"""

from __future__ import annotations

from hypothesis import strategies as st

HELPER = """
func.func @helper(%p: f64, %q: f64) -> f64 {
  %s = math.sin %p : f64
  %m = arith.mulf %s, %q : f64
  %r = arith.addf %m, %p : f64
  return %r : f64
}
"""

MAX_DEPTH = 2  # region nesting


class Gen:
    """Builds the text of a random function from hypothesis draws."""

    def __init__(self, draw, inner_ad: bool = True):
        self.draw = draw
        self.inner_ad = inner_ad
        self.lines = []
        self.n = 0
        self.indent = "  "

    # -- plumbing ----------------------------------------------------------------------------
    def fresh(self) -> str:
        self.n += 1
        return f"%v{self.n}"

    def emit(self, text: str) -> None:
        self.lines.append(self.indent + text)

    def pick(self, scope):
        """A value in scope, the most recent one half the time (so that most code is live)."""
        if self.draw(st.booleans()):
            return scope[-1]
        return self.draw(st.sampled_from(scope))

    def const(self, value, type_: str = "f64") -> str:
        c = self.fresh()
        self.emit(f"{c} = arith.constant {value!r} : {type_}")
        return c

    def nested(self, scope, depth: int, count: int, loop_first: bool = False):
        """A block one level deeper, indented; returns its scope (outer values first).
        `loop_first`: it starts with a loop (when nesting allows), the cases that stress
        reverse mode most (a loop in the ``before`` region of a while ...)."""
        saved = self.indent
        self.indent += "  "
        inner = list(scope)
        if loop_first and depth + 1 < MAX_DEPTH:
            getattr(self, "gen_" + self.draw(st.sampled_from(["while", "while", "for", "if"])))(inner, depth + 1)
        inner = self.block(inner, depth + 1, count)
        self.indent = saved
        return inner

    def stmt(self, scope, depth: int):
        kinds = ["unary", "binary", "binary", "affine", "piecewise", "piecewise", "div", "call"]
        if depth < MAX_DEPTH:
            kinds += ["if", "for", "for", "while", "while", "checkpoint"]
            if self.inner_ad and depth == 0:
                kinds += ["inner_ad"]
        kind = self.draw(st.sampled_from(kinds))
        getattr(self, "gen_" + kind)(scope, depth)

    def block(self, scope, depth: int, count: int):
        scope = list(scope)
        for _ in range(count):
            self.stmt(scope, depth)
        return scope

    # -- straight-line code ------------------------------------------------------------------
    def gen_unary(self, scope, depth):
        op = self.draw(st.sampled_from(["math.sin", "math.cos", "math.tanh", "math.atan", "arith.negf"]))
        r = self.fresh()
        self.emit(f"{r} = {op} {self.pick(scope)} : f64")
        scope.append(r)

    def gen_binary(self, scope, depth):
        op = self.draw(st.sampled_from(["arith.addf", "arith.subf", "arith.mulf"]))
        r = self.fresh()
        self.emit(f"{r} = {op} {self.pick(scope)}, {self.pick(scope)} : f64")
        scope.append(r)

    def gen_affine(self, scope, depth):
        """c * a + d: the reverse of a region made of these is linear in its adjoints."""
        c = self.const(self.draw(st.sampled_from([-1.5, 0.5, 2.0])))
        d = self.const(self.draw(st.sampled_from([-0.25, 0.75])))
        m, r = self.fresh(), self.fresh()
        self.emit(f"{m} = arith.mulf {c}, {self.pick(scope)} : f64")
        self.emit(f"{r} = arith.addf {m}, {d} : f64")
        scope.append(r)

    def gen_piecewise(self, scope, depth):
        kind = self.draw(st.sampled_from(["min", "max", "minnum", "maxnum", "abs", "select", "copysign", "floor"]))
        a, b = self.pick(scope), self.pick(scope)
        r = self.fresh()
        if kind in ("min", "max", "minnum", "maxnum"):
            op = {"min": "minimumf", "max": "maximumf", "minnum": "minnumf", "maxnum": "maxnumf"}[kind]
            self.emit(f"{r} = arith.{op} {a}, {b} : f64")
        elif kind == "abs":
            self.emit(f"{r} = math.absf {a} : f64")
        elif kind == "copysign":
            self.emit(f"{r} = math.copysign {a}, {b} : f64")
        elif kind == "floor":
            f = self.fresh()
            self.emit(f"{f} = math.floor {b} : f64")
            self.emit(f"{r} = arith.addf {a}, {f} : f64")
        else:
            c = self.fresh()
            self.emit(f"{c} = arith.cmpf olt, {a}, {b} : f64")
            self.emit(f"{r} = arith.select {c}, {self.pick(scope)}, {self.pick(scope)} : f64")
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

    # -- regions -----------------------------------------------------------------------------
    def gen_if(self, scope, depth):
        c, r = self.fresh(), self.fresh()
        self.emit(f"{c} = arith.cmpf olt, {self.pick(scope)}, {self.pick(scope)} : f64")
        self.emit(f"{r} = scf.if {c} -> (f64) {{")
        for k in range(2):
            if k:
                self.emit("} else {")
            inner = self.nested(scope, depth, self.draw(st.integers(0, 2)), self.draw(st.booleans()))  # 0: identity
            self.emit(f"  scf.yield {self.pick(inner)} : f64")
        self.emit("}")
        scope.append(r)

    def gen_for(self, scope, depth):
        trips = self.draw(st.integers(0, 3))
        lo, one, hi = self.const(0, "index"), self.const(1, "index"), self.const(trips, "index")
        r, iv, acc = self.fresh(), self.fresh(), self.fresh()
        self.emit(f"{r} = scf.for {iv} = {lo} to {hi} step {one} iter_args({acc} = {self.pick(scope)}) -> (f64) {{")
        inner = self.nested(scope + [acc], depth, self.draw(st.integers(0, 3)), self.draw(st.booleans()))
        self.emit(f"  scf.yield {self.pick(inner[len(scope):])} : f64")  # the iter arg itself: the identity
        self.emit("}")
        scope.append(r)

    def gen_while(self, scope, depth):
        """scf.while with code in both regions; the trip count is fixed (0-3) or depends on
        the data (stop once the carried value reaches 1, at most 4 trips)."""
        data = self.draw(st.booleans())
        zero, one = self.const(0, "index"), self.const(1, "index")
        cap = self.const(4 if data else self.draw(st.integers(0, 3)), "index")
        lim = self.const(1.0) if data else None
        r, i, acc = self.fresh(), self.fresh(), self.fresh()
        self.emit(f"{r}:2 = scf.while ({i} = {zero}, {acc} = {self.pick(scope)}) : (index, f64) -> (index, f64) {{")
        before = self.nested(scope + [acc], depth, self.draw(st.integers(0, 2)), self.draw(st.booleans()))
        passed = self.pick(before[len(scope):])
        c = self.fresh()
        self.emit(f"  {c} = arith.cmpi slt, {i}, {cap} : index")
        if data:
            c2, c3 = self.fresh(), self.fresh()
            self.emit(f"  {c2} = arith.cmpf olt, {acc}, {lim} : f64")
            self.emit(f"  {c3} = arith.andi {c}, {c2} : i1")
            c = c3
        self.emit(f"  scf.condition({c}) {i}, {passed} : index, f64")
        j, b = self.fresh(), self.fresh()
        self.emit("} do {")
        self.emit(f"^bb0({j}: index, {b}: f64):")
        after = self.nested(scope + [b], depth, self.draw(st.integers(0, 2)), self.draw(st.booleans()))
        w = self.pick(after[len(scope):])
        k = self.fresh()
        self.emit(f"  {k} = arith.addi {j}, {one} : index")
        if data:  # move towards the limit so the loop ends for most inputs
            step = self.const(0.375)
            sq, n1, n2 = self.fresh(), self.fresh(), self.fresh()
            self.emit(f"  {sq} = arith.mulf {w}, {w} : f64")
            self.emit(f"  {n1} = arith.addf {b}, {step} : f64")
            self.emit(f"  {n2} = arith.addf {n1}, {sq} : f64")
            w = n2
        self.emit(f"  scf.yield {k}, {w} : index, f64")
        self.emit("}")
        scope.append(f"{r}#1")

    def gen_checkpoint(self, scope, depth):
        r = self.fresh()
        self.emit(f"{r} = ad.checkpoint -> (f64) {{")
        inner = self.nested(scope, depth, self.draw(st.integers(0, 2)), self.draw(st.booleans()))
        self.emit(f"  ad.yield {self.pick(inner)} : f64")  # maybe a captured value: the identity
        self.emit("}")
        scope.append(r)

    def gen_inner_ad(self, scope, depth):
        """A region-form ad.grad or ad.jvp inside the program (captured values are constants
        to it; the outer differentiation goes through them)."""
        p, y, r = self.pick(scope), self.fresh(), self.fresh()
        if self.draw(st.booleans()):
            self.emit(f"{r} = ad.grad ({p}) : (f64) -> f64 {{")
        else:
            t, primal = self.const(self.draw(st.sampled_from([1.0, -0.5]))), self.fresh()
            self.emit(f"{primal}, {r} = ad.jvp ({p}, {t}) : (f64, f64) -> (f64, f64) {{")
        self.emit(f"^bb0({y}: f64):")
        inner = self.nested(scope + [y], depth, self.draw(st.integers(1, 2)))
        self.emit(f"  ad.yield {self.pick(inner[len(scope):])} : f64")
        self.emit("}")
        scope.append(r)


def function_text(draw, name: str, n_args: int, n_results: int, inner_ad: bool = True) -> str:
    """A random function `@name` of `n_args` f64 arguments and `n_results` f64 results."""
    g = Gen(draw, inner_ad)
    scope = g.block([f"%a{i}" for i in range(n_args)], 0, draw(st.integers(1, 6)))
    outs = [g.pick(scope) for _ in range(n_results)]
    args = ", ".join(f"%a{i}: f64" for i in range(n_args))
    types = ", ".join(["f64"] * n_results)
    res = types if n_results == 1 else f"({types})"
    body = "\n".join(g.lines)
    return f"func.func @{name}({args}) -> {res} {{\n{body}\n  return {', '.join(outs)} : {types}\n}}\n"


def directional_derivative(name: str, inner: str, n_args: int, mode: str, direction) -> str:
    """``@name(x) = d/dt inner(x + t v)`` at t = 0, by ``ad.jvp`` (mode "fwd") or by the
    gradient dotted with v (mode "rev"); v is baked in as constants."""
    xs = [f"%x{i}" for i in range(n_args)]
    ts = ", ".join(["f64"] * n_args)
    lines = [f"func.func @{name}({', '.join(x + ': f64' for x in xs)}) -> f64 {{"]
    vs = []
    for i, c in enumerate(direction):
        lines.append(f"  %v{i} = arith.constant {float(c)!r} : f64")
        vs.append(f"%v{i}")
    if mode == "fwd":
        lines.append(f"  %y, %d = ad.jvp @{inner}({', '.join(xs + vs)}) : ({ts}, {ts}) -> (f64, f64)")
        lines.append("  return %d : f64")
    else:
        gs = [f"%g{i}" for i in range(n_args)]
        lines.append(f"  {', '.join(gs)} = ad.grad @{inner}({', '.join(xs)}) : ({ts}) -> ({ts})")
        acc = None
        for i in range(n_args):
            lines.append(f"  %p{i} = arith.mulf %g{i}, %v{i} : f64")
            if acc is None:
                acc = f"%p{i}"
            else:
                lines.append(f"  %s{i} = arith.addf {acc}, %p{i} : f64")
                acc = f"%s{i}"
        lines.append(f"  return {acc} : f64")
    lines.append("}")
    return "\n".join(lines) + "\n"


def derivative_chain(prefix: str, base: str, n_args: int, modes, directions) -> str:
    """``@{prefix}1 .. @{prefix}k``: each the directional derivative of the one before
    (``@base`` first) along directions[i], by modes[i] (innermost first)."""
    out, inner = [], base
    for k, (mode, v) in enumerate(zip(modes, directions), start=1):
        out.append(directional_derivative(f"{prefix}{k}", inner, n_args, mode, v))
        inner = f"{prefix}{k}"
    return "".join(out)
