"""The memref dialect: buffers in MLIR 22's syntax, and their run-time meaning.

The first ops of the dialect (the arrays issue adds the rest): ``alloc``,
``alloca``, ``dealloc``, ``load``, ``store``, ``dim`` and ``cast``, with
MLIR's assembly formats and verifier wording::

    %m = memref.alloc(%n) {alignment = 64 : i64} : memref<?xf64>
    %v = memref.load %m[%i] : memref<?xf64>
    memref.store %v, %m[%j] : memref<?xf64>
    %d = memref.dim %m, %c0 : memref<?xf64>
    %c = memref.cast %m : memref<?xf64> to memref<4xf64>
    memref.dealloc %m : memref<?xf64>

At run time a memref is an `irc.memory.MemRef`: a numpy view over an
allocation that knows whether it is live, so the interpreter rules below
check bounds, use after free and double free (see ``ir/memory.py``).

The layout helpers (`strides_and_offset`, `cast_compatible`) are MLIR's
``getStridesAndOffset`` and ``CastOp::areCastCompatible``; the backends use
the first for the descriptor's strides.
"""

from __future__ import annotations

from typing import List, Optional, Tuple

from ..attributes import (
    AffineBinary,
    AffineConstant,
    AffineDim,
    AffineMapAttr,
    AffineSymbol,
    IntegerAttr,
    StridedLayoutAttr,
    bool_attr,
)
from ..assembly_format import EnumSyntax
from ..location import UNKNOWN
from ..opdef import AnyType, Attr, Dialect, Index, Op, Operand, Result, TypeConstraint
from ..traits import AutomaticAllocationScope, NoMemoryEffect, Pure
from ..types import DYNAMIC, FloatType, IntegerType, MemRefType, Type, index

class MemRefDialect(Dialect):
    """The memref dialect; folded index values (``memref.dim``, ``memref.rank``) become
    ``arith.constant`` ops, as MLIR materializes them."""

    def materialize_constant(self, builder, value, type, location=UNKNOWN):
        from .arith import arith

        return arith.materialize_constant(builder, value, type, location)


memref = MemRefDialect("memref", "buffers: allocation, loads and stores, views")

RankedMemRef = TypeConstraint(
    "memref of any type values", lambda t: isinstance(t, MemRefType) and t.shape is not None
)
RankedOrUnrankedMemRef = TypeConstraint("ranked or unranked memref of any type values", lambda t: isinstance(t, MemRefType))
NonZeroRankedOrUnrankedMemRef = TypeConstraint(
    "unranked.memref of any type values or non-0-ranked.memref of any type values",
    lambda t: isinstance(t, MemRefType) and (t.shape is None or len(t.shape) > 0),
)

_POWER_OF_TWO = "64-bit signless integer attribute whose value is positive and whose value is a power of two > 0"


def _verify_alignment(op) -> None:
    """MLIR's ``ConfinedAttr<OptionalAttr<I64Attr>, [IntPositive, IntPowerOf2]>``."""
    a = op.attributes.get("alignment")
    if a is None:
        return
    ok = isinstance(a, IntegerAttr) and a.type == IntegerType(64) and a.value > 0 and a.value & (a.value - 1) == 0
    if not ok:
        raise op.emit_error(f"attribute 'alignment' failed to satisfy constraint: {_POWER_OF_TWO}")


# ----------------------------------------------------------------------------
# layouts


