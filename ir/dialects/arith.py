"""The arith dialect: integer and floating-point arithmetic, comparisons,
select and casts, with MLIR's syntax and semantics.

Every op here works on scalars and, elementwise, on tensors and vectors of
them.  The integer ops are in `arith_integer.py` and the casts in
`arith_casts.py` (both re-exported here).  One class per op holds its
declaration, its verifier, its folder and (through `evaluate`) what the
reference interpreter and constant folding compute, so interpretation and
folding cannot disagree.

Runtime values follow `irc.interpreter`: integers are Python ints in the
signed range of their width (i1 is 0/1), floats numpy scalars of their
precision, shaped values numpy arrays.  Where MLIR leaves a result undefined
(poison or undefined behaviour) the interpreter picks one of these:

- ``divsi``/``divui``/``remsi``/``remui``/``ceildiv*``/``floordivsi`` by zero:
  a runtime error; ``divsi`` of INT_MIN by -1 wraps to INT_MIN (``remsi`` 0);
- ``shli``/``shrui`` by an amount >= the bit width give 0, ``shrsi`` gives the
  sign fill (0 or -1): the value of an unbounded shift;
- ``fptosi``/``fptoui`` of NaN, infinity or a value out of the result's range:
  a runtime error;
- ``nsw``/``nuw``/``exact`` flags promise no overflow; the interpreter
  computes the wrapped value (a valid refinement of poison).

Folders never fold what is undefined (division by zero, signed division
overflow, oversized shifts, out-of-range float-to-int casts): the op stays.
Identities fold only where IEEE-754 makes them exact (``x + -0.0``, never
``x * 0.0``).  ``index`` is 64 bits wide.  The integer divisions and
remainders are `NoMemoryEffect`, not `Pure` (they may trap, so LICM must
not hoist them past the test that guards their divisor; DCE and CSE may
still drop or merge them).
"""

from __future__ import annotations

import itertools
import math
from typing import List, Optional, Sequence


from ..lazy_numpy import np, numpy_function
from ..assembly_format import AttrSyntax, EnumSyntax, ParamsSyntax
from ..attributes import (
    Attribute,
    DenseElementsAttr,
    DialectAttr,
    FloatAttr,
    elementwise_operands,
    format_int,
    IntegerAttr,
    TypeAttr,
    UnitAttr,
    numpy_dtype,
    round_exact,
)
from ..core import Value
from ..interpreter import interpret, make_float, runtime_error, to_signed, to_unsigned, wrap
from .arith_arrays import arrays_apply, signed, unsigned, wrapped
from ..location import UNKNOWN
from ..opdef import AnyType, Attr, Dialect, Op, Operand, Result, TypeConstraint
from ..rewrite import RewritePattern, constant_value
from ..traits import (
    Commutative,
    ConstantLike,
    ElementwiseMappable,
    Pure,
    SameOperandsAndResultType,
    SameTypeOperands,
    add_trait,
    verify_elementwise,
)
from ..types import (
    FloatType,
    IndexType,
    IntegerType,
    MemRefType,
    NoneType,
    ShapedType,
    Type,
    element_type,
    i1,
    i64,
    with_element_type,
)


class ArithDialect(Dialect):
    """The arith dialect; folded values become `arith.constant` ops."""

    def materialize_constant(self, builder, value: Attribute, type: Type, location=UNKNOWN):
        if isinstance(value, (IntegerAttr, FloatAttr, DenseElementsAttr)) and value.type == type:
            return builder.create(ConstantOp, value=value, location=location)
        return None


arith = ArithDialect("arith", "integer and floating-point arithmetic, comparisons, select and casts")


# ----------------------------------------------------------------------------
# type constraints (MLIR's names, which appear in diagnostics)


def _scalar_or_elementwise(pred):
    """Scalars, or tensors/vectors of them (arith never takes memrefs)."""
    return lambda t: not isinstance(t, MemRefType) and pred(element_type(t))


def _is_signless_int(t: Type) -> bool:
    return isinstance(t, IntegerType) and t.signedness == ""


FloatLike = TypeConstraint("floating-point-like", _scalar_or_elementwise(lambda e: isinstance(e, FloatType)))
SignlessIntegerOrIndexLike = TypeConstraint(
    "signless-integer-like", _scalar_or_elementwise(lambda e: isinstance(e, IndexType) or _is_signless_int(e))
)
SignlessFixedWidthIntegerLike = TypeConstraint(
    "signless-fixed-width-integer-like", _scalar_or_elementwise(_is_signless_int)
)
BoolLike = TypeConstraint("bool-like", _scalar_or_elementwise(lambda e: _is_signless_int(e) and e.width == 1))
IndexCastType = TypeConstraint(
    "signless-integer-like or memref of signless-integer",
    lambda t: isinstance(element_type(t), IndexType) or _is_signless_int(element_type(t)),
)
BitcastType = TypeConstraint(
    "signless-integer-or-float-like or memref of signless-integer or float",
    lambda t: _is_signless_int(element_type(t)) or isinstance(element_type(t), FloatType),
)


# ----------------------------------------------------------------------------
# attributes: fast-math and overflow flags, comparison predicates, rounding modes


