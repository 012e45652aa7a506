"""`irc.compile`: JIT-compile a module with LLVM and call its functions from Python.

    fast = irc.compile(module, opt_level=3)
    fast.f(0.5, 1.3)            # -> 0.47...  (a tuple for several results)

Compiled code is cached by a hash of the IR text, the options, the llvmlite
version and the host CPU: in this process, and on disk in the user's
private cache folder (cache.py), so another process loads object code
instead of compiling.  `stats` counts what happened (tests read it).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import hashlib
import threading
from typing import Any, Dict, List, Sequence

import numpy as np

from irc.diagnostics import error
from irc.functions import FunctionLike
from irc.interpreter import InterpreterError, wrap
from irc.location import FileLineColLoc, UNKNOWN
from irc.types import FloatType, IndexType, IntegerType, MemRefType

from . import cache
from .arrays import ResultDescriptor, argument_converter, read_results
from .entries import CType, c_type
from .runtime_errors import ERROR_VALUES_ACCESSOR, format_message
from .translation import ENTRY_PREFIX, MAX_ERROR_VALUES



def _backend_version() -> str:
    """A digest of the backend's own source (every module of this package, and the lowering
    passes run before it): the disk cache never serves code that an older irc generated for
    the same IR.  Reading them costs about a millisecond, once per process."""
    import os

    import irc.passes

    h = hashlib.sha256()
    folders = [os.path.dirname(__file__), os.path.dirname(irc.passes.__file__)]
    for folder in folders:
        for name in sorted(os.listdir(folder)):
            if name.endswith(".py"):
                with open(os.path.join(folder, name), "rb") as f:
                    h.update(name.encode() + b"\0" + f.read())
    return h.hexdigest()[:16]


BACKEND_VERSION = _backend_version()  # changes whenever the code that generates code changes
stats: Dict[str, int] = {"llvm_compilations": 0, "disk_cache_hits": 0, "memory_cache_hits": 0}

_lock = threading.Lock()
_memory_cache: Dict[str, "CompiledModule"] = {}
_initialized = False


def _llvm():
    """llvmlite.binding, with the C library's math functions visible to the JIT."""
    global _initialized
    import llvmlite.binding as llvm

    if not _initialized:
        llvm.initialize_native_target()
        llvm.initialize_native_asmprinter()
        # libm for the math functions, libgcc_s for the f16 conversions codegen calls (__truncdfhf2)
        for lib in ("m", "c", "gcc_s"):
            path = ctypes.util.find_library(lib)
            if path:
                try:
                    llvm.load_library_permanently(path)
                except RuntimeError:
                    pass
        _initialized = True
    return llvm


def host_target_machine(opt_level: int, for_jit: bool = True):
    """A target machine for this CPU (its name and features), at `opt_level`."""
    llvm = _llvm()
    target = llvm.Target.from_default_triple()
    return target.create_target_machine(
        cpu=llvm.get_host_cpu_name(),
        features=llvm.get_host_cpu_features().flatten(),
        opt=min(max(opt_level, 0), 3),
        reloc="default" if for_jit else "pic",
        codemodel="jitdefault" if for_jit else "default",
    )


def optimize(llvm_module, tm, opt_level: int) -> None:
    """LLVM's -O<opt_level> pipeline (new pass manager) with loop and SLP vectorization."""
    llvm = _llvm()
    pto = llvm.create_pipeline_tuning_options(speed_level=min(max(opt_level, 0), 3))
    if opt_level >= 2:
        pto.loop_vectorization = True
        pto.slp_vectorization = True
    pb = llvm.create_pass_builder(tm, pto)
    pm = pb.getModulePassManager()
    pm.run(llvm_module, pb)


def cache_key(ir_text: str, opt_level: int, purpose: str = "jit") -> str:
    """The content hash compiled code is cached under."""
    import llvmlite

    llvm = _llvm()
    h = hashlib.sha256()
    for part in (BACKEND_VERSION, purpose, str(opt_level), llvmlite.__version__, llvm.get_host_cpu_name(),
                 llvm.get_host_cpu_features().flatten(), ir_text):
        h.update(part.encode())
        h.update(b"\0")
    return h.hexdigest()


