"""The math dialect through the Python API: custom and generic forms, verifier
errors, the interpreter (f32 stays f32, C's NaN for domain errors) and constant
folding (bit-identical to the interpreter)."""

from __future__ import annotations

import math
import struct
import warnings

import numpy as np
import pytest

import execution
import irc
from irc.dialects import math as M
from irc.interpreter import Interpreter, InterpreterError
from irc.passes.rewrite import apply_patterns_greedily, canonicalization_patterns

FLOAT_UNARY = [
    "exp", "exp2", "expm1", "log", "log2", "log10", "log1p", "sin", "cos", "tan", "tanh", "atan", "sinh",
    "cosh", "asin", "acos", "asinh", "acosh", "atanh", "sqrt", "rsqrt", "cbrt", "erf", "erfc", "absf",
    "floor", "ceil", "round", "roundeven", "trunc",
]  # fmt: skip
FLOAT_BINARY = ["powf", "atan2", "copysign"]
INT_UNARY = ["absi", "ctlz", "cttz", "ctpop"]
CLASSIFY = ["isnan", "isinf", "isfinite", "isnormal"]

REFERENCE = {
    "exp": np.exp, "exp2": np.exp2, "expm1": np.expm1, "log": np.log, "log2": np.log2, "log10": np.log10,
    "log1p": np.log1p, "sin": np.sin, "cos": np.cos, "tan": np.tan, "tanh": np.tanh, "atan": np.arctan,
    "sinh": np.sinh, "cosh": np.cosh, "asin": np.arcsin, "acos": np.arccos, "asinh": np.arcsinh,
    "acosh": np.arccosh, "atanh": np.arctanh, "sqrt": np.sqrt, "cbrt": np.cbrt, "absf": np.abs,
    "floor": np.floor, "ceil": np.ceil, "trunc": np.trunc, "roundeven": np.rint,
}  # fmt: skip


def roundtrip(text: str) -> str:
    """Print(parse(text)) must be a fixed point, and the generic form must mean the same."""
    module = irc.parse_module(text)
    printed = irc.print_op(module)
    assert irc.print_op(irc.parse_module(printed)) == printed
    generic = irc.print_op(module, generic=True)
    assert irc.print_op(irc.parse_module(generic)) == printed
    return printed


def run(text: str, *args, entry: str = "f"):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # numpy warnings (domain errors) would fail the test
        return execution.run(irc.parse_module(text), entry, list(args))


def bits(x) -> int:
    x = np.asarray(x)
    return int(x.view({2: np.uint16, 4: np.uint32, 8: np.uint64}[x.dtype.itemsize]))


def canonicalize(text: str):
    module = irc.parse_module(text)
    apply_patterns_greedily(module, canonicalization_patterns())
    irc.verify(module)
    return module


def unary_fn(op: str, t: str) -> str:
    return f"func.func @f(%x: {t}) -> {t} {{\n  %0 = math.{op} %x : {t}\n  return %0 : {t}\n}}\n"


# ----------------------------------------------------------------------------
# syntax


@pytest.mark.parametrize("op", FLOAT_UNARY)
def test_float_unary_custom_form_round_trips(op):
    out = roundtrip(unary_fn(op, "f32"))
    assert f"%0 = math.{op} %x : f32" in out


@pytest.mark.parametrize("op", FLOAT_BINARY)
def test_float_binary_custom_form_round_trips(op):
    out = roundtrip(f"func.func @f(%x: f64, %y: f64) -> f64 {{\n  %0 = math.{op} %x, %y : f64\n  return %0 : f64\n}}")
    assert f"%0 = math.{op} %x, %y : f64" in out


@pytest.mark.parametrize("op", INT_UNARY)
def test_integer_unary_custom_form_round_trips(op):
    assert f"math.{op} %x : i32" in roundtrip(unary_fn(op, "i32"))


@pytest.mark.parametrize("op", CLASSIFY)
def test_classification_custom_form_round_trips(op):
    out = roundtrip(f"func.func @f(%x: f32) -> i1 {{\n  %0 = math.{op} %x : f32\n  return %0 : i1\n}}")
    assert f"math.{op} %x : f32" in out


