"""AD on tensors of dynamic shape: zeros and constants take their sizes from a
value (`TangentSpace` + tensor.dim/tensor.splat), so ad.jvp, ad.vjp and
ad.grad of elementwise functions on tensor<?xf64> work; finite-difference
checked in the interpreter at two sizes with one compiled module."""

from __future__ import annotations

import execution
import numpy as np
import pytest

import irc

from adtest import compile_module

T = "tensor<?xf64>"

ELEMENTWISE = f"""
func.func @f(%x: {T}, %z: {T}) -> {T} {{
  %s = math.tanh %x : {T}
  %q = math.sqrt %s : {T}
  %e = math.exp %z : {T}
  %m = arith.mulf %q, %e : {T}
  %y = arith.divf %m, %x : {T}
  return %y : {T}
}}
func.func @vjp(%x: {T}, %z: {T}, %ct: {T}) -> ({T}, {T}, {T}) {{
  %y, %gx, %gz = ad.vjp @f(%x, %z, %ct) : ({T}, {T}, {T}) -> ({T}, {T}, {T})
  return %y, %gx, %gz : {T}, {T}, {T}
}}
func.func @jvp(%x: {T}, %z: {T}, %dx: {T}, %dz: {T}) -> ({T}, {T}) {{
  %y, %dy = ad.jvp @f(%x, %z, %dx, %dz) : ({T}, {T}, {T}, {T}) -> ({T}, {T})
  return %y, %dy : {T}, {T}
}}
func.func @vjp_x_only(%x: {T}, %z: {T}, %ct: {T}) -> ({T}, {T}) {{
  %y, %gx = ad.vjp @f(%x, %z, %ct) {{wrt = [0]}} : ({T}, {T}, {T}) -> ({T}, {T})
  return %y, %gx : {T}, {T}
}}
"""


def f_numpy(x, z):
    return np.sqrt(np.tanh(x)) * np.exp(z) / x


def run(m, name, *args):
    return [np.asarray(v, dtype=float) for v in execution.run(m, name, list(args))]


def directional_fd(f, xs, ds, h=1e-6):
    plus = f(*[x + h * d for x, d in zip(xs, ds)])
    minus = f(*[x - h * d for x, d in zip(xs, ds)])
    return (plus - minus) / (2 * h)


@pytest.mark.parametrize("n", [3, 6])
def test_jvp_and_vjp_of_elementwise_functions_on_dynamic_tensors(n):
    m = compile_module(ELEMENTWISE)
    rng = np.random.default_rng(n)
    x, z = rng.uniform(0.3, 1.5, n), rng.uniform(-1, 1, n)
    dx, dz, ct = rng.normal(size=n), rng.normal(size=n), rng.normal(size=n)
    y, dy = run(m, "jvp", x, z, dx, dz)
    assert y == pytest.approx(f_numpy(x, z), rel=1e-12)
    assert dy == pytest.approx(directional_fd(f_numpy, [x, z], [dx, dz]), rel=1e-6, abs=1e-8)
    y, gx, gz = run(m, "vjp", x, z, ct)
    # <ct, J d> = <J^T ct, d> for the tangent direction d = (dx, dz)
    assert float(ct @ dy) == pytest.approx(float(gx @ dx + gz @ dz), rel=1e-10)
    _, gx_only = run(m, "vjp_x_only", x, z, ct)
    assert gx_only == pytest.approx(gx, rel=1e-12)


def test_zero_cotangent_of_an_unused_tensor_argument_has_its_size():
    m = compile_module(f"""
func.func @g(%x: {T}, %unused: {T}) -> {T} {{
  %y = math.sin %x : {T}
  return %y : {T}
}}
func.func @vjp(%x: {T}, %u: {T}, %ct: {T}) -> ({T}, {T}, {T}) {{
  %y, %gx, %gu = ad.vjp @g(%x, %u, %ct) : ({T}, {T}, {T}) -> ({T}, {T}, {T})
  return %y, %gx, %gu : {T}, {T}, {T}
}}
""")
    assert any(op.op_name == "tensor.splat" for op in m.walk())
    x, u, ct = np.array([0.1, 0.2, 0.3, 0.4]), np.ones(4), np.arange(4.0)
    _, gx, gu = run(m, "vjp", x, u, ct)
    assert gx == pytest.approx(ct * np.cos(x))
    assert gu.shape == (4,) and not gu.any()


