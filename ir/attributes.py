"""Builtin attributes: immutable, hashable compile-time values.

Floats keep their exact bits: a float attribute prints the shortest decimal
that parses back to the same value of its type, and falls back to MLIR's
hexadecimal form (``0x7FF8000000000000 : f64``) for NaN, infinities and the
rare value the decimal route would round differently.
"""

from __future__ import annotations

import math
from fractions import Fraction
import struct
from dataclasses import dataclass, field
from typing import Any, Optional, Tuple


from .lazy_numpy import np
from .types import (
    DYNAMIC,
    FloatType,
    IndexType,
    IntegerType,
    ShapedType,
    Type,
    f64,
    i64,
)


class Attribute:
    """Base of all attributes."""

    __slots__ = ()

    def __repr__(self) -> str:
        return f"<attr {self}>"


# ----------------------------------------------------------------------------
# float helpers


# IEEE formats: (precision in bits incl. the implicit one, min normal exponent, max exponent).
# tf32, f80 and f128 are held as f32, f64 and f64 at run time (see irc.attributes).
_FORMATS = {
    "f16": (11, -14, 15),
    "bf16": (8, -126, 127),
    "f32": (24, -126, 127),
    "tf32": (24, -126, 127),
    "f64": (53, -1022, 1023),
    "f80": (53, -1022, 1023),
    "f128": (53, -1022, 1023),
}


def round_exact(x, ftype: FloatType, mode: str = "to_nearest_even") -> float:
    """`x` (an int, Fraction or float) rounded once to `ftype` with an IEEE
    rounding mode, as a Python float.  Avoids the double rounding of going
    through an intermediate format (int -> f64 -> f32, f64 -> f32 -> bf16)."""
    if isinstance(x, float) and not math.isfinite(x):
        return x
    p, emin, emax = _FORMATS[ftype.name]
    if x == 0:
        return math.copysign(0.0, x) if isinstance(x, float) else 0.0
    q = Fraction(x)
    negative = q < 0
    a = -q if negative else q
    e = a.numerator.bit_length() - a.denominator.bit_length()
    if Fraction(2) ** e > a:
        e -= 1
    exp = max(e, emin) - (p - 1)
    scaled = a / Fraction(2) ** exp
    floor = scaled.numerator // scaled.denominator
    rest = scaled - floor
    if mode == "to_nearest_even":
        n = floor + (1 if rest > Fraction(1, 2) or (rest == Fraction(1, 2) and floor & 1) else 0)
    elif mode == "to_nearest_away":
        n = floor + (1 if rest >= Fraction(1, 2) else 0)
    elif mode == "toward_zero":
        n = floor
    elif mode == "upward":
        n = floor + (1 if rest and not negative else 0)
    elif mode == "downward":
        n = floor + (1 if rest and negative else 0)
    else:
        raise ValueError(f"unknown rounding mode {mode}")
    max_finite = ((1 << p) - 1) * Fraction(2) ** (emax - p + 1)
    value = n * Fraction(2) ** exp
    if value > max_finite:
        to_inf = mode in ("to_nearest_even", "to_nearest_away") or (mode == "upward" and not negative) or (
            mode == "downward" and negative
        )
        result = math.inf if to_inf else float(max_finite)
    else:
        result = math.ldexp(n, exp)
    return -result if negative else result


def round_to_float_type(value: float, ftype: FloatType) -> float:
    """`value` rounded to the precision of `ftype` (as a Python float)."""
    name = ftype.name
    if name == "f64" or name in ("f80", "f128"):
        return float(value)
    with np.errstate(over="ignore"):
        return _round_narrow(float(value), name)


def _round_narrow(value: float, name: str) -> float:
    if name == "f32":
        return float(np.float32(value))
    if name == "f16":
        with np.errstate(over="ignore"):
            return float(np.float16(value))
    if name == "bf16":  # straight from f64: no double rounding through f32
        return value if math.isnan(value) else round_exact(value, FloatType("bf16"))
    if name == "tf32":
        return float(np.float32(value))
    raise ValueError(f"unknown float type {name}")


def float_bits(value: float, ftype: FloatType) -> int:
    name = ftype.name
    if name == "f32" or name == "tf32":
        return struct.unpack("<I", struct.pack("<f", value))[0]
    if name == "f16":
        return int(np.array(value, dtype=np.float16).view(np.uint16))
    if name == "bf16":
        return struct.unpack("<I", struct.pack("<f", value))[0] >> 16
    return struct.unpack("<Q", struct.pack("<d", value))[0]