def test_fma_ipowi_fpowi_custom_forms():
    out = roundtrip(
        "func.func @f(%a: f32, %b: f32, %c: f32, %i: i32) -> f32 {\n"
        "  %0 = math.fma %a, %b, %c : f32\n"
        "  %1 = math.ipowi %i, %i : i32\n"
        "  %2 = math.fpowi %a, %i : f32, i32\n"
        "  return %0 : f32\n}"
    )
    assert "math.fma %a, %b, %c : f32" in out
    assert "math.ipowi %i, %i : i32" in out
    assert "math.fpowi %a, %i : f32, i32" in out


def test_fastmath_flags_print_as_mlir_and_none_is_elided():
    out = roundtrip(
        "func.func @f(%x: f64, %y: f64) -> f64 {\n"
        "  %0 = math.sin %x fastmath<fast> : f64\n"
        "  %1 = math.powf %x, %0 fastmath<nnan,ninf> : f64\n"
        "  %2 = math.fma %x, %1, %0 fastmath<none> : f64\n"
        "  return %2 : f64\n}"
    )
    assert "math.sin %x fastmath<fast> : f64" in out
    assert "math.powf %x, %0 fastmath<nnan,ninf> : f64" in out
    assert "math.fma %x, %1, %0 : f64" in out
    generic = irc.print_op(irc.parse_module(out), generic=True)
    assert '"math.sin"(%x) <{fastmath = #arith.fastmath<fast>}> : (f64) -> f64' in generic


def test_elementwise_on_tensors_and_vectors():
    out = roundtrip(
        "func.func @f(%t: tensor<4x?xf32>, %v: vector<2xf64>, %i: tensor<3xi8>) -> tensor<4x?xi1> {\n"
        "  %0 = math.tanh %t : tensor<4x?xf32>\n"
        "  %1 = math.atan2 %v, %v : vector<2xf64>\n"
        "  %2 = math.absi %i : tensor<3xi8>\n"
        "  %3 = math.isnan %0 : tensor<4x?xf32>\n"
        "  return %3 : tensor<4x?xi1>\n}"
    )
    assert "math.isnan %0 : tensor<4x?xf32>" in out


def test_every_registered_op_has_a_custom_form_and_interpreter_rule():
    from irc.assembly_format import syntax_of
    from irc.interpreter import interpret

    assert len(M.math.ops) >= 40
    for name, cls in M.math.ops.items():
        assert syntax_of(cls) is not None, name
        assert interpret.lookup(cls) is not None, name


def test_class_names_and_accessors():
    module = irc.parse_module(
        "func.func @f(%a: f32, %b: f32, %c: f32) -> f32 {\n"
        "  %0 = math.sin %a : f32\n  %1 = math.powf %a, %b : f32\n  %2 = math.fma %a, %b, %c : f32\n"
        "  return %2 : f32\n}"
    )
    fn = module.body.first_op
    ops = list(fn.entry_block.ops)
    a, b, c = fn.arguments
    assert isinstance(ops[0], M.SinOp) and ops[0].operand is a and ops[0].result is ops[0].results[0]
    assert isinstance(ops[1], M.PowFOp) and ops[1].lhs is a and ops[1].rhs is b
    assert isinstance(ops[2], M.FmaOp) and (ops[2].a, ops[2].b, ops[2].c) == (a, b, c)
    for cls in (M.ExpOp, M.Exp2Op, M.ExpM1Op, M.Log1pOp, M.Log10Op, M.Atan2Op, M.AbsFOp, M.AbsIOp, M.IPowIOp,
                M.FPowIOp, M.CopySignOp, M.RoundEvenOp, M.RsqrtOp, M.CbrtOp, M.ErfOp):
        assert cls.name.startswith("math.")


def test_builder_infers_result_types():
    from irc.core import Block

    block = Block([irc.f32, irc.i32])
    x, n = block.arguments
    assert M.SinOp.build(x).results[0].type == irc.f32
    assert M.FPowIOp.build(x, n).results[0].type == irc.f32
    assert M.IsNaNOp.build(x).results[0].type == irc.i1


# ----------------------------------------------------------------------------
# verifier errors


