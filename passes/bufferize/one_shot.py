"""`--one-shot-bufferize` (MLIR's One-Shot Bufferize): tensors become buffers.

1. The in-place analysis (analysis.py) decides, per written tensor operand,
   in place or out of place; functions are analyzed callees first, so a call
   knows which arguments its callee writes and which results are arguments.
2. Copy insertion (MLIR's TensorCopyInsertion): each out-of-place operand is
   replaced by ``bufferization.alloc_tensor() copy(%v)`` (without ``copy``
   when the op does not read the operand), so every op is then in place.
3. The rewrite: each op's `Bufferizable.bufferize` builds memref ops
   (state.py holds the tensor → buffer mapping), in program order.
4. Deallocation: every buffer the pass allocated is freed after its last use
   (state.py's ownership rules), so allocations and frees balance.

Options (MLIR's names): ``bufferize-function-boundaries`` (function
arguments and results become memrefs; without it functions keep tensor
signatures behind to_buffer/to_tensor), ``function-boundary-type-conversion``
(only ``identity-layout-map`` here: arguments are ``memref<4xf64>``, not
MLIR's default of fully dynamic layouts), ``test-analysis-only`` (annotate
``__inplace_operands_attr__`` on each op and stop, as MLIR does).
"""

from __future__ import annotations

from typing import Dict, List

from irc.attributes import ArrayAttr, DictionaryAttr, IntegerAttr, StringAttr
from irc.bufferizable import Bufferizable, analysis_running, has_tensor_semantics, is_tensor
from irc.builder import Builder
from irc.core import Operation
from irc.diagnostics import error
from irc.types import i64
from irc.functions import CallLike, FunctionLike, resolve_callee

from ..pass_manager import Pass, PassOption, register_pass
from .analysis import InPlaceAnalysis
from .state import BufferizationState


def functions_callees_first(module: Operation) -> List[Operation]:
    """The module's functions, each after the functions it calls (call cycles broken anywhere)."""
    functions = [op for block in module.regions[0].blocks for op in block.ops if FunctionLike.implemented_by(op)]
    order, state = [], {}
    for root in functions:
        if root in state:
            continue
        stack = [(root, None)]
        while stack:
            fn, calls = stack.pop()
            if calls is None:
                if fn in state:
                    continue
                state[fn] = "open"
                calls = iter([resolve_callee(op) for op in fn.walk() if CallLike.implemented_by(op)])
            pushed = False
            for callee in calls:
                if callee is not None and callee not in state and FunctionLike.implemented_by(callee):
                    stack.append((fn, calls))
                    stack.append((callee, None))
                    pushed = True
                    break
            if not pushed:
                state[fn] = "done"
                order.append(fn)
    return order


def _argument_writable(fn: Operation, k: int, boundaries: bool) -> bool:
    """MLIR's rule: with function boundaries an argument is writable unless its
    ``bufferization.writable`` attribute says false."""
    if not boundaries:
        return False
    arg_attrs = fn.attributes.get("arg_attrs")
    if isinstance(arg_attrs, ArrayAttr) and k < len(arg_attrs.elements) and isinstance(arg_attrs.elements[k], DictionaryAttr):
        w = dict(arg_attrs.elements[k].entries).get("bufferization.writable")
        if isinstance(w, IntegerAttr) and not w.value:
            return False
    return True


def analyze_module(module: Operation, functions, boundaries: bool) -> InPlaceAnalysis:
    """The in-place decisions and function summaries for every function of `module`."""
    from irc.dialects.func_bufferize import FunctionSummary

    analysis = InPlaceAnalysis()
    analysis.function_boundaries = boundaries
    with analysis_running(analysis):
        for fn in functions:
            model = FunctionLike.of(fn)
            if model.is_declaration():
                continue
            arguments = model.arguments()
            for k, arg in enumerate(arguments):
                if is_tensor(arg) and not _argument_writable(fn, k, boundaries):
                    analysis.mark_read_only(arg)
            analysis.analyze_function_body(model.body())
            returned = model.return_op()
            summary = FunctionSummary(
                arguments_written=[is_tensor(a) and analysis.is_written(a) for a in arguments],
                result_equivalent_argument=[],
            )
            for v in (returned.operands if returned is not None else ()):
                match = next((k for k, a in enumerate(arguments) if is_tensor(a) and is_tensor(v)
                              and analysis.equivalent_values(a, v)), None)
                summary.result_equivalent_argument.append(match)
            analysis.function_info[fn] = summary
    return analysis


