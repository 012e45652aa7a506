"""The C-facing entry of each exported function: scalars in, results through
out-pointers, a status code back.

``int32_t f(double y0, double p, double *result0)`` calls the internal
``_irc_fn_f`` and stores its results; it returns 0, or the code of the
run-time error that happened (division by zero ...), whose message the JIT
and the C header know.  Out-pointers make one convention for zero, one or
many results that every C compiler agrees on (a struct return would follow
the ABI's struct rules).  Integer arguments and results use the C type of
the next standard width (i1 is a `bool` byte; i17 travels as int32_t).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import List

import llvmlite.ir as ll

from irc.types import FloatType, IndexType, IntegerType, MemRefType, Type

from .translation import I32, ModuleTranslation, unsupported


@dataclass(frozen=True)
class CType:
    """How one argument or result crosses the C boundary."""

    c_name: str  # in the C header
    ctypes_name: str  # ctypes attribute
    llvm: ll.Type  # the LLVM type at the boundary
    irc: Type  # the irc type
    numpy_name: str


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


def _to_internal(b, v, internal: ll.Type):
    if v.type == internal:
        return v
    if isinstance(internal, ll.LiteralStructType):  # a memref: the caller passed its descriptor's address
        return b.load(v, typ=internal)
    if isinstance(internal, ll.IntType) and internal.width == 1:
        return b.icmp_unsigned("!=", v, ll.Constant(v.type, 0))
    return b.trunc(v, internal)


def _to_boundary(b, v, boundary: ll.Type):
    if v.type == boundary:
        return v
    if isinstance(v.type, ll.IntType) and v.type.width == 1:
        return b.zext(v, boundary)
    return b.sext(v, boundary)


def add_entry(mt: ModuleTranslation, name: str, symbol: str, error_value: bool = False) -> EntrySignature:
    """Define `symbol`, the C entry of function `name` (which must have a body).

    With `error_value` (the JIT's entries) a last pointer argument receives the
    integer an error message names."""
    op = mt.func_ops.get(name)
    if op is None or op.is_declaration:
        raise KeyError(name)
    impl = mt.functions[name]
    ftype = op.function_type
    args = [c_type(t, op) for t in ftype.inputs]
    results = [c_type(t, op) for t in ftype.results]
    if any(r.numpy_name == "memref" for r in results):
        raise unsupported(op, "returns a memref; the C boundary passes memrefs in only (give the buffer as an argument)")
    sig = ll.FunctionType(I32, [a.llvm for a in args] + [ll.PointerType()] * (len(results) + error_value))
    fn = ll.Function(mt.module, sig, name=symbol)
    b = ll.IRBuilder(fn.append_basic_block("entry"))
    status = mt.status
    b.store(ll.Constant(I32, 0), status)
    internal_args = [_to_internal(b, v, t) for v, t in zip(fn.args, impl.function_type.args)]
    r = b.call(impl, internal_args)
    values = [] if not results else [r] if len(results) == 1 else [b.extract_value(r, i) for i in range(len(results))]
    for v, ptr, ct in zip(values, fn.args[len(args):], results):
        b.store(_to_boundary(b, v, ct.llvm), ptr)
    code = b.load(status)
    b.store(ll.Constant(I32, 0), status)
    if error_value:
        b.store(b.load(mt.status_value), fn.args[-1])
    b.ret(code)
    return EntrySignature(name, symbol, args, results)
