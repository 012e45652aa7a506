"""Reverse mode: build ``@f_vjp(primals..., cotangents...) -> (results..., cotangents...)``.

The generated body is a *forward sweep* (f's body cloned) followed by a
*reverse sweep* that walks the ops backwards, calling each active op's VJP
rule to turn its result adjoints into operand adjoints (Griewank & Walther,
"Evaluating Derivatives", ch. 3-4).

Values the reverse sweep needs are fetched by `ReverseTransform.resolve`:
- values of the function's top-level block dominate the whole reverse sweep
  and are used directly;
- a value defined inside a region (a loop body, an if branch) is needed in the
  *reverse* of that region, which runs in another region: the forward sweep
  pushes it onto a tape (``ad.tape_push``, right after it is computed) each
  time the region runs, and every reverse instance of the region pops it
  (``ad.tape_pop``, at the region's start).  Tapes are LIFO, so nested loops
  come back in exactly reverse order.  This is the store-all strategy;
  ``ad.checkpoint`` regions recompute instead.

Every tape is created at the entry of the generated function and freed
(``ad.tape_free``) right before its return; the body is structured, so that
is the end of every path (loops of zero trips, either branch of an if).
A tape belongs to one *forward copy* of a value (the forward sweep's, or a
checkpoint's recomputation); every reverse instance mirroring that copy pops
from it.

A `ReverseScope` is one emission of the reverse of one primal block; its
adjoint table holds the adjoints of values while that block is reversed.
Adjoints of values captured from outside a region are carried out of the
reverse region by its rule (loop-carried accumulators for scf.for, extra
results for scf.if).
"""

from __future__ import annotations

from typing import Dict, List, Optional, Sequence

from irc.ad_interfaces import RuleContext, body_end, vjp_rules
from irc.builder import Builder, InsertionPoint
from irc.core import Block, BlockArgument, Operation, Value
from irc.dialects.ad import TapeCreateOp, TapeFreeOp, TapePopOp, TapePushOp
from irc.functions import FunctionLike
from irc.traits import ConstantLike, Terminator
from irc.types import DYNAMIC, FunctionType, is_float_buffer, is_float_like

from .activity import ActivityAnalysis, captured_values
from .forward import tangent_name


class ReverseScope:
    """One emission of the reverse sweep of primal block `block` into `rev_block`.

    A block can have several reverse instances (the ``before`` region of an
    scf.while is reversed once for the run that exits and once per trip, and so
    is everything nested in it); each pops its own copies of taped values.
    `forward_copies` maps original values and blocks to the copy this instance
    mirrors when that is not the forward sweep's (a checkpointed region's
    recomputation); inner scopes inherit it.
    """

    def __init__(self, block: Block, rev_block: Block, parent: Optional["ReverseScope"],
                 forward_copies: Optional[Dict] = None):
        self.block = block
        self.rev_block = rev_block
        self.parent = parent
        self.forward_copies: Dict = forward_copies or {}
        self.popped: Dict[Value, Value] = {}
        self.adjoints: Dict[Value, Value] = {}


class DerivedValue:
    """A primal factor that a VJP rule asked for, computed from an original value by
    `build(builder, value)`, standing in for that value where values are taped: each
    forward copy computes it and pushes it, and reverse instances pop it
    (ReverseTransform.derived).  Two kinds: ``op_class(original)`` (`emit_on_operand`:
    sin's cosine) and the size of a dynamic dimension (``tensor.dim``: a rule that only
    needs a tensor's shape tapes that index, not the tensor).  It is computed right after
    the copy of `anchor` (a result of the op whose rule asked, when that op sits in
    `original`'s block: the cosine beside the sine, so LLVM makes one sincos call of the
    two), else right after `original`'s copy."""

    __slots__ = ("build", "original", "anchor", "type", "name_hint", "defining_op")

    def __init__(self, build, original: Value, anchor: Optional[Value], type_, suffix: str):
        self.build = build
        self.original = original
        self.anchor = anchor
        self.type = type_
        self.name_hint = f"{original.name_hint}_{suffix}" if original.name_hint else suffix
        self.defining_op = original.defining_op


def _apply(op_class):
    """`DerivedValue.build` for ``op_class(value)``."""
    return lambda b, v: b.create(op_class, v).results[0]


