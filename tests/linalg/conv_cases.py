"""The convolution and pooling ops under test, described by their layouts (not by
irc's declarations), and random cases for them: shapes with size-1 dims,
strides and dilations of 1 and 2, IR text and numpy reference results."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Dict, List, Optional

import numpy as np

from conv_reference import SPATIAL, convolution, pooling

# op -> (input layout, filter layout, output layout); spatial letters d h w
CONVOLUTIONS = {
    "conv_1d": ("w", "w", "w"),
    "conv_2d": ("hw", "hw", "hw"),
    "conv_3d": ("dhw", "dhw", "dhw"),
    "conv_1d_nwc_wcf": ("nwc", "wcf", "nwf"),
    "conv_1d_ncw_fcw": ("ncw", "fcw", "nfw"),
    "conv_2d_nhwc_hwcf": ("nhwc", "hwcf", "nhwf"),
    "conv_2d_nhwc_fhwc": ("nhwc", "fhwc", "nhwf"),
    "conv_2d_nchw_fchw": ("nchw", "fchw", "nfhw"),
    "conv_2d_ngchw_fgchw": ("ngchw", "fgchw", "ngfhw"),
    "conv_2d_ngchw_gfchw": ("ngchw", "gfchw", "ngfhw"),
    "conv_2d_nhwgc_gfhwc": ("nhwgc", "gfhwc", "nhwgf"),
    "conv_3d_ndhwc_dhwcf": ("ndhwc", "dhwcf", "ndhwf"),
    "conv_3d_ncdhw_fcdhw": ("ncdhw", "fcdhw", "nfdhw"),
    "depthwise_conv_1d_nwc_wc": ("nwc", "wc", "nwc"),
    "depthwise_conv_1d_ncw_cw": ("ncw", "cw", "ncw"),
    "depthwise_conv_1d_nwc_wcm": ("nwc", "wcm", "nwcm"),
    "depthwise_conv_2d_nhwc_hwc": ("nhwc", "hwc", "nhwc"),
    "depthwise_conv_2d_nchw_chw": ("nchw", "chw", "nchw"),
    "depthwise_conv_2d_nhwc_hwcm": ("nhwc", "hwcm", "nhwcm"),
    "depthwise_conv_3d_ndhwc_dhwc": ("ndhwc", "dhwc", "ndhwc"),
    "depthwise_conv_3d_ncdhw_cdhw": ("ncdhw", "cdhw", "ncdhw"),
    "depthwise_conv_3d_ndhwc_dhwcm": ("ndhwc", "dhwcm", "ndhwcm"),
}
QUANTIZED = ["conv_2d_nhwc_hwcf_q", "conv_2d_nhwc_fhwc_q", "conv_2d_nchw_fchw_q", "conv_2d_ngchw_gfchw_q",
             "conv_2d_nhwgc_gfhwc_q", "conv_3d_ndhwc_dhwcf_q", "depthwise_conv_2d_nhwc_hwc_q",
             "depthwise_conv_2d_nhwc_hwcm_q"]
POOLINGS = {  # layout -> reductions MLIR 22 has
    "nwc": ["max", "min", "sum", "max_unsigned", "min_unsigned"],
    "ncw": ["max", "sum"],
    "nhwc": ["max", "min", "sum", "max_unsigned", "min_unsigned"],
    "nchw": ["max", "sum"],
    "ndhwc": ["max", "min", "sum"],
}
POOLING_OPS = [f"pooling_{layout}_{kind}" for layout, kinds in POOLINGS.items() for kind in kinds]
PLAIN = ("conv_1d", "conv_2d", "conv_3d")


def tensor_type(shape, element="f64", dynamic: bool = False) -> str:
    return "tensor<" + "".join("?x" if dynamic else f"{n}x" for n in shape) + element + ">"


@dataclass
class Case:
    """One op on one set of shapes, strides and dilations."""

    op: str
    shapes: List[tuple]  # inputs then the output
    element_types: List[str]
    strides: Optional[List[int]] = None
    dilations: Optional[List[int]] = None
    layouts: tuple = ()
    sizes: Dict[str, int] = field(default_factory=dict)
    dynamic: bool = False  # every size `?` in the IR

    def types(self) -> List[str]:
        return [tensor_type(s, t, self.dynamic) if s is not None else t
                for s, t in zip(self.shapes, self.element_types)]

    @property
    def attributes(self) -> str:
        parts = []
        for name, values in (("strides", self.strides), ("dilations", self.dilations)):
            if values is not None:
                parts.append(f"{name} = dense<[{', '.join(map(str, values))}]> : tensor<{len(values)}xi64>")
        return "{" + ", ".join(parts) + "} " if parts else ""

    def op_text(self, names: List[str], result: bool = True) -> str:
        types = self.types()
        ins, outs = names[:-1], names[-1:]
        text = (f"linalg.{self.op} {self.attributes}ins({', '.join(ins)} : {', '.join(types[:-1])}) "
                f"outs({outs[0]} : {types[-1]})")
        return text + (f" -> {types[-1]}" if result else "")

    def function(self, name: str = "f") -> str:
        """@f(inputs..., init) -> result."""
        types = self.types()
        names = [f"%a{i}" for i in range(len(types))]
        args = ", ".join(f"{n}: {t}" for n, t in zip(names, types))
        return (f"func.func @{name}({args}) -> {types[-1]} {{\n  %r = {self.op_text(names)}\n"
                f"  return %r : {types[-1]}\n}}\n")

    def memref_function(self, name: str = "g") -> str:
        """@g(inputs..., out) on memrefs: the op writes `out`."""
        types = [tensor_type(s, t).replace("tensor<", "memref<") if s is not None else t
                 for s, t in zip(self.shapes, self.element_types)]
        names = [f"%a{i}" for i in range(len(types))]
        args = ", ".join(f"{n}: {t}" for n, t in zip(names, types))
        body = self.op_text(names, result=False)
        for t, mt in zip([tensor_type(s, e) for s, e in zip(self.shapes, self.element_types) if s is not None],
                         [t for t in types if t.startswith("memref")]):
            body = body.replace(t, mt)
        return f"func.func @{name}({args}) {{\n  {body}\n  return\n}}\n"

    def reference(self, args) -> np.ndarray:
        """The op's result from conv_reference.py."""
        init = args[-1]
        if self.op.startswith("pooling"):
            kind = self.op.split("_", 2)[2]
            layout = self.layouts[0]
            x, dtype = args[0], init.dtype
            if kind.endswith("unsigned"):  # zero-extended input, unsigned comparisons with the init
                x, init = x.view(np.uint8).astype(np.uint32), init.view(np.uint32)
                kind = kind.replace("_unsigned", "")
            kernel = [self.sizes["k" + ch] for ch in layout if ch in SPATIAL]
            window = pooling(x.astype(init.dtype), kernel, layout, init.shape, kind, self.strides, self.dilations)
            combine = {"sum": np.add, "max": np.maximum, "min": np.minimum}[kind]
            return combine(init, window).view(dtype)
        x, w = args[0], args[1]
        if self.op.endswith("_q"):
            x, w = x - args[2], w - args[3]
        in_l, f_l, out_l = self.layouts
        return init + convolution(x, w, in_l, f_l, out_l, init.shape, self.strides, self.dilations)

    def random_args(self, rng) -> list:
        out = []
        for s, t in zip(self.shapes, self.element_types):
            if t == "i8":
                out.append(rng.integers(-128, 128, size=s).astype(np.int8))
            elif t == "i32":
                out.append(rng.integers(-1000, 1000, size=s).astype(np.int32) if s is not None else int(rng.integers(-3, 4)))
            elif s is None:
                out.append(float(rng.normal()))
            else:
                out.append(rng.normal(size=s))
        return out


