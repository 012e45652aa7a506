"""The parser: lark (LALR) over grammar/core.lark plus one rule per op's
custom form.  This file assembles the grammar, builds and caches the LALR
table and runs lark; the callbacks that build IR objects as rules are reduced
live in `parse_callbacks.py`.

The grammar is rebuilt whenever the op registry changes, so a plugin that
registers a dialect can be parsed at once; each grammar's parser is kept in
irc's private per-user cache folder (ir/cache.py).
Every error becomes a located `DiagnosticError`.
"""

from __future__ import annotations

import gc
import marshal
import operator
import re
import sys
from importlib import resources
from typing import Dict, List, Optional

from lark import Lark
from lark.lark import _LOAD_ALLOWED_OPTIONS
from lark.lexer import TerminalDef
from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken
from lark.grammar import Rule
from lark.parsers.lalr_analysis import IntParseTable, Reduce, Shift
from lark.parsers.lalr_parser import LALR_Parser
from lark.parsers.lalr_parser import _Parser as _LarkTableParser
from lark.parse_tree_builder import ChildFilterLALR, ChildFilterLALR_NoPlaceholders, ExpandSingleChild

from .assembly_format import FormatSyntax, syntax_of
from .cache import read_cache_file, write_cache_file
from .context import Context, current_context
from .core import Operation
from .deep_stack import check_nesting_depth
from .diagnostics import SOURCES, DiagnosticError, error, quote_source
from .location import FileLineColLoc
from .parse_callbacks import ParseContext, _Builder, _text

# ----------------------------------------------------------------------------
# building the grammar

def _core_grammar() -> str:
    return resources.files("irc.grammar").joinpath("core.lark").read_text()


def build_grammar(context: Optional[Context] = None):
    """The full grammar text and the op callbacks, for `context`'s ops (default: the current context)."""
    ops = (context or current_context()).ops
    core = _core_grammar()
    rules: List[str] = []
    callbacks = {}
    alternatives = ["generic_op"]
    seen = set()
    shared: Dict[tuple, list] = {}
    directives: Dict[str, object] = {}  # each custom directive's rules join the grammar once
    for name in sorted(ops):
        cls = ops[name]
        if cls in seen:
            continue
        seen.add(cls)
        syntax = syntax_of(cls)
        if syntax is None:
            continue
        if isinstance(syntax, FormatSyntax):
            shared.setdefault(syntax.shape("@"), []).append(syntax)
            directives.update((d.rule, d) for d in syntax.directives())
            continue
        rules.extend(syntax.grammar())
        callbacks.update(syntax.callbacks())
        alternatives.append(syntax.rule)
    for i, group in enumerate(shared.values()):
        rule = f"fmt_{i}"
        body, subrules = group[0].shape(rule)
        terminals = [t for s in group for t in s.terminals]
        # the op names go in a rule of their own: written inline, `(A | B) body` would make
        # lark give every name its own copy of the body's LALR states (most of the table)
        rules.append(f"{rule}: {rule}_name {body}")
        rules.append(f"?{rule}_name: {' | '.join(terminals)}")
        rules.extend(subrules)
        for s in group:
            rules.extend(s.terminal_defs())
        by_terminal = {t: s for s in group for t in s.terminals}
        callbacks[rule] = lambda ctx, tok, *ch, _m=by_terminal: _m[tok.type]._build(ctx, tok, *ch)
        for sub in subrules:
            callbacks[sub.split(":", 1)[0]] = lambda ctx, *ch: ("group", None, ch)
        alternatives.append(rule)
    for directive in directives.values():
        rules.extend(directive.grammar())
        callbacks.update(directive.callbacks())
    extra = "\n".join(rules)
    keywords = sorted(set(re.findall(r'"([A-Za-z_][A-Za-z0-9_.]*)"', core + "\n" + extra)))
    grammar = "\n".join(
        [
            core,
            "?op_body: " + "\n    | ".join(alternatives),
            "!keyword: " + " | ".join(f'"{k}"' for k in keywords),
            "enum_keyword: BARE_ID | keyword",
            'attr_dict_kw: "attributes" attr_dict',
            'region_seq: region ("," region)*',
            extra,
        ]
    )
    return grammar, callbacks


