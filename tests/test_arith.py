"""The arith dialect through the Python API: syntax round trips, verifier
messages, folders, the interpreter's semantics, and (hypothesis) that folding
a constant expression gives what the interpreter computes."""

from __future__ import annotations

import math
import struct
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import execution
import irc
from irc.attributes import DenseElementsAttr, FloatAttr, IntegerAttr, float_bits
from irc.builder import Builder
from irc.dialects import load_all
from irc.interpreter import Interpreter
from irc.types import FloatType, TensorType, bf16, f16, f32, f64, i1, i8, i32, i64, index

load_all()
from irc.dialects import arith  # noqa: E402
from irc.dialects.arith import (  # noqa: E402
    CMPF_PREDICATES,
    CMPI_PREDICATES,
    AddFOp,
    CmpFOp,
    ConstantOp,
    FastMathAttr,
    IntegerOverflowAttr,
    round_exact,
)

HERE = Path(__file__).parent
OPS_FILE = HERE / "dialects" / "arith" / "ops.mlir"


def parse(text: str):
    return irc.parse_module(text, "test.mlir")


def roundtrip(text: str) -> str:
    return irc.print_op(parse(text))


def ops_of(module, name):
    return [op for op in module.walk() if op.op_name == name]


def call(text: str, args, name="f"):
    """@name(args) on the test's backend (interpreter or JIT, tests/execution.py)."""
    return execution.run(parse(text), name, args)


def func(sig: str, body: str) -> str:
    return f"func.func @f{sig} {{\n{body}\n}}\n"


# ----------------------------------------------------------------------------
# syntax


def test_ops_corpus_printing_is_a_fixed_point():
    text = roundtrip(OPS_FILE.read_text())
    assert roundtrip(text) == text


def test_ops_corpus_generic_form_reads_back_to_the_same_custom_form():
    module = parse(OPS_FILE.read_text())
    custom = irc.print_op(module)
    generic = irc.print_op(module, generic=True)
    assert '"arith.addf"' in generic and "arith.addf %" not in generic
    assert irc.print_op(parse(generic)) == custom
    assert irc.print_op(parse(generic), generic=True) == generic
    assert irc.print_op(parse(custom), generic=True) == generic  # default flags are always present


CUSTOM_FORMS = [
    ("(%a: f32, %b: f32)", "%0 = arith.addf %a, %b : f32"),
    ("(%a: f32, %b: f32)", "%0 = arith.mulf %a, %b fastmath<fast> : f32"),
    ("(%a: f32, %b: f32)", "%0 = arith.maximumf %a, %b fastmath<nnan,nsz> : f32"),
    ("(%a: f32)", "%0 = arith.negf %a : f32"),
    ("(%a: i32, %b: i32)", "%0 = arith.addi %a, %b overflow<nsw, nuw> : i32"),
    ("(%a: i32, %b: i32)", "%0 = arith.divui %a, %b exact : i32"),
    ("(%a: i32, %b: i32)", "%0 = arith.shrsi %a, %b : i32"),
    ("(%a: i32, %b: i32)", "%0 = arith.cmpi uge, %a, %b : i32"),
    ("(%a: f64, %b: f64)", "%0 = arith.cmpf une, %a, %b : f64"),
    ("(%a: f64, %b: f64)", "%0 = arith.cmpf true, %a, %b : f64"),
    ("(%a: tensor<2xf64>)", "%0 = arith.cmpf ord, %a, %a : tensor<2xf64>"),
    ("(%c: i1, %a: f64, %b: f64)", "%0 = arith.select %c, %a, %b : f64"),
    ("(%c: vector<2xi1>, %a: vector<2xf64>)", "%0 = arith.select %c, %a, %a : vector<2xi1>, vector<2xf64>"),
    ("(%a: f32)", "%0 = arith.extf %a : f32 to f64"),
    ("(%a: f32)", "%0 = arith.truncf %a upward : f32 to f16"),
    ("(%a: i64)", "%0 = arith.trunci %a : i64 to i1"),
    ("(%a: i8)", "%0 = arith.uitofp %a : i8 to bf16"),
    ("(%a: f16)", "%0 = arith.fptoui %a : f16 to i8"),
    ("(%a: index)", "%0 = arith.index_castui %a : index to i64"),
    ("(%a: f64)", "%0 = arith.bitcast %a : f64 to i64"),
    ("()", "%0 = arith.constant 3 : i64"),
    ("()", "%0 = arith.constant dense<[true, false]> : tensor<2xi1>"),
    ("()", "%0 = arith.constant 0x7FF0000000000000 : f64"),
]


@pytest.mark.parametrize("sig,line", CUSTOM_FORMS, ids=[line.split("=", 1)[1][:40] for _, line in CUSTOM_FORMS])
def test_custom_form_prints_back_unchanged(sig, line):
    text = func(sig, f"  {line}\n  return")
    assert f"    {line}\n" in roundtrip(text)