GRAD = f"""
func.func @loss(%x: {T}, %s: f64) -> f64 {{
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %n = tensor.dim %x, %c0 : {T}
  %sv = tensor.splat %s[%n] : {T}
  %p = arith.mulf %sv, %x : {T}
  %y = math.sin %p : {T}
  %a = tensor.extract %y[%c0] : {T}
  %b = tensor.extract %y[%c2] : {T}
  %t = tensor.insert %a into %x[%c1] : {T}
  %d = tensor.extract %t[%c1] : {T}
  %ab = arith.mulf %a, %b : f64
  %r = arith.addf %ab, %d : f64
  return %r : f64
}}
func.func @grad(%x: {T}, %s: f64) -> ({T}, f64) {{
  %gx, %gs = ad.grad @loss(%x, %s) : ({T}, f64) -> ({T}, f64)
  return %gx, %gs : {T}, f64
}}
func.func @tangent(%x: {T}, %s: f64, %dx: {T}, %ds: f64) -> (f64, f64) {{
  %y, %dy = ad.jvp @loss(%x, %s, %dx, %ds) : ({T}, f64, {T}, f64) -> (f64, f64)
  return %y, %dy : f64, f64
}}
"""


def loss_numpy(x, s):
    y = np.sin(s * x)
    return y[0] * y[2] + y[0]


def test_grad_through_splat_extract_and_insert_on_dynamic_tensors():
    m = compile_module(GRAD)
    x, s = np.array([0.3, -0.7, 1.1, 0.4]), 0.9
    gx, gs = run(m, "grad", x, s)
    h = 1e-6
    fd_x = np.array([(loss_numpy(x + h * e, s) - loss_numpy(x - h * e, s)) / (2 * h) for e in np.eye(len(x))])
    fd_s = (loss_numpy(x, s + h) - loss_numpy(x, s - h)) / (2 * h)
    assert gx == pytest.approx(fd_x, rel=1e-6, abs=1e-9)
    assert float(gs) == pytest.approx(fd_s, rel=1e-6)
    dx = np.array([0.2, 0.1, -0.5, 0.3])
    y, dy = run(m, "tangent", x, s, dx, 0.7)
    assert float(y) == pytest.approx(loss_numpy(x, s), rel=1e-12)
    assert float(dy) == pytest.approx(float(gx @ dx + gs * 0.7), rel=1e-9)


def test_a_constant_of_dynamic_type_without_a_value_is_a_located_error():
    from irc.ad_interfaces import RuleContext
    from irc.builder import Builder
    from irc.core import Block
    from irc.types import DYNAMIC, TensorType, f64

    ctx = RuleContext(Builder.at_end(Block()))
    with pytest.raises(irc.DiagnosticError, match=r"needs a value of that type to take its dynamic sizes from"):
        ctx.zero(TensorType((DYNAMIC,), f64))


LOOP = open(__file__.replace("test_ad_tensors.py", "tensor_loop.mlir")).read()


def test_a_loop_carrying_a_dynamic_tensor_in_both_modes():
    m = compile_module(LOOP)
    x, ct, dx = np.array([0.4, -0.3, 0.9]), np.array([1.0, -2.0, 0.5]), np.array([0.3, 0.2, -0.1])

    def f(x, n=3):
        a = x
        for _ in range(n):
            a = np.sin(a) * x
        return a

    y, dy = run(m, "jvp", x, 3, dx)
    assert y == pytest.approx(f(x), rel=1e-12)
    assert dy == pytest.approx(directional_fd(f, [x], [dx]), rel=1e-6, abs=1e-9)
    _, g = run(m, "vjp", x, 3, ct)
    assert float(ct @ dy) == pytest.approx(float(g @ dx), rel=1e-10)
