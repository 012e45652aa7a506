"""Derivative rules of the memref ops: shadow buffers (Enzyme's duplicated memory).

A buffer of floats that carries derivatives has a *shadow* of the same type:
the caller's for a ``dup`` argument (an ``ad`` op lists a memref argument in
``wrt``, docs/ad.md), a fresh zero-filled one for a buffer the function
allocates, the same view of the source's shadow for a view (subview, cast,
reshapes).  Every load and store of such a buffer gets its shadow twin:

- forward mode: the shadow holds tangents. ``load m[i]`` has tangent
  ``load dm[i]``; ``store v, m[i]`` also stores v's tangent (or zero) into
  ``dm[i]``; ``copy`` copies the shadows.
- reverse mode: the shadow holds adjoints of memory locations.  The reverse
  of ``y = load m[i]`` is ``dm[i] += ȳ``; the reverse of ``store v, m[i]`` is
  ``v̄ += dm[i]; dm[i] = 0`` (the old contents no longer reach anything), so a
  location written several times, or read and written in place by a loop,
  gets each write's adjoint, never a later one's.  The reverse sweep never
  reads primal memory: what it needs of a load is the loaded SSA value,
  which the forward sweep keeps (taped inside loops), so a location that is
  overwritten later does not change the derivative.

The reverse sweep makes the shadow of a local buffer or view where it is
first needed (`ReverseTransform.shadow`): for an op whose result the
`MemoryEffects` interface says it allocates, a zero-filled clone; for any
other op taking buffers, the op applied to their shadows.
"""

from __future__ import annotations

from typing import Callable, List, Optional

from ..ad_interfaces import jvp, vjp
from ..ad_types import full
from ..core import Value
from ..effects import ALLOCATE, memory_effects
from ..types import DYNAMIC, index, is_float_buffer
from .memref import STACK_RESOURCE, AllocaOp, AllocOp, AtomicRMWOp, CastOp, CopyOp, DeallocOp, DimOp, LoadOp, StoreOp
from .memref_views import CollapseShapeOp, ExpandShapeOp, ReinterpretCastOp, ReshapeOp, SubViewOp

VIEW_OPS = (CastOp, SubViewOp, ReinterpretCastOp, CollapseShapeOp, ExpandShapeOp, ReshapeOp)


def allocates(op, v: Value) -> Optional[str]:
    """The resource `op` allocates `v` on (its MemoryEffects), or None."""
    for e in memory_effects(op) or ():
        if e.kind == ALLOCATE and e.value is v:
            return e.resource
    return None


def for_each_element(b, buffer: Value, body: Callable[[object, List[Value]], None]) -> None:
    """A loop nest over every element of `buffer` (``scf.for`` per dimension, sizes from
    ``memref.dim`` where dynamic); `body(builder, indices)` fills the innermost block."""
    from .arith import ConstantOp
    from .scf import ForOp

    def constant(k):
        return b.insert(ConstantOp.create(k, index, location=b.location)).results[0]

    t = buffer.type
    zero, one = constant(0), constant(1)
    sizes = [b.create(DimOp, buffer, constant(d)).results[0] if n == DYNAMIC else constant(n)
             for d, n in enumerate(t.shape)]

    def nest(builder, depth, indices):
        if depth == len(sizes):
            body(builder, indices)
            return []
        builder.insert(ForOp.create(zero, sizes[depth], one, location=builder.location,
                                    body_builder=lambda inner, iv, _args: nest(inner, depth + 1, indices + [iv])))
        return []

    nest(b, 0, [])


def zero_fill(b, buffer: Value) -> None:
    """Store 0.0 into every element of `buffer` (a fresh shadow)."""
    zero = full(b, 0.0, buffer.type.element_type)
    for_each_element(b, buffer, lambda inner, idx: inner.create(StoreOp, zero, buffer, idx))


def no_shadow_error(op, what: str):
    """The located error for `op` doing `what` ("stores an active value into") a buffer that
    has no shadow (a constant memref argument)."""
    return op.emit_error(
        f"{what} a buffer without derivatives (a memref argument not listed in 'wrt' is constant); "
        "list it in 'wrt' to give it a shadow buffer")


def _clone_on(ctx, op, mapping) -> Value:
    """`op` cloned where the rule builds, its operands mapped (buffers to shadows)."""
    return ctx.b.insert(op.clone(mapping)).results[0]


# ----------------------------------------------------------------------------
# forward mode: tangents of buffers are shadow buffers (the `tangents` of the operands)


@jvp(LoadOp)
def _load_jvp(ctx, op, t):
    if t[0] is None:
        raise no_shadow_error(op, "loads an active value from")
    return [ctx.emit(LoadOp, t[0], [ctx.primal(i) for i in op.indices])]


@jvp(StoreOp, always=True)
def _store_jvp(ctx, op, t):
    if t[1] is None:
        if t[0] is not None:
            raise no_shadow_error(op, "stores an active value into")
        return []
    tangent = t[0] if t[0] is not None else ctx.zero(op.value.type)
    ctx.b.create(StoreOp, tangent, t[1], [ctx.primal(i) for i in op.indices])
    return []


