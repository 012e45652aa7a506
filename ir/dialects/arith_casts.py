"""arith's casts: sitofp uitofp fptosi fptoui extf truncf extsi extui trunci
index_cast index_castui bitcast.  Registered with the `arith` dialect and
re-exported by `irc.dialects.arith`, which imports this module once its own
ops and helpers exist (their definitions are shared)."""

from __future__ import annotations

import math


from ..lazy_numpy import np
from ..assembly_format import EnumSyntax
from ..attributes import IntegerAttr, numpy_dtype
from ..core import Value
from ..interpreter import make_float, to_signed, to_unsigned, wrap
from .arith_arrays import arrays_apply, signed, unsigned, wrapped
from ..opdef import Attr, Operand, Result
from ..traits import Pure, SameOperandsAndResultShape
from ..types import (
    FloatType,
    IndexType,
    IntegerType,
    TensorType,
    Type,
    element_type,
    i32,
    same_encoding,
    shapes_compatible,
)
from .arith import (
    OPTIONAL_FASTMATH,
    OVERFLOW,
    ROUNDING_MODES,
    ArithError,
    ArithOp,
    BitcastType,
    FloatLike,
    IndexCastType,
    SignlessFixedWidthIntegerLike,
    _defining,
    _elementwise,
    _float_bits,
    _float_from_bits,
    _int_width,
    _is_signless_int,
    _to_float,
    arith,
    attr_to_value,
)

__all__ = [
    "ExtFOp", "TruncFOp", "ExtSIOp", "ExtUIOp", "TruncIOp", "SIToFPOp", "UIToFPOp",
    "FPToSIOp", "FPToUIOp", "IndexCastOp", "IndexCastUIOp", "BitcastOp",
]

def _tensor_dims(t: Type):
    """The dims MLIR's "same tensor dimensions" check compares: a tensor's shape, else none."""
    return tuple(t.shape or ()) if isinstance(t, TensorType) else ()


class _CastOp(ArithOp):
    """``$in : type($in) to type($out)``, elementwise."""

    __slots__ = ()
    result_defs = (Result("out"),)
    traits = frozenset({Pure, SameOperandsAndResultShape})
    format = "$in attr-dict `:` type($in) `to` type($out)"

    @property
    def in_(self) -> Value:
        """The cast's operand (MLIR's ``getIn``; ``in`` is a Python keyword)."""
        return self.operands[0]

    def elements_compatible(self, src: Type, dst: Type) -> bool:
        raise NotImplementedError

    def verify_declaration(self) -> None:
        # MLIR checks this predicate with the operand and result constraints,
        # before the traits (SameOperandsAndResultShape) and the cast check
        super().verify_declaration()
        if _tensor_dims(self.operands[0].type) != _tensor_dims(self.results[0].type):
            raise self.emit_error("failed to verify that input and output have the same tensor dimensions")

    def verify(self) -> None:
        src, dst = self.operands[0].type, self.results[0].type
        compatible = same_encoding(src, dst) and shapes_compatible(src, dst)
        if not compatible or not self.elements_compatible(element_type(src), element_type(dst)):
            raise self.emit_error(f"operand type '{src}' and result type '{dst}' are cast incompatible")

    def convert(self, v, src: Type, dst: Type):
        """One scalar element (Python value) converted; dst/src are element types."""
        raise NotImplementedError

    # the same on whole arrays (arith_arrays.py), for integer results: fn(x, source width)
    # -> the result modulo 2^64, wrapped to the destination width here
    convert_array = None

    def evaluate(self, args):
        src, dst = element_type(self.operands[0].type), element_type(self.results[0].type)
        if self.convert_array is not None and isinstance(dst, (IntegerType, IndexType)):
            ws, wd = _int_width(src), _int_width(dst)
            if arrays_apply(args, max(ws, wd)):
                return [np.asarray(wrapped(self.convert_array(args[0], ws), wd, numpy_dtype(dst)))]
        v = _elementwise(lambda x: self.convert(x, src, dst), self.results[0].type, args[0])
        if isinstance(dst, FloatType) and not isinstance(v, np.ndarray):
            v = make_float(v, dst)
        return [v]


def _cast_operand(constraint, name="in"):
    return (Operand(name, constraint),)


