"""The parser: lark (LALR) over grammar/core.lark plus one rule per op's
custom form.  This file assembles the grammar, builds and caches the LALR
table and runs lark; the callbacks that build IR objects as rules are reduced
live in `parse_callbacks.py`.

The grammar is rebuilt (and cached by lark) whenever the op registry
changes, so a plugin that registers a dialect can be parsed at once.
Every error becomes a located `DiagnosticError`.
"""

from __future__ import annotations

import gc
import operator
import os
import pickle
import re
from importlib import resources
from typing import Dict, List

from lark import Lark
from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken
from lark.grammar import Rule
from lark.parsers.lalr_analysis import IntParseTable, Reduce, Shift
from lark.parsers.lalr_parser import LALR_Parser
from lark.parsers.lalr_parser import _Parser as _LarkTableParser
from lark.parse_tree_builder import ChildFilterLALR, ChildFilterLALR_NoPlaceholders, ExpandSingleChild

from .assembly_format import FormatSyntax, syntax_of
from .core import Operation
from .diagnostics import DiagnosticError, SOURCES, error
from .location import FileLineColLoc
from .opdef import OPS, registry_generation
from .parse_callbacks import ParseContext, _Builder, _text

# ----------------------------------------------------------------------------
# building the grammar

_PARSERS: Dict[int, tuple] = {}


def _core_grammar() -> str:
    return resources.files("irc.grammar").joinpath("core.lark").read_text()


def build_grammar():
    """The full grammar text and the op callbacks, for the current registry."""
    core = _core_grammar()
    rules: List[str] = []
    callbacks = {}
    alternatives = ["generic_op"]
    seen = set()
    shared: Dict[tuple, list] = {}
    for name in sorted(OPS):
        cls = OPS[name]
        if cls in seen:
            continue
        seen.add(cls)
        syntax = syntax_of(cls)
        if syntax is None:
            continue
        if isinstance(syntax, FormatSyntax):
            shared.setdefault(syntax.shape("@"), []).append(syntax)
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


def _get_parser():
    gen = registry_generation()
    entry = _PARSERS.get(gen)
    if entry is None:
        grammar, callbacks = build_grammar()
        builder = _Builder()
        wrapped = _InlineBuilder(builder)
        for name, cb in callbacks.items():
            setattr(builder, name, (lambda _cb: lambda *ch: _cb(builder.ctx, *ch))(cb))
            setattr(wrapped, name, _spreading(cb, builder))
        try:
            import lark_cython  # noqa: F401

            plugins = dict(lark_cython.plugins)
        except ImportError:
            plugins = {}
        plugins["LALR_Parser"] = _flat_table_parser_class(plugins, _table_cache_path(grammar))
        kwargs = {"_plugins": plugins}
        lark = Lark(
            grammar,
            parser="lalr",
            lexer="contextual",
            transformer=wrapped,
            maybe_placeholders=True,
            cache=True,
            **kwargs,
        )
        _call_callbacks_directly(lark._callbacks)
        entry = (lark, builder)
        _PARSERS.clear()
        _PARSERS[gen] = entry
    return entry


# Loading lark's cached parser spends most of its time rebuilding the parse table
# (~95,000 actions, each rule reference resolved through a Python call).  The same
# table kept as a flat pickle, rules and actions stored as references, loads in a
# fraction of that; it sits beside lark's own cache and is keyed the same way.

_TABLE_CACHE_FORMAT = "irc-lalr-table-1"


def _table_cache_path(grammar: str) -> str:
    import hashlib
    import sys
    import tempfile

    import lark

    key = f"{_TABLE_CACHE_FORMAT}\n{lark.__version__}\nmaybe_placeholders\n{grammar}"
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()
    python = f"{sys.version_info[0]}_{sys.version_info[1]}"
    return os.path.join(tempfile.gettempdir(), f".irc_lalr_table_{digest}_{python}.pickle")


class _TablePickler(pickle.Pickler):
    """Writes rules as their position in the grammar's rule list and Shift/Reduce by name."""

    def __init__(self, f, rule_index):
        super().__init__(f, protocol=pickle.HIGHEST_PROTOCOL)
        self.rule_index = rule_index

    def persistent_id(self, obj):
        if isinstance(obj, Rule):
            return self.rule_index[obj]
        if obj is Shift:
            return "Shift"
        if obj is Reduce:
            return "Reduce"
        return None


class _TableUnpickler(pickle.Unpickler):
    """Reads what `_TablePickler` wrote: plain dicts, tuples, ints and strings, plus references."""

    def __init__(self, f, rules):
        super().__init__(f)
        self.rules = rules

    def persistent_load(self, pid):
        if pid == "Shift":
            return Shift
        if pid == "Reduce":
            return Reduce
        return self.rules[pid]

    def find_class(self, module, name):  # the file holds no classes: refuse any (it lives in a shared folder)
        raise pickle.UnpicklingError(f"unexpected {module}.{name} in a parse-table cache")