def _linear_terms(expr, num_dims: int):
    """`expr` as (coefficient per dim, offset), each an int or DYNAMIC (a symbol);
    None when `expr` is not a sum of dims times constants or symbols."""
    if isinstance(expr, AffineConstant):
        return [0] * num_dims, expr.value
    if isinstance(expr, AffineSymbol):
        return [0] * num_dims, DYNAMIC
    if isinstance(expr, AffineDim):
        coeffs = [0] * num_dims
        coeffs[expr.position] = 1
        return coeffs, 0
    if not isinstance(expr, AffineBinary) or expr.op not in ("+", "*"):
        return None
    lhs, rhs = _linear_terms(expr.lhs, num_dims), _linear_terms(expr.rhs, num_dims)
    if lhs is None or rhs is None:
        return None

    def add(a, b):
        return DYNAMIC if DYNAMIC in (a, b) else a + b

    if expr.op == "+":
        return [add(a, b) for a, b in zip(lhs[0], rhs[0])], add(lhs[1], rhs[1])
    # a product is linear when one side is a constant or a symbol (no dims)
    for factor, other in ((lhs, rhs), (rhs, lhs)):
        if not any(factor[0]):
            k = factor[1]

            def mul(a):
                return 0 if a == 0 else (DYNAMIC if DYNAMIC in (a, k) else a * k)

            return [mul(c) for c in other[0]], mul(other[1])
    return None


def identity_strides(shape) -> List[int]:
    """Row-major strides of `shape` (DYNAMIC from the first dynamic size outward)."""
    strides, running = [], 1
    for size in reversed(shape):
        strides.append(running)
        running = DYNAMIC if DYNAMIC in (running, size) else running * size
    return strides[::-1]


def strides_and_offset(t: MemRefType) -> Optional[Tuple[List[int], int]]:
    """MLIR's ``getStridesAndOffset``: the strides and offset of a ranked memref
    type's layout (DYNAMIC where unknown), or None for a non-strided layout."""
    layout = t.layout
    if layout is None:
        return identity_strides(t.shape), 0
    if isinstance(layout, StridedLayoutAttr):
        return list(layout.strides), layout.offset
    if isinstance(layout, AffineMapAttr) and len(layout.results) == 1 and layout.num_dims == len(t.shape):
        terms = _linear_terms(layout.results[0], layout.num_dims)
        return (list(terms[0]), terms[1]) if terms is not None else None
    return None


def layout_symbol_count(t: MemRefType) -> int:
    """Symbols of the layout's affine form (what ``alloc``'s ``[...]`` operands bind)."""
    layout = t.layout
    if isinstance(layout, AffineMapAttr):
        return layout.num_symbols
    if isinstance(layout, StridedLayoutAttr):
        return sum(1 for s in layout.strides if s == DYNAMIC) + (layout.offset == DYNAMIC)
    return 0


def cast_compatible(a: Type, b: Type) -> bool:
    """MLIR's ``memref::CastOp::areCastCompatible``: same element type and memory
    space; for two ranked types the same rank, static sizes, strides and offset
    agreeing wherever both are static; one side may be unranked, not both."""
    if not (isinstance(a, MemRefType) and isinstance(b, MemRefType)):
        return False
    if a == b:
        return True
    if a.element_type != b.element_type or a.memory_space != b.memory_space:
        return False
    if a.shape is None and b.shape is None:
        return False
    if a.shape is None or b.shape is None:
        return True

    def agree(x, y):
        return DYNAMIC in (x, y) or x == y

    if len(a.shape) != len(b.shape) or not all(agree(x, y) for x, y in zip(a.shape, b.shape)):
        return False
    if a.layout != b.layout:
        sa, sb = strides_and_offset(a), strides_and_offset(b)
        if sa is None or sb is None or len(sa[0]) != len(sb[0]):
            return False
        if not agree(sa[1], sb[1]) or not all(agree(x, y) for x, y in zip(sa[0], sb[0])):
            return False
    return True


# ----------------------------------------------------------------------------
# ops


