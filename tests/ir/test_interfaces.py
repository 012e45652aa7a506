"""The interface machinery (ir/interfaces.py): contracts with defaults and
required methods, the implements check, external models on op and type
classes (and op names), and the shorthands memory effects derive from."""

from __future__ import annotations

import pytest

import irc
from irc.control_flow import LoopLike, RegionBranch
from irc.effects import (
    ALLOCATE,
    READ,
    WRITE,
    EffectInstance,
    MemoryEffects,
    is_pure,
    is_side_effect_free,
    is_trivially_dead,
    memory_effects,
)
from irc.interfaces import InterfaceError, OpInterface, TypeInterface, required
from irc.types import DialectType, f64


class Shape(OpInterface):
    """A made-up interface: one required method, one default."""

    interface_name = "TestShapeInterface"

    @required
    def area(self, op) -> float:
        ...

    def describe(self, op) -> str:
        return f"{op.op_name} of area {self.area(op)}"


def parse_one(text: str):
    m = irc.parse_module(text, allow_unregistered=True)
    return next(op for op in m.walk() if op.op_name.startswith("test_if."))


def test_a_model_attached_from_outside_answers_with_its_methods_and_the_defaults():
    op = parse_one('func.func @f() {\n  "test_if.square"() : () -> ()\n  return\n}')
    assert not Shape.implemented_by(op) and Shape.get(op) is None
    with pytest.raises(InterfaceError, match="does not implement TestShapeInterface"):
        Shape.of(op)

    class Square(Shape):
        def area(self, op):
            return 4.0

    Shape.attach("test_if.square", Square)  # an unregistered op: attached by name
    try:
        assert Shape.implemented_by(op)
        assert Shape.of(op).area() == 4.0
        assert Shape.of(op).describe() == "test_if.square of area 4.0"
    finally:
        Shape.detach("test_if.square")
    assert not Shape.implemented_by(op)


def test_a_model_without_a_required_method_is_refused_when_attached():
    class Lazy(Shape):
        pass

    with pytest.raises(InterfaceError, match="Lazy does not define area, which TestShapeInterface requires"):
        Shape.attach("test_if.lazy", Lazy)


def test_a_model_of_another_interface_is_refused():
    class NotAShape(LoopLike):
        def loop_regions(self, op):
            return []

    with pytest.raises(InterfaceError, match="not a model of TestShapeInterface"):
        Shape.attach("test_if.other", NotAShape)


def test_type_interfaces_attach_to_type_classes():
    class Measure(TypeInterface):
        interface_name = "TestMeasure"

        def size(self, t) -> int:
            return 1

    class Bits(DialectType):
        pass

    @Measure.implement(Bits)
    class BitsMeasure(Measure):
        def size(self, t):
            return 64

    bits = Bits("test.bits", ())
    assert Measure.of(bits).size() == 64
    assert not Measure.implemented_by(f64)


def test_scf_ops_implement_the_control_flow_interfaces_and_func_ops_the_function_ones():
    from irc.functions import CallLike, FunctionLike

    m = irc.parse_module("""
func.func @g(%x: f64) -> f64 {
  return %x : f64
}
func.func @f(%x: f64, %n: index) -> f64 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %r = scf.for %i = %c0 to %n step %c1 iter_args(%a = %x) -> (f64) {
    %b = func.call @g(%a) : (f64) -> f64
    scf.yield %b : f64
  }
  return %r : f64
}
""")
    loop = next(op for op in m.walk() if op.op_name == "scf.for")
    call = next(op for op in m.walk() if op.op_name == "func.call")
    assert RegionBranch.implemented_by(loop) and LoopLike.implemented_by(loop)
    body = loop.regions[0].blocks[0]
    assert LoopLike.of(loop).region_iter_args() == list(body.arguments[1:])
    assert LoopLike.of(loop).induction_vars() == [body.arguments[0]]
    assert CallLike.of(call).resolve() is next(op for op in m.walk() if op.op_name == "func.func")
    assert str(FunctionLike.of(CallLike.of(call).resolve()).function_type()) == "(f64) -> f64"


def test_effects_derive_from_the_shorthand_traits_and_from_models():
    m = irc.parse_module("""
func.func @f(%x: i64, %y: i64, %t: !ad.tape<f64>, %v: f64) -> i64 {
  %a = arith.addi %x, %y : i64
  %d = arith.divsi %x, %y : i64
  ad.tape_push %t, %v : !ad.tape<f64>, f64
  %u = ad.tape_create : !ad.tape<f64>
  "test_if.unknown"() : () -> ()
  return %a : i64
}
""", allow_unregistered=True)
    ops = {op.op_name: op for op in m.walk()}
    add, div, push, create = ops["arith.addi"], ops["arith.divsi"], ops["ad.tape_push"], ops["ad.tape_create"]
    assert memory_effects(add) == [] and is_pure(add)
    assert is_side_effect_free(div) and not is_pure(div)  # NoMemoryEffect: merged, never hoisted
    kinds = [(e.kind, e.value) for e in memory_effects(push)]
    assert kinds == [(WRITE, push.operands[0]), (READ, push.operands[1])]
    assert memory_effects(create) == [EffectInstance(ALLOCATE, create.results[0])]
    assert is_trivially_dead(create) and not is_trivially_dead(push)
    assert memory_effects(ops["test_if.unknown"]) is None  # says nothing: unknown, never dropped
    assert MemoryEffects.implemented_by(add) and not MemoryEffects.implemented_by(ops["test_if.unknown"])


def test_an_unknown_effect_kind_is_refused():
    with pytest.raises(ValueError, match="unknown memory effect 'explode'"):
        EffectInstance("explode")
