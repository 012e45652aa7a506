"""LLVM translation of the blas dialect: calls of the OpenBLAS that numpy ships.

`find_blas()` finds numpy's bundled OpenBLAS (``numpy.libs/libscipy_openblas64_*.so``,
CBLAS names ``scipy_cblas_sgemm64_`` ... with 64-bit integers; or a plain
``libopenblas`` with ``cblas_sgemm`` and 32-bit ones) and the JIT loads it
into the process (``llvm.load_library_permanently``) so that the compiled
code's calls resolve.  Each blas op becomes one CBLAS call (a loop of calls
for a batch) on the descriptors' aligned pointer plus offset:

- the matrix order is the output's (row-major when c's last dimension has the
  unit stride, else column-major); an operand stored in the other order is the
  transpose of itself in this one, so its trans flag flips;
- a leading dimension is the stride of the dimension without the unit stride
  (at least 1, as BLAS insists even for empty matrices);
- alpha = 1, beta = 1 (the linalg op accumulated into its output) or 0 for a
  gemm marked ``overwrite``.

The verifier of the ops (ir/dialects/blas.py) admits only layouts this is
exact for.  Without a BLAS the JIT and object files rewrite blas ops back to
loops (`expand_without_blas`), with a note on stderr.
"""

from __future__ import annotations

import ctypes
import glob
import os
import sys
from dataclasses import dataclass
from typing import Dict, Optional

import llvmlite.ir as ll

from irc.dialects.blas import BlasOp, DotOp, GemmOp, GemvOp, matrix_storage

from .scf import counted_loop
from .translation import I32, I64, llvm_type, translate_to_llvm

ROW_MAJOR, COL_MAJOR, NO_TRANS, TRANS = 101, 102, 111, 112
ZERO, ONE = ll.Constant(I64, 0), ll.Constant(I64, 1)


@dataclass(frozen=True)
class BlasLibrary:
    """A CBLAS found on this machine: its file, the symbol of each routine, its integer width."""

    path: str
    symbols: Dict[str, str]  # "sgemm" -> "scipy_cblas_sgemm64_"
    int_bits: int

    def tag(self) -> str:
        """What compiled code depends on (part of the JIT cache key)."""
        return f"{os.path.basename(self.path)}:{self.symbols['sgemm']}:{self.int_bits}:{self.core()}"

    def core(self) -> Optional[str]:
        """The kernel family OpenBLAS runs ("Haswell", "SkylakeX" ...: what it detected, or
        what ``OPENBLAS_CORETYPE`` told it when it loaded), or None where it does not say."""
        lib = ctypes.CDLL(self.path)
        for name in ("scipy_openblas_get_corename64_", "openblas_get_corename"):
            fn = getattr(lib, name, None)
            if fn is not None:
                fn.restype = ctypes.c_char_p
                return fn().decode()
        return None

    def has_avx512_kernels(self) -> bool:
        """Whether OpenBLAS runs its AVX-512 kernels (then it is as fast as irc's kernel on
        large products)."""
        return (self.core() or "").lower() in AVX512_CORES


AVX512_CORES = {"skylakex", "cooperlake", "sapphirerapids"}  # OpenBLAS's names of its AVX-512 families


_ROUTINES = ("sgemm", "dgemm", "sgemv", "dgemv", "sdot", "ddot")
_found: list = []


def _candidates():
    import numpy as np

    folder = os.path.join(os.path.dirname(np.__file__), os.pardir, "numpy.libs")
    folder = os.path.realpath(folder)
    return sorted(glob.glob(os.path.join(folder, "libscipy_openblas64_*.so"))) + sorted(
        glob.glob(os.path.join(folder, "libopenblas*.so*")))


def find_blas() -> Optional[BlasLibrary]:
    """numpy's bundled OpenBLAS with every routine the blas ops call, or None.
    ``IRC_NO_BLAS=1`` in the environment pretends there is none (tests of the fallback)."""
    if os.environ.get("IRC_NO_BLAS"):
        return None
    if not _found:
        _found.append(_search())
    return _found[0]


def _search() -> Optional[BlasLibrary]:
    for path in _candidates():
        try:
            lib = ctypes.CDLL(path)
        except OSError:
            continue
        for prefix, suffix, bits in (("scipy_cblas_", "64_", 64), ("cblas_", "64_", 64), ("cblas_", "", 32)):
            symbols = {r: f"{prefix}{r}{suffix}" for r in _ROUTINES}
            if all(hasattr(lib, s) for s in symbols.values()):
                return BlasLibrary(path, symbols, bits)
    return None