def _prepare(module):
    """The module to compile: parsed if text; on a copy, ad ops lowered, a tensor program
    bufferized (passes/compile_pipeline.py: its arguments stay the caller's), linalg ops on
    buffers lowered (--convert-linalg-to-blas, then --convert-linalg-to-loops), blas.gemv and
    blas.dot made loops where no BLAS is found (blas.gemm has irc's own kernel)."""
    import irc

    if isinstance(module, str):
        module = irc.parse_module(module)
    text = irc.print_op(module)
    if any(f'"{n}"' in text or f" {n} " in text for n in ("ad.grad", "ad.jvp", "ad.vjp", "ad.value_and_grad")):
        from irc.passes.ad import lower_ad

        module = irc.parse_module(text)
        lower_ad(module)
        text = irc.print_op(module)
    from irc.passes.compile_pipeline import lower_tensor_program, uses_tensors

    if uses_tensors(module):  # bufferized on a copy; the caller's arrays stay unchanged
        module = lower_tensor_program(module)
        text = irc.print_op(module)
    from .blas import expand_without_blas, has_blas_ops, load_blas, lowering_tag

    if _has_structured_ops_on_buffers(module):  # matrix products to blas ops, the rest to loops
        from irc.passes.linalg_to_blas import convert_linalg_to_blas
        from irc.passes.linalg_to_loops import lower_structured_ops

        module = irc.parse_module(text)
        convert_linalg_to_blas(module)
        lower_structured_ops(module, parallel=False)
        text = irc.print_op(module)
    if has_blas_ops(module):
        if load_blas() is None:  # gemv and dot as loops instead, on a copy (with a note)
            module = irc.parse_module(text)
            expand_without_blas(module)
            text = irc.print_op(module)
        # irc's gemm kernel or calls into numpy's OpenBLAS: the choice, tiles and library are in the key
        text += f"\n// blas: {lowering_tag()}"
    return module, text


def _has_structured_ops_on_buffers(module) -> bool:
    from irc.dialects.linalg import StructuredOp

    return any(StructuredOp.implemented_by(op) and StructuredOp.of(op).has_buffer_semantics() for op in module.walk())


def llvm_ir(module) -> str:
    """The LLVM IR of `module` (unoptimized), with a C entry per defined function."""
    from .entries import add_entry
    from .translation import translate_module

    module, _ = _prepare(module)
    mt = translate_module(module)
    for name, op in mt.func_ops.items():
        if not FunctionLike.of(op).is_declaration():
            add_entry(mt, name, ENTRY_PREFIX + name, jit=True)
    return str(mt.module)


def compile(module, opt_level: int = 3, disk_cache: bool = True) -> "CompiledModule":
    """JIT-compile `module` (an irc module or its text); functions become attributes."""
    module, text = _prepare(module)
    key = cache_key(text, opt_level)
    with _lock:
        hit = _memory_cache.get(key)
        if hit is not None:
            stats["memory_cache_hits"] += 1
            return hit
        cached = cache.load(key) if disk_cache else None
        if cached is not None:
            stats["disk_cache_hits"] += 1
            obj, meta = cached
            errors = [(tuple(w) if w else None, m, k) for w, m, k in meta["errors"]]
            externals = meta["externals"]
        else:
            obj, errors, externals = _compile_object(module, opt_level)
            if disk_cache:
                cache.store(key, obj, {"errors": errors, "externals": externals})
        _check_externals(externals, module)
        compiled = CompiledModule(module, obj, errors)
        _memory_cache[key] = compiled
        return compiled


