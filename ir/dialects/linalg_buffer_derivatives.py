"""Derivative rules of linalg's structured ops on buffers (memrefs), from the tensor rules.

An op on buffers reads its inputs and overwrites (or accumulates into) its
output buffers; a buffer that carries derivatives has a *shadow* buffer
(Enzyme's duplicated memory, ``memref_derivatives.py``).  The rules here are
the tensor rules (``linalg_derivatives.py``, ``linalg_conv_derivatives.py``)
run in a `BufferRules` context, since those are destination-style: the
adjoint of a reduction is a broadcast, bilinear ops transpose, and each
cotangent is accumulated onto ``ctx.adjoint_init(operand)``, which is the
operand's shadow here, so the same ops accumulate into it in place.

- **Forward mode**: the tangents of buffers are their shadows.  A linalg op's
  tangent is the op applied to the shadows, writing the outputs' shadows:
  the generic form computes primal and tangent outputs in one generic;
  contractions and convolutions accumulate ``dA·B + A·dB`` into the output's
  shadow; transpose, broadcast, copy and fill are applied to the shadows.
- **Reverse mode**: the shadows hold adjoints of memory.  Each input's shadow
  gets ``+= ct · ∂y/∂x`` (read from the outputs' shadows), then each output's
  shadow becomes the adjoint of the contents *before* the op: left as it is
  where the op accumulates (matmul's ``C += A·B``), zeroed where it
  overwrites (a parallel body that does not read its output: fill, copy, an
  elementwise op), masked for max/min reductions, ``ct · ∂y/∂out`` for a
  parallel body that reads its output.

**Memory effects.**  The reverse rule of an op reads the contents its inputs
(and outputs) had when the op ran, but the reverse sweep runs after the whole
forward sweep, and a buffer may have been written or freed since
(`contents_kept` asks each later op's `MemoryEffects`; inside a loop every
op of the loop body counts, as a later iteration runs it).  A buffer whose
contents are kept is read directly; any other is copied in the forward sweep
right where the op runs (before it, or after it for the results a max/min
reduction compares with), and that copy is what the reverse rule reads: at
the function's top level the copy itself, inside a loop or branch a copy per
run pushed onto a tape of buffers (the reverse pops and frees it).  Distinct
buffer arguments are assumed not to overlap (as Enzyme's ``noalias``);
buffers carried by a loop's block arguments may be anything.
"""

from __future__ import annotations

from bisect import bisect_left
from typing import Dict, List, Optional, Set
from weakref import WeakKeyDictionary

from ..ad_interfaces import Rule, RuleContext, jvp_rules, vjp_rules
from ..builder import Builder
from ..core import BlockArgument, Operation, Value
from ..control_flow import LoopLike
from ..effects import ALLOCATE, FREE, WRITE, memory_effects
from ..functions import FunctionLike
from ..opdef import OPS, create_operation
from ..types import MemRefType, Type, index, is_float_buffer
from .linalg import PARALLEL, StructuredOp, StructuredOpBase
from .linalg_conv_derivatives import _identity, structured_generic
from .linalg_derivatives import _output_kinds, accumulates, result_or_output, structured_vjp
from .linalg_named import BroadcastOp, CopyOp, FillOp, TransposeOp
from .memref_derivatives import no_shadow_error

# ----------------------------------------------------------------------------
# which memory a buffer is, and whether its contents survive until the reverse sweep


def buffer_root(v: Value) -> Value:
    """The buffer `v` is a view of (following subview, cast, reshapes ...: ops that take a
    buffer and return one without allocating it), or `v` itself."""
    while not isinstance(v, BlockArgument) and v.defining_op is not None:
        op = v.defining_op
        sources = [o for o in op.operands if isinstance(o.type, MemRefType)]
        allocated = any(e.kind == ALLOCATE and e.value is v for e in memory_effects(op) or ())
        if not sources or allocated:
            break
        v = sources[0]
    return v


def _is_function_argument(v: Value) -> bool:
    parent = v.owner.parent_op if isinstance(v, BlockArgument) else None
    return parent is not None and FunctionLike.implemented_by(parent)


def may_alias(a: Value, b: Value) -> bool:
    """Whether buffers `a` and `b` may share memory: the same root (or the same global), or
    a root carried by a block argument of a region (a loop's iter_arg: any buffer).
    Distinct function arguments are assumed not to overlap."""
    ka, kb = _memory_key(buffer_root(a)), _memory_key(buffer_root(b))
    return ka == kb or ANY_MEMORY in (ka, kb)