def load_blas() -> Optional[BlasLibrary]:
    """`find_blas()`, with the library loaded into the JIT's symbol space."""
    lib = find_blas()
    if lib is not None and not getattr(load_blas, "done", False):
        import llvmlite.binding as llvm

        llvm.load_library_permanently(lib.path)
        load_blas.done = True
    return lib


def has_blas_ops(module) -> bool:
    """Whether any blas op is in `module`."""
    return any(isinstance(op, BlasOp) for op in module.walk())


def expand_without_blas(module) -> bool:
    """Where no BLAS is found: rewrite the blas ops that need one (gemv, dot) to loops in
    place, with a note on stderr, so the module still compiles; blas.gemm stays (irc's
    kernel computes it).  Whether it rewrote."""
    if load_blas() is not None:
        return False
    needing = [op for op in module.walk() if isinstance(op, BlasOp) and not isinstance(op, GemmOp)]
    if not needing:
        return False
    from irc.passes.linalg_to_blas import convert_blas_to_linalg
    from irc.passes.linalg_to_loops import lower_structured_ops

    for op in needing:
        convert_blas_to_linalg(op)
    lower_structured_ops(module, parallel=False)
    print("irc: note: no BLAS found (numpy's bundled OpenBLAS); blas.gemv and blas.dot are compiled as loops "
          "(blas.gemm by irc's own kernel)", file=sys.stderr)
    return True


# -- which lowering a blas.gemm gets ------------------------------------------------------------

GEMM_CHOICES = ("auto", "kernel", "blas")


def gemm_choice() -> str:
    """``IRC_GEMM`` from the environment: "auto" (the default: the measured rule of
    `kernel_rule`), "kernel" (irc's own kernel for every blas.gemm) or "blas" (the CBLAS
    call wherever a BLAS is found)."""
    choice = os.environ.get("IRC_GEMM", "auto").strip().lower() or "auto"
    if choice not in GEMM_CHOICES:
        from irc.diagnostics import error

        raise error(f"IRC_GEMM={choice!r} in the environment: expected one of {', '.join(GEMM_CHOICES)}")
    return choice


@dataclass(frozen=True)
class KernelRule:
    """Where blas.gemm runs irc's kernel rather than the CBLAS call, by the sizes of the
    product in the kernel's orientation (n along its vectors): when n is at least `min_n`,
    k at least `min_k` and (with `max_volume`) m*n*k at most `max_volume`."""

    min_n: int = 0
    min_k: int = 0
    max_volume: Optional[int] = None

    def always(self) -> bool:
        """Whether no size condition is left (the kernel everywhere)."""
        return self.min_n <= 0 and self.min_k <= 0 and self.max_volume is None


# measured on this project's Zen 5 machines (docs/backend.md has the table): against OpenBLAS's
# AVX2 kernels irc's AVX-512 kernel loses only where k < 16 or n < 4; against its AVX-512
# kernels it is level or ahead for n >= 8, k >= 64 and up to 256^3, behind elsewhere
AGAINST_AVX2_KERNELS = KernelRule(min_n=4, min_k=16)
AGAINST_AVX512_KERNELS = KernelRule(min_n=8, min_k=64, max_volume=256 ** 3)


def kernel_rule(element_bits: int) -> Optional[KernelRule]:
    """When blas.gemm of `element_bits`-bit elements runs irc's kernel; None: never.

    ``IRC_GEMM=kernel``, or no BLAS: always; ``IRC_GEMM=blas``: never.  ``auto`` follows
    the measurements in docs/backend.md: where the host has AVX-512, `AGAINST_AVX2_KERNELS`
    when OpenBLAS runs older kernels (``OPENBLAS_CORETYPE=Haswell``), else
    `AGAINST_AVX512_KERNELS`; without AVX-512 never (the AVX2 form of the kernel ties or
    loses against OpenBLAS's AVX2 kernels).  The thresholds were measured on f32 and serve
    f64 too."""
    from .gemm_kernel import host_vector_bits

    choice = gemm_choice()
    lib = load_blas()
    if choice == "kernel" or lib is None:
        return KernelRule()
    if choice == "blas" or host_vector_bits() < 512:
        return None
    return AGAINST_AVX512_KERNELS if lib.has_avx512_kernels() else AGAINST_AVX2_KERNELS


