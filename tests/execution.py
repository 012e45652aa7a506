"""Run a function of a module on the backend a test is parametrized with.

`backend` (a fixture in tests/conftest.py) is "interpret" (the reference
interpreter) or "jit" (LLVM through `irc.compile`); helpers call
`run(module, name, args)` and get the interpreter's calling convention (a
list of results) either way.  IR the LLVM backend does not translate yet
(tensors, until the arrays issue) skips the compiled run, saying why.
"""

from __future__ import annotations

import pytest

from irc.interpreter import Interpreter

BACKENDS = ("interpret", "jit")
CURRENT = ["interpret"]
JIT_OPT_LEVEL = 2


def run(module, name: str, args):
    """Results of @name(args) on the current backend, as a list."""
    if CURRENT[0] == "jit":
        return compiled(module)[name].call(list(args))
    return Interpreter(module).call(name, list(args))


def compiled(module):
    """`module` JIT-compiled (skipping where it needs what the backend does not translate yet)."""
    import irc
    from irc.backends.llvm.translation import TranslationError

    try:
        return irc.compile(module, opt_level=JIT_OPT_LEVEL, disk_cache=False)
    except TranslationError as e:
        text = str(e)
        if "tensor<" in text or "vector<" in text or "is not a scalar" in text:
            pytest.skip(f"the LLVM backend translates scalars only until the arrays issue: {text.splitlines()[0]}")
        if "has no translation to LLVM IR" in text:  # an op added after the backend (docs/backend.md)
            pytest.skip(f"not translated to LLVM yet: {text.splitlines()[0]}")
        raise
