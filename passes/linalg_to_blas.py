"""`convert-linalg-to-blas`: structured ops on buffers whose iteration space is a
matrix product become ``blas.gemm`` / ``blas.gemv`` / ``blas.dot`` (MLIR's
linalg-to-library-call lowering, with irc's blas ops in place of
``func.call``s: ir/dialects/blas.py).  `convert-blas-to-linalg` is its
inverse, for a target without a BLAS.

The match reads only what `StructuredOp` answers, never an op's name, so
``linalg.matmul`` (with or without ``indexing_maps``), ``batch_matmul``,
``matvec``, ``vecmat``, ``dot``, ``contract`` and the transposed
``linalg.generic``s that matmul's derivative rules make are all found:

- two inputs and one output, memrefs of one element type, f32 or f64;
- a body ``yield c + a * b`` (either operand order);
- every indexing map a projected permutation; the output's map holds exactly
  the parallel loops.  Each loop then has a role: in a and c only (M), in b
  and c only (N), in all three (a batch), in a and b only and reducing (K);
- one K loop, at most one of each other role; a batch loop leads every map
  and every operand has rank 3;
- layouts BLAS addresses (`matrix_storage`, `vector_increment`), and an
  output that is not also an input.

With M and N it is a gemm (``transpose_a`` when a's map reads (K, M),
``transpose_b`` when b's reads (N, K); an output stored (N, M) swaps the
operands: cᵀ = op(b)ᵀ op(a)ᵀ); with one of them a gemv; with neither a dot.
Anything else is left for ``--convert-linalg-to-loops``.

A gemm into a fresh buffer whose last access set it to zero (a fill, the loops
a splat constant bufferizes to, or a copy of such a buffer: the zero adjoints
AD accumulates into) overwrites it instead (``overwrite``, beta = 0), and the
fill or copy goes (`absorb_zero_init`).
"""

from __future__ import annotations

from typing import List, Optional

from irc.affine import is_projected_permutation
from irc.attributes import UnitAttr
from irc.builder import Builder
from irc.core import Operation
from irc.dialects.blas import BlasOp, DotOp, GemmOp, GemvOp, blas_element, matrix_storage, vector_increment
from irc.dialects.linalg import REDUCTION, GenericOp, StructuredOp, YieldOp
from irc.dialects.linalg_named import FillOp
from irc.effects import ALLOCATE, FREE, WRITE, memory_effects
from irc.rewrite import is_constant_float, is_constant_int
from irc.types import DYNAMIC

from .pass_manager import Pass, register_pass

M, N, K, BATCH = "M", "N", "K", "batch"


def _is_multiply_accumulate(s) -> bool:
    """The body is ``yield c + a * b`` (c the output's element, a and b the inputs')."""
    block = s.body()
    ops = list(block.ops)
    if len(ops) != 3 or not isinstance(ops[2], YieldOp):
        return False
    mul, add, done = ops
    a, b, c = block.arguments
    return (mul.op_name == "arith.mulf" and set(mul.operands) == {a, b}
            and add.op_name == "arith.addf" and set(add.operands) == {c, mul.results[0]}
            and len(done.operands) == 1 and done.operands[0] is add.results[0]
            and all(len(list(v.uses)) == 1 for v in (a, b, c, mul.results[0])))


def _loop_roles(s) -> Optional[List[str]]:
    """Each loop's role in the product (M, N, K or batch), or None when it is not one."""
    maps = s.indexing_maps()
    if not all(is_projected_permutation(m) for m in maps):
        return None
    a, b, c = [{e.position for e in m.results} for m in maps]
    roles = []
    for d, kind in enumerate(s.iterator_types()):
        where = (d in a, d in b, d in c)
        role = {(True, False, True): M, (False, True, True): N, (True, True, True): BATCH,
                (True, True, False): K}.get(where)
        if role is None or (role == K) != (kind == REDUCTION):
            return None
        roles.append(role)
    if roles.count(K) != 1 or any(roles.count(r) > 1 for r in (M, N, BATCH)):
        return None
    return roles