def test_default_flags_are_not_printed():
    text = roundtrip(func("(%a: f32, %i: i8)", """
  %0 = arith.addf %a, %a fastmath<none> : f32
  %1 = arith.muli %i, %i overflow<none> : i8
  return"""))
    assert "fastmath" not in text and "overflow" not in text


def test_default_flags_are_always_present_as_in_mlir():
    module = parse(func("(%a: f32, %i: i8)", "  %0 = arith.addf %a, %a : f32\n  %1 = arith.addi %i, %i : i8\n  return"))
    assert ops_of(module, "arith.addf")[0].attributes["fastmath"] == FastMathAttr.NONE
    assert ops_of(module, "arith.addi")[0].attributes["overflowFlags"] == IntegerOverflowAttr.NONE
    x = ops_of(module, "arith.addf")[0].operands[0]
    assert AddFOp.build(x, x).attributes["fastmath"] == FastMathAttr.NONE


def test_parsed_integer_literals_are_stored_signed():
    c = ops_of(parse(func("()", "  %0 = arith.constant 255 : i8\n  return")), "arith.constant")[0]
    assert c.value == IntegerAttr(-1, i8)


def test_forms_of_mlir_opt_parse():
    # what mlir-opt 22 prints for these ops (names and float spelling are its own)
    text = """
func.func @f(%arg0: f32, %arg1: i1, %arg2: vector<4xi1>, %arg3: vector<4xf32>) {
  %cst = arith.constant 1.500000e+00 : f32
  %c-1_i8 = arith.constant -1 : i8
  %0 = arith.addf %arg0, %cst fastmath<nnan,ninf> : f32
  %1 = arith.select %arg2, %arg3, %arg3 : vector<4xi1>, vector<4xf32>
  %2 = "arith.cmpf"(%arg0, %arg0) <{fastmath = #arith.fastmath<none>, predicate = 5 : i64}> : (f32, f32) -> i1
  %3 = "arith.addi"(%c-1_i8, %c-1_i8) <{overflowFlags = #arith.overflow<none>}> : (i8, i8) -> i8
  return
}"""
    out = roundtrip(text)
    assert "arith.constant 1.5 : f32" in out
    assert "arith.cmpf ole, %arg0, %arg0 : f32" in out
    assert "arith.addi %c-1_i8, %c-1_i8 : i8" in out


# ----------------------------------------------------------------------------
# attributes and builders


def test_fastmath_attribute():
    assert str(FastMathAttr.FAST) == "#arith.fastmath<fast>"
    a = FastMathAttr.from_params(("ninf", "nnan"))
    assert str(a) == "#arith.fastmath<nnan,ninf>" and a.has("nnan") and not a.has("nsz")
    assert FastMathAttr.from_params(("reassoc", "nnan", "ninf", "nsz", "arcp", "contract", "afn")) == FastMathAttr.FAST
    assert FastMathAttr(0) == FastMathAttr.NONE and str(FastMathAttr.NONE) == "#arith.fastmath<none>"
    assert str(IntegerOverflowAttr.from_params(("nuw", "nsw"))) == "#arith.overflow<nsw, nuw>"
    with pytest.raises(ValueError):
        FastMathAttr.from_params(("fastest",))
    module = parse(func("(%a: f32)", "  %0 = arith.addf %a, %a {extra = #arith.fastmath<nsz>} : f32\n  return"))
    assert ops_of(module, "arith.addf")[0].attributes["extra"] == FastMathAttr(1 << 3)


def test_build_ops_with_the_builder():
    from irc.dialects.func import FuncOp, ReturnOp
    from irc.types import FunctionType

    fn = FuncOp.create("f", FunctionType((f64, f64), (i1, f64)), ["x", "y"])
    b = Builder.at_end(fn.entry_block)
    x, y = fn.arguments
    s = b.create(AddFOp, x, y, fastmath=FastMathAttr.FAST).result
    c = b.insert(CmpFOp.create("olt", x, s))
    two = b.insert(ConstantOp.create(2.0, f64)).result
    m = b.create(arith.MulFOp, s, two).result
    b.create(ReturnOp, [c.result, m])
    module = parse("")
    module.body.append(fn)
    irc.verify(module)
    text = irc.print_op(module)
    assert "arith.addf %x, %y fastmath<fast> : f64" in text
    assert "arith.cmpf olt, %x, %0 : f64" in text
    assert Interpreter(module).call("f", [1.0, 2.0]) == [1, 6.0]
    assert c.predicate_name == "olt" and c.lhs is x


def test_materialize_constant_makes_arith_constant():
    module = parse(func("()", "  return"))
    ret = ops_of(module, "func.return")[0]
    b = Builder.before(ret)
    for attr, t in [
        (FloatAttr(1.5, f32), f32),
        (IntegerAttr(-3, i8), i8),
        (DenseElementsAttr(TensorType((2,), f64), np.array([1.0, 2.0])), TensorType((2,), f64)),
    ]:
        op = arith.arith.materialize_constant(b, attr, t, ret.location)
        assert isinstance(op, ConstantOp) and op.value == attr and op.result.type == t
    assert arith.arith.materialize_constant(b, FloatAttr(1.5, f32), f64, ret.location) is None
    irc.verify(module)