def function_block(op: Operation):
    """The body block of the function `op` sits in (at any depth)."""
    block = op.parent
    while block is not None and block.parent_op is not None and not FunctionLike.implemented_by(block.parent_op):
        block = block.parent_op.parent
    return block


ANY_MEMORY = "any memory"


def _memory_key(root: Value):
    """What identifies the memory under buffer `root`: the root itself, a global's name, or
    ANY_MEMORY for a buffer carried by a region's block argument."""
    if isinstance(root, BlockArgument):
        return root if _is_function_argument(root) else ANY_MEMORY
    op = root.defining_op
    if not op.operands and not any(e.kind == ALLOCATE for e in memory_effects(op) or ()):
        return (op.op_name, tuple(sorted(op.attributes.items())))  # memref.get_global @g
    return root


def _written(op: Operation) -> List[Value]:
    """The buffers `op` may write or free (its MemoryEffects; every buffer operand when unknown)."""
    effects = memory_effects(op)
    if effects is None:
        return [v for v in op.operands if isinstance(v.type, MemRefType)]
    return [e.value for e in effects
            if e.kind in (WRITE, FREE) and e.value is not None and isinstance(e.value.type, MemRefType)]


class ClobberIndex:
    """Where one function writes or frees memory: its ops numbered in program order, and per
    memory (`_memory_key`) the numbers of the ops that may write or free it, so that
    `kept` is a binary search rather than a walk of the rest of the function."""

    def __init__(self, block):
        self.position: Dict[Operation, int] = {}
        self.by_memory: Dict = {}
        self.every: List[int] = []
        for top in block.ops:
            for op in top.walk(post_order=False):
                k = self.position[op] = len(self.position)
                for v in _written(op):
                    self.by_memory.setdefault(_memory_key(buffer_root(v)), []).append(k)
                    self.every.append(k)

    def kept(self, buffer: Value, op: Operation, including_op: bool) -> bool:
        """Whether the contents of `buffer` that `op` sees are still there when the forward
        sweep ends: no op after `op` (and `op` itself when `including_op`: its contents
        before it ran) may write or free that memory.  Inside a loop every op of the
        outermost enclosing loop counts (a later iteration runs it)."""
        start = self.position[op] + (0 if including_op else 1)
        parent = op.parent_op
        while parent is not None and parent in self.position:
            if LoopLike.implemented_by(parent):
                start = self.position[parent]
            parent = parent.parent_op
        key = _memory_key(buffer_root(buffer))
        lists = [self.every] if key is ANY_MEMORY else [self.by_memory.get(key, []),
                                                       self.by_memory.get(ANY_MEMORY, [])]
        return not any(bisect_left(positions, start) < len(positions) for positions in lists)


def contents_kept(buffer: Value, op: Operation, including_op: bool, index: Optional[ClobberIndex] = None) -> bool:
    """`ClobberIndex.kept` for the function `op` is in (`index`, when one is at hand)."""
    return (index or ClobberIndex(function_block(op))).kept(buffer, op, including_op)


def _in_top_block(v: Value, top) -> bool:
    block = v.owner if isinstance(v, BlockArgument) else v.defining_op.parent
    return block is top


# ----------------------------------------------------------------------------
# the context the tensor rules run in on buffers


_CLOBBER_INDEXES: "WeakKeyDictionary" = WeakKeyDictionary()  # driver transform -> {function block: index}


def alloc_like(b: Builder, like) -> Value:
    """A new buffer (``memref.alloc``, identity layout) of `like`'s shape: a MemRefType, or a
    buffer value where `b` builds (its dynamic sizes through ``memref.dim``)."""
    from .arith import ConstantOp
    from .memref import AllocOp, DimOp

    t = like if isinstance(like, Type) else like.type
    sizes = []
    for d, n in enumerate(t.shape):
        if n < 0:
            c = b.insert(ConstantOp.create(d, index, location=b.location)).results[0]
            sizes.append(b.create(DimOp, like, c).results[0])
    return b.insert(AllocOp.create(MemRefType(tuple(t.shape), t.element_type), sizes, location=b.location)).results[0]


def fill(b: Builder, value: float, buffer: Value) -> None:
    """``linalg.fill`` of `buffer` with the float `value`."""
    from ..ad_types import full

    b.insert(FillOp.create([full(b, value, buffer.type.element_type)], [buffer], location=b.location))