class _Match:
    """One structured op recognised as a BLAS product, and how to build it."""

    def __init__(self, op: Operation):
        self.op = op
        self.s = StructuredOp.of(op)

    def blas_op(self) -> Optional[BlasOp]:
        """The blas op computing the same thing (not inserted), or None when there is none."""
        s = self.s
        if not s.has_buffer_semantics() or len(s.inputs()) != 2 or len(s.outputs()) != 1:
            return None
        a, b, c = s.operands()
        if not all(blas_element(v.type) for v in (a, b, c)) or len({v.type.element_type for v in (a, b, c)}) != 1:
            return None
        if c in (a, b) or not _is_multiply_accumulate(s):
            return None
        roles = _loop_roles(s)
        if roles is None:
            return None
        maps = [[roles[e.position] for e in m.results] for m in s.indexing_maps()]
        if BATCH in roles and not all(m[0] == BATCH for m in maps):
            return None
        out = [r for r in maps[2] if r != BATCH]
        if out == [N, M]:  # c stored transposed: c^T = op(b)^T op(a)^T
            a, b = b, a
            maps[0], maps[1] = maps[1], maps[0]
            rename = {M: N, N: M}
            maps = [[rename.get(r, r) for r in m] for m in maps]
        lhs, rhs = [[r for r in m if r != BATCH] for m in maps[:2]]
        if M in roles and N in roles:
            return self._checked(GemmOp, (a, b, c), lhs == [K, M], rhs == [N, K])
        if M in roles or N in roles:
            if BATCH in roles:
                return None
            # the matrix is whichever operand holds the output's loop; op(matrix) reads (out, K)
            matrix, vector = (a, b) if len(lhs) == 2 else (b, a)
            matrix_map = lhs if len(lhs) == 2 else rhs
            return self._checked(GemvOp, (matrix, vector, c), matrix_map[0] == K)
        if BATCH in roles:
            return None
        return self._checked(DotOp, (a, b, c))

    def _checked(self, cls, operands, transpose_a: bool = False, transpose_b: bool = False) -> Optional[BlasOp]:
        for v in operands:
            rank = len(v.type.shape)
            if rank >= 2 and matrix_storage(v.type) is None or rank == 1 and vector_increment(v.type) is None:
                return None
        flags = {name: UnitAttr() for name, on in (("transpose_a", transpose_a), ("transpose_b", transpose_b)) if on}
        return cls.build(*operands, attributes=flags, location=self.op.location)


def convert_linalg_to_blas(root: Operation) -> int:
    """Replace every matmul-like structured op on buffers under `root` by a blas op; the number replaced."""
    gemms = []
    count = 0
    for op in [op for op in root.walk() if StructuredOp.implemented_by(op)]:
        new = _Match(op).blas_op()
        if new is not None:
            Builder.before(op).insert(new)
            op.erase()
            count += 1
            if isinstance(new, GemmOp):
                gemms.append(new)
    for gemm in gemms:  # in program order: a copy one drops may leave the next one's fill last
        absorb_zero_init(gemm)
    return count


# -- a product into a buffer just set to zero overwrites it (beta = 0) ------------------------


def absorb_zero_init(gemm: GemmOp) -> bool:
    """When c is a whole allocation whose last access before `gemm` (in its block) set it to
    +0.0 (a ``linalg.fill``, a loop nest storing 0.0 at every index, or a ``memref.copy`` of a
    buffer that was so set and not written since), that fill or copy goes and the gemm
    overwrites c (``overwrite``, BLAS's beta = 0): no zero fill, no copy of zeros.  Whether it did."""
    c = gemm.operands[2]
    if gemm.overwrite or not _is_allocation(c):
        return False
    last = _last_access(gemm, c, writes_only=False)
    if last is None:
        return False
    if not (_sets_to_zero(last, c) or (last.op_name == "memref.copy" and last.operands[1] is c
                                         and _is_allocation(last.operands[0])
                                         and _sets_to_zero(_last_access(last, last.operands[0], writes_only=True),
                                                           last.operands[0]))):
        return False
    last.erase()
    gemm.attributes["overwrite"] = UnitAttr()
    return True


def _is_allocation(v) -> bool:
    """`v` is the buffer an op in this function allocated (no argument or view aliases it)."""
    op = v.defining_op
    effects = memory_effects(op) if op is not None else None
    return bool(effects) and any(e.kind == ALLOCATE and e.value is v for e in effects)