# ----------------------------------------------------------------------------
# verifier


INVALID = [
    ("(%a: f32, %b: f64)", '%0 = "arith.addf"(%a, %b) : (f32, f64) -> f32',
     "'arith.addf' op requires the same type for all operands and results"),
    ("(%a: i32)", "%0 = arith.addf %a, %a : i32", "must be floating-point-like, but got i32"),
    ("(%a: f32)", "%0 = arith.xori %a, %a : f32", "must be signless-integer-like, but got f32"),
    ("(%a: f32)", '%0 = "arith.cmpf"(%a, %a) <{predicate = 1 : i64}> : (f32, f32) -> i8', "must be bool-like"),
    ("(%a: f32)", '%0 = "arith.cmpf"(%a, %a) <{predicate = 99 : i64}> : (f32, f32) -> i1',
     "attribute 'predicate' failed to satisfy constraint"),
    ("(%a: f32)", "%0 = arith.cmpf lt, %a, %a : f32", "expected one of {false, oeq"),
    ("(%a: f32)", "%0 = arith.addf %a, %a fastmath<quick> : f32", "invalid arith.fastmath flags"),
    ("()", '%0 = "arith.constant"() <{value = 1.0 : f32}> : () -> f64',
     "failed to verify that all of {value, result} have same type"),
    ("()", "%0 = arith.constant 256 : i8", "integer constant out of range for attribute"),
    ("(%c: i1, %a: f32, %b: f64)", '%0 = "arith.select"(%c, %a, %b) : (i1, f32, f64) -> f32',
     "all of {true_value, false_value, result} have same type"),
    ("(%c: vector<2xi1>, %a: f32)", '%0 = "arith.select"(%c, %a, %a) : (vector<2xi1>, f32, f32) -> f32',
     "condition is signless i1 or has matching shape"),
    ("(%a: f64)", "%0 = arith.extf %a : f64 to f32", "operand type 'f64' and result type 'f32' are cast incompatible"),
    ("(%a: f32)", "%0 = arith.truncf %a : f32 to f32", "are cast incompatible"),
    ("(%a: i8)", "%0 = arith.extsi %a : i8 to i8", "are cast incompatible"),
    ("(%a: i8)", "%0 = arith.trunci %a : i8 to i16", "are cast incompatible"),
    ("(%a: f16)", "%0 = arith.bitcast %a : f16 to i32", "are cast incompatible"),
    ("(%a: i64)", "%0 = arith.index_cast %a : i64 to i32", "are cast incompatible"),
    ("(%a: index)", "%0 = arith.fptosi %a : index to i32", "must be floating-point-like"),
]


@pytest.mark.parametrize("sig,line,message", INVALID, ids=[m[:40] for _, _, m in INVALID])
def test_verifier_rejects(sig, line, message):
    with pytest.raises(irc.DiagnosticError) as info:
        parse(func(sig, f"  {line}\n  return"))
    assert message in str(info.value)
    d = info.value.diagnostics[0]
    assert d.location.file_line_col() is not None, "diagnostics must be located"


# ----------------------------------------------------------------------------
# folding through op.fold


def fold_single(sig: str, line: str, consts: str = ""):
    """Parse a function whose op of interest is the last before return and fold it."""
    module = parse(func(sig, f"{consts}\n  {line}\n  return"))
    op = ops_of(module, line.split("=", 1)[1].split()[0])[-1]
    from irc.rewrite import constant_value

    return op, op.fold([constant_value(v) for v in op.operands])


def test_fold_constant_float_keeps_precision():
    _, r = fold_single("()", "%0 = arith.addf %a, %b : f32",
                       "  %a = arith.constant 0.1 : f32\n  %b = arith.constant 0.2 : f32")
    assert r == [FloatAttr(float(np.float32(0.1) + np.float32(0.2)), f32)]


def test_fold_integer_wraps():
    _, r = fold_single("()", "%0 = arith.muli %a, %b : i8",
                       "  %a = arith.constant 16 : i8\n  %b = arith.constant 17 : i8")
    assert r == [IntegerAttr(16, i8)]  # 272 mod 256


def test_division_by_zero_is_not_folded():
    for name in ("divsi", "divui", "remsi", "remui", "ceildivsi", "ceildivui", "floordivsi"):
        _, r = fold_single("()", f"%0 = arith.{name} %a, %b : i32",
                           "  %a = arith.constant 7 : i32\n  %b = arith.constant 0 : i32")
        assert r is None, name


