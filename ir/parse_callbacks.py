"""The IR-building side of the parser: one callback per grammar rule.

`parser.py` assembles the grammar and runs lark's LALR tables; as each rule is
reduced, lark calls the matching `_Builder` method, which builds IR objects
directly (no parse tree).  `ParseContext` holds the state of one parse: SSA
scopes, forward references, aliases, and the region arguments an op's header
declares.
"""

from __future__ import annotations

import re
from typing import Dict, List, Optional

from . import attributes as A
from . import types as T
from .core import Block, Operation, Region, Value
from .diagnostics import DiagnosticError, error
from .location import (
    UNKNOWN,
    CallSiteLoc,
    FileLineColLoc,
    FusedLoc,
    Location,
    NameLoc,
)
from .context import Context
from .opdef import create_operation

_FLOAT_TYPES = {n: T.FloatType(n) for n in T.FloatType.WIDTHS}
def _is_numbered(name: str) -> bool:
    """`%12` and `%arg3`: names the printer makes up, not kept as hints (value names are ASCII)."""
    return name.isdigit() or (name[:3] == "arg" and name[3:].isdigit())


def _text(tok) -> str:
    return tok.value if hasattr(tok, "value") else str(tok)


def _unescape(s: str) -> str:
    body = s[1:-1]
    if "\\" not in body:
        return body
    out, i = [], 0
    while i < len(body):
        c = body[i]
        if c == "\\" and i + 1 < len(body):
            n = body[i + 1]
            if n in '"\\':
                out.append(n)
                i += 2
            elif n == "n":
                out.append("\n")
                i += 2
            elif n == "t":
                out.append("\t")
                i += 2
            elif re.match(r"[0-9A-Fa-f]{2}", body[i + 1:i + 3]):
                out.append(chr(int(body[i + 1:i + 3], 16)))
                i += 3
            else:
                out.append(n)
                i += 2
        else:
            out.append(c)
            i += 1
    return "".join(out)


class _ForwardRef(Value):
    """A use of a value not yet defined; replaced when the definition appears.

    `type` is the type its first typed use expects; `other_uses` the later uses
    expecting another one ((type, token) each), reported when the definition
    shows which type is right."""

    __slots__ = ("token", "other_uses")

    def __init__(self, token):
        Value.__init__(self, None)
        self.token = token
        self.other_uses = None

    def typed_uses(self):
        """(expected type, token) of each typed use that disagrees with another."""
        if self.type is not None:
            yield self.type, self.token
        yield from self.other_uses or ()

    def merge_into(self, other: "_ForwardRef") -> None:
        """Make every use of this reference a use of `other` (the same name, seen further out)."""
        for t, tok in self.typed_uses():
            other.expect(t, tok)
        self.replace_all_uses_with(other)

    def expect(self, t, tok) -> None:
        if self.type is None:
            self.type = t
        elif self.type != t:
            self.other_uses = (self.other_uses or []) + [(t, tok)]


class _Scope:
    __slots__ = ("values", "forward", "blocks", "forward_blocks")

    def __init__(self):
        self.values: Dict[str, Value] = {}
        self.forward: Dict[str, _ForwardRef] = {}
        self.blocks: Dict[str, Block] = {}
        self.forward_blocks: Dict[str, tuple] = {}


# MLIR's limit on integer types (IntegerType::kMaxWidth)
MAX_INTEGER_WIDTH = 16777215
# numpy's limit on dimensions, which back dense attributes
MAX_DENSE_RANK = 64