class _FlagsAttr(DialectAttr):
    """A set of flags written ``#arith.name<a,b>`` (MLIR's bit-enum attributes).

    ``params`` holds the canonical keywords (``("none",)``, ``("fast",)``,
    ``("nnan", "ninf")``), so equal flag sets are equal attributes.
    """

    attr_name = ""
    FLAGS: Sequence[str] = ()  # keyword of bit i
    GROUP = None  # (keyword, mask) printed instead of all its bits
    SEPARATOR = ","

    def __init__(self, flags: int = 0):
        object.__setattr__(self, "name", self.attr_name)
        object.__setattr__(self, "params", self._keywords(int(flags)))

    @classmethod
    def _keywords(cls, flags: int):
        if flags & ~((1 << len(cls.FLAGS)) - 1):
            raise ValueError(f"unknown flag bits {flags:#x}")
        if flags == 0:
            return ("none",)
        if cls.GROUP is not None and flags == cls.GROUP[1]:
            return (cls.GROUP[0],)
        return tuple(name for i, name in enumerate(cls.FLAGS) if flags >> i & 1)

    @property
    def flags(self) -> int:
        return self.mask_of(self.params)

    @classmethod
    def mask_of(cls, names) -> int:
        mask = 0
        for n in names:
            if n == "none":
                continue
            if cls.GROUP is not None and n == cls.GROUP[0]:
                mask |= cls.GROUP[1]
            elif n in cls.FLAGS:
                mask |= 1 << cls.FLAGS.index(n)
            else:
                allowed = ", ".join(["none", *cls.FLAGS, *([cls.GROUP[0]] if cls.GROUP else [])])
                raise ValueError(f"expected one of {allowed}, got '{n}'")
        return mask

    @classmethod
    def from_params(cls, params) -> "_FlagsAttr":
        names = []
        for p in params:
            if isinstance(p, TypeAttr) and isinstance(p.value, NoneType):
                names.append("none")  # `none` lexes as the none type
            elif isinstance(p, str):
                names.append(str(p))
            else:
                raise ValueError(f"expected a flag keyword, got {p}")
        if not names:
            raise ValueError("expected at least one flag")
        return cls(cls.mask_of(names))

    def has(self, name: str) -> bool:
        return bool(self.flags & (1 << self.FLAGS.index(name)))

    def __str__(self) -> str:
        return f"#{self.attr_name}<{self.SEPARATOR.join(self.params)}>"


class _FlagsSyntax(ParamsSyntax):
    """``fastmath<nnan,ninf>`` inside a custom form; bad flags are diagnostics."""

    def convert(self, parser, params):
        try:
            return self.attr_cls.from_params(params)
        except ValueError as e:
            raise parser.error_at(None, f"invalid {self.attr_cls.attr_name} flags: {e}")


@arith.attribute
class FastMathAttr(_FlagsAttr):
    """Fast-math flags of floating-point ops (``#arith.fastmath<fast>``)."""

    attr_name = "arith.fastmath"
    FLAGS = ("reassoc", "nnan", "ninf", "nsz", "arcp", "contract", "afn")
    GROUP = ("fast", (1 << 7) - 1)
    SEPARATOR = ","


@arith.attribute
class IntegerOverflowAttr(_FlagsAttr):
    """No-wrap flags of integer ops (``#arith.overflow<nsw, nuw>``)."""

    attr_name = "arith.overflow"
    FLAGS = ("nsw", "nuw")
    SEPARATOR = ", "


FastMathAttr.format_syntax = _FlagsSyntax(FastMathAttr)
FastMathAttr.NONE = FastMathAttr(0)
FastMathAttr.FAST = FastMathAttr(FastMathAttr.GROUP[1])
IntegerOverflowAttr.format_syntax = _FlagsSyntax(IntegerOverflowAttr)
IntegerOverflowAttr.NONE = IntegerOverflowAttr(0)


class _UnitKeywordSyntax(AttrSyntax):
    """A unit attribute written as one keyword (``exact``) in a custom form."""

    rule = "enum_keyword"

    def __init__(self, keyword: str):
        self.keyword = keyword

    def convert(self, parser, tok):
        if str(tok) != self.keyword:
            raise parser.error_at(tok, f"expected '{self.keyword}', got '{tok}'")
        return UnitAttr()

    def print(self, attr) -> str:
        return self.keyword


CMPF_PREDICATES = (
    "false", "oeq", "ogt", "oge", "olt", "ole", "one", "ord",
    "ueq", "ugt", "uge", "ult", "ule", "une", "uno", "true",
)  # fmt: skip
CMPI_PREDICATES = ("eq", "ne", "slt", "sle", "sgt", "sge", "ult", "ule", "ugt", "uge")
ROUNDING_MODES = ("to_nearest_even", "downward", "upward", "toward_zero", "to_nearest_away")

FASTMATH = Attr("fastmath", FastMathAttr, optional=True, default=FastMathAttr.NONE)
OPTIONAL_FASTMATH = Attr("fastmath", FastMathAttr, optional=True)
OVERFLOW = Attr("overflowFlags", IntegerOverflowAttr, optional=True, default=IntegerOverflowAttr.NONE)
EXACT = Attr("isExact", UnitAttr, optional=True, syntax=_UnitKeywordSyntax("exact"))


