"""irc's own matrix-multiply kernel, emitted as LLVM IR: what `blas.gemm` compiles to
where it beats the OpenBLAS call (backends/llvm/blas.py chooses).

One internal function per element type, tile and beta computes

    C = beta * C + op(A) @ op(B)        (beta 1 or 0; C row-major: C[i, j] at c + i*ldc + j)

on operands given as pointers and run-time strides (op(A)[i, p] at
``a + i*a_rs + p*a_cs``, op(B)[p, j] at ``b + p*b_rs + j*b_cs``), so every
layout the blas.gemm verifier admits, transposes and views included, is one
call; a column-major C is the transposed problem Cᵀ = op(B)ᵀ op(A)ᵀ, which
the caller sets up by swapping the operands and their strides.

The loops are those of the GotoBLAS/BLIS family (Goto & van de Geijn, "Anatomy
of high-performance matrix multiplication", TOMS 2008), without A packing:

- K in blocks of ``depth`` (KC), so that a ``depth x NR`` panel of op(B)
  stays in L1 while the row blocks of C pass over it;
- M in blocks of ``block_rows`` (MC), so that those rows of op(A) (256 KiB)
  stay in L2 while every panel passes over them;
- N in panels of NR columns; a panel is read where it lies when op(B)'s rows
  are contiguous (b_cs = 1) and the panel is whole, and otherwise packed into
  a contiguous, 64-byte-aligned stack buffer by masked gathers (zeros past
  N's edge);
- M in tiles of MR rows (then smaller tiles, halving, for the remainder);
- the micro-kernel: an MR x NR tile of C in MR*V vector registers
  (``<W x float>``, W lanes from the host's widest vector: 512 bits with
  AVX-512F, 256 with AVX2, else 128), the k loop innermost: V vector loads of
  the panel's row and, per row, a broadcast of op(A)'s element and V
  ``llvm.fmuladd``s.  The tile is added to C (or stored, for beta = 0 on the
  first K block) through masked loads and stores; a panel narrower than NR
  at N's edge takes tiles of as few vectors as cover it.

Nothing is allocated on the heap, so no path can leak; sizes of 0 return at
once (K = 0 still adds the zero product, as numpy's ``c += a @ b`` does).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Callable, List, Sequence

import llvmlite.ir as ll

I1, I32, I64 = ll.IntType(1), ll.IntType(32), ll.IntType(64)
PTR = ll.PointerType()
PANEL_BYTES = 32 * 1024  # the packed panel: within the L1 data cache of every x86-64 core since Haswell
A_BLOCK_BYTES = 256 * 1024  # the block of op(A) the panels meet: a quarter of a 1 MiB L2 (Zen 4/5, Skylake-X)


@dataclass(frozen=True)
class TileShape:
    """The register tile: `rows` (MR) rows of C by `vectors` vectors of `lanes` elements (NR =
    vectors * lanes columns), the K block `depth` (KC) whose panel fits in L1, and the M block
    `block_rows` (MC) whose op(A) rows stay in L2 while the panels pass."""

    rows: int
    vectors: int
    lanes: int
    depth: int
    block_rows: int

    @property
    def columns(self) -> int:
        """NR: the tile's width in elements."""
        return self.vectors * self.lanes

    def tag(self) -> str:
        """A name for the kernel function (part of the JIT's cache key through the IR)."""
        return f"{self.rows}x{self.vectors}x{self.lanes}k{self.depth}m{self.block_rows}"


def host_vector_bits() -> int:
    """The widest vector the host CPU computes in: 512 (AVX-512F), 256 (AVX2) or 128."""
    import llvmlite.binding as llvm

    features = llvm.get_host_cpu_features()
    if features.get("avx512f"):
        return 512
    if features.get("avx2") or features.get("avx"):
        return 256
    return 128


