"""Derivatives of every differentiable convolution and pooling, forward and
reverse, against central finite differences (float64, interpreter) over
random shapes with size-1 dims, strides 1-2 and dilations 1-2; and the shape
of the IR the rules build (linalg.generic ops, no opaque calls)."""

from __future__ import annotations

import execution
import numpy as np
import pytest

import irc
from irc.interpreter import Interpreter
from irc.passes.ad import lower_ad

from conv_cases import DIFFERENTIABLE, QUANTIZED, make_case


def drivers(case) -> str:
    types = case.types()
    n = len(types)
    xs, ds = [f"%x{i}" for i in range(n)], [f"%d{i}" for i in range(n)]
    args = ", ".join(f"{v}: {t}" for v, t in zip(xs + ds, types + types))
    ins, out = ", ".join(types + types), types[-1]
    cts = ", ".join(types)
    vjp_args = ", ".join(f"{v}: {t}" for v, t in zip(xs, types)) + f", %u: {out}"
    return (f"func.func @jvp({args}) -> ({out}, {out}) {{\n"
            f"  %y, %dy = ad.jvp @f({', '.join(xs + ds)}) : ({ins}) -> ({out}, {out})\n"
            f"  return %y, %dy : {out}, {out}\n}}\n"
            f"func.func @vjp({vjp_args}) -> ({out}, {cts}) {{\n"
            f"  %y, {', '.join(f'%c{i}' for i in range(n))} = ad.vjp @f({', '.join(xs)}, %u) : "
            f"({', '.join(types)}, {out}) -> ({out}, {cts})\n"
            f"  return %y, {', '.join(f'%c{i}' for i in range(n))} : {out}, {cts}\n}}\n")


def derivative_module(case):
    m = irc.parse_module(case.function() + drivers(case))
    lower_ad(m)
    irc.verify(m)
    printed = irc.print_op(m)
    assert irc.print_op(irc.parse_module(printed)) == printed
    return m


def run(m, name, args):
    return [np.asarray(v, dtype=float) for v in Interpreter(m).call(name, list(args))]


def run_derivative(m, name, args):
    """@name on the test's backend (the interpreter, or compiled by LLVM: tests/execution.py)."""
    return [np.asarray(v, dtype=float) for v in execution.run(m, name, list(args))]


def check_rules(case, rng, h=1e-6):
    m = derivative_module(case)
    xs = [rng.normal(size=s) for s in case.shapes]
    ds = [rng.normal(size=s) for s in case.shapes]
    u = rng.normal(size=case.shapes[-1])
    f = lambda args: run(m, "f", args)[0]  # noqa: E731
    fd = (f([x + h * d for x, d in zip(xs, ds)]) - f([x - h * d for x, d in zip(xs, ds)])) / (2 * h)
    y, dy = run_derivative(m, "jvp", xs + ds)
    np.testing.assert_allclose(y, case.reference(xs), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(dy, fd, rtol=1e-6, atol=1e-7, err_msg=case.function())
    y, *cts = run_derivative(m, "vjp", xs + [u])
    np.testing.assert_allclose(y, case.reference(xs), rtol=1e-12, atol=1e-12)
    # <u, J d> = <J^T u, d>, each side checked against finite differences
    np.testing.assert_allclose(sum(np.vdot(c, d) for c, d in zip(cts, ds)), np.vdot(u, fd), rtol=1e-6, atol=1e-7,
                               err_msg=case.function())
    return m


@pytest.mark.parametrize("op", DIFFERENTIABLE)
def test_jvp_and_vjp_match_finite_differences(op, backend):
    rng = np.random.default_rng(sum(map(ord, op)) + 1)
    for _ in range(2):
        check_rules(make_case(op, rng), rng)


@pytest.mark.parametrize("op", QUANTIZED)
def test_quantized_convolutions_differentiate_through_their_generic_form(op):
    """The _q ops have no rules of their own: linalg_derivatives.py's generic-form rules
    (zero points as f64 scalars, so every operand is differentiable)."""
    rng = np.random.default_rng(sum(map(ord, op)))
    case = make_case(op, rng)
    case.element_types = ["f64"] * 5
    check_rules(case, rng)


@pytest.mark.parametrize("op", ["conv_2d_nhwc_hwcf", "depthwise_conv_1d_ncw_cw", "pooling_nchw_max",
                                "pooling_ndhwc_sum"])
def test_dynamic_shapes(op):
    rng = np.random.default_rng(13)
    case = make_case(op, rng)
    case.dynamic = True
    check_rules(case, rng)


@pytest.mark.parametrize("op", ["conv_1d_nwc_wcf", "pooling_nwc_max"])
def test_every_stride_and_dilation_combination(op):
    rng = np.random.default_rng(11)
    for stride in (1, 2):
        for dilation in (1, 2):
            check_rules(make_case(op, rng, strides=[stride], dilations=[dilation]), rng)


def test_the_input_adjoint_is_a_scatter_through_the_strided_dilated_map():
    case = make_case("conv_2d_nhwc_hwcf", np.random.default_rng(0), strides=[2, 1], dilations=[1, 2])
    text = irc.print_op(derivative_module(case))
    vjp = text[text.index("func.func private @f_vjp") if "@f_vjp" in text else 0:]
    assert "affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d1 * 2 + d4, d2 + d5 * 2, d6)>" in vjp
    assert "linalg.generic" in vjp


def test_max_pooling_shares_the_derivative_among_ties():
    """A window of equal values: each gets an equal share of the result's derivative."""
    text = """
func.func @f(%x: tensor<1x4x1xf64>, %k: tensor<2xf64>, %o: tensor<1x2x1xf64>) -> tensor<1x2x1xf64> {
  %r = linalg.pooling_nwc_max {strides = dense<2> : tensor<1xi64>} ins(%x, %k : tensor<1x4x1xf64>, tensor<2xf64>) outs(%o : tensor<1x2x1xf64>) -> tensor<1x2x1xf64>
  return %r : tensor<1x2x1xf64>
}
func.func @vjp(%x: tensor<1x4x1xf64>, %k: tensor<2xf64>, %o: tensor<1x2x1xf64>, %u: tensor<1x2x1xf64>) -> (tensor<1x4x1xf64>, tensor<1x2x1xf64>) {
  %y, %cx, %co = ad.vjp @f(%x, %k, %o, %u) {wrt = [0, 2]} : (tensor<1x4x1xf64>, tensor<2xf64>, tensor<1x2x1xf64>, tensor<1x2x1xf64>) -> (tensor<1x2x1xf64>, tensor<1x4x1xf64>, tensor<1x2x1xf64>)
  return %cx, %co : tensor<1x4x1xf64>, tensor<1x2x1xf64>
}
"""
    m = irc.parse_module(text)
    lower_ad(m)
    x = np.array([5.0, 5.0, 1.0, 3.0]).reshape(1, 4, 1)
    init = np.array([-np.inf, 3.0]).reshape(1, 2, 1)
    cx, co = run(m, "vjp", [x, np.zeros(2), init, np.array([6.0, 4.0]).reshape(1, 2, 1)])
    assert cx.reshape(-1).tolist() == [3.0, 3.0, 0.0, 2.0]
    assert co.reshape(-1).tolist() == [0.0, 2.0]
