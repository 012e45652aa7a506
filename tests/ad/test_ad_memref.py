"""Derivatives through memory: `dup` buffer arguments (Enzyme's duplicated
activity: the caller passes a shadow buffer, updated in place) and constant
ones, checked against central finite differences in float64.

The programs read and write a dup buffer in place inside a loop, write their
results through an out-parameter (reading an output back and overwriting it),
read a constant table, and use a local buffer and a view of it."""

from __future__ import annotations

import numpy as np
import pytest

from adtest import call, compile_module

PROGRAM = """
// m[i] = sin(m[i]) * x in place, then the sum of the squares of m
func.func @in_place(%m: memref<4xf64>, %x: f64) -> f64 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %z = arith.constant 0.0 : f64
  scf.for %i = %c0 to %c4 step %c1 {
    %v = memref.load %m[%i] : memref<4xf64>
    %s = math.sin %v : f64
    %w = arith.mulf %s, %x : f64
    memref.store %w, %m[%i] : memref<4xf64>
  }
  %r = scf.for %i = %c0 to %c4 step %c1 iter_args(%acc = %z) -> (f64) {
    %v = memref.load %m[%i] : memref<4xf64>
    %sq = arith.mulf %v, %v : f64
    %a = arith.addf %acc, %sq : f64
    scf.yield %a : f64
  }
  return %r : f64
}

func.func @grad_in_place(%m: memref<4xf64>, %x: f64, %dm: memref<4xf64>) -> f64 {
  %g = ad.grad @in_place(%m, %x, %dm) {wrt = [0, 1]} : (memref<4xf64>, f64, memref<4xf64>) -> f64
  return %g : f64
}

func.func @jvp_in_place(%m: memref<4xf64>, %x: f64, %tm: memref<4xf64>, %tx: f64) -> (f64, f64) {
  %y, %ty = ad.jvp @in_place(%m, %x, %tm, %tx) {wrt = [0, 1]} : (memref<4xf64>, f64, memref<4xf64>, f64) -> (f64, f64)
  return %y, %ty : f64, f64
}

// results through an out-parameter; out[0] is read back and overwritten
func.func @out_param(%x: memref<3xf64>, %out: memref<3xf64>, %a: f64) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c3 = arith.constant 3 : index
  scf.for %i = %c0 to %c3 step %c1 {
    %xi = memref.load %x[%i] : memref<3xf64>
    %n = arith.addi %i, %c1 : index
    %j = arith.remui %n, %c3 : index
    %xj = memref.load %x[%j] : memref<3xf64>
    %p = arith.mulf %xi, %a : f64
    %q = arith.mulf %xj, %xj : f64
    %v = arith.addf %p, %q : f64
    memref.store %v, %out[%i] : memref<3xf64>
  }
  %o0 = memref.load %out[%c0] : memref<3xf64>
  %o1 = memref.load %out[%c1] : memref<3xf64>
  %prod = arith.mulf %o0, %o1 : f64
  memref.store %prod, %out[%c0] : memref<3xf64>
  return
}

func.func @vjp_out(%x: memref<3xf64>, %out: memref<3xf64>, %a: f64, %dx: memref<3xf64>, %dout: memref<3xf64>) -> f64 {
  %da = ad.vjp @out_param(%x, %out, %a, %dx, %dout) {wrt = [0, 1, 2]} : (memref<3xf64>, memref<3xf64>, f64, memref<3xf64>, memref<3xf64>) -> f64
  return %da : f64
}

func.func @jvp_out(%x: memref<3xf64>, %out: memref<3xf64>, %a: f64, %tx: memref<3xf64>, %tout: memref<3xf64>, %ta: f64) {
  ad.jvp @out_param(%x, %out, %a, %tx, %tout, %ta) {wrt = [0, 1, 2]} : (memref<3xf64>, memref<3xf64>, f64, memref<3xf64>, memref<3xf64>, f64) -> ()
  return
}

// a constant table: sum_i t[i] * x^i
func.func @table_poly(%t: memref<3xf64>, %x: f64) -> f64 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c3 = arith.constant 3 : index
  %z = arith.constant 0.0 : f64
  %one = arith.constant 1.0 : f64
  %r:2 = scf.for %i = %c0 to %c3 step %c1 iter_args(%acc = %z, %pow = %one) -> (f64, f64) {
    %ti = memref.load %t[%i] : memref<3xf64>
    %term = arith.mulf %ti, %pow : f64
    %a = arith.addf %acc, %term : f64
    %p = arith.mulf %pow, %x : f64
    scf.yield %a, %p : f64, f64
  }
  return %r#0 : f64
}

func.func @grad_table(%t: memref<3xf64>, %x: f64) -> f64 {
  %g = ad.grad @table_poly(%t, %x) {wrt = [1]} : (memref<3xf64>, f64) -> f64
  return %g : f64
}

func.func @jvp_table(%t: memref<3xf64>, %x: f64, %dx: f64) -> (f64, f64) {
  %y, %dy = ad.jvp @table_poly(%t, %x, %dx) {wrt = [1]} : (memref<3xf64>, f64, f64) -> (f64, f64)
  return %y, %dy : f64, f64
}


// a checkpointed region reads m[0], which is overwritten afterwards: the region must
// not be recomputed from memory in the reverse sweep (its MemoryEffects say it reads)
func.func @overwritten(%m: memref<2xf64>, %x: f64) -> f64 {
  %c0 = arith.constant 0 : index
  %r = ad.checkpoint -> (f64) {
    %v = memref.load %m[%c0] : memref<2xf64>
    %p = arith.mulf %v, %x : f64
    %s = math.sin %p : f64
    ad.yield %s : f64
  }
  %big = arith.constant 100.0 : f64
  memref.store %big, %m[%c0] : memref<2xf64>
  %w = memref.load %m[%c0] : memref<2xf64>
  %t = arith.mulf %r, %w : f64
  return %t : f64
}

func.func @grad_overwritten(%m: memref<2xf64>, %x: f64, %dm: memref<2xf64>) -> f64 {
  %g = ad.grad @overwritten(%m, %x, %dm) {wrt = [0, 1]} : (memref<2xf64>, f64, memref<2xf64>) -> f64
  return %g : f64
}

func.func @grad_overwritten_const(%m: memref<2xf64>, %x: f64) -> f64 {
  %g = ad.grad @overwritten(%m, %x) {wrt = [1]} : (memref<2xf64>, f64) -> f64
  return %g : f64
}

// forward mode through a call that updates a dup buffer and returns nothing
func.func @scale_first(%m: memref<2xf64>, %x: f64) {
  %c0 = arith.constant 0 : index
  %v = memref.load %m[%c0] : memref<2xf64>
  %w = arith.mulf %v, %x : f64
  memref.store %w, %m[%c0] : memref<2xf64>
  return
}

func.func @calls_scale(%m: memref<2xf64>, %x: f64) -> f64 {
  %c0 = arith.constant 0 : index
  func.call @scale_first(%m, %x) : (memref<2xf64>, f64) -> ()
  %v = memref.load %m[%c0] : memref<2xf64>
  %s = math.sin %v : f64
  return %s : f64
}

func.func @jvp_calls(%m: memref<2xf64>, %x: f64, %tm: memref<2xf64>, %tx: f64) -> (f64, f64) {
  %y, %t = ad.jvp @calls_scale(%m, %x, %tm, %tx) {wrt = [0, 1]} : (memref<2xf64>, f64, memref<2xf64>, f64) -> (f64, f64)
  return %y, %t : f64, f64
}
"""

