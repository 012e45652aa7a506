"""Forward and reverse derivatives of the tensor slices, reshapes, casts and
from_elements (ir/dialects/tensor_shapes.py, tensor.py), finite-difference
checked in float64 through the interpreter: the JVP against central
differences, the VJP against the JVP (<ct, J d> = <J^T ct, d>), on static and
dynamic shapes, with size-1 dimensions and rank-reducing slices."""

from __future__ import annotations

import execution
import numpy as np
import pytest


from adtest import compile_module


def run(m, name, *args):
    return [np.asarray(v, dtype=float) for v in execution.run(m, name, list(args))]


def module_for(body: str, x_type: str, y_type: str, extra_args: str = "", extra_types: str = "") -> str:
    """@f(%x, extra) -> y with `body`, and its @jvp and @vjp."""
    sep = ", " if extra_args else ""
    return f"""
func.func @f(%x: {x_type}{sep}{extra_args}) -> {y_type} {{
{body}
}}
func.func @jvp(%x: {x_type}, %dx: {x_type}{sep}{extra_args}) -> ({y_type}, {y_type}) {{
  %y, %dy = ad.jvp @f(%x{sep}{_names(extra_args)}, %dx) {{wrt = [0]}} : ({x_type}{sep}{extra_types}, {x_type}) -> ({y_type}, {y_type})
  return %y, %dy : {y_type}, {y_type}
}}
func.func @vjp(%x: {x_type}, %ct: {y_type}{sep}{extra_args}) -> ({y_type}, {x_type}) {{
  %y, %g = ad.vjp @f(%x{sep}{_names(extra_args)}, %ct) {{wrt = [0]}} : ({x_type}{sep}{extra_types}, {y_type}) -> ({y_type}, {x_type})
  return %y, %g : {y_type}, {x_type}
}}
"""


def _names(args: str) -> str:
    return ", ".join(a.split(":")[0].strip() for a in args.split(",")) if args else ""


def check(m, f_numpy, x, extra=(), h=1e-6):
    """JVP against central differences of `f_numpy`, VJP against the JVP."""
    rng = np.random.default_rng(x.size)
    dx = rng.normal(size=x.shape)
    y, dy = run(m, "jvp", x, dx, *extra)
    assert y == pytest.approx(f_numpy(x), rel=1e-12)
    fd = (f_numpy(x + h * dx) - f_numpy(x - h * dx)) / (2 * h)
    assert dy == pytest.approx(fd, rel=1e-6, abs=1e-9)
    ct = rng.normal(size=np.shape(y))
    _, g = run(m, "vjp", x, ct, *extra)
    assert g.shape == x.shape
    assert float(np.sum(ct * dy)) == pytest.approx(float(np.sum(g * dx)), rel=1e-10, abs=1e-12)


def test_rank_reducing_strided_extract_slice_with_a_dynamic_offset():
    body = """  %s = tensor.extract_slice %x[%i, 1] [1, 2] [1, 2] : tensor<3x5xf64> to tensor<2xf64>
  %y = math.sin %s : tensor<2xf64>
  return %y : tensor<2xf64>"""
    m = compile_module(module_for(body, "tensor<3x5xf64>", "tensor<2xf64>", "%i: index", "index"))
    x = np.random.default_rng(0).normal(size=(3, 5))
    check(m, lambda x: np.sin(x[2, 1:4:2]), x, extra=(2,))


@pytest.mark.parametrize("n", [1, 4])
def test_extract_and_insert_slice_on_dynamic_tensors(n):
    T = "tensor<?x?xf64>"
    body = f"""  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %rows = tensor.dim %x, %c0 : {T}
  %top = tensor.extract_slice %x[0, 0] [%rows, 1] [1, 1] : {T} to tensor<?x1xf64>
  %sq = arith.mulf %top, %top : tensor<?x1xf64>
  %y = tensor.insert_slice %sq into %x[0, 2] [%rows, 1] [1, 1] : tensor<?x1xf64> into {T}
  return %y : {T}"""
    m = compile_module(module_for(body, T, T))

    def f(x):
        y = x.copy()
        y[:, 2] = x[:, 0] ** 2
        return y

    check(m, f, np.random.default_rng(n).normal(size=(n, 3)))