class ParseContext:
    """State of one parse: the file name, SSA scopes, aliases."""

    def __init__(self, filename: str, allow_unregistered: bool, registry: Context, first_line: int = 1):
        self.filename = filename
        self.registry = registry  # the context whose ops, types and attributes are known
        self.allow_unregistered = allow_unregistered
        self.line_offset = first_line - 1  # a --split-input-file chunk keeps its file's line numbers
        self.scopes: List[_Scope] = [_Scope()]
        # name -> the values of that name in the open scopes, innermost last: a use is
        # one dict lookup however deep the nesting (scopes push on define, pop on close)
        self.visible: Dict[str, list] = {}
        self.type_aliases: Dict[str, T.Type] = {}
        self.attr_aliases: Dict[str, A.Attribute] = {}
        self.affine_names: Dict[str, object] = {}  # dims and symbols of the affine map being parsed
        self.def_tokens: Dict[Value, object] = {}
        # a parsed region's scope until its op is built: the op's header may name the region's
        # arguments (`bind_entry_arguments`); uses of other unknown names then go outward
        self.closed: Dict[Region, _Scope] = {}

    # -- locations and errors ------------------------------------------------------
    def loc_of(self, tok) -> Location:
        line = getattr(tok, "line", None)
        if line is None:
            return UNKNOWN
        return FileLineColLoc(self.filename, line + self.line_offset, tok.column)

    def error_at(self, tok, message: str, notes=()) -> DiagnosticError:
        return error(message, self.loc_of(tok), notes)

    # -- values ------------------------------------------------------------------------
    def lookup(self, tok) -> Value:
        """The value a use names: one dict lookup in the common case, forward references aside."""
        shadowed = self.visible.get(tok.value[1:])
        if shadowed:
            v = shadowed[-1]
            if v.__class__ is not list:
                return v
        return self._lookup_slow(tok)

    def _lookup_slow(self, tok) -> Value:
        text = _text(tok)
        name, _, idx = text[1:].partition("#")
        shadowed = self.visible.get(name)
        if shadowed:
            v = shadowed[-1]
            if isinstance(v, list):  # a multi-result group
                if not idx:
                    if len(v) == 1:
                        return v[0]
                    raise self.error_at(tok, f"'%{name}' names {len(v)} results; use %{name}#N")
                i = int(idx)
                if i >= len(v):
                    raise self.error_at(tok, f"result number {i} out of range for '%{name}' ({len(v)} results)")
                return v[i]
            if idx and idx != "0":
                raise self.error_at(tok, f"'%{name}' has a single result")
            return v
        scope = self.scopes[-1]
        ref = scope.forward.get(text)
        if ref is None:
            ref = _ForwardRef(tok)
            scope.forward[text] = ref
        return ref

    def define(self, tok, values: List[Value]) -> None:
        text = _text(tok)
        name = text[1:]
        scope = self.scopes[-1]
        defined = scope.values
        if name in defined:
            prev = scope.values[name]
            prev_v = prev[0] if isinstance(prev, list) else prev
            notes = []
            if prev_v in self.def_tokens:
                notes.append(("previously defined here", self.loc_of(self.def_tokens[prev_v])))
            raise self.error_at(tok, f"redefinition of SSA value '{text}'", notes)
        hint = None if _is_numbered(name) else name
        for v in values:
            v.name_hint = hint
        entry = defined[name] = values if len(values) != 1 else values[0]
        shadowed = self.visible.get(name)
        if shadowed is None:
            self.visible[name] = [entry]
        else:
            shadowed.append(entry)
        self.def_tokens[values[0]] = tok
        forward = scope.forward
        if not forward or (len(values) == 1 and text not in forward):
            return  # the common case: nothing used before its definition (function arguments aside)
        # resolve forward references made in this scope or nested ones that bubbled up
        for i, v in enumerate(values):
            key = f"%{name}#{i}" if len(values) > 1 else f"%{name}"
            for k in ([key, f"%{name}"] if i == 0 and len(values) > 1 else [key]):
                ref = scope.forward.pop(k, None)
                if ref is not None:
                    self._resolve(ref, v, k)

    def check_operand_type(self, v: Value, t: Optional[T.Type], tok) -> None:
        if t is None:
            return
        if isinstance(v, _ForwardRef):  # not defined yet (or a region argument its op's header names)
            v.expect(t, tok if tok is not None else v.token)
            return
        if v.type != t:
            name = next((k for s in self.scopes for k, x in s.values.items() if x is v), None)
            label = f"'%{name}' " if name else ""
            if tok is None:  # a caller without the use's token: point at the definition
                tok = self.def_tokens.get(v)
            raise self.error_at(
                tok, f"use of value {label}expects different type than prior uses: '{t}' vs '{v.type}'"
            )

    # -- regions -----------------------------------------------------------------------
    def open_region(self):
        scope = _Scope()
        self.scopes.append(scope)
        return scope

    def bind_entry_arguments(self, region: Region, arguments, op_tok) -> None:
        """Give `region`, parsed already, the entry block arguments its op's header named.

        `arguments` holds (token, type, location) per argument.  While the
        region was parsed those names were unknown, so its uses of them were
        left as forward references, kept with the region (`closed`) until its
        op is built; here they become uses of the new arguments, and the rest
        go on to the enclosing scope (`release_unbound`).  As in MLIR, a name
        already defined outside the region cannot be reused."""
        if not arguments:
            return
        if not region.blocks:
            region.add_block(Block())
        block = region.blocks[0]
        if block.arguments:
            raise self.error_at(op_tok, "the region's arguments are named in the op's header; its entry block cannot name them too")
        scope = self.closed.get(region) or _Scope()
        for tok, t, loc in arguments:
            arg = block.add_argument(t)
            if tok is None:
                continue
            text = _text(tok)
            name = text[1:]
            if any(name in s.values for s in self.scopes):
                raise self.error_at(tok, f"redefinition of SSA value '{text}'")
            inner = scope.values.get(name)
            if inner is not None:  # the region defines the name again
                first = inner[0] if isinstance(inner, list) else inner
                raise self.error_at(
                    self.def_tokens.get(first), f"redefinition of SSA value '{text}'", [("previously defined here", self.loc_of(tok))]
                )
            arg.name_hint = None if _is_numbered(name) else name
            self.def_tokens[arg] = tok
            ref = scope.forward.pop(text, None)
            if ref is not None:
                self._resolve(ref, arg, text)

    def _resolve(self, ref: _ForwardRef, value: Value, name: str) -> None:
        """`value` is the definition `ref` waited for: check the types its uses expected, then use it."""
        for t, tok in ref.typed_uses():
            if t != value.type:
                raise self.error_at(tok, f"use of value '{name}' expects different type than prior uses: '{t}' vs '{value.type}'")
        ref.replace_all_uses_with(value)

    def close_region(self, region: Region) -> None:
        scope = self.scopes.pop()
        visible = self.visible
        for name in scope.values:
            shadowed = visible[name]
            shadowed.pop()
            if not shadowed:
                del visible[name]
        for label, (block, tok) in scope.forward_blocks.items():
            raise self.error_at(tok, f"reference to an undefined block '{label}'")
        self.closed[region] = scope

    def release_unbound(self, op: Operation) -> None:
        """`op` is built: its regions' remaining unknown names are looked up in the enclosing scope."""
        for region in op.regions:
            scope = self.closed.pop(region, None)
            if scope is not None and scope.forward:
                parent = self.scopes[-1]
                for key, ref in scope.forward.items():
                    if key in parent.forward:
                        ref.merge_into(parent.forward[key])
                    else:
                        parent.forward[key] = ref

    def block_for_label(self, tok, define: bool) -> Block:
        label = _text(tok)
        scope = self.scopes[-1]
        if define:
            if label in scope.blocks:
                raise self.error_at(tok, f"redefinition of block '{label}'")
            fwd = scope.forward_blocks.pop(label, None)
            block = fwd[0] if fwd else Block()
            scope.blocks[label] = block
            return block
        if label in scope.blocks:
            return scope.blocks[label]
        if label in scope.forward_blocks:
            return scope.forward_blocks[label][0]
        block = Block()
        scope.forward_blocks[label] = (block, tok)
        return block

    def make_op(self, name, operands, result_types, attrs, regions, successors, loc) -> Operation:
        return create_operation(name, operands, result_types, attrs, regions, successors, loc, self.registry.ops)

    def finish(self) -> None:
        for refs in [self.scopes[0].forward, *(scope.forward for scope in self.closed.values())]:
            for key, ref in refs.items():
                raise self.error_at(ref.token, f"use of undeclared SSA value name '{key}'")