# ----------------------------------------------------------------------------
# runtime helpers shared by evaluation and folding


class ArithError(Exception):
    """An undefined operation met at run time (division by zero ...)."""


def _int_width(t: Type) -> int:
    e = element_type(t)
    return 64 if isinstance(e, IndexType) else e.width


def _elementwise(fn, out_type: Type, *args):
    """Apply scalar `fn` (Python values in, Python value out) to scalars or,
    element by element, to arrays; arrays come back with `out_type`'s dtype."""
    if not any(isinstance(a, np.ndarray) for a in args):
        return fn(*args)
    shape = next(a.shape for a in args if isinstance(a, np.ndarray))
    cols = [a.reshape(-1).tolist() if isinstance(a, np.ndarray) else itertools.repeat(a) for a in args]
    out = [fn(*xs) for xs in zip(*cols)]
    return np.array(out, dtype=numpy_dtype(element_type(out_type))).reshape(shape)


def _round_bf16(x):
    """Round float32 values (scalar or array) to bfloat16, nearest-even."""
    arr = np.asarray(x, dtype=np.float32)
    bits = arr.view(np.uint32).astype(np.uint64)
    rounded = ((bits + 0x7FFF + ((bits >> 16) & 1)) & 0xFFFF0000).astype(np.uint32).view(np.float32)
    out = np.where(np.isnan(arr), arr, rounded)
    return out if isinstance(x, np.ndarray) else np.float32(out[()])


def _float_result(r, t: Type):
    """A computed float (scalar or array) in the runtime form of type `t`."""
    e = element_type(t)
    if e.name == "bf16":
        return _round_bf16(r)
    dt = numpy_dtype(e)
    if isinstance(r, np.ndarray):
        return r.astype(dt, copy=False)
    return dt.type(r)


def _to_float(v, ftype: FloatType, mode: str = "to_nearest_even"):
    """An exact number converted to a runtime float of `ftype`, rounded once."""
    if isinstance(v, int) and mode == "to_nearest_even" and abs(v) < 1 << 53 and ftype.name != "bf16":
        return make_float(float(v), ftype)  # exact in f64, one rounding to ftype
    return make_float(round_exact(v, ftype, mode), ftype)


def _float_bits(v, ftype: FloatType) -> int:
    """The bit pattern of a runtime float (exact, NaN payloads included)."""
    name = ftype.name
    if name == "bf16":
        return int(np.array(v, dtype=np.float32).view(np.uint32)) >> 16
    dt = numpy_dtype(ftype)
    return int(np.array(v, dtype=dt).view({2: np.uint16, 4: np.uint32, 8: np.uint64}[dt.itemsize]))


def _float_from_bits(bits: int, ftype: FloatType):
    name = ftype.name
    if name == "bf16":
        return np.array((bits & 0xFFFF) << 16, dtype=np.uint32).view(np.float32)[()]
    dt = numpy_dtype(ftype)
    u = {2: np.uint16, 4: np.uint32, 8: np.uint64}[dt.itemsize]
    return np.array(bits & ((1 << 8 * dt.itemsize) - 1), dtype=u).view(dt)[()]


def _has_nan(v) -> bool:
    """Whether a float runtime value is or holds a NaN (False for integers)."""
    return np.issubdtype(np.asarray(v).dtype, np.floating) and bool(np.any(np.isnan(v)))


def _flat_ints(v) -> List[int]:
    return v.reshape(-1).tolist() if isinstance(v, np.ndarray) else [v]


# -- attributes <-> runtime values --------------------------------------------------


def attr_to_value(attr: Attribute):
    """The runtime value of a constant attribute (None if it is not one)."""
    if isinstance(attr, IntegerAttr):
        if isinstance(attr.type, (IntegerType, IndexType)):
            return wrap(attr.value, attr.type)
        return None
    if isinstance(attr, FloatAttr):
        return make_float(attr.value, attr.type)
    if isinstance(attr, DenseElementsAttr):
        return attr.array
    return None


def value_to_attr(v, t: Type) -> Optional[Attribute]:
    """The attribute holding runtime value `v` of type `t` (None if `t` has no static shape)."""
    if isinstance(t, ShapedType):
        if t.shape is None or not t.has_static_shape or isinstance(t, MemRefType):
            return None
        return DenseElementsAttr(t, np.asarray(v))
    if isinstance(t, FloatType):
        return FloatAttr(float(v), t)
    if isinstance(t, (IntegerType, IndexType)):
        return IntegerAttr(wrap(int(v), t), t)
    return None


def _splat(attr: Optional[Attribute]):
    """The single value of a scalar or splat constant (Python int/float), else None."""
    if isinstance(attr, (IntegerAttr, FloatAttr)):
        return attr.value
    if isinstance(attr, DenseElementsAttr) and attr.is_splat:
        return attr.array[(0,) * attr.array.ndim].item()
    return None