def test_collapse_expand_and_reshape_transpose_to_their_inverses():
    body = """  %c = tensor.collapse_shape %x [[0, 1], [2]] : tensor<2x3x1xf64> into tensor<6x1xf64>
  %t = math.tanh %c : tensor<6x1xf64>
  %e = tensor.expand_shape %t [[0, 1], [2]] output_shape [3, 2, 1] : tensor<6x1xf64> into tensor<3x2x1xf64>
  %c3 = arith.constant 3 : index
  %c2 = arith.constant 2 : index
  %shape = tensor.from_elements %c2, %c3 : tensor<2xindex>
  %r = tensor.reshape %e(%shape) : (tensor<3x2x1xf64>, tensor<2xindex>) -> tensor<2x3xf64>
  %y = arith.mulf %r, %r : tensor<2x3xf64>
  return %y : tensor<2x3xf64>"""
    m = compile_module(module_for(body, "tensor<2x3x1xf64>", "tensor<2x3xf64>"))
    check(m, lambda x: np.tanh(x.reshape(2, 3)) ** 2, np.random.default_rng(1).normal(size=(2, 3, 1)))


def test_dynamic_collapse_and_reshape_read_their_sizes_from_the_primal():
    T = "tensor<?x2xf64>"
    body = f"""  %c = tensor.collapse_shape %x [[0, 1]] : {T} into tensor<?xf64>
  %s = math.sin %c : tensor<?xf64>
  %c0 = arith.constant 0 : index
  %n = tensor.dim %x, %c0 : {T}
  %c2 = arith.constant 2 : index
  %shape = tensor.from_elements %c2, %n : tensor<2xindex>
  %y = tensor.reshape %s(%shape) : (tensor<?xf64>, tensor<2xindex>) -> tensor<2x?xf64>
  return %y : tensor<2x?xf64>"""
    m = compile_module(module_for(body, T, "tensor<2x?xf64>"))
    check(m, lambda x: np.sin(x.reshape(-1)).reshape(2, -1), np.random.default_rng(2).normal(size=(3, 2)))


def test_from_elements_and_cast_transpose_to_extracts_and_the_inverse_cast():
    body = """  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %d = tensor.cast %x : tensor<2xf64> to tensor<?xf64>
  %a = tensor.extract %d[%c0] : tensor<?xf64>
  %b = tensor.extract %d[%c1] : tensor<?xf64>
  %ab = arith.mulf %a, %b : f64
  %e = math.exp %a : f64
  %y = tensor.from_elements %ab, %e, %b : tensor<3x1xf64>
  return %y : tensor<3x1xf64>"""
    m = compile_module(module_for(body, "tensor<2xf64>", "tensor<3x1xf64>"))
    check(m, lambda x: np.array([[x[0] * x[1]], [np.exp(x[0])], [x[1]]]), np.array([0.3, -1.2]))


def test_concat_transposes_to_slices_at_static_and_dynamic_offsets():
    T = "tensor<?x2xf64>"
    body = f"""  %s = math.sin %x : {T}
  %y = tensor.concat dim(0) %x, %s, %x : ({T}, {T}, {T}) -> {T}
  return %y : {T}"""
    m = compile_module(module_for(body, T, T))
    check(m, lambda x: np.concatenate([x, np.sin(x), x]), np.random.default_rng(3).normal(size=(3, 2)))


def test_constant_pad_transposes_to_the_interior_slice():
    body = """  %p = arith.constant 0.25 : f64
  %q = arith.mulf %x, %x : tensor<2x3xf64>
  %y = tensor.pad %q low[1, %i] high[0, 2] {
  ^bb0(%a: index, %b: index):
    tensor.yield %p : f64
  } : tensor<2x3xf64> to tensor<3x?xf64>
  return %y : tensor<3x?xf64>"""
    m = compile_module(module_for(body, "tensor<2x3xf64>", "tensor<3x?xf64>", "%i: index", "index"))
    check(m, lambda x: np.pad(x * x, ((1, 0), (1, 2)), constant_values=0.25), np.random.default_rng(4).normal(size=(2, 3)),
          extra=(1,))


def test_pad_with_an_active_padding_value_is_a_located_error():
    import irc

    text = module_for("""  %y = tensor.pad %x low[1] high[0] {
  ^bb0(%a: index):
    %c0 = arith.constant 0 : index
    %v = tensor.extract %x[%c0] : tensor<2xf64>
    tensor.yield %v : f64
  } : tensor<2xf64> to tensor<3xf64>
  return %y : tensor<3xf64>""", "tensor<2xf64>", "tensor<3xf64>")
    with pytest.raises(irc.DiagnosticError, match="has a derivative only with an inactive padding value"):
        compile_module(text)