def _get_parser(context: Context):
    """`context`'s lark parser and callbacks, rebuilt when its registrations changed the syntax."""
    state = context.parser_state
    if state is not None and state[0] == context.generation:
        return state[1], state[2]
    generation = context.generation
    grammar, callbacks = build_grammar(context)
    builder = _Builder()
    wrapped = _InlineBuilder(builder)
    for name, cb in callbacks.items():
        setattr(builder, name, (lambda _cb: lambda *ch: _cb(builder.ctx, *ch))(cb))
        setattr(wrapped, name, _spreading(cb, builder))
    lark = _cached_lark(grammar, wrapped)
    _call_callbacks_directly(lark._callbacks)
    context.parser_state = (generation, lark, builder)
    return lark, builder


# ----------------------------------------------------------------------------
# the parser cache
#
# Building the LALR table takes seconds, so the built parser is kept in irc's
# private cache folder (ir/cache.py), one file per grammar.  The file is
# marshal of plain data, never a pickle: lark's own serialized parser (lexer,
# rules, options) without its parse table, plus the table in a flat form whose
# ~95,000 actions refer to one shared list of distinct actions.  Loading that
# is a fraction of what lark's pickled table costs, where each action's rule
# is resolved through a Python call.

_CACHE_FORMAT = "irc-lalr-3"
_LARK_OPTIONS = dict(parser="lalr", lexer="contextual", maybe_placeholders=True)


def _lark_plugins() -> dict:
    try:
        import lark_cython  # noqa: F401

        plugins = dict(lark_cython.plugins)
    except ImportError:
        plugins = {}
    plugins["LALR_Parser"] = _flat_table_parser_class(plugins)
    return plugins


def _cache_key(grammar: str) -> str:
    import hashlib
    import sys

    import lark

    key = f"{_CACHE_FORMAT}\n{lark.__version__}\n{sys.version_info[:2]}\n{sorted(_LARK_OPTIONS.items())}\n{grammar}"
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def cache_file_name(key: str) -> str:
    """The name, in the cache folder, of the parser for the grammar whose `_cache_key` is `key`."""
    return f"lalr-{key[:32]}.marshal"


def _cached_lark(grammar: str, transformer) -> Lark:
    """lark's parser for `grammar`, loaded from the cache folder when it holds one, else built and stored."""
    key = _cache_key(grammar)
    name = cache_file_name(key)
    plugins = _lark_plugins()
    blob = read_cache_file(name)
    if blob is not None:
        try:
            stored_key, data, memo = marshal.loads(blob)
            if stored_key == key:
                return Lark._load_from_dict(data, memo, transformer=transformer, _plugins=plugins)
        except Exception:  # a damaged or foreign file: build afresh and overwrite it
            pass
    lark = Lark(grammar, transformer=transformer, _plugins=plugins, **_LARK_OPTIONS)
    try:
        data, memo = lark.memo_serialize([TerminalDef, Rule])
        data["options"] = {k: v for k, v in data["options"].items() if k not in _LOAD_ALLOWED_OPTIONS}
        data["parser"]["parser"] = _flat_table(lark.parser.parser._parse_table, lark.rules)
        blob = marshal.dumps((key, data, memo))
    except ValueError:  # something in lark's data that marshal cannot store: no cache
        return lark
    write_cache_file(name, blob)
    return lark


def _rules_signature(rules: list) -> list:
    """What the stored rule positions refer to; the table is only used for the same rule list."""
    # str(): lark's names can be Token (a str subclass), which marshal does not store
    return [(str(r.origin.name), tuple(str(s.name) for s in r.expansion), r.alias and str(r.alias), r.order) for r in rules]


