"""`convert-linalg-to-loops` and `convert-linalg-to-parallel-loops`: structured
ops on buffers become loop nests of ``memref.load`` / ``memref.store`` with
their scalar body inlined (MLIR's LinalgToLoops).

Written once against `StructuredOp`, so every linalg op lowers the same way,
named or generic: the loop bounds come from the operands' sizes where a map
result is a plain loop index (MLIR's ``createLoopRanges``), each operand is
loaded at its indexing map applied to the induction variables (affine
expressions become ``arith`` index arithmetic), ``linalg.index`` becomes the
induction variable, and ``linalg.yield`` becomes one store per output.  The
parallel variant makes each run of consecutive parallel loops one
``scf.parallel`` and keeps the reduction loops sequential ``scf.for``s.
With ``reassociate-reductions`` the float combiner of each reduction (``acc +
e``, ``acc * e``, max, min) carries ``fastmath<reassoc>``, visible in the IR,
so LLVM may vectorize the sum (a linalg reduction's order is unspecified; the
interpreter already sums pairwise): the loops stay in order otherwise.
Ops on tensors are left alone (bufferize first: ``--one-shot-bufferize``).
"""

from __future__ import annotations

from typing import Dict, List

from irc.affine import loop_sources
from irc.attributes import AffineBinary, AffineConstant, AffineDim, AffineSymbol
from irc.builder import Builder, InsertionPoint
from irc.core import Operation, Value
from irc.dialects.arith import (AddIOp, CeilDivSIOp, ConstantOp, FastMathAttr, FloorDivSIOp, MulIOp, RemSIOp,
                                SubIOp)
from irc.dialects.linalg import REDUCTION, IndexOp, StructuredOp
from irc.dialects.linalg_interpreter import reduction_combiner
from irc.dialects.memref import DimOp, LoadOp, StoreOp
from irc.dialects.scf import ForOp, ParallelOp
from irc.types import DYNAMIC, FloatType, MemRefType, ShapedType, index

from .pass_manager import Pass, PassOption, register_pass

REASSOC = 1 << FastMathAttr.FLAGS.index("reassoc")


