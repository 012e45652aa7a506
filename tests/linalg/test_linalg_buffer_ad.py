"""Finite-difference checks (float64, interpreter) of linalg ops on buffers differentiated
with `dup` buffer arguments (Enzyme's duplicated memory: the caller passes a shadow
buffer, updated in place) and constant ones, forward (ad.jvp) and reverse (ad.vjp).

A program here is a function of its buffers' initial contents (and scalars) whose
outputs are its dup buffers' final contents.  Forward mode must leave in each dup
buffer's shadow the tangent of its final contents (central differences); reverse mode,
seeded with adjoints `u` of the final contents, must leave the adjoints of the initial
contents, so that ``<u, J d> = <shadows, d>`` for every direction `d`."""

from __future__ import annotations

import numpy as np
import pytest

import irc
from irc.interpreter import Interpreter
from irc.passes.ad import lower_ad


def m(shape) -> str:
    """The memref type of `shape` (entries may be "?")."""
    return "memref<" + "".join(f"{d}x" for d in shape) + "f64>"


def program(body: str, types, wrt) -> str:
    """@f(%a0 ...) running `body`, with @jvp and @vjp drivers for the active positions `wrt`."""
    args = ", ".join(f"%a{i}: {ty}" for i, ty in enumerate(types))
    names = ", ".join(f"%a{i}" for i in range(len(types)))
    all_types = ", ".join(types)
    w = ", ".join(map(str, wrt))
    d_args = "".join(f", %d{i}: {types[i]}" for i in wrt)
    d_names = "".join(f", %d{i}" for i in wrt)
    d_types = "".join(f", {types[i]}" for i in wrt)
    buffers = [i for i in wrt if types[i].startswith("memref")]
    scalars = [i for i in wrt if i not in buffers]
    s_args = "".join(f", %s{i}: {types[i]}" for i in buffers)
    s_names = "".join(f", %s{i}" for i in buffers)
    s_types = "".join(f", {types[i]}" for i in buffers)
    g_types = ", ".join(types[i] for i in scalars)
    g_names = ", ".join(f"%g{i}" for i in scalars)
    vjp_call = f"ad.vjp @f({names}{s_names}) {{wrt = [{w}]}} : ({all_types}{s_types}) -> ({g_types})"
    return f"""
func.func @f({args}) {{
{body}
  return
}}
func.func @jvp({args}{d_args}) {{
  ad.jvp @f({names}{d_names}) {{wrt = [{w}]}} : ({all_types}{d_types}) -> ()
  return
}}
func.func @vjp({args}{s_args}) -> ({g_types}) {{
  {f"{g_names} = " if scalars else ""}{vjp_call}
  return {g_names}{" : " + g_types if scalars else ""}
}}
"""


def differentiate(text: str):
    module = irc.parse_module(text)
    lower_ad(module)
    irc.verify(module)
    printed = irc.print_op(irc.parse_module(irc.print_op(module)))
    assert irc.print_op(irc.parse_module(printed)) == printed, "the derivative IR does not round-trip"
    return module


def run(module, name, args):
    """@name on copies of `args`: (its results, the arguments' contents after the call)."""
    values = [np.array(a, copy=True) if isinstance(a, np.ndarray) else a for a in args]
    interp = Interpreter(module)
    results = interp.call(name, values)
    assert interp.memory.live_allocations == [], "a buffer was never freed"
    return results, values


