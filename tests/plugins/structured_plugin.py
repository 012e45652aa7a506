"""A test-only structured op: ``test_structured.map`` applies its scalar body
to every element of its tensor operands, the way the arrays issue's
``linalg.map`` will.  Its interpreter rule is one call of
`Interpreter.map_region`, which runs the body once on whole arrays when it
can; the ``per_element`` unit attribute forces the element-by-element loop,
so a test can check both give the same results::

    %r = test_structured.map %a, %b : tensor<?xf64>, tensor<?xf64> -> tensor<?xf64> {
    ^bb0(%x: f64, %y: f64):
      %s = arith.mulf %x, %y : f64
      test_structured.yield %s : f64
    }

Loaded with ``--load-plugin``.
"""

from irc.attributes import UnitAttr
from irc.interpreter import Yield, interpret, read_only
from irc.opdef import AnyTensor, AnyType, Attr, Dialect, Op, Operand, RegionDef, Result
from irc.traits import HasParent, Pure, ReturnLike, Terminator

test_structured = Dialect("test_structured", "a structured op for testing the interpreter's whole-array hook")


@test_structured.op
class MapOp(Op):
    """Elementwise map of a scalar region over same-shaped tensors."""

    name = "test_structured.map"
    operand_defs = (Operand("inputs", AnyTensor, variadic=True),)
    result_defs = (Result("result", AnyTensor),)
    attribute_defs = (Attr("per_element", UnitAttr, optional=True),)
    region_defs = (RegionDef("body"),)
    format = "$inputs attr-dict `:` type($inputs) `->` type($result) $body"

    def verify(self) -> None:
        if not self.inputs:
            raise self.emit_error("expects at least one input")
        shapes = {t.type.shape for t in self.inputs} | {self.results[0].type.shape}
        if len(shapes) != 1:
            raise self.emit_error("expects inputs and result of one shape")


@test_structured.op
class YieldOp(Op):
    """Yields the body's scalar result."""

    name = "test_structured.yield"
    operand_defs = (Operand("values", AnyType, variadic=True),)
    traits = frozenset({Pure, Terminator, ReturnLike, HasParent.of("test_structured.map")})
    format = "attr-dict ($values^ `:` type($values))?"


@interpret.register(MapOp)
def _interpret_map(interp, op, args):
    (out,) = interp.map_region(op.body, args, args[0].shape, per_element="per_element" in op.attributes)
    return [read_only(out)]


@interpret.register(YieldOp)
def _interpret_yield(interp, op, args):
    return Yield(args, op)
