"""Adding a derivative rule for a new op (the recipe of docs/ad.md): before
the rule exists, differentiating the op is a located error; after, both modes
work and match finite differences."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

import irc
from irc.ad_interfaces import elementwise, jvp_rules, vjp_rules
from irc.interpreter import interpret
from irc.opdef import Dialect, FloatLike, Op, Operand, Result
from irc.traits import Pure, SameOperandsAndResultType

sys.path.insert(0, str(Path(__file__).parent))
from adtest import call, central_difference, compile_module  # noqa: E402

toy = Dialect("adtoy", "a dialect made up for this test")


@toy.op
class CubeOp(Op):
    """x³"""

    name = "adtoy.cube"
    operand_defs = (Operand("operand", FloatLike),)
    result_defs = (Result("result", FloatLike),)
    traits = frozenset({Pure, SameOperandsAndResultType})
    format = "$operand attr-dict `:` type($result)"


@interpret.register(CubeOp)
def _(interp, op, args):
    return [args[0] ** 3]


def _register_llvm_translation():
    """How the op lowers to LLVM IR (registered from outside, as a plugin would)."""
    from irc.backends.llvm.translation import translate_to_llvm

    @translate_to_llvm.register(CubeOp)
    def _(t, op, args):
        x = args[0]
        return [t.b.fmul(x, t.b.fmul(x, x))]


try:
    _register_llvm_translation()
except ImportError:  # llvmlite absent: the compiled runs cannot happen anyway
    pass


TEXT = """
func.func @f(%x: f64) -> f64 {
  %c = adtoy.cube %x : f64
  %s = math.sin %c : f64
  return %s : f64
}
func.func @grad(%x: f64) -> f64 {
  %g = ad.grad @f(%x) : (f64) -> f64
  return %g : f64
}
func.func @tangent(%x: f64, %d: f64) -> (f64, f64) {
  %y, %dy = ad.jvp @f(%x, %d) : (f64, f64) -> (f64, f64)
  return %y, %dy : f64, f64
}
"""


def test_rule_for_a_new_op():
    with pytest.raises(irc.DiagnosticError, match="'adtoy.cube' op has no .*derivative rule"):
        compile_module(TEXT)
    try:
        # d x³ = 3x² dx
        elementwise(CubeOp, partials=[
            lambda ctx, g: ctx.mul(g, ctx.mul(ctx.constant(3.0, ctx.operand(0)),
                                              ctx.mul(ctx.operand(0), ctx.operand(0))))])
        m = compile_module(TEXT)
        f = lambda p: call(m, "f", p)  # noqa: E731
        for x in (0.4, -0.9):
            fd = central_difference(f, [x], [1.0])[0]
            assert call(m, "grad", [x])[0] == pytest.approx(fd, rel=1e-6)
            assert call(m, "tangent", [x, 1.0])[1] == pytest.approx(fd, rel=1e-6)
    finally:
        jvp_rules.detach(CubeOp)
        vjp_rules.detach(CubeOp)