def check(body: str, types, values, wrt, seed=0, h=1e-6):
    """Forward and reverse mode of @f w.r.t. `wrt` against central differences."""
    module = differentiate(program(body, types, wrt))
    rng = np.random.default_rng(seed)
    buffers = [i for i in wrt if types[i].startswith("memref")]
    scalars = [i for i in wrt if i not in buffers]

    def final(args):
        return [run(module, "f", args)[1][i] for i in buffers]

    d = {i: np.asarray(rng.normal(size=np.shape(values[i]))) if np.ndim(values[i]) or isinstance(values[i], np.ndarray)
         else float(rng.normal()) for i in wrt}
    def moved(sign):
        out = [v + sign * h * d[i] if i in d else v for i, v in enumerate(values)]
        return [np.asarray(v) if i in buffers else v for i, v in enumerate(out)]  # 0-d buffers too

    fd = [(p - q) / (2 * h) for p, q in zip(final(moved(1)), final(moved(-1)))]
    _, after = run(module, "jvp", list(values) + [d[i] for i in wrt])
    tangents = after[len(values):]
    for k, i in enumerate(buffers):
        np.testing.assert_allclose(tangents[wrt.index(i)], fd[k], rtol=1e-5, atol=1e-6,
                                   err_msg=f"tangent of buffer %a{i}")
    u = [np.asarray(rng.normal(size=np.shape(values[i]))) for i in buffers]
    grads, after = run(module, "vjp", list(values) + u)
    shadows = after[len(values):]
    lhs = sum(float(np.sum(uk * fk)) for uk, fk in zip(u, fd))
    rhs = sum(float(np.sum(s * d[i])) for s, i in zip(shadows, buffers))
    rhs += sum(float(g) * float(d[i]) for g, i in zip(grads, scalars))
    assert rhs == pytest.approx(lhs, rel=1e-6, abs=1e-7)
    return module


def rand(rng, shape, positive=False):
    return rng.uniform(0.5, 1.5, size=shape) if positive else rng.normal(size=shape)


def concrete(shape, fill=3):
    return tuple(fill if d == "?" else d for d in shape)


# ----------------------------------------------------------------------------
# linalg.generic: parallel bodies, reductions, bodies that read their output


GENERIC = """  linalg.generic {{indexing_maps = [{maps}], iterator_types = [{iters}]}} ins({ins}) outs({outs}) {{
  ^bb0({args}):
{body}
  }}"""


@pytest.mark.parametrize("shape", [(3, 4), (1, 1), (2, 1), ("?", "?")])
def test_generic_parallel_body_with_a_broadcast_input(shape):
    rows, cols = concrete(shape)
    a, v = m(shape), m(shape[1:])
    body = GENERIC.format(maps="affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (j)>, affine_map<(i, j) -> (i, j)>",
                          iters='"parallel", "parallel"', ins=f"%a0, %a1 : {a}, {v}", outs=f"%a2 : {a}",
                          args="%x: f64, %y: f64, %o: f64", body="""    %s = math.sin %x : f64
    %p = arith.mulf %s, %y : f64
    linalg.yield %p : f64""")
    rng = np.random.default_rng(rows * 10 + cols)
    check(body, [a, v, a], [rand(rng, (rows, cols)), rand(rng, (cols,)), rand(rng, (rows, cols))], [0, 1, 2])


@pytest.mark.parametrize("shape", [(3, 4), (1, 1), (1, 3), ("?", 2)])
@pytest.mark.parametrize("combiner", ["sum", "max"])
def test_generic_reduction_body(shape, combiner):
    rows, cols = concrete(shape)
    a, v, out = m(shape), m(shape[1:]), m(shape[:1])
    combine = "arith.addf %acc, %e" if combiner == "sum" else "arith.maximumf %acc, %e"
    body = GENERIC.format(maps="affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (j)>, affine_map<(i, j) -> (i)>",
                          iters='"parallel", "reduction"', ins=f"%a0, %a1 : {a}, {v}", outs=f"%a2 : {out}",
                          args="%x: f64, %y: f64, %acc: f64", body=f"""    %p = arith.mulf %x, %y : f64
    %e = math.tanh %p : f64
    %r = {combine} : f64
    linalg.yield %r : f64""")
    rng = np.random.default_rng(rows + 7 * cols)
    init = rand(rng, (rows,)) - (3.0 if combiner == "max" else 0.0)  # max: the init wins nowhere
    check(body, [a, v, out], [rand(rng, (rows, cols)), rand(rng, (cols,)), init], [0, 1, 2])


def test_generic_parallel_body_that_reads_its_output():
    """out = out * x + sin(x): the output's shadow becomes ct * x (its old contents' adjoint)."""
    a = m((3, 2))
    body = GENERIC.format(maps="affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i, j)>",
                          iters='"parallel", "parallel"', ins=f"%a0 : {a}", outs=f"%a1 : {a}",
                          args="%x: f64, %o: f64", body="""    %p = arith.mulf %o, %x : f64
    %s = math.sin %x : f64
    %r = arith.addf %p, %s : f64
    linalg.yield %r : f64""")
    rng = np.random.default_rng(4)
    check(body, [a, a], [rand(rng, (3, 2)), rand(rng, (3, 2))], [0, 1])