def float_from_bits(bits: int, ftype: FloatType) -> float:
    name = ftype.name
    if name == "f32" or name == "tf32":
        return struct.unpack("<f", struct.pack("<I", bits & 0xFFFFFFFF))[0]
    if name == "f16":
        return float(np.array(bits & 0xFFFF, dtype=np.uint16).view(np.float16))
    if name == "bf16":
        return struct.unpack("<f", struct.pack("<I", (bits & 0xFFFF) << 16))[0]
    return struct.unpack("<d", struct.pack("<Q", bits & 0xFFFFFFFFFFFFFFFF))[0]


def _hex_width(ftype: FloatType) -> int:
    return {"f16": 4, "bf16": 4, "f32": 8, "tf32": 8}.get(ftype.name, 16)


def format_float(value: float, ftype: FloatType = f64) -> str:
    """Shortest text for `value` that parses back bit-identically in `ftype`."""
    if math.isfinite(value):
        if ftype.name in ("f32", "tf32", "bf16"):
            text = str(np.float32(value))
        elif ftype.name == "f16":
            text = str(np.float16(value))
        else:
            text = repr(float(value))
        text = _mlir_float_text(text)
        if float_bits(round_to_float_type(float(text), ftype), ftype) == float_bits(value, ftype):
            return text
    return f"0x{float_bits(value, ftype):0{_hex_width(ftype)}X}"


def _mlir_float_text(text: str) -> str:
    """MLIR float literals need a '.' before any exponent: 1e-05 -> 1.0e-05."""
    mant, _, exp = text.lower().partition("e")
    if "." not in mant:
        mant += ".0"
    elif mant.endswith("."):
        mant += "0"
    if exp:
        sign = "-" if exp.startswith("-") else "+"
        digits = exp.lstrip("+-").lstrip("0") or "0"
        return f"{mant}e{sign}{digits}"
    return mant


@dataclass(frozen=True)
class KeywordWithParams:
    """A keyword with its own parameters inside a dialect type's ``<...>`` (``struct<(i64)>``)."""

    keyword: str
    params: Tuple[object, ...]

    def __str__(self) -> str:
        return f"{self.keyword}<{format_params(self.params)}>"


def format_params(params) -> str:
    """Print the ``<...>`` body of a dialect type or attribute: `key = value` pairs are
    ("=key", value) tuples, other tuples are parenthesized lists."""
    out = []
    for p in params:
        if isinstance(p, tuple) and len(p) == 2 and isinstance(p[0], str) and p[0].startswith("="):
            out.append(f"{p[0][1:]} = {p[1]}")
        elif isinstance(p, tuple):
            out.append(f"({format_params(p)})")
        else:
            out.append(str(p))
    return ", ".join(out)


# ----------------------------------------------------------------------------
# the builtin attributes


# Python refuses to convert ints of more than 4,300 decimal digits (quadratic work);
# wider values (of types wider than ~14,000 bits) print in hexadecimal, which MLIR reads too.
_MAX_DECIMAL_BITS = 14000


def format_int(v: int, t: Optional[Type] = None) -> str:
    """An integer literal as MLIR writes it: decimal, or hexadecimal when too long for decimal
    (a negative value of a signless type `t` as its two's-complement bit pattern, which reads back)."""
    if v.bit_length() <= _MAX_DECIMAL_BITS:
        return str(v)
    if v < 0 and isinstance(t, IntegerType) and t.signedness == "":
        return hex(v & ((1 << t.width) - 1))
    return ("-" if v < 0 else "") + hex(abs(v))


@dataclass(frozen=True, repr=False)
class IntegerAttr(Attribute):
    """``42 : i32``; i1 values print as ``true``/``false``."""

    value: int
    type: Type = i64

    def __str__(self) -> str:
        if isinstance(self.type, IntegerType) and self.type.width == 1:
            return "true" if self.value else "false"
        if self.type == i64:
            return format_int(self.value, self.type)
        return f"{format_int(self.value, self.type)} : {self.type}"


@dataclass(frozen=True, repr=False)
class FloatAttr(Attribute):
    """``1.5 : f32``; the value is rounded to the type on construction.

    Equality compares bits, so NaN attributes are equal to themselves and
    0.0 differs from -0.0 (constant folding must keep both apart).
    """

    value: float
    type: FloatType = f64

    def __post_init__(self):
        object.__setattr__(self, "value", round_to_float_type(float(self.value), self.type))

    @property
    def bits(self) -> int:
        return float_bits(self.value, self.type)

    def __eq__(self, other):
        return isinstance(other, FloatAttr) and other.type == self.type and other.bits == self.bits

    def __hash__(self):
        return hash((self.type, self.bits))

    def __str__(self) -> str:
        return f"{format_float(self.value, self.type)} : {self.type}"


