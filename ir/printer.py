"""The printer: MLIR's textual form, custom or generic.

Values are named once per isolated-from-above scope (a function): a name
hint (`%x`, `%x_tangent`) is kept when it is free, otherwise MLIR's
numbering (`%0`, `%arg0`) is used.  Printing is deterministic, so
print(parse(print(m))) == print(m).
"""

from __future__ import annotations

import re
from typing import Dict, List, Optional

from .attributes import UnitAttr, format_attr_name
from .core import Block, Operation, Region, Value
from .deep_stack import MAX_NESTING, nesting_error, retry_on_deep_stack
from .traits import IsolatedFromAbove

_NUMERIC = re.compile(r"^[0-9]+$")
_VALID_HINT = re.compile(r"^[A-Za-z_$.\-][A-Za-z0-9_$.\-]*$")
_ARG_NAME = re.compile(r"^arg[0-9]+$")


class _NameScope:
    def __init__(self):
        self.values: Dict[Value, str] = {}  # value -> its printed name ("%x", "%3#1"), made once
        self.blocks: Dict[Block, str] = {}
        self.used = set()
        self.next_suffix: Dict[str, int] = {}  # hint -> the next `_k` to try, so repeated hints cost O(1)
        self.next_value = 0
        self.next_arg = 0


class Printer:
    """Accumulates text; custom op printers call its `write`/`print_*` methods."""

    def __init__(self, generic: bool = False, debuginfo: bool = False, keep_names: bool = True):
        self.generic = generic
        self.debuginfo = debuginfo
        self.keep_names = keep_names  # False: MLIR's %N / %argN only (to compare IR across tools)
        self.parts: List[str] = []
        self.indent = 0
        self.scopes: List[_NameScope] = []

    # -- low level ---------------------------------------------------------------
    def write(self, *texts: str) -> None:
        self.parts.extend(texts)

    def newline(self) -> None:
        self.parts.append("\n" + "  " * self.indent)

    def text(self) -> str:
        return "".join(self.parts)

    # -- naming ------------------------------------------------------------------
    def _allocate(self, scope: _NameScope, hint: Optional[str], is_arg: bool) -> str:
        if hint and self.keep_names and _VALID_HINT.match(hint) and not _NUMERIC.match(hint) and not _ARG_NAME.match(hint):
            name = hint
            if name in scope.used:  # hint_0, hint_1, ...: names are never freed, so resume where the last left off
                k = scope.next_suffix.get(hint, 0)
                name = f"{hint}_{k}"
                while name in scope.used:
                    k += 1
                    name = f"{hint}_{k}"
                scope.next_suffix[hint] = k + 1
        elif is_arg:
            while f"arg{scope.next_arg}" in scope.used:
                scope.next_arg += 1
            name = f"arg{scope.next_arg}"
            scope.next_arg += 1
        else:
            while str(scope.next_value) in scope.used:
                scope.next_value += 1
            name = str(scope.next_value)
            scope.next_value += 1
        scope.used.add(name)
        return name

    def _number_regions(self, op: Operation, scope: _NameScope) -> None:
        for region in op.regions:
            for i, block in enumerate(region.blocks):
                scope.blocks[block] = f"bb{i}"
                for a in block.arguments:
                    scope.values[a] = "%" + self._allocate(scope, a.name_hint, True)
                for inner in block.ops:
                    if inner.results:
                        self._name_results(scope, inner)
                    if not inner.has_trait(IsolatedFromAbove):
                        self._number_regions(inner, scope)

    def _name_results(self, scope: _NameScope, op: Operation) -> None:
        name = self._allocate(scope, op.results[0].name_hint, False)
        if len(op.results) == 1:
            scope.values[op.results[0]] = f"%{name}"
        else:
            for r in op.results:
                scope.values[r] = f"%{name}#{r.index}"

    def name_of(self, v: Value) -> str:
        for scope in reversed(self.scopes):
            name = scope.values.get(v)
            if name is not None:
                return name
        return "%<<UNKNOWN SSA VALUE>>"

    def block_name(self, b: Block) -> str:
        for scope in reversed(self.scopes):
            name = scope.blocks.get(b)
            if name is not None:
                return f"^{name}"
        return "^<<UNKNOWN BLOCK>>"

    # -- operations ----------------------------------------------------------------
    def print_top(self, op: Operation) -> str:
        scope = _NameScope()
        self.scopes.append(scope)
        if op.results:
            self._name_results(scope, op)
        self._number_regions(op, scope)
        self.print_op(op)
        self.scopes.pop()
        return self.text()

    def print_op(self, op: Operation) -> None:
        pushed = False
        if op.has_trait(IsolatedFromAbove) and self.scopes:
            scope = _NameScope()
            self.scopes.append(scope)
            self._number_regions(op, scope)
            pushed = True
        results = op.results
        if len(results) == 1:  # a single result's name has no `#N`
            self.parts.append(self.name_of(results[0]) + " = ")
        elif results:
            first = self.name_of(results[0]).split("#")[0]
            self.write(f"{first}:{len(results)} = ")
        syntax = None if self.generic or not op.registered else custom_syntax(type(op))
        if syntax is None:
            self.print_generic(op)
        else:
            syntax.print(self, op)
        if self.debuginfo:
            self.write(" ", str(op.location))
        if pushed:
            self.scopes.pop()

    def print_generic(self, op: Operation) -> None:
        from .attributes import quote

        self.write(quote(op.op_name), "(", ", ".join(self.name_of(v) for v in op.operands), ")")
        if op.successors:
            self.write("[", ", ".join(self.block_name(b) for b in op.successors), "]")
        props, rest = split_properties(op)
        if props:
            self.write(" <")
            self.print_attr_dict_entries(props)
            self.write(">")
        if op.regions:
            self.write(" (")
            for i, r in enumerate(op.regions):
                if i:
                    self.write(", ")
                self.print_region(r, print_entry_block_args=True, print_empty_block=True)
            self.write(")")
        if rest:
            self.write(" ")
            self.print_attr_dict_entries(rest)
        ins = ", ".join(str(v.type) for v in op.operands)
        outs = [str(r.type) for r in op.results]
        if len(outs) == 1 and not outs[0].startswith("("):
            self.write(f" : ({ins}) -> {outs[0]}")
        else:
            self.write(f" : ({ins}) -> ({', '.join(outs)})")

    # -- pieces ----------------------------------------------------------------------
    def print_attr_dict_entries(self, entries) -> None:
        parts = []
        for k, v in entries:
            parts.append(format_attr_name(k) if isinstance(v, UnitAttr) else f"{format_attr_name(k)} = {v}")
        self.write("{", ", ".join(parts), "}")

    def print_optional_attr_dict(self, op: Operation, elided=(), keyword: bool = False) -> None:
        entries = [(k, v) for k, v in sorted(op.attributes.items()) if k not in elided and k != "operandSegmentSizes"]
        if entries:
            self.write(" attributes " if keyword else " ")
            self.print_attr_dict_entries(entries)

    def print_operands(self, values) -> None:
        self.write(", ".join(self.name_of(v) for v in values))

    def print_types(self, types) -> None:
        self.write(", ".join(str(t) for t in types))

    def print_arrow_types(self, types) -> None:
        """`-> t` or `-> (t1, t2)`; nothing for no types."""
        types = list(types)
        if not types:
            return
        if len(types) == 1 and not str(types[0]).startswith("("):
            self.write(f" -> {types[0]}")
        else:
            self.write(f" -> ({', '.join(map(str, types))})")

    def print_block_args_inline(self, values, with_types: bool = True) -> None:
        self.write(", ".join(f"{self.name_of(v)}: {v.type}" if with_types else self.name_of(v) for v in values))

    def print_region(
        self,
        region: Region,
        print_entry_block_args: bool = True,
        print_block_terminators: bool = True,
        print_empty_block: bool = False,
    ) -> None:
        """`print_empty_block`: an empty entry block shows its label (`^bb0:`), as MLIR's
        generic form does; `{}` alone would read back as a region with no block."""
        self.write("{")
        self.indent += 1  # one level per enclosing region
        if self.indent > MAX_NESTING:
            raise nesting_error(region.parent)
        for i, block in enumerate(region.blocks):
            show_label = (
                i > 0
                or (print_entry_block_args and bool(block.arguments))
                or (print_empty_block and block.first_op is None)
            )
            if show_label:
                self.indent -= 1
                self.newline()
                self.write(self.block_name(block))
                if block.arguments:
                    self.write("(", ", ".join(f"{self.name_of(a)}: {a.type}" for a in block.arguments), ")")
                self.write(":")
                self.indent += 1
            for op in block.ops:
                if not print_block_terminators and op is block.last_op and op.has_trait(_terminator()):
                    if not op.operands and not op.attributes:
                        continue
                self.newline()
                self.print_op(op)
        self.indent -= 1
        self.newline()
        self.write("}")


def _terminator():
    from .traits import Terminator

    return Terminator


def split_properties(op: Operation):
    """(inherent, discardable) attribute entries; inherent ones print as `<{...}>`."""
    if not op.registered:
        return [], sorted(op.attributes.items())
    inherent = {d.name for d in type(op).attribute_defs} | {"operandSegmentSizes", "resultSegmentSizes"}
    props = sorted((k, v) for k, v in op.attributes.items() if k in inherent)
    rest = sorted((k, v) for k, v in op.attributes.items() if k not in inherent)
    return props, rest


def custom_syntax(cls):
    """The op class's custom syntax object (format-generated or hand-written), or None."""
    return syntax_of(cls)


from .assembly_format import syntax_of  # noqa: E402  (assembly_format does not import the printer)


def print_op(op: Operation, generic: bool = False, debuginfo: bool = False, keep_names: bool = True) -> str:
    """The text of `op` (usually a builtin.module) with a trailing newline."""
    def text():
        return Printer(generic=generic, debuginfo=debuginfo, keep_names=keep_names).print_top(op) + "\n"

    return retry_on_deep_stack(text)
