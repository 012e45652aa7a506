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

from irc.dialects.func import CallOp, FuncOp, ReturnOp

from .translation import (
    IMPL_PREFIX,
    FunctionTranslation,
    Terminator,
    function_signature,
    translate_module_op,
    translate_to_llvm,
    unsupported,
)


class _FunctionTranslation:
    """func.func in two phases: declare every function, then translate the bodies."""

    @staticmethod
    def declare(mt, op) -> None:
        name = op.sym_name
        sig = function_signature(op.function_type, op)
        if op.is_declaration:
            f = mt.declare_c_function(name, sig.return_type, sig.args)
        else:
            f = ll.Function(mt.module, sig, name=IMPL_PREFIX + name)
            f.linkage = "internal"
        mt.functions[name] = f
        mt.func_ops[name] = op

    @staticmethod
    def define(mt, op) -> None:
        if not op.is_declaration:
            recursive = op.sym_name in _recursive_functions(mt)
            FunctionTranslation(mt, op, mt.functions[op.sym_name]).translate(depth_guard=recursive)


def _recursive_functions(mt):
    """Names of the functions on a cycle of the call graph (computed once per module)."""
    found = getattr(mt, "_recursive", None)
    if found is None:
        calls = {name: {c.callee for c in op.walk() if isinstance(c, CallOp)} for name, op in mt.func_ops.items()}

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


translate_module_op.register_value(FuncOp, _FunctionTranslation())


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