def test_float_identities_are_exact_only():
    def folds(line, const):
        op, r = fold_single("(%x: f64)", line, f"  %c = arith.constant {const} : f64")
        return r is not None and r[0] is op.operands[0]

    assert folds("%0 = arith.addf %x, %c : f64", "-0.0")
    assert not folds("%0 = arith.addf %x, %c : f64", "0.0")
    assert folds("%0 = arith.subf %x, %c : f64", "0.0")
    assert not folds("%0 = arith.subf %x, %c : f64", "-0.0")
    assert folds("%0 = arith.mulf %x, %c : f64", "1.0")
    assert folds("%0 = arith.divf %x, %c : f64", "1.0")
    op, r = fold_single("(%x: f64)", "%0 = arith.mulf %x, %c : f64", "  %c = arith.constant 0.0 : f64")
    assert r is None  # x * 0.0 is not 0.0 for x = -1, inf or NaN


def test_integer_identities():
    op, r = fold_single("(%x: i32)", "%0 = arith.muli %x, %c : i32", "  %c = arith.constant 0 : i32")
    assert r == [op.operands[1]]
    op, r = fold_single("(%x: i32)", "%0 = arith.subi %x, %x : i32")
    assert r == [IntegerAttr(0, i32)]
    op, r = fold_single("(%x: tensor<3xi32>)", "%0 = arith.subi %x, %x : tensor<3xi32>")
    assert r[0] == DenseElementsAttr(TensorType((3,), i32), np.zeros(3, np.int32))
    op, r = fold_single("(%x: tensor<?xi32>)", "%0 = arith.subi %x, %x : tensor<?xi32>")
    assert r is None  # no constant of a dynamic shape


@pytest.mark.parametrize("pred", CMPI_PREDICATES)
def test_cmpi_of_a_value_with_itself(pred):
    _, r = fold_single("(%x: i16)", f"%0 = arith.cmpi {pred}, %x, %x : i16")
    assert r == [IntegerAttr(int(pred in ("eq", "sle", "sge", "ule", "uge")), i1)]


def test_select_folds(backend):
    op, r = fold_single("(%a: f32, %b: f32)", "%0 = arith.select %c, %a, %b : f32", "  %c = arith.constant false")
    assert r == [op.operands[2]]
    op, r = fold_single("(%c: i1, %a: f32)", "%0 = arith.select %c, %a, %a : f32")
    assert r == [op.operands[1]]


# ----------------------------------------------------------------------------
# interpreter semantics


def binop(name: str, t: str, a, b):
    return call(func(f"(%a: {t}, %b: {t}) -> {t}", f"  %0 = arith.{name} %a, %b : {t}\n  return %0 : {t}"), [a, b])[0]


def test_integer_wraparound():
    assert binop("addi", "i8", 127, 1) == -128
    assert binop("muli", "i8", -128, -1) == -128
    assert binop("subi", "i64", -(2**63), 1) == 2**63 - 1
    assert binop("addi", "i1", 1, 1) == 0


def test_unsigned_and_signed_views():
    assert binop("divui", "i8", -1, 2) == 127
    assert binop("remui", "i8", -1, 10) == 5
    assert binop("divsi", "i8", -7, 2) == -3
    assert binop("remsi", "i8", -7, 2) == -1
    assert binop("remsi", "i8", 7, -2) == 1
    assert binop("floordivsi", "i8", -7, 2) == -4
    assert binop("ceildivsi", "i8", 7, 2) == 4
    assert binop("ceildivui", "i8", -1, 2) == -128  # 255 / 2 rounded up = 128
    assert binop("maxui", "i8", -1, 1) == -1
    assert binop("maxsi", "i8", -1, 1) == 1
    assert binop("minsi", "i1", 1, 0) == 1  # i1 true is -1 when signed


def test_divsi_overflow_wraps():
    assert binop("divsi", "i32", -(2**31), -1) == -(2**31)
    assert binop("remsi", "i32", -(2**31), -1) == 0


def test_division_by_zero_is_a_runtime_error(backend):
    from irc.interpreter import InterpreterError

    for name in ("divsi", "divui", "remsi", "remui", "floordivsi", "ceildivsi", "ceildivui"):
        with pytest.raises(InterpreterError, match="division by zero"):
            binop(name, "i32", 1, 0)
    with pytest.raises(InterpreterError, match="division by zero"):
        call(func("(%a: tensor<2xi32>) -> tensor<2xi32>",
                  "  %0 = arith.divsi %a, %a : tensor<2xi32>\n  return %0 : tensor<2xi32>"), [[1, 0]])
    assert math.isinf(binop("divf", "f64", 1.0, 0.0))  # floats follow IEEE


def test_shifts():
    assert binop("shli", "i8", 1, 7) == -128
    assert binop("shrui", "i8", -128, 7) == 1
    assert binop("shrsi", "i8", -128, 7) == -1
    # amounts >= the width are poison in MLIR; the interpreter gives the unbounded shift's value
    assert binop("shli", "i8", 1, 8) == 0
    assert binop("shrui", "i8", -1, 100) == 0
    assert binop("shrsi", "i8", -1, 8) == -1
    assert binop("shli", "i8", 1, -1) == 0  # the amount is unsigned: 255