def _escape(s: str) -> str:
    out = []
    for ch in s:
        if ch == '"' or ch == "\\":
            out.append("\\" + ch)
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif ord(ch) < 32 or ord(ch) == 127:
            out.append(f"\\{ord(ch):02X}")
        else:
            out.append(ch)
    return "".join(out)


def quote(s: str) -> str:
    return '"' + _escape(s) + '"'


@dataclass(frozen=True, repr=False)
class StringAttr(Attribute):
    value: str

    def __str__(self) -> str:
        return quote(self.value)


@dataclass(frozen=True, repr=False)
class UnitAttr(Attribute):
    def __str__(self) -> str:
        return "unit"


@dataclass(frozen=True, repr=False)
class ArrayAttr(Attribute):
    elements: Tuple[Attribute, ...]

    def __str__(self) -> str:
        return "[" + ", ".join(map(str, self.elements)) + "]"

    def __iter__(self):
        return iter(self.elements)

    def __len__(self):
        return len(self.elements)

    def __getitem__(self, i):
        return self.elements[i]


def format_attr_name(name: str) -> str:
    import re

    return name if re.fullmatch(r"[A-Za-z_][\w$.]*", name) else quote(name)


def format_dict_entries(entries) -> str:
    parts = []
    for k, v in entries:
        parts.append(format_attr_name(k) if isinstance(v, UnitAttr) else f"{format_attr_name(k)} = {v}")
    return "{" + ", ".join(parts) + "}"


@dataclass(frozen=True, repr=False)
class DictionaryAttr(Attribute):
    """Entries sorted by name, as MLIR stores them."""

    entries: Tuple[Tuple[str, Attribute], ...]

    def __post_init__(self):
        object.__setattr__(self, "entries", tuple(sorted(self.entries, key=lambda kv: kv[0])))

    def __str__(self) -> str:
        return format_dict_entries(self.entries)

    def get(self, key, default=None):
        for k, v in self.entries:
            if k == key:
                return v
        return default

    def as_dict(self) -> dict:
        return dict(self.entries)


@dataclass(frozen=True, repr=False)
class SymbolRefAttr(Attribute):
    """``@f`` or ``@mod::@f``."""

    root: str
    nested: Tuple[str, ...] = ()

    def __str__(self) -> str:
        return "::".join(format_symbol(n) for n in (self.root, *self.nested))


def format_symbol(name: str) -> str:
    import re

    return "@" + (name if re.fullmatch(r"[A-Za-z_$.][\w$.\-]*", name) else quote(name))


@dataclass(frozen=True, repr=False)
class TypeAttr(Attribute):
    value: Type

    def __str__(self) -> str:
        return str(self.value)


@dataclass(frozen=True, repr=False)
class DenseArrayAttr(Attribute):
    """``array<i64: 1, 2>``."""

    element_type: Type
    values: Tuple[Any, ...]

    def __str__(self) -> str:
        if not self.values:
            return f"array<{self.element_type}>"
        if isinstance(self.element_type, FloatType):
            vals = ", ".join(format_float(v, self.element_type) for v in self.values)
        elif isinstance(self.element_type, IntegerType) and self.element_type.width == 1:
            vals = ", ".join("true" if v else "false" for v in self.values)
        else:
            vals = ", ".join(str(v) for v in self.values)
        return f"array<{self.element_type}: {vals}>"


_NUMPY_DTYPES = {"f16": "float16", "f32": "float32", "f64": "float64", "bf16": "float32"}


def numpy_dtype(t: Type):
    """The numpy dtype used to hold values of scalar type `t`."""
    if isinstance(t, FloatType):
        return np.dtype(_NUMPY_DTYPES.get(t.name, "float64"))
    if isinstance(t, IndexType):
        return np.dtype(np.int64)
    if isinstance(t, IntegerType):
        if t.width == 1:
            return np.dtype(np.bool_)
        for w, dt in ((8, np.int8), (16, np.int16), (32, np.int32), (64, np.int64)):
            if t.width <= w:
                if t.signedness == "u":
                    return np.dtype({8: np.uint8, 16: np.uint16, 32: np.uint32, 64: np.uint64}[w])
                return np.dtype(dt)
        return np.dtype(object)
    raise TypeError(f"no numpy dtype for {t}")


