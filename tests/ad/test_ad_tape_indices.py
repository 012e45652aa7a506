"""Reverse mode of tensor.extract/insert (and slices, transposes, broadcasts) inside
scf.for tapes what the rules read, never whole tensors per trip: an index rule
needs the indices, and a zero cotangent needs only the tensor's type, or for a
dynamic shape its sizes (``tensor.dim`` in the forward sweep, taped as indices).

Each program is the pattern of hand-written model code (a mixture model over
points and components, rows written with tensor.insert, windows through
extract_slice/insert_slice); each is checked twice: its reverse-mode IR holds no
tape of a tensor the loop carries or reads, and its gradient equals central
finite differences at several sizes, size 1 included.
"""

from __future__ import annotations

import re

import numpy as np
import pytest

import irc

from adtest import call, compile_module

V = "tensor<?xf64>"

# log-likelihood of a 1-d mixture: sum_i log sum_k w_k exp(-(x_i - mu_k)^2)
MIXTURE = f"""
func.func @loss(%x: {V}, %w: {V}, %mu: {V}) -> f64 {{
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %zero = arith.constant 0.0 : f64
  %n = tensor.dim %x, %c0 : {V}
  %k = tensor.dim %w, %c0 : {V}
  %total = scf.for %i = %c0 to %n step %c1 iter_args(%acc = %zero) -> f64 {{
    %xi = tensor.extract %x[%i] : {V}
    %s = scf.for %j = %c0 to %k step %c1 iter_args(%p = %zero) -> f64 {{
      %wj = tensor.extract %w[%j] : {V}
      %mj = tensor.extract %mu[%j] : {V}
      %d = arith.subf %xi, %mj : f64
      %d2 = arith.mulf %d, %d : f64
      %nd = arith.negf %d2 : f64
      %e = math.exp %nd : f64
      %we = arith.mulf %wj, %e : f64
      %p2 = arith.addf %p, %we : f64
      scf.yield %p2 : f64
    }}
    %l = math.log %s : f64
    %acc2 = arith.addf %acc, %l : f64
    scf.yield %acc2 : f64
  }}
  return %total : f64
}}
func.func @grad(%x: {V}, %w: {V}, %mu: {V}) -> ({V}, {V}, {V}) {{
  %g:3 = ad.grad @loss(%x, %w, %mu) : ({V}, {V}, {V}) -> ({V}, {V}, {V})
  return %g#0, %g#1, %g#2 : {V}, {V}, {V}
}}
"""

# y_i = tanh(x_i * a) written into a tensor the loop carries, then read back by a second
# loop: loss = sum_i y_i^2 + y_0
ROWS = f"""
func.func @loss(%x: {V}, %a: f64) -> f64 {{
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %zero = arith.constant 0.0 : f64
  %n = tensor.dim %x, %c0 : {V}
  %y0 = tensor.splat %zero[%n] : {V}
  %y = scf.for %i = %c0 to %n step %c1 iter_args(%acc = %y0) -> {V} {{
    %xi = tensor.extract %x[%i] : {V}
    %p = arith.mulf %xi, %a : f64
    %t = math.tanh %p : f64
    %acc2 = tensor.insert %t into %acc[%i] : {V}
    scf.yield %acc2 : {V}
  }}
  %s = scf.for %i = %c0 to %n step %c1 iter_args(%acc = %zero) -> f64 {{
    %yi = tensor.extract %y[%i] : {V}
    %q = arith.mulf %yi, %yi : f64
    %acc2 = arith.addf %acc, %q : f64
    scf.yield %acc2 : f64
  }}
  %first = tensor.extract %y[%c0] : {V}
  %r = arith.addf %s, %first : f64
  return %r : f64
}}
func.func @grad(%x: {V}, %a: f64) -> ({V}, f64) {{
  %g:2 = ad.grad @loss(%x, %a) : ({V}, f64) -> ({V}, f64)
  return %g#0, %g#1 : {V}, f64
}}
"""