def test_f32_stays_f32():
    r = binop("addf", "f32", 0.1, 0.2)
    assert isinstance(r, np.float32) and r == np.float32(0.1) + np.float32(0.2)
    assert binop("mulf", "f32", 1e20, 1e20) == np.inf  # overflows in f32, not in f64
    r = binop("addf", "f16", 2048.0, 1.0)
    assert isinstance(r, np.float16) and r == 2048.0  # f16 has 11 bits of precision
    r = binop("addf", "bf16", 256.0, 1.0)
    assert r == 256.0  # bf16 has 8


def test_remf_follows_the_dividend():
    assert binop("remf", "f64", -5.5, 2.0) == -1.5
    assert binop("remf", "f64", 5.5, -2.0) == 1.5


def test_maximumf_minimumf():
    nan = float("nan")
    assert math.isnan(binop("maximumf", "f64", nan, 1.0)) and math.isnan(binop("minimumf", "f64", 1.0, nan))
    assert math.copysign(1, binop("maximumf", "f64", -0.0, 0.0)) == 1
    assert math.copysign(1, binop("maximumf", "f64", 0.0, -0.0)) == 1
    assert math.copysign(1, binop("minimumf", "f64", 0.0, -0.0)) == -1
    assert binop("maxnumf", "f64", nan, 1.0) == 1.0 and binop("minnumf", "f64", 1.0, nan) == 1.0


def reference_cmpf(pred: str, a: float, b: float) -> bool:
    if pred in ("false", "true"):
        return pred == "true"
    unordered = math.isnan(a) or math.isnan(b)
    if pred == "ord":
        return not unordered
    if pred == "uno":
        return unordered
    rel = {"eq": a == b, "ne": a != b and not unordered, "gt": a > b, "ge": a >= b, "lt": a < b, "le": a <= b}[pred[1:]]
    return rel if pred[0] == "o" else (rel or unordered)


CMPF_MODULE = "\n".join(
    func_text
    for p in CMPF_PREDICATES
    for func_text in [
        f"func.func @{p}(%a: f64, %b: f64) -> i1 {{\n  %0 = arith.cmpf {p}, %a, %b : f64\n  return %0 : i1\n}}"
    ]
)


@pytest.mark.parametrize("a,b", [(1.0, 2.0), (2.0, 1.0), (1.0, 1.0), (float("nan"), 1.0), (1.0, float("nan")),
                                 (float("nan"), float("nan")), (-0.0, 0.0), (float("inf"), float("inf"))])
def test_cmpf_predicates_against_nan_rules(a, b):
    interp = Interpreter(parse(CMPF_MODULE))
    for p in CMPF_PREDICATES:
        assert interp.call(p, [a, b]) == [int(reference_cmpf(p, a, b))], (p, a, b)


def test_casts(backend):
    def cast(name, src, dst, v):
        return call(func(f"(%a: {src}) -> {dst}", f"  %0 = arith.{name} %a : {src} to {dst}\n  return %0 : {dst}"), [v])[0]

    assert cast("sitofp", "i64", "f32", 2**60 + 2**36 + 1) == np.float32(2**60 + 2**37)  # one rounding, not two
    assert cast("uitofp", "i8", "f64", -1) == 255.0
    assert cast("sitofp", "i1", "f32", 1) == -1.0
    assert cast("fptosi", "f64", "i8", -128.9) == -128
    assert cast("fptoui", "f64", "i8", 255.9) == -1
    assert cast("extsi", "i1", "i32", 1) == -1
    assert cast("extui", "i8", "i32", -1) == 255
    assert cast("trunci", "i32", "i8", 300) == 44
    assert cast("index_cast", "i32", "index", -5) == -5
    assert cast("index_castui", "i32", "index", -5) == 2**32 - 5
    assert cast("index_cast", "index", "i8", 2**40 + 130) == -126
    assert cast("extf", "f32", "f64", 0.1) == float(np.float32(0.1))
    assert cast("truncf", "f64", "f16", 1 + 2**-11 + 2**-40) == np.float16(1 + 2**-10)
    assert cast("bitcast", "f32", "i32", 1.0) == 0x3F800000
    assert cast("bitcast", "i16", "f16", 0x3C00) == 1.0
    if backend == "interpret":  # the LLVM backend has no bf16 yet (docs/backend.md)
        assert cast("truncf", "f64", "bf16", 1.00390625000001) == 1.0078125  # f64 -> bf16 directly, not via f32
        assert cast("bitcast", "i16", "bf16", 0x3F80) == 1.0
    from irc.interpreter import InterpreterError

    for v in (float("nan"), float("inf"), 128.0, -129.0):
        with pytest.raises(InterpreterError, match="arith.fptosi"):
            cast("fptosi", "f64", "i8", v)
    with pytest.raises(InterpreterError, match="arith.fptoui"):
        cast("fptoui", "f32", "i32", -1.0)