# ----------------------------------------------------------------------------
# contractions


@pytest.mark.parametrize("shape", [(3, 4, 2), (1, 1, 1), (2, 1, 3), (1, 5, 2)])
@pytest.mark.parametrize("dynamic", [False, True])
@pytest.mark.parametrize("op", ["matmul", "matmul_transposed_a", "batch_matmul"])
def test_matmul_family(shape, dynamic, op):
    mm, k, n = shape
    rng = np.random.default_rng(mm * 100 + k * 10 + n)
    shapes = {"matmul": [(mm, k), (k, n), (mm, n)], "matmul_transposed_a": [(k, mm), (k, n), (mm, n)],
              "batch_matmul": [(2, mm, k), (2, k, n), (2, mm, n)]}[op]
    types = [m(["?"] * len(s)) if dynamic else m(s) for s in shapes]
    maps = ("indexing_maps = [affine_map<(d0, d1, d2) -> (d2, d0)>, affine_map<(d0, d1, d2) -> (d2, d1)>, "
            "affine_map<(d0, d1, d2) -> (d0, d1)>] " if op == "matmul_transposed_a" else "")
    name = "batch_matmul" if op == "batch_matmul" else "matmul"
    body = f"  linalg.{name} {maps}ins(%a0, %a1 : {types[0]}, {types[1]}) outs(%a2 : {types[2]})"
    check(body, types, [rand(rng, s) for s in shapes], [0, 1, 2])


@pytest.mark.parametrize("shape", [(2, 3, 4), (1, 1, 1), (3, 1, 2)])
def test_other_contractions(shape):
    b, mm, k = shape
    rng = np.random.default_rng(sum(shape))
    maps = ("indexing_maps = [affine_map<(i, j, k) -> (k, i)>, affine_map<(i, j, k) -> (j, k)>, "
            "affine_map<(i, j, k) -> (i, j)>] ")
    cases = [
        ("batch_reduce_matmul", "", [(b, mm, k), (b, k, mm), (mm, mm)]),
        ("matvec", "", [(mm, k), (k,), (mm,)]),
        ("vecmat", "", [(mm,), (mm, k), (k,)]),
        ("dot", "", [(k,), (k,), ()]),
        ("contract", maps, [(k, mm), (b, k), (mm, b)]),
    ]
    for name, attrs, shapes in cases:
        types = [m(sh) for sh in shapes]
        body = f"  linalg.{name} {attrs}ins(%a0, %a1 : {types[0]}, {types[1]}) outs(%a2 : {types[2]})"
        check(body, types, [np.asarray(rand(rng, sh)) for sh in shapes], [0, 1, 2])


def test_matmul_with_a_constant_operand():
    """B is const (not in wrt): only A's and C's shadows carry derivatives; B is only read."""
    a, b, c = m((3, 4)), m((4, 2)), m((3, 2))
    rng = np.random.default_rng(11)
    body = f"  linalg.matmul ins(%a0, %a1 : {a}, {b}) outs(%a2 : {c})"
    module = check(body, [a, b, c], [rand(rng, (3, 4)), rand(rng, (4, 2)), rand(rng, (3, 2))], [0, 2])
    assert "%a1_shadow" not in irc.print_op(module)


# ----------------------------------------------------------------------------
# named ops: elementwise, fill, copy, transpose, broadcast, reduce


UNARY = {"exp": False, "log": True, "negf": False, "sqrt": True, "square": False, "tanh": False}
BINARY = {"add": False, "sub": False, "mul": False, "div": True, "max": False}