# windows of two: y[2i:2i+2] = sin(x[2i:2i+2]) * c through extract_slice/insert_slice with
# a dynamic offset; the sine of a window is what its reverse reads (a tensor<2xf64> per
# trip), never the carried result; loss = sum of y's elements through tensor.extract
WINDOWS = f"""
func.func @loss(%x: {V}, %c: f64) -> f64 {{
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %zero = arith.constant 0.0 : f64
  %n = tensor.dim %x, %c0 : {V}
  %m = arith.divui %n, %c2 : index
  %y0 = tensor.splat %zero[%n] : {V}
  %y = scf.for %i = %c0 to %m step %c1 iter_args(%acc = %y0) -> {V} {{
    %o = arith.muli %i, %c2 : index
    %w = tensor.extract_slice %x[%o] [2] [1] : {V} to tensor<2xf64>
    %sw = math.sin %w : tensor<2xf64>
    %cs = tensor.splat %c : tensor<2xf64>
    %v = arith.mulf %sw, %cs : tensor<2xf64>
    %acc2 = tensor.insert_slice %v into %acc[%o] [2] [1] : tensor<2xf64> into {V}
    scf.yield %acc2 : {V}
  }}
  %s = scf.for %i = %c0 to %n step %c1 iter_args(%acc = %zero) -> f64 {{
    %yi = tensor.extract %y[%i] : {V}
    %q = arith.mulf %yi, %yi : f64
    %acc2 = arith.addf %acc, %q : f64
    scf.yield %acc2 : f64
  }}
  return %s : f64
}}
func.func @grad(%x: {V}, %c: f64) -> ({V}, f64) {{
  %g:2 = ad.grad @loss(%x, %c) : ({V}, f64) -> ({V}, f64)
  return %g#0, %g#1 : {V}, f64
}}
"""

# the same row loop on a static shape (no sizes to tape at all)
ROWS_STATIC = ROWS.replace(V, "tensor<5xf64>").replace(" %y0 = tensor.splat %zero[%n]", " %y0 = tensor.splat %zero")


def taped_types(text: str):
    """The element types of every tape the reverse-mode IR of `text` creates."""
    m = compile_module(text)
    return re.findall(r"ad\.tape_create : !ad\.tape<(.*)>", irc.print_op(m))


@pytest.mark.parametrize("text", [MIXTURE, ROWS, ROWS_STATIC, WINDOWS], ids=["mixture", "rows", "rows-static", "windows"])
def test_loops_tape_indices_and_scalars_not_the_tensors_they_carry(text):
    tapes = taped_types(text)
    assert tapes, "the loops should tape something (their indices)"
    carried = [t for t in tapes if t.startswith("tensor<") and t != "tensor<2xf64>"]
    assert not carried, f"whole tensors taped per trip: {carried}"


def fd_grad(m, args, h=1e-6):
    """Central differences of @loss with respect to every argument (arrays elementwise)."""
    grads = []
    for k, a in enumerate(args):
        flat = np.atleast_1d(np.asarray(a, dtype=float))
        g = np.zeros_like(flat)
        for idx in range(flat.size):
            plus = [np.array(v, dtype=float) if np.ndim(v) else v for v in args]
            minus = [np.array(v, dtype=float) if np.ndim(v) else v for v in args]
            if np.ndim(a):
                plus[k][idx] += h
                minus[k][idx] -= h
            else:
                plus[k] += h
                minus[k] -= h
            g[idx] = (call(m, "loss", plus)[0] - call(m, "loss", minus)[0]) / (2 * h)
        grads.append(g if np.ndim(a) else float(g[0]))
    return grads


@pytest.mark.parametrize("n", [1, 4])
def test_mixture_gradient_matches_finite_differences(n):
    rng = np.random.default_rng(n)
    m = compile_module(MIXTURE)
    args = [rng.normal(size=n), rng.uniform(0.5, 1.5, size=3), rng.normal(size=3)]
    for got, want in zip(call(m, "grad", args), fd_grad(m, args)):
        np.testing.assert_allclose(got, want, rtol=1e-6, atol=1e-8)


@pytest.mark.parametrize("text,n", [(ROWS, 1), (ROWS, 6), (ROWS_STATIC, 5), (WINDOWS, 2), (WINDOWS, 6)])
def test_row_and_window_gradients_match_finite_differences(text, n):
    rng = np.random.default_rng(n)
    m = compile_module(text)
    args = [rng.normal(size=n), 0.7]
    for got, want in zip(call(m, "grad", args), fd_grad(m, args)):
        np.testing.assert_allclose(got, want, rtol=1e-6, atol=1e-8)