# subview is not translated to LLVM yet: the compiled runs of these skip, the others run
VIEWS = """
// a local buffer (its shadow is made, zeroed and freed by the derivative) and a view of it
func.func @local_buffer(%x: memref<4xf64>) -> f64 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c3 = arith.constant 3 : index
  %c4 = arith.constant 4 : index
  %buf = memref.alloc() : memref<4xf64>
  scf.for %i = %c0 to %c4 step %c1 {
    %v = memref.load %x[%i] : memref<4xf64>
    %e = math.exp %v : f64
    memref.store %e, %buf[%i] : memref<4xf64>
  }
  %s = memref.subview %buf[1] [2] [1] : memref<4xf64> to memref<2xf64, strided<[1], offset: 1>>
  %a = memref.load %s[%c0] : memref<2xf64, strided<[1], offset: 1>>
  %b = memref.load %s[%c1] : memref<2xf64, strided<[1], offset: 1>>
  %d = memref.load %buf[%c3] : memref<4xf64>
  %ab = arith.mulf %a, %b : f64
  %r = arith.addf %ab, %d : f64
  memref.dealloc %buf : memref<4xf64>
  return %r : f64
}

func.func @grad_local(%x: memref<4xf64>, %dx: memref<4xf64>) -> f64 {
  %v = ad.value_and_grad @local_buffer(%x, %dx) {wrt = [0]} : (memref<4xf64>, memref<4xf64>) -> f64
  return %v : f64
}

// a view made inside a loop: each row of m, scaled in place by x^(row+1), then summed
func.func @rows(%m: memref<3x2xf64>, %x: f64) -> f64 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c3 = arith.constant 3 : index
  %z = arith.constant 0.0 : f64
  %p = scf.for %i = %c0 to %c3 step %c1 iter_args(%pow = %x) -> (f64) {
    %row = memref.subview %m[%i, 0] [1, 2] [1, 1] : memref<3x2xf64> to memref<2xf64, strided<[1], offset: ?>>
    scf.for %j = %c0 to %c2 step %c1 {
      %v = memref.load %row[%j] : memref<2xf64, strided<[1], offset: ?>>
      %w = arith.mulf %v, %pow : f64
      %s = math.sin %w : f64
      memref.store %s, %row[%j] : memref<2xf64, strided<[1], offset: ?>>
    }
    %next = arith.mulf %pow, %x : f64
    scf.yield %next : f64
  }
  %r = scf.for %i = %c0 to %c3 step %c1 iter_args(%acc = %z) -> (f64) {
    %a = memref.load %m[%i, %c0] : memref<3x2xf64>
    %b = memref.load %m[%i, %c1] : memref<3x2xf64>
    %ab = arith.mulf %a, %b : f64
    %t = arith.addf %acc, %ab : f64
    scf.yield %t : f64
  }
  return %r : f64
}

func.func @grad_rows(%m: memref<3x2xf64>, %x: f64, %dm: memref<3x2xf64>) -> f64 {
  %g = ad.grad @rows(%m, %x, %dm) {wrt = [0, 1]} : (memref<3x2xf64>, f64, memref<3x2xf64>) -> f64
  return %g : f64
}

func.func @jvp_rows(%m: memref<3x2xf64>, %x: f64, %tm: memref<3x2xf64>, %tx: f64) -> (f64, f64) {
  %y, %ty = ad.jvp @rows(%m, %x, %tm, %tx) {wrt = [0, 1]} : (memref<3x2xf64>, f64, memref<3x2xf64>, f64) -> (f64, f64)
  return %y, %ty : f64, f64
}

func.func @jvp_local(%x: memref<4xf64>, %tx: memref<4xf64>) -> (f64, f64) {
  %y, %ty = ad.jvp @local_buffer(%x, %tx) {wrt = [0]} : (memref<4xf64>, memref<4xf64>) -> (f64, f64)
  return %y, %ty : f64, f64
}
"""

