"""Canonicalization patterns of ``linalg.generic`` on tensors and buffers.

What differentiation leaves behind (rules pass every primal operand along and
seed with splat constants) reads and runs better after these, as MLIR's
``EraseUnusedOperandsAndResults`` and ``FoldScalarOrSplatConstant`` do:

- **unused inputs**: an input whose block argument the body never reads is
  dropped, unless the loops' sizes would then come from nowhere (the maps of
  the operands left must still name every loop as a plain dim);
- **splat inputs**: an input that is a splat constant (``dense<1.0>``) becomes
  an ``arith.constant`` in the body, so its reads (and, once unused, the
  input) go, and the scalar folds (``x * 1.0`` is ``x``);
- **constant outputs**: a generic on tensors with no inputs, of static shape,
  whose every result the body yields as one constant, is a splat
  ``arith.constant`` (the seed of a reduction's adjoint).
"""

from __future__ import annotations

from typing import List

from ..affine import loop_sources
from ..attributes import DenseElementsAttr, FloatAttr, IntegerAttr
from ..builder import InsertionPoint
from ..rewrite import RewritePattern, constant_value
from ..types import DYNAMIC, TensorType
from .linalg import GenericOp


def _covers_loops(maps, num_loops: int) -> bool:
    """Whether every loop's size can still be read off an operand: some map names it as a
    plain dim (`loop_ranges`)."""
    return all(source is not None for source in loop_sources(list(maps))[:num_loops]) if maps else num_loops == 0


class GenericFoldSplatAndUnusedInputs(RewritePattern):
    """Splat-constant inputs become constants in the body; unused inputs are dropped."""

    root = "linalg.generic"

    def match_and_rewrite(self, op, rewriter) -> bool:
        from .arith import ConstantOp

        inputs, outputs = list(op.structured_inputs()), list(op.structured_outputs())
        maps = op.structured_indexing_maps()
        block = op.regions[0].blocks[0]
        changed = False
        for k, v in enumerate(inputs):
            splat = constant_value(v)
            arg = block.arguments[k]
            if isinstance(splat, DenseElementsAttr) and splat.is_splat and splat.array.size and arg.has_uses:
                rewriter.set_insertion_point(InsertionPoint.at_start(block))
                scalar = rewriter.insert(ConstantOp.create(splat.array.reshape(-1)[0].item(), arg.type,
                                                           location=op.location)).results[0]
                rewriter.replace_all_uses_with(arg, scalar)
                changed = True
        keep: List[int] = []
        for k in range(len(inputs)):
            if block.arguments[k].has_uses:
                keep.append(k)
                continue
            others = [maps[j] for j in keep + list(range(k + 1, len(inputs))) + list(range(len(inputs), len(maps)))]
            if not _covers_loops(others, len(op.structured_iterator_types())):
                keep.append(k)  # its sizes are the only ones some loop has
        if len(keep) == len(inputs):
            return changed
        rewriter.set_insertion_point(InsertionPoint.before_op(op))
        new_maps = [maps[k] for k in keep] + maps[len(inputs):]
        new = GenericOp.create([inputs[k] for k in keep], outputs, new_maps, op.structured_iterator_types(),
                               location=op.location, attributes={
                                   k: a for k, a in op.attributes.items()
                                   if k not in ("indexing_maps", "iterator_types", "operandSegmentSizes")})
        new.regions[0].blocks.clear()
        new.regions[0].take_body(op.regions[0])
        for k in reversed(range(len(inputs))):
            if k not in keep:
                block.erase_argument(k)
        rewriter.insert(new)
        for old_result, new_result in zip(op.results, new.results):
            new_result.name_hint = old_result.name_hint
        rewriter.replace_op(op, new.results)
        return True


class GenericOfAConstant(RewritePattern):
    """A generic on static tensors with no inputs whose body yields only scalar constants
    (defined in the body or above it) is one splat constant per result."""

    root = "linalg.generic"

    def match_and_rewrite(self, op, rewriter) -> bool:
        from .arith import ConstantOp

        if list(op.structured_inputs()) or not op.results:
            return False
        outputs = list(op.structured_outputs())
        if not all(isinstance(v.type, TensorType) and DYNAMIC not in v.type.shape for v in outputs):
            return False
        values = [constant_value(v) for v in op.regions[0].blocks[0].terminator.operands]
        if not all(isinstance(c, (FloatAttr, IntegerAttr)) for c in values):
            return False  # (what else the body computes, nothing reads: bodies have no effects)
        rewriter.set_insertion_point(InsertionPoint.before_op(op))
        news = []
        for c, r in zip(values, op.results):
            news.append(rewriter.insert(ConstantOp.create(c.value, r.type, location=op.location)).results[0])
            news[-1].name_hint = r.name_hint
        rewriter.replace_op(op, news)
        return True


GenericOp.canonicalization_patterns = (GenericFoldSplatAndUnusedInputs(), GenericOfAConstant())
