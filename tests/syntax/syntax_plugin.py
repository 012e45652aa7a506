"""A test dialect whose ops use the shipped custom directives (ir/custom_directives.py)
and whose types and attributes have their own syntax.  Loaded with
`irc opt --load-plugin syntax_plugin.py`; the arrays issue's tensor, memref and
linalg ops will use the same directives."""

from dataclasses import dataclass

from irc.attributes import DenseArrayAttr, DialectAttr, IntegerAttr, KeywordWithParams, StringAttr, TypeAttr
from irc.custom_directives import DYNAMIC_INDEX
from irc.opdef import AnyType, Attr, Dialect, Index, Op, Operand, RegionDef, Result
from irc.traits import NoTerminator
from irc.types import DialectType, Type

testsyn = Dialect("testsyn", "custom directives and dialect type syntax, for tests")


@testsyn.op
class SliceOp(Op):
    """A slice of `source` at offsets mixing index values and constants: `[%a, 4, %b]`."""

    name = "testsyn.slice"
    operand_defs = (Operand("source", AnyType), Operand("offsets", Index, variadic=True))
    result_defs = (Result("result", AnyType),)
    attribute_defs = (Attr("static_offsets", DenseArrayAttr),)
    format = "$source custom<DynamicIndexList>($offsets, $static_offsets) attr-dict `:` type($source) `->` type($result)"

    def verify(self) -> None:
        dynamic = sum(1 for s in self.attributes["static_offsets"].values if s == DYNAMIC_INDEX)
        if dynamic != len(self.offsets):
            raise self.emit_error(f"expected {dynamic} dynamic offsets, got {len(self.offsets)}")


@testsyn.op
class GenericOp(Op):
    """Input and output operand groups with their types, as linalg writes them."""

    name = "testsyn.generic"
    operand_defs = (Operand("inputs", AnyType, variadic=True), Operand("outputs", AnyType, variadic=True))
    result_defs = (Result("results", AnyType, variadic=True),)
    format = "custom<Ins>($inputs, type($inputs)) custom<Outs>($outputs, type($outputs)) attr-dict (`->` type($results)^)?"


@testsyn.op
class LoopOp(Op):
    """A region whose entry block arguments are named in the op's header: `(%i: index) { ... }`."""

    name = "testsyn.loop"
    region_defs = (RegionDef("body"),)
    traits = frozenset({NoTerminator})
    format = "custom<EntryArguments>($body) $body attr-dict"


# ----------------------------------------------------------------------------
# types and attributes with their own syntax, as MLIR's LLVM and GPU dialects write theirs:
# `!testsyn.ptr`, `!testsyn.ptr<1>`, `!testsyn.struct<(ptr, i64)>`, `!testsyn.struct<"id", (ptr)>`,
# `#testsyn.address_space<workgroup>`, `#testsyn.revolve<snapshots = 8>`


def _element_type(param) -> Type:
    """A struct element: a builtin or full dialect type, or this dialect's short form (`ptr`, `struct<...>`)."""
    if isinstance(param, TypeAttr):
        return param.value
    if isinstance(param, str) and param == "ptr":
        return PtrType.of()
    if isinstance(param, KeywordWithParams) and param.keyword in _SHORT_FORMS:
        return _SHORT_FORMS[param.keyword].from_params(param.params)
    raise ValueError(f"expected a type, got '{param}'")


def _short(t: Type) -> str:
    """How an element type is written inside this dialect's types (without `!testsyn.`)."""
    return str(t)[len("!testsyn."):] if isinstance(t, (PtrType, StructType)) else str(t)


@testsyn.type
@dataclass(frozen=True, repr=False)
class PtrType(DialectType):
    """`!testsyn.ptr`, or `!testsyn.ptr<N>` in address space N (MLIR's `!llvm.ptr`)."""

    type_name = "testsyn.ptr"

    @classmethod
    def of(cls, address_space: int = 0) -> "PtrType":
        return cls(cls.type_name, (address_space,) if address_space else ())

    @classmethod
    def from_params(cls, params) -> "PtrType":
        if not params:
            return cls.of()
        if len(params) == 1 and isinstance(params[0], IntegerAttr):
            return cls.of(params[0].value)
        raise ValueError("expected an address space, as in !testsyn.ptr<1>")

    def __str__(self) -> str:
        return f"!{self.type_name}<{self.params[0]}>" if self.params else f"!{self.type_name}"


@testsyn.type
@dataclass(frozen=True, repr=False)
class StructType(DialectType):
    """`!testsyn.struct<(ptr, i64)>`, or named: `!testsyn.struct<"id", (ptr)>` (MLIR's `!llvm.struct`)."""

    type_name = "testsyn.struct"

    @classmethod
    def from_params(cls, params) -> "StructType":
        name = None
        if params and isinstance(params[0], StringAttr):
            name, params = params[0].value, params[1:]
        if len(params) != 1 or not isinstance(params[0], tuple):
            raise ValueError("expected a parenthesized list of element types, as in !testsyn.struct<(ptr, i64)>")
        return cls(cls.type_name, (name, tuple(_element_type(p) for p in params[0])))

    @property
    def elements(self):
        return self.params[1]

    def __str__(self) -> str:
        name, elements = self.params
        label = f'"{name}", ' if name is not None else ""
        return f"!{self.type_name}<{label}({', '.join(_short(t) for t in elements)})>"


_SHORT_FORMS = {"ptr": PtrType, "struct": StructType}


@testsyn.attribute
@dataclass(frozen=True, repr=False)
class AddressSpaceAttr(DialectAttr):
    """`#testsyn.address_space<workgroup>` (MLIR's `#gpu.address_space`)."""

    attr_name = "testsyn.address_space"
    SPACES = ("global", "workgroup", "private")

    @classmethod
    def from_params(cls, params) -> "AddressSpaceAttr":
        if len(params) != 1 or params[0] not in cls.SPACES:
            raise ValueError(f"expected one of {', '.join(cls.SPACES)}")
        return cls(cls.attr_name, (str(params[0]),))


@testsyn.attribute
@dataclass(frozen=True, repr=False)
class RevolveAttr(DialectAttr):
    """`#testsyn.revolve<snapshots = 8>`: a checkpointing schedule's parameters, by name."""

    attr_name = "testsyn.revolve"

    @classmethod
    def from_params(cls, params) -> "RevolveAttr":
        pairs = dict((k[1:], v) for k, v in params if isinstance(k, str) and k.startswith("="))
        if set(pairs) != {"snapshots"} or not isinstance(pairs["snapshots"], IntegerAttr):
            raise ValueError("expected snapshots = N")
        return cls(cls.attr_name, (("=snapshots", pairs["snapshots"]),))