def _flat_table(table, rules: list) -> tuple:
    """`table` as plain data: each state is its tokens and, for each, a position in one list of distinct actions."""
    rule_index = {r: i for i, r in enumerate(rules)}
    actions: Dict[tuple, int] = {}
    states = {}
    for state, acts in table.states.items():
        tokens = tuple(str(tok) for tok in acts)
        positions = tuple(
            actions.setdefault((0, arg) if action is Shift else (1, rule_index[arg]), len(actions))
            for action, arg in acts.values()
        )
        states[state] = (tokens, positions)
    starts = {str(k): v for k, v in table.start_states.items()}
    ends = {str(k): v for k, v in table.end_states.items()}
    return (_rules_signature(rules), list(actions), states, starts, ends)


class _IdentityRule(Rule):
    """A lark Rule that compares and hashes by identity, in C.

    lark-cython's loop compares the reduced rule with an int on every reduction
    (`assert arg != end_state`) and looks up its callback by it; with lark's Rule
    both run Python methods (~0.02 s for 20,000 ops).  Identity is exact here: the
    table and the callbacks hold the same object for each rule.
    """

    __slots__ = ()
    __eq__ = object.__eq__
    __ne__ = object.__ne__
    __hash__ = object.__hash__


def _flat_table_parser_class(plugins: dict):
    """lark's LALR parser class (or lark-cython's), reading its table from `_flat_table`'s form."""
    base = plugins.get("LALR_Parser", LALR_Parser)
    table_parser = plugins.get("_Parser", _LarkTableParser)

    class FlatTableLALRParser(base):
        @classmethod
        def deserialize(cls, data, memo, callbacks, debug=False):
            # the table and the callbacks share one _IdentityRule per rule
            identity = {
                r: _IdentityRule(r.origin, r.expansion, r.order, r.alias, r.options)
                for r in callbacks
                if isinstance(r, Rule)
            }
            rules = list(identity.values())
            signature, flat_actions, flat_states, start_states, end_states = data
            if signature != _rules_signature(rules):
                raise ValueError("the cached parse table is for other rules")
            actions = [(Shift, arg) if kind == 0 else (Reduce, rules[arg]) for kind, arg in flat_actions]
            action_at = actions.__getitem__  # dict(zip(...)) over map(): the ~95,000 entries are built in C
            states = {state: dict(zip(tokens, map(action_at, positions))) for state, (tokens, positions) in flat_states.items()}
            table = IntParseTable(states, start_states, end_states)
            entries = list(callbacks.items())
            callbacks.clear()
            callbacks.update((identity.get(key, key) if isinstance(key, Rule) else key, cb) for key, cb in entries)
            inst = cls.__new__(cls)
            inst._parse_table = table
            inst.parser = table_parser(table, callbacks, debug)
            return inst

    return FlatTableLALRParser


class _InlineBuilder:
    """Hands lark one plain callable per rule (children list -> built object).

    Calling `_Builder` methods with the children spread avoids lark's
    `v_args` wrappers, which cost a third of the parse time.
    """

    def __init__(self, builder):
        self._b = builder

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        fn = getattr(self._b, name)
        if not callable(fn):
            return fn
        return _spreading(fn)


def _spreading(fn, ctx_of=None):
    """`children -> fn(*children)`, or `fn(ctx_of.ctx, *children)` for the op callbacks;
    `_call_callbacks_directly` reads `fn` and `ctx_of` back from it."""
    if ctx_of is None:
        call = lambda children: fn(*children)  # noqa: E731
    else:
        call = lambda children: fn(ctx_of.ctx, *children)  # noqa: E731
    call.spread_target = (fn, ctx_of)
    return call


