"""Op traits: properties passes query (`op.has_trait(Pure)`) and the
verifier checks.  A trait with a `verify(op)` contributes checks to every op
that declares it."""

from __future__ import annotations


class Trait:
    """Base of traits; subclasses are used as markers (never instantiated)."""

    @staticmethod
    def verify(op) -> None:
        return None


class Pure(Trait):
    """No side effects and always speculatable: CSE, DCE and LICM may move or drop it.
    A shorthand of the `MemoryEffects` interface (``ir/effects.py``)."""


class NoMemoryEffect(Trait):
    """No side effects, but not speculatable (integer division traps on zero):
    CSE and DCE may drop or merge it; LICM must not hoist it past a guard.
    A shorthand of the `MemoryEffects` interface."""


class Commutative(Trait):
    """Operands may be swapped (canonicalization moves constants to the right)."""


class Terminator(Trait):
    """Must be the last op of its block."""


class ReturnLike(Trait):
    """A terminator that returns control to the parent op (func.return, scf.yield)."""


class IsolatedFromAbove(Trait):
    """Regions may not use values defined outside the op."""


class SymbolTable(Trait):
    """Regions hold symbols (ops with `sym_name`) looked up by name; each name defined once."""

    @staticmethod
    def verify(op) -> None:
        from .symbols import verify_symbol_table

        verify_symbol_table(op)


class Symbol(Trait):
    """Defines a symbol through its `sym_name` attribute."""

    @staticmethod
    def verify(op) -> None:
        vis = op.attributes.get("sym_visibility")
        if vis is not None and getattr(vis, "value", None) not in ("public", "private", "nested"):
            raise op.emit_error(f'visibility expected to be one of ["public", "private", "nested"], but got {vis}')


class NoTerminator(Trait):
    """Blocks of this op's regions need no terminator (builtin.module)."""


class SingleBlock(Trait):
    """Each region has at most one block."""


class ConstantLike(Trait):
    """Materializes a constant from its `value` attribute."""


class RecursiveMemoryEffects(Trait):
    """Side effects are exactly those of the ops in its regions (scf.for, scf.if);
    a shorthand of the `MemoryEffects` interface."""


class SameOperandsAndResultType(Trait):
    @staticmethod
    def verify(op) -> None:
        types = [v.type for v in op.operands] + [r.type for r in op.results]
        if types and any(t is not types[0] and t != types[0] for t in types):  # `is`: types are mostly shared
            raise op.emit_error(
                "requires the same type for all operands and results"
                + _types_note(types)
            )


class SameTypeOperands(Trait):
    @staticmethod
    def verify(op) -> None:
        types = [v.type for v in op.operands]
        if types and any(t != types[0] for t in types):
            raise op.emit_error("requires all operands to have the same type" + _types_note(types))


class SameOperandsAndResultShape(Trait):
    """MLIR's trait of that name: compatible shapes (``?`` matches any size), never
    a scalable vector beside a fixed one."""

    @staticmethod
    def verify(op) -> None:
        from .types import all_shapes_compatible

        if not all_shapes_compatible([v.type for v in op.operands] + [r.type for r in op.results]):
            raise op.emit_error("requires the same shape for all operands and results")


class ElementwiseMappable(Trait):
    """Applies elementwise to tensors and vectors of its scalar operand types
    (MLIR's ElementwiseMappable): a region made of such ops can run once on
    whole arrays (`Interpreter.map_region`)."""


def add_trait(op_classes, trait) -> None:
    """Give every class in `op_classes` the `trait` (for a family declared elsewhere)."""
    for cls in op_classes:
        cls.traits = cls.traits | {trait}


def verify_elementwise(op) -> None:
    """MLIR's ``verifyElementwise`` (the check behind its ElementwiseMappable traits):
    vectors and tensors among operands and results go together, of one kind and one
    shape.  Called from the verify of ops whose MLIR diagnostics come from it
    (arith.select, the extended ops); the ElementwiseMappable marker above stays
    check-free so no op's first reported error changes with trait order."""
    from .types import TensorType, VectorType, all_shapes_compatible

    def mappable(types):
        return [t for t in types if isinstance(t, (TensorType, VectorType))]

    operands = mappable(v.type for v in op.operands)
    results = mappable(r.type for r in op.results)
    if not operands and not results:
        return
    if not operands:
        raise op.emit_error("if a result is non-scalar, then at least one operand must be non-scalar")
    if not results:
        raise op.emit_error("if an operand is non-scalar, then there must be at least one non-scalar result")
    if len(results) != len(op.results):
        raise op.emit_error("if an operand is non-scalar, then all results must be non-scalar")
    types = operands + results
    if len({type(t) for t in types}) > 1 or not all_shapes_compatible(types):
        raise op.emit_error("all non-scalar operands/results must have the same shape and base type")


class AutomaticAllocationScope(Trait):
    """Stack allocations inside are freed when control leaves the op."""


class HasParent(Trait):
    """``HasParent.of("func.func")``: the op must be nested directly in one of these."""

    parents: tuple = ()

    @classmethod
    def of(cls, *names):
        return type(f"HasParent_{'_'.join(n.replace('.', '_') for n in names)}", (HasParent,), {"parents": names})

    @classmethod
    def verify(cls, op) -> None:
        parent = op.parent_op
        if parent is None or parent.op_name not in cls.parents:
            expected = ", ".join(f"'{p}'" for p in cls.parents)
            raise op.emit_error(f"expects parent op {'to be one of ' if len(cls.parents) > 1 else ''}{expected}")


def _types_note(types) -> str:
    distinct = []
    for t in types:
        if t not in distinct:
            distinct.append(t)
    return ": " + " vs ".join(map(str, distinct)) if len(distinct) > 1 else ""