@pytest.mark.parametrize("shape", [(3, 4), (1, 1), ("?", 2)])
@pytest.mark.parametrize("name", sorted(UNARY) + sorted(BINARY) + ["copy", "fill"])
def test_elementwise_fill_and_copy(shape, name):
    rng = np.random.default_rng(len(name))
    size = concrete(shape)
    ty = m(shape)
    if name in UNARY:
        body = f"  linalg.{name} ins(%a0 : {ty}) outs(%a1 : {ty})"
        check(body, [ty, ty], [rand(rng, size, UNARY[name]), rand(rng, size)], [0, 1])
    elif name in BINARY:
        body = f"  linalg.{name} ins(%a0, %a1 : {ty}, {ty}) outs(%a2 : {ty})"
        values = [rand(rng, size, BINARY[name]), rand(rng, size, BINARY[name]), rand(rng, size)]
        if name == "max":
            values[1] = values[0] + np.where(rng.random(size) < 0.5, -0.5, 0.5)
        check(body, [ty, ty, ty], values, [0, 1, 2])
    elif name == "copy":
        check(f"  linalg.copy ins(%a0 : {ty}) outs(%a1 : {ty})", [ty, ty], [rand(rng, size), rand(rng, size)],
              [0, 1])
    else:
        check(f"  linalg.fill ins(%a0 : f64) outs(%a1 : {ty})", ["f64", ty], [np.float64(0.7), rand(rng, size)],
              [0, 1])


def test_an_op_that_writes_its_input_in_place():
    """exp ins(%a) outs(%a): the input's old contents are gone after the op."""
    ty = m((2, 3))
    rng = np.random.default_rng(2)
    check(f"  linalg.exp ins(%a0 : {ty}) outs(%a0 : {ty})", [ty], [rand(rng, (2, 3))], [0])


@pytest.mark.parametrize("shape", [(3, 4), (1, 1), (2, 1)])
def test_transpose_broadcast_reduce(shape):
    rng = np.random.default_rng(7)
    r, c = shape
    a, tt, v = m((r, c)), m((c, r)), m((r,))
    check(f"  linalg.transpose ins(%a0 : {a}) outs(%a1 : {tt}) permutation = [1, 0]",
          [a, tt], [rand(rng, (r, c)), rand(rng, (c, r))], [0, 1])
    check(f"  linalg.broadcast ins(%a0 : {v}) outs(%a1 : {a}) dimensions = [1]",
          [v, a], [rand(rng, (r,)), rand(rng, (r, c))], [0, 1])
    check(f"""  linalg.reduce ins(%a0 : {a}) outs(%a1 : {v}) dimensions = [1]
    (%in: f64, %init: f64) {{
      %s = arith.addf %in, %init : f64
      linalg.yield %s : f64
    }}""", [a, v], [rand(rng, (r, c)), rand(rng, (r,))], [0, 1])
    x = rng.permutation(r * c).reshape(r, c) * 0.1  # distinct: the max is unique
    check(f"  linalg.reduce {{ arith.maximumf }} ins(%a0 : {a}) outs(%a1 : {v}) dimensions = [1]",
          [a, v], [x, np.full(r, -10.0)], [0, 1])


def test_map_and_select():
    rng = np.random.default_rng(12)
    a, cond = m((3, 2)), "memref<3x2xi1>"
    check(f"""  linalg.map ins(%a0, %a1 : {a}, {a}) outs(%a2 : {a})
    (%x: f64, %y: f64, %z: f64) {{
      %p = arith.mulf %x, %y : f64
      %s = math.sin %p : f64
      linalg.yield %s : f64
    }}""", [a, a, a], [rand(rng, (3, 2)) for _ in range(3)], [0, 1, 2])
    check(f"  linalg.select ins(%a3, %a0, %a1 : {cond}, {a}, {a}) outs(%a2 : {a})", [a, a, a, cond],
          [rand(rng, (3, 2)), rand(rng, (3, 2)), rand(rng, (3, 2)), rng.random((3, 2)) < 0.5], [0, 1, 2])


# ----------------------------------------------------------------------------
# windows: a strided convolution and strided poolings


