"""The builtin dialect: `builtin.module` and `builtin.unrealized_conversion_cast`."""

from __future__ import annotations

from ..attributes import StringAttr
from ..core import Block, Region
from ..location import UNKNOWN
from ..opdef import Attr, Dialect, Op, Operand, RegionDef, Result
from ..traits import IsolatedFromAbove, NoTerminator, Pure, SingleBlock, Symbol, SymbolTable

builtin = Dialect("builtin", "modules and casts between type systems")


@builtin.op
class ModuleOp(Op):
    """A top-level container of symbols (functions, globals, nested modules)."""

    name = "builtin.module"
    aliases = ("module",)
    printed_name = "module"
    summary = "a top-level container of operations"
    attribute_defs = (Attr("sym_name", StringAttr, optional=True), Attr("sym_visibility", StringAttr, optional=True))
    region_defs = (RegionDef("body_region"),)
    traits = frozenset({IsolatedFromAbove, SymbolTable, NoTerminator, SingleBlock, Symbol})
    syntax_rule = "[SYMBOL] [attr_dict_kw] region"

    @property
    def body(self) -> Block:
        region = self.regions[0]
        if not region.blocks:
            region.add_block()
        return region.blocks[0]

    @classmethod
    def build_empty(cls, name: str = None, location=UNKNOWN) -> "ModuleOp":
        attrs = {"sym_name": StringAttr(name)} if name else {}
        return cls.build(regions=[Region([Block()])], location=location, attributes=attrs)

    @classmethod
    def parse_custom(cls, ctx, name_tok, sym, attrs, region):
        all_attrs = dict(attrs or {})
        if sym is not None:
            s = sym.value if hasattr(sym, "value") else str(sym)
            all_attrs["sym_name"] = StringAttr(s[1:].strip('"'))
        if not region.blocks:
            region.add_block()
        return ctx.make_op(cls.name, [], [], all_attrs, [region], [], ctx.loc_of(name_tok))

    def print_custom(self, p) -> None:
        from ..attributes import format_symbol

        if "sym_name" in self.attributes:
            p.write(" ", format_symbol(self.attributes["sym_name"].value))
        p.print_optional_attr_dict(self, elided={"sym_name"}, keyword=True)
        p.write(" ")
        p.print_region(self.regions[0])

    def verify(self) -> None:
        if self.regions and self.regions[0].blocks and self.regions[0].blocks[0].arguments:
            raise self.emit_error("expects region to have no arguments")


@builtin.op
class UnrealizedConversionCastOp(Op):
    """A placeholder cast between type systems during partial conversions."""

    name = "builtin.unrealized_conversion_cast"
    operand_defs = (Operand("inputs", variadic=True),)
    result_defs = (Result("outputs", variadic=True),)
    traits = frozenset({Pure})
    format = "($inputs^ `:` type($inputs))? `to` type($outputs) attr-dict"