def _is_float_const(attr, x: float) -> bool:
    """Bitwise comparison of a float constant with `x` (-0.0 is not 0.0)."""
    v = _splat(attr)
    if not isinstance(v, float) or math.isnan(v):
        return False
    return v == x and math.copysign(1.0, v) == math.copysign(1.0, x)


def _is_int_const(attr, n: int, t: Type) -> bool:
    """Whether an integer constant of type `t` equals `n` (both wrapped to `t`)."""
    v = _splat(attr)
    if v is None or isinstance(v, float):
        return False
    return wrap(int(v), element_type(t)) == wrap(n, element_type(t))


def _splat_attr(value, t: Type) -> Optional[Attribute]:
    """A constant of type `t` with every element `value`."""
    if isinstance(t, ShapedType):
        if t.shape is None or not t.has_static_shape or isinstance(t, MemRefType):
            return None
        return DenseElementsAttr(t, np.asarray(value, dtype=numpy_dtype(t.element_type)))  # a splat view
    return value_to_attr(value, t)


def _defining(v: Value, cls):
    op = v.defining_op
    return op if isinstance(op, cls) else None


# ----------------------------------------------------------------------------
# the op base classes


class ArithOp(Op):
    """Shared machinery: `evaluate` computes results from runtime operand
    values (used by the interpreter and by constant folding); `fold` folds
    constants through it and then tries `fold_identities`."""

    __slots__ = ()

    def evaluate(self, args: List) -> List:
        raise NotImplementedError

    def fold(self, operands: List[Optional[Attribute]]):
        if operands and all(a is not None for a in operands):
            folded = self.fold_constants(operands)
            if folded is not None:
                return folded
        return self.fold_identities(operands)

    def fold_constants(self, operands):
        args = [attr_to_value(a) for a in operands]
        if any(a is None for a in args):
            return None
        if self.has_trait(ElementwiseMappable):
            args = elementwise_operands(args)  # a huge splat folds as its one element
        try:
            with np.errstate(all="ignore"):
                values = self.evaluate(args)
        except ArithError:
            return None
        out = []
        for v, r in zip(values, self.results):
            if _has_nan(v) and not any(_has_nan(a) for a in args):
                # a NaN made here (0/0, inf-inf): MLIR's folder gives the positive quiet NaN,
                # where x86 gives a negative one
                v = _float_result(np.where(np.isnan(v), np.nan, v), r.type)
                if not isinstance(r.type, ShapedType):
                    v = v[()]
            a = value_to_attr(v, r.type)
            if a is None:
                return None
            out.append(a)
        return out

    def fold_identities(self, operands):
        return None


class _FloatBinaryOp(ArithOp):
    """``$lhs, $rhs [fastmath<...>] : type``, floats elementwise."""

    __slots__ = ()
    operand_defs = (Operand("lhs", FloatLike), Operand("rhs", FloatLike))
    result_defs = (Result("result", FloatLike),)
    attribute_defs = (FASTMATH,)
    traits = frozenset({Pure, SameOperandsAndResultType})
    format = "$lhs `,` $rhs (`fastmath` `` $fastmath^)? attr-dict `:` type($result)"

    @staticmethod
    def compute(a, b):
        raise NotImplementedError

    def evaluate(self, args):
        return [_float_result(self.compute(args[0], args[1]), self.results[0].type)]


class _IntBinaryOp(ArithOp):
    """``$lhs, $rhs : type``, integers and index elementwise with wrap-around."""

    __slots__ = ()
    operand_defs = (Operand("lhs", SignlessIntegerOrIndexLike), Operand("rhs", SignlessIntegerOrIndexLike))
    result_defs = (Result("result", SignlessIntegerOrIndexLike),)
    traits = frozenset({Pure, SameOperandsAndResultType})
    format = "$lhs `,` $rhs attr-dict `:` type($result)"

    @staticmethod
    def compute(a: int, b: int, t: Type) -> int:
        """Signed-range Python ints in, the (unwrapped or wrapped) result out."""
        raise NotImplementedError

    # the same on whole numpy arrays (arith_arrays.py): fn(a, b, width) -> result modulo 2^64
    compute_array = None

    def evaluate(self, args):
        t = self.results[0].type
        e = element_type(t)
        w = _int_width(e)
        if self.compute_array is not None and arrays_apply(args, w):
            out = wrapped(self.compute_array(args[0], args[1], w), w, numpy_dtype(e))
            return [np.asarray(np.broadcast_to(out, np.broadcast(*map(np.asarray, args)).shape))]
        return [_elementwise(lambda a, b: wrap(self.compute(a, b, e), e), t, args[0], args[1])]


class _IntBinaryOpWithOverflow(_IntBinaryOp):
    __slots__ = ()
    attribute_defs = (OVERFLOW,)
    format = "$lhs `,` $rhs (`overflow` `` $overflowFlags^)? attr-dict `:` type($result)"


class _IntBinaryOpWithExact(_IntBinaryOp):
    __slots__ = ()
    attribute_defs = (EXACT,)
    format = "$lhs `,` $rhs ($isExact^)? attr-dict `:` type($result)"


# ----------------------------------------------------------------------------
# constant


def _attr_type(a: Attribute) -> Optional[Type]:
    return a.type if isinstance(a, (IntegerAttr, FloatAttr, DenseElementsAttr)) else getattr(a, "type", None)