@pytest.mark.parametrize("pool", ["max", "sum"])
def test_strided_convolution_and_pooling(pool):
    rng = np.random.default_rng(9)
    x, k, o = m((1, 5, 5, 2)), m((3, 3, 2, 2)), m((1, 2, 2, 2))
    attrs = "{strides = dense<2> : tensor<2xi64>, dilations = dense<1> : tensor<2xi64>}"
    conv = f"  linalg.conv_2d_nhwc_hwcf {attrs} ins(%a0, %a1 : {x}, {k}) outs(%a2 : {o})"
    check(conv, [x, k, o], [rand(rng, (1, 5, 5, 2)), rand(rng, (3, 3, 2, 2)), rand(rng, (1, 2, 2, 2))], [0, 1, 2])
    w, p = m((2, 2)), m((1, 2, 2, 2))
    pooling = f"  linalg.pooling_nhwc_{pool} {attrs} ins(%a0, %a1 : {x}, {w}) outs(%a2 : {p})"
    image = rng.permutation(50).reshape(1, 5, 5, 2) * 0.1  # distinct: one maximum per window
    init = np.full((1, 2, 2, 2), -10.0) if pool == "max" else rand(rng, (1, 2, 2, 2))
    check(pooling, [x, w, p], [image, np.zeros((2, 2)), init], [0, 2])


def test_dilated_depthwise_convolution_with_dynamic_sizes():
    rng = np.random.default_rng(13)
    x, k, o = m(("?", 5, 5, 2)), m((2, 2, 2)), m(("?", 3, 3, 2))
    attrs = "{strides = dense<1> : tensor<2xi64>, dilations = dense<2> : tensor<2xi64>}"
    body = f"  linalg.depthwise_conv_2d_nhwc_hwc {attrs} ins(%a0, %a1 : {x}, {k}) outs(%a2 : {o})"
    check(body, [x, k, o], [rand(rng, (2, 5, 5, 2)), rand(rng, (2, 2, 2)), rand(rng, (2, 3, 3, 2))], [0, 1, 2])


# ----------------------------------------------------------------------------
# memory effects: contents overwritten or freed after an op reads them


V = m((4,))
LOOP = """  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c3 = arith.constant 3 : index
  scf.for %i = %c0 to %c3 step %c1 {{
{body}
  }}"""


def vjp_text(module) -> str:
    return irc.print_op(module).split("func.func private @f_vjp", 1)[1].split("\n  }\n", 1)[0]


def test_inputs_kept_until_the_reverse_sweep_are_read_in_place():
    body = f"  linalg.mul ins(%a0, %a1 : {V}, {V}) outs(%a2 : {V})"
    rng = np.random.default_rng(1)
    module = check(body, [V] * 3, [rand(rng, 4) for _ in range(3)], [0, 1, 2])
    assert "memref.copy" not in vjp_text(module) and "memref.alloc" not in vjp_text(module)


def test_an_input_overwritten_later_is_copied_before_the_op():
    body = f"""  linalg.mul ins(%a0, %a1 : {V}, {V}) outs(%a2 : {V})
  linalg.exp ins(%a2 : {V}) outs(%a0 : {V})"""
    rng = np.random.default_rng(2)
    module = check(body, [V] * 3, [rand(rng, 4) for _ in range(3)], [0, 1, 2])
    assert "memref.copy %a0" in vjp_text(module)


def test_a_local_buffer_freed_after_its_last_use_is_copied():
    body = f"""  %t = memref.alloc() : {V}
  linalg.mul ins(%a0, %a1 : {V}, {V}) outs(%t : {V})
  linalg.tanh ins(%t : {V}) outs(%a2 : {V})
  memref.dealloc %t : {V}"""
    rng = np.random.default_rng(3)
    check(body, [V] * 3, [rand(rng, 4) for _ in range(3)], [0, 1, 2])


def test_an_input_overwritten_on_every_trip_of_a_loop_is_taped():
    """x <- x * y three times: each trip's x is copied onto a tape (popped and freed in reverse)."""
    body = LOOP.format(body=f"""    linalg.mul ins(%a0, %a1 : {V}, {V}) outs(%a2 : {V})
    linalg.copy ins(%a2 : {V}) outs(%a0 : {V})""")
    rng = np.random.default_rng(4)
    values = [rand(rng, 4), rand(rng, 4), rand(rng, 4)]
    module = check(body, [V] * 3, values, [0, 1, 2])
    assert "ad.tape_push" in vjp_text(module)
    # compiled by LLVM (linalg lowered to loops, tapes of buffers), the same adjoints
    seeds = [rand(rng, 4) for _ in range(3)]
    _, interpreted = run(module, "vjp", values + seeds)
    compiled = [np.array(a, copy=True) for a in values + seeds]
    irc.compile(module, opt_level=2, disk_cache=False)["vjp"].call(compiled)
    for got, want in zip(compiled, interpreted):
        np.testing.assert_allclose(got, want, rtol=1e-13, atol=1e-14)


