"""Finite-difference checks (float64) of the derivative rules of every
differentiable linalg op, forward (ad.jvp) and reverse (ad.vjp), over random
shapes including size-1 and dynamic (`?`) dimensions.  The differences come
from the interpreter; the derivatives run on both backends (the interpreter,
and compiled by LLVM after bufferization: tests/execution.py)."""

from __future__ import annotations

import execution
import numpy as np
import pytest

import irc
from irc.interpreter import Interpreter
from irc.passes.ad import lower_ad


@pytest.fixture(autouse=True)
def _derivatives_on_both_backends(backend):
    return backend


def t(shape) -> str:
    return "tensor<" + "".join(f"{d}x" for d in shape) + "f64>"


def build(body: str, arg_types, result_type, wrt):
    """@f(args) -> result with `body`; @jvp and @vjp drivers differentiating w.r.t. `wrt`."""
    args = ", ".join(f"%a{i}: {ty}" for i, ty in enumerate(arg_types))
    xs = ", ".join(f"%x{i}" for i in range(len(arg_types)))
    x_args = ", ".join(f"%x{i}: {ty}" for i, ty in enumerate(arg_types))
    in_types = ", ".join(arg_types)
    w = ", ".join(map(str, wrt))
    d_args = ", ".join(f"%d{i}: {arg_types[i]}" for i in wrt)
    d_vals = ", ".join(f"%d{i}" for i in wrt)
    d_types = ", ".join(arg_types[i] for i in wrt)
    g_types = ", ".join(arg_types[i] for i in wrt)
    g_names = ", ".join(f"%g{i}" for i in wrt)
    return f"""
func.func @f({args}) -> {result_type} {{
{body}
  return %r : {result_type}
}}
func.func @jvp({x_args}, {d_args}) -> ({result_type}, {result_type}) {{
  %y, %dy = ad.jvp @f({xs}, {d_vals}) {{wrt = [{w}]}} : ({in_types}, {d_types}) -> ({result_type}, {result_type})
  return %y, %dy : {result_type}, {result_type}
}}
func.func @vjp({x_args}, %ct: {result_type}) -> ({result_type}, {g_types}) {{
  %y, {g_names} = ad.vjp @f({xs}, %ct) {{wrt = [{w}]}} : ({in_types}, {result_type}) -> ({result_type}, {g_types})
  return %y, {g_names} : {result_type}, {g_types}
}}
"""