@arith.op
class ConstantOp(ArithOp):
    """An integer, float or elements constant: ``arith.constant 42 : i32``."""

    __slots__ = ()
    name = "arith.constant"
    summary = "integer or floating point constant"
    attribute_defs = (Attr("value", Attribute),)
    result_defs = (Result("result", AnyType),)
    traits = frozenset({Pure, ConstantLike})
    syntax_rule = "[attr_dict] attribute"

    @classmethod
    def infer_result_types(cls, operand_types, attributes, regions=()):
        t = _attr_type(attributes.get("value"))
        if t is None:
            raise TypeError("cannot infer its result type from a value without a type")
        return [t]

    @classmethod
    def create(cls, value, type: Type, location=UNKNOWN) -> "ConstantOp":
        """A constant of `type` from a Python number (or array for shaped types)."""
        if isinstance(value, Attribute):
            attr = value
        elif isinstance(type, ShapedType):
            attr = DenseElementsAttr(type, np.asarray(value, dtype=numpy_dtype(type.element_type)))
        elif isinstance(type, FloatType):
            attr = FloatAttr(float(value), type)
        else:
            attr = IntegerAttr(wrap(int(value), type), type)
        return cls.build(value=attr, location=location)

    @classmethod
    def parse_custom(cls, parser, name_tok, attrs, value):
        all_attrs = dict(attrs or {})
        if "value" in all_attrs:
            raise parser.error_at(name_tok, "'value' is given after the attribute dictionary")
        all_attrs["value"] = value
        t = _attr_type(value)
        if t is None:
            raise parser.error_at(name_tok, f"'arith.constant' expects a typed value, got {value}")
        return parser.make_op(cls.name, [], [t], all_attrs, [], [], parser.loc_of(name_tok))

    def print_custom(self, p) -> None:
        p.print_optional_attr_dict(self, elided={"value"})
        v = self.attributes["value"]
        if isinstance(v, IntegerAttr) and not (isinstance(v.type, IntegerType) and v.type.width == 1):
            p.write(f" {format_int(v.value, v.type)} : {v.type}")  # MLIR always writes the type, i64 included
        else:
            p.write(" ", str(v))

    def verify(self) -> None:
        v = self.attributes["value"]
        t = self.results[0].type
        vt = _attr_type(v)
        if vt is None:
            raise self.emit_error("attribute 'value' failed to satisfy constraint: TypedAttr instance")
        if vt != t:
            raise self.emit_error("failed to verify that all of {value, result} have same type")
        e = element_type(t)
        if isinstance(t, IntegerType) and t.signedness != "":
            raise self.emit_error("integer return type must be signless")
        if not isinstance(v, (IntegerAttr, FloatAttr, DenseElementsAttr)):
            raise self.emit_error("value must be an integer, float, or elements attribute")
        if isinstance(v, IntegerAttr) and isinstance(e, IntegerType):
            w = e.width
            if not -(1 << (w - 1)) <= v.value < (1 << w):
                raise self.emit_error(f"integer value {v.value} does not fit in {t}")

    def evaluate(self, args):
        return [attr_to_value(self.attributes["value"])]

    def fold(self, operands):
        # Constants are found through the ConstantLike trait; folding one into
        # a fresh copy of itself would only make the rewrite driver loop.
        return None


# ----------------------------------------------------------------------------
# floating-point arithmetic


@arith.op
class AddFOp(_FloatBinaryOp):
    """Floating-point addition."""

    __slots__ = ()
    name = "arith.addf"
    summary = "floating point addition operation"
    traits = _FloatBinaryOp.traits | {Commutative}
    compute = staticmethod(lambda a, b: a + b)

    def fold_identities(self, operands):
        # x + (-0.0) == x for every x (x + 0.0 is not: -0.0 + 0.0 == +0.0)
        if _is_float_const(operands[1], -0.0):
            return [self.lhs]
        if _is_float_const(operands[0], -0.0):
            return [self.rhs]
        return None


@arith.op
class SubFOp(_FloatBinaryOp):
    """Floating-point subtraction."""

    __slots__ = ()
    name = "arith.subf"
    summary = "floating point subtraction operation"
    compute = staticmethod(lambda a, b: a - b)

    def fold_identities(self, operands):
        if _is_float_const(operands[1], 0.0):  # x - (+0.0) == x, -0.0 included
            return [self.lhs]
        return None


@arith.op
class MulFOp(_FloatBinaryOp):
    """Floating-point multiplication (x * 0.0 is never folded: NaN, inf and -0.0)."""

    __slots__ = ()
    name = "arith.mulf"
    summary = "floating point multiplication operation"
    traits = _FloatBinaryOp.traits | {Commutative}
    compute = staticmethod(lambda a, b: a * b)

    def fold_identities(self, operands):
        if _is_float_const(operands[1], 1.0):
            return [self.lhs]
        if _is_float_const(operands[0], 1.0):
            return [self.rhs]
        return None


