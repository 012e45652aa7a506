"""Bufferization model of every linalg op (MLIR's linalg BufferizableOpInterface,
through the structured-op interface, so generic and named ops share it).

Destination style: output k (an init) is written in place and is the same
buffer as result k; it is read only where the body uses its element (an
accumulator); inputs are read.  The bufferized op is the same op on buffers,
with no results.
"""

from __future__ import annotations

from ..bufferizable import Bufferizable, is_tensor
from ..core import Region
from .linalg import StructuredOp, StructuredOpBase


def _is_identity(m) -> bool:
    """An affine map (d0, ..., dn) -> (d0, ..., dn)."""
    from ..attributes import AffineDim

    results = list(m.results)
    return len(results) == m.num_dims and all(isinstance(e, AffineDim) and e.position == k
                                              for k, e in enumerate(results))


def _position(op, index: int):
    """('input', k) or ('output', k) for operand `index` of structured op `op`."""
    s = StructuredOp.of(op)
    n_in = len(s.inputs())
    return ("input", index) if index < n_in else ("output", index - n_in)


@Bufferizable.implement(StructuredOpBase)
class _Structured(Bufferizable):
    def reads(self, op, index):
        kind, k = _position(op, index)
        if kind == "input":
            return True
        s = StructuredOp.of(op)
        return bool(s.body().arguments[len(s.inputs()) + k].uses)  # the body reads the init's element

    def elementwise_access(self, op, indices):
        """All loops parallel and every operand named through the identity map."""
        s = StructuredOp.of(op)
        if any(t != "parallel" for t in s.iterator_types()):
            return False
        maps = s.indexing_maps()
        return all(_is_identity(maps[i]) for i in indices)

    def writes(self, op, index):
        return _position(op, index)[0] == "output"

    def aliases(self, op, index):
        kind, k = _position(op, index)
        outputs = StructuredOp.of(op).outputs()
        if kind != "output" or not is_tensor(outputs[k]):
            return []
        return [(op.results[sum(1 for v in outputs[:k] if is_tensor(v))], True)]

    def bufferize(self, op, state):
        s = StructuredOp.of(op)
        b = state.builder_before(op)
        inputs = [state.buffer(v) for v in s.inputs()]
        outputs = [state.buffer(v) for v in s.outputs()]
        attrs = {k: v for k, v in op.attributes.items() if k != "operandSegmentSizes"}
        new = b.insert(type(op).build(inputs, outputs, result_types=[], regions=[Region() for _ in op.regions],
                                      attributes=attrs, location=op.location))
        for src, dst in zip(op.regions, new.regions):
            dst.take_body(src)
        state.replace(op, [buf for v, buf in zip(s.outputs(), outputs) if is_tensor(v)])
        return None
