"""The func dialect: functions, calls and returns (MLIR syntax)."""

from __future__ import annotations

from typing import Optional, Sequence

from ..attributes import ArrayAttr, DictionaryAttr, StringAttr, SymbolRefAttr, TypeAttr, format_symbol
from ..core import Block, Region
from ..location import UNKNOWN
from ..opdef import Attr, Dialect, Op, Operand, RegionDef, Result
from ..functions import CallLike, FunctionLike
from ..symbols import lookup_symbol
from ..traits import (
    AutomaticAllocationScope,
    HasParent,
    IsolatedFromAbove,
    Pure,
    ReturnLike,
    Symbol,
    Terminator,
)
from ..types import FunctionType

func = Dialect("func", "functions, calls and returns")


def _tok_text(tok):
    return tok.value if hasattr(tok, "value") else str(tok)


def _func_signature(ctx, *children):
    """Callback of `func_signature`: the arguments (name token or None, type, attributes, location) and results."""
    *args, results = children
    args = [a for a in args if a is not None]
    named = [a for a in args if a[0] is not None]
    if named and len(named) != len(args):
        raise ctx.error_at(named[0][0], "expected SSA identifier for every argument or for none")
    return (args, results if results is not None else [])


def _func_arg(ctx, name, t, attrs, loc):
    return (name, t, attrs, loc)


def _func_arg_name(ctx, tok):
    return tok


def _func_results(ctx, *items):
    out = []
    for it in items:
        if it is None:
            continue
        out.append(it if isinstance(it, tuple) else (it, None))
    return out


def _func_result(ctx, t, attrs):
    return (t, attrs)


def _visibility(ctx, tok):
    return tok