def test_bitcast_keeps_nan_payloads(backend):
    text = func("(%a: i32) -> i32", """
  %0 = arith.bitcast %a : i32 to f32
  %1 = arith.bitcast %0 : f32 to i32
  return %1 : i32""")
    assert call(text, [0x7FC00123]) == [0x7FC00123]


def test_truncf_rounding_modes(backend):
    def trunc(mode, v):
        text = func("(%a: f64) -> f32", f"  %0 = arith.truncf %a {mode} : f64 to f32\n  return %0 : f32")
        return call(text, [v])[0]

    x = 1 + 2**-30  # between two f32 values
    lo, hi = np.float32(1.0), np.nextafter(np.float32(1.0), np.float32(2.0))
    assert trunc("downward", x) == lo and trunc("upward", x) == hi and trunc("toward_zero", x) == lo
    assert trunc("upward", -x) == -lo and trunc("downward", -x) == -hi
    tie = 1 + 2**-24  # exactly halfway: even is 1.0, away is the next one
    assert trunc("to_nearest_even", tie) == lo and trunc("to_nearest_away", tie) == hi
    assert trunc("toward_zero", 1e300) == np.finfo(np.float32).max and trunc("to_nearest_even", 1e300) == np.inf


def test_select_scalar_and_elementwise(backend):
    text = func("(%c: tensor<3xi1>, %d: i1, %a: tensor<3xf32>, %b: tensor<3xf32>) -> (tensor<3xf32>, tensor<3xf32>)", """
  %0 = arith.select %c, %a, %b : tensor<3xi1>, tensor<3xf32>
  %1 = arith.select %d, %a, %b : tensor<3xf32>
  return %0, %1 : tensor<3xf32>, tensor<3xf32>""")
    r0, r1 = call(text, [[True, False, True], 0, [1, 2, 3], [4, 5, 6]])
    assert r0.tolist() == [1, 5, 3] and r0.dtype == np.float32 and r1.tolist() == [4, 5, 6]


def test_tensor_integer_ops_wrap_elementwise(backend):
    text = func("(%a: tensor<2x2xi8>) -> (tensor<2x2xi8>, tensor<2x2xi1>)", """
  %0 = arith.muli %a, %a : tensor<2x2xi8>
  %1 = arith.cmpi ugt, %a, %0 : tensor<2x2xi8>
  return %0, %1 : tensor<2x2xi8>, tensor<2x2xi1>""")
    sq, gt = call(text, [[[16, -1], [11, 0]]])
    assert sq.tolist() == [[0, 1], [121, 0]] and sq.dtype == np.int8
    assert gt.tolist() == [[True, True], [False, False]]


# ----------------------------------------------------------------------------
# properties: folding agrees with interpretation


INT_TYPES = {"i1": 1, "i8": 8, "i16": 16, "i32": 32, "i64": 64, "index": 64}
INT_BINARY = ["addi", "subi", "muli", "divsi", "divui", "ceildivsi", "ceildivui", "floordivsi", "remsi", "remui",
              "andi", "ori", "xori", "shli", "shrsi", "shrui", "maxsi", "minsi", "maxui", "minui"]
FLOAT_BINARY = ["addf", "subf", "mulf", "divf", "remf", "maximumf", "minimumf", "maxnumf", "minnumf"]


def fold_vs_interpret(sig_types, consts, line, result_type):
    """(the folded constant's runtime value or None, the interpreter's result or its error)."""
    names = [f"%a{i}" for i in range(len(consts))]
    line = line.format(*names)
    args = ", ".join(f"{n}: {t}" for n, t in zip(names, sig_types))
    by_args = func(f"({args}) -> {result_type}", f"  %r = {line}\n  return %r : {result_type}")
    consts_text = "\n".join(f"  {n} = arith.constant {c}" for n, c in zip(names, consts))
    by_consts = f"func.func @g() -> {result_type} {{\n{consts_text}\n  %r = {line}\n  return %r : {result_type}\n}}\n"
    module = parse(by_consts)
    op = ops_of(module, line.split()[0])[0]
    from irc.rewrite import constant_value

    folded = op.fold([constant_value(v) for v in op.operands])
    if folded is not None and not isinstance(folded[0], irc.Attribute):
        folded = [constant_value(folded[0])]  # an identity picked one of the (constant) operands
    from irc.interpreter import InterpreterError

    try:
        expected = Interpreter(parse(by_args)).call("f", [arith.attr_to_value(constant_value(v)) for v in op.operands])[0]
    except InterpreterError:
        expected = InterpreterError
    return folded, expected


def same_runtime_value(a, b, t) -> bool:
    if isinstance(t, FloatType):
        a, b = float(a), float(b)
        return (math.isnan(a) and math.isnan(b)) or float_bits(a, t) == float_bits(b, t)
    return int(a) == int(b)