def lowering_tag() -> str:
    """What compiled blas ops depend on beyond their IR (part of the JIT's cache key): the
    choice, the kernel's tiles, the library's name, integer width and kernel family."""
    from .gemm_kernel import tile_shape

    lib = load_blas()
    tiles = ",".join(tile_shape(bits).tag() for bits in (32, 64))
    return f"gemm={gemm_choice()};tiles={tiles};blas={lib.tag() if lib is not None else 'none'}"


# -- translation ------------------------------------------------------------------------------


class _Operands:
    """One blas op's operands as (pointer, sizes, strides) read from their descriptors."""

    def __init__(self, t, op, args):
        self.t, self.op, self.b = t, op, t.b
        self.elem = llvm_type(op.operands[0].type.element_type, op)
        self.args = args

    def rank(self, k: int) -> int:
        return len(self.op.operands[k].type.shape)

    def size(self, k: int, d: int):
        return self.b.extract_value(self.args[k], [3, d % self.rank(k)])

    def stride(self, k: int, d: int):
        return self.b.extract_value(self.args[k], [4, d % self.rank(k)])

    def pointer(self, k: int, extra=None):
        """The address of operand k's first element (plus `extra` elements)."""
        b = self.b
        offset = b.extract_value(self.args[k], 2)
        if extra is not None:
            offset = b.add(offset, extra)
        return b.gep(b.extract_value(self.args[k], 1), [offset], source_etype=self.elem)

    def writable_guard(self):
        from .memref import writable

        return writable(self.t, self.op, self.args[2], ll.Constant(ll.IntType(1), 1))

    def for_each_batch(self, one) -> None:
        """`one(offsets)` for the single product, or for each product of a batch (the element
        offsets of a, b and c along the leading dimension), under the writable guard."""
        b = self.b
        with b.if_then(self.writable_guard()):
            if len(self.op.operands[2].type.shape) == 2:
                one([None, None, None])
            else:
                def body(index, carried):
                    one([b.mul(index, self.stride(j, 0)) for j in range(3)])
                    return []

                counted_loop(self.t, self.op, ZERO, self.size(2, 0), ONE, [], body, name="gemm.batch")


class _Call(_Operands):
    """A blas op's CBLAS call: the routine and integers of the library's width."""

    def __init__(self, t, op, args, routine: str):
        super().__init__(t, op, args)
        lib = load_blas()
        if lib is None:  # expand_without_blas ran before translation; a plain translate_module did not
            from .translation import unsupported

            raise unsupported(op, "needs a BLAS (numpy's bundled OpenBLAS), and none was found")
        self.int = ll.IntType(lib.int_bits)
        self.prefix = "s" if self.elem == ll.FloatType() else "d"
        self.symbol = lib.symbols[self.prefix + routine]

    def integer(self, value):
        return value if self.int.width == 64 else self.b.trunc(value, self.int)

    def leading(self, k: int, storage: str):
        """The leading dimension of matrix operand k stored in `storage` order (at least 1)."""
        stride = self.stride(k, -2 if storage == "row" else -1)
        return self.integer(self.b.select(self.b.icmp_signed("<", stride, ONE), ONE, stride))

    def call(self, ret, argtypes, values):
        fn = self.t.mt.declare_c_function(self.symbol, ret, argtypes)
        return self.b.call(fn, values)

    def constant(self, value: float):
        return ll.Constant(self.elem, value)


def _enum(value: int):
    return ll.Constant(I32, value)


@translate_to_llvm.register(GemmOp)
def _gemm(t, op, args):
    """irc's kernel, the CBLAS call, or both behind a test of the sizes (`kernel_rule`)."""
    operands = _Operands(t, op, args)
    b = operands.b
    rule = kernel_rule(32 if operands.elem == ll.FloatType() else 64)
    kernel = _gemm_kernel(operands, accumulate=not op.overwrite) if rule is not None else None
    blas = _gemm_blas(t, op, args) if rule is None or not rule.always() else None

    def one(offsets):
        if blas is None or kernel is None:
            return (kernel or blas)(offsets)
        m, n, k = kernel.sizes
        fits = b.and_(b.icmp_signed(">=", n, ll.Constant(I64, rule.min_n)),
                      b.icmp_signed(">=", k, ll.Constant(I64, rule.min_k)))
        if rule.max_volume is not None:
            fits = b.and_(fits, b.icmp_signed("<=", b.mul(b.mul(m, n), k), ll.Constant(I64, rule.max_volume)))
        with b.if_else(fits) as (small, large):
            with small:
                kernel(offsets)
            with large:
                blas(offsets)

    operands.for_each_batch(one)
    return []