@func.op
class FuncOp(Op):
    """A function: a symbol with a signature and (unless external) a body."""

    name = "func.func"
    summary = "a function with a body region, or an external declaration"
    attribute_defs = (
        Attr("sym_name", StringAttr),
        Attr("function_type", TypeAttr),
        Attr("sym_visibility", StringAttr, optional=True),
        Attr("arg_attrs", ArrayAttr, optional=True),
        Attr("res_attrs", ArrayAttr, optional=True),
    )
    region_defs = (RegionDef("body"),)
    traits = frozenset({IsolatedFromAbove, Symbol, AutomaticAllocationScope})
    syntax_rule = "[func_visibility] SYMBOL func_signature [attr_dict_kw] [region]"
    syntax_subrules = {
        "!func_visibility": ('"private" | "public" | "nested"', _visibility),
        "func_signature": ('"(" [func_arg ("," func_arg)*] ")" [func_results]', _func_signature),
        "func_arg": ("[func_arg_name] type [attr_dict] [trailing_loc]", _func_arg),
        "func_arg_name": ('VALUE_ID ":"', _func_arg_name),
        "func_results": ('"->" "(" [func_result ("," func_result)*] ")" | "->" non_function_type', _func_results),
        "func_result": ("type [attr_dict]", _func_result),
    }

    # -- construction ----------------------------------------------------------------
    @classmethod
    def create(
        cls,
        name: str,
        function_type: FunctionType,
        arg_names: Sequence[Optional[str]] = (),
        visibility: Optional[str] = None,
        declaration: bool = False,
        location=UNKNOWN,
        attributes=None,
    ) -> "FuncOp":
        """A function with an entry block whose arguments match `function_type`."""
        attrs = {"sym_name": StringAttr(name), "function_type": TypeAttr(function_type)}
        if visibility:
            attrs["sym_visibility"] = StringAttr(visibility)
        attrs.update(attributes or {})
        region = Region()
        if not declaration:
            region.add_block(Block(function_type.inputs, arg_names))
        return cls.build(regions=[region], location=location, attributes=attrs)

    @classmethod
    def parse_custom(cls, ctx, name_tok, visibility, sym, signature, attrs, region):
        args, results = signature
        name = _tok_text(sym)[1:]
        if name.startswith('"'):
            name = name[1:-1]
        ftype = FunctionType(tuple(a[1] for a in args), tuple(r[0] for r in results))
        all_attrs = dict(attrs or {})
        # (MLIR takes `arg_attrs`/`res_attrs` from the dictionary; the verifier checks them)
        for k in ("sym_name", "function_type", "sym_visibility"):
            if k in all_attrs:
                raise ctx.error_at(
                    name_tok,
                    f"custom op 'func.func' '{k}' is an inferred attribute and should not be specified "
                    "in the explicit attribute dictionary",
                )
        all_attrs["sym_name"] = StringAttr(name)
        all_attrs["function_type"] = TypeAttr(ftype)
        if visibility is not None:
            all_attrs["sym_visibility"] = StringAttr(_tok_text(visibility))
        if any(a[2] for a in args):
            all_attrs["arg_attrs"] = ArrayAttr(tuple(DictionaryAttr(tuple((a[2] or {}).items())) for a in args))
        if any(r[1] for r in results):
            all_attrs["res_attrs"] = ArrayAttr(tuple(DictionaryAttr(tuple((r[1] or {}).items())) for r in results))
        if region is None:
            region = Region()
        elif args and args[0][0] is None and region.blocks:
            raise ctx.error_at(name_tok, "expected named arguments for a function with a body")
        elif args and args[0][0] is not None:
            ctx.bind_entry_arguments(region, [(tok, t, loc) for tok, t, _attrs, loc in args], name_tok)
        return ctx.make_op(cls.name, [], [], all_attrs, [region], [], ctx.loc_of(name_tok))

    def print_custom(self, p) -> None:
        vis = self.attributes.get("sym_visibility")
        if vis is not None:
            p.write(" ", vis.value)
        p.write(" ", format_symbol(self.sym_name), "(")
        ftype = self.function_type
        arg_attrs = self.attributes.get("arg_attrs")
        res_attrs = self.attributes.get("res_attrs")
        entry = self.regions[0].blocks[0] if self.regions[0].blocks else None
        parts = []
        for i, t in enumerate(ftype.inputs):
            text = f"{p.name_of(entry.arguments[i])}: {t}" if entry is not None else str(t)
            if arg_attrs is not None and arg_attrs[i].entries:
                text += " " + str(arg_attrs[i])
            parts.append(text)
        p.write(", ".join(parts), ")")
        if ftype.results:
            rparts = []
            for i, t in enumerate(ftype.results):
                text = str(t)
                if res_attrs is not None and res_attrs[i].entries:
                    text += " " + str(res_attrs[i])
                rparts.append(text)
            if len(rparts) == 1 and res_attrs is None and not isinstance(ftype.results[0], FunctionType):
                p.write(" -> ", rparts[0])
            else:
                p.write(" -> (", ", ".join(rparts), ")")
        p.print_optional_attr_dict(
            self, elided={"sym_name", "function_type", "sym_visibility", "arg_attrs", "res_attrs"}, keyword=True
        )
        if entry is not None:
            p.write(" ")
            p.print_region(self.regions[0], print_entry_block_args=False)

    # -- accessors ---------------------------------------------------------------------
    @property
    def sym_name(self) -> str:
        return self.attributes["sym_name"].value

    @property
    def function_type(self) -> FunctionType:
        return self.attributes["function_type"].value

    @property
    def is_declaration(self) -> bool:
        return not self.regions[0].blocks

    @property
    def entry_block(self) -> Block:
        return self.regions[0].blocks[0]

    @property
    def arguments(self):
        return self.entry_block.arguments

    def verify_declaration(self) -> None:
        super().verify_declaration()
        for key in ("arg_attrs", "res_attrs"):
            array = self.attributes.get(key)
            if array is not None and not all(isinstance(d, DictionaryAttr) for d in array):
                raise self.emit_error(f"attribute '{key}' failed to satisfy constraint: Array of dictionary attributes")

    def verify(self) -> None:
        ftype = self.attributes["function_type"].value
        if not isinstance(ftype, FunctionType):
            raise self.emit_error(f"requires 'function_type' to be a function type, got {ftype}")
        _verify_argument_attributes(self, "arg_attrs", "argument", "arguments", len(ftype.inputs))
        _verify_argument_attributes(self, "res_attrs", "result", "results", len(ftype.results))
        if self.is_declaration:
            vis = self.attributes.get("sym_visibility")
            if vis is None or vis.value == "public":
                raise self.emit_error("symbol declaration cannot have public visibility")
            return
        entry = self.entry_block
        if len(entry.arguments) != len(ftype.inputs):
            raise self.emit_error(
                f"entry block must have {len(ftype.inputs)} arguments to match function signature"
            )
        for i, (a, t) in enumerate(zip(entry.arguments, ftype.inputs)):
            if a.type != t:
                raise self.emit_error(
                    f"type of entry block argument #{i}({a.type}) must match the type of the corresponding "
                    f"argument in function signature({t})"
                )


