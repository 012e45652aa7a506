"""The core IR: types and attributes round-trip exactly through text, the
object model keeps use lists and block order consistent, printing is a fixed
point."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import irc
from irc import attributes as A
from irc import types as T
from irc.builder import Builder
from irc.dialects.func import CallOp, FuncOp, ReturnOp
from irc.parser import parse_module


def roundtrip_attr(attr) -> A.Attribute:
    text = f'"test.op"() {{a = {attr}}} : () -> ()'
    m = parse_module(text, allow_unregistered=True)
    op = m.body.first_op
    return op.attributes["a"]


def roundtrip_type(t) -> T.Type:
    m = parse_module(f'"test.op"() : () -> {t}' if not isinstance(t, T.FunctionType) else
                     f'"test.op"() : () -> ({t})', allow_unregistered=True)
    return m.body.first_op.results[0].type


scalar_types = st.sampled_from(
    [T.f16, T.bf16, T.f32, T.f64, T.i1, T.i8, T.i32, T.i64, T.index, T.IntegerType(17), T.IntegerType(8, "u"),
     T.IntegerType(32, "s")]
)
dims = st.lists(st.one_of(st.integers(0, 9), st.just(T.DYNAMIC)), max_size=3).map(tuple)
types = st.recursive(
    scalar_types,
    lambda inner: st.one_of(
        st.builds(T.TensorType, dims, scalar_types),
        st.builds(T.MemRefType, dims, scalar_types),
        st.builds(T.VectorType, st.lists(st.integers(1, 8), min_size=1, max_size=3).map(tuple), scalar_types),
        st.builds(T.FunctionType, st.lists(inner, max_size=3).map(tuple), st.lists(inner, max_size=2).map(tuple)),
        st.builds(T.TupleType, st.lists(inner, max_size=3).map(tuple)),
        st.builds(T.ComplexType, st.sampled_from([T.f32, T.f64])),
    ),
    max_leaves=6,
)


@settings(max_examples=150, deadline=None)
@given(types)
def test_types_round_trip_through_text(t):
    assert roundtrip_type(t) == t


float_types = st.sampled_from([T.f16, T.bf16, T.f32, T.f64])


@settings(max_examples=300, deadline=None)
@given(st.floats(allow_nan=True, allow_infinity=True), float_types)
def test_float_attributes_round_trip_bit_exactly(x, ft):
    attr = A.FloatAttr(x, ft)
    back = roundtrip_attr(attr)
    assert back.type == ft
    assert back.bits == attr.bits or (math.isnan(back.value) and math.isnan(attr.value))


def test_special_floats_print_like_mlir():
    assert str(A.FloatAttr(float("nan"))) == "0x7FF8000000000000 : f64"
    assert str(A.FloatAttr(float("-inf"), T.f32)) == "0xFF800000 : f32"
    assert str(A.FloatAttr(-0.0)) == "-0.0 : f64"
    assert str(A.FloatAttr(0.1, T.f32)) == "0.1 : f32"
    assert str(A.FloatAttr(1e-5)) == "1.0e-5 : f64"
    assert roundtrip_attr(A.FloatAttr(-0.0)).bits == A.FloatAttr(-0.0).bits


scalar_attrs = st.one_of(
    st.builds(A.IntegerAttr, st.integers(-(2**31), 2**31 - 1), st.sampled_from([T.i32, T.i64, T.index])),
    st.builds(A.IntegerAttr, st.integers(0, 1), st.just(T.i1)),
    st.builds(A.FloatAttr, st.floats(allow_nan=False), st.sampled_from([T.f32, T.f64])),
    st.builds(A.StringAttr, st.text(max_size=12)),
    st.just(A.UnitAttr()),
    st.builds(A.SymbolRefAttr, st.from_regex(r"[a-z_][a-z0-9_]{0,6}", fullmatch=True)),
    st.builds(A.TypeAttr, types),
    st.builds(lambda v: A.DenseArrayAttr(T.i64, tuple(v)), st.lists(st.integers(-100, 100), max_size=4)),
)
attrs = st.recursive(
    scalar_attrs,
    lambda inner: st.one_of(
        st.builds(lambda xs: A.ArrayAttr(tuple(xs)), st.lists(inner, max_size=3)),
        st.builds(
            lambda d: A.DictionaryAttr(tuple(d.items())),
            st.dictionaries(st.from_regex(r"[a-z][a-z0-9_]{0,5}", fullmatch=True), inner, max_size=3),
        ),
    ),
    max_leaves=8,
)


@settings(max_examples=200, deadline=None)
@given(attrs)
def test_attributes_round_trip_through_text(a):
    assert roundtrip_attr(a) == a


@pytest.mark.parametrize(
    "text",
    [
        "dense<[[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xf64>",
        "dense<1.5> : tensor<3xf32>",
        "dense<[1, -2, 3]> : tensor<3xi32>",
        "dense<[true, false]> : tensor<2xi1>",
        "array<i32: 1, 2, 3>",
        "strided<[?, 1], offset: ?>",
        "@outer::@inner",
        '"quote \\" and \\\\ backslash"',
    ],
)
def test_attribute_text_is_canonical(text):
    attr = roundtrip_attr(text)
    assert str(attr) == text
    assert roundtrip_attr(attr) == attr


def test_dense_attribute_keeps_values():
    a = roundtrip_attr("dense<[[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xf64>")
    np.testing.assert_array_equal(a.array, [[1.0, 2.0], [3.0, 4.0]])


def test_memref_with_layout_and_memory_space():
    t = roundtrip_type("memref<4x?xf32, strided<[?, 1]>, 3>")
    assert t.layout == A.StridedLayoutAttr((T.DYNAMIC, 1), 0)
    assert str(t) == "memref<4x?xf32, strided<[?, 1]>, 3>"


# ----------------------------------------------------------------------------
# object model


def make_function():
    """@f(x) = g(g(x)) built through the Builder API."""
    ftype = T.FunctionType((T.f64,), (T.f64,))
    module = irc.parse_module("")
    g = FuncOp.create("g", ftype, ["y"])
    Builder.at_end(g.entry_block).create(ReturnOp, [g.arguments[0]])
    f = FuncOp.create("f", ftype, ["x"])
    b = Builder.at_end(f.entry_block)
    c1 = b.insert(CallOp.create(g, [f.arguments[0]]))
    c2 = b.insert(CallOp.create(g, [c1.result]))
    b.create(ReturnOp, [c2.result])
    module.body.append(g)
    module.body.append(f)
    return module, f, c1, c2


def test_builder_builds_verifiable_ir():
    module, f, c1, c2 = make_function()
    irc.verify(module)
    text = irc.print_op(module)
    assert "%0 = func.call @g(%x) : (f64) -> f64" in text
    assert irc.print_op(parse_module(text)) == text


def test_use_lists_follow_replace_all_uses_with():
    module, f, c1, c2 = make_function()
    x = f.arguments[0]
    assert [u.owner for u in c1.result.uses] == [c2]
    c1.result.replace_all_uses_with(x)
    assert not c1.result.uses
    assert c2.operands[0] is x
    assert {u.owner for u in x.uses} == {c1, c2}
    c1.erase()
    irc.verify(module)
    assert [u.owner for u in x.uses] == [c2]


def test_erase_refuses_an_op_whose_result_is_used():
    module, f, c1, c2 = make_function()
    with pytest.raises(ValueError):
        c1.erase()


def test_block_is_a_linked_list_with_stable_order():
    module, f, c1, c2 = make_function()
    block = f.entry_block
    ret = block.last_op
    assert list(block.ops) == [c1, c2, ret]
    assert c1.is_before_in_block(c2) and not ret.is_before_in_block(c1)
    c2.move_before(c1)
    assert list(block.ops) == [c2, c1, ret]
    assert c2.is_before_in_block(c1)
    assert list(block.ops_reversed()) == [ret, c1, c2]


def test_clone_maps_values_and_keeps_the_original():
    module, f, c1, c2 = make_function()
    copy = f.clone()
    copy.attributes["sym_name"] = A.StringAttr("f2")
    module.body.append(copy)
    irc.verify(module)
    originals = set(f.walk())
    assert not originals & set(copy.walk())
    assert all(v.owner in set(copy.walk()) or isinstance(v, irc.BlockArgument)
               for op in copy.walk() for v in op.operands if hasattr(v, "owner") and isinstance(v, irc.OpResult))


def test_walk_visits_nested_ops_post_order():
    module, f, c1, c2 = make_function()
    names = [op.op_name for op in module.walk()]
    assert names[-1] == "builtin.module"
    assert names.count("func.call") == 2


def test_printing_is_a_fixed_point_with_name_collisions():
    text = """
    func.func @f(%x: f64, %arg0: f64) -> f64 {
      %0 = func.call @f(%x, %arg0) : (f64, f64) -> f64
      %x_0 = func.call @f(%0, %x) : (f64, f64) -> f64
      return %x_0 : f64
    }
    """
    once = irc.print_op(parse_module(text))
    twice = irc.print_op(parse_module(once))
    assert once == twice


def test_multi_block_region_with_successors_in_generic_form():
    text = """
    "test.region"() ({
    ^bb0(%a: i32):
      "test.br"(%a)[^bb1] : (i32) -> ()
    ^bb1(%b: i32):
      "test.ret"(%b) : (i32) -> ()
    }) : () -> ()
    """
    m = parse_module(text, allow_unregistered=True)
    out = irc.print_op(m)
    assert "^bb1" in out
    assert irc.print_op(parse_module(out, allow_unregistered=True)) == out


def test_locations_survive_and_print_with_debuginfo():
    m = parse_module("func.func @f(%x: f64) -> f64 {\n  return %x : f64\n}\n", "file.mlir")
    ret = m.body.first_op.entry_block.last_op
    assert ret.location == irc.FileLineColLoc("file.mlir", 2, 3)
    out = irc.print_op(m, debuginfo=True)
    assert 'return %x : f64 loc("file.mlir":2:3)' in out
    again = parse_module(out, "other.mlir")
    assert again.body.first_op.entry_block.last_op.location == irc.FileLineColLoc("file.mlir", 2, 3)


def test_type_and_attribute_aliases():
    m = parse_module('!t = f64\n#a = 3 : i32\n"test.op"() {v = #a} : () -> !t', allow_unregistered=True)
    op = m.body.first_op
    assert op.results[0].type == T.f64
    assert op.attributes["v"] == A.IntegerAttr(3, T.i32)


def test_bf16_rounds_once_from_f64():
    # through f32 first, 1 + 2^-8 + 2^-30 becomes the tie 1 + 2^-8 and rounds to even (1.0);
    # rounded once it is above the tie and goes up
    assert A.FloatAttr(1.0 + 2**-8 + 2**-30, T.bf16).value == 1.0 + 2**-7


def test_unknown_type_of_a_registered_dialect_is_rejected_even_when_unregistered_ops_are_allowed():
    with pytest.raises(irc.DiagnosticError, match="unknown type 'nosuchtype' in dialect 'ad'"):
        parse_module('"test.op"() : () -> !ad.nosuchtype', allow_unregistered=True)
    # a dialect irc does not know stays opaque under --allow-unregistered-dialect
    m = parse_module('"test.op"() : () -> !mine.thing<3>', allow_unregistered=True)
    assert str(m.body.first_op.results[0].type) == "!mine.thing<3>"


def test_large_dense_attribute_hashes_its_elements_once():
    """CSE and uniquing hash big constants again and again: the bytes are read once."""
    values = np.arange(200_000, dtype=np.float64)
    a = A.DenseElementsAttr(T.TensorType((200_000,), T.f64), values)
    b = A.DenseElementsAttr(T.TensorType((200_000,), T.f64), values.copy())
    assert hash(a) == hash(b) and a == b
    first = a._content()
    assert a._content() is first  # the cached bytes, not a new copy of 1.6 MB
    c = A.DenseElementsAttr(T.TensorType((200_000,), T.f64), values + 1)
    assert c != a and c._content() is not first