def is_splat_view(array) -> bool:
    """A numpy array that is one element broadcast (zero strides): a splat that costs no memory."""
    return isinstance(array, np.ndarray) and array.size > 1 and not any(array.strides)


def elementwise_operands(values: list) -> list:
    """Operands of an elementwise fold with each splat view cut to its one element (a 0-d array).

    The fold then computes one element, and its result, wrapped in a
    DenseElementsAttr, is a splat view again: folding a huge splat costs O(1).
    """
    return [np.asarray(v[(0,) * v.ndim]) if is_splat_view(v) else v for v in values]


@dataclass(frozen=True, repr=False, eq=False)
class DenseElementsAttr(Attribute):
    """``dense<[[1.0, 2.0]]> : tensor<1x2xf64>``, backed by a numpy array.

    Splats (every element equal) print as one value, as MLIR prints them.
    """

    type: ShapedType
    array: np.ndarray = field(compare=False)

    def __post_init__(self):
        arr = np.asarray(self.array, dtype=numpy_dtype(self.type.element_type))
        shape = tuple(self.type.shape)
        if arr.shape != shape:
            if arr.size == 1:
                # a splat stays one value: a read-only broadcast view (zero strides) costs no memory,
                # so dense<1.0> : tensor<100000x100000xf64> is as cheap as dense<1.0> : tensor<f64>
                arr = np.broadcast_to(arr.reshape(()), shape)
            else:
                arr = np.broadcast_to(arr, shape).copy()
        arr.setflags(write=False)
        object.__setattr__(self, "array", arr)

    def _content(self) -> Tuple[str, bytes]:
        """The elements as bytes: one element for a splat (O(1) for a splat view however large its shape).

        Computed once: the array is read-only, and CSE, uniquing and folding
        hash a large constant many times."""
        content = self.__dict__.get("_content_cache")
        if content is None:
            if self.is_splat:
                content = ("splat", self.array[(0,) * self.array.ndim].tobytes())
            else:
                content = ("elements", self.array.tobytes())
            self.__dict__["_content_cache"] = content
        return content

    @property
    def _is_splat_view(self) -> bool:
        return is_splat_view(self.array)

    def __eq__(self, other):
        return isinstance(other, DenseElementsAttr) and other.type == self.type and self._content() == other._content()

    def __hash__(self):
        h = self.__dict__.get("_hash_cache")
        if h is None:
            h = self.__dict__["_hash_cache"] = hash((self.type, self._content()))
        return h

    @property
    def is_splat(self) -> bool:
        splat = self.__dict__.get("_splat_cache")
        if splat is None:
            if self._is_splat_view:
                splat = True
            else:
                flat = self.array.reshape(-1)
                splat = flat.size > 0 and bool(np.all(flat.view(np.uint8).reshape(flat.size, -1) == flat[:1].view(np.uint8)))
            self.__dict__["_splat_cache"] = splat
        return splat

    def _fmt(self, v) -> str:
        et = self.type.element_type
        if isinstance(et, FloatType):
            return format_float(float(v), et)
        if isinstance(et, IntegerType) and et.width == 1:
            return "true" if v else "false"
        return str(int(v))

    def __str__(self) -> str:
        if self.array.size == 0:
            body = "[]" if self.type.rank else ""
        elif self.is_splat:
            body = self._fmt(self.array.reshape(-1)[0])
        else:
            body = self._nested(self.array)
        return f"dense<{body}> : {self.type}"

    def _nested(self, a) -> str:
        if a.ndim == 0:
            return self._fmt(a[()])
        return "[" + ", ".join(self._nested(x) for x in a) + "]"


@dataclass(frozen=True, repr=False)
class DialectAttr(Attribute):
    """``#dialect.name<params>``; registered dialect attributes subclass it."""

    name: str
    params: Tuple[object, ...] = ()

    def __str__(self) -> str:
        body = f"<{format_params(self.params)}>" if self.params else ""
        return f"#{self.name}{body}"


@dataclass(frozen=True, repr=False)
class StridedLayoutAttr(Attribute):
    """``strided<[s0, s1], offset: o>`` memref layout (DYNAMIC for ``?``)."""

    strides: Tuple[int, ...]
    offset: int = 0

    def __str__(self) -> str:
        f = lambda v: "?" if v == DYNAMIC else str(v)  # noqa: E731
        off = f", offset: {f(self.offset)}" if self.offset != 0 else ""
        return f"strided<[{', '.join(map(f, self.strides))}]{off}>"


@dataclass(frozen=True, repr=False)
class OpaqueLocAttr(Attribute):
    """A location used as an attribute value (rare; kept for round trip)."""

    loc: object

    def __str__(self) -> str:
        return str(self.loc)


