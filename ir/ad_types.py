"""AD's type interface: what differentiation needs to know about a type (the
type side of Enzyme-MLIR's AutoDiffTypeInterface).

`TangentSpace` says whether a type carries derivatives, the type of its
tangents, how to build a zero tangent and how to add two.  Float scalars
and tensors/vectors of floats implement it here; a dialect type joins AD by
attaching a model (``ad.tape`` does, in ir/dialects/ad.py).  Zeros of
tensors with dynamic sizes take those sizes from a value of the same type
(``tensor.dim`` of it, then ``tensor.splat``), so rules pass a value, not a
type, when the shape may be dynamic.
"""

from __future__ import annotations

from typing import Optional

from .core import Value
from .interfaces import TypeInterface, required
from .types import DYNAMIC, FloatType, ShapedType, TensorType, Type, VectorType, is_float_like


class TangentSpace(TypeInterface):
    """The tangent space of a type: its tangent type, zero and addition."""

    interface_name = "ADTypeInterface"

    def differentiable(self, t: Type) -> bool:
        """Whether values of `t` carry derivatives (a tensor of integers does not)."""
        return True

    def tangent_type(self, t: Type) -> Type:
        """The type of a tangent (and cotangent) of a value of type `t`."""
        return t

    @required
    def zero(self, t: Type, builder, like: Optional[Value] = None) -> Value:
        """Build a zero tangent of type `t`; `like` (a value of type `t`) gives dynamic sizes."""

    def add(self, t: Type, builder, a: Value, b: Value) -> Value:
        """Build ``a + b`` for two tangents of type `t`."""
        from .dialects.arith import AddFOp

        return builder.create(AddFOp, a, b).results[0]


def full(builder, value: float, t: Type, like=None) -> Value:
    """A float constant `value` of type `t` at `builder`: a scalar, a dense splat for static
    shapes, or ``tensor.splat`` with the dynamic sizes of `like` (a value of type `t`, or the
    list of those sizes: index values, one per ``?`` of `t`)."""
    from .dialects.arith import ConstantOp

    if isinstance(t, ShapedType) and DYNAMIC in t.shape:
        if like is None or not isinstance(t, TensorType):
            raise ValueError(f"a constant of {t} needs a value of that type to take its dynamic sizes from")
        from .dialects.tensor import SplatOp, dynamic_sizes

        scalar = full(builder, value, t.element_type)
        sizes = list(like) if isinstance(like, (list, tuple)) else dynamic_sizes(builder, like)
        return builder.insert(SplatOp.create(scalar, t, sizes,
                                             location=builder.location)).results[0]
    if isinstance(t, ShapedType):
        from .ad_interfaces import dense_splat

        return builder.insert(ConstantOp.create(dense_splat(float(value), t), t, location=builder.location)).results[0]
    return builder.insert(ConstantOp.create(float(value), t, location=builder.location)).results[0]


@TangentSpace.implement(FloatType)
class _FloatTangents(TangentSpace):
    def zero(self, t, builder, like=None):
        return full(builder, 0.0, t)


@TangentSpace.implement(TensorType, VectorType)
class _ShapedTangents(TangentSpace):
    """Tensors and vectors of floats; zeros of dynamic tensors splat over `like`'s sizes."""

    def differentiable(self, t) -> bool:
        return is_float_like(t)

    def zero(self, t, builder, like=None):
        return full(builder, 0.0, t, like)


def is_differentiable_type(t: Type) -> bool:
    """Whether `t` implements `TangentSpace` and says it carries derivatives."""
    m = TangentSpace.model(t)
    return m is not None and m.differentiable(t)
