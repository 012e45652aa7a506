"""linalg's convolutions and poolings (MLIR 22 names, layouts and syntax), each
one declaration.

A window op reads its input through a map like ``d1 * SH + d4 * DH``: output
position ``oh`` times the stride plus window position ``kh`` times the
dilation, where SH and DH are elements of the op's ``strides`` and
``dilations`` attributes (``dense<[2, 1]> : tensor<2xi64>``, each element 1
when the attribute is absent).  Everything else (syntax, body, interpreter,
loop lowering) comes from `StructuredOp` through the declaration, as for the
other named ops; derivative rules are in ``linalg_conv_derivatives.py``.

Declarations use a shorthand for a spatial index: ``{h}`` is ``oh * SH + kh *
DH`` (``oh + kh`` for the plain ``conv_1d/2d/3d``, which take no strides);
``d``, ``h`` and ``w`` take strides[0..] in that order.  Loop names and
orders are MLIR's (what ``mlir-opt --linalg-generalize-named-ops`` prints),
taken from LinalgNamedStructuredOps.yaml.  The pooling window is an operand
read only for its shape (``window="K[kh, kw]"``).

Shapes: a spatial input size must reach the output's last window,
``(out - 1) * stride + dilation * (k - 1) + 1 <= in``; the largest output is
``(in - dilation * (k - 1) - 1) // stride + 1``.  A smaller output is
accepted (it computes the first windows), as MLIR accepts it.

MLIR 22 has no ``pooling_ncw_min``, ``pooling_nchw_min``, the ``ncdhw``
poolings, nor unsigned max/min for ``ncw``/``nchw``/``ndhwc``: neither has
irc, so every op here reads and prints in ``mlir-opt``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Dict, List, Sequence, Tuple

from ..affine import loop_ranges
from ..attributes import AffineBinary, AffineConstant, AffineDim, DenseElementsAttr
from ..location import UNKNOWN
from ..opdef import Attr
from ..types import DYNAMIC, IntegerType, ShapedType
from .linalg import REDUCTION, StructuredOp, linalg
from .linalg_named import DPS_FORMAT, NamedStructuredOp
from .linalg_opdsl import Declaration, _Parser, body_region

SPATIAL_ORDER = "dhw"


@dataclass
class WindowDeclaration(Declaration):
    """A declaration whose operands may include a shape-only `window` (a pooling's
    ``K[kh, kw]``, in no body expression) and whose inputs follow `order`
    (the quantized ops list their zero points after both tensors)."""

    window: str = ""
    order: Tuple[str, ...] = ()

    def __post_init__(self):
        super().__post_init__()
        if self.window:
            self.inputs.append(_Parser(self.window).operand())
        if self.order:
            by_name = {r.name: r for r in self.inputs}
            self.inputs = [by_name[n] for n in self.order]


class WindowOp(NamedStructuredOp):
    """A convolution or pooling: a named op whose input map slides a window along
    the spatial dims, with ``strides`` and ``dilations`` (one i64 per spatial dim)."""

    __slots__ = ()
    declaration: WindowDeclaration = None
    spatial_rank = 0
    strided = True  # the plain conv_1d/2d/3d take no strides or dilations
    unsigned_body = False  # pooling_*_max_unsigned: unsigned casts and comparisons
    # how it differentiates (linalg_conv_derivatives.py): "bilinear" (convolutions),
    # "linear" (sum pooling), "extreme" (max/min pooling), None (quantized, unsigned)
    derivative = None

    @property
    def unsigned(self) -> bool:
        return self.unsigned_body

    @classmethod
    def implicit_regions(cls, operands, attributes, location=UNKNOWN):
        """The body built from the declaration (MLIR's regionBuilder, run on parse)."""
        return [body_region(cls.name, cls.declaration, [v.type for v in operands], cls.unsigned_body, location)]

    def window_attribute(self, name: str) -> List[int]:
        """``strides`` or ``dilations`` as a list (ones when absent)."""
        a = self.attributes.get(name)
        if not isinstance(a, DenseElementsAttr):
            return [1] * self.spatial_rank
        return [int(v) for v in a.array.reshape(-1)]

    def verify(self) -> None:
        if self.strided:
            self._verify_window_attributes()
        self._verify_window_sizes()
        super().verify()

    def _verify_window_attributes(self) -> None:
        n = self.spatial_rank
        for name in ("strides", "dilations"):
            a = self.attributes.get(name)
            if a is None:
                continue
            t = getattr(a, "type", None)
            if (not isinstance(a, DenseElementsAttr) or not isinstance(t.element_type, IntegerType)
                    or t.element_type.width != 64 or t.element_type.signedness != "" or tuple(t.shape) != (n,)):
                raise self.emit_error(f"attribute '{name}' failed to satisfy constraint: 64-bit signless int "
                                      f"elements attribute of shape [{n}]")
            if any(v == 0 for v in self.window_attribute(name)):
                raise self.emit_error("unexpected loop dimension for convolution op")
            if any(v < 0 for v in self.window_attribute(name)):
                raise self.emit_error(f"expected '{name}' to be positive, got {self.window_attribute(name)}")

    def _verify_window_sizes(self) -> None:
        """Each windowed input dim reaches the output's last window (MLIR's check of
        composite map results, with the arithmetic spelled out)."""
        s = StructuredOp.of(self)
        try:
            maps, iterators = s.indexing_maps(), s.iterator_types()
        except (ValueError, KeyError, IndexError):
            return  # verify_structured reports it
        operands = s.operands()
        if len(maps) != len(operands) or any(
                len(m.results) != (v.type.rank if isinstance(v.type, ShapedType) else 0) for m, v in zip(maps, operands)):
            return
        shapes = s.operand_shapes()
        ranges = loop_ranges(maps, shapes)
        for k, (m, shape) in enumerate(zip(maps, shapes)):
            for j, (e, size) in enumerate(zip(m.results, shape)):
                window = window_terms(e, iterators)
                if window is None or size == DYNAMIC:
                    continue
                (out_loop, stride), (k_loop, dilation) = window
                out, kernel = ranges[out_loop], ranges[k_loop]
                if DYNAMIC in (out, kernel) or out == 0 or kernel == 0:
                    continue
                need = (out - 1) * stride + dilation * (kernel - 1) + 1
                if need <= size:
                    continue
                most = (size - dilation * (kernel - 1) - 1) // stride + 1
                allows = (f"this input allows an output of at most {most}" if most > 0 else
                          f"the dilated window ({dilation * (kernel - 1) + 1}) is larger than the input")
                raise self.emit_error(
                    f"inferred input/output operand #{k} has shape's dimension #{j} to be greater than or equal "
                    f"to {need}, but found {size}: an output of size {out} with stride {stride}, dilation "
                    f"{dilation} and a window of {kernel} reads ({out} - 1) * {stride} + {dilation} * "
                    f"({kernel} - 1) + 1 = {need} elements; {allows}")


def window_terms(e, iterators) -> Tuple[Tuple[int, int], Tuple[int, int]] | None:
    """``d_o * stride + d_k * dilation`` as ((o, stride), (k, dilation)): the output
    loop is parallel, the window loop a reduction; None for any other expression."""
    terms = []
    for t in _summands(e):
        if isinstance(t, AffineDim):
            terms.append((t.position, 1))
        elif (isinstance(t, AffineBinary) and t.op == "*" and isinstance(t.lhs, AffineDim)
              and isinstance(t.rhs, AffineConstant)):
            terms.append((t.lhs.position, t.rhs.value))
        else:
            return None
    if len(terms) != 2:
        return None
    kinds = [iterators[d] == REDUCTION for d, _ in terms]
    if kinds == [False, True]:
        return terms[0], terms[1]
    if kinds == [True, False]:
        return terms[1], terms[0]
    return None


def _summands(e) -> list:
    if isinstance(e, AffineBinary) and e.op == "+":
        return _summands(e.lhs) + _summands(e.rhs)
    return [e]


# ----------------------------------------------------------------------------
# declaring


def _spatial_params(spatial: str) -> Dict[str, Tuple[str, int, int]]:
    """SH/DH ... for the op's spatial letters (strides[i] and dilations[i], default 1)."""
    params = {}
    for i, x in enumerate(spatial):
        params[f"S{x.upper()}"] = ("strides", i, 1)
        params[f"D{x.upper()}"] = ("dilations", i, 1)
    return params


def _expand(text: str, spatial: str, strided: bool) -> str:
    """``{h}`` -> ``oh * SH + kh * DH`` (``oh + kh`` when not strided)."""
    for x in spatial:
        X = x.upper()
        text = text.replace("{" + x + "}", f"o{x} * S{X} + k{x} * D{X}" if strided else f"o{x} + k{x}")
    return text


def declare_window(name: str, text: str, domain: str, window: str = "", order: Sequence[str] = (),
                   strided: bool = True, unsigned: bool = False, derivative=None) -> type:
    """Register ``linalg.<name>`` from its comprehension; the op class."""
    spatial = "".join(x for x in SPATIAL_ORDER if "{" + x + "}" in text)
    decl = WindowDeclaration(f"linalg.{name}", _expand(text, spatial, strided), tuple(domain.split()),
                             _spatial_params(spatial) if strided else {}, window=window, order=tuple(order))
    # any attribute kind: the verifier says what it must be in MLIR's words
    attrs = (Attr("strides", optional=True), Attr("dilations", optional=True))
    class_name = "".join(p.capitalize() for p in name.split("_")) + "Op"
    cls = type(class_name, (WindowOp,), {
        "__slots__": (), "__doc__": f"``{text}`` (a named window op).", "name": f"linalg.{name}",
        "summary": text, "declaration": decl, "spatial_rank": len(spatial),
        "strided": strided, "unsigned_body": unsigned, "attribute_defs": attrs if strided else (),
        "user_maps": False, "format": DPS_FORMAT, "derivative": derivative,
        "__module__": __name__,
    })
    linalg.op(cls)
    globals()[class_name] = cls
    return cls


# ----------------------------------------------------------------------------
# the convolutions (MLIR's loop orders)

CONV = "cast(I[{in}]) * cast(K[{k}])"
CONV_Q = "(cast(I[{in}]) - cast(IZp)) * (cast(K[{k}]) - cast(KZp))"
Q_ORDER = ("I", "K", "IZp", "KZp")

# name: (output indices, input indices, filter indices, loop order)
CONVOLUTIONS = {
    "conv_1d": ("ow", "{w}", "kw", "ow kw"),
    "conv_2d": ("oh, ow", "{h}, {w}", "kh, kw", "oh ow kh kw"),
    "conv_3d": ("od, oh, ow", "{d}, {h}, {w}", "kd, kh, kw", "od oh ow kd kh kw"),
    "conv_1d_nwc_wcf": ("n, ow, f", "n, {w}, c", "kw, c, f", "n ow f kw c"),
    "conv_1d_ncw_fcw": ("n, f, ow", "n, c, {w}", "f, c, kw", "n f ow c kw"),
    "conv_2d_nhwc_hwcf": ("n, oh, ow, f", "n, {h}, {w}, c", "kh, kw, c, f", "n oh ow f kh kw c"),
    "conv_2d_nhwc_fhwc": ("n, oh, ow, f", "n, {h}, {w}, c", "f, kh, kw, c", "n oh ow f kh kw c"),
    "conv_2d_nchw_fchw": ("n, f, oh, ow", "n, c, {h}, {w}", "f, c, kh, kw", "n f oh ow c kh kw"),
    "conv_2d_ngchw_fgchw": ("n, g, f, oh, ow", "n, g, c, {h}, {w}", "f, g, c, kh, kw", "n g f oh ow c kh kw"),
    "conv_2d_ngchw_gfchw": ("n, g, f, oh, ow", "n, g, c, {h}, {w}", "g, f, c, kh, kw", "n g f oh ow c kh kw"),
    "conv_2d_nhwgc_gfhwc": ("n, oh, ow, g, f", "n, {h}, {w}, g, c", "g, f, kh, kw, c", "n oh ow g f kh kw c"),
    "conv_3d_ndhwc_dhwcf": ("n, od, oh, ow, f", "n, {d}, {h}, {w}, c", "kd, kh, kw, c, f",
                            "n od oh ow f kd kh kw c"),
    "conv_3d_ncdhw_fcdhw": ("n, f, od, oh, ow", "n, c, {d}, {h}, {w}", "f, c, kd, kh, kw",
                            "n f od oh ow c kd kh kw"),
    "depthwise_conv_1d_nwc_wc": ("n, ow, c", "n, {w}, c", "kw, c", "n ow c kw"),
    "depthwise_conv_1d_ncw_cw": ("n, c, ow", "n, c, {w}", "c, kw", "n ow c kw"),
    "depthwise_conv_1d_nwc_wcm": ("n, ow, c, m", "n, {w}, c", "kw, c, m", "n ow c m kw"),
    "depthwise_conv_2d_nhwc_hwc": ("n, oh, ow, c", "n, {h}, {w}, c", "kh, kw, c", "n oh ow c kh kw"),
    "depthwise_conv_2d_nchw_chw": ("n, c, oh, ow", "n, c, {h}, {w}", "c, kh, kw", "n oh ow c kh kw"),
    "depthwise_conv_2d_nhwc_hwcm": ("n, oh, ow, c, m", "n, {h}, {w}, c", "kh, kw, c, m", "n oh ow c m kh kw"),
    "depthwise_conv_3d_ndhwc_dhwc": ("n, od, oh, ow, c", "n, {d}, {h}, {w}, c", "kd, kh, kw, c",
                                     "n od oh ow kd kh kw c"),
    "depthwise_conv_3d_ncdhw_cdhw": ("n, c, od, oh, ow", "n, c, {d}, {h}, {w}", "c, kd, kh, kw",
                                     "n od oh ow kd kh kw c"),
    "depthwise_conv_3d_ndhwc_dhwcm": ("n, od, oh, ow, c, m", "n, {d}, {h}, {w}, c", "kd, kh, kw, c, m",
                                      "n od oh ow m kd kh kw c"),
}
# the quantized forms MLIR 22 has: the same loops, zero points subtracted
QUANTIZED = ("conv_2d_nhwc_hwcf", "conv_2d_nhwc_fhwc", "conv_2d_nchw_fchw", "conv_2d_ngchw_gfchw",
             "conv_2d_nhwgc_gfhwc", "conv_3d_ndhwc_dhwcf", "depthwise_conv_2d_nhwc_hwc",
             "depthwise_conv_2d_nhwc_hwcm")

for _name, (_out, _in, _k, _loops) in CONVOLUTIONS.items():
    _strided = _name not in ("conv_1d", "conv_2d", "conv_3d")
    declare_window(_name, f"O[{_out}] += " + CONV.format(**{"in": _in, "k": _k}), _loops, strided=_strided,
                   derivative="bilinear")
    if _name in QUANTIZED:
        declare_window(_name + "_q", f"O[{_out}] += " + CONV_Q.format(**{"in": _in, "k": _k}), _loops,
                       order=Q_ORDER)

# ----------------------------------------------------------------------------
# the poolings: name -> (output indices, input indices, window, loop order)

POOLING_LAYOUTS = {
    "nwc": ("n, ow, c", "n, {w}, c", "K[kw]", "n ow c kw"),
    "ncw": ("n, c, ow", "n, c, {w}", "K[kw]", "n c ow kw"),
    "nhwc": ("n, oh, ow, c", "n, {h}, {w}, c", "K[kh, kw]", "n oh ow c kh kw"),
    "nchw": ("n, c, oh, ow", "n, c, {h}, {w}", "K[kh, kw]", "n c oh ow kh kw"),
    "ndhwc": ("n, od, oh, ow, c", "n, {d}, {h}, {w}, c", "K[kd, kh, kw]", "n od oh ow c kd kh kw"),
}
POOLING_KINDS = {  # layout -> the reductions MLIR 22 declares for it
    "nwc": ("max", "min", "sum", "max_unsigned", "min_unsigned"),
    "ncw": ("max", "sum"),
    "nhwc": ("max", "min", "sum", "max_unsigned", "min_unsigned"),
    "nchw": ("max", "sum"),
    "ndhwc": ("max", "min", "sum"),
}

for _layout, (_out, _in, _window, _loops) in POOLING_LAYOUTS.items():
    for _kind in POOLING_KINDS[_layout]:
        _fn = _kind.replace("_unsigned", "")
        _text = (f"O[{_out}] += cast(I[{_in}])" if _fn == "sum" else
                 f"O[{_out}] = {_kind}(O[{_out}], cast(I[{_in}]))")
        declare_window(f"pooling_{_layout}_{_kind}", _text, _loops, window=_window,
                       unsigned=_kind.endswith("unsigned"),
                       derivative=None if _kind.endswith("unsigned") else "linear" if _fn == "sum" else "extreme")


__all__ = ["WindowOp", "WindowDeclaration", "declare_window", "window_terms", "CONVOLUTIONS", "QUANTIZED",
           "POOLING_LAYOUTS", "POOLING_KINDS"]