def _dimension(i: int):
    """`DerivedValue.build` for ``tensor.dim value, i``."""
    def build(b, v):
        from irc.dialects.arith import ConstantOp
        from irc.dialects.tensor import DimOp
        from irc.types import index

        k = b.insert(ConstantOp.create(i, index, location=b.location)).results[0]
        return b.create(DimOp, v, k).results[0]

    return build


class VjpContext(RuleContext):
    """The context a VJP rule builds in (the reverse sweep of one scope)."""

    def __init__(self, transform: "ReverseTransform", scope: ReverseScope, builder: Builder, op: Operation):
        super().__init__(builder)
        self.transform = transform
        self.manager = transform.manager
        self.scope = scope
        self.op = op

    def primal(self, v: Value) -> Value:
        return self.transform.resolve(v, self.scope)

    def is_active(self, v: Value) -> bool:
        return self.transform.activity.is_active(v)

    def emit_on_operand(self, op_class, i: int = 0) -> Value:
        v = self.op.operands[i]
        suffix = op_class.name.rsplit(".", 1)[-1]
        return self.transform.derived((op_class,), _apply(op_class), v, v.type, suffix, self.op, self.scope, self.b)

    def dynamic_sizes(self, v: Value) -> List[Value]:
        """Each dynamic size of original tensor `v`, read where the forward sweep computes `v`
        (so a loop tapes these indices, never the tensor)."""
        from irc.types import index

        return [self.transform.derived(("dim", i), _dimension(i), v, index, f"dim{i}", self.op, self.scope, self.b)
                for i, d in enumerate(v.type.shape) if d == DYNAMIC]

    def captured_active(self, op: Operation) -> List[Value]:
        """Active values used inside `op`'s regions but defined outside it."""
        return [v for v in captured_values(op) if self.is_active(v) and is_float_like(v.type)]

    def accumulate(self, v: Value, adjoint: Optional[Value]) -> None:
        """Add `adjoint` to the adjoint of original value `v` in this scope."""
        self.transform.accumulate(self.scope, v, adjoint, self.b)

    def adjoint(self, v: Value) -> Optional[Value]:
        return self.scope.adjoints.get(v)

    # -- buffers ------------------------------------------------------------------------------
    def shadow(self, buffer: Value) -> Value:
        """The shadow of original buffer `buffer` (its memory's adjoints), usable here."""
        return self.transform.shadow(buffer, self.scope, self.op)

    def existing_shadow(self, buffer: Value) -> Optional[Value]:
        """The shadow of `buffer` if one was made for this reverse instance, else None."""
        _, s = self.transform._scope_of(buffer, self.scope)
        return self.transform.shadows.get((buffer, id(s)))

    # -- for rules of ops with regions ------------------------------------------------------
    def forward(self, x):
        """The forward copy of an original value or block that this reverse instance mirrors."""
        return self.transform.forward_of(x, self.scope)

    def once_per_forward_copy(self, key: str, build):
        """``build(forward_op)`` for the forward copy of the rule's op, run once per copy.

        A rule that instruments the forward sweep (scf.while's trip tape) runs
        once per reverse *instance* of its op; the instrumentation must not: every
        instance shares what the one forward copy recorded (LIFO order gives each
        its own entries).  Returns what the first `build` returned.
        """
        return self.transform.once_per_forward_copy(self.op, self.scope, key, build)

    def new_tape(self, element_type, name: Optional[str] = None) -> Value:
        """A fresh tape, created at the entry of the generated function (freed before its return)."""
        return self.transform.new_tape(element_type, name)

    def adjoint_tape(self, tape: Value) -> Value:
        """The tape of adjoints of what original tape `tape` holds (reverse mode through tapes)."""
        return self.transform.adjoint_tape(tape)

    def recompute_into(self, block: Block, rev_block: Block) -> None:
        """Clone primal `block` into `rev_block`; its next reverse instance uses that copy, not tapes."""
        self.transform.recompute_into(block, rev_block, self.scope)

    def reverse_block(self, block: Block, rev_block: Block, seeds: Sequence, carried: Dict[Value, Optional[Value]]):
        """Emit the reverse of primal `block` at the end of `rev_block`.

        `seeds`: (original value, adjoint) pairs to start from (the adjoints of
        the terminator's operands); `carried`: captured outer values with the
        accumulator each starts from.  Returns (adjoints of the block's
        arguments, {captured value: adjoint}), None for zero.
        """
        t = self.transform
        scope = t.new_scope(block, rev_block, self.scope)
        b = Builder(body_end(rev_block), self.b.location)
        for v, a in carried.items():
            if a is not None:
                scope.adjoints[v] = a
        for v, a in seeds:
            t.accumulate(scope, v, a, b)
        t.reverse_ops(block, scope, b)
        return [scope.adjoints.get(a) for a in block.arguments], {v: scope.adjoints.get(v) for v in carried}