@arith.op
class DivFOp(_FloatBinaryOp):
    """Floating-point division (IEEE: x/0.0 is ±inf or NaN, not an error)."""

    __slots__ = ()
    name = "arith.divf"
    summary = "floating point division operation"
    compute = staticmethod(lambda a, b: a / b)

    def fold_identities(self, operands):
        if _is_float_const(operands[1], 1.0):
            return [self.lhs]
        return None


@arith.op
class RemFOp(_FloatBinaryOp):
    """Floating-point remainder; the result has the sign of the dividend (C's fmod)."""

    __slots__ = ()
    name = "arith.remf"
    summary = "floating point division remainder operation"
    compute = staticmethod(numpy_function("fmod"))


def _maximum(a, b):
    """IEEE-754 maximum: NaN if either is NaN, and -0.0 < +0.0."""
    r = np.maximum(a, b)
    zeros = (a == 0) & (b == 0)
    return np.where(zeros, np.where(np.signbit(a), b, a), r) if np.any(zeros) else r


def _minimum(a, b):
    r = np.minimum(a, b)
    zeros = (a == 0) & (b == 0)
    return np.where(zeros, np.where(np.signbit(a), a, b), r) if np.any(zeros) else r


def _scalar_like(r, a):
    return r[()] if isinstance(r, np.ndarray) and not isinstance(a, np.ndarray) else r


@arith.op
class MaximumFOp(_FloatBinaryOp):
    """Maximum propagating NaN, with -0.0 < +0.0."""

    __slots__ = ()
    name = "arith.maximumf"
    summary = "floating-point maximum operation"
    traits = _FloatBinaryOp.traits | {Commutative}
    compute = staticmethod(lambda a, b: _scalar_like(_maximum(a, b), a))

    def fold_identities(self, operands):
        if self.lhs is self.rhs:
            return [self.lhs]
        if _is_float_const(operands[1], -math.inf):
            return [self.lhs]
        if _is_float_const(operands[0], -math.inf):
            return [self.rhs]
        return None


@arith.op
class MinimumFOp(_FloatBinaryOp):
    """Minimum propagating NaN, with -0.0 < +0.0."""

    __slots__ = ()
    name = "arith.minimumf"
    summary = "floating-point minimum operation"
    traits = _FloatBinaryOp.traits | {Commutative}
    compute = staticmethod(lambda a, b: _scalar_like(_minimum(a, b), a))

    def fold_identities(self, operands):
        if self.lhs is self.rhs:
            return [self.lhs]
        if _is_float_const(operands[1], math.inf):
            return [self.lhs]
        if _is_float_const(operands[0], math.inf):
            return [self.rhs]
        return None


@arith.op
class MaxNumFOp(_FloatBinaryOp):
    """IEEE maxNum: a NaN operand yields the other operand."""

    __slots__ = ()
    name = "arith.maxnumf"
    summary = "floating-point maximum operation"
    traits = _FloatBinaryOp.traits | {Commutative}
    compute = staticmethod(numpy_function("fmax"))

    def fold_identities(self, operands):
        return [self.lhs] if self.lhs is self.rhs else None


@arith.op
class MinNumFOp(_FloatBinaryOp):
    """IEEE minNum: a NaN operand yields the other operand."""

    __slots__ = ()
    name = "arith.minnumf"
    summary = "floating-point minimum operation"
    traits = _FloatBinaryOp.traits | {Commutative}
    compute = staticmethod(numpy_function("fmin"))

    def fold_identities(self, operands):
        return [self.lhs] if self.lhs is self.rhs else None


@arith.op
class NegFOp(ArithOp):
    """Floating-point negation (flips the sign bit, NaN and zeros included)."""

    __slots__ = ()
    name = "arith.negf"
    summary = "floating point negation"
    operand_defs = (Operand("operand", FloatLike),)
    result_defs = (Result("result", FloatLike),)
    attribute_defs = (FASTMATH,)
    traits = frozenset({Pure, SameOperandsAndResultType})
    format = "$operand (`fastmath` `` $fastmath^)? attr-dict `:` type($result)"

    def evaluate(self, args):
        return [_float_result(np.negative(args[0]), self.results[0].type)]

    def fold_identities(self, operands):
        inner = _defining(self.operand, NegFOp)
        return [inner.operand] if inner is not None else None


# ----------------------------------------------------------------------------
# integer arithmetic lives in arith_integer.py (re-exported here)

from .arith_integer import *  # noqa: E402,F401,F403


# ----------------------------------------------------------------------------
# comparisons


