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
            FunctionTranslation(mt, op, mt.functions[op.sym_name]).translate()


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