def attr_value(a: Optional[Attribute]):
    """The Python value inside a scalar/array attribute (None stays None)."""
    if a is None:
        return None
    if isinstance(a, (IntegerAttr, FloatAttr, StringAttr)):
        return a.value
    if isinstance(a, ArrayAttr):
        return [attr_value(x) for x in a.elements]
    if isinstance(a, DenseArrayAttr):
        return list(a.values)
    if isinstance(a, UnitAttr):
        return True
    return a


def bool_attr(v: bool) -> IntegerAttr:
    from .types import i1

    return IntegerAttr(1 if v else 0, i1)


def int_array(values, etype: Type = i64) -> ArrayAttr:
    return ArrayAttr(tuple(IntegerAttr(int(v), etype) for v in values))


# ----------------------------------------------------------------------------
# affine maps: memref layouts now, linalg indexing maps in the arrays step


class AffineExpr:
    """An affine expression over dims d_i and symbols s_j (immutable, hashable)."""

    __slots__ = ()
    precedence = 3  # binds tighter than any operator


@dataclass(frozen=True, repr=False)
class AffineDim(AffineExpr):
    position: int

    def __str__(self):
        return f"d{self.position}"


@dataclass(frozen=True, repr=False)
class AffineSymbol(AffineExpr):
    position: int

    def __str__(self):
        return f"s{self.position}"


@dataclass(frozen=True, repr=False)
class AffineConstant(AffineExpr):
    value: int

    def __str__(self):
        return str(self.value)


_AFFINE_PRECEDENCE = {"+": 1, "-": 1, "*": 2, "floordiv": 2, "ceildiv": 2, "mod": 2}


@dataclass(frozen=True, repr=False)
class AffineBinary(AffineExpr):
    """`lhs op rhs` with op one of + - * floordiv ceildiv mod."""

    op: str
    lhs: AffineExpr
    rhs: AffineExpr

    @property
    def precedence(self):
        return _AFFINE_PRECEDENCE[self.op]

    def __str__(self):
        return _format_affine(self, False)


def _format_affine(e: AffineExpr, strong: bool) -> str:
    """MLIR's printAffineExprInternal: ``a + b * -1`` prints ``a - b``, ``b * -1`` prints
    ``-b``, and a binary operand of a binary op other than ``+`` is parenthesized."""
    if not isinstance(e, AffineBinary):
        return str(e)
    op, lhs, rhs = e.op, e.lhs, e.rhs
    if op == "*" and isinstance(rhs, AffineConstant) and rhs.value == -1:
        return "-" + _format_affine(lhs, True)
    if op in ("+", "-"):
        text = _format_affine(lhs, False)
        if op == "-":
            text += " - " + _format_affine(rhs, True)
        elif isinstance(rhs, AffineBinary) and rhs.op == "*" and isinstance(rhs.rhs, AffineConstant) and rhs.rhs.value < 0:
            factor = "" if rhs.rhs.value == -1 else f" * {-rhs.rhs.value}"
            text += " - " + _format_affine(rhs.lhs, True) + factor
        elif isinstance(rhs, AffineConstant) and rhs.value < 0:
            text += f" - {-rhs.value}"
        else:
            text += " + " + _format_affine(rhs, False)
        return f"({text})" if strong else text
    text = f"{_format_affine(lhs, True)} {op} {_format_affine(rhs, True)}"
    return f"({text})" if strong else text


@dataclass(frozen=True, repr=False)
class AffineMapAttr(Attribute):
    """``affine_map<(d0, d1)[s0] -> (d0 * 4 + d1 + s0)>``."""

    num_dims: int
    num_symbols: int
    results: Tuple[AffineExpr, ...]

    def __post_init__(self):
        # MLIR keeps expressions canonical from construction on (ir/affine.py)
        from .affine import simplify

        object.__setattr__(self, "results", tuple(simplify(e) for e in self.results))

    def body(self) -> str:
        dims = ", ".join(f"d{i}" for i in range(self.num_dims))
        syms = f"[{', '.join(f's{i}' for i in range(self.num_symbols))}]" if self.num_symbols else ""
        return f"({dims}){syms} -> ({', '.join(map(str, self.results))})"

    def __str__(self):
        return f"affine_map<{self.body()}>"

    def evaluate(self, dims, symbols=()):
        """The results at integer `dims` and `symbols` (floordiv/mod round toward -inf, as MLIR)."""
        from .affine import evaluate

        return evaluate(self, dims, symbols)