class _AllocLikeOp(Op):
    """``memref.alloc``/``alloca``: ``(dynamic sizes)[layout symbols] {alignment} : type``."""

    __slots__ = ()
    operand_defs = (Operand("dynamicSizes", Index, variadic=True), Operand("symbolOperands", Index, variadic=True))
    result_defs = (Result("memref", RankedMemRef),)
    attribute_defs = (Attr("alignment", IntegerAttr, optional=True),)
    format = "`(` $dynamicSizes `)` (`` `[` $symbolOperands^ `]`)? attr-dict `:` type($memref)"

    @property
    def memref_type(self) -> MemRefType:
        return self.results[0].type

    def verify(self) -> None:
        _verify_alignment(self)
        t = self.memref_type
        expected = sum(1 for d in t.shape if d == DYNAMIC)
        if len(self.dynamicSizes) != expected:
            raise self.emit_error(f"incorrect number of dynamic sizes, has {len(self.dynamicSizes)}, expected {expected}")
        symbols = layout_symbol_count(t)
        if len(self.symbolOperands) != symbols:
            raise self.emit_error(
                f"symbol operand count does not equal memref symbol count: expected {symbols}, "
                f"got {len(self.symbolOperands)}"
            )

    @classmethod
    def create(cls, memref_type: MemRefType, dynamic_sizes=(), symbols=(), alignment: Optional[int] = None, location=None):
        """An allocation of `memref_type` (one size operand per `?`)."""
        kw = {} if location is None else {"location": location}
        attrs = {"alignment": IntegerAttr(alignment, IntegerType(64))} if alignment is not None else {}
        return cls.build(list(dynamic_sizes), list(symbols), result_types=[memref_type], attributes=attrs, **kw)


@memref.op
class AllocOp(_AllocLikeOp):
    """Allocates a buffer on the heap; `memref.dealloc` frees it."""

    name = "memref.alloc"
    summary = "memory allocation operation"


@memref.op
class AllocaOp(_AllocLikeOp):
    """Allocates a buffer freed when control leaves the nearest enclosing op with
    AutomaticAllocationScope (a function, an scf loop body)."""

    name = "memref.alloca"
    summary = "stack memory allocation operation"

    def verify(self) -> None:
        super().verify()
        parent = self.parent_op
        while parent is not None and AutomaticAllocationScope not in parent.traits:
            parent = parent.parent_op
        if parent is None:
            raise self.emit_error("requires an ancestor op with AutomaticAllocationScope trait")


@memref.op
class DeallocOp(Op):
    """Frees a buffer made by `memref.alloc`."""

    name = "memref.dealloc"
    summary = "memory deallocation operation"
    operand_defs = (Operand("memref", RankedOrUnrankedMemRef),)
    format = "$memref attr-dict `:` type($memref)"


class _AccessOp(Op):
    """Common checks of `memref.load` and `memref.store`."""

    __slots__ = ()
    # what the element-type check says (MLIR's TypesMatchWith description)
    type_match = ""

    def verify(self) -> None:
        _verify_alignment(self)
        t = self.memref.type
        if len(self.indices) != len(t.shape):
            raise self.emit_error(self.index_count_message(len(t.shape), len(self.indices)))
        if self.accessed_value.type != t.element_type:
            raise self.emit_error(f"failed to verify that {self.type_match}")


_ACCESS_ATTRS = (
    Attr("nontemporal", IntegerAttr, default=bool_attr(False)),
    Attr("alignment", IntegerAttr, optional=True),
)


@memref.op
class LoadOp(_AccessOp):
    """Reads one element: ``memref.load %m[%i, %j] : memref<4x?xf64>``."""

    name = "memref.load"
    summary = "load operation"
    operand_defs = (Operand("memref", RankedMemRef), Operand("indices", Index, variadic=True))
    result_defs = (Result("result", AnyType),)
    attribute_defs = _ACCESS_ATTRS
    format = "$memref `[` $indices `]` attr-dict `:` type($memref)"
    type_match = "result type matches element type of 'memref'"

    @staticmethod
    def index_count_message(rank: int, count: int) -> str:
        return f"incorrect number of indices for load, expected {rank} but got {count}"

    @property
    def accessed_value(self):
        return self.results[0]

    @classmethod
    def infer_result_types(cls, operand_types, attributes, regions=()):
        return [operand_types[0].element_type]