def _call_callbacks_directly(callbacks: dict) -> None:
    """Fold lark's per-rule child filters into our callbacks.

    For a rule with filtered tokens or `[...]` placeholders lark calls a ChildFilter
    that builds a new children list (dropping `","`, adding None for an absent
    optional) and then our callback, which spreads that list into arguments.
    Which children go where is fixed per rule, so one small function per rule,
    `lambda c: fn(c[0], None, c[2])`, does both in one call.  Each is compiled on
    the rule's first use: a file uses a few dozen of the ~1,000 rules.
    """
    for rule, callback in list(callbacks.items()):
        if not isinstance(rule, Rule):
            continue  # a terminal's callback
        if isinstance(callback, ExpandSingleChild) and len(rule.expansion) == 1:
            callbacks[rule] = _first_child  # `?rule: a | b`: the one child, as lark's wrapper would
            continue
        if isinstance(callback, ChildFilterLALR):
            include, trailing_nones = callback.to_include, callback.append_none
            target = getattr(callback.node_builder, "spread_target", None)
        elif isinstance(callback, ChildFilterLALR_NoPlaceholders):
            include = [(i, expand, 0) for i, expand in callback.to_include]
            trailing_nones = 0
            target = getattr(callback.node_builder, "spread_target", None)
        else:
            include = [(i, False, 0) for i in range(len(rule.expansion))]
            trailing_nones = 0
            target = getattr(callback, "spread_target", None)
        if target is None or any(expand for _, expand, _ in include):
            continue  # lark's own tree building, or children inlined from a `_rule`
        args = []
        for i, _, nones in include:
            args += ["None"] * nones + [f"c[{i}]"]
        args += ["None"] * trailing_nones
        callbacks[rule] = _compiled_on_first_use(callbacks, rule, target, args)


_first_child = operator.itemgetter(0)


def _compiled_on_first_use(callbacks: dict, rule, target, args: list):
    fn, ctx_of = target

    def first_use(children):
        if ctx_of is None:
            direct = eval(f"lambda c: fn({', '.join(args)})", {"fn": fn})
        else:
            direct = eval(f"lambda c: fn(ctx_of.ctx, {', '.join(args)})", {"fn": fn, "ctx_of": ctx_of})
        callbacks[rule] = direct
        return direct(children)

    return first_use


# ----------------------------------------------------------------------------
# entry points


def parse(
    text: str, filename: str = "<stdin>", allow_unregistered: bool = False, first_line: int = 1
) -> List[Operation]:
    """Parse `text` into its top-level operations (unverified).

    `first_line` > 1: `text` is a chunk of `filename` starting at that line
    (--split-input-file); locations count from there, and the caller has
    registered the whole file with SOURCES.
    """
    if first_line == 1:
        SOURCES.add(filename, text)
    check_nesting_depth(text, filename, first_line)  # deeper input would exhaust later stages' recursion budget
    context = current_context()
    lark, builder = _get_parser(context)
    ctx = ParseContext(filename, allow_unregistered, context, first_line)
    builder.ctx = ctx
    # Parsing allocates many long-lived objects and no garbage cycles; the
    # cyclic collector would rescan the growing IR again and again (a third
    # of the time of a 20,000-op parse), so it pauses until the parse ends.
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        ops = lark.parse(text)
    except UnexpectedInput as e:
        raise _syntax_error(e, filename, text, first_line) from None
    except RecursionError:
        raise error("input is nested too deeply", FileLineColLoc(filename, first_line, 1)) from None
    except ValueError as e:
        if "integer string conversion" not in str(e):
            raise
        raise _long_integer_error(text, filename, first_line) from None
    finally:
        builder.ctx = None
        if gc_was_enabled:
            gc.enable()
    ctx.finish()
    return ops


def parse_module(
    text: str, filename: str = "<stdin>", allow_unregistered: bool = False, verify: bool = True, first_line: int = 1
) -> Operation:
    """Parse a file into a builtin.module (wrapping bare top-level ops in one) and verify it."""
    from .dialects import load_all
    from .dialects.builtin import ModuleOp

    load_all()
    ops = parse(text, filename, allow_unregistered, first_line)
    if len(ops) == 1 and isinstance(ops[0], ModuleOp):
        module = ops[0]
    else:
        module = ModuleOp.build_empty(location=FileLineColLoc(filename, first_line, 1))
        for op in ops:
            module.body.append(op)
    if verify:
        from .verifier import verify as run_verifier

        run_verifier(module)
    return module


