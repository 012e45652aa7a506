"""The ad dialect's ops: syntax round trips, tapes in the interpreter, vector
mode, custom rules, stop_gradient, checkpoint, region forms and `irc run`."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import irc
from irc.interpreter import Interpreter

sys.path.insert(0, str(Path(__file__).parent))
from adtest import call, compile_module  # noqa: E402

ALL_OPS = """
func.func @f(%x: f64, %y: f64) -> f64 {
  return %x : f64
}
func.func @main(%x: f64, %y: f64) -> f64 {
  %g0:2 = ad.grad @f(%x, %y) : (f64, f64) -> (f64, f64)
  %d = ad.grad @f(%x, %y) {wrt = [1]} : (f64, f64) -> f64
  %v:2 = ad.value_and_grad @f(%x, %y) {wrt = [0]} : (f64, f64) -> (f64, f64)
  %a:2 = ad.jvp @f(%x, %y, %x, %y) : (f64, f64, f64, f64) -> (f64, f64)
  %w:3 = ad.jvp @f(%x, %y, %x, %y) {width = 2, wrt = [0]} : (f64, f64, f64, f64) -> (f64, f64, f64)
  %c:3 = ad.vjp @f(%x, %y, %x) : (f64, f64, f64) -> (f64, f64, f64)
  %g = ad.grad (%x) : (f64) -> f64 {
  ^bb0(%q: f64):
    %m = arith.mulf %q, %y : f64
    ad.yield %m : f64
  }
  %s = ad.stop_gradient %x : f64
  %k = ad.checkpoint -> (f64) {
    ad.yield %s : f64
  }
  return %k : f64
}
"""


def test_ad_ops_round_trip():
    m = irc.parse_module(ALL_OPS)
    text = irc.print_op(m)
    assert irc.print_op(irc.parse_module(text)) == text
    assert "ad.grad @f(%x, %y) {wrt = [1]} : (f64, f64) -> f64" in text
    assert "^bb0(%q: f64):" in text
    generic = irc.print_op(m, generic=True)
    assert irc.print_op(irc.parse_module(generic)) == text


TAPES = """
func.func @main(%x: f64, %y: f64) -> (f64, f64, index, index) {
  %t = ad.tape_create : !ad.tape<f64>
  ad.tape_push %t, %x : !ad.tape<f64>, f64
  ad.tape_push %t, %y : !ad.tape<f64>, f64
  %n = ad.tape_size %t : !ad.tape<f64>
  %a = ad.tape_pop %t : !ad.tape<f64> -> f64
  %b = ad.tape_pop %t : !ad.tape<f64> -> f64
  %m = ad.tape_size %t : !ad.tape<f64>
  return %a, %b, %n, %m : f64, f64, index, index
}
"""


def test_tapes_are_lifo_in_the_interpreter():
    m = irc.parse_module(TAPES)
    assert "!ad.tape<f64>" in irc.print_op(m)
    assert [float(v) if isinstance(v, np.floating) else v for v in Interpreter(m).call("main", [1.0, 2.0])] == [
        2.0, 1.0, 2, 0]


def test_popping_an_empty_tape_is_a_located_error():
    m = irc.parse_module("""
func.func @main() -> f64 {
  %t = ad.tape_create : !ad.tape<f64>
  %a = ad.tape_pop %t : !ad.tape<f64> -> f64
  return %a : f64
}
""")
    with pytest.raises(irc.DiagnosticError, match="'ad.tape_pop' op pops from an empty tape"):
        Interpreter(m).call("main", [])


def test_tape_push_type_mismatch_is_rejected():
    with pytest.raises(irc.DiagnosticError, match="pushes a f32 onto a !ad.tape<f64>"):
        irc.parse_module("""