@memref.op
class StoreOp(_AccessOp):
    """Writes one element: ``memref.store %v, %m[%i] : memref<?xf64>``."""

    name = "memref.store"
    summary = "store operation"
    operand_defs = (
        Operand("value", AnyType),
        Operand("memref", RankedMemRef),
        Operand("indices", Index, variadic=True),
    )
    attribute_defs = _ACCESS_ATTRS
    format = "$value `,` $memref `[` $indices `]` attr-dict `:` type($memref)"
    type_match = "type of 'value' matches element type of 'memref'"

    @staticmethod
    def index_count_message(rank: int, count: int) -> str:
        return "store index operand count not equal to memref rank"  # MLIR 22's wording

    @property
    def accessed_value(self):
        return self.value


@memref.op
class DimOp(Op):
    """The size of one dimension: ``memref.dim %m, %c0 : memref<?xf64>``."""

    name = "memref.dim"
    summary = "dimension index operation"
    operand_defs = (Operand("source", NonZeroRankedOrUnrankedMemRef), Operand("index", Index))
    result_defs = (Result("result", Index),)
    traits = frozenset({NoMemoryEffect})
    format = "attr-dict $source `,` $index `:` type($source)"

    @classmethod
    def infer_result_types(cls, operand_types, attributes, regions=()):
        return [index]

    def fold(self, operands):
        """A static dimension is a constant; a dynamic one of a fresh allocation is its
        size operand."""
        t, i = self.source.type, operands[1]
        if not isinstance(i, IntegerAttr) or t.shape is None or not 0 <= i.value < len(t.shape):
            return None
        if t.shape[i.value] != DYNAMIC:
            return [IntegerAttr(t.shape[i.value], index)]
        alloc = self.source.owner
        if isinstance(alloc, _AllocLikeOp):
            return [alloc.dynamicSizes[sum(1 for d in t.shape[:i.value] if d == DYNAMIC)]]
        return None


@memref.op
class CastOp(Op):
    """A view of the same buffer with a compatible type (sizes, strides or
    offset made static or dynamic, rank erased or restored)."""

    name = "memref.cast"
    summary = "memref cast operation"
    operand_defs = (Operand("source", RankedOrUnrankedMemRef),)
    result_defs = (Result("dest", RankedOrUnrankedMemRef),)
    traits = frozenset({Pure})
    format = "$source attr-dict `:` type($source) `to` type($dest)"

    def verify(self) -> None:
        a, b = self.source.type, self.results[0].type
        if not cast_compatible(a, b):
            raise self.emit_error(f"operand type '{a}' and result type '{b}' are cast incompatible")


    def fold(self, operands):
        """A cast to the source's own type, or back through another cast to it, is the source."""
        from .view_like import fold_round_trip

        return fold_round_trip(self)


@memref.op
class CopyOp(Op):
    """Copies every element of `source` into `target` (same shape, any layouts)."""

    name = "memref.copy"
    summary = "copies the data from the source to the destination memref"
    operand_defs = (Operand("source", RankedOrUnrankedMemRef), Operand("target", RankedOrUnrankedMemRef))
    format = "$source `,` $target attr-dict `:` type($source) `to` type($target)"

    def verify(self) -> None:
        a, b = self.source.type, self.target.type
        if a.element_type != b.element_type:
            raise self.emit_error("failed to verify that source and target have the same element type")
        if a.shape is not None and b.shape is not None and (
                len(a.shape) != len(b.shape)
                or any(x != y and DYNAMIC not in (x, y) for x, y in zip(a.shape, b.shape))):
            raise self.emit_error("requires the same shape for all operands")


