"""The Context: which dialects, ops, types, attributes, passes and format directives exist, by name.

As MLIR's `MLIRContext` and xDSL's `Context`: everything looked up by name
(the parser's ops, `!dialect.type`, `#dialect.attr`, pipeline pass names)
is looked up in a context, and the parser built from a context's ops belongs
to that context.  The command line and a plain `import irc` use one default
context; an embedder can make its own::

    ctx = irc.Context()
    ctx.load_plugin("my_dialect.py")       # seen by `ctx` only
    module = ctx.parse_module(text)
    with ctx.activate():                   # passes and builders look names up in ctx
        irc.passes.run_pipeline(module, "canonicalize")

What irc itself defines (the classes in irc's own modules: the shipped
dialects and passes) is registered in every context.  Anything else (a
plugin, an embedder's own dialect) is registered in the current context
only, so two contexts in one process do not see each other's plugin ops, and
loading a plugin rebuilds only that context's grammar.  Op classes, and the
interfaces attached to them, are ordinary Python classes shared by the
process; a context decides which names reach them.
"""

from __future__ import annotations

import importlib.util
import itertools
import os
import re
import sys
import weakref
from contextlib import contextmanager
from typing import Dict, List, Optional

REGISTRIES = ("dialects", "ops", "types", "attributes", "passes", "directives")
_builtin: Dict[str, dict] = {kind: {} for kind in REGISTRIES}  # what every context starts with
_live: "weakref.WeakSet[Context]" = weakref.WeakSet()
_active: List["Context"] = []
_plugin_numbers = itertools.count(1)


class Context:
    """Name registries (dialects, ops, types, attributes, passes, custom directives) and the parser built from them."""

    def __init__(self):
        self.dialects: Dict[str, object] = dict(_builtin["dialects"])
        self.ops: Dict[str, type] = dict(_builtin["ops"])
        self.types: Dict[str, type] = dict(_builtin["types"])
        self.attributes: Dict[str, type] = dict(_builtin["attributes"])
        self.passes: Dict[str, type] = dict(_builtin["passes"])
        # custom<Name> directives of assembly formats (ir/custom_directives.py), read when an op's format is compiled
        self.directives: Dict[str, object] = dict(_builtin["directives"])
        # bumped by every registration that changes the syntax; the parser is rebuilt when it moves
        self.generation = 0
        self.parser_state: Optional[tuple] = None  # (generation, lark, callbacks): ir/parser.py's
        _live.add(self)

    # -- making it current -------------------------------------------------------
    @contextmanager
    def activate(self):
        """Within the block, name lookups (parsing, building ops by name, pipelines) use this context."""
        _active.append(self)
        try:
            yield self
        finally:
            _active.pop()

    # -- plugins -----------------------------------------------------------------
    def load_plugin(self, path: str):
        """Import the Python file `path`; the dialects and passes it registers join this context only."""
        from .dialects import load_all

        load_all()  # irc's own dialects first, so that they register in every context
        stem = re.sub(r"\W", "_", os.path.splitext(os.path.basename(path))[0])
        name = f"irc_plugin_{stem}" if self is _default else f"irc_plugin_{stem}_{next(_plugin_numbers)}"
        spec = importlib.util.spec_from_file_location(name, path)
        if spec is None or spec.loader is None:
            raise ImportError(f"'{path}' is not a Python file")
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        with self.activate():
            spec.loader.exec_module(module)
        return module

    # -- the core operations, in this context ----------------------------------------
    def parse(self, text: str, filename: str = "<stdin>", allow_unregistered: bool = False):
        """Parse `text` into its top-level operations (unverified)."""
        from .parser import parse

        with self.activate():
            return parse(text, filename, allow_unregistered)

    def parse_module(self, text: str, filename: str = "<stdin>", allow_unregistered: bool = False, verify: bool = True):
        """Parse a file into a builtin.module and (unless `verify` is false) verify it."""
        from .parser import parse_module

        with self.activate():
            return parse_module(text, filename, allow_unregistered, verify)

    def verify(self, op) -> None:
        """Raise DiagnosticError if `op` is invalid."""
        from .verifier import verify

        with self.activate():
            verify(op)

    def print_op(self, op, generic: bool = False, debuginfo: bool = False) -> str:
        """MLIR text of `op`."""
        from .printer import print_op

        with self.activate():
            return print_op(op, generic, debuginfo)

    def __repr__(self):
        label = "default " if self is _default else ""
        return f"<irc {label}Context: {len(self.dialects)} dialects, {len(self.ops)} ops, {len(self.passes)} passes>"


_default = Context()


def default_context() -> Context:
    """The context of the command line and of `import irc`."""
    return _default


def current_context() -> Context:
    """The innermost activated context, else the default one."""
    return _active[-1] if _active else _default


def _is_irc_module(module: Optional[str]) -> bool:
    return module is not None and (module == "irc" or module.startswith("irc."))


def register(kind: str, name: str, obj, module: Optional[str]) -> None:
    """Register `obj` under `name` in registry `kind`; `module` is where it was defined.

    irc's own definitions go to every context (and to those made later);
    anything else goes to the current context only."""
    if _is_irc_module(module):
        _builtin[kind][name] = obj
        targets = list(_live)
    else:
        targets = [current_context()]
    for ctx in targets:
        getattr(ctx, kind)[name] = obj
        if kind != "passes":
            ctx.generation += 1
