"""The parser's runtime: an LALR table, a contextual lexer and one callback per
rule, loaded from irc's private cache as plain data.

lark (1.3) analyses a grammar and builds its LALR table once; what parsing
needs of that is stored as `marshal` data (ir/cache.py: a private per-user
folder, never a pickle): the terminals, the table (each state's tokens and,
per token, a position in one list of distinct actions), and per rule which
children its callback receives.  Loading builds the table, lark-cython's (or
lark's) contextual lexer and LALR loop straight from that data: no `Lark`
object, no parse-tree builder, no grammar analysis.

Two things make parsing itself cheaper than lark's defaults:
- **Words are looked up, not tried.**  Op names and keywords (`arith.addf`,
  `iter_args`) are string terminals; lark's contextual lexer tries each of a
  state's strings in turn (a regex alternation of 150 op names where an op
  may start).  Here every string that is a bare identifier is lexed as one
  identifier and retyped through a dict, per state: MLIR's lexer does the
  same (an identifier, then a keyword check).
- **Callbacks take their children directly.**  lark calls a child filter per
  reduction (drop punctuation, add None for an absent `[optional]`, splice
  an inlined `_rule`), then the callback.  Which children go where is fixed
  per rule, so each rule gets one small function, compiled on first use,
  `lambda c: fn(c[0], None, c[2])`: a file uses a few dozen of ~1,000 rules.
"""

from __future__ import annotations

import operator
import re
from typing import Callable, Dict, List, Optional, Tuple

from lark.common import LexerConf
from lark.exceptions import UnexpectedCharacters, UnexpectedToken
from lark.lexer import PatternRE, PatternStr, TerminalDef
from lark.parsers.lalr_analysis import IntParseTable, Reduce, Shift

try:
    from lark_cython import lark_cython as _fast
except ImportError:  # lark's own (pure Python) lexer and LALR loop
    _fast = None

if _fast is not None:
    from lark_cython.lark_cython import ContextualLexer, LexerThread
    from lark_cython.lark_cython import _Parser as TableParser
else:
    from lark.lexer import ContextualLexer, LexerThread
    from lark.parsers.lalr_parser import _Parser as TableParser

CACHE_FORMAT = "irc-lalr-5"
LARK_OPTIONS = dict(parser="lalr", lexer="contextual", maybe_placeholders=True)
WORD_TERMINAL = "BARE_ID"  # the grammar's identifier terminal: string terminals it matches are words

# Resolves a rule's callback name to (function, holder) or None: the function is
# called with the rule's children, preceded by `holder.ctx` when a holder is given.
Resolver = Callable[[str], Optional[Tuple[Callable, object]]]


# ----------------------------------------------------------------------------
# from lark's analysis to plain data (once per grammar)


def tables_from_lark(grammar: str) -> dict:
    """Analyse `grammar` with lark and return the plain data a `ParserRuntime` is made from."""
    from lark import Lark
    from lark.parse_tree_builder import maybe_create_child_filter

    lark = Lark(grammar, **LARK_OPTIONS)
    rules = lark.rules
    rule_index = {id(r): i for i, r in enumerate(rules)}
    rule_data = []
    for r in rules:
        options = r.options
        child_filter = maybe_create_child_filter(
            r.expansion, options.keep_all_tokens, False, options.empty_indices
        )
        if child_filter is None:
            include, trailing_nones = None, 0
        elif len(child_filter.args) == 2:  # ChildFilterLALR(to_include, nones_to_add)
            include, trailing_nones = [tuple(x) for x in child_filter.args[0]], child_filter.args[1]
        else:  # ChildFilterLALR_NoPlaceholders([(i, to_expand)])
            include, trailing_nones = [(i, expand, 0) for i, expand in child_filter.args[0]], 0
        name = r.alias or options.template_source or r.origin.name
        rule_data.append((
            str(r.origin.name), len(r.expansion), str(getattr(name, "value", name)),
            bool(options.expand1 and not r.alias), include, trailing_nones,
        ))
    table = lark.parser.parser._parse_table
    actions: Dict[tuple, int] = {}
    states = {}
    for state, acts in table.states.items():
        tokens = tuple(str(tok) for tok in acts)
        positions = tuple(
            actions.setdefault((0, arg) if action is Shift else (1, rule_index[id(arg)]), len(actions))
            for action, arg in acts.values()
        )
        states[state] = (tokens, positions)
    terminal_data = []
    for t in lark.terminals:
        p = t.pattern
        width = tuple(p._get_width()) if isinstance(p, PatternRE) else None
        terminal_data.append((t.name, p.type, p.value, tuple(sorted(p.flags)), p.raw, t.priority, width))
    return {
        "terminals": terminal_data,
        "lexer": _lexer_plan(lark.terminals, states),
        "ignore": [str(n) for n in lark.lexer_conf.ignore],
        "rules": rule_data,
        "actions": list(actions),
        "states": states,
        "start": table.start_states["start"],
        "end": table.end_states["start"],
    }