@memref.op
class RankOp(Op):
    """The rank of a memref (an index)."""

    name = "memref.rank"
    summary = "rank operation"
    operand_defs = (Operand("memref", RankedOrUnrankedMemRef),)
    result_defs = (Result("result", Index),)
    traits = frozenset({Pure})
    format = "$memref attr-dict `:` type($memref)"

    @classmethod
    def infer_result_types(cls, operand_types, attributes, regions=()):
        return [index]

    def fold(self, operands):
        """A ranked memref's rank is a constant."""
        t = self.memref.type
        return [IntegerAttr(len(t.shape), index)] if t.shape is not None else None


# MLIR's AtomicRMWKind, in its order (the attribute holds the position)
ATOMIC_RMW_KINDS = ("addf", "addi", "andi", "assign", "maximumf", "maxnumf", "maxs", "maxu", "minimumf",
                    "minnumf", "mins", "minu", "mulf", "muli", "ori", "xori")
_FLOAT_KINDS = {"addf", "maximumf", "maxnumf", "minimumf", "minnumf", "mulf"}
_INTEGER_KINDS = {"addi", "andi", "maxs", "maxu", "mins", "minu", "muli", "ori", "xori"}


@memref.op
class AtomicRMWOp(Op):
    """Atomically combines `value` into the element at `indices` with `kind`; the
    result is the element's old value."""

    name = "memref.atomic_rmw"
    summary = "atomic read-modify-write operation"
    operand_defs = (Operand("value", AnyType), Operand("memref", RankedMemRef), Operand("indices", Index, variadic=True))
    result_defs = (Result("result", AnyType),)
    attribute_defs = (Attr("kind", IntegerAttr, syntax=EnumSyntax(ATOMIC_RMW_KINDS)),)
    format = "$kind $value `,` $memref `[` $indices `]` attr-dict `:` `(` type($value) `,` type($memref) `)` `->` type($result)"

    @property
    def kind_name(self) -> str:
        k = self.attributes["kind"].value
        return ATOMIC_RMW_KINDS[k] if 0 <= k < len(ATOMIC_RMW_KINDS) else str(k)

    def verify(self) -> None:
        t = self.memref.type
        if len(self.indices) != len(t.shape):
            raise self.emit_error("expects the number of subscripts to be equal to memref rank")
        if self.value.type != t.element_type or self.results[0].type != t.element_type:
            raise self.emit_error("failed to verify that value type matches element type of memref")
        kind = self.kind_name
        if kind in _FLOAT_KINDS and not isinstance(self.value.type, FloatType):
            raise self.emit_error(f"with kind '{kind}' expects a floating-point type")
        if kind in _INTEGER_KINDS and not isinstance(self.value.type, IntegerType):
            raise self.emit_error(f"with kind '{kind}' expects an integer type")



# ----------------------------------------------------------------------------
# canonicalization

from ..rewrite import RewritePattern  # noqa: E402


class EraseDeadAllocation(RewritePattern):
    """A buffer that is only stored into and freed is never read: erase it with
    those stores and deallocs (MLIR's SimplifyDeadAlloc)."""

    root = None

    def match_and_rewrite(self, op, rewriter) -> bool:
        buffer = op.results[0]
        users = list(dict.fromkeys(buffer.users))
        if not all(isinstance(u, DeallocOp) or (isinstance(u, StoreOp) and u.value is not buffer) for u in users):
            return False
        for u in users:
            rewriter.erase_op(u)
        rewriter.erase_op(op)
        return True


AllocOp.canonicalization_patterns = AllocaOp.canonicalization_patterns = (EraseDeadAllocation(),)


# ----------------------------------------------------------------------------
# memory effects (MLIR's MemAlloc / MemFree / MemRead / MemWrite on these operands)

from ..effects import ALLOCATE, FREE, READ, WRITE, EffectInstance, MemoryEffects  # noqa: E402

# alloca's buffers live in the enclosing allocation scope, as MLIR's resource says
STACK_RESOURCE = "AutomaticAllocationScopeResource"


class _OperandEffects(MemoryEffects):
    """One effect of `kind` on what `target(op)` names (an operand or result)."""

    def __init__(self, kind: str, target, resource: str = "default"):
        self.kind, self.target, self.resource = kind, target, resource

    def effects(self, op):
        return [EffectInstance(self.kind, self.target(op), self.resource)]