func.func @main(%x: f32) {
  %t = ad.tape_create : !ad.tape<f64>
  ad.tape_push %t, %x : !ad.tape<f64>, f32
  return
}
""")


VECTOR = """
func.func @f(%x: f64, %y: f64) -> (f64, f64) {
  %a = arith.mulf %x, %y : f64
  %b = math.sin %x : f64
  return %a, %b : f64, f64
}
// tangents argument-major (dx0, dx1, dy0, dy1), results result-major (da0, da1, db0, db1)
func.func @jac(%x: f64, %y: f64) -> (f64, f64, f64, f64, f64, f64) {
  %one = arith.constant 1.0 : f64
  %zero = arith.constant 0.0 : f64
  %r:6 = ad.jvp @f(%x, %y, %one, %zero, %zero, %one) {width = 2} : (f64, f64, f64, f64, f64, f64) -> (f64, f64, f64, f64, f64, f64)
  return %r#0, %r#1, %r#2, %r#3, %r#4, %r#5 : f64, f64, f64, f64, f64, f64
}
"""


def test_vector_mode_jvp_gives_the_jacobian():
    m = compile_module(VECTOR)
    x, y = 0.5, 2.0
    out = call(m, "jac", [x, y])
    np.testing.assert_allclose(out, [x * y, np.sin(x), y, x, np.cos(x), 0.0], rtol=1e-15)


CUSTOM = """
// a custom JVP rule (deliberately 3x^2 scaled by 2 so the test sees it is used)
func.func @cube(%x: f64) -> f64 attributes {ad.jvp_rule = @cube_jvp} {
  %a = arith.mulf %x, %x : f64
  %b = arith.mulf %a, %x : f64
  return %b : f64
}
func.func @cube_jvp(%x: f64, %dx: f64) -> (f64, f64) {
  %a = arith.mulf %x, %x : f64
  %b = arith.mulf %a, %x : f64
  %six = arith.constant 6.0 : f64
  %c = arith.mulf %six, %a : f64
  %d = arith.mulf %c, %dx : f64
  return %b, %d : f64, f64
}
func.func @cube_grad(%x: f64) -> f64 {
  %g = ad.grad @cube(%x) : (f64) -> f64
  return %g : f64
}
func.func @cube_tangent(%x: f64, %d: f64) -> (f64, f64) {
  %y, %dy = ad.jvp @cube(%x, %d) : (f64, f64) -> (f64, f64)
  return %y, %dy : f64, f64
}
// a custom VJP rule (10·ct); forward mode differentiates the body
func.func @sq(%x: f64) -> f64 attributes {ad.vjp_rule = @sq_vjp_rule} {
  %a = arith.mulf %x, %x : f64
  return %a : f64
}
func.func @sq_vjp_rule(%x: f64, %ct: f64) -> (f64, f64) {
  %a = arith.mulf %x, %x : f64
  %ten = arith.constant 10.0 : f64
  %c = arith.mulf %ten, %ct : f64
  return %a, %c : f64, f64
}
func.func @sq_grad(%x: f64) -> f64 {
  %g = ad.grad @sq(%x) : (f64) -> f64
  return %g : f64
}
func.func @sq_tangent(%x: f64, %d: f64) -> (f64, f64) {
  %y, %dy = ad.jvp @sq(%x, %d) : (f64, f64) -> (f64, f64)
  return %y, %dy : f64, f64
}
// a call inside a differentiated function uses the rule too
func.func @uses_cube(%x: f64) -> f64 {
  %c = func.call @cube(%x) : (f64) -> f64
  %s = math.sin %c : f64
  return %s : f64
}
func.func @uses_cube_grad(%x: f64) -> f64 {
  %g = ad.grad @uses_cube(%x) : (f64) -> f64
  return %g : f64
}
"""


def test_custom_jvp_rule_serves_both_modes():
    m = compile_module(CUSTOM)
    assert call(m, "cube_tangent", [2.0, 1.0]) == [8.0, 24.0]
    assert call(m, "cube_grad", [2.0]) == [24.0]  # reverse mode by transposing the rule
    assert call(m, "uses_cube_grad", [2.0])[0] == pytest.approx(np.cos(8.0) * 24.0, rel=1e-14)


def test_custom_vjp_rule_is_used_in_reverse_mode_only():
    m = compile_module(CUSTOM)
    assert call(m, "sq_grad", [2.0]) == [10.0]
    assert call(m, "sq_tangent", [2.0, 1.0]) == [4.0, 4.0]


STOP_AND_CHECKPOINT = """
func.func @h(%x: f64) -> f64 {
  %s = ad.stop_gradient %x : f64
  %a = arith.mulf %s, %x : f64
  %c = ad.checkpoint -> (f64) {
    %e = math.exp %a : f64
    %f = math.sin %e : f64
    ad.yield %f : f64
  }
  return %c : f64
}
func.func @grad(%x: f64) -> f64 {
  %g = ad.grad @h(%x) : (f64) -> f64
  return %g : f64
}
func.func @tangent(%x: f64, %d: f64) -> (f64, f64) {
  %y, %dy = ad.jvp @h(%x, %d) : (f64, f64) -> (f64, f64)
  return %y, %dy : f64, f64
}
"""


@pytest.mark.parametrize("x", [0.3, 0.7])
def test_stop_gradient_and_checkpoint(x):
    m = compile_module(STOP_AND_CHECKPOINT)
    # d/dx sin(exp(s*x)) with s = x held constant: cos(exp(x²))·exp(x²)·x
    want = np.cos(np.exp(x * x)) * np.exp(x * x) * x
    assert call(m, "grad", [x])[0] == pytest.approx(want, rel=1e-14)
    assert call(m, "tangent", [x, 1.0])[1] == pytest.approx(want, rel=1e-14)


def test_checkpoint_recomputes_instead_of_taping():
    m = compile_module(STOP_AND_CHECKPOINT)
    text = irc.print_op(m)
    assert "ad.tape" not in text
    vjp = text[text.index("@h_vjp"):]
    vjp = vjp[:vjp.index("\n  }")]
    assert vjp.count("math.exp") == 2  # once in the forward sweep, once recomputed


REGIONS = """
func.func @regions(%x: f64, %k: f64) -> (f64, f64, f64, f64, f64, f64) {
  %one = arith.constant 1.0 : f64
  %v, %g = ad.value_and_grad (%x) : (f64) -> (f64, f64) {
  ^bb0(%a: f64):
    %m = arith.mulf %a, %k : f64
    %s = math.sin %m : f64
    ad.yield %s : f64
  }
  %y, %dy = ad.jvp (%x, %one) : (f64, f64) -> (f64, f64) {
  ^bb0(%a: f64):
    %m = arith.mulf %a, %k : f64
    %s = math.sin %m : f64
    ad.yield %s : f64
  }
  %z, %cz = ad.vjp (%x, %one) : (f64, f64) -> (f64, f64) {
  ^bb0(%a: f64):
    %m = arith.mulf %a, %k : f64
    %s = math.sin %m : f64
    ad.yield %s : f64
  }
  return %v, %g, %y, %dy, %z, %cz : f64, f64, f64, f64, f64, f64
}
"""


def test_region_forms_close_over_outer_values():
    m = compile_module(REGIONS)
    x, k = 0.7, 1.3
    val, der = np.sin(x * k), k * np.cos(x * k)
    np.testing.assert_allclose(call(m, "regions", [x, k]), [val, der] * 3, rtol=1e-15)


def test_irc_run_lowers_ad_ops(tmp_path):
    src = tmp_path / "g.mlir"
    src.write_text("""
