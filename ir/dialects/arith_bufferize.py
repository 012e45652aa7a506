"""Bufferization models of arith and math on tensors.

- ``arith.constant`` of a tensor → a private constant ``memref.global`` and
  ``memref.get_global`` (as MLIR's constant bufferization); the buffer is
  read-only, so a write to it is made on a copy.  A splat (``dense<0.0>``,
  the zero adjoints AD makes) is a new buffer filled by a loop instead: no
  global, and it may be written in place (unlike in MLIR).
- Every ElementwiseMappable arith and math op on tensors → a new buffer filled
  by a loop nest that loads each tensor operand, applies the op to scalars and
  stores the result (MLIR runs convert-elementwise-to-linalg first; the loops
  are what that linalg op lowers to).
"""

from __future__ import annotations

from ..attributes import DenseElementsAttr, IntegerAttr, StringAttr, SymbolRefAttr, TypeAttr, UnitAttr
from ..bufferizable import Bufferizable, is_tensor
from ..builder import Builder
from ..traits import ElementwiseMappable
from ..types import IntegerType, MemRefType
from .arith import ConstantOp, arith
from .math import math


def _splat_value(op):
    value = op.attributes["value"]
    return value if isinstance(value, DenseElementsAttr) and value.is_splat else None


@Bufferizable.implement(ConstantOp)
class _Constant(Bufferizable):
    def writable(self, op, result):
        return _splat_value(op) is not None

    def bufferize(self, op, state):
        if _splat_value(op) is not None:
            return self._fill(op, state)
        return self._global(op, state)

    @staticmethod
    def _fill(op, state):
        from .memref import StoreOp

        b = state.builder_before(op)
        t = op.results[0].type
        element = _splat_value(op).array.reshape(-1)[0]
        scalar = b.insert(ConstantOp.create(element.item(), t.element_type, location=op.location)).results[0]
        buf = state.allocate(b, t)
        state.loop_nest(b, state.sizes(b, buf), lambda inner, ivs: inner.create(StoreOp, scalar, buf, ivs))
        state.replace(op, [buf])

    @staticmethod
    def _global(op, state):
        from ..functions import enclosing_function
        from .memref_globals import GetGlobalOp, GlobalOp

        t = op.results[0].type
        memref_type = MemRefType(t.shape, t.element_type)
        fn = enclosing_function(op)
        module_block = fn.parent if fn is not None else op.parent
        value = op.attributes["value"]
        name = state.global_constants.get((memref_type, value))
        if name is None:
            name = f"__constant_{'x'.join(map(str, t.shape))}{'x' if t.shape else ''}{t.element_type}"
            name = state.unique_symbol(module_block, name)
            attrs = {"sym_name": StringAttr(name), "sym_visibility": StringAttr("private"),
                     "type": TypeAttr(memref_type), "initial_value": value, "constant": UnitAttr(),
                     "alignment": IntegerAttr(64, IntegerType(64))}
            anchor = fn if fn is not None else op
            Builder.before(anchor, op.location).insert(GlobalOp.build(attributes=attrs, location=op.location))
            state.global_constants[(memref_type, value)] = name
        b = state.builder_before(op)
        buf = b.create(GetGlobalOp, result_types=[memref_type], name=SymbolRefAttr(name)).results[0]
        state.replace(op, [state.new_root(buf, owned=False)])


class _Elementwise(Bufferizable):
    """An elementwise op on tensors: loops over new buffers (one per result)."""

    def bufferize(self, op, state):
        from .memref import LoadOp, StoreOp

        b = state.builder_before(op)
        like = state.buffer(next(v for v in op.operands if is_tensor(v)))
        outs = [state.allocate_like(b, like, r.type) for r in op.results]
        operands = [state.buffer(v) if is_tensor(v) else v for v in op.operands]

        def body(inner, ivs):
            scalars = [inner.create(LoadOp, v, ivs, result_types=[v.type.element_type]).results[0]
                       if isinstance(v.type, MemRefType) else v for v in operands]
            scalar = inner.create(type(op), *scalars, result_types=[r.type.element_type for r in op.results],
                                  attributes=dict(op.attributes))
            for value, out in zip(scalar.results, outs):
                inner.create(StoreOp, value, out, ivs)

        state.loop_nest(b, state.sizes(b, like), body)
        state.replace(op, outs)


for _dialect in (arith, math):
    for _cls in _dialect.ops.values():
        if ElementwiseMappable in _cls.traits and _cls is not ConstantOp:
            Bufferizable.attach(_cls, _Elementwise)