@pytest.mark.parametrize(
    "body, message",
    [
        ("%0 = math.sin %i : i32", "must be floating-point-like"),
        ("%0 = math.absi %x : f32", "must be signless-integer-like"),
        ('%0 = "math.powf"(%x, %y) : (f32, f64) -> f32', "requires the same type for all operands and results"),
        ('%0 = "math.exp"(%x) : (f32) -> f64', "requires the same type for all operands and results"),
        ('%0 = "math.isnan"(%x) : (f32) -> f32', "result #0 must be bool-like"),
        ('%0 = "math.fpowi"(%x, %i) : (f32, i32) -> f64', "failed to verify that all of {lhs, result} have same type"),
        ('%0 = "math.fma"(%x, %x) : (f32, f32) -> f32', "expected 3 operands"),
        ('%0 = "math.sin"(%x) {fastmath = 1 : i32} : (f32) -> f32', "attribute 'fastmath' failed to satisfy"),
        ("%0 = math.sin %x fastmath<bogus> : f32", "invalid arith.fastmath flags"),
    ],
)
def test_verifier_errors(body, message):
    text = f"func.func @g(%x: f32, %y: f64, %i: i32) {{\n  {body}\n  return\n}}"
    with pytest.raises(irc.DiagnosticError, match=message):
        irc.parse_module(text)


# ----------------------------------------------------------------------------
# interpretation


CORRECTLY_ROUNDED = {"sqrt", "absf", "floor", "ceil", "trunc", "round", "roundeven", "rsqrt"}


@pytest.mark.parametrize("op", sorted(REFERENCE))
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_unary_interpretation_matches_numpy_in_the_same_precision(op, dtype, backend):
    t = "f32" if dtype is np.float32 else "f64"
    x = dtype(1.375 if op == "acosh" else 0.375)
    (got,) = run(unary_fn(op, t), x)
    want = REFERENCE[op](x)
    assert type(got) is dtype
    # compiled code calls glibc's transcendental functions, not numpy's: a last-place
    # difference is allowed there (docs/backend.md); correctly rounded ops stay exact
    ulps = 0 if backend == "interpret" or op in CORRECTLY_ROUNDED else 2
    assert abs(bits(got) - bits(want)) <= ulps


@pytest.mark.parametrize("op", ["erf", "erfc"])
def test_erf_uses_the_c_library_function_and_keeps_f32(op, backend):
    fn = getattr(math, op)
    (got32,) = run(unary_fn(op, "f32"), 0.5)
    (got64,) = run(unary_fn(op, "f64"), 0.5)
    assert type(got32) is np.float32 and got32 == np.float32(fn(0.5))
    assert type(got64) is np.float64 and got64 == fn(0.5)


@pytest.mark.parametrize("op, x", [("log", -1.0), ("sqrt", -4.0), ("asin", 2.0), ("acosh", 0.5), ("log1p", -3.0)])
def test_domain_errors_give_nan_without_warnings(op, x, backend):
    (got,) = run(unary_fn(op, "f32"), x)
    assert np.isnan(got) and type(got) is np.float32


def test_poles_and_overflow_give_infinities(backend):
    assert run(unary_fn("log", "f64"), 0.0)[0] == -np.inf
    assert run(unary_fn("exp", "f32"), 1000.0)[0] == np.inf
    assert run(unary_fn("atanh", "f64"), 1.0)[0] == np.inf


def test_round_goes_half_away_from_zero_and_roundeven_to_even(backend):
    vals = [0.5, 1.5, 2.5, -0.5, -2.5, 0.49999999999999994, -0.0, 3.7]
    r = [run(unary_fn("round", "f64"), v)[0] for v in vals]
    e = [run(unary_fn("roundeven", "f64"), v)[0] for v in vals]
    assert r == [1.0, 2.0, 3.0, -1.0, -3.0, 0.0, -0.0, 4.0]
    assert math.copysign(1.0, r[6]) == -1.0 and math.copysign(1.0, r[3]) == -1.0
    assert e == [0.0, 2.0, 2.0, -0.0, -2.0, 0.0, -0.0, 4.0]


