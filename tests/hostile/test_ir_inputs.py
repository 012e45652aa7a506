"""IR that used to end in exit 2 (an internal error) or in unbounded work:
each is now a located diagnostic and exit 1, or correct output."""

from __future__ import annotations

import pytest

from hostile import assert_located, irc, write

F = """func.func @f(%x: f64) -> f64 {
  %0 = arith.mulf %x, %x : f64
  return %0 : f64
}
"""


def _grad_with_wrt(wrt: str) -> str:
    return F + f"""func.func @g(%x: f64) -> f64 {{
  %0 = ad.grad @f(%x) {{wrt = {wrt}}} : (f64) -> f64
  return %0 : f64
}}
"""


def _rule(attr: str, rule: str, use: str) -> str:
    return f"""func.func @r(%x: i32) -> i32 {{
  return %x : i32
}}
func.func @f(%x: f64) -> f64 attributes {{{attr} = {rule}}} {{
  %0 = arith.mulf %x, %x : f64
  return %0 : f64
}}
func.func @g(%x: f64, %t: f64) -> (f64, f64) {{
  {use}
}}
"""


_JVP_USE = "%0, %1 = ad.jvp @f(%x, %t) : (f64, f64) -> (f64, f64)\n  return %0, %1 : f64, f64"
_GRAD_USE = "%0 = ad.grad @f(%x) : (f64) -> f64\n  return %0, %0 : f64, f64"