class BufferRules(RuleContext):
    """A tensor rule's context for a linalg op on buffers.

    `primal(v)` of a buffer operand is its contents when the op runs (before
    it), `result(j)` output j's contents after it: the buffer itself where its
    contents are kept, else a copy made in the forward sweep (`contents_kept`).
    `zero(like)` of a buffer is a zero-filled scratch buffer, and
    `adjoint_init(x)` is x's shadow (reverse mode), so the rules accumulate in
    place.  Scratch buffers and copies are freed by `release`, after the rule.
    """

    def __init__(self, outer, op: Operation, reverse: bool, primal_built: bool = False):
        super().__init__(outer.b)
        self.outer, self.op = outer, op
        self.reverse = reverse
        self.primal_built = primal_built  # forward mode: the driver has run the op's clone already
        self.width = getattr(outer, "width", 1)
        s = StructuredOp.of(op)
        self.inputs, self.outputs = s.inputs(), s.outputs()
        self.top = function_block(op)
        self.unread: Set[int] = set()  # positions of operands whose contents the rule never reads
        self.contents: Dict = {}
        self.scratch: List[Value] = []

    # -- what the driver's context answers ----------------------------------------------------
    def is_active(self, v: Value) -> bool:
        """The driver's activity."""
        return self.outer.is_active(v)

    def shadow(self, buffer: Value) -> Value:
        """The driver's shadow of original `buffer` (reverse mode)."""
        return self.outer.shadow(buffer)

    def primal(self, v: Value) -> Value:
        """A buffer operand's contents before the op runs; any other value as the driver has it."""
        if isinstance(v.type, MemRefType) and v in self.op.operands:
            return self._buffer(v, before=True)
        return self.outer.primal(v)

    def result(self, i: int = 0) -> Value:
        """Output i's contents after the op ran (what a tensor op's result i would be)."""
        return self._buffer(self.outputs[i], before=False)

    # -- scratch buffers -------------------------------------------------------------------------
    def zero(self, like) -> Value:
        """A zero of `like`'s type: for a buffer, a zero-filled scratch buffer (freed by `release`)."""
        t = like if isinstance(like, Type) else like.type
        if not isinstance(t, MemRefType):
            return super().zero(like)
        sized = like
        if isinstance(like, Value) and like in self.op.operands and not t.has_static_shape:
            sized = self.shadow(like) if self.reverse and self.is_active(like) else self.primal(like)
        buffer = alloc_like(self.b, t if t.has_static_shape else sized)
        fill(self.b, 0.0, buffer)
        self.scratch.append(buffer)
        return buffer

    def adjoint_init(self, operand: Value) -> Value:
        """The shadow of input `operand` (a zero scratch where it may share memory with an
        output, whose shadow the rule still reads: the dispatcher adds it in afterwards)."""
        if any(may_alias(operand, o) for o in self.outputs if isinstance(o.type, MemRefType)):
            return self.zero(operand)
        return self.shadow(operand)

    def release(self) -> None:
        """Free the scratch buffers and copies the rule used."""
        from .memref import DeallocOp

        for buffer in self.scratch:
            self.b.create(DeallocOp, buffer)
        self.scratch = []

    # -- contents of buffers ------------------------------------------------------------------
    def _buffer(self, v: Value, before: bool) -> Value:
        key = (v, before)
        if key not in self.contents:
            self.contents[key] = self._find_contents(v, before)
        return self.contents[key]

    def _find_contents(self, v: Value, before: bool) -> Value:
        if not self.reverse:
            overwritten = before and self.primal_built and any(
                may_alias(v, o) for o in self.outputs if isinstance(o.type, MemRefType))
            return self._copy_before_clone(v) if overwritten else self.outer.primal(v)
        if all(k in self.unread for k, o in enumerate(self.op.operands) if o is v):
            return self._placeholder(v)
        if _in_top_block(v, self.top) and contents_kept(v, self.op, before, self._clobber_index()):
            return self.outer.primal(v)
        return self._copy_in_forward_sweep(v, before)

    def _clobber_index(self) -> ClobberIndex:
        """The function's ClobberIndex, built once per differentiation (per driver transform)."""
        transform = getattr(self.outer, "transform", None)
        if transform is None:
            return ClobberIndex(self.top)
        found = _CLOBBER_INDEXES.setdefault(transform, {})
        if self.top not in found:
            found[self.top] = ClobberIndex(self.top)
        return found[self.top]

    def _placeholder(self, v: Value) -> Value:
        """A live buffer of `v`'s shape where the rule builds, for an operand whose contents
        the rule never reads (the buffer itself may be freed by now): its shadow, else a
        fresh buffer."""
        if self.is_active(v) and is_float_buffer(v.type):
            return self.shadow(v)
        if v.type.has_static_shape:
            buffer = alloc_like(self.b, v.type)
        else:
            buffer = alloc_like(self.b, self._copy_in_forward_sweep(v, True))
        self.scratch.append(buffer)
        return buffer

    def _copy_before_clone(self, v: Value) -> Value:
        """Forward mode: a copy of `v` made right before the op's clone overwrites it."""
        from .memref import CopyOp as MemRefCopy

        clone = self.outer.primal(self.op.regions[0].blocks[0]).parent_op
        b = Builder.before(clone, self.op.location)
        source = clone.operands[self.op.operands.index(v)]
        copy = alloc_like(b, source)
        b.create(MemRefCopy, source, copy)
        self.scratch.append(copy)
        return copy

    def _copy_in_forward_sweep(self, v: Value, before: bool) -> Value:
        """Reverse mode: `v`'s contents copied where the op runs in the forward sweep (before
        it, or after it); inside a region each run's copy goes onto a tape."""
        from .ad import TapePopOp, TapePushOp
        from .memref import CopyOp as MemRefCopy

        position = self.op.operands.index(v)
        at_top = self.op.parent is self.top
        copy_type = MemRefType(tuple(v.type.shape), v.type.element_type)

        def build(forward_op):
            b = Builder.before(forward_op, self.op.location) if before else Builder.after(forward_op, self.op.location)
            source = forward_op.operands[position]
            copy = alloc_like(b, source)
            copy.name_hint = f"{v.name_hint}_{'before' if before else 'after'}" if v.name_hint else None
            b.create(MemRefCopy, source, copy)
            if at_top:
                return copy
            tape = self.outer.new_tape(copy_type, f"{v.name_hint}_tape" if v.name_hint else "contents_tape")
            b.create(TapePushOp, tape, copy)
            return tape

        made = self.outer.once_per_forward_copy(f"linalg.contents.{position}.{before}", build)
        value = made if at_top else self.b.create(TapePopOp, made, result_types=[copy_type]).results[0]
        self.scratch.append(value)
        return value


