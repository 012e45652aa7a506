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
fill or copy goes (`absorb_zero_init`); a zero buffer whose copies have all gone
goes with its fill.
"""

from __future__ import annotations

from bisect import bisect_left
from typing import Dict, List, Optional

from irc.affine import is_projected_permutation
from irc.attributes import UnitAttr
from irc.builder import Builder
from irc.core import Operation
from irc.dialects.blas import BlasOp, DotOp, GemmOp, GemvOp, blas_element, matrix_storage, vector_increment
from irc.dialects.linalg import REDUCTION, GenericOp, StructuredOp, YieldOp
from irc.dialects.linalg_named import FillOp
from irc.effects import ALLOCATE, FREE, WRITE, memory_effects
from irc.rewrite import is_constant_float, is_constant_int
from irc.types import DYNAMIC, MemRefType

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
    accesses = _Accesses()
    for gemm in gemms:  # in program order: a copy one drops may leave the next one's fill last
        absorb_zero_init(gemm, accesses)
    return count


# -- a product into a buffer just set to zero overwrites it (beta = 0) ------------------------


def absorb_zero_init(gemm: GemmOp, accesses: Optional["_Accesses"] = None) -> bool:
    """When c is a whole allocation whose last access before `gemm` (in its block) set it to
    +0.0 (a ``linalg.fill``, a loop nest storing 0.0 at every index, or a ``memref.copy`` of a
    buffer that was so set and not written since), that fill or copy goes and the gemm
    overwrites c (``overwrite``, BLAS's beta = 0): no zero fill, no copy of zeros.  Whether it did."""
    accesses = accesses or _Accesses()
    c = gemm.operands[2]
    if gemm.overwrite:
        return False
    last = accesses.last_before(c, gemm, writes_only=False)
    if last is None:
        return False
    source = None
    if not _sets_to_zero(last, c):
        if last.op_name != "memref.copy" or last.operands[1] is not c:
            return False
        source = last.operands[0]
        fill = accesses.last_before(source, last, writes_only=True)
        if not _sets_to_zero(fill, source):
            return False
    accesses.forget(last)
    last.erase()
    gemm.attributes["overwrite"] = UnitAttr()
    if source is not None:
        _drop_if_only_filled(source, fill, accesses)
    return True


def _drop_if_only_filled(buffer, fill: Operation, accesses: "_Accesses") -> None:
    """When the copies of the zero `buffer` have all gone, nothing reads it: its fill, its
    deallocs and its allocation go too (a fill of exactly the buffer cannot fail)."""
    deallocs = []
    for use in buffer.uses:
        user = use.owner
        if user.op_name == "memref.dealloc":
            deallocs.append(user)
        elif not fill.is_ancestor_of(user):
            return
    for op in [fill, *deallocs]:
        accesses.forget(op)
        op.erase()
    buffer.owner.erase()


class _Accesses:
    """For a buffer an op of the function allocated, the ops of a block that read or write
    it (an op holding a nested access counts as the access), in block order, all of them and
    the writers apart: built once per buffer and block from its uses, so each query is a
    binary search (many products share the one zero buffer AD accumulates into).  A buffer
    with a use the analysis cannot follow (a view of it, an op of unknown effects) has none:
    nothing is known about it."""

    def __init__(self):
        self._lists: Dict[tuple, Optional[list]] = {}
        self._holding: Dict[int, list] = {}  # id(op) -> the lists it is in

    def last_before(self, buffer, op: Operation, writes_only: bool) -> Optional[Operation]:
        """The nearest op before `op` in its block that writes `buffer` (or reads it, unless
        `writes_only`), or None when there is none or the buffer is not tracked."""
        key = (id(buffer), id(op.parent), writes_only)
        if key not in self._lists:
            found = _accesses(buffer, op.parent, writes_only)
            self._lists[key] = found
            for _, access in found or ():
                self._holding.setdefault(id(access), []).append(found)
        found = self._lists[key]
        if not found:
            return None
        at = bisect_left(found, op.order_in_block(), key=lambda entry: entry[0])
        return found[at - 1][1] if at else None

    def forget(self, op: Operation) -> None:
        """`op` is about to be erased: drop it from the lists that hold it."""
        for found in self._holding.pop(id(op), ()):
            at = bisect_left(found, op.order_in_block(), key=lambda entry: entry[0])
            if at < len(found) and found[at][1] is op:
                del found[at]


def _accesses(buffer, block, writes_only: bool) -> Optional[list]:
    """[(order, op of `block`)] for every op of `block` touching `buffer` (writing it, when
    `writes_only`), in block order; None when the buffer is not tracked."""
    allocator = buffer.defining_op
    effects = memory_effects(allocator) if allocator is not None else None
    if not effects or not any(e.kind == ALLOCATE and e.value is buffer for e in effects):
        return None  # an argument, or a view: others may alias it
    touched: Dict[int, list] = {}
    for use in buffer.uses:
        user = use.owner
        effects = memory_effects(user)
        if effects is None or any(isinstance(r.type, MemRefType) for r in user.results):
            return None  # unknown effects, or a view (or cast) of the buffer escapes the analysis
        anchor = user
        while anchor is not None and anchor.parent is not block:
            anchor = anchor.parent_op
        if anchor is None:
            continue  # outside this block (before or after it: not between a fill and a product here)
        if not writes_only or any(e.value is buffer and e.kind in (WRITE, FREE) for e in effects):
            touched.setdefault(id(anchor), (anchor.order_in_block(), anchor))
    return sorted(touched.values(), key=lambda entry: entry[0])


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
        if op.overwrite:
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