for _op, _model in (
    (AllocOp, _OperandEffects(ALLOCATE, lambda op: op.results[0])),
    (AllocaOp, _OperandEffects(ALLOCATE, lambda op: op.results[0], STACK_RESOURCE)),
    (DeallocOp, _OperandEffects(FREE, lambda op: op.memref)),
    (LoadOp, _OperandEffects(READ, lambda op: op.memref)),
    (StoreOp, _OperandEffects(WRITE, lambda op: op.memref)),
):
    MemoryEffects.attach(_op, _model)


class _ReadsAndWrites(MemoryEffects):
    """Reads what `read(op)` names and writes what `write(op)` names."""

    def __init__(self, read, write):
        self.read, self.write = read, write

    def effects(self, op):
        return [EffectInstance(READ, self.read(op)), EffectInstance(WRITE, self.write(op))]


for _op, _model in (
    (CopyOp, _ReadsAndWrites(lambda op: op.source, lambda op: op.target)),
    (AtomicRMWOp, _ReadsAndWrites(lambda op: op.memref, lambda op: op.memref)),
):
    MemoryEffects.attach(_op, _model)


# ----------------------------------------------------------------------------
# interpreter rules (the memory model is ir/memory.py)

from .. import memory  # noqa: E402
from ..interpreter import interpret, runtime_error, to_unsigned, wrap  # noqa: E402


def _layout_of(op, t: MemRefType, sizes, symbols):
    """(strides, offset) in elements for a fresh buffer of `t`, or (None, 0) for
    the identity layout; symbol operands bind the layout's symbols."""
    if t.layout is None:
        return None, 0
    if isinstance(t.layout, StridedLayoutAttr):
        values = iter(symbols)
        offset = next(values) if t.layout.offset == DYNAMIC else t.layout.offset
        strides = [next(values) if s == DYNAMIC else s for s in t.layout.strides]
    elif strides_and_offset(t) is not None:
        m = t.layout
        offset = m.evaluate([0] * m.num_dims, symbols)[0]
        strides = [m.evaluate([int(k == d) for k in range(m.num_dims)], symbols)[0] - offset for d in range(m.num_dims)]
    else:
        raise runtime_error(op, f"cannot lay out a buffer with the non-strided layout {t.layout}")
    if offset < 0 or any(s < 0 for s in strides):
        raise runtime_error(op, f"cannot lay out a buffer with negative strides or offset (strides {strides}, "
                                f"offset {offset})")
    return strides, offset


def _interpret_alloc_like(kind):
    def rule(interp, op, args):
        t = op.memref_type
        dynamic = iter(args[:len(op.dynamicSizes)])
        sizes = [next(dynamic) if d == DYNAMIC else d for d in t.shape]
        for d, n in enumerate(sizes):
            if n < 0:
                raise runtime_error(op, f"dynamic size {n} of dimension {d} is negative")
        strides, offset = _layout_of(op, t, sizes, args[len(op.dynamicSizes):])
        try:
            return [interp.memory.allocate(op, t, sizes, strides, offset, kind=kind)]
        except TypeError as e:  # no numpy dtype for the element type
            raise runtime_error(op, f"cannot interpret memrefs of {t.element_type}: {e}") from None

    return rule


interpret.register_value(AllocOp, _interpret_alloc_like("heap"))
interpret.register_value(AllocaOp, _interpret_alloc_like("stack"))


@interpret.register(DeallocOp)
def _interpret_dealloc(interp, op, args):
    interp.memory.free(op, args[0])
    return []


@interpret.register(LoadOp)
def _interpret_load(interp, op, args):
    m = args[0]
    v = m.array[memory.element_index(op, m, args[1:])]
    # integers travel as Python ints in their signed range (unsigned buffers hold the bits)
    return [wrap(int(v), op.results[0].type) if m.array.dtype.kind in "biu" else v]