_TERMINAL_NAMES = {
    "VALUE_ID": "SSA value",
    "CARET_ID": "block label",
    "SYMBOL": "symbol reference",
    "STRING": "string",
    "INT": "integer",
    "NEG_INT": "integer",
    "HEX_INT": "integer",
    "FLOAT": "float",
    "BARE_ID": "identifier",
    "FLOAT_TYPE": "type",
    "INT_TYPE": "type",
    "DIM": "dimension",
    "DIALECT_TYPE": "dialect type",
    "DIALECT_ATTR": "dialect attribute",
    "$END": "end of input",
}


def _describe_expected(expected) -> str:
    names = set()
    for e in expected:
        if e.startswith("OPN_"):
            names.add("operation")
        elif e in _TERMINAL_NAMES:
            names.add(_TERMINAL_NAMES[e])
        elif e.startswith("__") or e.startswith("_"):
            continue
        else:
            names.add(f"'{_PUNCT.get(e, e.lower())}'")
    items = sorted(names)
    if len(items) > 8:
        items = items[:8] + ["..."]
    return ", ".join(items)


_PUNCT = {
    "LPAR": "(",
    "RPAR": ")",
    "LSQB": "[",
    "RSQB": "]",
    "LBRACE": "{",
    "RBRACE": "}",
    "LESSTHAN": "<",
    "MORETHAN": ">",
    "COMMA": ",",
    "COLON": ":",
    "EQUAL": "=",
    "MINUS": "-",
    "QMARK": "?",
    "STAR": "*",
    "MORETHAN_MINUS": "->",
}


def _syntax_error(e: UnexpectedInput, filename: str, source: str, first_line: int = 1) -> DiagnosticError:
    line = (getattr(e, "line", None) or 1) + first_line - 1
    col = getattr(e, "column", None) or 1
    if isinstance(e, UnexpectedToken):
        tok = e.token
        if tok.type == "$END":
            msg = "unexpected end of input"
            line, col = _end_position(source, first_line)
        else:
            text = _text(tok)
            if tok.type == "BARE_ID" and "." in text and re.fullmatch(r"[A-Za-z_][\w$]*\.[\w$.]+", text):
                msg = f"custom op '{quote_source(text)}' is unknown"
                if text in current_context().ops:
                    msg = f"unexpected '{text}'"
            else:
                msg = f"unexpected '{quote_source(text)}'"
        exp = _describe_expected(e.expected)
        if exp and "is unknown" not in msg:
            msg += f"; expected {exp}"
    elif isinstance(e, UnexpectedCharacters):
        ch = e.char if hasattr(e, "char") else "?"
        msg = f"unexpected character '{ch}'"
        allowed = getattr(e, "allowed", None)
        if allowed:
            exp = _describe_expected(allowed)
            if exp:
                msg += f"; expected {exp}"
    elif isinstance(e, UnexpectedEOF):
        msg = "unexpected end of input"
        line, col = _end_position(source, first_line)
    else:
        msg = "syntax error"
    return error(msg, FileLineColLoc(filename, line, col))


def _long_integer_error(source: str, filename: str, first_line: int) -> DiagnosticError:
    """Python's int() refused a decimal literal longer than its limit: point at the first such literal."""
    limit = sys.get_int_max_str_digits()
    m = re.search(r"\d{%d,}" % (limit + 1), source)
    start = m.start() if m else 0
    line = source.count("\n", 0, start) + first_line
    col = start - (source.rfind("\n", 0, start) + 1) + 1
    digits = len(m.group(0)) if m else limit + 1
    return error(f"integer literal of {digits} decimal digits is too long (irc reads at most {limit}; "
                 "write it in hexadecimal)", FileLineColLoc(filename, line, col))


def _end_position(source: str, first_line: int = 1):
    """(line, column) just after the last non-blank line of `source`."""
    body = source.rstrip()
    start, end = body.rfind("\n") + 1, source.find("\n", len(body))
    last = source[start:end if end >= 0 else len(source)]
    return body.count("\n") + first_line, len(last) + 1