# ----------------------------------------------------------------------------
# the rules on buffers: the tensor rules in a BufferRules context, and what the
# outputs' shadows become


def _unread_operands(op, generic_form: bool, linear: bool = False) -> Set[int]:
    """The operands whose contents the rule never reads, by position: all of them for an op
    linear in its inputs (transpose, copy ...), else inputs the body ignores (a pooling's
    window), and, for the generic form's rule, outputs whose old contents no derivative of
    the body needs (overwritten, or ``acc + e``)."""
    if linear:
        return set(range(len(op.operands)))
    s = StructuredOp.of(op)
    ins, outs, block = s.inputs(), s.outputs(), s.body()
    unread = {k for k, a in enumerate(block.arguments[:len(ins)]) if not a.has_uses}
    if generic_form:
        n_in = len(ins)
        for j, kind in enumerate(_output_kinds(op, s)):
            if kind == "max":  # the init's own cotangent compares it with the result
                read = True
            else:
                read = block.arguments[n_in + j].has_uses and not accumulates(block, j, n_in)
            if not read:
                unread.add(n_in + j)
    return unread


def _add_into(ctx, target: Value, addend: Value) -> None:
    """``target += addend`` elementwise (two buffers of one shape)."""
    rank = len(target.type.shape)
    structured_generic(ctx, [addend], target, [_identity(rank)] * 2, [PARALLEL] * rank,
                       lambda s, a: s.add(a[1], a[0]))


def reverse_on_buffers(tensor_vjp, generic_form: bool, linear: bool = False):
    """The VJP rule of a linalg op on buffers from `tensor_vjp`: input shadows accumulate
    ``ct · ∂y/∂x``, then each output's shadow becomes the adjoint of its old contents
    (the rule's cotangent for it; zero where it returns none: overwritten)."""

    def rule(ctx, op, _results_ct):
        s = StructuredOp.of(op)
        ins, outs = s.inputs(), s.outputs()
        n_in = len(ins)
        cts = [ctx.shadow(v) if is_float_buffer(v.type) and ctx.is_active(v) else None for v in outs]
        if all(c is None for c in cts):
            return [None] * len(op.operands)
        bctx = BufferRules(ctx, op, reverse=True)
        bctx.unread = _unread_operands(op, generic_form, linear)
        got = tensor_vjp(bctx, op, cts)
        for j, shadow in enumerate(cts):
            if shadow is None:
                continue
            new = got[n_in + j]
            if new is None:  # overwritten: the old contents reach nothing
                fill(bctx.b, 0.0, shadow)
            elif new is not shadow:
                from .memref import CopyOp as MemRefCopy

                bctx.b.create(MemRefCopy, new, shadow)
        for v, c in zip(ins, got):
            if c is not None and isinstance(v.type, MemRefType) and c is not ctx.shadow(v):
                _add_into(bctx, ctx.shadow(v), c)  # a scratch: the input shares the output's memory
        bctx.release()
        return [c if i < n_in and not isinstance(ins[i].type, MemRefType) else None for i, c in enumerate(got)]

    return rule