def _compile_object(module, opt_level: int):
    """Translate, optimize and emit the JIT's object code; returns (bytes, error table,
    external C functions)."""
    from .entries import add_entry
    from .runtime_errors import add_error_values_accessor
    from .translation import translate_module

    llvm = _llvm()
    mt = translate_module(module)
    for name, op in mt.func_ops.items():
        if not FunctionLike.of(op).is_declaration():
            add_entry(mt, name, ENTRY_PREFIX + name, jit=True)
    add_error_values_accessor(mt)
    mod = llvm.parse_assembly(str(mt.module))
    mod.verify()
    tm = host_target_machine(opt_level, for_jit=True)
    optimize(mod, tm, opt_level)
    stats["llvm_compilations"] += 1
    externals = {f.name for f in mod.functions if f.is_declaration and not f.name.startswith("llvm.")}
    if " half" in str(mt.module):
        externals |= {"__truncdfhf2", "__truncsfhf2", "__extendhfsf2"}  # what codegen calls for f16
    externals = sorted(externals)
    return tm.emit_object(mod), mt.errors, externals


def _check_externals(names, module) -> None:
    """Every C function the code calls must exist in this process (a missing one
    would be a null call): a clear error instead."""
    llvm = _llvm()
    missing = [n for n in names if not llvm.address_of_symbol(n)]
    if missing:
        raise error(
            f"the compiled code calls C function{'s' if len(missing) > 1 else ''} "
            f"{', '.join(repr(n) for n in missing)}, not found in this process (load its library first)",
            module.location,
        )


class CompiledModule:
    """A JIT-compiled module: each function with a body is an attribute (and `[name]`)."""

    def __init__(self, module, obj: bytes, errors):
        llvm = _llvm()
        self._engine = llvm.create_mcjit_compiler(llvm.parse_assembly(""), host_target_machine(0))
        self._engine.add_object_file(llvm.ObjectFileRef.from_data(obj))
        self._engine.finalize_object()
        self.errors = errors
        # the values of a call's error (runtime_errors.py), read when a call fails
        where = ctypes.CFUNCTYPE(ctypes.c_void_p)(self._engine.get_function_address(ERROR_VALUES_ACCESSOR))()
        self.error_values = (ctypes.c_int64 * MAX_ERROR_VALUES).from_address(where)
        self.functions: Dict[str, CompiledFunction] = {}
        body = module.regions[0].blocks[0]
        for op in body.ops:
            if FunctionLike.implemented_by(op) and not FunctionLike.of(op).is_declaration():
                name = FunctionLike.of(op).sym_name()
                self.functions[name] = CompiledFunction(self, op, self._engine.get_function_address(ENTRY_PREFIX + name))

    def __getattr__(self, name: str) -> "CompiledFunction":
        functions = self.__dict__.get("functions", {})
        if name in functions:
            return functions[name]
        raise AttributeError(f"the compiled module has no function '{name}'")

    def __getitem__(self, name: str) -> "CompiledFunction":
        try:
            return self.functions[name]
        except KeyError:
            raise KeyError(f"the compiled module has no function '{name}'") from None