def int_literal(v, t):
    if t == "i1":
        return "true" if v & 1 else "false"
    return f"{v} : {t}"


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(INT_BINARY), st.sampled_from(sorted(INT_TYPES)), st.data())
def test_integer_folding_matches_interpretation(name, t, data):
    w = INT_TYPES[t]
    value = st.one_of(st.integers(-(2 ** (w - 1)), 2 ** (w - 1) - 1) if w > 1 else st.integers(0, 1),
                      st.sampled_from([0, 1, -1 if w > 1 else 1]))
    a, b = data.draw(value), data.draw(value)
    folded, expected = fold_vs_interpret([t, t], [int_literal(a, t), int_literal(b, t)],
                                         f"arith.{name} {{}}, {{}} : {t}", t)
    if folded is None:
        return  # undefined (division by zero, overflow, oversized shift) or no folder: nothing to compare
    from irc.interpreter import InterpreterError

    assert expected is not InterpreterError, "what folds must also run"
    ty = {"index": index}.get(t) or {1: i1, 8: i8, 16: irc.IntegerType(16), 32: i32, 64: i64}[w]
    assert isinstance(folded[0], IntegerAttr) and same_runtime_value(folded[0].value, expected, ty)


FLOATS = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True, width=32),
    st.sampled_from([0.0, -0.0, 1.0, -1.0, float("inf"), float("-inf"), float("nan"), 1e-45, 3.4e38]),
)


def float_literal(v: float, t: FloatType) -> str:
    return f"0x{float_bits(v, t):X} : {t}"


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(FLOAT_BINARY + ["cmpf " + p for p in CMPF_PREDICATES]), st.sampled_from([f16, f32, f64]),
       FLOATS, FLOATS)
def test_float_folding_matches_interpretation(name, t, a, b):
    a = arith.round_exact(a, t) if math.isfinite(a) else a
    b = arith.round_exact(b, t) if math.isfinite(b) else b
    is_cmp = name.startswith("cmpf")
    line = f"arith.{name}{',' if is_cmp else ''} {{}}, {{}} : {t}"
    folded, expected = fold_vs_interpret([str(t), str(t)], [float_literal(a, t), float_literal(b, t)], line,
                                         "i1" if is_cmp else str(t))
    assert folded is not None, "every float op folds constants"
    if is_cmp:
        assert folded[0].value == expected
    else:
        assert same_runtime_value(folded[0].value, expected, t)


@settings(max_examples=100, deadline=None)
@given(st.integers(-(2**63), 2**63 - 1), st.sampled_from([f16, bf16, f32, f64]))
def test_int_to_float_rounds_once(v, t):
    from fractions import Fraction

    got = round_exact(v, t)
    # no representable value of t is nearer to v than the result (ties to even aside)
    if math.isfinite(got):
        up = float(np.nextafter(np.float64(got), np.inf))
        down = float(np.nextafter(np.float64(got), -np.inf))
        up_t, down_t = round_exact(up, t, "upward"), round_exact(down, t, "downward")
        err = abs(Fraction(got) - v)
        for n in (up_t, down_t):
            if math.isfinite(n) and n != got:
                assert abs(Fraction(n) - v) >= err


@settings(max_examples=200, deadline=None)
@given(st.floats(allow_nan=False, allow_infinity=False))
def test_round_exact_agrees_with_numpy_f64_to_f32_and_f16(x):
    with np.errstate(over="ignore"):
        assert struct.pack("<f", round_exact(x, f32)) == struct.pack("<f", np.float32(x))
        assert round_exact(x, f16) == float(np.float16(x))


@settings(max_examples=100, deadline=None)
@given(st.sampled_from(["sitofp", "uitofp", "extsi", "extui", "trunci", "index_cast", "index_castui", "bitcast"]),
       st.integers(-(2**31), 2**31 - 1))
def test_cast_folding_matches_interpretation(name, v):
    src, dst = {
        "sitofp": ("i32", "f32"), "uitofp": ("i32", "f64"), "extsi": ("i32", "i64"), "extui": ("i32", "i64"),
        "trunci": ("i32", "i8"), "index_cast": ("i32", "index"), "index_castui": ("i32", "index"),
        "bitcast": ("i32", "f32"),
    }[name]
    folded, expected = fold_vs_interpret([src], [f"{v} : {src}"], f"arith.{name} {{}} : {src} to {dst}", dst)
    t = {"f32": f32, "f64": f64}.get(dst)
    if t is not None:
        assert same_runtime_value(folded[0].value, expected, t)
    else:
        assert folded[0].value == expected


# ----------------------------------------------------------------------------
# against the real MLIR: where both fold a constant expression, they agree


MLIR_OPT = next((p for p in ("/usr/lib/llvm-22/bin/mlir-opt",) if Path(p).exists()), None) or __import__(
    "shutil"
).which("mlir-opt")