# ----------------------------------------------------------------------------
# the callbacks (one per grammar rule)


class _Builder:
    """The rule callbacks building IR (one method per rule, called with its children); `ctx` is set for every parse."""

    ctx: ParseContext
    # rules answered by a ParseContext method itself, called as `method(ctx, *children)`: one call less per use
    context_rules = {"value_use": ParseContext.lookup}

    # -- top level ---------------------------------------------------------------------
    def start(self, *items):
        return [x for x in items if isinstance(x, Operation)]

    def type_alias_def(self, tok, t):
        self.ctx.type_aliases[_text(tok)] = t
        return None

    def attr_alias_def(self, tok, a):
        self.ctx.attr_aliases[_text(tok)] = a
        return None

    def operation(self, results, op, loc):
        ctx = self.ctx
        if op.regions:
            ctx.release_unbound(op)
        if loc is not None:
            op.location = loc
        if results is None:
            return op
        if len(results) == 1 and results[0][1] == 1 and len(op.results) == 1:
            tok = results[0][0]  # the common `%x = ...`: one name for one result
            if loc is None:
                op.location = ctx.loc_of(tok)
            ctx.define(tok, op.results)
        else:
            first_tok = results[0][0]
            if loc is None:
                op.location = ctx.loc_of(first_tok)
            expected = sum(n for _, n in results)
            if expected != len(op.results):
                raise ctx.error_at(
                    first_tok,
                    f"operation defines {len(op.results)} results but was provided {expected} to bind",
                )
            pos = 0
            for tok, n in results:
                ctx.define(tok, op.results[pos:pos + n])
                pos += n
        return op

    def op_result_list(self, *groups):
        return groups

    def result_group(self, tok, count):
        if count is None and "#" not in tok.value:
            return (tok, 1)
        if "#" in _text(tok):
            raise self.ctx.error_at(tok, "expected a result name without '#'")
        n = int(_text(count)) if count is not None else 1
        if n < 1:
            raise self.ctx.error_at(tok, "expected a positive number of results")
        return (tok, n)

    def generic_op(self, name_tok, operands, successors, props, regions, attrs, fn_type):
        ctx = self.ctx
        name = _unescape(_text(name_tok))
        if name not in ctx.registry.ops:
            dialect = name.split(".", 1)[0]
            if not ctx.allow_unregistered:
                if "." in name and dialect in ctx.registry.dialects:
                    raise ctx.error_at(name_tok, f"unknown operation '{name}' in dialect '{dialect}'")
                raise ctx.error_at(
                    name_tok,
                    f"unregistered operation '{name}' found in dialect ('{dialect}') that does not allow unknown "
                    f"operations (use --allow-unregistered-dialect)",
                )
        operands = list(operands or [])
        succ_blocks = []
        for s in successors or []:
            block, args = s
            succ_blocks.append(block)
            operands.extend(args)
        if len(fn_type.inputs) != len(operands):
            raise ctx.error_at(
                name_tok, f"expected {len(operands)} operand types in the function type but got {len(fn_type.inputs)}"
            )
        for v, t in zip(operands, fn_type.inputs):
            ctx.check_operand_type(v, t, name_tok)
        all_attrs = dict(props or {})
        all_attrs.update(attrs or {})
        return create_operation(
            name, operands, fn_type.results, all_attrs, regions or [], succ_blocks, ctx.loc_of(name_tok), ctx.registry.ops
        )

    def successor_list(self, *succs):
        return list(succs)

    def successor(self, tok, args):
        return (self.ctx.block_for_label(tok, define=False), args or [])

    def successor_args(self, values, types):
        for v, t in zip(values, types):
            self.ctx.check_operand_type(v, t, None)
        return values

    def properties(self, d):
        return d

    def region_list(self, *regions):
        return list(regions)

    def region_seq(self, *regions):
        return list(regions)

    def value_use(self, tok):
        return self.ctx.lookup(tok)

    def value_use_list(self, *values):
        return list(values)

    # -- regions ---------------------------------------------------------------------------
    def region_open(self):
        return self.ctx.open_region()

    def region(self, scope, *items):
        ctx = self.ctx
        region = Region()
        entry_ops = []
        labeled = []
        for it in items:
            if isinstance(it, Block):
                labeled.append(it)
            elif it is not None:
                entry_ops.append(it)
        if entry_ops:  # `{ ops ... }`: an unlabeled entry block
            entry = Block()
            for op in entry_ops:
                entry.append(op)
            region.add_block(entry)
        for b in labeled:
            region.add_block(b)
        ctx.close_region(region)
        return region

    def labeled_block(self, block, *ops):
        for op in ops:
            block.append(op)
        return block

    def block_label(self, tok, args):
        ctx = self.ctx
        block = ctx.block_for_label(tok, define=True)
        for arg_tok, t, loc in args or []:
            arg = block.add_argument(t)
            ctx.define(arg_tok, [arg])
        return block

    def block_arg_list(self, *args):
        return [a for a in args if a is not None]

    def block_arg(self, tok, t, loc):
        return (tok, t, loc)

    # -- types ------------------------------------------------------------------------------
    def float_type(self, tok):
        return _FLOAT_TYPES[tok.value]

    def int_type(self, tok):
        s = _text(tok)
        signed = s[0] in "su"
        digits = s[2:] if signed else s[1:]
        if len(digits) > 8 or int(digits) > MAX_INTEGER_WIDTH:
            raise self.ctx.error_at(tok, f"integer bitwidth is limited to {MAX_INTEGER_WIDTH} bits")
        return T.IntegerType(int(digits), s[0]) if signed else T.IntegerType(int(digits))

    def index_type(self):
        return T.index

    def none_type(self):
        return T.none

    def type(self, t):
        return t

    def non_function_type(self, t):
        return t

    def _dims(self, dims):
        out = []
        for d in dims:
            s = _text(d)[:-1]
            out.append(T.DYNAMIC if s == "?" else int(s))
        return tuple(out)

    def tensor_type(self, *args):
        *dims, elt, enc = args
        return T.TensorType(self._dims(dims), elt, enc)

    def unranked_tensor_type(self, _tok, elt):
        return T.TensorType(None, elt)

    def memref_type(self, *args):
        dims = [a for a in args if hasattr(a, "type") and getattr(a, "type", None) == "DIM"]
        rest = args[len(dims):]
        elt, params = rest[0], rest[1:]
        layout = space = None
        for p in params:
            if isinstance(p, (A.StridedLayoutAttr, A.AffineMapAttr)):
                layout = p
            else:
                space = p
        return T.MemRefType(self._dims(dims), elt, layout, space)

    def unranked_memref_type(self, _tok, elt, *params):
        return T.MemRefType(None, elt, None, params[0] if params else None)

    def memref_param(self, a):
        return a

    def vector_type(self, *args):
        *dims, elt = args
        shape, scalable = [], []
        for d in dims:
            s = _text(d)[:-1]
            if "?" in s:  # the dimension lexer is shared with tensors; vectors have static sizes
                raise self.ctx.error_at(d, "expected non-function type")  # MLIR's wording and place
            if s.startswith("["):
                shape.append(int(s[1:-1]))
                scalable.append(True)
            else:
                shape.append(int(s))
                scalable.append(False)
        return T.VectorType(tuple(shape), elt, tuple(scalable) if any(scalable) else ())

    def complex_type(self, elt):
        return T.ComplexType(elt)

    def tuple_type(self, types):
        return T.TupleType(tuple(types or ()))

    def type_list(self, *types):
        return list(types)

    def function_type(self, inputs, results):
        return T.FunctionType(tuple(inputs or ()), tuple(results))

    def function_results(self, *args):
        if len(args) == 1 and isinstance(args[0], T.Type):
            return [args[0]]
        return list(args[0] or []) if args else []

    def dialect_type(self, tok, params):
        name = _text(tok)[1:]
        cls = self.ctx.registry.types.get(name)
        if cls is not None:
            try:
                return cls.from_params(tuple(params or ()))
            except (ValueError, TypeError) as e:
                raise self.ctx.error_at(tok, f"invalid '!{name}' type: {e}")
        dialect = name.split(".", 1)[0]
        if dialect in self.ctx.registry.dialects:  # a registered dialect knows all its types, as in MLIR
            raise self.ctx.error_at(tok, f"unknown type '{name.split('.', 1)[1]}' in dialect '{dialect}'")
        if not self.ctx.allow_unregistered:
            raise self.ctx.error_at(tok, f"dialect '{dialect}' is unknown (use --allow-unregistered-dialect)")
        return T.DialectType(name, tuple(params or ()))

    def type_alias_ref(self, tok):
        t = self.ctx.type_aliases.get(_text(tok))
        if t is None:
            raise self.ctx.error_at(tok, f"undefined symbol alias id '{_text(tok)[1:]}'")
        return t

    # -- attributes ----------------------------------------------------------------------------
    def int_attr(self, tok, t):
        s = _text(tok)
        hexadecimal = s.lstrip("-")[:2].lower() == "0x"  # `-0x10` is -16, as in MLIR
        v = int(s, 16) if hexadecimal else int(s)
        if t is None:
            return A.IntegerAttr(v, T.i64)
        if isinstance(t, T.FloatType):
            if hexadecimal:
                if v < 0:  # MLIR points past the minus, at the literal
                    loc = self.ctx.loc_of(tok)
                    raise error(_NEGATIVE_HEX_FLOAT, FileLineColLoc(loc.file, loc.line, loc.col + 1))
                if v >= 1 << _FLOAT_BITS.get(t.name, 64):
                    raise self.ctx.error_at(tok, f"hexadecimal float constant out of range for type {t}")
                return A.FloatAttr(A.float_from_bits(v, t), t)
            return A.FloatAttr(float(v), t)
        if isinstance(t, T.IntegerType) and t.width == 1 and v not in (0, 1):
            raise self.ctx.error_at(tok, f"integer constant out of range for attribute of type {t}")
        if isinstance(t, T.IntegerType) and t.width > 1:
            # as MLIR: a literal fits if it fits signed or unsigned; signless values are stored signed
            w = t.width
            lo = 0 if t.signedness == "u" else -(1 << (w - 1))
            hi = (1 << (w - 1)) - 1 if t.signedness == "s" else (1 << w) - 1
            if not lo <= v <= hi:
                raise self.ctx.error_at(tok, "integer constant out of range for attribute")
            if t.signedness == "" and v >= 1 << (w - 1):
                v -= 1 << w
        return A.IntegerAttr(v, t)

    def float_attr(self, tok, t):
        t = t if t is not None else T.f64
        if not isinstance(t, T.FloatType):
            raise self.ctx.error_at(tok, f"floating point value not valid for specified type {t}")
        return A.FloatAttr(float(_text(tok)), t)

    def string_attr(self, tok, t):
        return A.StringAttr(_unescape(_text(tok)))

    def true_attr(self):
        return A.IntegerAttr(1, T.i1)

    def false_attr(self):
        return A.IntegerAttr(0, T.i1)

    def unit_attr(self):
        return A.UnitAttr()

    def array_attr(self, *elems):
        return A.ArrayAttr(tuple(e for e in elems if e is not None))

    def attr_dict(self, *entries):
        return dict(e for e in entries if e is not None)

    def attr_dict_kw(self, d):
        return d

    def dict_attr(self, d):
        return A.DictionaryAttr(tuple(d.items()))

    def dict_entry(self, key, value):
        k = _text(key)
        if k.startswith('"'):
            k = _unescape(k)
        return (k, value if value is not None else A.UnitAttr())

    def keyword(self, tok):
        return tok

    def enum_keyword(self, tok):
        return tok

    def symbol_ref(self, *toks):
        names = []
        for t in toks:
            s = _text(t)[1:]
            names.append(_unescape(s) if s.startswith('"') else s)
        return A.SymbolRefAttr(names[0], tuple(names[1:]))

    def symbol_attr(self, s):
        return s

    def type_attr(self, t):
        return A.TypeAttr(t)

    def dense_attr(self, tok, body, t):
        try:
            return _dense_elements(body, t)
        except (ValueError, OverflowError, TypeError) as e:  # numpy's complaints included
            raise self.ctx.error_at(tok, str(e)) from None

    def dense_body(self, x):
        if hasattr(x, "type") and getattr(x, "type", None) == "STRING":
            return _unescape(_text(x))
        return x

    def dense_list(self, *elems):
        return [e for e in elems if e is not None]

    def number(self, tok):
        s = _text(tok)
        if s.lstrip("-")[:2].lower() == "0x":
            return _HexInt(s, 16)  # a float's bit pattern where the element type is a float
        return float(s) if ("." in s or "e" in s.lower()) else int(s)

    def dense_true(self):
        return True

    def dense_false(self):
        return False

    def dense_complex(self, a, b):
        return complex(a, b)

    def dense_array_attr(self, tok, t, values):
        try:
            if not isinstance(t, (T.FloatType, T.IntegerType, T.IndexType)):
                raise ValueError(f"expected an integer or float element type for array<...>, got {t}")
            return A.DenseArrayAttr(t, tuple(_element_value(v, t) for v in values or ()))
        except (ValueError, OverflowError, TypeError) as e:
            raise self.ctx.error_at(tok, str(e)) from None

    def dense_array_values(self, *vals):
        return list(vals)

    def dynamic_stride(self):
        return T.DYNAMIC

    def strided_attr(self, *args):
        *strides, offset = args
        conv = lambda s: s if isinstance(s, int) else int(_text(s))  # noqa: E731
        return A.StridedLayoutAttr(
            tuple(conv(s) for s in strides if s is not None), conv(offset) if offset is not None else 0
        )

    # affine maps: the dim and symbol names are known before the results are parsed
    def affine_ids(self, *names):
        self.ctx.affine_names = {_text(n): A.AffineDim(i) for i, n in enumerate(names) if n is not None}
        return len(self.ctx.affine_names)

    def affine_symbols(self, *names):
        base = self.ctx.affine_names
        for i, n in enumerate(x for x in names if x is not None):
            base[_text(n)] = A.AffineSymbol(i)
        return sum(1 for x in names if x is not None)

    def affine_name(self, tok):
        e = self.ctx.affine_names.get(_text(tok))
        if e is None:
            raise self.ctx.error_at(tok, f"use of undeclared identifier '{_text(tok)}' in an affine map")
        return e

    def affine_int(self, tok):
        return A.AffineConstant(int(_text(tok)))

    def affine_neg(self, e):
        return A.AffineConstant(-e.value) if isinstance(e, A.AffineConstant) else A.AffineBinary("*", e, A.AffineConstant(-1))

    def affine_add(self, a, b):
        return A.AffineBinary("+", a, b)

    def affine_sub(self, a, b):
        return A.AffineBinary("-", a, b)

    def affine_mul(self, a, b):
        return A.AffineBinary("*", a, b)

    def affine_div(self, a, op_tok, b):
        return A.AffineBinary(_text(op_tok), a, b)

    def affine_map_attr(self, tok, num_dims, num_symbols, *results):
        exprs = tuple(r for r in results if r is not None)
        for e in exprs:
            problem = _non_affine(e)
            if problem:
                raise self.ctx.error_at(tok, f"non-affine expression: {problem}")
        return A.AffineMapAttr(num_dims, num_symbols or 0, exprs)

    def dialect_attr(self, tok, params):
        name = _text(tok)[1:]
        cls = self.ctx.registry.attributes.get(name)
        if cls is not None:
            try:
                return cls.from_params(tuple(params or ()))
            except (ValueError, TypeError) as e:
                raise self.ctx.error_at(tok, f"invalid '#{name}' attribute: {e}")
        dialect = name.split(".", 1)[0]
        if dialect in self.ctx.registry.dialects:  # a registered dialect knows all its attributes
            raise self.ctx.error_at(tok, f"unknown attribute '{name.split('.', 1)[1]}' in dialect '{dialect}'")
        if not self.ctx.allow_unregistered:
            raise self.ctx.error_at(tok, f"dialect '{dialect}' is unknown (use --allow-unregistered-dialect)")
        return A.DialectAttr(name, tuple(params or ()))

    def dialect_params(self, *params):
        return tuple(p for p in params if p is not None)

    def param_attr(self, a):
        return a

    def param_type(self, t):
        return A.TypeAttr(t)

    def param_keyword(self, tok, params):
        if params is None:
            return _Keyword(_text(tok))
        return A.KeywordWithParams(_text(tok), params)

    def param_list(self, *params):
        return tuple(p for p in params if p is not None)

    def param_kv(self, key, value):
        return ("=" + _text(key), value)

    def attr_alias_ref(self, tok):
        a = self.ctx.attr_aliases.get(_text(tok))
        if a is None:
            raise self.ctx.error_at(tok, f"undefined symbol alias id '{_text(tok)[1:]}'")
        return a

    def loc_attr(self, loc):
        return A.OpaqueLocAttr(loc)

    # -- locations -----------------------------------------------------------------------------
    def trailing_loc(self, loc):
        return loc

    def loc_flc(self, f, line, col):
        return FileLineColLoc(_unescape(_text(f)), int(_text(line)), int(_text(col)))

    def loc_name(self, name, child=None):
        return NameLoc(_unescape(_text(name)), child if child is not None else UNKNOWN)

    def loc_unknown(self):
        return UNKNOWN

    def loc_callsite(self, a, b):
        return CallSiteLoc(a, b)

    def loc_fused(self, *locs):
        return FusedLoc(tuple(locs))

    def loc_alias(self, tok):
        a = self.ctx.attr_aliases.get(_text(tok))
        if isinstance(a, A.OpaqueLocAttr):
            return a.loc
        raise self.ctx.error_at(tok, f"undefined location alias '{_text(tok)}'")