class CompiledFunction:
    """A compiled function: call it with Python or numpy scalars and numpy arrays
    (memrefs); memref results come back as numpy arrays (arrays.py)."""

    def __init__(self, owner: CompiledModule, op, address: int):
        self.owner = owner  # keeps the code alive
        function = FunctionLike.of(op)
        self.name = function.sym_name()
        ftype = function.function_type()
        self.arg_types: List[CType] = [c_type(t, op) for t in ftype.inputs]
        self.result_types: List[CType] = [c_type(t, op) for t in ftype.results]
        argtypes = [getattr(ctypes, a.ctypes_name) for a in self.arg_types]
        self._results = [ResultDescriptor(r.irc) if r.numpy_name == "memref" else getattr(ctypes, r.ctypes_name)
                         for r in self.result_types]
        outtypes = [ctypes.POINTER(r.struct if isinstance(r, ResultDescriptor) else r) for r in self._results]
        proto = ctypes.CFUNCTYPE(ctypes.c_int32, *argtypes, *outtypes)
        self._fn = proto(address)
        self._converters = [_argument_converter(a, i, self.name) for i, a in enumerate(self.arg_types)]
        self._readers = [_result_reader(r) for r in self.result_types]
        self._has_arrays = any(isinstance(r, ResultDescriptor) for r in self._results)

    def __call__(self, *args):
        if len(args) != len(self._converters):
            raise TypeError(
                f"@{self.name} takes {len(self._converters)} argument{'s' if len(self._converters) != 1 else ''}, "
                f"got {len(args)}"
            )
        converted = [conv(a) for conv, a in zip(self._converters, args)]
        outs = [r.struct() if isinstance(r, ResultDescriptor) else r() for r in self._results]
        status = self._fn(*converted, *[ctypes.byref(o) for o in outs])
        if self._has_arrays:  # before an error too: the arrays own (and free) what the code allocated
            outs = read_results(outs, self._results, converted)
        if status:
            raise self._runtime_error(status)
        values = [read(o) for read, o in zip(self._readers, outs)]
        if len(values) == 1:
            return values[0]
        return tuple(values) if values else None

    def call(self, args: Sequence[Any]) -> List[Any]:
        """The interpreter's calling convention: a list in, a list of results out."""
        r = self(*args)
        n = len(self.result_types)
        return [] if n == 0 else [r] if n == 1 else list(r)

    def _runtime_error(self, status: int) -> InterpreterError:
        where, message, kinds = self.owner.errors[status - 1]
        loc = FileLineColLoc(*where) if where else UNKNOWN
        text = format_message(message, kinds, self.owner.error_values[:len(kinds)])
        return InterpreterError(error(text, loc).diagnostics)


def _argument_converter(ct: CType, index: int, fname: str):
    """A function checking one Python argument and converting it for ctypes."""
    t = ct.irc
    what = f"argument {index} of @{fname}"
    if isinstance(t, MemRefType):
        return argument_converter(t, what)
    if isinstance(t, FloatType):
        def to_float(v):
            if isinstance(v, (bool, np.bool_)) or not isinstance(v, (int, float, np.integer, np.floating)):
                if _is_0d_array(v):  # checked as its numpy scalar (off the fast path)
                    return to_float(v[()])
                raise TypeError(f"{what}: expected a number for {t}, got {type(v).__name__}")
            return float(v)

        if t.name == "f16":
            return lambda v: int(np.array(to_float(v), dtype=np.float16).view(np.uint16))
        return to_float

    def to_int(v):
        if isinstance(v, (float, np.floating)):
            if not float(v).is_integer():
                raise TypeError(f"{what}: expected an integer for {t}, got {v}")
            v = int(v)
        elif not isinstance(v, (int, np.integer, np.bool_)):
            if _is_0d_array(v):
                return to_int(v[()])
            raise TypeError(f"{what}: expected an integer for {t}, got {type(v).__name__}")
        return wrap(int(v), t)

    assert isinstance(t, (IntegerType, IndexType))
    return to_int


def _is_0d_array(v) -> bool:
    """A 0-d numpy array (``np.array(1.0)``, what numpy reductions and the interpreter give for
    a scalar): a scalar parameter takes it as its element, checked like a numpy scalar."""
    return isinstance(v, np.ndarray) and v.ndim == 0


def _result_reader(ct: CType):
    t = ct.irc
    if isinstance(t, MemRefType):
        return lambda array: array
    if isinstance(t, FloatType):
        if t.name == "f64":
            return lambda o: np.float64(o.value)
        if t.name in ("f32", "bf16"):  # bf16 crosses as a double, its value exact in float32
            return lambda o: np.float32(o.value)
        return lambda o: np.array(o.value, dtype=np.uint16).view(np.float16)[()]
    if isinstance(t, IntegerType) and t.width == 1:
        return lambda o: int(o.value) & 1
    return lambda o: int(o.value)


def clear_memory_cache() -> None:
    """Forget the in-process cache (tests use it to measure the disk cache)."""
    with _lock:
        _memory_cache.clear()