class ReverseTransform:
    """Reverse-mode differentiation of one function for one activity."""

    def __init__(self, manager, fn: Operation, active: Sequence[int], name: str):
        self.manager = manager
        self.fn = fn
        self.function = FunctionLike.of(fn)  # any function op: func.func, a plugin's
        self.active = list(active)
        self.name = name
        self.mapping: Dict = {}
        self.tapes: Dict[Value, Value] = {}  # forward copy of a value -> its tape
        self.block_tapes: Dict[Block, List[Value]] = {}  # original values of a block that are taped
        self.instances: Dict[Block, List[ReverseScope]] = {}
        self.recomputed: Dict[Block, Dict] = {}
        self.adjoint_tapes: Dict[Value, Value] = {}
        self.instrumented: Dict = {}
        self.created_tapes: List[Value] = []
        self.derived_values: Dict = {}  # (kind, original) -> its DerivedValue
        self.derived_copies: Dict = {}  # (DerivedValue, forward copy of its original) -> value
        self.shadows: Dict = {}  # (original buffer, id of the reverse instance) -> its shadow there
        ft = self.function.function_type()
        self.dup = [i for i in self.active if is_float_buffer(ft.inputs[i])]
        self.by_value = [i for i in self.active if i not in self.dup]

    def signature(self) -> FunctionType:
        """``(x..., shadow per dup buffer..., ct per float result) -> (y..., ct per active value)``."""
        ft = self.function.function_type()
        cts = [t for t in ft.results if is_float_like(t)]
        shadows = [ft.inputs[i] for i in self.dup]
        return FunctionType(tuple(ft.inputs) + tuple(shadows) + tuple(cts),
                            tuple(ft.results) + tuple(ft.inputs[i] for i in self.by_value))

    def build(self) -> Operation:
        fn, function = self.fn, self.function
        fn_entry = function.entry_block()
        fn_args = fn_entry.arguments
        ret = fn_entry.last_op
        # a dup buffer is an output too: the caller reads its shadow back
        self.activity = ActivityAnalysis(fn_entry, self.active, list(ret.operands) + [fn_args[i] for i in self.dup])
        new = function.create_like(self.name, self.signature(), fn.location)
        self.new_fn = new
        self.new_entry = entry = FunctionLike.of(new).entry_block()
        args = entry.arguments
        for a, na in zip(fn_args, args):
            self.mapping[a] = na
            na.name_hint = a.name_hint
        # forward sweep
        b = Builder.at_end(entry, fn.location)
        for op in fn_entry.ops:
            if op is ret:
                break
            b.insert(op.clone(self.mapping))
        # reverse sweep, seeded with the result cotangents
        top = self.new_scope(fn_entry, entry, None)
        k = len(fn_args)
        for i in self.dup:
            args[k].name_hint = tangent_name(fn_args[i], "shadow")
            self.shadows[(fn_args[i], id(top))] = args[k]
            k += 1
        b.location = ret.location
        for v in ret.operands:
            if is_float_like(v.type):
                seed = args[k]
                k += 1
                if seed.name_hint is None:  # %y_seed after a named result, else %seed, %seed_0 ...
                    seed.name_hint = tangent_name(v, "seed") or "seed"
                if self.activity.is_active(v):
                    self.accumulate(top, v, seed, b)
        self.reverse_ops(fn_entry, top, b)
        ctx = VjpContext(self, top, b, ret)
        outs = [self.mapping[v] for v in ret.operands]
        for i in self.by_value:
            a = fn_args[i]
            outs.append(ctx.materialize(top.adjoints.get(a), self.mapping[a]))
        # every tape was created at entry, and the body is structured: its end is every path's end
        for tape in reversed(self.created_tapes):
            b.create(TapeFreeOp, tape)
        function.build_return(b, outs)
        return new

    # -- adjoints ---------------------------------------------------------------------------
    def accumulate(self, scope: ReverseScope, v: Value, adjoint: Optional[Value], b: Builder) -> None:
        if adjoint is None or not self.activity.is_active(v) or not is_float_like(v.type):
            return
        ctx = VjpContext(self, scope, b, None)
        old = scope.adjoints.get(v)
        new = ctx.add(old, adjoint)
        if new.name_hint is None and new.defining_op is not None:
            new.name_hint = tangent_name(v, "adjoint")
        scope.adjoints[v] = new

    def reverse_ops(self, block: Block, scope: ReverseScope, b: Builder) -> None:
        act = self.activity
        for op in block.ops_reversed():
            rule = vjp_rules.lookup(op)
            if op.has_trait(Terminator) or not act.needs_rule(op, rule):
                continue
            cts = [scope.adjoints.get(r) if act.is_active(r) else None for r in op.results]
            if (all(c is None for c in cts) and not op.regions and not (rule is not None and rule.always)
                    and not act.touches_active_buffer(op)):
                continue
            if rule is None:
                raise op.emit_error(
                    "has no reverse-mode derivative rule, but its result depends on an active value "
                    "(register one with irc.ad_interfaces.vjp, or wrap the operand in ad.stop_gradient)"
                )
            saved = b.location
            b.location = op.location
            try:
                ctx = VjpContext(self, scope, b, op)
                outs = rule.fn(ctx, op, cts)
                for v, c in zip(op.operands, outs):
                    if c is not None:
                        self.accumulate(scope, v, c, b)
            finally:
                b.location = saved

    # -- shadow buffers -------------------------------------------------------------------------
    def shadow(self, v: Value, scope: ReverseScope, user: Operation) -> Value:
        """The shadow of original buffer `v` for reverse instance `scope`.  A dup argument's
        is the caller's; a local buffer's is made once per reverse instance of its block,
        where it dominates that instance: in the forward sweep for the function's own block,
        else at the start of the reverse block (after the values it needs).  A buffer the op
        allocates (its MemoryEffects) gets a zero-filled clone, a view the op applied to the
        shadows of its buffers."""
        from irc.dialects.memref_derivatives import allocates, zero_fill

        block, s = self._scope_of(v, scope)
        key = (v, id(s))
        if key in self.shadows:
            return self.shadows[key]
        op = v.defining_op
        buffers = [o for o in op.operands if is_float_buffer(o.type)] if op is not None else []
        carried = op.regions if op is not None else not FunctionLike.implemented_by(v.owner.parent_op)
        if carried:  # a loop's iter_arg or result
            from irc.dialects.scf_derivatives import carried_buffer_error

            raise carried_buffer_error(op if op is not None else v.owner.parent_op)
        if op is None or (allocates(op, v) is None and not buffers):
            raise user.emit_error(
                "uses a buffer without derivatives (a memref argument not listed in 'wrt' is constant); "
                "list it in 'wrt' to give it a shadow buffer")
        mapping = {o: self.shadow(o, s, user) if o in buffers else self.resolve(o, s) for o in op.operands}
        if s.parent is None:
            b = Builder.after(self.mapping[v].owner)
        else:
            b = Builder(self._after_definitions(s.rev_block, mapping.values()), op.location)
        b.location = op.location
        new = b.insert(op.clone(mapping))
        shadow = new.results[v.index]
        shadow.name_hint = tangent_name(v, "shadow")
        if allocates(op, v) is not None:
            zero_fill(b, shadow)
        self.shadows[key] = shadow
        return shadow

    @staticmethod
    def _after_definitions(block: Block, values) -> InsertionPoint:
        """The point of `block` after every op of it that defines one of `values` (else its start)."""
        defining = {v.owner for v in values if not isinstance(v, BlockArgument) and v.owner.parent is block}
        last = None
        for op in block.ops:
            if op in defining:
                last = op
        return InsertionPoint.at_start(block) if last is None else InsertionPoint.after_op(last)

    # -- primal values where the reverse sweep needs them ---------------------------------------
    def new_scope(self, block: Block, rev_block: Block, parent: Optional[ReverseScope]) -> ReverseScope:
        scope = ReverseScope(block, rev_block, parent, self.recomputed.pop(block, None))
        scope.popped.update((k, v) for k, v in scope.forward_copies.items() if isinstance(v, Value))
        self.instances.setdefault(block, []).append(scope)
        for v in self.block_tapes.get(block, []):
            if v not in scope.popped:
                self._provide(scope, v)
        return scope

    def _provide(self, scope: ReverseScope, v) -> None:
        """Make taped value `v` of `scope`'s block available there: popped from its tape, or, for
        a derived value of a recomputed block (a checkpoint's), computed from the recomputation."""
        if isinstance(v, DerivedValue) and v.original in scope.forward_copies:
            scope.popped[v] = self.forward_of(v, scope)
        else:
            self._pop_into(scope, v)

    def forward_of(self, x, scope: Optional[ReverseScope]):
        """The copy of original value or block `x` that reverse instance `scope` mirrors:
        a recomputation's (inside a checkpointed region), else the forward sweep's."""
        if isinstance(x, DerivedValue):
            anchor = self.forward_of(x.anchor, scope) if x.anchor is not None else None
            return self._derived_copy(x, self.forward_of(x.original, scope), anchor)
        s = scope
        while s is not None:
            if x in s.forward_copies:
                return s.forward_copies[x]
            s = s.parent
        return self.mapping[x]

    def once_per_forward_copy(self, op: Operation, scope: ReverseScope, key: str, build):
        anchor = op.results[0] if op.results else op.regions[0].blocks[0]
        copy = self.forward_of(anchor, scope)
        fwd = copy.owner if op.results else copy.parent_op
        if (fwd, key) not in self.instrumented:
            self.instrumented[(fwd, key)] = build(fwd)
        return self.instrumented[(fwd, key)]

    def recompute_into(self, block: Block, rev_block: Block, scope: ReverseScope) -> None:
        """Clone primal `block` (a checkpointed region) at the end of `rev_block`; the next
        reverse instance of `block` takes its primal values from that copy instead of tapes,
        and loops nested in it push their tapes in that copy (so the forward sweep stores
        nothing of the region), each recomputation its own.  A region that reads or writes
        buffers is not recomputed (its MemoryEffects say so): memory may have changed
        since, and its stores must not run twice; its values are taped instead."""
        if _touches_buffers(block):
            return
        local: Dict = {}
        inside = set()
        for op in block.ops:
            for inner in op.walk():
                inside.update(inner.results)
                for r in inner.regions:
                    for bb in r.blocks:
                        inside.update(bb.arguments)
        for op in block.ops:
            for inner in op.walk():
                for v in inner.operands:
                    if v not in inside and v not in local:
                        local[v] = self.resolve(v, scope)
        seeded = set(local)
        b = Builder(body_end(rev_block), self.fn.location)
        for op in block.ops:
            if op.has_trait(Terminator):
                break
            b.insert(op.clone(local))
        self.recomputed[block] = {k: v for k, v in local.items() if k not in seeded}

    def new_tape(self, element_type, name: Optional[str] = None, location=None) -> Value:
        """A tape created at the entry of the generated function and freed before its return."""
        b = Builder(InsertionPoint.at_start(self.new_entry), location or self.fn.location)
        t = b.create(TapeCreateOp, result_types=[_tape_type(element_type)]).results[0]
        t.name_hint = name
        self.created_tapes.append(t)
        return t

    def adjoint_tape(self, tape: Value) -> Value:
        """The tape holding the adjoints of what original tape `tape` holds (created at entry)."""
        if tape not in self.adjoint_tapes:
            name = f"{tape.name_hint}_adjoint" if tape.name_hint else None
            self.adjoint_tapes[tape] = self.new_tape(tape.type.element, name)
        return self.adjoint_tapes[tape]

    def _pop_into(self, scope: ReverseScope, v: Value) -> None:
        """Pop original value `v` at the start of reverse instance `scope`, from the tape that
        the forward copy it mirrors fills."""
        loc = v.defining_op.location if v.defining_op is not None else self.fn.location
        tape = self._tape_of(self.forward_of(v, scope), v, loc)
        popped = Builder(InsertionPoint.at_start(scope.rev_block), loc).create(
            TapePopOp, tape, result_types=[v.type]).results[0]
        popped.name_hint = v.name_hint
        scope.popped[v] = popped

    def _tape_of(self, fwd: Value, v: Value, loc) -> Value:
        """The tape of forward copy `fwd` (of original `v`): created at entry, pushed right
        after `fwd` is computed, each time it is."""
        if fwd not in self.tapes:
            tape = self.new_tape(v.type, f"{v.name_hint}_tape" if v.name_hint else "tape", loc)
            self.tapes[fwd] = tape
            if isinstance(fwd, BlockArgument):
                pb = Builder(InsertionPoint.at_start(fwd.owner), loc)
            else:
                pb = Builder.after(fwd.owner)
            pb.create(TapePushOp, tape, fwd)
        return self.tapes[fwd]

    def _scope_of(self, v: Value, scope: ReverseScope):
        """(block of original `v`, the instance reversing it that encloses `scope`; the
        outermost one for the function's own block)."""
        block = v.owner.parent if not isinstance(v, BlockArgument) else v.owner
        s = scope
        while s.parent is not None and s.block is not block:
            s = s.parent
        return block, s

    def derived(self, kind, build, v: Value, type_, suffix: str, user: Optional[Operation], scope: ReverseScope,
                b: Builder) -> Value:
        """``build(builder, v)`` where reverse instance `scope` builds; `kind` names what it
        computes (one DerivedValue per kind and value).  Where `v` itself would come from a
        tape, the forward sweep computes the value beside `v` and tapes it instead, so the
        reverse of a loop reads sin's cosine rather than recomputing it, and a tensor's size
        rather than the tensor."""
        block, s = self._scope_of(v, scope)
        op = v.defining_op
        if s.parent is None or (op is not None and op.has_trait(ConstantLike)) or self._recomputing(scope, s):
            return build(b, self.resolve(v, scope))
        key = self.derived_values.get((kind, v))
        if key is None:
            anchor = user.results[0] if user is not None and user.results and user.parent is block else None
            key = self.derived_values[(kind, v)] = DerivedValue(build, v, anchor, type_, suffix)
        if key not in s.popped:
            self._tape(key, block)
        return s.popped[key]

    @staticmethod
    def _recomputing(scope: ReverseScope, outer: ReverseScope) -> bool:
        """Whether `scope` reverses a recomputation (a checkpoint's) of `outer`'s block or of a
        block between the two: a checkpoint stores only its inputs, so its factors are recomputed."""
        s = scope
        while True:
            if s.forward_copies:
                return True
            if s is outer or s.parent is None:
                return False
            s = s.parent

    def _derived_copy(self, key: DerivedValue, fwd: Value, anchor: Optional[Value]) -> Value:
        """`key` computed in a forward copy from `fwd` (that copy of its original), right
        after `anchor` (that copy of the asking op's result) or else after `fwd`."""
        value = self.derived_copies.get((key, fwd))
        if value is None:
            loc = key.defining_op.location if key.defining_op is not None else self.fn.location
            if anchor is not None:
                fb = Builder.after(anchor.owner)
            elif isinstance(fwd, BlockArgument):
                fb = Builder(InsertionPoint.at_start(fwd.owner), loc)
            else:
                fb = Builder.after(fwd.owner)
            value = key.build(fb, fwd)
            value.name_hint = key.name_hint
            self.derived_copies[(key, fwd)] = value
        return value

    def resolve(self, v: Value, scope: ReverseScope) -> Value:
        block, s = self._scope_of(v, scope)
        if s.parent is None:
            return self.mapping.get(v, v)
        if v not in s.popped:
            op = v.defining_op
            if op is not None and op.has_trait(ConstantLike):
                # cheaper to recompute than to store: clone the constant into the reverse region
                s.popped[v] = Builder(InsertionPoint.at_start(s.rev_block)).insert(op.clone({})).results[0]
            else:
                self._tape(v, block)
        return s.popped[v]

    def _tape(self, v: Value, block: Block) -> None:
        """Tape original value `v` of `block`: every reverse instance of the block pops it
        (those made later too), from the tape its forward copy pushes onto."""
        taped = self.block_tapes.setdefault(block, [])
        if v not in taped:
            taped.append(v)
        for scope in self.instances.get(block, []):
            if v not in scope.popped:
                self._provide(scope, v)


def _touches_buffers(block: Block) -> bool:
    """Whether an op in `block` reads, writes or frees a buffer (or says nothing of its effects)."""
    from irc.effects import memory_effects
    from irc.types import MemRefType

    for op in block.ops:
        for inner in op.walk():
            if inner.regions:
                continue
            effects = memory_effects(inner)
            if effects is None and not inner.has_trait(Terminator):
                return True
            if any(e.value is not None and isinstance(e.value.type, MemRefType) for e in effects or ()):
                return True
    return False


def _tape_type(t):
    from irc.dialects.ad import TapeType

    return TapeType.of(t)