def tile_shape(element_bits: int, vector_bits: int = 0) -> TileShape:
    """The tile for `element_bits`-bit elements on the host's vectors (or `vector_bits`):
    8 x 2 vectors with 32 vector registers (AVX-512: 16 accumulators, 2 panel loads, one
    broadcast), 6 x 2 with 16 (AVX2/SSE: Haswell's classic 6x16 for f32).
    ``IRC_GEMM_TILE=ROWSxVECTORS[xBITS]`` overrides it (for measuring: ``6x2x256`` is the
    AVX2 kernel on an AVX-512 machine)."""
    vector_bits = vector_bits or host_vector_bits()
    rows, vectors = (8, 2) if vector_bits == 512 else (6, 2)
    override = os.environ.get("IRC_GEMM_TILE", "").strip().lower()
    if override:
        parts = override.split("x")
        if len(parts) not in (2, 3) or not all(p.isdigit() and int(p) > 0 for p in parts) or (
                len(parts) == 3 and parts[2] not in ("128", "256", "512")):
            from irc.diagnostics import error

            raise error(f"IRC_GEMM_TILE={override!r} in the environment: expected ROWSxVECTORS or "
                        "ROWSxVECTORSxBITS (BITS 128, 256 or 512), e.g. 8x2 or 6x2x256")
        rows, vectors = int(parts[0]), int(parts[1])
        vector_bits = int(parts[2]) if len(parts) == 3 else vector_bits
    lanes = vector_bits // element_bits
    depth = max(16, PANEL_BYTES // (vectors * vector_bits // 8))
    block_rows = max(rows, A_BLOCK_BYTES // (depth * element_bits // 8) // rows * rows)
    return TileShape(rows, vectors, lanes, depth, block_rows)


def kernel_name(element: ll.Type, shape: TileShape, accumulate: bool) -> str:
    """The internal function's symbol: element type, tile and beta."""
    return f"_irc_gemm_{'f32' if isinstance(element, ll.FloatType) else 'f64'}_{shape.tag()}_beta{int(accumulate)}"


def gemm_kernel(mt, element: ll.Type, shape: TileShape, accumulate: bool = True) -> ll.Function:
    """The kernel function in `mt`'s module (built once): ``void (i64 m, i64 n, i64 k,
    ptr a, i64 a_rs, i64 a_cs, ptr b, i64 b_rs, i64 b_cs, ptr c, i64 ldc)``;
    `accumulate` is beta = 1 (``c +=``), else beta = 0 (``c =``)."""
    return mt.helper(kernel_name(element, shape, accumulate),
                     lambda mt, name: _GemmKernel(mt.module, name, element, shape, accumulate).fn)


# -- emission ---------------------------------------------------------------------------------


def _const(value: int) -> ll.Constant:
    return ll.Constant(I64, value)


class _GemmKernel:
    """Builds the kernel function (see the module's docstring for its loops)."""

    def __init__(self, module: ll.Module, name: str, element: ll.Type, shape: TileShape, accumulate: bool):
        self.module, self.elem, self.shape, self.accumulate = module, element, shape, accumulate
        self.vec = ll.VectorType(element, shape.lanes)
        self.elem_bytes = 4 if isinstance(element, ll.FloatType) else 8
        suffix = f"v{shape.lanes}{'f32' if self.elem_bytes == 4 else 'f64'}"
        mask_type = ll.VectorType(I1, shape.lanes)
        self.fmuladd = self._intrinsic(f"llvm.fmuladd.{suffix}", self.vec, [self.vec] * 3)
        self.masked_load = self._intrinsic(f"llvm.masked.load.{suffix}.p0", self.vec,
                                           [PTR, I32, mask_type, self.vec])
        self.masked_store = self._intrinsic(f"llvm.masked.store.{suffix}.p0", ll.VoidType(),
                                            [self.vec, PTR, I32, mask_type])
        self.gather = self._intrinsic(f"llvm.masked.gather.{suffix}.v{shape.lanes}p0", self.vec,
                                      [ll.VectorType(PTR, shape.lanes), I32, mask_type, self.vec])
        fn = ll.Function(module, ll.FunctionType(ll.VoidType(), [I64, I64, I64, PTR, I64, I64, PTR, I64, I64, PTR,
                                                                  I64]), name=name)
        fn.linkage = "internal"
        fn.attributes.add("nounwind")
        self.fn = fn
        for arg, arg_name in zip(fn.args, "m n k a a_rs a_cs b b_rs b_cs c ldc".split()):
            arg.name = arg_name
        self.b = ll.IRBuilder(fn.append_basic_block("entry"))
        buffer_type = ll.ArrayType(element, shape.depth * shape.columns)
        self.buffer = self.b.alloca(buffer_type, name="panel")
        self.buffer.align = 64
        self.buffer.type = PTR
        self._emit()

    def _intrinsic(self, name: str, ret: ll.Type, args: Sequence[ll.Type]) -> ll.Function:
        fn = self.module.globals.get(name)
        return fn if fn is not None else ll.Function(self.module, ll.FunctionType(ret, list(args)), name=name)

    # -- helpers --
    def loop(self, start, stop, step: int, body: Callable, inits: Sequence[ll.Value] = (), name: str = "loop"):
        """for iv = start; iv < stop (signed); iv += step, carrying `inits`; `body(iv, values)`
        returns the next values.  The values after the loop."""
        b = self.b
        pre = b.block
        head, body_bb, end = (self.fn.append_basic_block(f"{name}.{part}") for part in ("head", "body", "end"))
        b.branch(head)
        b.position_at_end(head)
        iv = b.phi(I64, name=name)
        iv.add_incoming(start, pre)
        carried = []
        for value in inits:
            phi = b.phi(value.type)
            phi.add_incoming(value, pre)
            carried.append(phi)
        b.cbranch(b.icmp_signed("<", iv, stop), body_bb, end)
        b.position_at_end(body_bb)
        nxt = body(iv, carried)
        latch = b.block
        iv.add_incoming(b.add(iv, _const(step)), latch)
        for phi, value in zip(carried, nxt):
            phi.add_incoming(value, latch)
        b.branch(head)
        b.position_at_end(end)
        return carried

    def at(self, base, *index_terms):
        """The address of element ``sum(i * s for i, s in index_terms)`` past `base`."""
        b = self.b
        offset = None
        for i, s in index_terms:
            term = i if s is None else b.mul(i, s)
            offset = term if offset is None else b.add(offset, term)
        return b.gep(base, [offset], source_etype=self.elem)

    def smin(self, x, y):
        return self.b.select(self.b.icmp_signed("<", x, y), x, y)

    def splat(self, value, typ):
        b = self.b
        lanes = self.shape.lanes
        one = b.insert_element(ll.Constant(ll.VectorType(typ, lanes), ll.Undefined), value, ll.Constant(I32, 0))
        return b.shuffle_vector(one, ll.Constant(ll.VectorType(typ, lanes), ll.Undefined),
                                ll.Constant(ll.VectorType(I32, lanes), [0] * lanes))

    # -- the loops --
    def _emit(self):
        b, s = self.b, self.shape
        m, n, k, a, a_rs, a_cs, bp, b_rs, b_cs, c, ldc = self.fn.args
        self.args = dict(m=m, n=n, k=k, a=a, a_rs=a_rs, a_cs=a_cs, b=bp, b_rs=b_rs, b_cs=b_cs, c=c, ldc=ldc)
        empty = b.or_(b.icmp_signed("<=", m, _const(0)), b.icmp_signed("<=", n, _const(0)))
        with b.if_then(empty, likely=False):
            b.ret_void()
        # K = 0 still makes one pass (of depth 0): the zero product is added (or stored)
        k_end = b.select(b.icmp_signed("<", k, _const(1)), _const(1), k)

        def k_block(pc, _):
            depth = b.select(b.icmp_signed("<", k, pc), _const(0), self.smin(_const(s.depth), b.sub(k, pc)))
            first = b.icmp_signed("==", pc, _const(0))

            def m_block(ic, _):
                rows_end = self.smin(m, b.add(ic, _const(s.block_rows)))
                self.loop(_const(0), n, s.columns, lambda jc, _: self._panel(pc, depth, first, jc, ic, rows_end) or [],
                          name="gemm.n")
                return []

            self.loop(_const(0), m, s.block_rows, m_block, name="gemm.mc")
            return []

        self.loop(_const(0), k_end, s.depth, k_block, name="gemm.k")
        b.ret_void()

    def _panel(self, pc, depth, first, jc, row, rows_end):
        """One NR-column panel of op(B) (rows pc .. pc+depth) against the row blocks of C from
        `row` to `rows_end`."""
        b, s, arg = self.b, self.shape, self.args
        width = self.smin(_const(s.columns), b.sub(arg["n"], jc))
        direct = b.and_(b.icmp_signed("==", arg["b_cs"], _const(1)), b.icmp_signed("==", width, _const(s.columns)))
        in_place = self.at(arg["b"], (pc, arg["b_rs"]), (jc, None))
        start = b.block
        with b.if_then(b.not_(direct)):
            self._pack(pc, depth, jc, width)
            packed = b.block
        panel = b.phi(PTR, name="panel")
        panel.add_incoming(in_place, start)
        panel.add_incoming(self.buffer, packed)
        # a packed panel's rows are NR apart
        row_stride = b.select(direct, arg["b_rs"], _const(s.columns))

        def tiles(vectors):
            start = row
            for rows in self._row_blocks():
                blocks = b.sdiv(b.sub(rows_end, start), _const(rows))
                end = b.add(start, b.mul(blocks, _const(rows)))
                self.loop(start, end, rows, lambda i, _, rows=rows: self._tile(
                    rows, vectors, i, pc, depth, first, jc, width, panel, row_stride) or [],
                    name=f"gemm.m{rows}v{vectors}")
                start = end

        def fewest(vectors):  # a panel narrower than NR (N's edge) takes tiles of as few vectors as cover it
            if vectors == s.vectors:
                return tiles(vectors)
            with b.if_else(b.icmp_signed("<=", width, _const(vectors * s.lanes))) as (narrow, wider):
                with narrow:
                    tiles(vectors)
                with wider:
                    fewest(vectors + 1)

        fewest(1)
        return []

    def _row_blocks(self) -> List[int]:
        """MR, then halving sizes for M's remainder (each runs at most once after MR)."""
        sizes, size = [self.shape.rows], 1
        while size < self.shape.rows:
            size *= 2
        size //= 2
        while size >= 1:
            if size < self.shape.rows:
                sizes.append(size)
            size //= 2
        return sizes

    def _pack(self, pc, depth, jc, width):
        """Copy op(B)[pc : pc+depth, jc : jc+width] into the buffer (rows NR apart), zeros past
        `width`: one masked gather per vector of each row."""
        b, s, arg = self.b, self.shape, self.args
        base = self.at(arg["b"], (pc, arg["b_rs"]), (jc, arg["b_cs"]))
        iota = ll.Constant(ll.VectorType(I64, s.lanes), list(range(s.lanes)))
        columns = [b.add(iota, self.splat(_const(v * s.lanes), I64)) for v in range(s.vectors)]
        masks = [b.icmp_signed("<", col, self.splat(width, I64)) for col in columns]
        offsets = [b.mul(col, self.splat(arg["b_cs"], I64)) for col in columns]
        zero = ll.Constant(self.vec, None)
        align = ll.Constant(I32, self.elem_bytes)

        def row(p, _):
            start = self.at(base, (p, arg["b_rs"]))
            target = self.at(self.buffer, (p, _const(s.columns)))
            for v in range(s.vectors):
                pointers = b.gep(start, [offsets[v]], source_etype=self.elem)
                pointers.type = ll.VectorType(PTR, s.lanes)  # llvmlite types a gep of a vector index as one pointer
                values = b.call(self.gather, [pointers, align, masks[v], zero])
                b.store(values, b.gep(target, [_const(v * s.lanes)], source_etype=self.elem), align=64)
            return []

        self.loop(_const(0), depth, 1, row, name="pack.k")

    def _tile(self, rows, vectors, i, pc, depth, first, jc, width, panel, row_stride):
        """C[i : i+rows, jc : jc+width] (+)= op(A)[i : i+rows, pc : pc+depth] @ panel, in
        rows x `vectors` vector registers (width at most vectors * lanes)."""
        b, s, arg = self.b, self.shape, self.args
        a_rows = [self.at(arg["a"], (b.add(i, _const(r)), arg["a_rs"]), (pc, arg["a_cs"])) for r in range(rows)]
        zero = ll.Constant(self.vec, None)

        def step(p, acc):
            panel_row = self.at(panel, (p, row_stride))
            loads = [b.load(b.gep(panel_row, [_const(v * s.lanes)], source_etype=self.elem), typ=self.vec, align=
                            self.elem_bytes) for v in range(vectors)]
            out = list(acc)
            for r in range(rows):
                scalar = b.load(self.at(a_rows[r], (p, arg["a_cs"])), typ=self.elem)
                broadcast = self.splat(scalar, self.elem)
                for v in range(vectors):
                    out[r * vectors + v] = b.call(self.fmuladd, [broadcast, loads[v], acc[r * vectors + v]])
            return out

        acc = self.loop(_const(0), depth, 1, step, [zero] * (rows * vectors), name=f"gemm.tile{rows}x{vectors}")
        iota = ll.Constant(ll.VectorType(I64, s.lanes), list(range(s.lanes)))
        masks = [b.icmp_signed("<", b.add(iota, self.splat(_const(v * s.lanes), I64)), self.splat(width, I64))
                 for v in range(vectors)]
        align = ll.Constant(I32, self.elem_bytes)
        keep = None if self.accumulate else self.splat(b.not_(first), I1)
        for r in range(rows):
            c_row = self.at(arg["c"], (b.add(i, _const(r)), arg["ldc"]), (jc, None))
            for v in range(vectors):
                where = b.gep(c_row, [_const(v * s.lanes)], source_etype=self.elem)
                mask = masks[v] if keep is None else b.and_(masks[v], keep)
                old = b.call(self.masked_load, [where, align, mask, zero])
                total = b.fadd(old, acc[r * vectors + v])
                if keep is not None:  # beta = 0: the first K block stores the product itself
                    total = b.select(first, acc[r * vectors + v], total)
                b.call(self.masked_store, [total, where, align, masks[v]])