CASTS = [("sitofp", "i32", "f32"), ("uitofp", "i8", "f16"), ("sitofp", "i64", "f32"), ("uitofp", "i64", "f64"),
         ("fptosi", "f64", "i8"), ("fptoui", "f32", "i8"), ("fptosi", "f32", "i32"), ("extf", "f16", "f64"),
         ("truncf", "f64", "f32"), ("truncf", "f64", "f16"), ("truncf", "f32", "bf16"), ("extsi", "i8", "i32"),
         ("extui", "i8", "i32"), ("trunci", "i32", "i8"), ("bitcast", "f32", "i32"), ("bitcast", "i16", "f16"),
         ("index_cast", "i8", "index"), ("index_castui", "i8", "index"), ("extsi", "i1", "i8")]


def random_constant_expressions(seed: int, n: int):
    import random

    rng = random.Random(seed)

    def rint(w):
        if w == 1:
            return rng.choice([0, 1])
        return rng.choice([0, 1, -1, 2, -2, (1 << (w - 1)) - 1, -(1 << (w - 1)), rng.randrange(-(1 << (w - 1)), 1 << (w - 1))])

    def rfloat(t):
        specials = [0.0, -0.0, 1.0, -1.0, math.inf, -math.inf, math.nan, 0.5, 3.0, -7.25, 1e-40, 65504.0, 1e30]
        v = rng.choice(specials) if rng.random() < 0.5 else rng.uniform(-100, 100)
        return float_literal(round_exact(v, t) if math.isfinite(v) else v, t)

    for _ in range(n):
        k = rng.random()
        if k < 0.35:
            op, t = rng.choice(INT_BINARY), rng.choice(["i1", "i8", "i16", "i32", "i64"])
            w = int(t[1:])
            yield f"%a = arith.constant {int_literal(rint(w), t)}\n  %b = arith.constant {int_literal(rint(w), t)}\n" \
                  f"  %r = arith.{op} %a, %b : {t}", t
        elif k < 0.55:
            op, t = rng.choice(FLOAT_BINARY), rng.choice([f16, f32, f64])
            yield f"%a = arith.constant {rfloat(t)}\n  %b = arith.constant {rfloat(t)}\n  %r = arith.{op} %a, %b : {t}", str(t)
        elif k < 0.7:
            p, t = rng.choice(CMPF_PREDICATES), rng.choice([f32, f64])
            yield f"%a = arith.constant {rfloat(t)}\n  %b = arith.constant {rfloat(t)}\n  %r = arith.cmpf {p}, %a, %b : {t}", "i1"
        elif k < 0.8:
            p, t = rng.choice(CMPI_PREDICATES), rng.choice(["i1", "i8", "i64"])
            w = int(t[1:])
            yield f"%a = arith.constant {int_literal(rint(w), t)}\n  %b = arith.constant {int_literal(rint(w), t)}\n" \
                  f"  %r = arith.cmpi {p}, %a, %b : {t}", "i1"
        else:
            name, src, dst = rng.choice(CASTS)
            a = int_literal(rint(int(src[1:])), src) if src[0] == "i" else rfloat(FloatType(src))
            yield f"%a = arith.constant {a}\n  %r = arith.{name} %a : {src} to {dst}", dst


@pytest.mark.skipif(MLIR_OPT is None, reason="mlir-opt not installed (apt-get install mlir-22-tools)")
def test_folding_agrees_with_mlir_opt():
    import subprocess

    from irc.passes import run_pipeline

    cases = list(random_constant_expressions(seed=1, n=400))
    text = "\n".join(f"func.func @c{i}() -> {t} {{\n  {body}\n  return %r : {t}\n}}" for i, (body, t) in enumerate(cases))
    ours = parse(text)
    run_pipeline(ours, "builtin.module(canonicalize)")
    proc = subprocess.run([MLIR_OPT, "--canonicalize"], input=text, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[:2000]
    theirs = parse(proc.stdout)

    def returned_constants(module):
        out = {}
        for fn in module.body.ops:
            d = fn.entry_block.last_op.operands[0].defining_op
            out[fn.attributes["sym_name"].value] = d.attributes["value"] if isinstance(d, ConstantOp) else None
        return out

    a, b = returned_constants(ours), returned_constants(theirs)
    compared = 0
    for name in a:
        x, y = a[name], b[name]
        if x is None or y is None:
            continue  # one side leaves it (MLIR does not fold inexact truncf, irc rounds it)
        compared += 1
        both_nan = isinstance(x, FloatAttr) and isinstance(y, FloatAttr) and math.isnan(x.value) and math.isnan(y.value)
        assert x == y or both_nan, f"{name}: irc folds to {x}, mlir-opt to {y}\n{cases[int(name[1:])][0]}"
    assert compared > 300
    assert all(v is not None for k, v in a.items() if b[k] is not None), "what MLIR folds, irc folds"
