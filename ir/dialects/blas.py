"""The blas dialect: the three BLAS products that linalg's matmul-like ops become
on buffers (``--convert-linalg-to-blas``), as MLIR lowers linalg ops to library
calls, but as ops rather than ``func.call``s of a runtime:

    blas.gemm %a, %b, %c {transpose_a} : memref<64x256xf32>, memref<64x256xf32>, memref<256x256xf32>
    blas.gemv %a, %x, %y : memref<256x256xf32>, memref<256xf32>, memref<256xf32>
    blas.dot %x, %y, %s : memref<256xf32>, memref<256xf32>, memref<f32>

Each accumulates into its last operand as a linalg op does (BLAS's beta = 1,
alpha = 1): ``c += op(a) @ op(b)`` (with a leading batch dimension when the
operands have rank 3), ``c += op(a) @ b`` and ``c += dot(a, b)``, where
``op(a)`` is ``a`` or its transpose (of the last two dimensions) as
``transpose_a`` says.  Elements are f32 or f64.

The verifier admits only layouts BLAS can address: a matrix has a static unit
stride in one of its last two dimensions and a leading dimension that holds
that many elements (`matrix_storage`), a vector a static positive stride
(`vector_increment`); what the pass cannot prove it leaves to loops.

Here: the ops, their verifier, memory effects and interpreter rules (numpy on
the views), and `structured_form`, each op as the linalg.generic it stands
for (what `--convert-blas-to-linalg` rebuilds where no BLAS is found).  The
LLVM translation (calls of OpenBLAS's ``cblas_sgemm`` ...) is
backends/llvm/blas.py.
"""

from __future__ import annotations

from typing import List, Optional, Tuple

from ..attributes import AffineDim, AffineMapAttr, UnitAttr
from ..effects import READ, WRITE, EffectInstance, MemoryEffects
from ..opdef import AnyMemRef, Attr, Dialect, Op, Operand
from ..types import DYNAMIC, FloatType, MemRefType

blas = Dialect("blas", "BLAS products on buffers (gemm, gemv, dot), accumulating into their output")


def matrix_storage(t: MemRefType) -> Optional[str]:
    """How the last two dimensions of `t` are laid out for BLAS: "row" (unit stride in the
    last dimension), "col" (unit stride in the one before), or None when neither is
    statically known with a leading dimension of at least the unit-stride size."""
    from .memref import strides_and_offset

    if not isinstance(t, MemRefType) or t.shape is None or len(t.shape) < 2:
        return None
    if t.layout is None:
        return "row"
    layout = strides_and_offset(t)
    if layout is None:
        return None
    (*_, outer, inner), (*_, rows, cols) = layout[0], t.shape

    def holds(lead, size):
        return lead != DYNAMIC and size != DYNAMIC and lead >= max(1, size)

    if inner == 1 and holds(outer, cols):
        return "row"
    if outer == 1 and holds(inner, rows):
        return "col"
    return None


def vector_increment(t: MemRefType) -> Optional[int]:
    """The static positive stride of a rank-1 memref (BLAS's inc), or None."""
    from .memref import strides_and_offset

    if not isinstance(t, MemRefType) or t.shape is None or len(t.shape) != 1:
        return None
    layout = strides_and_offset(t)
    if layout is None or layout[0][0] == DYNAMIC or layout[0][0] < 1:
        return None
    return layout[0][0]


def blas_element(t) -> bool:
    """Whether BLAS computes on elements of `t` (f32 or f64)."""
    return isinstance(t, MemRefType) and isinstance(t.element_type, FloatType) and t.element_type.width in (32, 64)


def _mismatch(sizes, what: str) -> Optional[str]:
    known = {s for s in sizes if s != DYNAMIC}
    return f"expects the {what} to agree, got {' and '.join(map(str, sorted(known)))}" if len(known) > 1 else None