func.func @sq(%x: f64) -> f64 {
  %y = arith.mulf %x, %x : f64
  return %y : f64
}
func.func @main(%x: f64) -> f64 {
  %g = ad.grad @sq(%x) : (f64) -> f64
  return %g : f64
}
""")
    irc_bin = Path(sys.executable).parent / "irc"
    out = subprocess.run([str(irc_bin), "run", str(src), "--entry", "main", "--arg", "3.0", "--json"],
                         capture_output=True, text=True, check=True)
    assert json.loads(out.stdout) == [6.0]


def test_generated_functions_are_reused_and_suffixed_on_collision():
    m = compile_module("""
func.func @f(%x: f64) -> f64 {
  %y = math.sin %x : f64
  return %y : f64
}
func.func private @f_vjp(%x: f64) -> f64 {
  return %x : f64
}
func.func @main(%x: f64) -> (f64, f64) {
  %a = ad.grad @f(%x) : (f64) -> f64
  %b = ad.grad @f(%x) : (f64) -> f64
  return %a, %b : f64, f64
}
""")
    text = irc.print_op(m)
    assert text.count("func.func private @f_vjp_1(") == 1
    assert text.count("func.func private @f_grad(") == 1
    assert call(m, "main", [0.5]) == [np.cos(0.5)] * 2


def test_generated_code_keeps_locations():
    m = irc.parse_module("""