def check(body, arg_types, arg_values, result_type, wrt, seed=0, h=1e-6, positive=False):
    module = irc.parse_module(build(body, arg_types, result_type, wrt))
    lower_ad(module)
    irc.verify(module)
    # the derivative IR reads back (value numbers may shift once: named ops' bodies are not printed)
    text = irc.print_op(irc.parse_module(irc.print_op(module)))
    assert irc.print_op(irc.parse_module(text)) == text, "the derivative IR does not round-trip"

    def f(values):
        return np.asarray(Interpreter(module).call("f", values)[0], dtype=float)

    rng = np.random.default_rng(seed)
    ds = {i: rng.normal(size=np.shape(arg_values[i])) for i in wrt}
    y0 = f(arg_values)
    ct = rng.normal(size=np.shape(y0))
    plus = [v + h * ds[i] if i in ds else v for i, v in enumerate(arg_values)]
    minus = [v - h * ds[i] if i in ds else v for i, v in enumerate(arg_values)]
    fd = (f(plus) - f(minus)) / (2 * h)
    y, dy = execution.run(module, "jvp", list(arg_values) + [ds[i] for i in wrt])
    np.testing.assert_allclose(y, y0, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(dy, fd, rtol=1e-5, atol=1e-6)
    out = execution.run(module, "vjp", list(arg_values) + [ct])
    grads = dict(zip(wrt, out[1:]))
    lhs = float(np.sum(ct * fd))
    rhs = sum(float(np.sum(np.asarray(grads[i]) * ds[i])) for i in wrt)
    assert rhs == pytest.approx(lhs, rel=1e-5, abs=1e-6)
    for i in wrt:
        assert np.shape(grads[i]) == np.shape(arg_values[i])


def rand(rng, shape, positive=False):
    v = rng.uniform(0.5, 1.5, size=shape) if positive else rng.normal(size=shape)
    return v if shape else float(v)


SHAPES = [(3, 4, 5), (1, 1, 1), (2, 1, 3), (1, 5, 2)]


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("dynamic", [False, True])
@pytest.mark.parametrize("op", ["matmul", "matmul_transposed_a", "contract", "generic_sum"])
def test_matmul_family(shape, dynamic, op):
    m, k, n = shape
    rng = np.random.default_rng(m * 100 + k * 10 + n)
    sa, sb, sc = (m, k), (k, n), (m, n)
    if op == "matmul_transposed_a":
        sa = (k, m)
    ty = (lambda s: t(["?"] * len(s))) if dynamic else t
    types = [ty(sa), ty(sb), ty(sc)]
    maps_t = ("indexing_maps = [affine_map<(d0, d1, d2) -> (d2, d0)>, affine_map<(d0, d1, d2) -> (d2, d1)>, "
              "affine_map<(d0, d1, d2) -> (d0, d1)>] ")
    maps_c = maps_t.replace("(d2, d0)", "(d0, d2)")
    ins = f"ins(%a0, %a1 : {types[0]}, {types[1]}) outs(%a2 : {types[2]}) -> {types[2]}"
    body = {
        "matmul": f"  %r = linalg.matmul {ins}",
        "matmul_transposed_a": f"  %r = linalg.matmul {maps_t}{ins}",
        "contract": f"  %r = linalg.contract {maps_c}{ins}",
        "generic_sum": f"""  %r = linalg.generic {{indexing_maps = [affine_map<(i, j, k) -> (i, k)>, affine_map<(i, j, k) -> (k, j)>, affine_map<(i, j, k) -> (i, j)>], iterator_types = ["parallel", "parallel", "reduction"]}} ins(%a0, %a1 : {types[0]}, {types[1]}) outs(%a2 : {types[2]}) {{
  ^bb0(%x: f64, %y: f64, %acc: f64):
    %p = arith.mulf %x, %y : f64
    %e = math.tanh %p : f64
    %s = arith.addf %acc, %e : f64
    linalg.yield %s : f64
  }} -> {types[2]}""",
    }[op]
    values = [rand(rng, sa), rand(rng, sb), rand(rng, sc)]
    check(body, types, values, types[2], [0, 1, 2])


@pytest.mark.parametrize("shape", [(2, 3, 4), (1, 1, 1), (3, 1, 2)])
def test_batched_matvec_vecmat_dot(shape):
    b, m, k = shape
    rng = np.random.default_rng(sum(shape))
    cases = [
        ("batch_matmul", [(b, m, k), (b, k, m), (b, m, m)]),
        ("batch_reduce_matmul", [(b, m, k), (b, k, m), (m, m)]),
        ("matvec", [(m, k), (k,), (m,)]),
        ("vecmat", [(m,), (m, k), (k,)]),
        ("dot", [(k,), (k,), ()]),
    ]
    for name, shapes in cases:
        types = [t(s) for s in shapes]
        body = f"  %r = linalg.{name} ins(%a0, %a1 : {types[0]}, {types[1]}) outs(%a2 : {types[2]}) -> {types[2]}"
        check(body, types, [np.asarray(rand(rng, s)) for s in shapes], types[2], [0, 1, 2])


UNARY = {"exp": False, "log": True, "abs": False, "negf": False, "reciprocal": True, "sqrt": True,
         "rsqrt": True, "square": False, "tanh": False, "erf": False, "ceil": False, "floor": False,
         "round": False}
BINARY = {"add": False, "sub": False, "mul": False, "div": True, "max": False, "min": False, "powf": True}


@pytest.mark.parametrize("shape", [(3, 4), (1, 1), ("?", 2)])
@pytest.mark.parametrize("name", sorted(UNARY) + sorted(BINARY) + ["select", "copy", "fill"])
def test_elementwise_named_ops(shape, name):
    rng = np.random.default_rng(len(name))
    concrete = tuple(3 if d == "?" else d for d in shape)
    ty = t(shape)
    if name in UNARY:
        body = f"  %r = linalg.{name} ins(%a0 : {ty}) outs(%a1 : {ty}) -> {ty}"
        values = [rand(rng, concrete, UNARY[name]), rand(rng, concrete)]
        if name in ("abs", "ceil", "floor", "round"):  # away from the kinks
            values[0] = values[0] + np.sign(values[0]) * 0.25 + 0.1
        check(body, [ty, ty], values, ty, [0])
    elif name in BINARY:
        body = f"  %r = linalg.{name} ins(%a0, %a1 : {ty}, {ty}) outs(%a2 : {ty}) -> {ty}"
        values = [rand(rng, concrete, BINARY[name]), rand(rng, concrete, BINARY[name]), rand(rng, concrete)]
        if name in ("max", "min"):
            values[1] = values[0] + np.where(rng.random(concrete) < 0.5, -0.5, 0.5)
        check(body, [ty, ty, ty], values, ty, [0, 1])
    elif name == "select":
        cond = f"tensor<{''.join(f'{d}x' for d in shape)}i1>"
        body = f"  %r = linalg.select ins(%a3, %a0, %a1 : {cond}, {ty}, {ty}) outs(%a2 : {ty}) -> {ty}"
        values = [rand(rng, concrete), rand(rng, concrete), rand(rng, concrete), rng.random(concrete) < 0.5]
        check(body, [ty, ty, ty, cond], values, ty, [0, 1])
    elif name == "copy":
        body = f"  %r = linalg.copy ins(%a0 : {ty}) outs(%a1 : {ty}) -> {ty}"
        check(body, [ty, ty], [rand(rng, concrete), rand(rng, concrete)], ty, [0, 1])
    else:
        body = f"  %r = linalg.fill ins(%a0 : f64) outs(%a1 : {ty}) -> {ty}"
        check(body, ["f64", ty], [np.float64(0.7), rand(rng, concrete)], ty, [0, 1])


@pytest.mark.parametrize("shape", [(3, 4), (1, 1), (2, 1)])
def test_transpose_broadcast_reduce_map(shape):
    rng = np.random.default_rng(7)
    m, n = shape
    a, tt, v = t((m, n)), t((n, m)), t((m,))
    check(f"  %r = linalg.transpose ins(%a0 : {a}) outs(%a1 : {tt}) permutation = [1, 0]",
          [a, tt], [rand(rng, (m, n)), rand(rng, (n, m))], tt, [0, 1])
    check(f"  %r = linalg.broadcast ins(%a0 : {v}) outs(%a1 : {a}) dimensions = [1]",
          [v, a], [rand(rng, (m,)), rand(rng, (m, n))], a, [0, 1])
    check(f"""  %r = linalg.reduce ins(%a0 : {a}) outs(%a1 : {v}) dimensions = [1]
    (%in: f64, %init: f64) {{
      %s = arith.addf %in, %init : f64
      linalg.yield %s : f64
    }}""", [a, v], [rand(rng, (m, n)), rand(rng, (m,))], v, [0, 1])
    x = rng.permutation(m * n).reshape(m, n) * 0.1  # distinct: the max is unique
    check(f"  %r = linalg.reduce {{ arith.maximumf }} ins(%a0 : {a}) outs(%a1 : {v}) dimensions = [1]",
          [a, v], [x, np.full(m, -10.0)], v, [0, 1])
    check(f"""  %r = linalg.map ins(%a0, %a1 : {a}, {a}) outs(%a2 : {a})
    (%x: f64, %y: f64, %z: f64) {{
      %p = arith.mulf %x, %y : f64
      %s = math.sin %p : f64
      linalg.yield %s : f64
    }}""", [a, a, a], [rand(rng, (m, n)), rand(rng, (m, n)), rand(rng, (m, n))], a, [0, 1])


def test_a_strided_window_and_a_broadcast_bias():
    rng = np.random.default_rng(3)
    body = f"""  %r = linalg.generic {{indexing_maps = [affine_map<(d0, d1) -> (d0 * 2 + d1)>, affine_map<(d0, d1) -> (d1)>, affine_map<(d0, d1) -> (d0)>, affine_map<(d0, d1) -> (d0)>], iterator_types = ["parallel", "reduction"]}} ins(%a0, %a1, %a2 : {t((9,))}, {t((3,))}, {t((4,))}) outs(%a3 : {t((4,))}) {{
  ^bb0(%x: f64, %w: f64, %b: f64, %acc: f64):
    %p = arith.mulf %x, %w : f64
    %q = arith.addf %p, %b : f64
    %s = arith.addf %acc, %q : f64
    linalg.yield %s : f64
  }} -> {t((4,))}"""
    types = [t((9,)), t((3,)), t((4,)), t((4,))]
    check(body, types, [rand(rng, (9,)), rand(rng, (3,)), rand(rng, (4,)), rand(rng, (4,))], types[3], [0, 1, 2, 3])


def test_a_reduction_that_is_neither_a_sum_nor_a_max_is_not_differentiable():
    from irc.diagnostics import DiagnosticError

    ty, v = t((3, 4)), t((3,))
    body = f"""  %r = linalg.generic {{indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i)>], iterator_types = ["parallel", "reduction"]}} ins(%a0 : {ty}) outs(%a1 : {v}) {{
  ^bb0(%x: f64, %acc: f64):
    %s = arith.mulf %acc, %x : f64
    linalg.yield %s : f64
  }} -> {v}"""
    module = irc.parse_module(build(body, [ty, v], v, [0]))
    with pytest.raises(DiagnosticError, match="'linalg.generic' op is not differentiable: output #0 is reduced"):
        lower_ad(module)


@pytest.mark.parametrize("update", ["overwrite", "scale"])
def test_an_active_init_of_a_parallel_body(update):
    """The init's cotangent when the body overwrites it (zero) or reads it (the body's partial)."""
    rng = np.random.default_rng(5)
    ty = t((3, 4))
    new = "%s = arith.mulf %x, %x : f64" if update == "overwrite" else "%s = arith.mulf %acc, %x : f64"
    body = f"""  %r = linalg.generic {{indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i, j)>], iterator_types = ["parallel", "parallel"]}} ins(%a0 : {ty}) outs(%a1 : {ty}) {{
  ^bb0(%x: f64, %acc: f64):
    {new}
    linalg.yield %s : f64
  }} -> {ty}"""
    check(body, [ty, ty], [rand(rng, (3, 4)), rand(rng, (3, 4))], ty, [0, 1])