def _verify_argument_attributes(fn: Op, key: str, what: str, plural: str, count: int) -> None:
    """MLIR's function-interface checks of `arg_attrs`/`res_attrs`: one dictionary per
    argument (result), holding only dialect attributes (names with a `dialect.` prefix)."""
    array = fn.attributes.get(key)
    if array is None:
        return
    if len(array) != count:
        raise fn.emit_error(
            f"expects {what} attribute array to have the same number of elements as the number of "
            f"function {plural}, got {len(array)}, but expected {count}"
        )
    for entries in array:
        if any("." not in name for name, _ in entries.entries):
            raise fn.emit_error(f"{plural} may only have dialect attributes")


@func.op
class ReturnOp(Op):
    """Returns from the enclosing func.func."""

    name = "func.return"
    aliases = ("return",)
    print_short_in = ("func.func",)
    operand_defs = (Operand("operands", variadic=True),)
    traits = frozenset({Pure, Terminator, ReturnLike, HasParent.of("func.func")})
    format = "attr-dict ($operands^ `:` type($operands))?"

    def verify(self) -> None:
        fn = self.parent_op
        results = fn.function_type.results
        if len(self.operands) != len(results):
            raise self.emit_error(
                f"has {len(self.operands)} operands, but enclosing function (@{fn.sym_name}) returns {len(results)}"
            )
        for i, (v, t) in enumerate(zip(self.operands, results)):
            if v.type != t:
                raise self.emit_error(
                    f"type of return operand {i} ({v.type}) doesn't match function result type ({t}) "
                    f"in function @{fn.sym_name}"
                )


@func.op
class CallOp(Op):
    """Calls a function by symbol."""

    name = "func.call"
    aliases = ("call",)  # mlir-opt elides the default dialect inside func.func
    operand_defs = (Operand("operands", variadic=True),)
    result_defs = (Result("results", variadic=True),)
    attribute_defs = (Attr("callee", SymbolRefAttr),)
    format = "$callee `(` $operands `)` attr-dict `:` functional-type($operands, results)"

    @property
    def callee(self) -> str:
        return self.attributes["callee"].root

    def verify(self) -> None:
        target = lookup_symbol(self, self.attributes["callee"])
        function = FunctionLike.get(target) if target is not None else None
        if function is None:
            raise self.emit_error(f"'{self.attributes['callee']}' does not reference a valid function")
        ftype = function.function_type()
        if len(ftype.inputs) != len(self.operands):
            raise self.emit_error("incorrect number of operands for callee", [("callee defined here", target.location)])
        for i, (v, t) in enumerate(zip(self.operands, ftype.inputs)):
            if v.type != t:
                raise self.emit_error(
                    f"operand type mismatch: expected operand type '{t}', but provided '{v.type}' for operand number {i}"
                )
        if len(ftype.results) != len(self.results):
            raise self.emit_error("incorrect number of results for callee")
        for i, (r, t) in enumerate(zip(self.results, ftype.results)):
            if r.type != t:
                raise self.emit_error(
                    f"result type mismatch at index {i}: expected '{t}', but got '{r.type}'"
                )

    @classmethod
    def create(cls, callee: FuncOp, operands, location=UNKNOWN) -> "CallOp":
        return cls.build(
            list(operands),
            result_types=list(callee.function_type.results),
            callee=SymbolRefAttr(callee.sym_name),
            location=location,
        )


# ----------------------------------------------------------------------------
# interfaces: func.func is function-like, func.call call-like (all defaults)


@FunctionLike.implement(FuncOp)
class _FuncFunction(FunctionLike):
    def create_like(self, op, name, function_type, location=UNKNOWN):
        return FuncOp.create(name, function_type, visibility="private", location=location)

    def build_return(self, op, builder, values):
        return builder.create(ReturnOp, list(values))


CallLike.attach(CallOp)

# (func.return and func.call run through the interpreter's rules for every
# ReturnLike terminator and every CallLike op: ir/interpreter.py)