def _last_access(op: Operation, buffer, writes_only: bool) -> Optional[Operation]:
    """The nearest op before `op` in its block that writes `buffer` (or reads it, unless
    `writes_only`) through it or a view of it; None when an op with unknown effects, or the
    allocation itself, comes first."""
    from irc.dialects.linalg_buffer_derivatives import buffer_root

    prev = op.prev_op
    while prev is not None:
        effects = memory_effects(prev)
        if effects is None:
            return None
        for e in effects:
            if e.value is None:
                return None
            if buffer_root(e.value) is buffer and (e.kind in (WRITE, FREE, ALLOCATE) or not writes_only):
                return None if e.kind in (FREE, ALLOCATE) else prev
        prev = prev.prev_op
    return None


def _sets_to_zero(op: Optional[Operation], buffer) -> bool:
    """`op` sets every element of `buffer` to +0.0: ``linalg.fill``, or the loop nest
    bufferization writes for a splat constant (``scf.for`` from 0 to each size, step 1,
    around one ``memref.store`` of 0.0 at the induction variables, in order)."""
    if op is None:
        return False
    if isinstance(op, FillOp):
        return list(op.structured_outputs()) == [buffer] and is_constant_float(op.structured_inputs()[0], 0.0)
    ivs, shape = [], buffer.type.shape
    while op.op_name == "scf.for" and len(ivs) < len(shape):
        body = [inner for inner in op.regions[0].blocks[0].ops if inner.op_name != "scf.yield"]
        if op.results or len(body) != 1 or not is_constant_int(op.operands[0], 0) \
                or not is_constant_int(op.operands[2], 1) or not _is_size(op.operands[1], buffer, len(ivs)):
            return False
        ivs.append(op.regions[0].blocks[0].arguments[0])
        op = body[0]
    return (op.op_name == "memref.store" and len(ivs) == len(shape) and op.operands[1] is buffer
            and list(op.operands[2:]) == ivs and is_constant_float(op.operands[0], 0.0))


def _is_size(v, buffer, d: int) -> bool:
    """`v` is dimension d's size of `buffer`: a constant equal to a static size, or its memref.dim."""
    size = buffer.type.shape[d]
    if size != DYNAMIC:
        return is_constant_int(v, size)
    op = v.defining_op
    return op is not None and op.op_name == "memref.dim" and op.operands[0] is buffer and is_constant_int(
        op.operands[1], d)


def convert_blas_to_linalg(root: Operation) -> int:
    """Replace every blas op under `root` by the linalg.generic it computes; the number replaced."""
    from irc.dialects.arith import AddFOp, ConstantOp, MulFOp

    targets = [op for op in root.walk() if isinstance(op, BlasOp)]
    for op in targets:
        maps, iterators = op.structured_form()
        a, b, c = op.operands

        def body(builder, args):
            product = builder.create(MulFOp, args[0], args[1]).results[0]
            return [builder.create(AddFOp, args[2], product).results[0]]

        at = Builder.before(op)
        if getattr(op, "overwrite", False):
            at.insert(FillOp.create([at.insert(ConstantOp.create(0.0, c.type.element_type, location=op.location))
                                     .results[0]], [c], location=op.location))
        at.insert(GenericOp.create([a, b], [c], maps, iterators, body, location=op.location))
        op.erase()
    return len(targets)


@register_pass
class ConvertLinalgToBlas(Pass):
    """Matmul-like structured ops on buffers (gemm, batched gemm, gemv, dot; f32/f64) become blas ops."""

    name = "convert-linalg-to-blas"
    summary = "Convert matmul-like linalg ops on buffers into BLAS calls (blas.gemm, blas.gemv, blas.dot)"

    def run(self, op: Operation) -> None:
        convert_linalg_to_blas(op)


@register_pass
class ConvertBlasToLinalg(Pass):
    """blas ops become the linalg.generic they compute (for targets without a BLAS)."""

    name = "convert-blas-to-linalg"
    summary = "Convert blas ops back into linalg.generic (multiply-accumulate bodies)"

    def run(self, op: Operation) -> None:
        convert_blas_to_linalg(op)