class BlasOp(Op):
    """What the three ops share: operands a, b, c (c accumulates), f32/f64 elements of one
    type, reads of a and b and a read and write of c."""

    __slots__ = ()
    operand_defs = (Operand("a", AnyMemRef), Operand("b", AnyMemRef), Operand("c", AnyMemRef))
    format = "$a `,` $b `,` $c attr-dict `:` type($a) `,` type($b) `,` type($c)"
    ranks: Tuple[int, ...] = ()

    @property
    def transpose_a(self) -> bool:
        """Whether op(a) is a's transpose (of its last two dimensions)."""
        return "transpose_a" in self.attributes

    @property
    def overwrite(self) -> bool:
        """Whether c is overwritten (BLAS's beta = 0) rather than accumulated into."""
        return "overwrite" in self.attributes

    @property
    def transpose_b(self) -> bool:
        """Whether op(b) is b's transpose (of its last two dimensions)."""
        return "transpose_b" in self.attributes

    def verify(self) -> None:
        types = [v.type for v in self.operands]
        if not all(blas_element(t) for t in types) or len({t.element_type for t in types}) != 1:
            raise self.emit_error("expects memrefs of one element type, f32 or f64")
        ranks = tuple(len(t.shape) if t.shape is not None else -1 for t in types)
        if ranks not in self.allowed_ranks():
            raise self.emit_error(f"expects operands of ranks {' or '.join(map(str, self.allowed_ranks()))}, "
                                  f"got {ranks}")
        problem = self.verify_sizes([t.shape for t in types])
        if problem:
            raise self.emit_error(problem)
        for name, t in zip("abc", types):
            if len(t.shape) >= 2 and matrix_storage(t) is None:
                raise self.emit_error(f"expects operand '{name}' to have a unit stride in one of its last two "
                                      f"dimensions and a leading dimension that holds it (BLAS's layout), got {t}")
            if len(t.shape) == 1 and vector_increment(t) is None:
                raise self.emit_error(f"expects operand '{name}' to have a static positive stride, got {t}")

    def allowed_ranks(self) -> List[Tuple[int, ...]]:
        """The (a, b, c) ranks the op takes."""
        return [self.ranks]

    def verify_sizes(self, shapes) -> Optional[str]:
        """What is wrong with the operands' static sizes (the verifier's message), or None."""
        raise NotImplementedError

    def structured_form(self) -> Tuple[List[AffineMapAttr], List[str]]:
        """The indexing maps (a, b, c) and iterator types of the linalg.generic with body
        ``c + a * b`` that this op computes."""
        raise NotImplementedError


def _map(num_dims: int, *dims: int) -> AffineMapAttr:
    return AffineMapAttr(num_dims, 0, tuple(AffineDim(d) for d in dims))


@blas.op
class GemmOp(BlasOp):
    """``c += op(a) @ op(b)``: BLAS gemm with alpha = beta = 1; rank 3 operands are a
    batch of products along their leading dimension.  With ``overwrite`` (beta = 0),
    ``c = op(a) @ op(b)``: c's contents are not read (what --convert-linalg-to-blas
    makes of a product into a buffer just set to zero)."""

    __slots__ = ()
    name = "blas.gemm"
    summary = "c += op(a) * op(b) (BLAS gemm, beta = 1; c = ... with overwrite), batched at rank 3"
    attribute_defs = (Attr("transpose_a", UnitAttr, optional=True), Attr("transpose_b", UnitAttr, optional=True),
                      Attr("overwrite", UnitAttr, optional=True))

    def allowed_ranks(self):
        return [(2, 2, 2), (3, 3, 3)]

    def verify_sizes(self, shapes):
        a, b, c = shapes
        (m, k) = a[-2:][::-1] if self.transpose_a else a[-2:]
        (k2, n) = b[-2:][::-1] if self.transpose_b else b[-2:]
        for sizes, what in (((m, c[-2]), "rows of op(a) and c"), ((n, c[-1]), "columns of op(b) and c"),
                            ((k, k2), "columns of op(a) and rows of op(b)"),
                            ((a[0], b[0], c[0]) if len(c) == 3 else (), "batch sizes")):
            problem = _mismatch(sizes, what)
            if problem:
                return problem
        return None

    def structured_form(self):
        batch = len(self.operands[2].type.shape) == 3
        lead = (0,) if batch else ()
        m, n, k = (1, 2, 3) if batch else (0, 1, 2)
        a = lead + ((k, m) if self.transpose_a else (m, k))
        b = lead + ((n, k) if self.transpose_b else (k, n))
        loops = k + 1
        return [_map(loops, *a), _map(loops, *b), _map(loops, *lead, m, n)], ["parallel"] * (loops - 1) + ["reduction"]