class _CmpOp(ArithOp):
    """``$predicate, $lhs, $rhs : type($lhs)``; the result is i1 of the operands' shape."""

    __slots__ = ()
    result_defs = (Result("result", BoolLike),)
    PREDICATES: Sequence[str] = ()

    @classmethod
    def infer_result_types(cls, operand_types, attributes, regions=()):
        return [with_element_type(operand_types[0], i1)]

    @classmethod
    def create(cls, predicate: str, lhs: Value, rhs: Value, location=UNKNOWN, **attrs):
        """Build from the predicate's keyword: ``CmpFOp.create("olt", x, y)``."""
        if predicate not in cls.PREDICATES:
            raise ValueError(f"unknown {cls.name} predicate '{predicate}'")
        code = IntegerAttr(cls.PREDICATES.index(predicate), i64)
        return cls.build(lhs, rhs, predicate=code, location=location, **attrs)

    @property
    def predicate_name(self) -> str:
        return self.PREDICATES[self.attributes["predicate"].value]

    def verify(self) -> None:
        p = self.attributes["predicate"]
        if p.type != i64 or not 0 <= p.value < len(self.PREDICATES):
            cases = ", ".join(str(i) for i in range(len(self.PREDICATES)))
            raise self.emit_error(
                f"attribute 'predicate' failed to satisfy constraint: allowed 64-bit signless integer cases: {cases}"
            )
        want = with_element_type(self.operands[0].type, i1)
        if self.results[0].type != want:
            raise self.emit_error("failed to verify that result type has i1 element type and same shape as operands")

    def _bool_result(self, r):
        return r.astype(np.bool_) if isinstance(r, np.ndarray) else int(bool(r))


@arith.op
class CmpFOp(_CmpOp):
    """Floating-point comparison; ``o``-predicates are false and ``u``-predicates
    true when either operand is NaN."""

    __slots__ = ()
    name = "arith.cmpf"
    summary = "floating-point comparison operation"
    PREDICATES = CMPF_PREDICATES
    operand_defs = (Operand("lhs", FloatLike), Operand("rhs", FloatLike))
    attribute_defs = (
        Attr("predicate", IntegerAttr, syntax=EnumSyntax(CMPF_PREDICATES)),
        FASTMATH,
    )
    traits = frozenset({Pure, SameTypeOperands})
    format = "$predicate `,` $lhs `,` $rhs (`fastmath` `` $fastmath^)? attr-dict `:` type($lhs)"

    def evaluate(self, args):
        a, b = args
        unordered = np.isnan(a) | np.isnan(b)
        p = self.predicate_name
        if p in ("false", "true"):
            r = np.full(np.shape(a), p == "true") if isinstance(a, np.ndarray) else p == "true"
        elif p in ("ord", "uno"):
            r = ~unordered if p == "ord" else unordered
        else:
            r = _RELATIONS[p[1:]](a, b)
            r = (r & ~unordered) if p[0] == "o" else (r | unordered)
        return [self._bool_result(r)]

    def fold_identities(self, operands):
        p = CMPF_PREDICATES[self.attributes["predicate"].value]
        if p in ("false", "true"):
            a = _splat_attr(1 if p == "true" else 0, self.results[0].type)
            return [a] if a is not None else None
        return None


_RELATIONS = {
    "eq": numpy_function("equal"),
    "ne": numpy_function("not_equal"),
    "gt": numpy_function("greater"),
    "ge": numpy_function("greater_equal"),
    "lt": numpy_function("less"),
    "le": numpy_function("less_equal"),
}


def _cmpi(p: str, a: int, b: int, t: Type) -> int:
    if p in ("eq", "ne"):
        return int((a == b) == (p == "eq"))
    view = to_signed if p[0] == "s" else to_unsigned
    x, y = view(a, t), view(b, t)
    return int({"lt": x < y, "le": x <= y, "gt": x > y, "ge": x >= y}[p[1:]])


_CMPI_ARRAYS = {"eq": "equal", "ne": "not_equal", "lt": "less", "le": "less_equal", "gt": "greater",
                "ge": "greater_equal"}  # numpy's comparison for each predicate (numpy loads lazily)


@arith.op
class CmpIOp(_CmpOp):
    """Integer comparison; ``s``-predicates read the operands as signed,
    ``u``-predicates as unsigned."""

    __slots__ = ()
    name = "arith.cmpi"
    summary = "integer comparison operation"
    PREDICATES = CMPI_PREDICATES
    operand_defs = (Operand("lhs", SignlessIntegerOrIndexLike), Operand("rhs", SignlessIntegerOrIndexLike))
    attribute_defs = (Attr("predicate", IntegerAttr, syntax=EnumSyntax(CMPI_PREDICATES)),)
    traits = frozenset({Pure, SameTypeOperands})
    format = "$predicate `,` $lhs `,` $rhs attr-dict `:` type($lhs)"

    def evaluate(self, args):
        p = self.predicate_name
        t = element_type(self.operands[0].type)
        w = _int_width(t)
        if arrays_apply(args, w):
            view = signed if p[0] == "s" else unsigned
            compare = getattr(np, _CMPI_ARRAYS[p if p in ("eq", "ne") else p[1:]])
            return [np.asarray(compare(view(args[0], w), view(args[1], w)), dtype=np.bool_)]
        return [_elementwise(lambda a, b: _cmpi(p, a, b, t), self.results[0].type, args[0], args[1])]

    def fold_identities(self, operands):
        if self.lhs is self.rhs:
            p = self.predicate_name
            a = _splat_attr(1 if p in ("eq", "sle", "sge", "ule", "uge") else 0, self.results[0].type)
            return [a] if a is not None else None
        return None


# ----------------------------------------------------------------------------
# select


