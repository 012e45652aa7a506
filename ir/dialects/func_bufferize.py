"""Bufferization models of func (MLIR's FuncBufferizableOpInterfaceImpl).

With ``bufferize-function-boundaries`` a function's tensor arguments and
results become memrefs (identity layout) and calls pass buffers.  What a
caller needs to know of its callee (`FunctionSummary`, from the in-place
analysis of the callee, which runs first) is which arguments the callee
writes and which results are the same buffer as an argument; every other
result is a buffer the callee allocated and hands to its caller.

Without the option the function keeps its tensor signature: arguments are
read through ``bufferization.to_buffer`` (never written in place) and results
leave through ``bufferization.to_tensor``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import List, Optional

from ..attributes import TypeAttr
from ..bufferizable import Bufferizable, is_tensor, running_analysis
from ..types import FunctionType, MemRefType, TensorType
from .func import CallOp, FuncOp, ReturnOp


@dataclass
class FunctionSummary:
    """What the in-place analysis learned of a function, for its callers."""

    arguments_written: List[bool] = field(default_factory=list)
    result_equivalent_argument: List[Optional[int]] = field(default_factory=list)


def _identity(t):
    return MemRefType(t.shape, t.element_type) if isinstance(t, TensorType) and t.is_ranked else t


def _boundaries() -> bool:
    analysis = running_analysis()
    return bool(analysis is not None and analysis.function_boundaries)


def _to_tensor(b, buffer, tensor_type):
    from .bufferization import ToTensorOp

    return b.create(ToTensorOp, buffer, result_types=[tensor_type]).results[0]


@Bufferizable.implement(FuncOp)
class _Func(Bufferizable):
    def bufferize(self, op, state):
        block = op.regions[0].blocks[0] if op.regions[0].blocks else None
        ftype = op.function_type
        if state.function_boundaries:
            if block is not None:
                region = op.regions[0]
                new = state.rebuild_block(block, [_identity(a.type) for a in block.arguments])
                for arg in new.arguments:
                    if isinstance(arg.type, MemRefType):
                        state.new_root(arg, owned=False)
                region.blocks[0] = new
                new.parent = region
            op.attributes["function_type"] = TypeAttr(FunctionType(tuple(_identity(t) for t in ftype.inputs),
                                                                   tuple(_identity(t) for t in ftype.results)))
        elif block is not None:
            from ..builder import Builder
            from .bufferization import ToBufferOp

            b = Builder.at_start(block, op.location)
            for arg in block.arguments:
                if is_tensor(arg):
                    to_buffer = b.create(ToBufferOp, arg, result_types=[_identity(arg.type)])
                    state.built.add(to_buffer)
                    state.map(arg, state.new_root(to_buffer.results[0], owned=False))
        return op


@Bufferizable.implement(ReturnOp)
class _Return(Bufferizable):
    def bufferize(self, op, state):
        fn = op.parent_op
        b = state.builder_before(op)
        if not state.function_boundaries:
            for k, v in enumerate(op.operands):
                if is_tensor(v):
                    op.set_operand(k, _to_tensor(b, state.buffer(v), v.type))
            return None
        summary = state.analysis.function_info.get(fn)
        kinds = []
        for k, v in enumerate(op.operands):
            if not is_tensor(v) and not isinstance(v.type, MemRefType):
                kinds.append(None)
                continue
            equivalent_arg = summary.result_equivalent_argument[k] if summary else None
            buf = state.buffer(v)
            root = state.equivalent_root.get(buf)
            if (equivalent_arg is not None and fn not in state.force_owned_results
                    and root is fn.regions[0].blocks[0].arguments[equivalent_arg]):
                op.set_operand(k, state.fit(b, buf, _identity(v.type)))
                kinds.append(equivalent_arg)
                continue
            state.hand_on([op], k, _identity(v.type), force_owned=True)
            kinds.append(None)
        state.function_results[fn] = kinds
        return None


@Bufferizable.implement(CallOp)
class _Call(Bufferizable):
    @staticmethod
    def _summary(op):
        from ..functions import resolve_callee

        analysis = running_analysis()
        callee = resolve_callee(op)
        return None if analysis is None or callee is None else analysis.function_info.get(callee)

    def writes(self, op, index):
        summary = self._summary(op)
        if summary is None:
            return _boundaries()  # an unknown callee may write (without boundaries it gets a tensor)
        return summary.arguments_written[index]

    def aliases(self, op, index):
        summary = self._summary(op)
        if summary is None:
            return []
        return [(op.results[j], True) for j, k in enumerate(summary.result_equivalent_argument) if k == index]

    def writable(self, op, result):
        return _boundaries()

    def bufferize(self, op, state):
        from ..functions import resolve_callee

        b = state.builder_before(op)
        if not state.function_boundaries:
            from .bufferization import ToBufferOp

            for k, v in enumerate(op.operands):
                if is_tensor(v):
                    op.set_operand(k, _to_tensor(b, state.buffer(v), v.type))
            after = state.builder_before(op.next_op)
            for r in op.results:
                if is_tensor(r):
                    buf = after.create(ToBufferOp, r, result_types=[_identity(r.type)]).results[0]
                    state.map(r, state.new_root(buf, owned=False))
            return None
        callee = resolve_callee(op)
        ftype = callee.function_type if callee is not None else None
        operands = []
        for k, v in enumerate(op.operands):
            if is_tensor(v):
                want = ftype.inputs[k] if ftype is not None else _identity(v.type)
                operands.append(state.fit(b, state.buffer(v), want))
            else:
                operands.append(v)
        result_types = [_identity(r.type) for r in op.results]
        new = b.create(CallOp, operands, result_types=result_types, attributes=dict(op.attributes))
        kinds = state.function_results.get(callee)
        if kinds is None and callee is not None:
            state.force_owned_results.add(callee)  # called before it is bufferized: a call cycle
        for j, r in enumerate(new.results):
            if not isinstance(r.type, MemRefType):
                continue
            k = kinds[j] if kinds is not None else None
            if k is None:
                state.new_root(r, owned=True)
            else:
                state.alias(r, [operands[k]], equivalent=True)
        state.replace(op, list(new.results))
        return None