@jvp(AllocOp, AllocaOp)
def _alloc_jvp(ctx, op, t):
    shadow = _clone_on(ctx, op, {v: ctx.primal(v) for v in op.operands})
    zero_fill(ctx.b, shadow)
    return [shadow]


@jvp(DeallocOp, always=True)
def _dealloc_jvp(ctx, op, t):
    if t[0] is not None:
        ctx.b.create(DeallocOp, t[0])
    return []


def _view_jvp(ctx, op, t):
    mapping = {}
    for v, tv in zip(op.operands, t):
        if is_float_buffer(v.type):
            if tv is None:
                raise no_shadow_error(op, "views")
            mapping[v] = tv
        else:
            mapping[v] = ctx.primal(v)
    return [_clone_on(ctx, op, mapping)]


jvp(*VIEW_OPS)(_view_jvp)


@jvp(CopyOp, always=True)
def _copy_jvp(ctx, op, t):
    if t[1] is None:
        if t[0] is not None:
            raise no_shadow_error(op, "copies active values into")
        return []
    if t[0] is None:
        zero_fill(ctx.b, t[1])
    else:
        ctx.b.create(CopyOp, t[0], t[1])
    return []


@jvp(AtomicRMWOp, always=True)
def _atomic_rmw_jvp(ctx, op, t):
    if op.kind_name != "addf":
        raise op.emit_error(f"has no derivative rule for kind '{op.kind_name}' (only 'addf')")
    if t[1] is None:
        if t[0] is not None:
            raise no_shadow_error(op, "adds an active value into")
        return [None]
    tangent = t[0] if t[0] is not None else ctx.zero(op.value.type)
    return [ctx.b.create(AtomicRMWOp, tangent, t[1], [ctx.primal(i) for i in op.indices],
                         attributes={"kind": op.attributes["kind"]}).results[0]]


# ----------------------------------------------------------------------------
# reverse mode: shadows hold the adjoints of memory locations


def _indices(ctx, op) -> List[Value]:
    return [ctx.primal(i) for i in op.indices]


def _add_into(ctx, shadow: Value, indices, adjoint: Value) -> None:
    """``shadow[indices] += adjoint``."""
    old = ctx.emit(LoadOp, shadow, indices)
    ctx.b.create(StoreOp, ctx.add(old, adjoint), shadow, indices)


@vjp(LoadOp)
def _load_vjp(ctx, op, ct):
    if ct[0] is not None:
        _add_into(ctx, ctx.shadow(op.memref), _indices(ctx, op), ct[0])
    return [None] * len(op.operands)


@vjp(StoreOp, always=True)
def _store_vjp(ctx, op, ct):
    out = [None] * len(op.operands)
    if not ctx.is_active(op.memref):
        return out
    shadow, idx = ctx.shadow(op.memref), _indices(ctx, op)
    if ctx.is_active(op.value):
        out[0] = ctx.emit(LoadOp, shadow, idx)
    # the old contents are overwritten: their adjoint is zero from here back
    ctx.b.create(StoreOp, ctx.zero(op.value.type), shadow, idx)
    return out


@vjp(AllocOp, AllocaOp, always=True)
def _alloc_vjp(ctx, op, ct):
    """The reverse of an allocation ends its shadow's life (heap shadows are freed)."""
    shadow = ctx.existing_shadow(op.results[0])
    if shadow is not None and allocates(op, op.results[0]) != STACK_RESOURCE:
        ctx.b.create(DeallocOp, shadow)
    return [None] * len(op.operands)


@vjp(*VIEW_OPS)
def _view_vjp(ctx, op, ct):
    """Nothing flows back through a view's SSA value: its uses act on the shadow view."""
    return [None] * len(op.operands)


@vjp(CopyOp, always=True)
def _copy_vjp(ctx, op, ct):
    if not ctx.is_active(op.target):
        return [None, None]
    target = ctx.shadow(op.target)
    source = ctx.shadow(op.source) if ctx.is_active(op.source) else None
    zero = full(ctx.b, 0.0, op.target.type.element_type)

    def body(b, idx):
        if source is not None:
            t = b.create(LoadOp, target, idx).results[0]
            s = b.create(LoadOp, source, idx).results[0]
            from .arith import AddFOp

            b.create(StoreOp, b.create(AddFOp, s, t).results[0], source, idx)
        b.create(StoreOp, zero, target, idx)

    for_each_element(ctx.b, target, body)
    return [None, None]


@vjp(AtomicRMWOp, always=True)
def _atomic_rmw_vjp(ctx, op, ct):
    if op.kind_name != "addf":
        raise op.emit_error(f"has no derivative rule for kind '{op.kind_name}' (only 'addf')")
    out = [None] * len(op.operands)
    if not ctx.is_active(op.memref):
        return out
    shadow, idx = ctx.shadow(op.memref), _indices(ctx, op)
    if ctx.is_active(op.value):
        out[0] = ctx.emit(LoadOp, shadow, idx)  # new = old + value: the value gets the new one's adjoint
    if ct[0] is not None:
        _add_into(ctx, shadow, idx, ct[0])  # the returned old value was read here
    return out
