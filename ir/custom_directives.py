"""Custom directives for assembly formats: MLIR's ``custom<Name>(...)``.

A directive is a reusable piece of syntax, written once with its grammar, the
way it builds what it parsed and the way it prints, and used by any number of
ops' format strings::

    format = "$source `[` ... custom<DynamicIndexList>($offsets, $static_offsets) attr-dict ..."

The arguments (``$offsets, $static_offsets``) bind the directive's
parameters (``values``, ``static``), in order, to the op's operands,
attributes, regions or ``type($x)``.  A directive's grammar is one lark rule
shared by every op using it, so a new op costs no new parse-table states.
Its rule body names the pieces it matches (``values=value_use_list``);
`parse` receives them by those names and returns the parameters' values by
name; `print` receives the op's values by parameter name.

Shipped here, as the arrays issue needs them:

- `DynamicIndexList`: ``[%a, 4, %b]``, an index list mixing SSA values and
  constants, kept as the dynamic operands plus a static ``array<i64: ...>``
  holding `DYNAMIC_INDEX` (MLIR's ``ShapedType::kDynamic``) where a value is.
- `KeywordOperands("ins")` / `("outs")`: ``ins(%a, %b : t1, t2)``, an operand
  group with its types, as linalg and its structured ops write them.
- `EntryArguments`: ``(%i: index, %x: f64)`` in an op's header naming its
  region's entry block arguments; the region is parsed first and its uses of
  those names are bound when the op is built (no state passed from the header
  to the region while parsing).
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from typing import Any, Callable, Dict, List, Optional, Tuple

from .attributes import DenseArrayAttr
from .context import current_context, default_context, register
from .core import Value
from .types import IndexType, i64

DYNAMIC_INDEX = -(1 << 63)  # MLIR's ShapedType::kDynamic in static index arrays (INT64_MIN)

_LABEL = re.compile(r"(\w+)=")


def labeled_rule(body: str) -> Tuple[str, Tuple[str, ...]]:
    """A lark rule body with ``name=`` labels -> (the body without labels, the labels in order).

    Every child the rule produces must be labeled: quoted literals produce
    none, `[...]` around labeled items produces one child (None if absent) each."""
    names = tuple(_LABEL.findall(body))
    return _LABEL.sub("", body), names


class CustomDirective:
    """A reusable piece of an op's custom syntax (subclasses fill in the class fields).

    `params`: the parameter names a format's ``custom<Name>(...)`` binds, in order.
    `body`: the lark rule body, its pieces labeled (``"(" [values=value_use_list] ")"``).
    `subrules`: helper rules, {name: (body, callback(parse_context, *children))}.
    `optional`: the whole directive may be absent (then `parse` gets no pieces).
    `region_params`: parameters bound to a region whose entry arguments the
    directive names (its region prints without an entry block header).
    """

    name = ""
    params: Tuple[str, ...] = ()
    body = ""
    subrules: Dict[str, Tuple[str, Optional[Callable]]] = {}
    optional = False
    region_params: Tuple[str, ...] = ()

    @property
    def rule(self) -> str:
        """The grammar rule shared by every op that uses this directive."""
        return "custom_" + re.sub(r"(?<!^)(?=[A-Z])", "_", self.name).lower()

    def grammar(self) -> List[str]:
        """The directive's lark rules."""
        body, _ = labeled_rule(self.body)
        return [f"{self.rule}: {body}"] + [f"{name}: {sub}" for name, (sub, _cb) in self.subrules.items()]

    def callbacks(self) -> Dict[str, Callable]:
        """Rule callbacks: the main rule's gives its pieces by label."""
        _, names = labeled_rule(self.body)
        cbs = {self.rule: lambda ctx, *children: dict(zip(names, children))}
        for name, (_sub, cb) in self.subrules.items():
            if cb is not None:
                cbs[name.lstrip("!?")] = cb
        return cbs

    def parse(self, parser, location_token, **pieces) -> Dict[str, Any]:
        """The parameters' values (by parameter name) from the parsed pieces (by label)."""
        raise NotImplementedError

    def print(self, printer, **values) -> None:
        """Print the directive from the op's values, given by parameter name."""
        raise NotImplementedError