class _Lowering:
    """One structured op's loop nest, built before the op."""

    def __init__(self, op: Operation, parallel: bool, reassociate: bool = False):
        self.op = op
        self.s = StructuredOp.of(op)
        self.parallel = parallel
        self.reassociate = reassociate
        self.b = Builder.before(op)
        self._constants: Dict[int, Value] = {}

    def constant(self, value: int) -> Value:
        c = self._constants.get(value)
        if c is None:
            # constants go above everything this lowering built, so they dominate every loop
            last = list(self._constants.values())[-1].owner if self._constants else None
            with self.b.at(InsertionPoint.after_op(last) if last is not None else InsertionPoint.before_op(self.op)):
                c = self.b.insert(ConstantOp.create(value, index, location=self.op.location)).results[0]
            c.name_hint = f"c{value}" if value >= 0 else f"c_{-value}"
            self._constants[value] = c
        return c

    def loop_bounds(self) -> List[Value]:
        """Each loop's size: a static size as a constant, else ``memref.dim`` of the operand naming it."""
        operands = self.s.operands()
        bounds = []
        for d, source in enumerate(loop_sources(self.s.indexing_maps())):
            if source is None:
                raise self.op.emit_error(f"cannot lower to loops: no operand dimension gives the size of loop d{d}")
            k, j = source
            size = operands[k].type.shape[j]
            if size != DYNAMIC:
                bounds.append(self.constant(size))
            else:
                bounds.append(self.b.create(DimOp, operands[k], self.constant(j)).results[0])
        return bounds

    def build(self) -> None:
        ubs = self.loop_bounds()
        iterators = self.s.iterator_types()
        ivs: List[Value] = [None] * len(ubs)
        b = self.b
        zero, one = self.constant(0), self.constant(1)
        d = 0
        while d < len(ubs):
            if self.parallel and iterators[d] == "parallel":
                group = [d]
                while group[-1] + 1 < len(ubs) and iterators[group[-1] + 1] == "parallel":
                    group.append(group[-1] + 1)
                loop = b.insert(ParallelOp.create([zero] * len(group), [ubs[g] for g in group], [one] * len(group),
                                                  location=self.op.location))
                for g, iv in zip(group, loop.regions[0].blocks[0].arguments):
                    ivs[g] = iv
                block = loop.regions[0].blocks[0]
                d = group[-1] + 1
            else:
                loop = b.insert(ForOp.create(zero, ubs[d], one, location=self.op.location))
                ivs[d] = loop.body_block.arguments[0]
                block = loop.body_block
                d += 1
            b = Builder(InsertionPoint(block, block.terminator), self.op.location)
        self.emit_body(b, ivs)

    def index(self, b: Builder, e, ivs) -> Value:
        """An affine expression of the induction variables as index arithmetic."""
        if isinstance(e, AffineDim):
            return ivs[e.position]
        if isinstance(e, AffineConstant):
            return self.constant(e.value)
        if isinstance(e, AffineSymbol):
            raise self.op.emit_error("cannot lower an indexing map with symbols")
        lhs, rhs = self.index(b, e.lhs, ivs), self.index(b, e.rhs, ivs)
        cls = {"+": AddIOp, "-": SubIOp, "*": MulIOp, "floordiv": FloorDivSIOp, "ceildiv": CeilDivSIOp,
               "mod": RemSIOp}[e.op]
        return b.create(cls, lhs, rhs).results[0]

    def emit_body(self, b: Builder, ivs) -> None:
        maps = self.s.indexing_maps()
        values = []
        for v, m in zip(self.s.operands(), maps):
            if isinstance(v.type, ShapedType):
                values.append(b.create(LoadOp, v, [self.index(b, e, ivs) for e in m.results]).results[0])
            else:
                values.append(v)
        block = self.s.body()
        mapping = dict(zip(block.arguments, values))
        combiners = self.reassociable_combiners() if self.reassociate else set()
        for inner in block.ops:
            if inner is block.terminator:
                outs = self.s.outputs()
                for value, out, m in zip(inner.operands, outs, maps[len(maps) - len(outs):]):
                    b.create(StoreOp, mapping.get(value, value), out, [self.index(b, e, ivs) for e in m.results])
                break
            if isinstance(inner, IndexOp):
                mapping[inner.results[0]] = ivs[inner.dim]
                continue
            clone = b.insert(inner.clone(mapping))
            if inner in combiners:
                flags = clone.attributes.get("fastmath") or FastMathAttr.NONE
                clone.attributes["fastmath"] = FastMathAttr(flags.flags | REASSOC)

    def reassociable_combiners(self) -> set:
        """The float combiners (``acc + e``, ``acc * e``, max, min) of the outputs the
        reduction loops reduce into: they may be reassociated (a linalg reduction's order is
        not specified; the interpreter sums pairwise, numpy's way)."""
        if REDUCTION not in self.s.iterator_types():
            return set()
        block, n_in = self.s.body(), len(self.s.inputs())
        found = set()
        for k, value in enumerate(block.terminator.operands):
            producer = value.defining_op
            if reduction_combiner(block, k, n_in) is not None and isinstance(producer.results[0].type, FloatType):
                found.add(producer)
        return found


def lower_structured_ops(root: Operation, parallel: bool, reassociate: bool = False) -> int:
    """Replace every structured op on buffers under `root` by its loop nest; the number lowered.
    `reassociate`: float reductions' combiners get ``fastmath<reassoc>`` (so LLVM vectorizes them)."""
    targets = [op for op in root.walk() if StructuredOp.implemented_by(op) and StructuredOp.of(op).has_buffer_semantics()]
    for op in targets:
        _Lowering(op, parallel, reassociate).build()
        op.erase()
    return len(targets)


@register_pass
class ConvertLinalgToLoops(Pass):
    """Structured ops on buffers become scf.for nests of memref.load/store with the body inlined."""

    name = "convert-linalg-to-loops"
    summary = "Convert the operations from the linalg dialect into loops"
    options = (PassOption("reassociate-reductions", bool, False,
                          "mark float reductions' combiners fastmath<reassoc> (vectorizable; order unspecified)"),)

    def run(self, op: Operation) -> None:
        lower_structured_ops(op, parallel=False, reassociate=self.opts["reassociate-reductions"])


@register_pass
class ConvertLinalgToParallelLoops(Pass):
    """As convert-linalg-to-loops, with each run of parallel loops one scf.parallel."""

    name = "convert-linalg-to-parallel-loops"
    summary = "Convert the operations from the linalg dialect into parallel loops"
    options = ConvertLinalgToLoops.options

    def run(self, op: Operation) -> None:
        lower_structured_ops(op, parallel=True, reassociate=self.opts["reassociate-reductions"])
