"""An independent numpy reference for linalg's convolutions and poolings.

Written from the ops' meaning, not from their indexing maps: each op is an
einsum over layout letters, summed over the filter's window positions (a
Python loop over the few window offsets, each a strided slice of the input).
Spatial letters are ``d h w``; the window of output size ``o`` along a
spatial dim with stride ``s`` and dilation ``r`` at offset ``k`` reads
input indices ``k * r + o' * s`` for ``o' < o``.
"""

from __future__ import annotations

import itertools

import numpy as np

SPATIAL = "dhw"


def _windows(kernel_sizes, out_sizes, strides, dilations):
    """(window offsets, slices of the input's spatial dims) for every window position."""
    for offsets in itertools.product(*[range(k) for k in kernel_sizes]):
        yield offsets, tuple(slice(k * r, k * r + (o - 1) * s + 1, s)
                             for k, o, s, r in zip(offsets, out_sizes, strides, dilations))


def _spatial_slices(layout, spatial, slices):
    at = dict(zip(spatial, slices))
    return tuple(at.get(ch, slice(None)) for ch in layout)


def convolution(x, w, in_layout, filter_layout, out_layout, out_shape, strides=None, dilations=None):
    """out[out_layout] = sum over window and reduced letters of x[in_layout] * w[filter_layout].

    `filter_layout` names the window dims with the spatial letters; the
    result has `out_shape` (its spatial sizes pick how many windows)."""
    spatial = [ch for ch in in_layout if ch in SPATIAL]
    n = len(spatial)
    strides = list(strides or [1] * n)
    dilations = list(dilations or [1] * n)
    out_sizes = [out_shape[out_layout.index(ch)] for ch in spatial]
    kernel = [w.shape[filter_layout.index(ch)] for ch in spatial]
    filter_rest = "".join(ch for ch in filter_layout if ch not in SPATIAL)
    spec = f"{in_layout},{filter_rest}->{out_layout}"
    out = np.zeros(out_shape, dtype=np.result_type(x, w))
    for offsets, slices in _windows(kernel, out_sizes, strides, dilations):
        window = x[_spatial_slices(in_layout, spatial, slices)]
        at = dict(zip(spatial, offsets))
        taps = w[tuple(at[ch] if ch in at else slice(None) for ch in filter_layout)]
        out += np.einsum(spec, window, taps)
    return out


def pooling(x, kernel, layout, out_shape, kind, strides=None, dilations=None):
    """out = reduce (sum, max or min) of x's windows; `kernel` the window's spatial sizes."""
    spatial = [ch for ch in layout if ch in SPATIAL]
    n = len(spatial)
    strides = list(strides or [1] * n)
    dilations = list(dilations or [1] * n)
    out_sizes = [out_shape[layout.index(ch)] for ch in spatial]
    combine = {"sum": np.add, "max": np.maximum, "min": np.minimum}[kind]
    out = None
    for _, slices in _windows(kernel, out_sizes, strides, dilations):
        window = x[_spatial_slices(layout, spatial, slices)]
        out = window.copy() if out is None else combine(out, window)
    return out


def output_size(size, kernel, stride=1, dilation=1):
    """MLIR's output size of a valid (unpadded) window: (in - dilation*(k-1) - 1) // stride + 1."""
    return (size - dilation * (kernel - 1) - 1) // stride + 1
