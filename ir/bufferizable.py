"""The bufferization interface (MLIR's BufferizableOpInterface): what an op
does to the buffers of its tensor operands, and how it becomes an op on
buffers.

A model answers, per tensor operand (by operand index):
- `reads(op, i)`: the op reads the operand's contents (bufferizesToMemoryRead);
- `writes(op, i)`: the op writes into the operand's buffer when it works in
  place (bufferizesToMemoryWrite: ``tensor.insert``'s dest, a loop's inits);
- `aliases(op, i)`: the values (results, or block arguments of its regions)
  that share the operand's buffer once bufferized, each with whether it is
  the *same* buffer (equivalent) or a part of it (a slice);
- `matching_subset(op, i, analysis, written)`: a read of operand `i` that does
  not conflict with an in-place write to `written` because both touch the same
  subset (``insert_slice`` of a slice extracted at the same place:
  MLIR's SubsetInsertionOpInterface);
- `elementwise_access(op, indices)`: the op touches those operands element by
  element at the same positions, so writing one in place while reading
  another of the same buffer is no conflict (an elementwise ``linalg.generic``);
- `writable(op, result)`: a tensor the op makes may be written in place (not a
  constant, not a read-only buffer);
- `bufferize(op, state)`: replace the op by ops on buffers, with every
  written operand already in place (the pass inserted the copies the
  analysis asked for).  `state` (passes/bufferize/state.py) gives
  `buffer(value)`, `map(tensor, buffer)`, `allocate`, `copy`, `alias` and
  `builder_before(op)`.
- `finalize(op, state)` (optional): after the op's regions are bufferized
  (``scf.if`` decides then who owns the buffers its branches yield);
- `analyze(op, analysis)` (optional): unions that are not per operand
  (``scf.if`` results with both branches' yields).

Models are attached beside each dialect's ops (``ir/dialects/*_bufferize.py``);
`--one-shot-bufferize` asks only this interface.  An op whose operands and
results are not tensors needs no model (its regions are still bufferized).
"""

from __future__ import annotations

from contextlib import contextmanager
from typing import List, Tuple

from .interfaces import OpInterface, required
from .types import TensorType


class Bufferizable(OpInterface):
    """How an op with tensor operands or results bufferizes (see the module docstring)."""

    interface_name = "BufferizableOpInterface"

    def reads(self, op, index: int) -> bool:
        """Operand `index`'s contents are read."""
        return True

    def writes(self, op, index: int) -> bool:
        """Operand `index`'s buffer is written when the op runs in place."""
        return False

    def aliases(self, op, index: int) -> List[Tuple[object, bool]]:
        """(value, equivalent) pairs that share operand `index`'s buffer after bufferization."""
        return []

    def matching_subset(self, op, index: int, analysis, written) -> bool:
        """A read of operand `index` that an in-place write of `written` cannot disturb."""
        return False

    def elementwise_access(self, op, indices) -> bool:
        """The op reads and writes operands `indices` element by element at the same
        positions (MLIR's bufferizesToElementwiseAccess): one may be written in place
        while the op reads another that shares its buffer."""
        return False

    def writable(self, op, result) -> bool:
        """Whether a tensor result's buffer may be written in place."""
        return True

    def analyze(self, op, analysis) -> None:
        """Aliasing that is not per operand, once the op's regions are analyzed."""

    def finalize(self, op, state) -> None:
        """After the regions of `op` (the op `bufferize` returned) are bufferized."""

    @required
    def bufferize(self, op, state):
        """Build the op's buffer form before it and map its results (`state.map`,
        `state.replace`); return the op whose regions hold the moved bodies (or None)."""


# the in-place analysis that is running (models whose answers depend on other
# functions, like a call's, read what it learned of its callee)
_RUNNING = []


def running_analysis():
    """The in-place analysis in progress (None outside one)."""
    return _RUNNING[-1] if _RUNNING else None


@contextmanager
def analysis_running(analysis):
    """Make `analysis` what `running_analysis()` answers inside the block."""
    _RUNNING.append(analysis)
    try:
        yield analysis
    finally:
        _RUNNING.pop()


def is_tensor(value) -> bool:
    """A value of ranked tensor type (what bufferization turns into a buffer)."""
    return isinstance(value.type, TensorType) and value.type.is_ranked


# predicates for types that hold tensors without being one (``!ad.tape<tensor<4xf64>>``):
# the ops that take or make them bufferize too
_TENSOR_HOLDERS = []


def register_tensor_holder(predicate) -> None:
    """Ops taking or making a type for which `predicate(type)` holds need a bufferization model."""
    _TENSOR_HOLDERS.append(predicate)


def _bufferizes(value) -> bool:
    return is_tensor(value) or any(p(value.type) for p in _TENSOR_HOLDERS)


def has_tensor_semantics(op) -> bool:
    """The op takes or makes tensors (or values holding them, or its regions' entry
    blocks take them), so it needs a bufferization model."""
    if any(_bufferizes(v) for v in op.operands) or any(_bufferizes(r) for r in op.results):
        return True
    return any(is_tensor(a) for region in op.regions for block in region.blocks[:1] for a in block.arguments)
