"""`linear` and `bilinear` (JAX's deflinear/defbilinear): an op that is linear,
or linear in each of two operands, gets both derivative rules from one
declaration; finite-difference checked on scalars and dynamic tensors."""

from __future__ import annotations

import execution
import numpy as np
import pytest

from irc.ad_interfaces import bilinear, jvp_rules, linear, vjp_rules
from irc.interpreter import interpret
from irc.opdef import Dialect, FloatLike, Op, Operand, Result
from irc.traits import Pure, SameOperandsAndResultType

from adtest import compile_module

lintest = Dialect("lintest", "ops declared linear or bilinear in one line each")


@lintest.op
class ScaleOp(Op):
    """``3 x``: linear."""

    name = "lintest.scale3"
    operand_defs = (Operand("x", FloatLike),)
    result_defs = (Result("y", FloatLike),)
    traits = frozenset({Pure, SameOperandsAndResultType})
    format = "$x attr-dict `:` type($y)"


@lintest.op
class HadamardOp(Op):
    """``a * b`` elementwise: bilinear (the scalar/tensor stand-in for a matmul)."""

    name = "lintest.hadamard"
    operand_defs = (Operand("a", FloatLike), Operand("b", FloatLike))
    result_defs = (Result("y", FloatLike),)
    traits = frozenset({Pure, SameOperandsAndResultType})
    format = "$a `,` $b attr-dict `:` type($y)"


interpret.register(ScaleOp)(lambda interp, op, args: [args[0] * 3])
interpret.register(HadamardOp)(lambda interp, op, args: [args[0] * args[1]])

# the derivative rules: one declaration per op
linear(ScaleOp, transpose=lambda ctx, op, ct: [ctx.emit(ScaleOp, ct[0])])
bilinear(HadamardOp,
         transpose_lhs=lambda ctx, op, ct: ctx.emit(HadamardOp, ct, ctx.operand(1)),
         transpose_rhs=lambda ctx, op, ct: ctx.emit(HadamardOp, ctx.operand(0), ct))


def teardown_module():
    for op in (ScaleOp, HadamardOp):
        jvp_rules.detach(op)
        vjp_rules.detach(op)


def program(t: str) -> str:
    return f"""
func.func @f(%a: {t}, %b: {t}) -> {t} {{
  %s = math.sin %a : {t}
  %h = lintest.hadamard %s, %b : {t}
  %k = lintest.hadamard %h, %a : {t}
  %y = lintest.scale3 %k : {t}
  return %y : {t}
}}
func.func @jvp(%a: {t}, %b: {t}, %da: {t}, %db: {t}) -> ({t}, {t}) {{
  %y, %dy = ad.jvp @f(%a, %b, %da, %db) : ({t}, {t}, {t}, {t}) -> ({t}, {t})
  return %y, %dy : {t}, {t}
}}
func.func @vjp(%a: {t}, %b: {t}, %ct: {t}) -> ({t}, {t}, {t}) {{
  %y, %ga, %gb = ad.vjp @f(%a, %b, %ct) : ({t}, {t}, {t}) -> ({t}, {t}, {t})
  return %y, %ga, %gb : {t}, {t}, {t}
}}
"""


def f_numpy(a, b):
    return 3 * np.sin(a) * b * a


@pytest.mark.parametrize("t, shape", [("f64", ()), ("tensor<?xf64>", (5,))])
def test_linear_and_bilinear_ops_are_differentiated_from_one_declaration(t, shape):
    m = compile_module(program(t))
    rng = np.random.default_rng(0)
    a, b, da, db, ct = (rng.normal(size=shape) for _ in range(5))
    run = lambda name, *xs: [np.asarray(v, dtype=float) for v in execution.run(m, name, list(xs))]  # noqa: E731
    h = 1e-6
    fd = (f_numpy(a + h * da, b + h * db) - f_numpy(a - h * da, b - h * db)) / (2 * h)
    y, dy = run("jvp", a, b, da, db)
    assert y == pytest.approx(f_numpy(a, b), rel=1e-12)
    assert dy == pytest.approx(fd, rel=1e-6, abs=1e-8)
    _, ga, gb = run("vjp", a, b, ct)
    assert float(np.sum(ct * dy)) == pytest.approx(float(np.sum(ga * da + gb * db)), rel=1e-10)