@blas.op
class GemvOp(BlasOp):
    """``c += op(a) @ b``: BLAS gemv with alpha = beta = 1 (a a matrix, b and c vectors)."""

    __slots__ = ()
    name = "blas.gemv"
    summary = "c += op(a) * b (BLAS gemv, beta = 1)"
    attribute_defs = (Attr("transpose_a", UnitAttr, optional=True),)
    ranks = (2, 1, 1)

    def verify_sizes(self, shapes):
        a, b, c = shapes
        m, k = a[::-1] if self.transpose_a else a
        return _mismatch((m, c[0]), "rows of op(a) and the size of c") or _mismatch(
            (k, b[0]), "columns of op(a) and the size of b")

    def structured_form(self):
        a = (1, 0) if self.transpose_a else (0, 1)
        return [_map(2, *a), _map(2, 1), _map(2, 0)], ["parallel", "reduction"]


@blas.op
class DotOp(BlasOp):
    """``c += dot(a, b)``: BLAS dot added to the rank-0 buffer c."""

    __slots__ = ()
    name = "blas.dot"
    summary = "c += dot(a, b) (BLAS dot)"
    ranks = (1, 1, 0)

    def verify_sizes(self, shapes):
        return _mismatch((shapes[0][0], shapes[1][0]), "sizes of a and b")

    def structured_form(self):
        return [_map(1, 0), _map(1, 0), _map(1)], ["reduction"]


@MemoryEffects.implement(BlasOp)
class _BlasEffects(MemoryEffects):
    """Reads a and b; reads and writes c (writes only, when it overwrites c)."""

    def effects(self, op):
        a, b, c = op.operands
        read_c = [] if op.overwrite else [EffectInstance(READ, c)]
        return [EffectInstance(READ, a), EffectInstance(READ, b)] + read_c + [EffectInstance(WRITE, c)]


# ----------------------------------------------------------------------------
# interpreter rules: numpy on the operands' views (the reference BLAS)

from .. import memory  # noqa: E402
from ..interpreter import interpret  # noqa: E402


def _operands(op, args):
    for v in args:
        memory.check_live(op, v)
    memory.check_writable(op, args[2])
    return [v.array for v in args]


def _t(array, flag: bool):
    return array.swapaxes(-1, -2) if flag else array


@interpret.register(GemmOp)
def _interpret_gemm(interp, op, args):
    a, b, c = _operands(op, args)
    product = _t(a, op.transpose_a) @ _t(b, op.transpose_b)
    if op.overwrite:
        c[...] = product
    else:
        c += product
    return []


@interpret.register(GemvOp)
def _interpret_gemv(interp, op, args):
    a, b, c = _operands(op, args)
    c += _t(a, op.transpose_a) @ b
    return []


@interpret.register(DotOp)
def _interpret_dot(interp, op, args):
    a, b, c = _operands(op, args)
    c[...] = c + a.dtype.type(a @ b)
    return []


__all__ = ["blas", "BlasOp", "GemmOp", "GemvOp", "DotOp", "matrix_storage", "vector_increment", "blas_element"]
