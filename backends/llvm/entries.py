"""The C-facing entries of each exported function.

The status entry: scalars in, results through out-pointers, a status code back.

``int32_t f(double y0, double p, double *result0)`` calls the internal
``_irc_fn_f`` and stores its results; it returns 0, or the code of the
run-time error that happened (division by zero ...), whose message the JIT
and the C header know.  Out-pointers make one convention for zero, one or
many results that every C compiler agrees on (a struct return would follow
the ABI's struct rules).  Integer arguments and results use the C type of
the next standard width (i1 is a `bool` byte; i17 travels as int32_t).  A
memref crosses as a pointer to MLIR's descriptor, in and out.

``_mlir_ciface_f`` is MLIR's C interface for the same function (what
``llvm.emit_c_interface`` makes), so C written against MLIR's
convention links unchanged: memref arguments are pointers to descriptors,
scalars by value; one scalar result is returned, and a memref result or
several results are written through a pointer passed *first* (to the
descriptor, or to a struct of the results).  It returns no status: after a
call, the object's ``<module>_last_error()`` says what happened
(runtime_errors.py).

Both entries call ``_setjmp`` first: a failure after which no value is
harmless (an allocation that returned NULL) comes back there at once
(`ModuleTranslation.unwind`) and the entry returns its status.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import List

import llvmlite.ir as ll

from irc.functions import FunctionLike
from irc.types import FloatType, IndexType, IntegerType, MemRefType, Type

from .allocations import free_live, release_live
from .bf16 import double_to_bf16
from .translation import I32, ModuleTranslation, unsupported


@dataclass(frozen=True)
class CType:
    """How one argument or result crosses the C boundary."""

    c_name: str  # in the C header
    ctypes_name: str  # ctypes attribute
    llvm: ll.Type  # the LLVM type at the boundary
    irc: Type  # the irc type
    numpy_name: str

    @property
    def c_value(self) -> str:
        """The C type a result pointer points to (a memref's descriptor struct itself)."""
        return self.c_name[:-2] if self.numpy_name == "memref" else self.c_name


def c_type(t: Type, op) -> CType:
    """The boundary type of an irc type: scalars by value, memrefs as a pointer to
    MLIR's descriptor (the `_mlir_ciface_` convention)."""
    if isinstance(t, MemRefType) and t.shape is not None:
        rank = len(t.shape)
        return CType(f"irc_memref_{rank}d *", "c_void_p", ll.PointerType(), t, "memref")
    if isinstance(t, FloatType) and t.name in ("f64", "f32"):
        big = t.name == "f64"
        return CType("double" if big else "float", "c_double" if big else "c_float",
                     ll.DoubleType() if big else ll.FloatType(), t, "float64" if big else "float32")
    if isinstance(t, FloatType) and t.name == "bf16":  # a double at the boundary, rounded once inside
        return CType("double", "c_double", ll.DoubleType(), t, "float64")
    if isinstance(t, FloatType) and t.name == "f16":
        return CType("_Float16", "c_uint16", ll.HalfType(), t, "float16")
    if isinstance(t, IndexType) or isinstance(t, IntegerType):
        w = 64 if isinstance(t, IndexType) else t.width
        if w == 1:
            return CType("bool", "c_uint8", ll.IntType(8), t, "bool")
        for c in (8, 16, 32, 64):
            if w <= c:
                return CType(f"int{c}_t", f"c_int{c}", ll.IntType(c), t, f"int{c}")
    raise unsupported(op, f"has a {t} argument or result, which cannot cross the C boundary")


@dataclass
class EntrySignature:
    """An exported function's boundary: argument and result types, the symbol name."""

    name: str
    symbol: str
    args: List[CType]
    results: List[CType]
    mlir_ciface: bool = False  # MLIR's convention (see the module's docstring), not the status entry


def _to_internal(b, v, internal: ll.Type):
    if v.type == internal:
        return v
    if isinstance(v.type, ll.DoubleType) and isinstance(internal, ll.FloatType):  # bf16 (f32 crosses as float)
        return double_to_bf16(b, v)
    if isinstance(internal, ll.LiteralStructType):  # a memref: the caller passed its descriptor's address
        return b.load(v, typ=internal)
    if isinstance(internal, ll.HalfType):  # an f16's bits (the JIT's entries)
        return b.bitcast(v, internal)
    if isinstance(internal, ll.IntType) and internal.width == 1:
        return b.icmp_unsigned("!=", v, ll.Constant(v.type, 0))
    return b.trunc(v, internal)


def _to_boundary(b, v, boundary: ll.Type):
    if v.type == boundary:
        return v
    if isinstance(v.type, ll.FloatType) and isinstance(boundary, ll.DoubleType):  # bf16: exact
        return b.fpext(v, boundary)
    if isinstance(v.type, ll.IntType) and v.type.width == 1:
        return b.zext(v, boundary)
    return b.sext(v, boundary)


def add_entry(mt: ModuleTranslation, name: str, symbol: str, jit: bool = False) -> EntrySignature:
    """Define `symbol`, the C entry of function `name` (which must have a body).

    The JIT's entries (`jit`) take an f16 argument as its bits: ctypes has no
    ``_Float16``, which C passes in an XMM register."""
    op, impl, args, results = _boundary(mt, name)
    params = [ll.IntType(16) if jit and isinstance(a.llvm, ll.HalfType) else a.llvm for a in args]
    fn = ll.Function(mt.module, ll.FunctionType(I32, params + [ll.PointerType()] * len(results)), name=symbol)
    b = ll.IRBuilder(fn.append_basic_block("entry"))
    def zeroed(code):  # a call that unwound hands back zeros (a NULL buffer a C caller may free)
        for ptr, ct in zip(fn.args[len(args):], results):
            b.store(ll.Constant(_result_field(ct), None), ptr)
        b.ret(code)

    _unwind_here(mt, b, fn, zeroed)
    internal_args = [_to_internal(b, v, t) for v, t in zip(fn.args, impl.function_type.args)]
    r = b.call(impl, internal_args)
    values = [] if not results else [r] if len(results) == 1 else [b.extract_value(r, i) for i in range(len(results))]
    for v, ptr, ct in zip(values, fn.args[len(args):], results):
        b.store(v if ct.numpy_name == "memref" else _to_boundary(b, v, ct.llvm), ptr)
    b.ret(_leave(mt, b))
    return EntrySignature(name, symbol, args, results)


def _leave(mt: ModuleTranslation, b: ll.IRBuilder) -> ll.Value:
    """The status of the call now ending (also kept for ``<module>_last_error()``), the word
    cleared for the next call; what the call allocated and still holds is the caller's now."""
    code = b.load(mt.status)
    b.store(ll.Constant(I32, 0), mt.status)
    b.store(ll.Constant(I32, 0), mt.entry_running)
    b.store(code, mt.last_status)
    release_live(mt, b)
    return code


def _unwind_here(mt: ModuleTranslation, b: ll.IRBuilder, fn: ll.Function, give_back) -> None:
    """``_setjmp`` in the entry: a failure that cannot go on (ModuleTranslation.unwind) comes back
    here and the entry ends with `give_back(status)`; the builder continues on the normal path."""
    b.store(ll.Constant(I32, 0), mt.status)
    setjmp = mt.declare_c_function("_setjmp", I32, [ll.PointerType()])
    setjmp.attributes.add("returns_twice")
    b.store(ll.Constant(I32, 1), mt.entry_running)
    jumped = b.icmp_unsigned("!=", b.call(setjmp, [mt.jump_buffer]), ll.Constant(I32, 0))
    unwound, run = fn.append_basic_block("unwound"), fn.append_basic_block("run")
    b.cbranch(jumped, unwound, run)
    b.position_at_end(unwound)
    free_live(mt, b)  # buffers, tapes and would-be results of the failed call
    give_back(_leave(mt, b))
    b.position_at_end(run)


def _boundary(mt: ModuleTranslation, name: str):
    """(function op, its LLVM function, argument and result boundary types) of `name`."""
    op = mt.func_ops.get(name)
    if op is None or FunctionLike.of(op).is_declaration():
        raise KeyError(name)
    ftype = FunctionLike.of(op).function_type()
    return op, mt.functions[name], [c_type(t, op) for t in ftype.inputs], [c_type(t, op) for t in ftype.results]


CIFACE_PREFIX = "_mlir_ciface_"


def add_mlir_ciface(mt: ModuleTranslation, name: str) -> EntrySignature:
    """Define ``_mlir_ciface_<name>``: MLIR's C interface of function `name`.  It unwinds as the
    status entry does; its status is what ``<module>_last_error()`` returns after it (a
    failure that unwound returns zeros: a zero scalar, zeroed result descriptors)."""
    op, impl, args, results = _boundary(mt, name)
    returned = results[0].llvm if len(results) == 1 and results[0].numpy_name != "memref" else None
    through_pointer = bool(results) and returned is None
    params = ([ll.PointerType()] if through_pointer else []) + [a.llvm for a in args]
    fn = ll.Function(mt.module, ll.FunctionType(returned or ll.VoidType(), params), name=CIFACE_PREFIX + name)
    b = ll.IRBuilder(fn.append_basic_block("entry"))
    if returned is not None:
        _unwind_here(mt, b, fn, lambda code: b.ret(ll.Constant(returned, None)))
    else:
        packed_type = ll.LiteralStructType([_result_field(ct) for ct in results])
        if len(results) == 1:  # a memref result: its descriptor itself
            packed_type = packed_type.elements[0]

        def zeroed(code):
            if results:
                b.store(ll.Constant(packed_type, None), fn.args[0])
            b.ret_void()

        _unwind_here(mt, b, fn, zeroed)
    incoming = fn.args[1:] if through_pointer else fn.args
    r = b.call(impl, [_to_internal(b, v, t) for v, t in zip(incoming, impl.function_type.args)])
    _leave(mt, b)
    if returned is not None:
        b.ret(_to_boundary(b, r, returned))
    else:
        if len(results) == 1:
            b.store(r, fn.args[0])
        elif results:
            values = [b.extract_value(r, i) for i in range(len(results))]
            packed = ll.Constant(packed_type, ll.Undefined)
            for i, (v, ct) in enumerate(zip(values, results)):
                packed = b.insert_value(packed, v if ct.numpy_name == "memref" else _to_boundary(b, v, ct.llvm), i)
            b.store(packed, fn.args[0])
        b.ret_void()
    return EntrySignature(name, CIFACE_PREFIX + name, args, results, mlir_ciface=True)


def _result_field(ct: CType) -> ll.Type:
    """A result's field in the struct of several results: a memref's descriptor itself."""
    if ct.numpy_name == "memref":
        from .memref import descriptor_type

        return descriptor_type(ct.irc)
    return ct.llvm