@arith.op
class SelectOp(ArithOp):
    """``arith.select %c, %a, %b : t`` (scalar i1 condition) or
    ``: vector<4xi1>, vector<4xf32>`` (elementwise condition)."""

    __slots__ = ()
    name = "arith.select"
    summary = "select operation"
    operand_defs = (Operand("condition", BoolLike), Operand("true_value"), Operand("false_value"))
    result_defs = (Result("result"),)
    traits = frozenset({Pure})
    syntax_rule = 'value_use "," value_use "," value_use [attr_dict] ":" type ["," type]'

    @classmethod
    def infer_result_types(cls, operand_types, attributes, regions=()):
        return [operand_types[1]]

    @classmethod
    def parse_custom(cls, parser, name_tok, cond, tv, fv, attrs, t1, t2):
        cond_type, result_type = (i1, t1) if t2 is None else (t1, t2)
        for v, t in ((cond, cond_type), (tv, result_type), (fv, result_type)):
            parser.check_operand_type(v, t, name_tok)
        return parser.make_op(
            cls.name, [cond, tv, fv], [result_type], dict(attrs or {}), [], [], parser.loc_of(name_tok)
        )

    def print_custom(self, p) -> None:
        p.write(" ")
        p.print_operands(self.operands)
        p.print_optional_attr_dict(self)
        p.write(" : ")
        cond_type = self.condition.type
        if isinstance(cond_type, ShapedType):
            p.write(str(cond_type), ", ")
        p.write(str(self.results[0].type))

    def verify(self) -> None:
        tv, fv, r = self.true_value.type, self.false_value.type, self.results[0].type
        if not tv == fv == r:
            raise self.emit_error("failed to verify that all of {true_value, false_value, result} have same type")
        c = self.condition.type
        if c == i1:
            verify_elementwise(self)
            return
        if not (isinstance(c, ShapedType) and isinstance(r, ShapedType) and c.shape is not None and c.shape == r.shape):
            raise self.emit_error("failed to verify that condition is signless i1 or has matching shape")
        verify_elementwise(self)  # MLIR's ElementwiseMappable trait, after the predicate above
        want = with_element_type(r, i1)  # keeps a tensor's encoding and a vector's scalable dims
        if c != want:
            raise self.emit_error(
                "expected condition type to have the same shape as the result type, "
                f"expected '{want}', but got '{c}'"
            )

    def evaluate(self, args):
        c, a, b = args
        if isinstance(c, np.ndarray):
            return [np.where(c, a, b).astype(np.asarray(a).dtype, copy=False)]
        return [a if c else b]

    def fold_identities(self, operands):
        if self.true_value is self.false_value:
            return [self.true_value]
        c = _splat(operands[0])
        if c is not None:
            return [self.true_value if c else self.false_value]
        t = self.results[0].type
        if t == i1 and _is_int_const(constant_value(self.true_value), 1, t) and _is_int_const(
            constant_value(self.false_value), 0, t
        ):
            return [self.condition]  # select(c, true, false) == c
        return None

    def fold(self, operands):
        # picking an operand beats making a new constant, so identities go first
        folded = self.fold_identities(operands)
        if folded is None and all(a is not None for a in operands):
            folded = self.fold_constants(operands)
        return folded


# ----------------------------------------------------------------------------
# casts live in arith_casts.py (this dialect's second file); importing it here
# registers them before the interpreter rules below are attached to every op

from .arith_casts import *  # noqa: E402,F401,F403
from .arith_extended import *  # noqa: E402,F401,F403


# ----------------------------------------------------------------------------
# canonicalization patterns


_SWAPPED = {"gt": "lt", "lt": "gt", "ge": "le", "le": "ge"}


def swapped_predicate(p: str) -> str:
    """The predicate that holds for (b, a) exactly when `p` holds for (a, b)."""
    for k, v in _SWAPPED.items():
        if p.endswith(k) and len(p) == len(k) + 1:
            return p[0] + v
    return p


class MoveCmpConstantToRight(RewritePattern):
    """``cmp p, c, x -> cmp swap(p), x, c`` (slt <-> sgt, ole <-> oge ...)."""

    root = None

    def match_and_rewrite(self, op, rewriter) -> bool:
        if not isinstance(op, _CmpOp):
            return False
        lhs, rhs = op.operands
        if constant_value(lhs) is None or constant_value(rhs) is not None:
            return False
        p = swapped_predicate(op.predicate_name)

        def swap():
            op.set_operands([rhs, lhs])
            op.attributes["predicate"] = IntegerAttr(op.PREDICATES.index(p), i64)

        rewriter.modify_op_in_place(op, swap)
        return True


# (constants of Commutative ops move right through canonicalize's generic pattern)
CmpFOp.canonicalization_patterns = (MoveCmpConstantToRight(),)
CmpIOp.canonicalization_patterns = (MoveCmpConstantToRight(),)


# ----------------------------------------------------------------------------
# interpreter rules: every arith op runs its `evaluate`


# every arith op but the constant maps elementwise over tensors and vectors, as in MLIR
add_trait([cls for cls in arith.ops.values() if cls is not ConstantOp], ElementwiseMappable)


@interpret.register(*arith.ops.values())
def _interpret_arith(interp, op, args):
    try:
        with np.errstate(all="ignore"):
            return op.evaluate(args)
    except ArithError as e:
        raise runtime_error(op, str(e)) from None
