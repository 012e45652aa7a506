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
import re
import sys
from importlib import resources
from typing import Dict, List, Optional

from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken

from .assembly_format import FormatSyntax, syntax_of
from .cache import read_cache_file, write_cache_file
from .context import Context, current_context
from .core import Operation
from .deep_stack import check_nesting_depth
from .diagnostics import SOURCES, DiagnosticError, error, quote_source
from .lalr import CACHE_FORMAT, LARK_OPTIONS, ParserRuntime, is_misplaced_word, tables_from_lark
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
        by_terminal = {t: s.children_builder() for s in group for t in s.terminals}
        callbacks[rule] = lambda ctx, tok, *ch, _m=by_terminal: _m[tok.type](ctx, tok, ch)
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
    """`context`'s parser runtime and callback holder, rebuilt when its registrations changed the syntax."""
    state = context.parser_state
    if state is not None and state[0] == context.generation:
        return state[1], state[2]
    generation = context.generation
    grammar, op_callbacks = build_grammar(context)
    builder = _Builder()

    def resolve(name: str):
        if name in op_callbacks:
            return op_callbacks[name], builder  # called with the parse's ParseContext first
        if name in builder.context_rules:
            return builder.context_rules[name], builder
        method = getattr(builder, name, None)
        return (method, None) if callable(method) else None

    runtime = ParserRuntime(_cached_tables(grammar), resolve)
    context.parser_state = (generation, runtime, builder)
    return runtime, builder


# ----------------------------------------------------------------------------
# the parser cache
#
# Building the LALR table takes about a second, so its plain data (ir/lalr.py)
# is kept in irc's private cache folder (ir/cache.py), one file per grammar,
# as marshal data, never a pickle.


def _cache_key(grammar: str) -> str:
    import hashlib

    import lark

    key = f"{CACHE_FORMAT}\n{lark.__version__}\n{sys.version_info[:2]}\n{sorted(LARK_OPTIONS.items())}\n{grammar}"
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def cache_file_name(key: str) -> str:
    """The name, in the cache folder, of the parser for the grammar whose `_cache_key` is `key`."""
    return f"lalr-{key[:32]}.marshal"


def _cached_tables(grammar: str) -> dict:
    """The parser data of `grammar`, from the cache folder when it holds them, else built by lark and stored."""
    key = _cache_key(grammar)
    name = cache_file_name(key)
    blob = read_cache_file(name)
    if blob is not None:
        try:
            stored_key, data = marshal.loads(blob)
            if stored_key == key:
                return data
        except Exception:  # a damaged or foreign file: build afresh and overwrite it
            pass
    data = tables_from_lark(grammar)
    write_cache_file(name, marshal.dumps((key, data)))
    return data


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
    runtime, builder = _get_parser(context)
    ctx = ParseContext(filename, allow_unregistered, context, first_line)
    builder.ctx = ctx
    # Parsing allocates many long-lived objects and no garbage cycles; the
    # cyclic collector would rescan the growing IR again and again (a third
    # of the time of a 20,000-op parse), so it pauses until the parse ends
    # (the `irc` command keeps it off altogether: tools/main.py console_main).
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        ops = runtime.parse(text)
        ctx.finish()
    except UnexpectedInput as e:
        raise _syntax_error(e, filename, text, first_line, runtime) from None
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


def _syntax_error(e: UnexpectedInput, filename: str, source: str, first_line: int = 1, runtime=None) -> DiagnosticError:
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
        expected = set(e.expected)
        if is_misplaced_word(e):
            expected.discard("$END")
        exp = _describe_expected(expected)
        if exp and "is unknown" not in msg:
            msg += f"; expected {exp}"
    elif isinstance(e, UnexpectedCharacters):
        ch = e.char if hasattr(e, "char") else "?"
        msg = f"unexpected character '{ch}'"
        allowed = getattr(e, "allowed", None)
        if allowed and runtime is not None:
            allowed = runtime.expand_terminal_names(allowed)
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
