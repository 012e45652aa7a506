"""Memory effects: what an op does to memory (MLIR's MemoryEffectOpInterface).

An op's effects are a list of `EffectInstance`s: a kind (`READ`, `WRITE`,
`ALLOCATE`, `FREE`) on one of its operands or results, or on a named
resource (``"ad.tape"``, ``"io"``).  An empty list means no effect; None
means unknown (any effect, the answer for an op that says nothing).

Ops say it in one of three ways:
- a `MemoryEffects` model attached to the op class, for real effects::

      @MemoryEffects.implement(TapePushOp)
      class _(MemoryEffects):
          def effects(self, op):
              return [EffectInstance(WRITE, op.tape)]

- the shorthand traits: `Pure` (no effects, speculatable), `NoMemoryEffect`
  (no effects, not speculatable: integer division traps on zero),
  `RecursiveMemoryEffects` (the effects of the ops in its regions);
- nothing: unknown effects, so no pass moves or drops the op.

`is_side_effect_free`, `is_pure` (also speculatable, so LICM may hoist it)
and `is_trivially_dead` derive from it; CSE, DCE, LICM and the rewrite
driver ask only these.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import List, Optional

from .interfaces import OpInterface
from .traits import NoMemoryEffect, Pure, RecursiveMemoryEffects, ReturnLike, Terminator

READ = "read"
WRITE = "write"
ALLOCATE = "allocate"
FREE = "free"
EFFECT_KINDS = (READ, WRITE, ALLOCATE, FREE)


@dataclass(frozen=True)
class EffectInstance:
    """One effect: `kind` on `value` (an operand or result of the op), or on `resource`."""

    kind: str
    value: object = None
    resource: str = "default"

    def __post_init__(self):
        if self.kind not in EFFECT_KINDS:
            raise ValueError(f"unknown memory effect '{self.kind}' (expected one of {', '.join(EFFECT_KINDS)})")


class MemoryEffects(OpInterface):
    """The memory effects of an op, and whether it may be executed speculatively."""

    interface_name = "MemoryEffectOpInterface"

    def effects(self, op) -> Optional[List[EffectInstance]]:
        """The op's own effects ([] none, None unknown)."""
        return None

    def speculatable(self, op) -> bool:
        """May run where the original program would not have run it (hoisted out of a loop)."""
        return False

    @classmethod
    def _fallback(cls, op):
        traits = op.traits
        if RecursiveMemoryEffects in traits:
            return _RECURSIVE
        if Pure in traits:
            return _PURE
        if NoMemoryEffect in traits:
            return _NO_EFFECT
        return None


class _PureModel(MemoryEffects):
    """The `Pure` trait: no effects, speculatable."""

    def effects(self, op):
        return []

    def speculatable(self, op) -> bool:
        return True


class _NoEffectModel(MemoryEffects):
    """The `NoMemoryEffect` trait: no effects, but not speculatable."""

    def effects(self, op):
        return []


class _RecursiveModel(MemoryEffects):
    """The `RecursiveMemoryEffects` trait: the union of the nested ops' effects.
    Speculatable when the op itself is `Pure` and everything nested is too."""

    def effects(self, op):
        out: List[EffectInstance] = []
        for inner in _nested(op):
            e = memory_effects(inner)
            if e is None:
                return None
            out.extend(e)
        return out

    def speculatable(self, op) -> bool:
        return all(is_pure(inner) for inner in _nested(op))


_PURE, _NO_EFFECT, _RECURSIVE = _PureModel(), _NoEffectModel(), _RecursiveModel()


def _nested(op):
    """The ops directly in `op`'s regions, except the terminators that return to it."""
    for region in op.regions:
        for block in region.blocks:
            for inner in block.ops:
                if Terminator in inner.traits and ReturnLike in inner.traits:
                    continue
                yield inner


def memory_effects(op) -> Optional[List[EffectInstance]]:
    """`op`'s effects including what its regions do for RecursiveMemoryEffects ops
    ([] none, None unknown)."""
    m = MemoryEffects.model(op)
    return None if m is None else m.effects(op)


def is_side_effect_free(op) -> bool:
    """No effects at all: safe to erase when unused or to merge with an equal op (DCE, CSE)."""
    return memory_effects(op) == []


def is_pure(op) -> bool:
    """No effects and speculatable: safe to hoist out of a loop (LICM)."""
    m = MemoryEffects.model(op)
    return m is not None and m.effects(op) == [] and m.speculatable(op)


def is_trivially_dead(op) -> bool:
    """Removable when its results are unused: not a terminator, and its only effects
    are reads or allocations of its own results (MLIR's wouldOpBeTriviallyDead)."""
    if Terminator in op.traits:
        return False
    for r in op.results:
        if r.uses:
            return False
    effects = memory_effects(op)
    if effects is None:
        return False
    return all(e.kind == READ or (e.kind == ALLOCATE and e.value in op.results) for e in effects)
