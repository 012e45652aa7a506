"""Run a function of a module on the backend a test is parametrized with.

`backend` (a fixture in tests/conftest.py) is "interpret" (the reference
interpreter) or "jit" (LLVM through `irc.compile`); helpers call
`run(module, name, args)` and get the interpreter's calling convention (a
list of results) either way.  A program on tensors compiles as a user's does:
`irc.compile` bufferizes a copy (arguments read-only) and lowers its linalg ops
to loops, so tensors go in and come back as numpy arrays.  IR the LLVM backend
does not translate yet skips the compiled run, saying why.
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
        return compiled(module)[name].call(as_arrays(module, name, list(args)))
    return Interpreter(module).call(name, list(args))


def as_arrays(module, name: str, args):
    """`args` with Python lists for tensor or memref parameters of @name made numpy arrays of
    the element type (the interpreter takes lists; compiled code takes arrays by reference)."""
    import numpy as np

    from irc.attributes import numpy_dtype
    from irc.functions import FunctionLike
    from irc.symbols import lookup_in
    from irc.types import ShapedType

    fn = lookup_in(module, name)
    if fn is None or FunctionLike.get(fn) is None:
        return args
    inputs = list(FunctionLike.of(fn).function_type().inputs)
    inputs += [None] * (len(args) - len(inputs))
    def convert(a, t):
        if isinstance(a, list) and isinstance(t, ShapedType):
            return np.asarray(a, dtype=numpy_dtype(t.element_type))
        return a

    return [convert(a, t) for a, t in zip(args, inputs)]


def compiled(module):
    """`module` JIT-compiled (skipping where it needs what the backend does not translate
    yet); irc.compile bufferizes a tensor program first (passes/compile_pipeline.py)."""
    import irc
    from irc.backends.llvm.translation import TranslationError

    try:
        return irc.compile(module, opt_level=JIT_OPT_LEVEL, disk_cache=False)
    except TranslationError as e:
        text = str(e)
        if "vector<" in text:
            pytest.skip(f"the LLVM backend does not translate vectors yet: {text.splitlines()[0]}")
        if "has no translation to LLVM IR" in text:  # an op added after the backend (docs/backend.md)
            pytest.skip(f"not translated to LLVM yet: {text.splitlines()[0]}")
        raise
    except irc.DiagnosticError as e:
        if "has no bufferization model" not in str(e):
            raise
        pytest.skip(f"not compiled: a test-only op without a bufferization model: {str(e).splitlines()[0]}")
