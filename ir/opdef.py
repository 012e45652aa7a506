"""Declarative op definitions, the dialect registry and op interfaces.

An op is a class whose fields are its signature::

    @arith.op
    class AddFOp(Op):
        name = "arith.addf"
        operand_defs = (Operand("lhs", FloatLike), Operand("rhs", FloatLike))
        result_defs = (Result("result", FloatLike),)
        attribute_defs = (Attr("fastmath", FastMathAttr, optional=True),)
        traits = frozenset({Pure, Commutative, SameOperandsAndResultType})
        format = "$lhs `,` $rhs (`fastmath` `` $fastmath^)? attr-dict `:` type($result)"

From that one declaration come the accessors (``op.lhs``), the builder
(``AddFOp.build(a, b)``), the verifier of counts, types and attributes, and
(through ``assembly_format``) the parser rule and the printer.  Behaviour
that passes need (interpretation, derivative rules, lowering) attaches
through interfaces (``ir/interfaces.py``), attached to the op class from
its dialect's files, so a new dialect plugs into every pass without editing
the pass.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple

from .attributes import Attribute, DenseArrayAttr
from .context import current_context, default_context, register
from .core import Block, Operation, Region, Value
from .location import UNKNOWN, Location
from .types import (
    FloatType,
    IndexType,
    IntegerType,
    MemRefType,
    ShapedType,
    TensorType,
    Type,
    element_type,
    i32,
    is_bool_like,
    is_float_like,
    is_integer_like,
)

# ----------------------------------------------------------------------------
# type constraints


_NOTHING = object()


class TypeConstraint:
    """A named predicate on types; `description` appears in diagnostics."""

    def __init__(self, description: str, predicate: Callable[[Type], bool]):
        self.description = description
        self.predicate = predicate
        self._cache: Dict[Type, bool] = {}  # types are immutable and hashable
        self._last = (_NOTHING, False)  # the last type checked and its answer: most ops share type objects

    def check(self, t: Type) -> bool:
        last = self._last
        if last[0] is t:
            return last[1]
        ok = self._cache.get(t)
        if ok is None:
            ok = self._cache[t] = bool(self.predicate(t))
        self._last = (t, ok)
        return ok

    def __or__(self, other: "TypeConstraint") -> "TypeConstraint":
        return TypeConstraint(f"{self.description} or {other.description}", lambda t: self.check(t) or other.check(t))


AnyType = TypeConstraint("any type", lambda t: True)
FloatLike = TypeConstraint("floating-point-like", is_float_like)
IntegerLike = TypeConstraint("signless-integer-like", is_integer_like)
BoolLike = TypeConstraint("bool-like (i1)", is_bool_like)
AnyFloat = TypeConstraint("floating-point", lambda t: isinstance(t, FloatType))
AnyInteger = TypeConstraint("integer", lambda t: isinstance(t, IntegerType))
Index = TypeConstraint("index", lambda t: isinstance(t, IndexType))
I1 = TypeConstraint("i1", lambda t: isinstance(t, IntegerType) and t.width == 1)
AnySignlessIntegerOrIndex = TypeConstraint(
    "signless integer or index", lambda t: isinstance(t, IndexType) or (isinstance(t, IntegerType) and t.signedness == "")
)
AnyTensor = TypeConstraint("tensor", lambda t: isinstance(t, TensorType))
AnyMemRef = TypeConstraint("memref", lambda t: isinstance(t, MemRefType))
AnyShaped = TypeConstraint("shaped", lambda t: isinstance(t, ShapedType))
IndexLike = TypeConstraint("index-like", lambda t: isinstance(element_type(t), IndexType))
ScalarIntOrFloatOrIndex = TypeConstraint(
    "integer, index or float", lambda t: isinstance(t, (IntegerType, IndexType, FloatType))
)


# ----------------------------------------------------------------------------
# declarations


@dataclass(frozen=True)
class Operand:
    name: str
    constraint: TypeConstraint = AnyType
    variadic: bool = False
    optional: bool = False


@dataclass(frozen=True)
class Result:
    name: str
    constraint: TypeConstraint = AnyType
    variadic: bool = False


@dataclass(frozen=True)
class Attr:
    """An inherent attribute (printed as a property in the generic form)."""

    name: str
    kind: Any = Attribute  # an Attribute subclass (or tuple of them)
    optional: bool = False
    description: str = ""
    # how the attribute is written in a custom form (an AttrSyntax: EnumSyntax ...)
    syntax: Any = None
    # MLIR's DefaultValuedAttr: a custom form omits the attribute when it equals this
    default: Any = None


@dataclass(frozen=True)
class RegionDef:
    name: str
    variadic: bool = False


@dataclass(frozen=True)
class SuccessorDef:
    name: str
    variadic: bool = False


class Op(Operation):
    """Base of registered ops; subclasses declare their shape as class fields."""

    __slots__ = ()
    name = ""
    registered = True
    operand_defs: Tuple[Operand, ...] = ()
    result_defs: Tuple[Result, ...] = ()
    attribute_defs: Tuple[Attr, ...] = ()
    region_defs: Tuple[RegionDef, ...] = ()
    successor_defs: Tuple[SuccessorDef, ...] = ()
    traits: frozenset = frozenset()
    format: Optional[str] = None
    # Short names accepted (and printed where `print_short_in` is the parent op).
    aliases: Tuple[str, ...] = ()
    summary = ""
    canonicalization_patterns: Tuple[Any, ...] = ()
    dialect: Optional["Dialect"] = None
    _attr_defaults: Tuple[Tuple[str, Attribute], ...] = ()
    _variadic_regions = False
    _variadic_successors = False

    def __init_subclass__(cls, **kw):
        super().__init_subclass__(**kw)
        if isinstance(cls.traits, (set, tuple, list)):
            cls.traits = frozenset(cls.traits)
        for i, d in enumerate(cls.operand_defs):
            if d.name and not hasattr(Operation, d.name):
                setattr(cls, d.name, property(_operand_getter(i)))
        for i, d in enumerate(cls.result_defs):
            if d.name and not hasattr(Operation, d.name):
                setattr(cls, d.name, property(_result_getter(i)))
        for d in cls.attribute_defs:
            if not hasattr(Operation, d.name) and not isinstance(getattr(cls, d.name, None), (property,)):
                setattr(cls, d.name, property(lambda self, _n=d.name: self.attributes.get(_n)))
        for i, d in enumerate(cls.region_defs):
            setattr(cls, d.name, property(lambda self, _i=i: self.regions[_i] if _i < len(self.regions) else None))
        cls._format_cache = None
        # no variadic or optional groups: operand i is group i (the common, fast case)
        cls._fixed_operands = not any(d.variadic or d.optional for d in cls.operand_defs)
        cls._fixed_results = not any(d.variadic for d in cls.result_defs)
        cls._variadic_regions = any(r.variadic for r in cls.region_defs)
        cls._variadic_successors = any(s.variadic for s in cls.successor_defs)
        # DefaultValuedAttr: always present on the op, as MLIR keeps them in its properties
        cls._attr_defaults = tuple(
            (d.name, d.default) for d in cls.attribute_defs if getattr(d, "default", None) is not None
        )

    # -- segments ---------------------------------------------------------------
    @classmethod
    def _segments(cls, defs, count: int, sizes_attr: Optional[Attribute]):
        """Split `count` values among `defs` (variadic ones get the rest)."""
        if sizes_attr is not None and isinstance(sizes_attr, DenseArrayAttr):
            sizes = list(sizes_attr.values)
            if sizes_attr.element_type != i32 or any(s < 0 for s in sizes):
                raise ValueError("segment sizes must be a dense array of non-negative i32")
            out, pos = [], 0
            for s in sizes:
                out.append((pos, pos + s))
                pos += s
            return out
        n_var = sum(1 for d in defs if getattr(d, "variadic", False) or getattr(d, "optional", False))
        fixed = len(defs) - n_var
        out, pos = [], 0
        rest = count - fixed
        for d in defs:
            if getattr(d, "variadic", False) or getattr(d, "optional", False):
                size = rest if n_var == 1 else None
                if size is None:
                    raise ValueError(f"{cls.name}: several variadic groups need operandSegmentSizes")
                out.append((pos, pos + size))
                pos += size
            else:
                out.append((pos, pos + 1))
                pos += 1
        return out

    def operand_group(self, i: int) -> List[Value]:
        cls = type(self)
        if cls._fixed_operands:
            return self._operands[i:i + 1]
        segs = type(self)._segments(self.operand_defs, len(self._operands), self.attributes.get("operandSegmentSizes"))
        a, b = segs[i]
        return self._operands[a:b]

    def result_group(self, i: int):
        if type(self)._fixed_results:
            return self.results[i:i + 1]
        segs = type(self)._segments(self.result_defs, len(self.results), self.attributes.get("resultSegmentSizes"))
        a, b = segs[i]
        return self.results[a:b]

    # -- builder --------------------------------------------------------------
    @classmethod
    def build(
        cls,
        *operands,
        result_types: Optional[Sequence[Type]] = None,
        regions: Sequence[Region] = (),
        successors: Sequence[Block] = (),
        location: Location = UNKNOWN,
        attributes: Optional[Dict[str, Attribute]] = None,
        **attrs,
    ) -> "Op":
        """Create the op from positional operands (a list for a variadic group)
        and attributes by keyword; result types are inferred when omitted."""
        flat: List[Value] = []
        sizes = []
        for o in operands:
            if isinstance(o, (list, tuple)):
                flat.extend(o)
                sizes.append(len(o))
            elif o is None:
                sizes.append(0)
            else:
                flat.append(o)
                sizes.append(1)
        all_attrs = dict(attributes or {})
        for k, v in attrs.items():
            if v is not None:
                all_attrs[k] = v
        for k, v in cls._attr_defaults:
            all_attrs.setdefault(k, v)
        n_var = sum(1 for d in cls.operand_defs if d.variadic or d.optional)
        if n_var > 1 and "operandSegmentSizes" not in all_attrs:
            all_attrs["operandSegmentSizes"] = DenseArrayAttr(i32, tuple(sizes))
        if result_types is None:
            result_types = cls.infer_result_types([v.type for v in flat], all_attrs, regions)
        op = cls.__new__(cls)
        Operation.__init__(op, flat, result_types, all_attrs, regions, successors, location)
        return op

    @classmethod
    def infer_result_types(cls, operand_types: List[Type], attributes: Dict[str, Attribute], regions=()) -> List[Type]:
        """Result types from operand types; ops override where the rule differs."""
        from .traits import SameOperandsAndResultType

        n_fixed = [d for d in cls.result_defs if not d.variadic]
        if not cls.result_defs:
            return []
        if SameOperandsAndResultType in cls.traits and operand_types and len(n_fixed) == len(cls.result_defs):
            return [operand_types[0]] * len(cls.result_defs)
        raise TypeError(f"'{cls.name}' cannot infer its result types; pass result_types=")

    # -- verification of the declaration -----------------------------------------
    def verify_declaration(self) -> None:
        cls = type(self)
        self._verify_values(cls.operand_defs, self._operands, "operand", "operandSegmentSizes")
        self._verify_values(cls.result_defs, self.results, "result", "resultSegmentSizes")
        for d in cls.attribute_defs:
            a = self.attributes.get(d.name)
            if a is None:
                if not d.optional:
                    raise self.emit_error(f"requires attribute '{d.name}'")
                continue
            if not isinstance(a, d.kind):
                kinds = d.kind if isinstance(d.kind, tuple) else (d.kind,)
                want = d.description or " or ".join(k.__name__ for k in kinds)
                raise self.emit_error(f"attribute '{d.name}' failed to satisfy constraint: {want}")
        n_regions = len(cls.region_defs)
        variadic_regions = cls._variadic_regions
        if (not variadic_regions and len(self.regions) != n_regions) or (
            variadic_regions and len(self.regions) < n_regions - 1
        ):
            raise self.emit_error(f"requires {n_regions} region{'s' if n_regions != 1 else ''}, got {len(self.regions)}")
        n_succ = len(cls.successor_defs)
        if not cls._variadic_successors and len(self.successors) != n_succ:
            raise self.emit_error(f"requires {n_succ} successors, got {len(self.successors)}")

    def _verify_values(self, defs, values, what: str, seg_attr: str) -> None:
        if (type(self)._fixed_operands if what == "operand" else type(self)._fixed_results) and len(values) == len(
            defs
        ):
            # the common case: one value per declared operand/result
            for k, (d, v) in enumerate(zip(defs, values)):
                if not d.constraint.check(v.type):
                    raise self.emit_error(
                        f"{what} #{k} ('{d.name}') must be {d.constraint.description}, but got {v.type}"
                    )
            return
        n_var = sum(1 for d in defs if getattr(d, "variadic", False) or getattr(d, "optional", False))
        fixed = len(defs) - n_var
        if n_var == 0 and len(values) != fixed:
            raise self.emit_error(f"expected {fixed} {what}{'s' if fixed != 1 else ''}, but found {len(values)}")
        if n_var and len(values) < fixed:
            raise self.emit_error(f"expected at least {fixed} {what}s, but found {len(values)}")
        if n_var > 1 and seg_attr not in self.attributes:
            raise self.emit_error(f"requires attribute '{seg_attr}'")
        try:
            segs = type(self)._segments(defs, len(values), self.attributes.get(seg_attr))
        except ValueError as e:
            raise self.emit_error(str(e))
        if len(segs) != len(defs):  # MLIR's wording (before properties)
            raise self.emit_error(f"'{seg_attr}' attribute for specifying {what} segments must have {len(defs)} "
                                  f"elements, but got {len(segs)}")
        if segs and segs[-1][1] != len(values):
            raise self.emit_error(f"'{seg_attr}' does not add up to the number of {what}s")
        for d, (a, b) in zip(defs, segs):
            if getattr(d, "optional", False) and b - a > 1:
                raise self.emit_error(f"{what} group '{d.name}' takes at most one value")
            for k in range(a, b):
                t = values[k].type
                if not d.constraint.check(t):
                    label = f"#{k}" if what == "operand" else f"#{k}"
                    raise self.emit_error(f"{what} {label} ('{d.name}') must be {d.constraint.description}, but got {t}")


def _operand_getter(i):
    def get(self):
        cls = type(self)
        d = cls.operand_defs[i]
        if not (d.variadic or d.optional) and all(not (x.variadic or x.optional) for x in cls.operand_defs[:i]):
            return self._operands[i] if i < len(self._operands) else None
        group = self.operand_group(i)
        if d.optional:
            return group[0] if group else None
        return group if d.variadic else group[0]

    return get


def _result_getter(i):
    def get(self):
        cls = type(self)
        d = cls.result_defs[i]
        if not d.variadic and all(not x.variadic for x in cls.result_defs[:i]):
            return self.results[i]
        group = self.result_group(i)
        return group if d.variadic else group[0]

    return get


# ----------------------------------------------------------------------------
# dialects and the registry


class Dialect:
    """A namespace of ops, types and attributes; plugins create new ones.

    Registration goes through the context (ir/context.py): irc's own dialects
    join every context, a plugin's joins the context it is loaded into."""

    def __init__(self, name: str, summary: str = ""):
        self.name = name
        self.summary = summary
        self.ops: Dict[str, type] = {}
        self.types: Dict[str, type] = {}
        self.attributes: Dict[str, type] = {}
        # custom lark rules for ops whose syntax a format string cannot say
        self.grammar_fragments: List[str] = []
        register("dialects", name, self, sys._getframe(1).f_globals.get("__name__"))

    def op(self, cls):
        """Class decorator registering an op class with this dialect."""
        assert cls.name.startswith(self.name + "."), f"{cls.name} is not in dialect {self.name}"
        cls.dialect = self
        self.ops[cls.name] = cls
        register("ops", cls.name, cls, cls.__module__)
        for alias in cls.aliases:
            register("ops", alias, cls, cls.__module__)
        return cls

    def type(self, cls):
        """Register a parametric type class (subclass of DialectType with `name`)."""
        self.types[cls.type_name] = cls
        register("types", cls.type_name, cls, cls.__module__)
        return cls

    def attribute(self, cls):
        """Register a parametric attribute class (subclass of DialectAttr with `name`)."""
        self.attributes[cls.attr_name] = cls
        register("attributes", cls.attr_name, cls, cls.__module__)
        return cls

    def materialize_constant(self, builder, value: Attribute, type: Type, location: Location):
        """Create a constant op for a folded value (dialects override)."""
        return None


