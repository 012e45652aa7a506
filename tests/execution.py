"""Run a function of a module on the backend a test is parametrized with.

`backend` (a fixture in tests/conftest.py) is "interpret" (the reference
interpreter) or "jit" (LLVM through `irc.compile`); helpers call
`run(module, name, args)` and get the interpreter's calling convention (a
list of results) either way.  A program on tensors is compiled the way a user
compiles one: a copy is bufferized with function boundaries and its linalg ops
lowered to loops (`ARRAY_PIPELINE`) first, so tensors go in and come back as
numpy arrays.  IR the LLVM backend does not translate yet skips the compiled
run, saying why.
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
    the element type (the interpreter takes lists; compiled code takes arrays by reference),
    and 0-d arrays for scalar parameters made numpy scalars."""
    import numpy as np

    from irc.attributes import numpy_dtype
    from irc.functions import FunctionLike
    from irc.symbols import lookup_in
    from irc.types import ShapedType

    fn = lookup_in(module, name)
    if fn is None or FunctionLike.of(fn) is None:
        return args
    inputs = list(FunctionLike.of(fn).function_type().inputs)
    inputs += [None] * (len(args) - len(inputs))
    def convert(a, t):
        if isinstance(a, list) and isinstance(t, ShapedType):
            return np.asarray(a, dtype=numpy_dtype(t.element_type))
        if isinstance(a, np.ndarray) and a.ndim == 0 and t is not None and not isinstance(t, ShapedType):
            return a[()]  # a 0-d array where a scalar goes: its numpy scalar
        return a

    return [convert(a, t) for a, t in zip(args, inputs)]


def keep_arguments(module) -> None:
    """Mark every tensor argument of `module`'s public functions ``bufferization.writable =
    false``.  With function boundaries MLIR's rule (and irc's) lets a function write into
    its arguments' buffers; a caller handing numpy arrays in as tensor values, as the
    interpreter's value semantics promise, must not see them change, so bufferization
    copies before any write instead."""
    from irc.attributes import ArrayAttr, DictionaryAttr, IntegerAttr
    from irc.functions import FunctionLike
    from irc.types import TensorType, i1

    for op in module.body_block.ops if hasattr(module, "body_block") else module.regions[0].blocks[0].ops:
        fn = FunctionLike.of(op)
        if fn is None or fn.is_declaration() or op.attributes.get("sym_visibility") is not None:
            continue
        inputs = fn.function_type().inputs
        old = op.attributes.get("arg_attrs")
        dicts = list(old.elements) if isinstance(old, ArrayAttr) else [DictionaryAttr(()) for _ in inputs]
        for k, t in enumerate(inputs):
            if isinstance(t, TensorType):
                entries = dict(dicts[k].entries)
                entries["bufferization.writable"] = IntegerAttr(0, i1)
                dicts[k] = DictionaryAttr(tuple(entries.items()))
        op.attributes["arg_attrs"] = ArrayAttr(tuple(dicts))


ARRAY_PIPELINE = "one-shot-bufferize{bufferize-function-boundaries},convert-linalg-to-loops"


def uses_tensors(module) -> bool:
    """Whether any value or function signature of `module` has a tensor type."""
    from irc.types import FunctionType, TensorType

    def tensorish(t):
        if isinstance(t, FunctionType):
            return any(tensorish(x) for x in (*t.inputs, *t.results))
        return isinstance(t, TensorType)

    for op in module.walk():
        if any(tensorish(v.type) for v in op.results):
            return True
        if any(tensorish(getattr(a, "value", None)) for a in op.attributes.values()):
            return True
        for r in op.regions:
            for b in r.blocks:
                if any(tensorish(a.type) for a in b.arguments):
                    return True
    return False


def compiled(module):
    """`module` JIT-compiled (skipping where it needs what the backend does not translate
    yet); a tensor program through ARRAY_PIPELINE first."""
    import irc
    from irc.backends.llvm.translation import TranslationError
    from irc.passes import run_pipeline

    if uses_tensors(module):
        module = module.clone()
        keep_arguments(module)
        try:
            run_pipeline(module, ARRAY_PIPELINE)
        except irc.DiagnosticError as e:
            if "has no bufferization model" not in str(e):
                raise
            pytest.skip(f"not compiled: a test-only op without a bufferization model: {str(e).splitlines()[0]}")
    try:
        return irc.compile(module, opt_level=JIT_OPT_LEVEL, disk_cache=False)
    except TranslationError as e:
        text = str(e)
        if "tensor<" in text or "vector<" in text or "is not a scalar" in text:
            pytest.skip(f"the LLVM backend translates scalars only until the arrays issue: {text.splitlines()[0]}")
        if "has no translation to LLVM IR" in text:  # an op added after the backend (docs/backend.md)
            pytest.skip(f"not translated to LLVM yet: {text.splitlines()[0]}")
        raise