@arith.op
class ExtFOp(_CastOp):
    """Widen a float (exact)."""

    __slots__ = ()
    name = "arith.extf"
    summary = "cast from floating-point to wider floating-point"
    operand_defs = _cast_operand(FloatLike)
    result_defs = (Result("out", FloatLike),)
    attribute_defs = (OPTIONAL_FASTMATH,)
    format = "$in (`fastmath` `` $fastmath^)? attr-dict `:` type($in) `to` type($out)"

    def elements_compatible(self, src, dst):
        return dst.width > src.width

    def evaluate(self, args):
        v, dst = args[0], element_type(self.results[0].type)
        if isinstance(v, np.ndarray):
            return [v.astype(numpy_dtype(dst))]
        return [make_float(v, dst)]


@arith.op
class TruncFOp(_CastOp):
    """Narrow a float, rounding with `roundingmode` (nearest-even by default)."""

    __slots__ = ()
    name = "arith.truncf"
    summary = "cast from floating-point to narrower floating-point"
    operand_defs = _cast_operand(FloatLike)
    result_defs = (Result("out", FloatLike),)
    attribute_defs = (
        Attr("roundingmode", IntegerAttr, optional=True, syntax=EnumSyntax(ROUNDING_MODES, i32)),
        OPTIONAL_FASTMATH,
    )
    format = (
        "$in ($roundingmode^)? (`fastmath` `` $fastmath^)? attr-dict `:` type($in) `to` type($out)"
    )

    def elements_compatible(self, src, dst):
        return dst.width < src.width

    def verify(self) -> None:
        super().verify()
        m = self.attributes.get("roundingmode")
        if m is not None and (m.type != i32 or not 0 <= m.value < len(ROUNDING_MODES)):
            raise self.emit_error("attribute 'roundingmode' failed to satisfy constraint: Floating point rounding mode")

    @property
    def rounding_mode(self) -> str:
        m = self.attributes.get("roundingmode")
        return ROUNDING_MODES[m.value] if m is not None else "to_nearest_even"

    def evaluate(self, args):
        v, dst = args[0], element_type(self.results[0].type)
        mode = self.rounding_mode
        if mode == "to_nearest_even" and dst.name != "bf16":
            # numpy's narrowing conversions round once, to nearest even
            if isinstance(v, np.ndarray):
                return [v.astype(numpy_dtype(dst))]
            return [make_float(v, dst)]
        return [_elementwise(lambda x: _to_float(float(x), dst, mode), self.results[0].type, v)]

    def fold_constants(self, operands):
        # MLIR folds a narrowing only when no information is lost: every element
        # converts back to the same bits (NaNs without payload and infinities do;
        # 0.1 : f64, or 1e300 to f32, stay for run time whatever the rounding mode)
        folded = super().fold_constants(operands)
        if folded is None:
            return None
        before, after = attr_to_value(operands[0]), attr_to_value(folded[0])
        if not np.array_equal(_as_f64_bits(before), _as_f64_bits(after)):
            return None
        return folded

    def fold_identities(self, operands):
        ext = _defining(self.operands[0], ExtFOp)
        if ext is not None and ext.operands[0].type == self.results[0].type:
            return [ext.operands[0]]  # the value was representable before widening
        return None


def _as_f64_bits(v) -> np.ndarray:
    """The bits of float runtime values widened (exactly) to f64."""
    return np.asarray(v, dtype=np.float64).view(np.uint64)


def _int_to_int_compatible(wider: bool):
    return lambda self, src, dst: (dst.width > src.width) if wider else (dst.width < src.width)


@arith.op
class ExtSIOp(_CastOp):
    """Sign-extend an integer."""

    __slots__ = ()
    name = "arith.extsi"
    summary = "integer sign extension operation"
    convert_array = staticmethod(signed)
    operand_defs = _cast_operand(SignlessFixedWidthIntegerLike)
    result_defs = (Result("out", SignlessFixedWidthIntegerLike),)
    elements_compatible = _int_to_int_compatible(wider=True)

    def convert(self, v, src, dst):
        return wrap(to_signed(v, src), dst)