# ----------------------------------------------------------------------------
# the runtime


class _TableRule:
    """A rule as the LALR loop reads it: `origin.name` and `len(expansion)`; it compares by identity (in C)."""

    __slots__ = ("origin", "expansion", "index")

    def __init__(self, origin, size: int, index: int):
        self.origin = origin
        self.expansion = (None,) * size
        self.index = index

    def __repr__(self):
        return f"<rule {self.index}: {self.origin.name}>"


class _Origin:
    __slots__ = ("name",)

    def __init__(self, name: str):
        self.name = name


class Spliced:
    """The children of an inlined `_rule` (lark's `*` and `(...)*` helpers), spliced into its parent."""

    __slots__ = ("children",)

    def __init__(self, children: list):
        self.children = children


class ParserRuntime:
    """One grammar's table, lexer and callbacks; `parse(text)` returns what the start rule's callback built."""

    def __init__(self, data: dict, resolve: Resolver):
        origins: Dict[str, _Origin] = {}
        self.rules = [
            _TableRule(origins.setdefault(origin, _Origin(origin)), size, i)
            for i, (origin, size, *_) in enumerate(data["rules"])
        ]
        self._rule_data = data["rules"]
        self._resolve = resolve
        self.callbacks: dict = {rule: self._first_use(rule) for rule in self.rules}
        rules = self.rules
        actions = [(Shift, arg) if kind == 0 else (Reduce, rules[arg]) for kind, arg in data["actions"]]
        action_at = actions.__getitem__  # dict(zip(...)) over map(): the ~95,000 entries are built in C
        states = {state: dict(zip(tokens, map(action_at, positions))) for state, (tokens, positions) in data["states"].items()}
        table = IntParseTable(states, {"start": data["start"]}, {"start": data["end"]})
        self._parser = TableParser(table, self.callbacks, False)
        self.lexer = _contextual_lexer(data["terminals"], data["ignore"], data["lexer"])
        self.word_terminals = {name: names for name, (_, names) in data["lexer"]["stand_ins"].items()}

    def parse(self, text: str):
        """Parse `text` from the start rule; lark's UnexpectedInput exceptions say where it failed."""
        return self._parser.parse(LexerThread.from_text(self.lexer, text), "start")

    def expand_terminal_names(self, names) -> set:
        """`names` (a lexer's expected terminals) with each word terminal replaced by what it stands for."""
        out = set()
        for n in names:
            out.update(self.word_terminals.get(n, (n,)))
        return out

    def _first_use(self, rule: _TableRule):
        def first_use(children):
            fn = _rule_callback(self._rule_data[rule.index], self._resolve)
            self.callbacks[rule] = fn
            return fn(children)

        return first_use


# ---- rule callbacks

_factories: Dict[str, Callable] = {}  # generated source -> its compiled factory, shared by rules of one shape


def _rule_callback(spec: tuple, resolve: Resolver) -> Callable:
    """The function the LALR loop calls with a reduced rule's children (lark's child filter and callback in one)."""
    origin, size, name, expand1, include, trailing_nones = spec
    if include is None:
        include = [(i, False, 0) for i in range(size)]
    target = resolve(name)
    if target is None:
        call = "Tree(name, {})" if not name.startswith("_") else "Spliced({})"
        fn = holder = None
    else:
        fn, holder = target
        call = "fn(holder.ctx, {})" if holder is not None else "fn({})"
    if not any(expand for _, expand, _ in include):  # the children's places are fixed: one call
        args = []
        for i, _, nones in include:
            args += ["None"] * nones + [f"c[{i}]"]
        args += ["None"] * trailing_nones
        if expand1 and args == ["c[0]"]:  # `?rule: a | b`: the one child, taken in C
            return _first_child
        if expand1 and len(args) == 1:
            body = f"    return {args[0]}"
        elif target is None:
            body = "    return " + call.format("[" + ", ".join(args) + "]")
        else:
            body = "    return " + call.format(", ".join(args))
    else:  # an inlined rule's children are spliced in (lark's ChildFilterLALR, left recursion in place)
        lines, started = [], False
        for i, expand, nones in include:
            if nones:
                lines.append(f"f {'+' if started else ''}= [None] * {nones}")
                started = True
            if expand:
                lines.append(f"f {'+' if started else ''}= c[{i}].children")
            else:
                lines.append(f"f.append(c[{i}])" if started else f"f = [c[{i}]]")
            started = True
        if trailing_nones:
            lines.append(f"f += [None] * {trailing_nones}")
        if expand1:
            lines.append("if len(f) == 1: return f[0]")
        lines.append("return " + call.format("f" if target is None else "*f"))
        body = "\n".join("    " + line for line in lines)
    source = f"def make(fn, holder, name):\n  def callback(c):\n  {body.replace(chr(10), chr(10) + '  ')}\n  return callback\n"
    factory = _factories.get(source)
    if factory is None:
        namespace = {"Tree": _tree_class(), "Spliced": Spliced}
        exec(compile(source, f"<rule shape {len(_factories)}>", "exec"), namespace)
        factory = _factories[source] = namespace["make"]
    return factory(fn, holder, name)


