"""LLVM translation of the func dialect: functions, calls and returns.

A function with a body becomes an internal LLVM function named
``_irc_fn_<name>`` (so a user's `@sin` never captures libm's `sin`); it
returns nothing, its one result, or a literal struct of its results.  A
declaration (no body) is an external C function of the plain name, resolved
by the linker or the JIT (libm's `cos`, a C library of the embedder ...).
The C-facing entries with out-pointers are made in `entries.py`.
"""

from __future__ import annotations

import llvmlite.ir as ll

from irc.dialects.func import CallOp, ReturnOp
from irc.functions import CallLike, FunctionLike

from .translation import (
    IMPL_PREFIX,
    FunctionTranslation,
    Terminator,
    function_signature,
    translate_to_llvm,
    unsupported,
)


class FunctionTranslationRule:
    """Any `FunctionLike` op (func.func, a plugin's) in two phases: declare every
    function, then translate the bodies.  The driver uses it for every function-like
    op without a module-level rule of its own."""

    @staticmethod
    def declare(mt, op) -> None:
        function = FunctionLike.of(op)
        name = function.sym_name()
        sig = function_signature(function.function_type(), op)
        if function.is_declaration():
            f = mt.declare_c_function(name, sig.return_type, sig.args)
        else:
            f = ll.Function(mt.module, sig, name=IMPL_PREFIX + name)
            f.linkage = "internal"
        mt.functions[name] = f
        mt.func_ops[name] = op

    @staticmethod
    def define(mt, op) -> None:
        function = FunctionLike.of(op)
        if not function.is_declaration():
            name = function.sym_name()
            FunctionTranslation(mt, op, mt.functions[name]).translate(depth_guard=name in _recursive_functions(mt))


def _recursive_functions(mt):
    """Names of the functions on a cycle of the call graph (computed once per module)."""
    found = getattr(mt, "_recursive", None)
    if found is None:
        calls = {name: {CallLike.of(c).callee().root for c in op.walk() if CallLike.implemented_by(c)}
                 for name, op in mt.func_ops.items()}

        def reaches(start, target, seen):
            for callee in calls.get(start, ()):
                if callee == target:
                    return True
                if callee not in seen:
                    seen.add(callee)
                    if reaches(callee, target, seen):
                        return True
            return False

        found = mt._recursive = {name for name in calls if reaches(name, name, set())}
    return found




@translate_to_llvm.register(ReturnOp)
def _return(t, op, args):
    return Terminator(args)


@translate_to_llvm.register(CallOp)
def _call(t, op, args):
    callee = t.mt.functions.get(op.callee)
    if callee is None:
        raise unsupported(op, f"calls '@{op.callee}', which is not a function of this module")
    r = t.b.call(callee, args)
    n = len(op.results)
    if n == 0:
        return []
    if n == 1:
        return [r]
    return [t.b.extract_value(r, i) for i in range(n)]