@interpret.register(StoreOp)
def _interpret_store(interp, op, args):
    v, m = args[0], args[1]
    if m.array.dtype.kind == "u":
        v = to_unsigned(v, op.value.type)
    m.array[memory.writable_index(op, m, args[2:])] = v
    return []


@interpret.register(DimOp)
def _interpret_dim(interp, op, args):
    m, d = args
    memory.check_live(op, m)
    if not 0 <= d < m.array.ndim:
        raise runtime_error(op, f"dimension index {d} is out of range for a memref of rank {m.array.ndim}")
    return [m.array.shape[d]]


@interpret.register(CastOp)
def _interpret_cast(interp, op, args):
    """A view of the same buffer; a size or stride made static is checked, as MLIR's
    cast is a runtime assertion there."""
    m = args[0]
    memory.check_live(op, m)
    t = op.results[0].type
    if t.shape is not None:
        shape = m.array.shape
        if len(shape) != len(t.shape) or any(w not in (DYNAMIC, g) for w, g in zip(t.shape, shape)):
            raise runtime_error(op, f"cannot cast a memref of shape {'x'.join(map(str, shape)) or 'scalar'} to {t}")
        try:
            memory.check_layout(m.array, t)
        except memory.MemRefArgumentError as e:
            raise runtime_error(op, f"cannot cast to {t}: {e}") from None
    return [m.view()]


@interpret.register(CopyOp)
def _interpret_copy(interp, op, args):
    source, target = args
    memory.check_live(op, source)
    memory.check_live(op, target)
    if source.array.shape != target.array.shape:
        raise runtime_error(op, f"copies a memref of shape {'x'.join(map(str, source.array.shape)) or 'scalar'} "
                                f"into one of shape {'x'.join(map(str, target.array.shape)) or 'scalar'}")
    memory.check_writable(op, target)
    target.array[...] = source.array
    return []


@interpret.register(RankOp)
def _interpret_rank(interp, op, args):
    memory.check_live(op, args[0])
    return [args[0].array.ndim]


def _atomic_combine(kind: str, old, value):
    """The new element of an atomic_rmw of `kind` (integers as Python ints in their
    signed range; unsigned kinds compare the bits)."""
    import math

    if kind in ("maxu", "minu"):
        return None  # handled by the caller, which knows the width
    return {
        "addf": lambda: old + value, "addi": lambda: old + value, "mulf": lambda: old * value,
        "muli": lambda: old * value, "andi": lambda: old & value, "ori": lambda: old | value,
        "xori": lambda: old ^ value, "assign": lambda: value, "maxs": lambda: max(old, value),
        "mins": lambda: min(old, value),
        "maximumf": lambda: value if math.isnan(value) or value > old else old,
        "minimumf": lambda: value if math.isnan(value) or value < old else old,
        "maxnumf": lambda: old if math.isnan(value) else (value if math.isnan(old) or value > old else old),
        "minnumf": lambda: old if math.isnan(value) else (value if math.isnan(old) or value < old else old),
    }[kind]()


@interpret.register(AtomicRMWOp)
def _interpret_atomic_rmw(interp, op, args):
    value, m = args[0], args[1]
    where = memory.writable_index(op, m, args[2:])
    t = op.value.type
    old = m.array[where]
    if isinstance(t, IntegerType):
        old = wrap(int(old), t)
        kind = op.kind_name
        if kind in ("maxu", "minu"):
            a, b = to_unsigned(old, t), to_unsigned(value, t)
            new = wrap(max(a, b) if kind == "maxu" else min(a, b), t)
        else:
            new = wrap(int(_atomic_combine(kind, old, value)), t)
        m.array[where] = to_unsigned(new, t) if m.array.dtype.kind == "u" else new
    else:
        m.array[where] = _atomic_combine(op.kind_name, old, value)
        old = m.array.dtype.type(old)
    return [old]
