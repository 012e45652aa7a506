"""The declaration language of named ops (ir/dialects/linalg_opdsl.py): a strided,
dilated window reads its strides and dilations from the op's attributes, the
way the convolution and pooling declarations use it."""

from __future__ import annotations

from types import SimpleNamespace

from irc.attributes import DenseArrayAttr
from irc.dialects.linalg_opdsl import Declaration
from irc.types import i64

CONV = Declaration("linalg.test_conv_1d", "O[n, ow, f] += cast(I[n, ow * SW + kw * DW, c]) * cast(K[kw, c, f])",
                   ("n", "ow", "f", "kw", "c"), {"SW": ("strides", 0, 1), "DW": ("dilations", 0, 1)})


def maps_of(attributes):
    return [str(m) for m in CONV.default_maps(SimpleNamespace(attributes=attributes))]


def test_strides_and_dilations_come_from_the_attributes():
    maps = maps_of({"strides": DenseArrayAttr(i64, (2,)), "dilations": DenseArrayAttr(i64, (3,))})
    assert maps == ["affine_map<(d0, d1, d2, d3, d4) -> (d0, d1 * 2 + d3 * 3, d4)>",
                    "affine_map<(d0, d1, d2, d3, d4) -> (d3, d4, d2)>",
                    "affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d2)>"]


def test_absent_attributes_take_their_defaults_and_the_maps_simplify():
    assert maps_of({})[0] == "affine_map<(d0, d1, d2, d3, d4) -> (d0, d1 + d3, d4)>"


def test_loops_the_output_does_not_name_are_reductions():
    maps = CONV.default_maps(SimpleNamespace(attributes={}))
    assert CONV.default_iterators(maps) == ["parallel", "parallel", "parallel", "reduction", "reduction"]
    assert [r.name for r in CONV.inputs] == ["I", "K"] and CONV.accumulate
