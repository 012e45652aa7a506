"""Higher-order derivatives by nesting: inner ad ops are lowered first and the
generated code is differentiated again.  Perturbation confusion must not
happen (Siskind & Pearlmutter's d/dx [x · d/dy (x + y)] = 1)."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).parent))
from adtest import call, central_difference, compile_module  # noqa: E402

CONFUSION_SYMBOL_FORM = """
func.func @inner(%x: f64, %y: f64) -> f64 {
  %s = arith.addf %x, %y : f64
  return %s : f64
}
func.func @outer(%x: f64) -> f64 {
  %one = arith.constant 1.0 : f64
  %d = ad.grad @inner(%x, %one) {wrt = [1]} : (f64, f64) -> f64
  %r = arith.mulf %x, %d : f64
  return %r : f64
}
func.func @main(%x: f64) -> f64 {
  %g = ad.grad @outer(%x) : (f64) -> f64
  return %g : f64
}
"""

CONFUSION_REGION_FORM = """
func.func @main(%x: f64) -> f64 {
  %g = ad.grad (%x) : (f64) -> f64 {
  ^bb0(%a: f64):
    %one = arith.constant 1.0 : f64
    %d = ad.grad (%one) : (f64) -> f64 {
    ^bb0(%y: f64):
      %s = arith.addf %a, %y : f64
      ad.yield %s : f64
    }
    %r = arith.mulf %a, %d : f64
    ad.yield %r : f64
  }
  return %g : f64
}
"""


@pytest.mark.parametrize("text", [CONFUSION_SYMBOL_FORM, CONFUSION_REGION_FORM], ids=["symbol", "region"])
def test_no_perturbation_confusion(text):
    m = compile_module(text)
    assert call(m, "main", [1.0]) == [1.0]
    assert call(m, "main", [3.5]) == [1.0]


POLY = """
func.func @p(%x: f64) -> f64 {
  %x2 = arith.mulf %x, %x : f64
  %x3 = arith.mulf %x2, %x : f64
  %x4 = arith.mulf %x3, %x : f64
  %two = arith.constant 2.0 : f64
  %t = arith.mulf %two, %x3 : f64
  %r = arith.addf %x4, %t : f64
  return %r : f64
}
func.func @p1(%x: f64) -> f64 {
  %g = ad.grad @p(%x) : (f64) -> f64
  return %g : f64
}
func.func @p2(%x: f64) -> f64 {
  %g = ad.grad @p1(%x) : (f64) -> f64
  return %g : f64
}
func.func @p3(%x: f64) -> f64 {
  %g = ad.grad @p2(%x) : (f64) -> f64
  return %g : f64
}
"""


@pytest.mark.parametrize("x", [0.5, 2.0, -1.25, 3.0])
def test_grad_grad_grad_of_polynomial_is_exact(x):
    m = compile_module(POLY)
    assert call(m, "p1", [x]) == [4 * x**3 + 6 * x**2]
    assert call(m, "p2", [x]) == [12 * x**2 + 12 * x]
    assert call(m, "p3", [x]) == [24 * x + 12]


# f(x, y) = x² y + sin(x) y³
HESSIAN = """
func.func @f(%x: f64, %y: f64) -> f64 {
  %x2 = arith.mulf %x, %x : f64
  %a = arith.mulf %x2, %y : f64
  %s = math.sin %x : f64
  %y2 = arith.mulf %y, %y : f64
  %y3 = arith.mulf %y2, %y : f64
  %b = arith.mulf %s, %y3 : f64
  %r = arith.addf %a, %b : f64
  return %r : f64
}
func.func @grad(%x: f64, %y: f64) -> (f64, f64) {
  %gx, %gy = ad.grad @f(%x, %y) : (f64, f64) -> (f64, f64)
  return %gx, %gy : f64, f64
}
// forward over reverse
func.func @hvp_fwd_rev(%x: f64, %y: f64, %vx: f64, %vy: f64) -> (f64, f64) {
  %g:2, %hv:2 = ad.jvp @grad(%x, %y, %vx, %vy) : (f64, f64, f64, f64) -> (f64, f64, f64, f64)
  return %hv#0, %hv#1 : f64, f64
}
// reverse over reverse: the gradient of <grad f, v> in (x, y)
func.func @gv(%x: f64, %y: f64, %vx: f64, %vy: f64) -> f64 {
  %g:2 = func.call @grad(%x, %y) : (f64, f64) -> (f64, f64)
  %a = arith.mulf %g#0, %vx : f64
  %b = arith.mulf %g#1, %vy : f64
  %r = arith.addf %a, %b : f64
  return %r : f64
}
func.func @hvp_rev_rev(%x: f64, %y: f64, %vx: f64, %vy: f64) -> (f64, f64) {
  %h:2 = ad.grad @gv(%x, %y, %vx, %vy) {wrt = [0, 1]} : (f64, f64, f64, f64) -> (f64, f64)
  return %h#0, %h#1 : f64, f64
}
// reverse over forward: the gradient of the directional derivative
func.func @dv(%x: f64, %y: f64, %vx: f64, %vy: f64) -> f64 {
  %r, %dr = ad.jvp @f(%x, %y, %vx, %vy) : (f64, f64, f64, f64) -> (f64, f64)
  return %dr : f64
}
func.func @hvp_rev_fwd(%x: f64, %y: f64, %vx: f64, %vy: f64) -> (f64, f64) {
  %h:2 = ad.grad @dv(%x, %y, %vx, %vy) {wrt = [0, 1]} : (f64, f64, f64, f64) -> (f64, f64)
  return %h#0, %h#1 : f64, f64
}
"""


def explicit_hessian(x, y):
    return np.array(
        [[2 * y - np.sin(x) * y**3, 2 * x + 3 * np.cos(x) * y**2],
         [2 * x + 3 * np.cos(x) * y**2, 6 * np.sin(x) * y]]
    )


@pytest.mark.parametrize("point", [(0.3, 0.7), (1.2, -0.4), (-2.0, 1.5)])
def test_hessian_vector_products_agree(point):
    m = compile_module(HESSIAN)
    rng = np.random.default_rng(7)
    v = rng.normal(size=2)
    H = explicit_hessian(*point)
    # the explicit Hessian itself is checked by central differences of the gradient
    fd = np.array([central_difference(lambda p: call(m, "grad", p), point, e) for e in np.eye(2)]).T
    np.testing.assert_allclose(H, fd, rtol=1e-6, atol=1e-7)
    want = H @ v
    for name in ("hvp_fwd_rev", "hvp_rev_rev", "hvp_rev_fwd"):
        got = call(m, name, list(point) + list(v))
        np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-12, err_msg=name)


# The same three Hessian-vector products through an scf.for and a data-dependent
# scf.while: the first derivative's tape ops are differentiated again (shadow
# tapes in forward mode, adjoint tapes in reverse mode).
LOOPS = """
func.func @f(%x: f64, %y: f64) -> f64 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c3 = arith.constant 3 : index
  %r = scf.for %i = %c0 to %c3 step %c1 iter_args(%acc = %x) -> (f64) {
    %s = math.sin %acc : f64
    %t = arith.mulf %s, %y : f64
    %u = arith.addf %t, %acc : f64
    scf.yield %u : f64
  }
  %w:2 = scf.while (%a = %r, %b = %y) : (f64, f64) -> (f64, f64) {
    %lim = arith.constant 6.0 : f64
    %c = arith.cmpf olt, %a, %lim : f64
    scf.condition(%c) %a, %b : f64, f64
  } do {
  ^bb0(%a: f64, %b: f64):
    %k = arith.constant 1.5 : f64
    %a2 = arith.mulf %a, %k : f64
    %a3 = arith.addf %a2, %b : f64
    %b2 = math.cos %b : f64
    scf.yield %a3, %b2 : f64, f64
  }
  %o = arith.mulf %w#0, %w#1 : f64
  return %o : f64
}
func.func @grad(%x: f64, %y: f64) -> (f64, f64) {
  %gx, %gy = ad.grad @f(%x, %y) : (f64, f64) -> (f64, f64)
  return %gx, %gy : f64, f64
}
func.func @hvp_fwd_rev(%x: f64, %y: f64, %vx: f64, %vy: f64) -> (f64, f64) {
  %g:2, %hv:2 = ad.jvp @grad(%x, %y, %vx, %vy) : (f64, f64, f64, f64) -> (f64, f64, f64, f64)
  return %hv#0, %hv#1 : f64, f64
}
func.func @gv(%x: f64, %y: f64, %vx: f64, %vy: f64) -> f64 {
  %g:2 = func.call @grad(%x, %y) : (f64, f64) -> (f64, f64)
  %a = arith.mulf %g#0, %vx : f64
  %b = arith.mulf %g#1, %vy : f64
  %r = arith.addf %a, %b : f64
  return %r : f64
}
func.func @hvp_rev_rev(%x: f64, %y: f64, %vx: f64, %vy: f64) -> (f64, f64) {
  %h:2 = ad.grad @gv(%x, %y, %vx, %vy) {wrt = [0, 1]} : (f64, f64, f64, f64) -> (f64, f64)
  return %h#0, %h#1 : f64, f64
}
func.func @dv(%x: f64, %y: f64, %vx: f64, %vy: f64) -> f64 {
  %r, %dr = ad.jvp @f(%x, %y, %vx, %vy) : (f64, f64, f64, f64) -> (f64, f64)
  return %dr : f64
}
func.func @hvp_rev_fwd(%x: f64, %y: f64, %vx: f64, %vy: f64) -> (f64, f64) {
  %h:2 = ad.grad @dv(%x, %y, %vx, %vy) {wrt = [0, 1]} : (f64, f64, f64, f64) -> (f64, f64)
  return %h#0, %h#1 : f64, f64
}
"""


@pytest.mark.parametrize("point", [(0.3, 0.7), (0.5, -0.2)])
def test_hessian_vector_products_through_loops(point):
    m = compile_module(LOOPS)
    v = [0.4, -1.1]
    fd = central_difference(lambda p: call(m, "grad", p), point, v, h=1e-6)
    ref = call(m, "hvp_fwd_rev", list(point) + v)
    np.testing.assert_allclose(ref, fd, rtol=1e-5, atol=1e-6)
    for name in ("hvp_rev_rev", "hvp_rev_fwd"):
        np.testing.assert_allclose(call(m, name, list(point) + v), ref, rtol=1e-12, atol=1e-12, err_msg=name)