# name: (source, extra flags, line, column, message)
CASES = {
    "ad_generic_form_without_callee_or_region": (
        "func.func @g(%x: f64) -> f64 {\n  %0 = \"ad.grad\"(%x) : (f64) -> f64\n  return %0 : f64\n}\n",
        [], 2, 3, "'ad.grad' op needs either a callee symbol or a region"),
    "ad_generic_form_with_callee_and_region": (
        F + "func.func @g(%x: f64) -> f64 {\n  %0 = \"ad.grad\"(%x) ({\n  ^bb0(%a: f64):\n    ad.yield %a : f64\n"
        "  }) {callee = @f} : (f64) -> f64\n  return %0 : f64\n}\n",
        [], 6, 3, "needs either a callee symbol or a region"),
    "wrt_unit": (_grad_with_wrt("[unit]"), [], 6, 3, "'wrt' must be an array of integer argument positions, got unit"),
    "wrt_nested_array": (_grad_with_wrt("[[0]]"), [], 6, 3, "got [0]"),
    "wrt_symbol": (_grad_with_wrt("[@f]"), [], 6, 3, "got @f"),
    "wrt_string": (_grad_with_wrt('["0"]'), [], 6, 3, "integer argument positions"),
    "jvp_rule_names_itself": (_rule("ad.jvp_rule", "@f", _JVP_USE), ["--ad"], 9, 3,
                              "'ad.jvp_rule' of '@f' names the function itself"),
    "vjp_rule_names_itself": (_rule("ad.vjp_rule", "@f", _GRAD_USE), ["--ad"], 9, 3,
                              "'ad.vjp_rule' of '@f' names the function itself"),
    "jvp_rule_wrong_signature": (_rule("ad.jvp_rule", "@r", _JVP_USE), ["--ad"], 9, 3,
                                 "names '@r' of type (i32) -> i32, but its jvp rule must have type (f64, f64) -> (f64, f64)"),
    "vjp_rule_wrong_signature": (_rule("ad.vjp_rule", "@r", _GRAD_USE), ["--ad"], 9, 3,
                                 "names '@r' of type (i32) -> i32, but its vjp rule must have type"),
    "jvp_rule_serving_reverse_mode_wrong_signature": (_rule("ad.jvp_rule", "@r", _GRAD_USE), ["--ad"], 9, 3,
                                                      "its jvp rule must have type"),
    "jvp_width_of_a_billion": (
        F + "func.func @g(%x: f64, %t: f64) -> (f64, f64) {\n"
        "  %0, %1 = ad.jvp @f(%x, %t) {width = 1000000000} : (f64, f64) -> (f64, f64)\n  return %0, %1 : f64, f64\n}\n",
        [], 6, 3, "with 'width' 1000000000, differentiating '@f' takes 1000000001 operands"),
    "checkpoint_with_block_arguments": (
        "func.func @f(%x: f64) -> f64 {\n  %0 = ad.checkpoint -> (f64) {\n  ^bb0(%a: f64):\n    ad.yield %a : f64\n"
        "  }\n  return %0 : f64\n}\n",
        [], 2, 3, "'ad.checkpoint' op region should have no arguments"),
    "integer_literal_past_python_limit": (
        "func.func @f() -> i64 {\n  %0 = arith.constant " + "9" * 5000 + " : i64\n  return %0 : i64\n}\n",
        [], 2, 23, "integer literal of 5000 decimal digits is too long"),
    "integer_attribute_past_python_limit": (
        "func.func @f() attributes {a = " + "9" * 5000 + " : i64} {\n  return\n}\n",
        [], 1, 32, "integer literal of 5000 decimal digits is too long"),
    "dense_element_past_python_limit": (
        "func.func @f() -> tensor<2xi64> {\n  %0 = arith.constant dense<[1, " + "9" * 5000
        + "]> : tensor<2xi64>\n  return %0 : tensor<2xi64>\n}\n",
        [], 2, 33, "integer literal of 5000 decimal digits is too long"),
    "integer_type_too_wide": (
        "func.func @f() -> i99999999 {\n  return\n}\n", [], 1, 19, "integer bitwidth is limited to 16777215 bits"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_hostile_ir_is_a_located_diagnostic(tmp_path, case):
    source, flags, line, col, message = CASES[case]
    src = write(tmp_path, "in.mlir", source)
    code, _, err = irc(["opt", src, *flags])
    assert code == 1, err
    assert_located(err, src, line, col, message)


def test_wide_integer_prints_and_reads_back(tmp_path):
    src = write(tmp_path, "in.mlir", """func.func @f() -> i20000 {
  %0 = arith.constant 1 : i20000
  %c = arith.constant 19999 : i20000
  %1 = arith.shli %0, %c : i20000
  return %1 : i20000
}
""")
    code, out, err = irc(["opt", src, "--canonicalize"])
    assert code == 0, err
    assert "arith.constant 0x8" in out
    again = write(tmp_path, "again.mlir", out)
    code, out2, err = irc(["opt", again])
    assert code == 0, err
    assert out2 == out


def test_wide_negative_integers_print_and_read_back(tmp_path):
    # past Python's 4,300-digit limit: a signless value prints as its two's-complement bits in
    # hexadecimal, a signed one as `-0x...` (MLIR reads both), as wide positive values print in hex
    src = write(tmp_path, "in.mlir", """func.func @f() -> i20000 {
  %0 = arith.constant 0 : i20000
  %1 = arith.constant 1 : i20000
  %c = arith.constant 19998 : i20000
  %2 = arith.shli %1, %c : i20000
  %3 = arith.subi %0, %2 : i20000
  return %3 : i20000
}
"test.op"() {a = -0x4""" + "0" * 4999 + """ : si20000} : () -> ()
""")
    code, out, err = irc(["opt", src, "--canonicalize", "--allow-unregistered-dialect"])
    assert code == 0, err
    assert "arith.constant 0xc" + "0" * 4999 + " : i20000" in out
    assert "a = -0x4" + "0" * 4999 + " : si20000" in out
    again = write(tmp_path, "again.mlir", out)
    code, out2, err = irc(["opt", again, "--allow-unregistered-dialect"])
    assert code == 0, err
    assert out2 == out
    code, result, err = irc(["run", src, "--entry", "f", "--interpret", "--allow-unregistered-dialect"])
    assert code == 0, err
    assert result == "0xc" + "0" * 4999 + "\n"  # `irc run` prints such results as the attribute would


def test_negative_hexadecimal_literals_as_mlir_reads_them(tmp_path):
    src = write(tmp_path, "in.mlir", "func.func @f() -> i32 {\n  %c = arith.constant -0x10 : i32\n  return %c : i32\n}\n")
    code, out, err = irc(["opt", src])
    assert code == 0, err
    assert "arith.constant -16 : i32" in out
    bad = write(tmp_path, "bad.mlir", "func.func @f() -> f32 {\n  %c = arith.constant -0x7FC00000 : f32\n"
                                      "  return %c : f32\n}\n")
    code, _, err = irc(["opt", bad])
    assert code == 1
    assert_located(err, bad, 2, 24, "hexadecimal float literal should not have a leading minus")


def test_split_input_file_keeps_line_numbers(tmp_path):
    chunks = ["func.func @a() {\n  return\n}\n",
              "func.func @b() {\n  %0 = arith.constant 1 : i32\n  return %0 : i32\n}\n",
              "func.func @c( {\n",
              "func.func @d() {\n"]
    src = write(tmp_path, "in.mlir", "// -----\n".join(chunks))
    code, out, err = irc(["opt", src, "--split-input-file"])
    assert code == 1
    errors = [l for l in err.splitlines() if ": error: " in l]
    assert [e.split(": error: ")[0] for e in errors] == [f"{src}:7:3", f"{src}:10:15", f"{src}:12:17"]
    assert "func.func @a()" in out


def test_split_input_file_of_ten_thousand_chunks(tmp_path):
    chunk = "func.func @f{i}(%x: f64) -> f64 {{\n  return %x : f64\n}}\n"
    src = write(tmp_path, "in.mlir", "// -----\n".join(chunk.format(i=i) for i in range(10_000)))
    code, out, err = irc(["opt", src, "--split-input-file"])
    assert code == 0, err[:2000]
    assert out.count("func.func @f") == 10_000 and "@f9999(" in out


@pytest.mark.parametrize("type_", ["vector<?xf64>", "vector<4x?xf32>", "vector<?x[4]xf32>"])
def test_dynamic_vector_dimension_is_mlirs_error_not_a_crash(tmp_path, type_):
    # the fuzzer's find: a `?` where a vector's size goes reached int('?') (exit 2)
    src = write(tmp_path, "in.mlir", f"func.func @f(%a: {type_}) {{\n  return\n}}\n")
    code, _, err = irc(["opt", src])
    assert code == 1
    assert_located(err, src, 1, 18 + type_.index("?"), "expected non-function type")  # at the `?`, as MLIR