RNG = np.random.default_rng(7)
H = 1e-6


@pytest.fixture(scope="module")
def module():
    return compile_module(PROGRAM)


@pytest.fixture(scope="module")
def views():
    return compile_module(VIEWS)


def in_place(m, x):
    m = np.sin(m) * x
    return float((m * m).sum())


def out_param(x, a):
    out = np.array([x[i] * a + x[(i + 1) % 3] ** 2 for i in range(3)])
    out[0] = out[0] * out[1]
    return out


def test_in_place_loop_gradient_matches_finite_differences(module):
    m0, x = RNG.standard_normal(4), 0.7
    m, dm = m0.copy(), np.zeros(4)
    (gx,) = call(module, "grad_in_place", [m, x, dm])
    np.testing.assert_allclose(m, np.sin(m0) * x)  # the primal ran in place
    fd_m = [(in_place(m0 + H * e, x) - in_place(m0 - H * e, x)) / (2 * H) for e in np.eye(4)]
    np.testing.assert_allclose(dm, fd_m, rtol=1e-6, atol=1e-8)
    np.testing.assert_allclose(gx, (in_place(m0, x + H) - in_place(m0, x - H)) / (2 * H), rtol=1e-6)


def test_in_place_loop_tangent_matches_finite_differences(module):
    m0, x = RNG.standard_normal(4), -0.4
    tm0, tx = RNG.standard_normal(4), 0.3
    m, tm = m0.copy(), tm0.copy()
    y, ty = call(module, "jvp_in_place", [m, x, tm, tx])
    fd = (in_place(m0 + H * tm0, x + H * tx) - in_place(m0 - H * tm0, x - H * tx)) / (2 * H)
    assert y == pytest.approx(in_place(m0, x))
    assert ty == pytest.approx(fd, rel=1e-6)
    np.testing.assert_allclose(tm, np.cos(m0) * x * tm0 + np.sin(m0) * tx)  # the tangent of m's contents


def test_out_parameter_cotangent_matches_finite_differences(module):
    x0, a = RNG.standard_normal(3), 1.3
    u = RNG.standard_normal(3)
    out, dx, dout = np.zeros(3), np.zeros(3), u.copy()
    (da,) = call(module, "vjp_out", [x0.copy(), out, a, dx, dout])
    np.testing.assert_allclose(out, out_param(x0, a))
    jac_x = np.stack([(out_param(x0 + H * e, a) - out_param(x0 - H * e, a)) / (2 * H) for e in np.eye(3)], axis=1)
    jac_a = (out_param(x0, a + H) - out_param(x0, a - H)) / (2 * H)
    np.testing.assert_allclose(dx, jac_x.T @ u, rtol=1e-6, atol=1e-8)
    assert da == pytest.approx(jac_a @ u, rel=1e-6)
    np.testing.assert_array_equal(dout, 0.0)  # the out-parameter's old contents never reach anything