def _gemm_blas(t, op, args):
    """The CBLAS gemm call of one product (given the batch offsets)."""
    c = _Call(t, op, args, "gemm")
    types = [v.type for v in op.operands]
    storage = [matrix_storage(ty) for ty in types]
    order = storage[2]
    trans = [flag != (s != order) for flag, s in zip((op.transpose_a, op.transpose_b), storage[:2])]
    m, n = c.size(2, -2), c.size(2, -1)
    k = c.size(0, -2) if op.transpose_a else c.size(0, -1)
    i, e = c.int, c.elem
    argtypes = [I32, I32, I32, i, i, i, e, ll.PointerType(), i, ll.PointerType(), i, e, ll.PointerType(), i]
    lda, ldb, ldc = (c.leading(j, storage[j]) for j in range(3))
    beta = c.constant(0.0 if op.overwrite else 1.0)  # overwrite: c = op(a) @ op(b)

    def one(batch_offsets):
        c.call(ll.VoidType(), argtypes, [
            _enum(ROW_MAJOR if order == "row" else COL_MAJOR), _enum(TRANS if trans[0] else NO_TRANS),
            _enum(TRANS if trans[1] else NO_TRANS), c.integer(m), c.integer(n), c.integer(k), c.constant(1.0),
            c.pointer(0, batch_offsets[0]), lda, c.pointer(1, batch_offsets[1]), ldb, beta,
            c.pointer(2, batch_offsets[2]), ldc])

    return one


def _gemm_kernel(c: "_Operands", accumulate: bool = True):
    """The call of irc's kernel for one product (given the batch offsets): op(a) and op(b)
    by their run-time strides (a transpose swaps them), a column-major c as the transposed
    problem cᵀ = op(b)ᵀ op(a)ᵀ.  Its `sizes` are (m, n, k) in the kernel's orientation."""
    from .gemm_kernel import gemm_kernel, tile_shape

    op, b = c.op, c.b
    kernel = gemm_kernel(c.t.mt, c.elem, tile_shape(32 if c.elem == ll.FloatType() else 64), accumulate)

    def strides(j, transposed):  # (row stride, column stride) of op(operand j)
        rs, cs = c.stride(j, -2), c.stride(j, -1)
        return (cs, rs) if transposed else (rs, cs)

    a_rs, a_cs = strides(0, op.transpose_a)
    b_rs, b_cs = strides(1, op.transpose_b)
    m, n = c.size(2, -2), c.size(2, -1)
    k = c.size(0, -2) if op.transpose_a else c.size(0, -1)
    row_major = matrix_storage(op.operands[2].type) == "row"

    def one(offsets):
        pa, pb, pc = (c.pointer(j, offsets[j]) for j in range(3))
        if row_major:
            b.call(kernel, [m, n, k, pa, a_rs, a_cs, pb, b_rs, b_cs, pc, c.stride(2, -2)])
        else:
            b.call(kernel, [n, m, k, pb, b_cs, b_rs, pa, a_cs, a_rs, pc, c.stride(2, -1)])

    one.sizes = (m, n, k) if row_major else (n, m, k)
    return one


@translate_to_llvm.register(GemvOp)
def _gemv(t, op, args):
    c = _Call(t, op, args, "gemv")
    storage = matrix_storage(op.operands[0].type)
    i, e = c.int, c.elem
    argtypes = [I32, I32, i, i, e, ll.PointerType(), i, ll.PointerType(), i, e, ll.PointerType(), i]
    with c.b.if_then(c.writable_guard()):
        c.call(ll.VoidType(), argtypes, [
            _enum(ROW_MAJOR if storage == "row" else COL_MAJOR), _enum(TRANS if op.transpose_a else NO_TRANS),
            c.integer(c.size(0, 0)), c.integer(c.size(0, 1)), c.constant(1.0), c.pointer(0), c.leading(0, storage),
            c.pointer(1), c.integer(c.stride(1, 0)), c.constant(1.0), c.pointer(2), c.integer(c.stride(2, 0))])
    return []


@translate_to_llvm.register(DotOp)
def _dot(t, op, args):
    c = _Call(t, op, args, "dot")
    i, e = c.int, c.elem
    with c.b.if_then(c.writable_guard()):
        value = c.call(e, [i, ll.PointerType(), i, ll.PointerType(), i], [
            c.integer(c.size(0, 0)), c.pointer(0), c.integer(c.stride(0, 0)), c.pointer(1),
            c.integer(c.stride(1, 0))])
        out = c.pointer(2)
        c.b.store(c.b.fadd(c.b.load(out, typ=e), value), out)
    return []