def test_binary_interpretation(backend):
    text = (
        "func.func @f(%x: f32, %y: f32) -> (f32, f32, f32) {\n"
        "  %0 = math.powf %x, %y : f32\n  %1 = math.atan2 %x, %y : f32\n  %2 = math.copysign %x, %y : f32\n"
        "  return %0, %1, %2 : f32, f32, f32\n}"
    )
    x, y = np.float32(1.7), np.float32(-2.3)
    got = run(text, x, y)
    assert all(type(g) is np.float32 for g in got)
    assert bits(got[0]) == bits(np.power(x, y))
    assert bits(got[1]) == bits(np.arctan2(x, y))
    assert got[2] == np.float32(-1.7)
    # C's pow: a negative base to a non-integer power is NaN, x**0 is 1 even for NaN
    assert np.isnan(run(text, -8.0, 0.5)[0])
    assert run(text, float("nan"), 0.0)[0] == 1.0


def test_fma_rounds_once(backend):
    # a*b + c where rounding a*b first loses the answer entirely
    a = 1.0 + 2.0**-30
    text = "func.func @f(%a: f64, %b: f64, %c: f64) -> f64 {\n  %0 = math.fma %a, %b, %c : f64\n  return %0 : f64\n}"
    (got,) = run(text, a, a, -(1.0 + 2.0**-29))
    assert got == 2.0**-60
    text32 = text.replace("f64", "f32")
    a32 = np.float32(1.0 + 2.0**-12)
    (got32,) = run(text32, a32, a32, np.float32(-(1.0 + 2.0**-11)))
    assert type(got32) is np.float32 and got32 == np.float32(2.0**-24)


def test_fpowi_is_repeated_squaring_in_the_type(backend):
    text = "func.func @f(%x: f32, %n: i32) -> f32 {\n  %0 = math.fpowi %x, %n : f32, i32\n  return %0 : f32\n}"
    assert run(text, 2.0, 10)[0] == np.float32(1024.0)
    assert run(text, 2.0, -2)[0] == np.float32(0.25)
    assert type(run(text, 1.1, 7)[0]) is np.float32


def test_integer_ops_wrap_like_mlir(backend):
    text = (
        "func.func @f(%x: i8, %y: i8) -> (i8, i8, i8, i8, i8) {\n"
        "  %0 = math.absi %x : i8\n  %1 = math.ipowi %x, %y : i8\n  %2 = math.ctlz %x : i8\n"
        "  %3 = math.cttz %x : i8\n  %4 = math.ctpop %x : i8\n"
        "  return %0, %1, %2, %3, %4 : i8, i8, i8, i8, i8\n}"
    )
    assert run(text, -128, 1) == [-128, -128, 0, 7, 1]
    assert run(text, 3, 5) == [3, -13, 6, 0, 2]  # 243 wraps to -13
    assert run(text, 0, 0) == [0, 1, 8, 8, 0]
    assert run(text, 2, -1)[1] == 0 and run(text, -1, -3)[1] == -1
    with pytest.raises(InterpreterError, match="zero raised to a negative power"):
        run(text, 0, -1)


def test_classification(backend):
    text = (
        "func.func @f(%x: f64) -> (i1, i1, i1, i1) {\n"
        "  %0 = math.isnan %x : f64\n  %1 = math.isinf %x : f64\n  %2 = math.isfinite %x : f64\n"
        "  %3 = math.isnormal %x : f64\n  return %0, %1, %2, %3 : i1, i1, i1, i1\n}"
    )
    assert run(text, float("nan")) == [1, 0, 0, 0]
    assert run(text, float("-inf")) == [0, 1, 0, 0]
    assert run(text, 1.0) == [0, 0, 1, 1]
    assert run(text, 5e-324) == [0, 0, 1, 0]


def test_tensor_interpretation_is_elementwise_and_keeps_dtype(backend):
    text = (
        "func.func @f(%t: tensor<3xf32>) -> (tensor<3xf32>, tensor<3xf32>, tensor<3xi1>) {\n"
        "  %0 = math.sin %t : tensor<3xf32>\n  %1 = math.erf %t : tensor<3xf32>\n"
        "  %2 = math.isnan %1 : tensor<3xf32>\n"
        "  return %0, %1, %2 : tensor<3xf32>, tensor<3xf32>, tensor<3xi1>\n}"
    )
    x = np.array([0.0, 0.5, -1.0], dtype=np.float32)
    s, e, n = run(text, x)
    # the interpreter is numpy, bitwise; compiled code calls the C library's sinf/erff, which
    # may differ in the last place (docs/backend.md, "Floats")
    ulps = 0 if backend == "interpret" else 1
    assert s.dtype == np.float32 and e.dtype == np.float32
    np.testing.assert_array_max_ulp(s, np.sin(x), ulps)
    np.testing.assert_array_max_ulp(e, np.array([math.erf(v) for v in x], dtype=np.float32), ulps)
    assert n.dtype == np.bool_ and not n.any()