func.func @f(%x: f64) -> f64 {
  %y = math.sin %x : f64
  return %y : f64
}
func.func @main(%x: f64) -> f64 {
  %g = ad.grad @f(%x) : (f64) -> f64
  return %g : f64
}
""", filename="loc.mlir")
    from irc.passes.ad import lower_ad

    lower_ad(m, cleanup=False)
    text = irc.print_op(m, debuginfo=True)
    vjp = text[text.index("@f_vjp"):]
    cos_line = next(line for line in vjp.splitlines() if "math.cos" in line)
    assert 'loc("loc.mlir":3:' in cos_line


TENSORS = """
func.func @f(%x: tensor<3xf64>, %y: tensor<3xf64>) -> tensor<3xf64> {
  %a = arith.mulf %x, %y : tensor<3xf64>
  %b = math.sin %a : tensor<3xf64>
  %c = math.absf %b : tensor<3xf64>
  return %c : tensor<3xf64>
}
func.func @main(%x: tensor<3xf64>, %y: tensor<3xf64>, %d: tensor<3xf64>) -> (tensor<3xf64>, tensor<3xf64>, tensor<3xf64>) {
  %r, %dr = ad.jvp @f(%x, %y, %d) {wrt = [0]} : (tensor<3xf64>, tensor<3xf64>, tensor<3xf64>) -> (tensor<3xf64>, tensor<3xf64>)
  %s, %cx, %cy = ad.vjp @f(%x, %y, %d) : (tensor<3xf64>, tensor<3xf64>, tensor<3xf64>) -> (tensor<3xf64>, tensor<3xf64>, tensor<3xf64>)
  return %dr, %cx, %cy : tensor<3xf64>, tensor<3xf64>, tensor<3xf64>
}
"""


def test_elementwise_rules_work_on_tensors():
    m = compile_module(TENSORS)
    x, y, d = np.array([0.5, -1.0, 2.0]), np.array([1.5, 0.3, -0.7]), np.array([1.0, 2.0, -1.0])
    dr, cx, cy = Interpreter(m).call("main", [x, y, d])
    g = np.sign(np.sin(x * y)) * np.cos(x * y)
    np.testing.assert_allclose(dr, g * y * d, rtol=1e-15)
    np.testing.assert_allclose(cx, g * y * d, rtol=1e-15)
    np.testing.assert_allclose(cy, g * x * d, rtol=1e-15)


def test_vector_mode_through_loops_calls_and_custom_rules():
    from test_ad_control_flow import NESTED_WITH_CALL, WHILE_BEFORE

    text = CUSTOM + NESTED_WITH_CALL + WHILE_BEFORE.replace("@f(", "@f2(") + """
func.func @cube_w(%x: f64) -> (f64, f64, f64) {
  %one = arith.constant 1.0 : f64
  %two = arith.constant 2.0 : f64
  %r:3 = ad.jvp @uses_cube(%x, %one, %two) {width = 2} : (f64, f64, f64) -> (f64, f64, f64)
  return %r#0, %r#1, %r#2 : f64, f64, f64
}
func.func @jac(%x: f64, %y: f64) -> (f64, f64, f64, f64) {
  %one = arith.constant 1.0 : f64
  %z = arith.constant 0.0 : f64
  %r:3 = ad.jvp @f(%x, %y, %one, %z, %z, %one) {width = 2} : (f64, f64, f64, f64, f64, f64) -> (f64, f64, f64)
  %s:3 = ad.jvp @f2(%x, %y, %one, %z, %z, %one) {width = 2} : (f64, f64, f64, f64, f64, f64) -> (f64, f64, f64)
  return %r#1, %r#2, %s#1, %s#2 : f64, f64, f64, f64
}
func.func @grads(%x: f64, %y: f64) -> (f64, f64, f64, f64) {
  %r:2 = ad.grad @f(%x, %y) : (f64, f64) -> (f64, f64)
  %s:2 = ad.grad @f2(%x, %y) : (f64, f64) -> (f64, f64)
  return %r#0, %r#1, %s#0, %s#1 : f64, f64, f64, f64
}
"""
    m = compile_module(text)
    out = call(m, "cube_w", [2.0])
    assert out[1:] == pytest.approx([np.cos(8.0) * 24.0, np.cos(8.0) * 48.0], rel=1e-14)
    np.testing.assert_allclose(call(m, "jac", [0.3, 0.7]), call(m, "grads", [0.3, 0.7]), rtol=1e-13)


CHECKPOINT_IN_LOOP = """
func.func @f(%a0: f64, %a1: f64) -> f64 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c3 = arith.constant 3 : index
  %r = scf.for %i = %c0 to %c3 step %c1 iter_args(%acc = %a0) -> (f64) {
    %k = ad.checkpoint -> (f64) {
      %s = math.sin %acc : f64
      %q = scf.for %j = %c0 to %c3 step %c1 iter_args(%b = %s) -> (f64) {
        %t = math.cos %b : f64
        %u = arith.mulf %t, %a1 : f64
        scf.yield %u : f64
      }
      %e = math.exp %q : f64
      ad.yield %e : f64
    }
    scf.yield %k : f64
  }
  return %r : f64
}
"""


@pytest.mark.parametrize("point", [(0.3, 0.7), (1.2, -0.5)])
def test_checkpoint_in_a_loop_stores_only_its_inputs(point):
    from adtest import check_function

    m = check_function(CHECKPOINT_IN_LOOP, 2, 1, point, np.random.default_rng(0))
    text = irc.print_op(m)
    vjp = text[text.index("@f_vjp"):]
    vjp = vjp[:vjp.index("\n  }")]
    forward_checkpoint = vjp[vjp.index("ad.checkpoint"):vjp.index("ad.yield")]
    assert "ad.tape_push" not in forward_checkpoint  # the inner loop tapes during the recomputation
    assert vjp.count("ad.tape_push") == 3  # the checkpoint's input, and the recomputed inner loop's two values
