"""Builtin types: immutable, hashable values that print in MLIR's syntax.

Every type is a frozen dataclass, so two types are equal exactly when they
print the same, and types can key dictionaries (the AD pass keys its caches
by them).  Dialect types (``!ad.tape<f64>``) are `DialectType` subclasses
registered with their dialect.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar, Optional, Tuple

DYNAMIC = -(1 << 63)  # a `?` dimension, stride or offset (MLIR's ShapedType::kDynamic: -1 is a valid stride)


class Type:
    """Base of all types."""

    __slots__ = ()

    def __str__(self) -> str:  # pragma: no cover - every subclass overrides
        raise NotImplementedError

    def __repr__(self) -> str:
        return f"<type {self}>"


@dataclass(frozen=True, repr=False)
class IntegerType(Type):
    """``iN``, ``siN``, ``uiN``; signedness is '' (signless), 's' or 'u'."""

    width: int
    signedness: str = ""

    def __str__(self) -> str:
        return f"{self.signedness}i{self.width}"


@dataclass(frozen=True, repr=False)
class IndexType(Type):
    """``index``: a target-sized integer for sizes and subscripts."""

    def __str__(self) -> str:
        return "index"


@dataclass(frozen=True, repr=False)
class FloatType(Type):
    """``f16 bf16 f32 f64`` (and ``f80 f128`` for parsing only)."""

    name: str

    WIDTHS: ClassVar[dict] = {"f16": 16, "bf16": 16, "tf32": 19, "f32": 32, "f64": 64, "f80": 80, "f128": 128}

    @property
    def width(self) -> int:
        return self.WIDTHS[self.name]

    def __str__(self) -> str:
        return self.name


@dataclass(frozen=True, repr=False)
class NoneType(Type):
    def __str__(self) -> str:
        return "none"


@dataclass(frozen=True, repr=False)
class FunctionType(Type):
    """``(inputs) -> results``."""

    inputs: Tuple[Type, ...]
    results: Tuple[Type, ...]

    def __str__(self) -> str:
        ins = ", ".join(map(str, self.inputs))
        if len(self.results) == 1 and not isinstance(self.results[0], FunctionType):
            return f"({ins}) -> {self.results[0]}"
        return f"({ins}) -> ({', '.join(map(str, self.results))})"


def _shape_prefix(shape: Tuple[int, ...]) -> str:
    return "".join(("?" if d == DYNAMIC else str(d)) + "x" for d in shape)


class ShapedType(Type):
    """Common view of tensors, memrefs and vectors."""

    __slots__ = ()
    shape: Tuple[int, ...]
    element_type: Type

    @property
    def rank(self) -> int:
        return len(self.shape)

    @property
    def has_static_shape(self) -> bool:
        return DYNAMIC not in self.shape

    @property
    def num_elements(self) -> int:
        n = 1
        for d in self.shape:
            n *= d
        return n


@dataclass(frozen=True, repr=False)
class TensorType(ShapedType):
    """``tensor<4x?xf32>`` (ranked) ; ``shape=None`` is ``tensor<*xf32>``."""

    shape: Optional[Tuple[int, ...]]
    element_type: Type
    encoding: Optional[object] = None

    @property
    def is_ranked(self) -> bool:
        return self.shape is not None

    def __str__(self) -> str:
        if self.shape is None:
            return f"tensor<*x{self.element_type}>"
        enc = f", {self.encoding}" if self.encoding is not None else ""
        return f"tensor<{_shape_prefix(self.shape)}{self.element_type}{enc}>"


@dataclass(frozen=True, repr=False)
class MemRefType(ShapedType):
    """``memref<4x?xf32, strided<[?, 1]>, 1>``: shape, element, layout, memory space."""

    shape: Optional[Tuple[int, ...]]
    element_type: Type
    layout: Optional[object] = None
    memory_space: Optional[object] = None

    def __str__(self) -> str:
        if self.shape is None:
            ms = f", {self.memory_space}" if self.memory_space is not None else ""
            return f"memref<*x{self.element_type}{ms}>"
        parts = [f"{_shape_prefix(self.shape)}{self.element_type}"]
        if self.layout is not None:
            parts.append(str(self.layout))
        if self.memory_space is not None:
            parts.append(str(self.memory_space))
        return f"memref<{', '.join(parts)}>"


@dataclass(frozen=True, repr=False)
class VectorType(ShapedType):
    """``vector<4xf32>``; ``scalable`` marks the dims printed as ``[4]``."""

    shape: Tuple[int, ...]
    element_type: Type
    scalable: Tuple[bool, ...] = ()

    def __post_init__(self):
        # one spelling of "no scalable dims", so vector<4xf32> built either way is one type
        if self.scalable and not any(self.scalable):
            object.__setattr__(self, "scalable", ())

    @property
    def is_scalable(self) -> bool:
        """Whether any dimension is scalable (``vector<[4]xf32>``)."""
        return bool(self.scalable)

    def __str__(self) -> str:
        dims = "".join(
            (f"[{d}]" if (self.scalable and self.scalable[i]) else str(d)) + "x" for i, d in enumerate(self.shape)
        )
        return f"vector<{dims}{self.element_type}>"


@dataclass(frozen=True, repr=False)
class ComplexType(Type):
    element_type: Type

    def __str__(self) -> str:
        return f"complex<{self.element_type}>"


@dataclass(frozen=True, repr=False)
class TupleType(Type):
    types: Tuple[Type, ...]

    def __str__(self) -> str:
        return f"tuple<{', '.join(map(str, self.types))}>"


@dataclass(frozen=True, repr=False)
class DialectType(Type):
    """``!dialect.name<params>``.  Registered dialect types subclass this and
    set ``name``; unknown ones stay generic (printed back unchanged)."""

    name: str
    params: Tuple[object, ...] = ()

    def __str__(self) -> str:
        from .attributes import format_params

        body = f"<{format_params(self.params)}>" if self.params else ""
        return f"!{self.name}{body}"


# Singletons for the common cases.
f16 = FloatType("f16")
bf16 = FloatType("bf16")
f32 = FloatType("f32")
f64 = FloatType("f64")
i1 = IntegerType(1)
i8 = IntegerType(8)
i16 = IntegerType(16)
i32 = IntegerType(32)
i64 = IntegerType(64)
index = IndexType()
none = NoneType()


def element_type(t: Type) -> Type:
    """The scalar type of `t` (itself for scalars, the element type for shaped types)."""
    return t.element_type if isinstance(t, ShapedType) else t


def is_float_like(t: Type) -> bool:
    """A float, or a tensor/vector of floats (arith and math accept both)."""
    return isinstance(element_type(t), FloatType) and not isinstance(t, MemRefType)


def is_float_buffer(t: Type) -> bool:
    """A ranked memref of floats: a buffer that can carry derivatives (through a shadow buffer)."""
    return isinstance(t, MemRefType) and t.shape is not None and isinstance(t.element_type, FloatType)


def is_integer_like(t: Type) -> bool:
    """A signless/signed integer or index, or a tensor/vector of them."""
    return isinstance(element_type(t), (IntegerType, IndexType)) and not isinstance(t, MemRefType)


def is_bool_like(t: Type) -> bool:
    e = element_type(t)
    return isinstance(e, IntegerType) and e.width == 1 and not isinstance(t, MemRefType)


def _dims_compatible(a: Tuple[int, ...], b: Tuple[int, ...]) -> bool:
    return len(a) == len(b) and all(x == y or x == DYNAMIC or y == DYNAMIC for x, y in zip(a, b))


def shapes_compatible(a: Type, b: Type) -> bool:
    """MLIR's ``verifyCompatibleShape(a, b)``: both scalars, or both shaped with
    an unranked one or dims that are equal or dynamic (element types ignored)."""
    a_shaped, b_shaped = isinstance(a, ShapedType), isinstance(b, ShapedType)
    if not a_shaped or not b_shaped:
        return a_shaped == b_shaped
    if a.shape is None or b.shape is None:
        return True
    return _dims_compatible(a.shape, b.shape)


def all_shapes_compatible(types) -> bool:
    """MLIR's ``verifyCompatibleShapes(types)`` (the SameOperandsAndResultShape check):
    all scalars, or all shaped with no mix of scalable and fixed vectors, equal ranks
    and, per dimension, one static size at most."""
    types = list(types)
    shaped = [isinstance(t, ShapedType) for t in types]
    if not any(shaped):
        return True
    if not all(shaped):
        return False
    if len({isinstance(t, VectorType) and t.is_scalable for t in types}) > 1:
        return False  # a scalable vector's size is a multiple unknown until run time
    ranked = [t.shape for t in types if t.shape is not None]
    if len({len(s) for s in ranked}) > 1:
        return False
    for dims in zip(*ranked):
        static = {d for d in dims if d != DYNAMIC}
        if len(static) > 1:
            return False
    return True


def same_encoding(a: Type, b: Type) -> bool:
    """False only for two ranked tensors with different encodings (MLIR's cast check)."""
    if isinstance(a, TensorType) and isinstance(b, TensorType) and a.is_ranked and b.is_ranked:
        return a.encoding == b.encoding
    return True


def with_element_type(t: Type, elt: Type) -> Type:
    """`t` with its scalar type replaced (i1 results of comparisons on tensors)."""
    if isinstance(t, TensorType):
        return TensorType(t.shape, elt, t.encoding)
    if isinstance(t, VectorType):
        return VectorType(t.shape, elt, t.scalable)
    return elt