@arith.op
class ExtUIOp(_CastOp):
    """Zero-extend an integer."""

    __slots__ = ()
    name = "arith.extui"
    summary = "integer zero extension operation"
    convert_array = staticmethod(unsigned)
    operand_defs = _cast_operand(SignlessFixedWidthIntegerLike)
    result_defs = (Result("out", SignlessFixedWidthIntegerLike),)
    elements_compatible = _int_to_int_compatible(wider=True)

    def convert(self, v, src, dst):
        return wrap(to_unsigned(v, src), dst)


@arith.op
class TruncIOp(_CastOp):
    """Truncate an integer to its low bits."""

    __slots__ = ()
    name = "arith.trunci"
    summary = "integer truncation operation"
    convert_array = staticmethod(unsigned)
    operand_defs = _cast_operand(SignlessFixedWidthIntegerLike)
    result_defs = (Result("out", SignlessFixedWidthIntegerLike),)
    attribute_defs = (OVERFLOW,)
    format = "$in (`overflow` `` $overflowFlags^)? attr-dict `:` type($in) `to` type($out)"
    elements_compatible = _int_to_int_compatible(wider=False)

    def convert(self, v, src, dst):
        return wrap(v, dst)

    def fold_identities(self, operands):
        for ext_cls in (ExtSIOp, ExtUIOp):
            ext = _defining(self.operands[0], ext_cls)
            if ext is not None and ext.operands[0].type == self.results[0].type:
                return [ext.operands[0]]
        return None


@arith.op
class SIToFPOp(_CastOp):
    """Signed integer to float, rounding to nearest even."""

    __slots__ = ()
    name = "arith.sitofp"
    summary = "cast from integer type to floating-point"
    operand_defs = _cast_operand(SignlessFixedWidthIntegerLike)
    result_defs = (Result("out", FloatLike),)

    def elements_compatible(self, src, dst):
        return isinstance(src, IntegerType) and isinstance(dst, FloatType)

    def convert(self, v, src, dst):
        return float(_to_float(to_signed(v, src), dst))

    def evaluate(self, args):
        return _int_to_float_array(self, args, signed) or super().evaluate(args)


@arith.op
class UIToFPOp(_CastOp):
    """Unsigned integer to float, rounding to nearest even."""

    __slots__ = ()
    name = "arith.uitofp"
    summary = "cast from unsigned integer type to floating-point"
    operand_defs = _cast_operand(SignlessFixedWidthIntegerLike)
    result_defs = (Result("out", FloatLike),)
    elements_compatible = SIToFPOp.elements_compatible

    def convert(self, v, src, dst):
        return float(_to_float(to_unsigned(v, src), dst))

    def evaluate(self, args):
        return _int_to_float_array(self, args, unsigned) or super().evaluate(args)


def _int_to_float_array(op, args, view):
    """sitofp/uitofp of a whole array when every value is exact in f64 (|x| < 2^53, as the
    scalar rule's fast path): one rounding, numpy's, to nearest even; else None."""
    src, dst = element_type(op.operands[0].type), element_type(op.results[0].type)
    w = _int_width(src)
    if dst.name == "bf16" or not arrays_apply(args, w):
        return None
    x = view(args[0], w)
    if np.any(np.abs(x.astype(np.float64)) >= float(1 << 53)):
        return None
    return [np.asarray(x.astype(np.float64).astype(numpy_dtype(dst)))]


def _float_to_int(v, dst: Type, signed: bool) -> int:
    x = float(v)
    if not math.isfinite(x):
        raise ArithError(f"cannot convert {x} to an integer")
    n = math.trunc(x)
    w = dst.width
    lo, hi = (-(1 << (w - 1)), (1 << (w - 1)) - 1) if signed else (0, (1 << w) - 1)
    if not lo <= n <= hi:
        raise ArithError(f"{x} is out of the range of {'signed' if signed else 'unsigned'} {dst}")
    return wrap(n, dst)


@arith.op
class FPToSIOp(_CastOp):
    """Float to signed integer, rounding toward zero."""

    __slots__ = ()
    name = "arith.fptosi"
    summary = "cast from floating-point type to integer type"
    operand_defs = _cast_operand(FloatLike)
    result_defs = (Result("out", SignlessFixedWidthIntegerLike),)

    def elements_compatible(self, src, dst):
        return isinstance(src, FloatType) and isinstance(dst, IntegerType)

    def convert(self, v, src, dst):
        return _float_to_int(v, dst, signed=True)