def make_case(op: str, rng, strided: Optional[bool] = None, strides=None, dilations=None) -> Case:
    """A random case of `op`: sizes 1-3 per dim (output and window sizes too), strides and
    dilations 1-2 (absent for the plain conv_1d/2d/3d) unless given, inputs just large
    enough or one larger."""
    base = op[:-2] if op.endswith("_q") else op
    if base.startswith("pooling"):
        layout = base.split("_")[1]
        layouts = (layout, None, layout)
    else:
        layouts = CONVOLUTIONS[base]
    spatial = [ch for ch in layouts[0] if ch in SPATIAL]
    sizes = {ch: int(rng.integers(1, 4)) for ch in "ncfgm"}
    strided = base not in PLAIN if strided is None else strided
    strides = strides or ([int(rng.integers(1, 3)) for _ in spatial] if strided else None)
    dilations = dilations or ([int(rng.integers(1, 3)) for _ in spatial] if strided else None)
    in_sizes = {}
    for i, ch in enumerate(spatial):
        o, k = int(rng.integers(1, 4)), int(rng.integers(1, 4))
        s, d = (strides[i], dilations[i]) if strided else (1, 1)
        sizes["o" + ch], sizes["k" + ch] = o, k
        in_sizes[ch] = (o - 1) * s + d * (k - 1) + 1 + int(rng.integers(0, 2)) * (s > 1)
    in_shape = tuple(in_sizes[ch] if ch in SPATIAL else sizes[ch] for ch in layouts[0])
    out_shape = tuple(sizes["o" + ch] if ch in SPATIAL else sizes[ch] for ch in layouts[2])
    if base.startswith("pooling"):
        window = tuple(sizes["k" + ch] for ch in spatial)
        unsigned = base.endswith("unsigned")
        return Case(op, [in_shape, window, out_shape], ["i8", "i8", "i32"] if unsigned else ["f64"] * 3,
                    strides, dilations, layouts, sizes)
    f_shape = tuple(sizes["k" + ch] if ch in SPATIAL else sizes[ch] for ch in layouts[1])
    if op.endswith("_q"):
        return Case(op, [in_shape, f_shape, None, None, out_shape], ["f64", "f64", "i32", "i32", "f64"],
                    strides, dilations, layouts, sizes)
    return Case(op, [in_shape, f_shape, out_shape], ["f64"] * 3, strides, dilations, layouts, sizes)


ALL_OPS = list(CONVOLUTIONS) + QUANTIZED + POOLING_OPS
DIFFERENTIABLE = list(CONVOLUTIONS) + [op for op in POOLING_OPS if not op.endswith("unsigned")]
