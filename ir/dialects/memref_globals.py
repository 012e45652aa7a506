"""memref.global and memref.get_global: buffers that live as long as the program.

::

    memref.global "private" constant @table : memref<2xf32> = dense<[1.0, 2.0]> {alignment = 64 : i64}
    memref.global @state : memref<3xf64> = uninitialized
    memref.global @external : memref<4xi32>                  // a declaration
    %t = memref.get_global @table : memref<2xf32>

A global is a symbol (symbol-dce drops an unused private one).  In the
interpreter each global's buffer is made once per `Interpreter`, on its first
``get_global``, from its initial value (NaN or 0 where uninitialized); a
``constant`` global's buffer is read-only, so a store into it is a runtime
error naming the store, and a ``memref.dealloc`` of a global's buffer is one
too.
"""

from __future__ import annotations

from ..attributes import DenseElementsAttr, IntegerAttr, StringAttr, SymbolRefAttr, TypeAttr, UnitAttr, format_symbol
from ..interpreter import interpret, runtime_error
from ..opdef import Attr, Op, Result
from ..symbols import lookup_symbol
from ..traits import Pure, Symbol
from ..types import MemRefType, TensorType
from .memref import RankedMemRef, memref


def _text(tok) -> str:
    return tok.value if hasattr(tok, "value") else str(tok)


def _initial_value(ctx, *children):
    """`= dense<...>` (its type is the tensor of the global's shape), or `= uninitialized`."""
    if not children or children[0] is None or _text(children[0]) == "uninitialized":
        return ("uninitialized", None)
    return ("dense", children)


def _tensor_of(t: MemRefType) -> TensorType:
    return TensorType(tuple(t.shape), t.element_type)


@memref.op
class GlobalOp(Op):
    """A named buffer with an optional initial value; `constant` ones are read-only."""

    name = "memref.global"
    summary = "declare or define a global memref variable"
    attribute_defs = (
        Attr("sym_name", StringAttr),
        Attr("sym_visibility", StringAttr, optional=True),
        Attr("type", TypeAttr),
        Attr("initial_value", (DenseElementsAttr, UnitAttr), optional=True),
        Attr("constant", UnitAttr, optional=True),
        Attr("alignment", IntegerAttr, optional=True),
    )
    traits = frozenset({Symbol})
    syntax_rule = ("[visibility=STRING] [constant=global_constant] sym=SYMBOL \":\" type=type [init=global_initial_value] "
                   "[attrs=attr_dict]")
    syntax_subrules = {
        "!global_constant": ('"constant"', None),
        "global_initial_value": ('"=" (DENSE "<" [dense_body] ">" [":" type] | UNINITIALIZED)', _initial_value),
        "UNINITIALIZED": ('"uninitialized"', None),
    }

    @classmethod
    def parse_custom(cls, ctx, name_tok, visibility=None, constant=None, sym=None, type=None, init=None, attrs=None):
        from ..parse_callbacks import _dense_elements

        all_attrs = dict(attrs or {})
        name = _text(sym)[1:]
        all_attrs["sym_name"] = StringAttr(name[1:-1] if name.startswith('"') else name)
        all_attrs["type"] = TypeAttr(type)
        if visibility is not None:
            all_attrs["sym_visibility"] = StringAttr(_text(visibility)[1:-1])
        if constant is not None:
            all_attrs["constant"] = UnitAttr()
        if init is not None:
            kind, children = init
            if kind == "uninitialized":
                all_attrs["initial_value"] = UnitAttr()
            else:
                dense_tok, body, given = children
                if not isinstance(type, MemRefType) or type.shape is None:
                    raise ctx.error_at(name_tok, f"type should be static shaped memref, but got {type}")
                want = _tensor_of(type)
                if given is not None and given != want:
                    raise ctx.error_at(dense_tok, f"initial value expected to be of type {want}, but was of type "
                                                  f"{given}")
                try:
                    all_attrs["initial_value"] = _dense_elements(body, want)
                except (ValueError, OverflowError, TypeError) as e:
                    raise ctx.error_at(dense_tok, str(e)) from None
        return ctx.make_op(cls.name, [], [], all_attrs, [], [], ctx.loc_of(name_tok))

    def print_custom(self, p) -> None:
        vis = self.attributes.get("sym_visibility")
        if vis is not None:
            p.write(f' "{vis.value}"')
        if "constant" in self.attributes:
            p.write(" constant")
        t = self.memref_type
        p.write(" ", format_symbol(self.sym_name), " : ", str(t))
        init = self.attributes.get("initial_value")
        if isinstance(init, UnitAttr):
            p.write(" = uninitialized")
        elif init is not None:
            text = str(init)
            p.write(" = ", text[: -len(f" : {init.type}")])
        p.print_optional_attr_dict(self, elided={"sym_name", "sym_visibility", "type", "initial_value", "constant"})

    @property
    def sym_name(self) -> str:
        return self.attributes["sym_name"].value

    @property
    def memref_type(self) -> MemRefType:
        return self.attributes["type"].value

    @property
    def is_constant(self) -> bool:
        return "constant" in self.attributes

    def verify(self) -> None:
        t = self.memref_type
        if not isinstance(t, MemRefType) or t.shape is None or any(d < 0 for d in t.shape):
            raise self.emit_error(f"type should be static shaped memref, but got {t}")
        init = self.attributes.get("initial_value")
        if isinstance(init, DenseElementsAttr) and init.type != _tensor_of(t):
            raise self.emit_error(f"initial value expected to be of type {_tensor_of(t)}, but was of type {init.type}")
        a = self.attributes.get("alignment")
        if a is not None and (not isinstance(a, IntegerAttr) or a.value <= 0 or a.value & (a.value - 1)):
            raise self.emit_error(f"alignment attribute value {a.value if isinstance(a, IntegerAttr) else a} "
                                  "is not a power of 2")


@memref.op
class GetGlobalOp(Op):
    """The buffer of global `name`."""

    name = "memref.get_global"
    summary = "get the memref pointing to a global variable"
    attribute_defs = (Attr("name", SymbolRefAttr),)
    result_defs = (Result("result", RankedMemRef),)
    traits = frozenset({Pure})
    format = "$name `:` type($result) attr-dict"

    def global_op(self):
        """The `memref.global` this names, or None."""
        found = lookup_symbol(self, self.attributes["name"])
        return found if isinstance(found, GlobalOp) else None

    def verify(self) -> None:
        g = self.global_op()
        name = self.attributes["name"]
        if g is None:
            raise self.emit_error(f"'{name.root}' does not reference a valid global memref")
        t = self.results[0].type
        if g.memref_type != t:
            raise self.emit_error(f"result type '{t}' does not match type '{g.memref_type}' of the global memref "
                                  f"{name}")


@interpret.register(GetGlobalOp)
def _interpret_get_global(interp, op, args):
    g = op.global_op()
    if g is None:
        raise runtime_error(op, f"'{op.attributes['name'].root}' does not reference a valid global memref")
    init = g.attributes.get("initial_value")
    return [interp.memory.global_buffer(g, g.memref_type, init.array if isinstance(init, DenseElementsAttr) else None,
                                        read_only=g.is_constant)]