def test_inputs_a_loop_never_writes_are_not_taped():
    body = LOOP.format(body=GENERIC.format(
        maps="affine_map<(i) -> (i)>, affine_map<(i) -> (i)>, affine_map<(i) -> (i)>", iters='"parallel"',
        ins=f"%a0, %a1 : {V}, {V}", outs=f"%a2 : {V}", args="%x: f64, %y: f64, %acc: f64", body="""    %s = math.sin %x : f64
    %p = arith.mulf %s, %y : f64
    %r = arith.addf %acc, %p : f64
    linalg.yield %r : f64"""))
    rng = np.random.default_rng(5)
    module = check(body, [V] * 3, [rand(rng, 4) for _ in range(3)], [0, 1, 2])
    assert "ad.tape" not in vjp_text(module) and "memref.copy" not in vjp_text(module)


def test_a_reduction_compared_with_a_result_overwritten_later():
    """max-reduce into %a1, then %a1 overwritten: the result the mask compares with is copied
    after the op, the init before it."""
    a = m((3, 4))
    body = f"""  linalg.reduce {{ arith.maximumf }} ins(%a0 : {a}) outs(%a1 : {m((3,))}) dimensions = [1]
  linalg.exp ins(%a1 : {m((3,))}) outs(%a2 : {m((3,))})
  linalg.fill ins(%a3 : f64) outs(%a1 : {m((3,))})"""
    rng = np.random.default_rng(6)
    x = rng.permutation(12).reshape(3, 4) * 0.1
    init = np.array([-5.0, 10.0, -5.0])  # row 1: the init is the maximum
    check(body, [a, m((3,)), m((3,)), "f64"], [x, init, rand(rng, 3), np.float64(0.3)], [0, 1, 2, 3])


@pytest.mark.parametrize("taken", [True, False])
def test_ops_in_a_branch_without_else(taken):
    """The overwritten input is copied inside the branch (taped: the reverse branch pops it)."""
    body = f"""  scf.if %a3 {{
    linalg.mul ins(%a0, %a1 : {V}, {V}) outs(%a2 : {V})
    linalg.exp ins(%a2 : {V}) outs(%a0 : {V})
  }}"""
    rng = np.random.default_rng(8)
    check(body, [V, V, V, "i1"], [rand(rng, 4), rand(rng, 4), rand(rng, 4), taken], [0, 1, 2])


def test_forward_mode_with_two_directions_at_once():
    """ad.jvp {width = 2}: each direction has its own shadow of each dup buffer."""
    a, b, c = m((3, 4)), m((4, 2)), m((3, 2))
    module = differentiate(f"""
func.func @f(%a: {a}, %b: {b}, %c: {c}) {{
  linalg.matmul ins(%a, %b : {a}, {b}) outs(%c : {c})
  linalg.tanh ins(%c : {c}) outs(%c : {c})
  return
}}
func.func @jvp(%a: {a}, %b: {b}, %c: {c}, %ta0: {a}, %ta1: {a}, %tc0: {c}, %tc1: {c}) {{
  ad.jvp @f(%a, %b, %c, %ta0, %ta1, %tc0, %tc1) {{wrt = [0, 2], width = 2}} : ({a}, {b}, {c}, {a}, {a}, {c}, {c}) -> ()
  return
}}""")
    rng = np.random.default_rng(10)
    x, y, z = rand(rng, (3, 4)), rand(rng, (4, 2)), rand(rng, (3, 2))
    directions = [(rand(rng, (3, 4)), rand(rng, (3, 2))) for _ in range(2)]
    _, after = run(module, "jvp", [x, y, z] + [d[0] for d in directions] + [d[1] for d in directions])
    h = 1e-6
    for w, (da, dc) in enumerate(directions):
        fd = (np.tanh(z + h * dc + (x + h * da) @ y) - np.tanh(z - h * dc + (x - h * da) @ y)) / (2 * h)
        np.testing.assert_allclose(after[5 + w], fd, rtol=1e-6, atol=1e-8)