def annotate_analysis(module: Operation, analysis: InPlaceAnalysis) -> None:
    """MLIR's test-analysis-only output: ``__inplace_operands_attr__`` per op."""
    for op in module.walk():
        if not any(is_tensor(v) for v in op.operands) or FunctionLike.implemented_by(op):
            continue
        marks = []
        for i, v in enumerate(op.operands):
            if not is_tensor(v):
                marks.append("none")
            else:
                marks.append("true" if analysis.in_place.get((op, i), True) else "false")
        op.attributes["__inplace_operands_attr__"] = ArrayAttr(tuple(StringAttr(m) for m in marks))
    for fn, summary in analysis.function_info.items():
        returned = FunctionLike.of(fn).return_op()
        if returned is not None and any(k is not None for k in summary.result_equivalent_argument):
            returned.attributes["__equivalent_func_args__"] = ArrayAttr(tuple(
                IntegerAttr(-1 if k is None else k, i64) for k in summary.result_equivalent_argument))


def insert_copies(analysis: InPlaceAnalysis) -> None:
    """Give every out-of-place operand its own new tensor (MLIR's TensorCopyInsertion)."""
    from irc.dialects.bufferization import AllocTensorOp
    from irc.dialects.tensor import dynamic_sizes

    for (op, i), in_place in list(analysis.in_place.items()):
        if in_place:
            continue
        v = op.operands[i]
        b = Builder.before(op, op.location)
        if Bufferizable.of(op).reads(i):
            copy = b.insert(AllocTensorOp.create(v.type, copy=v, location=op.location))
        else:
            copy = b.insert(AllocTensorOp.create(v.type, dynamic_sizes(b, v), location=op.location))
        op.set_operand(i, copy.results[0])


def _bufferize_block(block, state: BufferizationState) -> None:
    for op in list(block.ops):
        if op not in state.built:
            _bufferize_op(op, state)


def _bufferize_op(op: Operation, state: BufferizationState) -> None:
    model = Bufferizable.get(op) if has_tensor_semantics(op) or FunctionLike.implemented_by(op) else None
    target = op
    if model is not None:
        target = model.bufferize(state) or (op if op not in state.erased else None)
    if target is None:
        return
    for region in target.regions:
        for block in region.blocks:
            _bufferize_block(block, state)
    if model is not None:
        Bufferizable.of(target).finalize(state)


def _erase(ops: List[Operation]) -> None:
    for op in reversed(ops):
        for r in op.results:
            if r.uses:
                users = ", ".join(sorted({u.op_name for u in r.users}))
                raise error(f"'{op.op_name}' op was bufferized but its tensor result is still used by {users}",
                            op.location)
        op.erase()


def one_shot_bufferize(module: Operation, options: Dict) -> None:
    """Bufferize every function of `module` (see the module docstring)."""
    boundaries = bool(options.get("bufferize-function-boundaries"))
    layout = options.get("function-boundary-type-conversion", "identity-layout-map")
    if layout != "identity-layout-map":
        raise error(f"function-boundary-type-conversion={layout} is not supported (irc bufferizes function "
                    f"boundaries with identity-layout-map)", module.location)
    functions = functions_callees_first(module)
    analysis = analyze_module(module, functions, boundaries)
    if options.get("test-analysis-only"):
        annotate_analysis(module, analysis)
        return
    insert_copies(analysis)
    state = BufferizationState(analysis, options)
    for fn in functions:
        _bufferize_op(fn, state)
    _erase(state.to_erase)
    state.place_deallocations()


@register_pass
class OneShotBufferize(Pass):
    """MLIR's one-shot-bufferize: in-place analysis, copies where needed, buffers
    freed after their last use."""

    name = "one-shot-bufferize"
    summary = "One-Shot Bufferize: tensors become memrefs, in place where no later read needs the old value"
    anchor = "builtin.module"
    options = (
        PassOption("bufferize-function-boundaries", bool, False,
                   "bufferize function arguments and results (they become memrefs)"),
        PassOption("function-boundary-type-conversion", str, "identity-layout-map",
                   "layout of memrefs at function boundaries (identity-layout-map)"),
        PassOption("test-analysis-only", bool, False,
                   "only annotate the in-place decisions (__inplace_operands_attr__)"),
    )

    def run(self, op):
        one_shot_bufferize(op, self.opts)