class _HexInt(int):
    """An integer literal written in hex (`0x7FC00000`): a float element's bit pattern."""


_FLOAT_BITS = {"f16": 16, "bf16": 16, "f32": 32, "tf32": 32, "f64": 64}
_NEGATIVE_HEX_FLOAT = "hexadecimal float literal should not have a leading minus"  # MLIR's wording


def _element_value(v, t):
    """One element of a dense literal as a value of scalar type `t`, as MLIR checks it."""
    if isinstance(v, bool) and not (isinstance(t, T.IntegerType) and t.width == 1):
        raise ValueError(f"expected {t} elements, got the boolean '{str(v).lower()}'")
    if isinstance(t, T.FloatType):
        if isinstance(v, complex):
            raise ValueError(f"expected a real element for type {t}, got a complex one")
        if isinstance(v, _HexInt):
            if v < 0:
                raise ValueError(_NEGATIVE_HEX_FLOAT)
            bits = _FLOAT_BITS.get(t.name, 64)
            if v >= 1 << bits:
                raise ValueError(f"hexadecimal float constant out of range for type {t}")
            return A.float_from_bits(int(v), t)
        return A.round_to_float_type(float(v), t)
    if isinstance(v, (float, complex)):
        raise ValueError(f"expected integer elements for type {t}, but parsed a floating-point one")
    v = int(v)
    if isinstance(t, T.IndexType):
        lo, hi = -(1 << 63), 1 << 64
    elif t.width == 1:
        lo, hi = 0, 2
    elif t.signedness == "u":
        lo, hi = 0, 1 << t.width
    elif t.signedness == "s":
        lo, hi = -(1 << (t.width - 1)), 1 << (t.width - 1)
    else:  # signless: either reading of the bits
        lo, hi = -(1 << (t.width - 1)), 1 << t.width
    if not lo <= v < hi:
        raise ValueError(f"integer constant out of range for type {t}")
    return v