def _rules_signature(rules: list) -> list:
    """What the stored rule positions refer to; the table is only used for the same rule list."""
    return [(r.origin.name, tuple(s.name for s in r.expansion), r.alias, r.order) for r in rules]


def _load_flat_table(path: str, rules: list):
    try:
        with open(path, "rb") as f:
            unpickler = _TableUnpickler(f, rules)
            if unpickler.load() != _rules_signature(rules):
                return None
            states, start_states, end_states = unpickler.load()
        return IntParseTable(states, start_states, end_states)
    except Exception:  # missing, stale or damaged: lark's own cache is the fallback
        return None


def _save_flat_table(path: str, table, rules: list) -> None:
    rule_index = {r: i for i, r in enumerate(rules)}
    # one shared tuple per distinct action, so the pickle stores each once and refers to it after
    shared: dict = {}
    states = {s: {tok: shared.setdefault(act, act) for tok, act in acts.items()} for s, acts in table.states.items()}
    tmp = f"{path}.{os.getpid()}.tmp"
    try:
        with open(tmp, "wb") as f:
            pickler = _TablePickler(f, rule_index)
            pickler.dump(_rules_signature(rules))
            pickler.dump((states, table.start_states, table.end_states))
        os.replace(tmp, path)
    except Exception:  # an unwritable cache folder only costs speed
        try:
            os.unlink(tmp)
        except OSError:
            pass


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


def _flat_table_parser_class(plugins: dict, cache_path: str):
    """lark's LALR parser class (or lark-cython's), loading its table from the flat pickle."""
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
            table = _load_flat_table(cache_path, rules)
            if table is None:
                table = IntParseTable.deserialize(data, memo)
                table.states = {
                    state: {
                        tok: (action, identity[arg] if action is Reduce else arg) for tok, (action, arg) in acts.items()
                    }
                    for state, acts in table.states.items()
                }
                _save_flat_table(cache_path, table, rules)
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


def parse(text: str, filename: str = "<stdin>", allow_unregistered: bool = False) -> List[Operation]:
    """Parse `text` into its top-level operations (unverified)."""
    SOURCES.add(filename, text)
    lark, builder = _get_parser()
    ctx = ParseContext(filename, allow_unregistered)
    builder.ctx = ctx
    # Parsing allocates many long-lived objects and no garbage cycles; the
    # cyclic collector would rescan the growing IR again and again (a third
    # of the time of a 20,000-op parse), so it pauses until the parse ends.
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        ops = lark.parse(text)
    except UnexpectedInput as e:
        raise _syntax_error(e, filename) from None
    except RecursionError:
        raise error("input is nested too deeply", FileLineColLoc(filename, 1, 1)) from None
    finally:
        builder.ctx = None
        if gc_was_enabled:
            gc.enable()
    ctx.finish()
    return ops


def parse_module(
    text: str, filename: str = "<stdin>", allow_unregistered: bool = False, verify: bool = True
) -> Operation:
    """Parse a file into a builtin.module (wrapping bare top-level ops in one) and verify it."""
    from .dialects import load_all
    from .dialects.builtin import ModuleOp

    load_all()
    ops = parse(text, filename, allow_unregistered)
    if len(ops) == 1 and isinstance(ops[0], ModuleOp):
        module = ops[0]
    else:
        module = ModuleOp.build_empty(location=FileLineColLoc(filename, 1, 1))
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


def _syntax_error(e: UnexpectedInput, filename: str) -> DiagnosticError:
    line = getattr(e, "line", None) or 1
    col = getattr(e, "column", None) or 1
    if isinstance(e, UnexpectedToken):
        tok = e.token
        if tok.type == "$END":
            msg = "unexpected end of input"
            line, col = _end_position(filename)
        else:
            text = _text(tok)
            if tok.type == "BARE_ID" and "." in text and re.fullmatch(r"[A-Za-z_][\w$]*\.[\w$.]+", text):
                msg = f"custom op '{text}' is unknown"
                if text in OPS:
                    msg = f"unexpected '{text}'"
            else:
                msg = f"unexpected '{text}'"
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
        line, col = _end_position(filename)
    else:
        msg = "syntax error"
    return error(msg, FileLineColLoc(filename, line, col))


def _end_position(filename):
    lines = SOURCES.buffers.get(filename, [""])
    while len(lines) > 1 and not lines[-1].strip():
        lines = lines[:-1]
    return len(lines), len(lines[-1]) + 1