_first_child = operator.itemgetter(0)


def _tree_class():
    from lark.tree import Tree

    return Tree


# ---- the lexer


def _terminal(name, kind, value, flags, raw, priority, width) -> TerminalDef:
    if kind == "str":
        pattern = PatternStr(value, flags, raw)
    else:
        pattern = PatternRE(value, flags, raw)
        pattern._width = tuple(width)
    return TerminalDef(name, pattern, priority)


def _lexer_plan(terminals: list, states: dict) -> dict:
    """Which terminals each state's lexer tries, words looked up (at build time, from lark's terminals).

    Where a state accepts strings that are whole identifiers (op names,
    keywords), they leave its regex: one terminal matching any identifier
    stands in for them, and a dict gives the token its type, the string's own
    or `BARE_ID` (which the parser refuses where it is not expected).  Each
    stand-in also records the names lark's lexer would have listed in an
    error for that state.
    """
    word = next((t for t in terminals if t.name == WORD_TERMINAL), None)
    words: Dict[str, str] = {}  # string terminal name -> its text
    if word is not None:
        word_re = re.compile(word.pattern.to_regexp())
        words = {
            t.name: t.pattern.value for t in terminals
            if isinstance(t.pattern, PatternStr) and t.priority == word.priority and not t.pattern.flags
            and word_re.fullmatch(t.pattern.value)
        }
    terminal_names = {t.name for t in terminals}
    accepts: Dict[int, tuple] = {}
    stand_ins: Dict[str, tuple] = {}  # its name -> ({text: type}, the names it replaces in errors)
    shared: Dict[tuple, str] = {}  # (its words, whether BARE_ID is accepted) -> the stand-in's name
    for state, (tokens, _) in states.items():
        names = [n for n in tokens if n in terminal_names]
        in_state = sorted(n for n in names if n in words)
        if in_state:
            takes_ids = WORD_TERMINAL in names
            key = (tuple(in_state), takes_ids)
            stand_in = shared.get(key)
            if stand_in is None:
                stand_in = shared[key] = f"{WORD_TERMINAL}__{len(shared)}"
                stand_ins[stand_in] = ({words[n]: n for n in in_state}, (WORD_TERMINAL,) if takes_ids else tuple(in_state))
            names = [n for n in names if n not in words and n != WORD_TERMINAL] + [stand_in]
        accepts[state] = tuple(names)
    return {"accepts": accepts, "stand_ins": stand_ins}


def _contextual_lexer(terminal_data: list, ignore: list, plan: dict):
    """The contextual lexer (each state lexes only what it accepts) of `_lexer_plan`'s plan."""
    terminals = [_terminal(*t) for t in terminal_data]
    by_name = {t.name: t for t in terminals}
    conf = LexerConf(terminals, re, ignore, skip_validation=True)
    word = by_name.get(WORD_TERMINAL)
    callbacks = {}
    for name, (types, _) in plan["stand_ins"].items():
        by_name[name] = TerminalDef(name, word.pattern, word.priority)
        callbacks[name] = _retype(types)
    conf.callbacks = callbacks
    conf.terminals_by_name = by_name  # the stand-ins are for the states' lexers; the root lexer (errors) keeps lark's
    return ContextualLexer(conf, plan["accepts"])


def _retype(types: Dict[str, str]):
    get = types.get

    def retype(token):
        token.type = get(token.value, WORD_TERMINAL)
        return token

    return retype


def is_misplaced_word(error: UnexpectedToken) -> bool:
    """An identifier where the parser takes no identifier: lark's lexer reported these from its
    fallback lexer, listing what the state's lexer accepted (no end of input)."""
    return error.token.type == WORD_TERMINAL and WORD_TERMINAL not in error.expected


__all__ = [
    "CACHE_FORMAT", "LARK_OPTIONS", "ParserRuntime", "Spliced", "UnexpectedCharacters", "is_misplaced_word",
    "tables_from_lark",
]