def _dense_elements(body, t):
    """The DenseElementsAttr of `dense<body> : t`; ValueError/TypeError explain a bad literal."""
    import numpy as np

    if not isinstance(t, (T.TensorType, T.VectorType)) or t.shape is None or any(d < 0 for d in t.shape):
        raise ValueError(f"dense attribute needs a statically shaped tensor or vector type, got {t}")
    if len(t.shape) > MAX_DENSE_RANK:
        raise ValueError(f"dense attribute of rank {len(t.shape)}: irc's dense attributes have at most "
                         f"{MAX_DENSE_RANK} dimensions")
    et = t.element_type
    if not isinstance(et, (T.FloatType, T.IntegerType, T.IndexType)):
        raise ValueError(f"unsupported element type {et} in a dense attribute")
    if isinstance(et, T.IntegerType) and et.width > 64:
        raise ValueError(f"dense attributes of integers wider than 64 bits ({et}) are not supported")
    dtype = A.numpy_dtype(et)
    if isinstance(body, str):  # hex bytes (MLIR's form for large constants)
        if not body.lower().startswith("0x"):
            raise ValueError("expected a hex string (\"0x...\") in a dense attribute")
        data = bytes.fromhex(body[2:])
        if len(data) not in (dtype.itemsize, dtype.itemsize * t.num_elements):
            raise ValueError(f"hex string of {len(data)} bytes does not match type {t}")
        arr = np.frombuffer(data, dtype=dtype)
        return A.DenseElementsAttr(t, arr.reshape(t.shape) if arr.size == t.num_elements else arr)
    if body is None:
        body = []

    def convert(x):
        return [convert(e) for e in x] if isinstance(x, list) else _element_value(x, et)

    depth, first = 0, body
    while isinstance(first, list) and first:
        depth, first = depth + 1, first[0]
    if depth > MAX_DENSE_RANK:
        raise ValueError(f"dense elements literal nested {depth} deep: irc's dense attributes have at most "
                         f"{MAX_DENSE_RANK} dimensions")
    values = convert(body)
    if isinstance(et, T.IntegerType) and et.width > 1 and not et.signedness:
        half = 1 << (et.width - 1)  # signless values above the signed range wrap, as their bits say
        wrap = lambda x: [wrap(e) for e in x] if isinstance(x, list) else (x - 2 * half if x >= half else x)  # noqa: E731
        values = wrap(values)
    try:
        arr = np.array(values, dtype=dtype)
    except ValueError:
        raise ValueError("dense elements literal has an irregular shape") from None
    if arr.shape != tuple(t.shape) and arr.size != 1:
        raise ValueError(f"inferred shape of elements literal ({list(arr.shape)}) does not match type ({t})")
    return A.DenseElementsAttr(t, arr)


def _non_affine(e) -> Optional[str]:
    """Why `e` is not affine (a product of two dimension-dependent terms, or a division
    or modulo by one), or None."""
    if not isinstance(e, A.AffineBinary):
        return None
    inner = _non_affine(e.lhs) or _non_affine(e.rhs)
    if inner:
        return inner
    if e.op == "*" and not (_symbolic(e.lhs) or _symbolic(e.rhs)):
        return "a product of two dimension-dependent terms"
    if e.op in ("floordiv", "ceildiv", "mod") and not _symbolic(e.rhs):
        return f"'{e.op}' by a dimension-dependent term"
    return None


def _symbolic(e) -> bool:
    """True when `e` involves no dimension (constants and symbols only)."""
    if isinstance(e, A.AffineDim):
        return False
    if isinstance(e, A.AffineBinary):
        return _symbolic(e.lhs) and _symbolic(e.rhs)
    return True


class _Keyword(str):
    """A bare keyword inside a dialect attribute's parameters (``fast`` in ``<fast>``)."""

    def __str__(self):
        return str.__str__(self)