# the default context's registries (the command line's and `import irc`'s); name lookups
# that must follow an embedder's own context use `current_context()` instead
DIALECTS: Dict[str, Dialect] = default_context().dialects
OPS: Dict[str, type] = default_context().ops
TYPES: Dict[str, type] = default_context().types
ATTRS: Dict[str, type] = default_context().attributes


class UnregisteredOp(Operation):
    """An op of an unknown dialect, kept in generic form."""

    __slots__ = ()


def create_operation(
    name: str,
    operands: Sequence[Value] = (),
    result_types: Sequence[Type] = (),
    attributes: Optional[Dict[str, Attribute]] = None,
    regions: Sequence[Region] = (),
    successors: Sequence[Block] = (),
    location: Location = UNKNOWN,
    ops: Optional[Dict[str, type]] = None,
) -> Operation:
    """Build an op by name: an instance of its class when registered (in `ops`, by default
    the current context's), else generic."""
    cls = (current_context().ops if ops is None else ops).get(name)
    if cls is None:
        op = UnregisteredOp(operands, result_types, attributes, regions, successors, location, name=name)
        return op
    op = cls.__new__(cls)
    Operation.__init__(op, operands, result_types, attributes, regions, successors, location)
    for k, v in cls._attr_defaults:  # into the op's own copy of `attributes`
        op.attributes.setdefault(k, v)
    return op
