"""Helpers shared by the AD tests: build, lower and run small modules, and
central finite differences (all in float64).  Every AD test runs twice,
through the reference interpreter and compiled by LLVM: the `backend`
fixture is autouse in tests/ad/conftest.py, and `call` runs on it."""

from __future__ import annotations

import numpy as np

import execution

import irc
from irc.passes.ad import lower_ad


def compile_module(text: str, cleanup: bool = True):
    """Parse `text`, lower its ad ops (optionally cleaning up) and verify the result."""
    m = irc.parse_module(text)
    lower_ad(m, cleanup=cleanup)
    irc.verify(m)
    printed = irc.print_op(m)
    assert irc.print_op(irc.parse_module(printed)) == printed, "generated IR does not round-trip"
    return m


def call(module, name: str, args):
    """@name(args) on the test's backend (interpreter or JIT), floats and arrays out."""
    return [float(v) if np.ndim(v) == 0 else np.asarray(v) for v in execution.run(module, name, list(args))]


def central_difference(f, x, direction, h: float = 1e-6):
    """(f(x + h d) - f(x - h d)) / 2h for f: list of floats -> list of floats."""
    x = np.asarray(x, dtype=float)
    d = np.asarray(direction, dtype=float)
    plus = np.asarray(f(list(x + h * d)), dtype=float)
    minus = np.asarray(f(list(x - h * d)), dtype=float)
    return (plus - minus) / (2 * h)


def signature(n_args: int, n_results: int = 1):
    args = ", ".join(f"%a{i}: f64" for i in range(n_args))
    res = ", ".join(["f64"] * n_results)
    return args, (f"({res})" if n_results != 1 else res)


def fn_text(name: str, n_args: int, body: str, result: str = "%r", n_results: int = 1) -> str:
    args, res = signature(n_args, n_results)
    types = ", ".join(["f64"] * n_results)
    return f"func.func @{name}({args}) -> {res} {{\n{body}\n  return {result} : {types}\n}}\n"


def jvp_driver(n_args: int, n_results: int = 1, callee: str = "f") -> str:
    """@jvp(x..., dx...) -> (y..., dy...) calling ad.jvp @callee."""
    xs = [f"%x{i}" for i in range(n_args)]
    ds = [f"%d{i}" for i in range(n_args)]
    args = ", ".join(f"{v}: f64" for v in xs + ds)
    outs = ", ".join(["f64"] * (2 * n_results))
    ins = ", ".join(["f64"] * (2 * n_args))
    names = ", ".join(f"%o{i}" for i in range(2 * n_results))
    return (
        f"func.func @jvp({args}) -> ({outs}) {{\n"
        f"  {names} = ad.jvp @{callee}({', '.join(xs + ds)}) : ({ins}) -> ({outs})\n"
        f"  return {names} : {outs}\n}}\n"
    )


def vjp_driver(n_args: int, n_results: int = 1, callee: str = "f") -> str:
    """@vjp(x..., ct...) -> (y..., cx...) calling ad.vjp @callee."""
    xs = [f"%x{i}" for i in range(n_args)]
    cs = [f"%c{i}" for i in range(n_results)]
    args = ", ".join(f"{v}: f64" for v in xs + cs)
    outs = ", ".join(["f64"] * (n_results + n_args))
    ins = ", ".join(["f64"] * (n_args + n_results))
    names = ", ".join(f"%o{i}" for i in range(n_results + n_args))
    return (
        f"func.func @vjp({args}) -> ({outs}) {{\n"
        f"  {names} = ad.vjp @{callee}({', '.join(xs + cs)}) : ({ins}) -> ({outs})\n"
        f"  return {names} : {outs}\n}}\n"
    )


def check_function(text: str, n_args: int, n_results: int, point, rng, rtol=1e-5, atol=1e-6, callee="f"):
    """Check jvp and vjp of @callee against central differences and each other at `point`."""
    m = compile_module(text + jvp_driver(n_args, n_results, callee) + vjp_driver(n_args, n_results, callee))
    f = lambda x: call(m, callee, x)  # noqa: E731
    v = rng.normal(size=n_args)
    u = rng.normal(size=n_results)
    fd = central_difference(f, point, v)
    out = call(m, "jvp", list(point) + list(v))
    np.testing.assert_allclose(out[:n_results], f(point), rtol=1e-12, atol=1e-12)
    jv = np.asarray(out[n_results:])
    np.testing.assert_allclose(jv, fd, rtol=rtol, atol=atol)
    out = call(m, "vjp", list(point) + list(u))
    np.testing.assert_allclose(out[:n_results], f(point), rtol=1e-12, atol=1e-12)
    uj = np.asarray(out[n_results:])
    # <vjp(u), v> == <u, jvp(v)>
    np.testing.assert_allclose(np.dot(uj, v), np.dot(u, jv), rtol=1e-9, atol=1e-9)
    return m