# ----------------------------------------------------------------------------
# folding


def folded_value(op: str, t: str, x: float):
    """The constant that canonicalize leaves for math.op(constant x), or None if not folded."""
    text = (
        f"func.func @f() -> {t} {{\n  %c = arith.constant {x!r} : {t}\n  %0 = math.{op} %c : {t}\n"
        f"  return %0 : {t}\n}}"
    )
    module = canonicalize(text)
    body = list(module.body.first_op.entry_block.ops)
    if any(o.op_name.startswith("math.") for o in body):
        return None
    (const,) = [o for o in body if o.op_name == "arith.constant"]
    return const.attributes["value"].value


@pytest.mark.parametrize("op", ["sin", "exp", "log", "tanh", "cbrt", "atan", "erf", "sqrt", "floor", "round"])
@pytest.mark.parametrize("t", ["f32", "f64"])
def test_folding_is_bit_identical_to_the_interpreter(op, t):
    x = 0.7
    folded = folded_value(op, t, x)
    assert folded is not None
    (interpreted,) = run(unary_fn(op, t), x)
    dtype = np.float32 if t == "f32" else np.float64
    assert bits(dtype(folded)) == bits(interpreted)


def test_domain_errors_and_half_precision_transcendentals_are_not_folded():
    assert folded_value("log", "f64", -1.0) is None
    assert folded_value("sqrt", "f32", -2.0) is None
    assert folded_value("sin", "f16", 0.5) is None  # only f32/f64, as MLIR
    assert folded_value("rsqrt", "f64", 4.0) is None
    # correctly rounded ops fold in every precision
    assert folded_value("sqrt", "f16", 4.0) == 2.0
    assert folded_value("floor", "bf16", -1.5) == -2.0
    assert folded_value("log", "f64", 0.0) == -math.inf


def test_exact_ops_fold_with_signed_zeros():
    assert struct.pack("<d", folded_value("ceil", "f64", -0.5)) == struct.pack("<d", -0.0)
    assert folded_value("absf", "f32", -3.5) == 3.5
    assert folded_value("trunc", "f64", -2.7) == -2.0
    assert folded_value("roundeven", "f64", 2.5) == 2.0


def test_binary_ternary_and_integer_folds():
    module = canonicalize(
        "func.func @f() -> (f64, f32, i32, i32, i32, f64) {\n"
        "  %a = arith.constant 2.0 : f64\n  %b = arith.constant -3.0 : f64\n"
        "  %x = arith.constant 1.5 : f32\n  %y = arith.constant 2.0 : f32\n"
        "  %i = arith.constant -7 : i32\n  %n = arith.constant 3 : i32\n  %z = arith.constant 0 : i32\n"
        "  %m = arith.constant -1 : i32\n"
        "  %0 = math.copysign %a, %b : f64\n  %1 = math.fma %x, %y, %x : f32\n"
        "  %2 = math.ipowi %i, %n : i32\n  %3 = math.absi %i : i32\n  %4 = math.ipowi %z, %m : i32\n"
        "  %5 = math.powf %a, %b : f64\n"
        "  return %0, %1, %2, %3, %4, %5 : f64, f32, i32, i32, i32, f64\n}"
    )
    text = irc.print_op(module)
    assert "arith.constant -2.0 : f64" in text
    assert "arith.constant 4.5 : f32" in text
    assert "arith.constant -343 : i32" in text
    assert "arith.constant 7 : i32" in text
    assert "math.ipowi" in text  # 0 to a negative power is left alone
    assert "arith.constant 0.125 : f64" in text


def test_tensor_constants_fold_elementwise():
    module = canonicalize(
        "func.func @f() -> tensor<3xf32> {\n"
        "  %c = arith.constant dense<[1.0, 4.0, 9.0]> : tensor<3xf32>\n"
        "  %0 = math.sqrt %c : tensor<3xf32>\n  return %0 : tensor<3xf32>\n}"
    )
    assert "dense<[1.0, 2.0, 3.0]> : tensor<3xf32>" in irc.print_op(module)
