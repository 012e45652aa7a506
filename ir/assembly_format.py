"""Declarative assembly formats, as in MLIR's ODS.

An op's ``format`` string (``"$lhs `,` $rhs attr-dict `:` type($result)"``)
gives three things: a lark rule for the op's custom form (added to the core
grammar), the callback that builds the op from what that rule matched, and
the printer.  Supported directives: literals in backticks (an empty literal
suppresses a space), ``$operand``/``$attribute``/``$region``/``$successor``,
``type($x)``, ``type(operands)``, ``type(results)``,
``functional-type(operands, results)``, ``attr-dict``,
``attr-dict-with-keyword``, optional groups ``( ... $anchor^ ... )?`` and
custom directives ``custom<Name>($a, type($b), ...)`` (ir/custom_directives.py:
reusable pieces of syntax such as ``[%a, 4, %b]`` index lists, ``ins(...)``
operand groups and region arguments named in the op's header).

Ops whose syntax a format cannot say (``func.func``, ``scf.for`` ...)
define a `CustomSyntax` by hand: a lark rule body whose pieces are labeled
(``header=scf_for_header body=region``), extra rules with their callbacks, a
``parse_custom`` classmethod receiving the pieces by those names and a
``print_custom`` method.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional

from .attributes import Attribute, DenseArrayAttr, IntegerAttr
from .custom_directives import CustomDirective, EntryArgumentNames, find_directive
from .custom_syntax import CustomSyntax, Syntax
from .diagnostics import DiagnosticError
from .types import FunctionType, i32, i64

# ----------------------------------------------------------------------------
# how an attribute is written inside a custom form


class AttrSyntax:
    """Default: any attribute in its full form."""

    rule = "attribute"

    def convert(self, parser, child):
        return child

    def print(self, attr) -> str:
        return str(attr)


class EnumSyntax(AttrSyntax):
    """A keyword standing for an integer (MLIR's enum attributes: cmpf predicates)."""

    rule = "enum_keyword"

    def __init__(self, cases, type=i64):
        self.cases = list(cases)
        self.type = type

    def convert(self, parser, tok):
        text = str(tok)
        if text not in self.cases:
            raise parser.error_at(tok, f"expected one of {{{', '.join(self.cases)}}}, got '{text}'")
        return IntegerAttr(self.cases.index(text), self.type)

    def print(self, attr) -> str:
        v = attr.value
        return self.cases[v] if 0 <= v < len(self.cases) else str(v)


class ParamsSyntax(AttrSyntax):
    """The ``<...>`` body of a dialect attribute written after a keyword (``fastmath<fast>``)."""

    rule = "dialect_params"

    def __init__(self, attr_cls):
        self.attr_cls = attr_cls

    def convert(self, parser, params):
        return self.attr_cls.from_params(params)

    def print(self, attr) -> str:
        text = str(attr)
        return text[text.index("<"):]


DEFAULT_ATTR_SYNTAX = AttrSyntax()


# ----------------------------------------------------------------------------
# format elements


@dataclass
class Literal:
    text: str


@dataclass
class Var:
    name: str
    kind: str  # operand | attr | region | successor
    index: int = 0
    variadic: bool = False
    optional: bool = False


@dataclass
class TypeOf:
    name: str  # operand/result name, or "operands"/"results"
    kind: str  # operand | result | operands | results
    index: int = 0
    variadic: bool = False


@dataclass
class FunctionalType:
    inputs: str
    outputs: str


@dataclass
class AttrDictDirective:
    keyword: bool


@dataclass
class Custom:
    """``custom<Name>(args)``: a registered directive bound to the op's pieces."""

    directive: CustomDirective
    args: List[Any]  # Var or TypeOf, one per directive parameter


@dataclass
class Group:
    elements: List[Any]
    anchor: Any
    rule: str = ""


@dataclass
class _Parsed:
    operands: Dict[str, Any] = field(default_factory=dict)
    operand_types: Dict[str, Any] = field(default_factory=dict)
    result_types: Dict[str, Any] = field(default_factory=dict)
    attrs: Dict[str, Attribute] = field(default_factory=dict)
    regions: Dict[str, Any] = field(default_factory=dict)
    successors: Dict[str, Any] = field(default_factory=dict)
    attr_dict: Optional[dict] = None
    all_operand_types: Optional[list] = None
    all_result_types: Optional[list] = None
    region_arguments: Dict[str, list] = field(default_factory=dict)  # named in the header


_TOKEN = re.compile(
    r"\s*(?:(`[^`]*`)|(\$[A-Za-z_][A-Za-z0-9_]*\^?)|(attr-dict-with-keyword|attr-dict)"
    r"|(functional-type|type)\s*\(|custom\s*<\s*(\w+)\s*>\s*\(|(\()|(\)\??)|(\^)|(,))"
)


class FormatSyntax(Syntax):
    """A custom form generated from an assembly format string."""

    def __init__(self, cls):
        super().__init__(cls)
        self.group_count = 0
        self.elements = self._parse_format(cls.format)
        self.referenced_attrs = set()
        self._collect_attrs(self.elements)
        self._header_regions = self._header_named_regions()
        # every result's type is written somewhere (maybe in an optional group): none are inferred
        written = set()
        for el in self._all_elements(self.elements):
            for a in [el, *getattr(el, "args", ())]:
                if isinstance(a, TypeOf) and a.kind in ("result", "results"):
                    written.update([a.name] if a.kind == "result" else [d.name for d in cls.result_defs])
        self._writes_result_types = bool(cls.result_defs) and all(d.name in written for d in cls.result_defs)
        self._fast_plan = self._plan_fast_build()

    # -- reading the format string ------------------------------------------------
    def _lookup_var(self, name: str):
        cls = self.cls
        for i, d in enumerate(cls.operand_defs):
            if d.name == name:
                return Var(name, "operand", i, d.variadic, d.optional)
        for d in cls.attribute_defs:
            if d.name == name:
                return Var(name, "attr")
        for i, d in enumerate(cls.region_defs):
            if d.name == name:
                return Var(name, "region", i, d.variadic)
        for i, d in enumerate(cls.successor_defs):
            if d.name == name:
                return Var(name, "successor", i, d.variadic)
        raise ValueError(f"{cls.name}: format refers to unknown '${name}'")

    def _lookup_type_target(self, name: str) -> TypeOf:
        cls = self.cls
        if name in ("operands", "results"):
            return TypeOf(name, name, 0, True)
        for i, d in enumerate(cls.operand_defs):
            if d.name == name:
                return TypeOf(name, "operand", i, d.variadic or d.optional)
        for i, d in enumerate(cls.result_defs):
            if d.name == name:
                return TypeOf(name, "result", i, d.variadic)
        raise ValueError(f"{cls.name}: type() of unknown '${name}'")

    def _parse_format(self, fmt: str):
        pos = 0
        stack: List[List[Any]] = [[]]
        anchors: List[Any] = [None]
        while pos < len(fmt):
            if fmt[pos:].strip() == "":
                break
            m = _TOKEN.match(fmt, pos)
            if not m:
                raise ValueError(f"{self.cls.name}: bad format near {fmt[pos:]!r}")
            pos = m.end()
            lit, var, attr_dict, directive, custom, lparen, rparen, caret, comma = m.groups()
            if lit is not None:
                stack[-1].append(Literal(lit[1:-1]))
            elif var is not None:
                anchor = var.endswith("^")
                v = self._lookup_var(var[1:].rstrip("^"))
                stack[-1].append(v)
                if anchor:
                    anchors[-1] = v
            elif attr_dict is not None:
                stack[-1].append(AttrDictDirective(attr_dict == "attr-dict-with-keyword"))
            elif directive is not None:
                end = fmt.index(")", pos)
                args = [a.strip().lstrip("$") for a in fmt[pos:end].split(",")]
                pos = end + 1
                anchor = fmt[pos:pos + 1] == "^"
                if anchor:
                    pos += 1
                if directive == "type":
                    el = self._lookup_type_target(args[0])
                else:
                    el = FunctionalType(args[0], args[1])
                stack[-1].append(el)
                if anchor:
                    anchors[-1] = el
            elif custom is not None:
                element, pos = self._custom(custom, fmt, pos)
                stack[-1].append(element)
            elif lparen is not None:
                stack.append([])
                anchors.append(None)
            elif rparen is not None:
                if not rparen.endswith("?"):
                    raise ValueError(f"{self.cls.name}: only optional groups `( ... )?` are supported")
                elements = stack.pop()
                anchor = anchors.pop()
                self.group_count += 1
                stack[-1].append(Group(elements, anchor, f"{self.rule}_g{self.group_count}"))
            else:
                raise ValueError(f"{self.cls.name}: unexpected {m.group(0)!r} in format")
        assert len(stack) == 1, f"{self.cls.name}: unbalanced format"
        return stack[0]

    def _custom(self, name: str, fmt: str, pos: int):
        """The `Custom` element whose arguments start at `pos`, and the position after its `)`."""
        directive = find_directive(name)
        if directive is None:
            raise ValueError(f"{self.cls.name}: format uses unknown directive custom<{name}>")
        depth, end = 0, pos
        while depth or fmt[end] != ")":
            depth += {"(": 1, ")": -1}.get(fmt[end], 0)
            end += 1
        args = []
        for arg in (a.strip() for a in fmt[pos:end].split(",") if a.strip()):
            typed = re.fullmatch(r"type\(\s*\$(\w+)\s*\)", arg)
            if typed:
                args.append(self._lookup_type_target(typed.group(1)))
            elif arg.startswith("$"):
                args.append(self._lookup_var(arg[1:]))
            else:
                raise ValueError(f"{self.cls.name}: bad argument {arg!r} of custom<{name}>")
        if len(args) != len(directive.params):
            raise ValueError(
                f"{self.cls.name}: custom<{name}> takes {len(directive.params)} arguments "
                f"({', '.join(directive.params)}), got {len(args)}"
            )
        return Custom(directive, args), end + 1

    def directives(self):
        """The custom directives this format uses (their rules join the grammar once)."""
        return [el.directive for el in self._all_elements(self.elements) if isinstance(el, Custom)]

    def _all_elements(self, elements):
        for el in elements:
            yield el
            if isinstance(el, Group):
                yield from self._all_elements(el.elements)

    def _collect_attrs(self, elements):
        for el in elements:
            if isinstance(el, Var) and el.kind == "attr":
                self.referenced_attrs.add(el.name)
            elif isinstance(el, Custom):
                self.referenced_attrs.update(a.name for a in el.args if isinstance(a, Var) and a.kind == "attr")
            elif isinstance(el, Group):
                self._collect_attrs(el.elements)

    def _attr_default(self, name: str):
        for d in self.cls.attribute_defs:
            if d.name == name:
                return getattr(d, "default", None)
        return None

    def _attr_syntax(self, name: str) -> AttrSyntax:
        for d in self.cls.attribute_defs:
            if d.name == name:
                return getattr(d, "syntax", None) or getattr(d.kind, "format_syntax", None) or DEFAULT_ATTR_SYNTAX
        return DEFAULT_ATTR_SYNTAX

    # -- grammar -----------------------------------------------------------------
    def _expr(self, el, rules: List[str], prefix: Optional[str] = None) -> Optional[str]:
        if isinstance(el, Literal):
            return f'"{el.text}"' if el.text.strip() else None  # `` and ` ` only shape the printing
        if isinstance(el, Var):
            if el.kind == "operand":
                if el.variadic:
                    return "[value_use_list]"
                return "[value_use]" if el.optional else "value_use"
            if el.kind == "attr":
                return self._attr_syntax(el.name).rule
            if el.kind == "region":
                return "region_seq" if el.variadic else "region"
            if el.kind == "successor":
                return "successor"
        if isinstance(el, TypeOf):
            return "[type_list]" if el.variadic else "type"
        if isinstance(el, FunctionalType):
            return "function_type"
        if isinstance(el, AttrDictDirective):
            return "[attr_dict_kw]" if el.keyword else "[attr_dict]"
        if isinstance(el, Custom):
            return f"[{el.directive.rule}]" if el.directive.optional else el.directive.rule
        if isinstance(el, Group):
            inner = [e for e in (self._expr(x, rules, prefix) for x in el.elements) if e]
            # inside a group its anchor is what makes the group present: not optional
            inner = [e[1:-1] if e.startswith("[") and e.endswith("]") else e for e in inner]
            name = el.rule if prefix is None else prefix + el.rule[len(self.rule):]
            rules.append(f"{name}: {' '.join(inner)}")
            return f"[{name}]"
        raise AssertionError(el)

    def shape(self, prefix: str):
        """(rule body after the op name, subrules) with subrules named after `prefix`.

        Ops whose shapes are equal share one grammar rule (all binary arith ops
        have the same form), which keeps the LALR tables and start-up small.
        """
        rules: List[str] = []
        exprs = [e for e in (self._expr(el, rules, prefix) for el in self.elements) if e]
        return " ".join(exprs), tuple(rules)

    def grammar(self) -> List[str]:
        rules: List[str] = []
        exprs = [e for e in (self._expr(el, rules) for el in self.elements) if e]
        return [f"{self.rule}: {self.name_rule()} {' '.join(exprs)}", *rules, *self.terminal_defs()]

    def callbacks(self) -> Dict[str, Any]:
        cbs = {self.rule: self._build}
        for g in self._groups(self.elements):
            cbs[g.rule] = lambda parser, *children, _g=g: ("group", _g, children)
        return cbs

    def _groups(self, elements):
        for el in elements:
            if isinstance(el, Group):
                yield el
                yield from self._groups(el.elements)

    # -- building ---------------------------------------------------------------------
    def _consume(self, parser, name_tok, elements, children, st: _Parsed):
        k = 0
        for el in elements:
            if isinstance(el, Literal):
                continue
            child = children[k]
            k += 1
            if isinstance(el, Group):
                if child is not None:
                    self._consume(parser, name_tok, el.elements, child[2], st)
                continue
            if isinstance(el, Custom):
                values = el.directive.parse(parser, name_tok, **(child or {}))
                for param, arg in zip(el.directive.params, el.args):
                    self._store_custom_value(arg, values.get(param), st)
                continue
            if isinstance(el, Var):
                if el.kind == "operand":
                    if el.variadic:
                        st.operands[el.name] = list(child or [])
                    elif el.optional:
                        st.operands[el.name] = [child] if child is not None else []
                    else:
                        st.operands[el.name] = [child]
                elif el.kind == "attr":
                    st.attrs[el.name] = self._attr_syntax(el.name).convert(parser, child)
                elif el.kind == "region":
                    st.regions[el.name] = child if isinstance(child, list) else [child]
                elif el.kind == "successor":
                    st.successors[el.name] = child
            elif isinstance(el, TypeOf):
                types = list(child or []) if el.variadic else [child]
                if el.kind == "operand":
                    st.operand_types[el.name] = types
                elif el.kind == "result":
                    st.result_types[el.name] = types
                elif el.kind == "operands":
                    st.all_operand_types = types
                else:
                    st.all_result_types = types
            elif isinstance(el, FunctionalType):
                st.all_operand_types = list(child.inputs)
                st.all_result_types = list(child.results)
            elif isinstance(el, AttrDictDirective):
                st.attr_dict = child

    @staticmethod
    def _store_custom_value(arg, value, st: _Parsed) -> None:
        """Put what a directive parsed for one parameter where the op's piece `arg` goes."""
        if isinstance(arg, Var):
            if arg.kind == "operand":
                st.operands[arg.name] = list(value or []) if arg.variadic or arg.optional else [value]
            elif arg.kind == "attr":
                if value is not None:
                    st.attrs[arg.name] = value
            elif arg.kind == "region" and isinstance(value, EntryArgumentNames):
                st.region_arguments[arg.name] = value.arguments
            elif arg.kind == "region":
                st.regions[arg.name] = value if isinstance(value, list) else [value]
            else:
                st.successors[arg.name] = value
        elif arg.kind == "operand":
            st.operand_types[arg.name] = list(value or [])
        elif arg.kind == "result":
            st.result_types[arg.name] = list(value or [])

    # Most formats have a fixed shape (`$lhs, $rhs (fastmath<...>)? attr-dict : type($result)`):
    # every child sits at a known position, so `_build_fast` reads them directly instead
    # of running the general `_consume` walk per op; the two give the same op and errors.
    def _plan_fast_build(self):
        """Child positions for `_build_fast`, or None when the format needs the general path."""
        cls = self.cls
        if cls.region_defs or cls.successor_defs:
            return None
        if any(d.variadic or d.optional for d in cls.operand_defs) or any(d.variadic for d in cls.result_defs):
            return None
        operand_slot, operand_type_slot, result_type_slot = {}, {}, {}
        attr_slots, group_attr_slots = [], []
        attr_dict_slot = None
        k = 0
        for el in self.elements:
            if isinstance(el, Literal):
                continue
            if isinstance(el, Var) and el.kind == "operand":
                operand_slot[el.name] = k
            elif isinstance(el, Var) and el.kind == "attr":
                attr_slots.append((k, el.name, self._attr_syntax(el.name)))
            elif isinstance(el, TypeOf) and el.kind == "operand" and not el.variadic:
                operand_type_slot[el.name] = k
            elif isinstance(el, TypeOf) and el.kind == "result" and not el.variadic:
                result_type_slot[el.name] = k
            elif isinstance(el, AttrDictDirective):
                attr_dict_slot = k
            elif isinstance(el, Group):
                # only `(`keyword` $attr^)?`: literals around one attribute
                inner = [x for x in el.elements if not isinstance(x, Literal)]
                if len(inner) != 1 or not (isinstance(inner[0], Var) and inner[0].kind == "attr"):
                    return None
                group_attr_slots.append((k, inner[0].name, self._attr_syntax(inner[0].name)))
            else:
                return None
            k += 1
        if len(operand_slot) != len(cls.operand_defs):
            return None
        # attributes convert in format order, as `_consume` does (the first bad one is reported)
        conversions = sorted(
            [(k, name, syn, False) for k, name, syn in attr_slots]
            + [(k, name, syn, True) for k, name, syn in group_attr_slots]
        )
        operands = tuple(operand_slot[d.name] for d in cls.operand_defs)
        operand_types = tuple(
            (i, operand_type_slot[d.name]) for i, d in enumerate(cls.operand_defs) if d.name in operand_type_slot
        )
        if all(d.name in result_type_slot for d in cls.result_defs):
            result_types = tuple(result_type_slot[d.name] for d in cls.result_defs)
        else:
            result_types = None  # inferred from the operands
        return operands, operand_types, result_types, tuple(conversions), attr_dict_slot

    def _build_fast(self, parser, name_tok, children):
        operand_slots, operand_type_slots, result_type_slots, conversions, attr_dict_slot = self._fast_plan
        operands = [children[k] for k in operand_slots]
        attrs = {}
        if attr_dict_slot is not None and children[attr_dict_slot]:
            attrs.update(children[attr_dict_slot])
        if conversions:
            try:
                for k, name, syntax, in_group in conversions:
                    child = children[k]
                    if in_group:
                        if child is None:
                            continue
                        child = child[2][0]
                    attrs[name] = syntax.convert(parser, child)
            except DiagnosticError as e:  # attribute syntaxes without a token: point at the op
                for d in e.diagnostics:
                    if d.location is None or d.location.file_line_col() is None:
                        d.location = parser.loc_of(name_tok)
                raise
        for i, k in operand_type_slots:
            parser.check_operand_type(operands[i], children[k], name_tok)
        if result_type_slots is not None:
            result_types = [children[k] for k in result_type_slots]
        else:
            result_types = self._infer(parser, name_tok, operands, attrs, [])
        return parser.make_op(self.cls.name, operands, result_types, attrs, [], [], parser.loc_of(name_tok))

    def children_builder(self):
        """`build(parser, name_tok, children)`: the op its rule matched, from what the rule's pieces
        parsed to (in order)."""
        if self._fast_plan is not None:
            return self._build_fast
        return lambda parser, name_tok, children: self._build(parser, name_tok, *children)

    def _build(self, parser, name_tok, *children):
        if self._fast_plan is not None:
            return self._build_fast(parser, name_tok, children)
        cls = self.cls
        st = _Parsed()
        try:
            self._consume(parser, name_tok, self.elements, children, st)
        except DiagnosticError as e:  # attribute syntaxes without a token: point at the op
            for d in e.diagnostics:
                if d.location is None or d.location.file_line_col() is None:
                    d.location = parser.loc_of(name_tok)
            raise
        loc = parser.loc_of(name_tok)
        operands, sizes = [], []
        for d in cls.operand_defs:
            vals = st.operands.get(d.name, [])
            sizes.append(len(vals))
            operands.extend(vals)
        # operand types named by the format: give forward references their type, check the rest
        explicit = []
        for d in cls.operand_defs:
            explicit.extend(st.operand_types.get(d.name, [None] * len(st.operands.get(d.name, []))))
        if st.all_operand_types is not None:
            explicit = st.all_operand_types
            if len(explicit) != len(operands):
                raise parser.error_at(
                    name_tok, f"'{cls.name}' has {len(operands)} operands but {len(explicit)} operand types"
                )
        for v, t in zip(operands, explicit):
            parser.check_operand_type(v, t, name_tok)
        attrs = dict(st.attr_dict or {})
        attrs.update(st.attrs)
        n_var = sum(1 for d in cls.operand_defs if d.variadic or d.optional)
        if n_var > 1:
            attrs["operandSegmentSizes"] = DenseArrayAttr(i32, tuple(sizes))
        regions = []
        for d in cls.region_defs:
            regions.extend(st.regions.get(d.name, []))
            names = st.region_arguments.get(d.name)
            if names is not None and st.regions.get(d.name):
                parser.bind_entry_arguments(st.regions[d.name][0], names, name_tok)
        if not regions and cls.region_defs and hasattr(cls, "implicit_regions"):
            # a region the syntax never shows, built from the op (MLIR's named linalg ops' regionBuilder)
            regions = cls.implicit_regions(operands, attrs, loc)
        successors = [st.successors[d.name] for d in cls.successor_defs if d.name in st.successors]
        if st.all_result_types is not None:
            result_types = st.all_result_types
        elif st.result_types or not cls.result_defs or self._writes_result_types:
            result_types = []
            for d in cls.result_defs:
                result_types.extend(st.result_types.get(d.name, []))
            if len(result_types) < sum(1 for d in cls.result_defs if not d.variadic):
                result_types = self._infer(parser, name_tok, operands, attrs, regions)
        else:
            result_types = self._infer(parser, name_tok, operands, attrs, regions)
        return parser.make_op(cls.name, operands, result_types, attrs, regions, successors, loc)

    def _infer(self, parser, name_tok, operands, attrs, regions):
        try:
            return self.cls.infer_result_types([v.type for v in operands], attrs, regions)
        except Exception as e:  # inference failures are user errors here
            raise parser.error_at(name_tok, f"'{self.cls.name}' {e}")

    # -- printing ----------------------------------------------------------------------
    # The spacing rules below (MLIR's: no space before `,` or `)`, none after `(` ...)
    # depend on the literal's text only, so each literal's decisions are worked out once
    # per format in `_print_plan`; printing an op then just replays the plan.
    def print(self, p, op) -> None:
        self.print_name(p, op)
        plan = self._print_steps
        if plan is None:
            plan = self._print_steps = self._print_plan(self.elements)
        self._print_elements(p, op, plan, True, False)

    _print_steps = None

    def _print_plan(self, elements):
        """The elements as steps: ("literal", text, always_space, space_after_punct,
        space_otherwise, space_next, punct_next), ("no_space",), ("group", anchor, steps),
        ("attr_group", attr_name, default, steps), ("attr_dict", keyword, always_elided,
        defaults_to_check), ("operand" | "operand_type" | "result_type", index) for a single
        operand or result at a fixed position, or ("value", element) for the rest."""
        steps = []
        for el in elements:
            if isinstance(el, Literal):
                t = el.text
                if not t:
                    steps.append(("no_space",))
                    continue
                if t == " ":  # MLIR's ` `: one space here, and none added before what follows
                    steps.append(("literal", "", True, True, True, False, False))
                    continue
                steps.append((
                    "literal",
                    t,
                    len(t) != 1 and t != "->",
                    t[0] not in ">)}],",
                    t[0] not in "<>(){}[],",
                    not (len(t) == 1 and t in "<({["),
                    t[0] != "_" and not t[0].isalpha(),
                ))
            elif isinstance(el, Group):
                anchor = el.anchor
                if isinstance(anchor, Var) and anchor.kind == "attr":
                    # present when the attribute is set to something other than its default
                    default = self._attr_default(anchor.name)
                    steps.append(("attr_group", anchor.name, default, self._print_plan(el.elements)))
                else:
                    steps.append(("group", anchor, self._print_plan(el.elements)))
            elif isinstance(el, Custom):
                steps.append(("custom", el))
            elif isinstance(el, AttrDictDirective):
                elided = frozenset(self.referenced_attrs) | frozenset(getattr(self.cls, "elided_attrs", ()))
                # as ODS: a DefaultValuedAttr holding its default is not printed
                defaults = tuple((k, v) for k, v in getattr(self.cls, "_attr_defaults", ()) if k not in elided)
                steps.append(("attr_dict", el.keyword, elided, defaults))
            elif isinstance(el, Var) and self._is_single(el, "operand"):
                steps.append(("operand", el.index))
            elif isinstance(el, TypeOf) and self._is_single(el, "operand"):
                steps.append(("operand_type", el.index))
            elif isinstance(el, TypeOf) and self._is_single(el, "result"):
                steps.append(("result_type", el.index))
            else:
                steps.append(("value", el))
        return steps

    def _is_single(self, el, kind: str) -> bool:
        """Whether `el` names one operand (result) that sits at its group's index in every op."""
        if not isinstance(el, (Var, TypeOf)) or el.kind != kind or el.variadic:
            return False
        if kind == "operand":
            return not getattr(el, "optional", False) and self.cls._fixed_operands
        return self.cls._fixed_results

    def _present(self, op, el) -> bool:
        if isinstance(el, Var):
            if el.kind == "operand":
                return bool(op.operand_group(el.index)) if hasattr(op, "operand_group") else bool(op.operands)
            if el.kind == "attr":
                a = op.attributes.get(el.name)
                return a is not None and a != self._attr_default(el.name)
            if el.kind == "region":
                return el.index < len(op.regions) and not op.regions[el.index].is_empty
            return True
        if isinstance(el, TypeOf):
            if el.kind == "operand":
                return bool(op.operand_group(el.index))
            if el.kind == "result":
                return bool(op.result_group(el.index))
            return bool(op.operands if el.kind == "operands" else op.results)
        return True

    def _print_elements(self, p, op, steps, space, punct):
        """Print the steps; `space`: a space may come next; `punct`: the last thing printed was
        punctuation.  Returns the two flags after the steps."""
        write = p.parts.append  # Printer.write for one string, without its call overhead
        for step in steps:
            kind = step[0]
            if kind == "literal":
                _, t, always_space, space_after_punct, space_otherwise, space_next, punct_next = step
                if space and (always_space or (space_after_punct if punct else space_otherwise)):
                    write(" ")
                write(t)
                space, punct = space_next, punct_next
            elif kind == "operand":
                if space:
                    write(" ")
                space, punct = True, False
                operands = op._operands
                if step[1] < len(operands):
                    write(p.name_of(operands[step[1]]))
            elif kind == "result_type" or kind == "operand_type":
                if space:
                    write(" ")
                space, punct = True, False
                values = op.results if kind == "result_type" else op._operands
                if step[1] < len(values):
                    write(str(values[step[1]].type))
            elif kind == "value":
                if space:
                    write(" ")
                space, punct = True, False
                self._print_value(p, op, step[1])
            elif kind == "custom":
                mark = len(p.parts)
                if space:
                    write(" ")
                self._print_custom(p, op, step[1])
                if len(p.parts) == mark + space:  # printed nothing (an absent optional directive)
                    del p.parts[mark:]
                else:
                    space, punct = True, False
            elif kind == "attr_group":
                _, name, default, group_steps = step
                a = op.attributes.get(name)
                if a is not None and a != default:
                    space, punct = self._print_elements(p, op, group_steps, space, punct)
            elif kind == "group":
                if self._present(op, step[1]):
                    space, punct = self._print_elements(p, op, step[2], space, punct)
            elif kind == "attr_dict":
                _, keyword, elided, defaults = step
                if defaults:
                    attributes = op.attributes
                    elided = elided | {k for k, v in defaults if attributes.get(k) == v}
                p.print_optional_attr_dict(op, elided, keyword=keyword)
                space, punct = True, False
            else:  # no_space
                space = False
        return space, punct

    def _print_custom(self, p, op, el: Custom) -> None:
        values = {}
        for param, arg in zip(el.directive.params, el.args):
            if isinstance(arg, Var) and arg.kind == "operand":
                group = op.operand_group(arg.index)
                values[param] = group if arg.variadic or arg.optional else group[0]
            elif isinstance(arg, Var) and arg.kind == "attr":
                values[param] = op.attributes.get(arg.name)
            elif isinstance(arg, Var) and arg.kind == "region":
                values[param] = op.regions[arg.index] if arg.index < len(op.regions) else None
            elif isinstance(arg, Var):
                values[param] = op.successors[arg.index]
            elif arg.kind == "operand":
                values[param] = [v.type for v in op.operand_group(arg.index)]
            else:
                values[param] = [r.type for r in op.result_group(arg.index)]
        el.directive.print(p, **values)

    def _header_named_regions(self):
        """Regions whose entry arguments a directive prints in the op's header."""
        return {
            arg.name
            for el in self._all_elements(self.elements)
            if isinstance(el, Custom)
            for param, arg in zip(el.directive.params, el.args)
            if param in el.directive.region_params
        }

    def _print_value(self, p, op, el) -> None:
        if isinstance(el, Var):
            if el.kind == "operand":
                p.print_operands(op.operand_group(el.index))
            elif el.kind == "attr":
                p.write(self._attr_syntax(el.name).print(op.attributes[el.name]))
            elif el.kind == "region":
                entry_args = el.name not in self._header_regions
                for i, r in enumerate(op.regions[el.index:] if el.variadic else [op.regions[el.index]]):
                    if i:
                        p.write(", ")
                    p.print_region(r, print_entry_block_args=entry_args)
            elif el.kind == "successor":
                p.write(p.block_name(op.successors[el.index]))
        elif isinstance(el, TypeOf):
            if el.kind == "operand":
                p.print_types(v.type for v in op.operand_group(el.index))
            elif el.kind == "result":
                p.print_types(r.type for r in op.result_group(el.index))
            elif el.kind == "operands":
                p.print_types(v.type for v in op.operands)
            else:
                p.print_types(r.type for r in op.results)
        elif isinstance(el, FunctionalType):
            p.write(str(FunctionType(tuple(v.type for v in op.operands), tuple(r.type for r in op.results))))


_SYNTAX_CACHE: Dict[type, Optional[Syntax]] = {}


def syntax_of(cls) -> Optional[Syntax]:
    """The custom syntax of an op class (None: generic form only)."""
    s = _SYNTAX_CACHE.get(cls, False)
    if s is False:
        if getattr(cls, "syntax_rule", None):
            s = CustomSyntax(cls)
        elif cls.format is not None:
            s = FormatSyntax(cls)
        else:
            s = None
        _SYNTAX_CACHE[cls] = s
    return s