def test_out_parameter_tangent_matches_finite_differences(module):
    x0, a = RNG.standard_normal(3), -0.8
    tx, ta = RNG.standard_normal(3), 0.5
    out, tout = np.zeros(3), np.zeros(3)
    call(module, "jvp_out", [x0.copy(), out, a, tx.copy(), tout, ta])
    fd = (out_param(x0 + H * tx, a + H * ta) - out_param(x0 - H * tx, a - H * ta)) / (2 * H)
    np.testing.assert_allclose(tout, fd, rtol=1e-6, atol=1e-8)


def test_a_constant_table_differentiates_in_both_modes(module):
    t, x = np.array([0.5, -1.0, 2.0]), 0.9
    (g,) = call(module, "grad_table", [t, x])
    assert g == pytest.approx(t[1] + 2 * t[2] * x)
    y, dy = call(module, "jvp_table", [t, x, 2.0])
    assert (y, dy) == pytest.approx((t[0] + t[1] * x + t[2] * x * x, 2.0 * (t[1] + 2 * t[2] * x)))
    np.testing.assert_array_equal(t, [0.5, -1.0, 2.0])


def test_a_location_overwritten_after_a_checkpoint_is_not_reread(module):
    m0, x = np.array([0.6, 0.0]), 1.7
    dm = np.zeros(2)
    (gx,) = call(module, "grad_overwritten", [m0.copy(), x, dm])
    assert gx == pytest.approx(100 * np.cos(m0[0] * x) * m0[0])
    np.testing.assert_allclose(dm, [100 * np.cos(m0[0] * x) * x, 0.0])
    (gx,) = call(module, "grad_overwritten_const", [m0.copy(), x])
    assert gx == pytest.approx(100 * np.cos(m0[0] * x) * m0[0])


def test_forward_mode_goes_through_a_call_that_writes_a_dup_buffer(module):
    m0, x, tm0, tx = np.array([0.3, 0.0]), 2.0, np.array([1.0, 0.0]), 0.5
    tm = tm0.copy()
    y, t = call(module, "jvp_calls", [m0.copy(), x, tm, tx])
    assert y == pytest.approx(np.sin(m0[0] * x))
    assert t == pytest.approx(np.cos(m0[0] * x) * (tm0[0] * x + m0[0] * tx))
    np.testing.assert_allclose(tm, [tm0[0] * x + m0[0] * tx, 0.0])


def test_a_local_buffer_and_its_view_get_shadows(views):
    module = views
    x0 = RNG.standard_normal(4)
    dx = np.zeros(4)
    (v,) = call(module, "grad_local", [x0, dx])
    e = np.exp(x0)
    assert v == pytest.approx(e[1] * e[2] + e[3])
    np.testing.assert_allclose(dx, [0.0, e[1] * e[2], e[1] * e[2], e[3]])
    tx = RNG.standard_normal(4)
    y, ty = call(module, "jvp_local", [x0, tx.copy()])
    assert ty == pytest.approx(e[1] * e[2] * (tx[1] + tx[2]) + e[3] * tx[3])


def rows(m, x):
    m = np.sin(m * (x ** np.arange(1, 4))[:, None])
    return float((m[:, 0] * m[:, 1]).sum())


def test_views_made_in_a_loop_get_shadows_in_both_modes(views):
    m0, x = RNG.standard_normal((3, 2)), 0.8
    dm = np.zeros((3, 2))
    (gx,) = call(views, "grad_rows", [m0.copy(), x, dm])
    fd_m = np.array([(rows(m0 + H * e.reshape(3, 2), x) - rows(m0 - H * e.reshape(3, 2), x)) / (2 * H)
                     for e in np.eye(6)]).reshape(3, 2)
    np.testing.assert_allclose(dm, fd_m, rtol=1e-6, atol=1e-8)
    assert gx == pytest.approx((rows(m0, x + H) - rows(m0, x - H)) / (2 * H), rel=1e-6)
    tm, tx = RNG.standard_normal((3, 2)), 0.4
    y, ty = call(views, "jvp_rows", [m0.copy(), x, tm.copy(), tx])
    assert ty == pytest.approx((rows(m0 + H * tm, x + H * tx) - rows(m0 - H * tm, x - H * tx)) / (2 * H), rel=1e-6)


def test_shadow_buffers_are_freed(views, backend):
    module = views
    if backend != "interpret":
        pytest.skip("the interpreter counts allocations")
    from irc.interpreter import Interpreter

    interp = Interpreter(module)
    interp.call("grad_local", [RNG.standard_normal(4), np.zeros(4)])
    interp.call("jvp_local", [RNG.standard_normal(4), np.zeros(4)])
    assert interp.memory.live_allocations == []
    assert interp.memory.allocations == interp.memory.frees == 4  # buffer and shadow, twice