def forward_on_buffers(tensor_jvp, emits_primal: bool):
    """The JVP rule of a linalg op on buffers from `tensor_jvp`: the outputs' shadows get
    the tangents (the rule's, copied in where it built them elsewhere; zero where none)."""

    def rule(ctx, op, t):
        s = StructuredOp.of(op)
        ins, outs = s.inputs(), s.outputs()
        n_in = len(ins)
        if any(t[i] is not None for i in range(n_in)):
            for j, v in enumerate(outs):
                if t[n_in + j] is None and ctx.is_active(v):
                    raise no_shadow_error(op, "writes active values into")
        bctx = BufferRules(ctx, op, reverse=False, primal_built=not emits_primal)
        got = tensor_jvp(bctx, op, t)
        if not emits_primal:
            for j, v in enumerate(outs):
                shadow = t[n_in + j]
                new = got[j] if j < len(got) else None
                if shadow is None or new is shadow:
                    continue
                if new is None:
                    fill(bctx.b, 0.0, shadow)
                else:
                    from .memref import CopyOp as MemRefCopy

                    bctx.b.create(MemRefCopy, new, shadow)
        bctx.release()
        return ([], [None] * len(op.results)) if emits_primal else [None] * len(op.results)

    return rule


def _apply_to_tangents(ctx, op, t):
    """JVP of an op linear in its inputs (transpose, broadcast, copy, fill) on buffers: the
    op itself on the inputs' tangents (zero for inactive ones), into the output's shadow."""
    s = StructuredOp.of(op)
    operands = [t[k] if t[k] is not None else ctx.zero(v) for k, v in enumerate(s.operands())]
    new = create_operation(op.op_name, operands, [], dict(op.attributes), regions=[r.clone() for r in op.regions],
                           location=ctx.b.location)
    return [result_or_output(ctx, new)]


def _on_tensors_or_buffers(tensor_rule: Rule, forward: bool, on_buffers=None, generic_form=False,
                           linear=False) -> Rule:
    """`tensor_rule` for ops on tensors; on buffers, `on_buffers` (else the tensor rule's own
    function) in a BufferRules context."""
    fn = on_buffers or tensor_rule.fn
    buffers = (forward_on_buffers(fn, tensor_rule.emits_primal) if forward
               else reverse_on_buffers(fn, generic_form, linear))

    def rule(ctx, op, t):
        if StructuredOp.of(op).has_tensor_semantics():
            return tensor_rule.fn(ctx, op, t)
        return buffers(ctx, op, t)

    return Rule(rule, tensor_rule.emits_primal, tensor_rule.always)


# ops linear in their inputs: on buffers the JVP applies them to the shadows, and the
# VJP is the generic form's (a cotangent read back through the output's map)
LINEAR_ON_BUFFERS = (TransposeOp, BroadcastOp, CopyOp, FillOp)


def _register() -> None:
    base_jvp, base_vjp = jvp_rules.lookup(StructuredOpBase), vjp_rules.lookup(StructuredOpBase)
    classes = [StructuredOpBase] + [c for c in set(OPS.values()) if isinstance(c, type)
                                    and issubclass(c, StructuredOpBase) and c is not StructuredOpBase]
    found = [(cls, jvp_rules.lookup(cls), vjp_rules.lookup(cls)) for cls in classes]  # before any is wrapped
    for cls, tj, tv in found:
        if cls is not StructuredOpBase and tj is base_jvp and tv is base_vjp:
            continue  # inherits the generic form's rules, wrapped on the base class
        if cls in LINEAR_ON_BUFFERS:
            jvp_rules.register_value(cls, _on_tensors_or_buffers(tj, True, _apply_to_tangents))
            vjp_rules.register_value(cls, _on_tensors_or_buffers(tv, False, structured_vjp, generic_form=True,
                                                                 linear=True))
            continue
        if tj is not None:
            jvp_rules.register_value(cls, _on_tensors_or_buffers(tj, True))
        if tv is not None:
            vjp_rules.register_value(cls, _on_tensors_or_buffers(tv, False, generic_form=tv is base_vjp))


_register()


__all__ = ["BufferRules", "alloc_like", "buffer_root", "contents_kept", "fill", "forward_on_buffers", "may_alias",
           "reverse_on_buffers"]