@arith.op
class FPToUIOp(_CastOp):
    """Float to unsigned integer, rounding toward zero."""

    __slots__ = ()
    name = "arith.fptoui"
    summary = "cast from floating-point type to integer type"
    operand_defs = _cast_operand(FloatLike)
    result_defs = (Result("out", SignlessFixedWidthIntegerLike),)
    elements_compatible = FPToSIOp.elements_compatible

    def convert(self, v, src, dst):
        return _float_to_int(v, dst, signed=False)


class _IndexCastBase(_CastOp):
    __slots__ = ()
    operand_defs = _cast_operand(IndexCastType)
    result_defs = (Result("out", IndexCastType),)

    def elements_compatible(self, src, dst):
        return (isinstance(src, IndexType) and _is_signless_int(dst)) or (
            _is_signless_int(src) and isinstance(dst, IndexType)
        )

    def fold_identities(self, operands):
        inner = _defining(self.operands[0], type(self))
        if inner is None:
            return None
        x = inner.operands[0]
        # x -> mid -> x is exact when mid is at least as wide as x (index is 64 bits)
        if x.type == self.results[0].type and _int_width(inner.results[0].type) >= _int_width(x.type):
            return [x]
        return None


@arith.op
class IndexCastOp(_IndexCastBase):
    """Between index and integers: sign-extends or truncates."""

    __slots__ = ()
    name = "arith.index_cast"
    summary = "cast between index and integer types"
    convert_array = staticmethod(signed)

    def convert(self, v, src, dst):
        return wrap(to_signed(v, src), dst)


@arith.op
class IndexCastUIOp(_IndexCastBase):
    """Between index and integers: zero-extends or truncates."""

    __slots__ = ()
    name = "arith.index_castui"
    summary = "unsigned cast between index and integer types"
    convert_array = staticmethod(unsigned)

    def convert(self, v, src, dst):
        return wrap(to_unsigned(v, src), dst)


@arith.op
class BitcastOp(_CastOp):
    """Reinterpret the bits of an integer or float as another type of the same width."""

    __slots__ = ()
    name = "arith.bitcast"
    summary = "bitcast between values of equal bit width"
    operand_defs = _cast_operand(BitcastType)
    result_defs = (Result("out", BitcastType),)

    def elements_compatible(self, src, dst):
        if isinstance(src, IndexType) or isinstance(dst, IndexType):
            return False
        return src.width == dst.width

    def evaluate(self, args):
        src, dst = element_type(self.operands[0].type), element_type(self.results[0].type)
        v = args[0]
        if isinstance(v, np.ndarray):  # whole-array views keep NaN payloads exact
            return [_bitcast_array(v, src, dst)]
        bits = _float_bits(v, src) if isinstance(src, FloatType) else to_unsigned(v, src)
        return [_float_from_bits(bits, dst) if isinstance(dst, FloatType) else wrap(bits, dst)]

    def fold_identities(self, operands):
        if self.operands[0].type == self.results[0].type:
            return [self.operands[0]]
        inner = _defining(self.operands[0], BitcastOp)
        if inner is not None and inner.operands[0].type == self.results[0].type:
            return [inner.operands[0]]
        return None


_UINT = {2: "uint16", 4: "uint32", 8: "uint64"}


def _bitcast_array(v: np.ndarray, src: Type, dst: Type) -> np.ndarray:
    flat = np.ascontiguousarray(v).reshape(-1)
    if not isinstance(src, FloatType):
        bits = np.array([to_unsigned(x, src) for x in flat.tolist()], dtype=np.uint64)
    elif src.name == "bf16":
        bits = (flat.view(np.uint32) >> np.uint32(16)).astype(np.uint64)
    else:
        bits = flat.view(_UINT[flat.dtype.itemsize]).astype(np.uint64)
    if not isinstance(dst, FloatType):
        out = np.array([wrap(b, dst) for b in bits.tolist()], dtype=numpy_dtype(dst))
    elif dst.name == "bf16":
        out = (bits.astype(np.uint32) << np.uint32(16)).view(np.float32)
    else:
        dt = numpy_dtype(dst)
        out = bits.astype(_UINT[dt.itemsize]).view(dt)
    return out.reshape(v.shape)