# the default context's directives; formats look names up in the current context's
DIRECTIVES: Dict[str, CustomDirective] = default_context().directives


def register_directive(directive: CustomDirective) -> CustomDirective:
    """Make `directive` usable as ``custom<directive.name>(...)`` in formats: irc's own in every
    context, a plugin's (registered from its module) in the context it is loaded into."""
    caller = sys._getframe(1).f_globals.get("__name__")
    register("directives", directive.name, directive, caller)
    return directive


def find_directive(name: str) -> Optional[CustomDirective]:
    """The directive `custom<name>` means in the current context, or None."""
    return current_context().directives.get(name)


# ----------------------------------------------------------------------------
# the shipped directives


def _items(ctx, *items):
    return list(items)


class DynamicIndexList(CustomDirective):
    """``[%a, 4, %b]``: index operands and constants, with a static array holding both."""

    name = "DynamicIndexList"
    params = ("values", "static")
    body = '"[" [items=dynamic_index_items] "]"'
    subrules = {
        "dynamic_index_items": ("dynamic_index (\",\" dynamic_index)*", _items),
        "?dynamic_index": ("value_use | INT | NEG_INT", None),
    }

    def parse(self, parser, location_token, items=None):
        values, static = [], []
        for item in items or ():
            if isinstance(item, Value):
                parser.check_operand_type(item, IndexType(), location_token)
                values.append(item)
                static.append(DYNAMIC_INDEX)
            else:  # an INT or NEG_INT token
                static.append(int(getattr(item, "value", item)))
        return {"values": values, "static": DenseArrayAttr(i64, tuple(static))}

    def print(self, printer, values=(), static=None):
        values = list(values)
        parts, k = [], 0
        for s in static.values if static is not None else ():
            if s == DYNAMIC_INDEX and k < len(values):
                parts.append(printer.name_of(values[k]))
                k += 1
            else:
                parts.append(str(s))
        printer.write("[", ", ".join(parts), "]")


class KeywordOperands(CustomDirective):
    """``ins(%a, %b : t1, t2)``: a keyword, then an operand group with its types (absent when empty)."""

    params = ("values", "types")
    optional = True

    def __init__(self, keyword: str):
        self.keyword = keyword
        self.name = keyword.capitalize()
        self.body = f'"{keyword}" "(" [values=value_use_list ":" types=type_list] ")"'

    def parse(self, parser, location_token, values=None, types=None):
        values, types = list(values or ()), list(types or ())
        if len(values) != len(types):
            raise parser.error_at(
                location_token, f"'{self.keyword}' has {len(values)} operands but {len(types)} types"
            )
        for v, t in zip(values, types):
            parser.check_operand_type(v, t, location_token)
        return {"values": values, "types": types}

    def print(self, printer, values=(), types=()):
        values = list(values)
        if values:
            printer.write(f"{self.keyword}(")
            printer.print_operands(values)
            printer.write(" : ")
            printer.print_types(v.type for v in values)
            printer.write(")")


@dataclass
class EntryArgumentNames:
    """What `EntryArguments` parsed for a region: (token, type, location) per argument."""

    arguments: List[tuple]


class EntryArguments(CustomDirective):
    """``(%i: index, %x: f64)``: the entry block arguments of the op's region, named in its header."""

    name = "EntryArguments"
    params = ("region",)
    region_params = ("region",)
    body = '"(" [arguments=entry_argument_list] ")"'
    subrules = {"entry_argument_list": ('block_arg ("," block_arg)*', _items)}

    def parse(self, parser, location_token, arguments=None):
        return {"region": EntryArgumentNames(list(arguments or ()))}

    def print(self, printer, region=None):
        block = region.blocks[0] if region is not None and region.blocks else None
        args = block.arguments if block is not None else ()
        printer.write("(", ", ".join(f"{printer.name_of(a)}: {a.type}" for a in args), ")")


for _directive in (DynamicIndexList(), KeywordOperands("ins"), KeywordOperands("outs"), EntryArguments()):
    register_directive(_directive)
