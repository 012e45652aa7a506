"""The linalg dialect's core (MLIR 22 syntax): structured ops, the interface
every one of them implements, ``linalg.generic``, ``linalg.yield`` and
``linalg.index``.

A *structured op* (MLIR's LinalgStructuredInterface, destination style) is
a loop nest over an iteration domain: `inputs` and `outputs` (the "inits")
are read through one affine indexing map each, `iterator_types` says which
loops are parallel and which reduce, and a scalar body (the op's region)
computes the outputs' new elements from the operands' elements at each point,
ending in ``linalg.yield``.  On tensors the op returns new tensors (one per
output); on memrefs it writes its output buffers and returns nothing.

Everything a pass needs is asked through `StructuredOp` (never an op class):
the interpreter (``linalg_interpreter.py``: the body runs once on whole
arrays), the derivative rules (``linalg_derivatives.py``), the loop lowering
(``passes/linalg_to_loops.py``), bufferization and the named ops
(``linalg_named.py``: each a declaration of maps, iterators and body).
"""

from __future__ import annotations

from typing import List, Optional, Sequence

from ..affine import dims_used, loop_ranges
from ..assembly_format import AttrSyntax
from ..attributes import AffineDim, AffineMapAttr, ArrayAttr, Attribute, DialectAttr, IntegerAttr, StringAttr
from ..core import Block, Region, Value
from ..effects import READ, WRITE, EffectInstance, MemoryEffects
from ..interfaces import OpInterface
from ..location import UNKNOWN
from ..opdef import AnyShaped, AnyTensor, AnyType, Attr, Dialect, Index, Op, Operand, RegionDef, Result
from ..traits import HasParent, Pure, ReturnLike, SingleBlock, Terminator
from ..types import DYNAMIC, MemRefType, ShapedType, TensorType, element_type, i64, index


class LinalgDialect(Dialect):
    """The linalg dialect; folded values become ``arith.constant`` ops."""

    def materialize_constant(self, builder, value, type, location=UNKNOWN):
        from .arith import arith

        return arith.materialize_constant(builder, value, type, location)


linalg = LinalgDialect("linalg", "structured ops on tensors and buffers: generic, named ops, yield, index")

PARALLEL, REDUCTION = "parallel", "reduction"


class _KindAttr(DialectAttr):
    """A dialect attribute holding one keyword from `KINDS` (``#linalg.NAME<kind>``)."""

    attr_name = ""
    KINDS: tuple = ()

    def __init__(self, kind: str):
        if kind not in self.KINDS:
            raise ValueError(f"expected one of {', '.join(self.KINDS)}, got '{kind}'")
        object.__setattr__(self, "name", self.attr_name)
        object.__setattr__(self, "params", (kind,))

    @property
    def kind(self) -> str:
        return self.params[0]

    @classmethod
    def from_params(cls, params):
        if len(params) != 1 or not isinstance(params[0], str):
            raise ValueError(f"expected one of {', '.join(cls.KINDS)}")
        return cls(str(params[0]))

    def __str__(self) -> str:
        return f"#{self.attr_name}<{self.kind}>"


@linalg.attribute
class IteratorTypeAttr(_KindAttr):
    """``#linalg.iterator_type<parallel>``: how one loop of a structured op runs."""

    attr_name = "linalg.iterator_type"
    KINDS = (PARALLEL, REDUCTION)


@linalg.attribute
class TypeFnAttr(_KindAttr):
    """``#linalg.type_fn<cast_signed>``: how a named op converts its operands' elements."""

    attr_name = "linalg.type_fn"
    KINDS = ("cast_signed", "cast_unsigned")


def iterator_array(kinds: Sequence[str]) -> ArrayAttr:
    """An ``iterator_types`` attribute from "parallel"/"reduction" strings."""
    return ArrayAttr(tuple(IteratorTypeAttr(k) for k in kinds))


# ----------------------------------------------------------------------------
# the structured-op interface


class StructuredOp(OpInterface):
    """MLIR's LinalgStructuredInterface with DestinationStyleOpInterface: what every
    linalg op answers, named or generic.  The defaults read the op's
    `structured_*` methods (`StructuredOpBase` gives them)."""

    interface_name = "LinalgStructuredInterface"

    def inputs(self, op) -> List[Value]:
        """The operands read through an indexing map (scalars too: fill's value)."""
        return op.structured_inputs()

    def outputs(self, op) -> List[Value]:
        """The inits (destination operands): one per result on tensors."""
        return op.structured_outputs()

    def operands(self, op) -> List[Value]:
        return self.inputs(op) + self.outputs(op)

    def indexing_maps(self, op) -> List[AffineMapAttr]:
        """One map per operand (inputs then outputs), from loop indices to the operand's indices."""
        return op.structured_indexing_maps()

    def iterator_types(self, op) -> List[str]:
        """"parallel" or "reduction" per loop."""
        return op.structured_iterator_types()

    def body(self, op) -> Block:
        """The scalar body: one argument per operand (its element), ends in linalg.yield."""
        return op.regions[0].blocks[0]

    def num_loops(self, op) -> int:
        return len(self.iterator_types(op))

    def reduction_dims(self, op) -> List[int]:
        return [k for k, t in enumerate(self.iterator_types(op)) if t == REDUCTION]

    def parallel_dims(self, op) -> List[int]:
        return [k for k, t in enumerate(self.iterator_types(op)) if t == PARALLEL]

    def operand_shapes(self, op) -> List[tuple]:
        """Each operand's static shape (DYNAMIC where unknown; () for a scalar)."""
        return [tuple(v.type.shape) if isinstance(v.type, ShapedType) else () for v in self.operands(op)]

    def static_loop_ranges(self, op) -> List[int]:
        """MLIR's getStaticLoopRanges: each loop's size from the operand shapes (DYNAMIC
        when it comes from a dynamic size or no operand names the loop alone)."""
        return loop_ranges(self.indexing_maps(op), self.operand_shapes(op))

    def payload_uses_output(self, op, k: int) -> bool:
        """Whether the body reads output k's current element (an accumulator, or an update)."""
        arg = self.body(op).arguments[len(self.inputs(op)) + k]
        return arg.has_uses

    def has_tensor_semantics(self, op) -> bool:
        return all(not isinstance(v.type, MemRefType) for v in self.operands(op))

    def has_buffer_semantics(self, op) -> bool:
        return not op.results and all(not isinstance(v.type, TensorType) for v in self.operands(op))


class StructuredOpBase(Op):
    """What linalg ops share: ins/outs operand groups, results only on tensors, the
    structured verifier and the memory effects of reading ins and writing outs."""

    __slots__ = ()

    # -- what the interface reads (subclasses override the maps and iterators) -----
    def structured_inputs(self) -> List[Value]:
        return list(self.operand_group(0))

    def structured_outputs(self) -> List[Value]:
        return list(self.operand_group(1))

    def structured_indexing_maps(self) -> List[AffineMapAttr]:
        raise NotImplementedError

    def structured_iterator_types(self) -> List[str]:
        raise NotImplementedError

    # -- verification -------------------------------------------------------------------
    def verify(self) -> None:
        verify_structured(self)


StructuredOp.attach(StructuredOpBase, StructuredOp)


@MemoryEffects.implement(StructuredOpBase)
class _StructuredEffects(MemoryEffects):
    """Reads of input buffers and reads and writes of output buffers (none on tensors)."""

    def effects(self, op):
        s = StructuredOp.of(op)
        out = [EffectInstance(READ, v) for v in s.inputs() if isinstance(v.type, MemRefType)]
        for v in s.outputs():
            if isinstance(v.type, MemRefType):
                out += [EffectInstance(READ, v), EffectInstance(WRITE, v)]
        return out

    def speculatable(self, op) -> bool:
        return StructuredOp.of(op).has_tensor_semantics()


def _fmt_type(t) -> str:
    return f"'{t}'"


def verify_structured(op) -> None:
    """MLIR's verifyStructuredOpInterface and the destination-style checks, in its wording."""
    s = StructuredOp.of(op)
    ins, outs = s.inputs(), s.outputs()
    operands = ins + outs
    try:
        maps = s.indexing_maps()
        iterators = s.iterator_types()
    except ValueError as e:
        raise op.emit_error(str(e))
    # destination style: one tensor result per tensor output, of its type
    tensor_outs = [v for v in outs if isinstance(v.type, TensorType)]
    if len(op.results) != len(tensor_outs):
        raise op.emit_error(f"expected the number of tensor results ({len(op.results)}) to be equal to the "
                            f"number of output tensors ({len(tensor_outs)})")
    for v, r in zip(tensor_outs, op.results):
        if v.type != r.type:
            k = op.operands.index(v)
            raise op.emit_error(f"expected type of operand #{k} ({_fmt_type(v.type)}) to match type of "
                                f"corresponding result ({_fmt_type(r.type)})")
    if len(maps) != len(operands):
        raise op.emit_error(f"expected the number of indexing_map ({len(maps)}) to be equal to the number of "
                            f"input/output operands ({len(operands)})")
    num_loops = len(iterators)
    for k, (m, v) in enumerate(zip(maps, operands)):
        if m.num_symbols:
            raise op.emit_error(f"unexpected symbols in indexing_map #{k}")
        if m.num_dims != num_loops:
            raise op.emit_error(f"expected indexing_map #{k} to have {num_loops} dim(s) to match the number of loops")
        rank = v.type.rank if isinstance(v.type, ShapedType) else 0
        if rank != len(m.results):
            raise op.emit_error(f"expected operand #{k} rank ({rank}) to match the result rank of indexing_map "
                                f"({len(m.results)})")
    _verify_body_arguments(op, s, operands)
    _verify_shapes(op, maps, s.operand_shapes(), num_loops)


def _verify_body_arguments(op, s, operands) -> None:
    if not op.regions or not op.regions[0].blocks:
        raise op.emit_error("expected a region with one block")
    args = s.body().arguments
    if len(args) != len(operands):
        raise op.emit_error("expected as many non-induction variable region arguments as the number of "
                            "input/output operands")
    for k, (a, v) in enumerate(zip(args, operands)):
        if a.type not in (element_type(v.type), v.type):
            raise op.emit_error(f"expected type of bb argument #{k} ({_fmt_type(a.type)}) to match element or "
                                f"self type of the corresponding operand ({_fmt_type(element_type(v.type))})")


def _max_index(e, ranges) -> Optional[int]:
    """The largest value of `e` over the loop ranges when every coefficient is a positive
    constant and every range static (MLIR's check of composite map results); else None."""
    from ..attributes import AffineBinary, AffineConstant

    if isinstance(e, AffineDim):
        r = ranges[e.position]
        return None if r == DYNAMIC else r - 1
    if isinstance(e, AffineConstant):
        return e.value
    if isinstance(e, AffineBinary) and e.op in ("+", "*"):
        a, b = _max_index(e.lhs, ranges), _max_index(e.rhs, ranges)
        if a is None or b is None:
            return None
        if e.op == "*" and not isinstance(e.rhs, AffineConstant) or (e.op == "*" and e.rhs.value < 0):
            return None
        return a + b if e.op == "+" else a * b
    return None


def _verify_shapes(op, maps, shapes, num_loops) -> None:
    """Operand sizes agree with the loop ranges the maps infer (static sizes only)."""
    ranges = loop_ranges(maps, shapes)
    for k, (m, shape) in enumerate(zip(maps, shapes)):
        for j, (e, size) in enumerate(zip(m.results, shape)):
            if size == DYNAMIC:
                continue
            if isinstance(e, AffineDim):
                want = ranges[e.position]
                if want != DYNAMIC and want != size:
                    raise op.emit_error(f"inferred input/output operand #{k} has shape's dimension #{j} to be "
                                        f"{want}, but found {size}")
            elif dims_used(e):
                top = _max_index(e, ranges)
                if top is not None and top + 1 > size:
                    raise op.emit_error(f"inferred input/output operand #{k} has shape's dimension #{j} to be "
                                        f"greater than or equal to {top + 1}, but found {size}")


# ----------------------------------------------------------------------------
# linalg.yield and linalg.index


@linalg.op
class YieldOp(Op):
    """The elements a structured op's body gives its outputs at one point."""

    name = "linalg.yield"
    summary = "Linalg yield operation"
    operand_defs = (Operand("values", AnyType, variadic=True),)
    traits = frozenset({Pure, Terminator, ReturnLike})
    format = "attr-dict ($values^ `:` type($values))?"

    def verify(self) -> None:
        parent = self.parent_op
        s = StructuredOp.get(parent) if parent is not None else None
        if s is None:
            raise self.emit_error("expected parent op with LinalgOp interface")
        outs = s.outputs()
        if len(self.operands) != len(outs):
            raise self.emit_error(f"expected number of yield values ({len(self.operands)}) to match the number "
                                  f"of inits / outs operands of the enclosing LinalgOp ({len(outs)})")
        for k, (v, o) in enumerate(zip(self.operands, outs)):
            want = element_type(o.type) if isinstance(o.type, ShapedType) else o.type
            if v.type != want:
                raise self.emit_error(f"type of yield operand {k + 1} ({_fmt_type(v.type)}) doesn't match the "
                                      f"element type of the enclosing linalg.generic op ({_fmt_type(want)})")


class I64Syntax(AttrSyntax):
    """A bare integer for an i64 attribute (``linalg.index 0 : index``), as MLIR's I64Attr prints."""

    rule = "INT"

    def convert(self, parser, tok):
        return IntegerAttr(int(str(tok)), i64)

    def print(self, attr) -> str:
        return str(attr.value)


@linalg.op
class IndexOp(Op):
    """The current index of loop `dim` of the enclosing structured op."""

    name = "linalg.index"
    summary = "linalg index operation"
    result_defs = (Result("result", Index),)
    attribute_defs = (Attr("dim", IntegerAttr, syntax=I64Syntax()),)
    traits = frozenset({Pure})
    format = "$dim attr-dict `:` type($result)"

    @classmethod
    def infer_result_types(cls, operand_types, attributes, regions=()):
        return [index]

    @property
    def dim(self) -> int:
        return int(self.attributes["dim"].value)

    def verify(self) -> None:
        parent = self.parent_op
        s = StructuredOp.get(parent) if parent is not None else None
        if s is None:
            raise self.emit_error("expected parent op with LinalgOp interface")
        n = s.num_loops()
        if self.dim >= n:
            raise self.emit_error(f"expected dim ({self.dim}) to be lower than the number of loops ({n}) of the "
                                  f"enclosing LinalgOp")


# ----------------------------------------------------------------------------
# linalg.generic

# the attributes printed in generic's leading dictionary (MLIR's linalgTraitAttrNames)
_TRAIT_ATTRS = ("doc", "indexing_maps", "iterator_types", "library_call")


def _generic_header(ctx, *items):
    return list(items)


@linalg.op
class GenericOp(StructuredOpBase):
    """A structured op written out: its maps, iterators and body are all explicit."""

    __slots__ = ()
    name = "linalg.generic"
    summary = "Generic Linalg op form where the key properties of the computation are specified as attributes."
    operand_defs = (Operand("inputs", AnyType, variadic=True), Operand("outputs", AnyShaped, variadic=True))
    result_defs = (Result("result_tensors", AnyTensor, variadic=True),)
    attribute_defs = (
        Attr("indexing_maps", ArrayAttr),
        Attr("iterator_types", ArrayAttr),
        Attr("doc", StringAttr, optional=True),
        Attr("library_call", StringAttr, optional=True),
    )
    region_defs = (RegionDef("region"),)
    traits = frozenset({SingleBlock})
    syntax_rule = ("attrs=attr_dict ins=[linalg_ins] outs=[linalg_outs] extra=[linalg_extra_attrs] body=region "
                   "results=[linalg_results]")
    syntax_subrules = {
        "linalg_ins": ('"ins" "(" [value_use_list ":" type_list] ")"', _generic_header),
        "linalg_outs": ('"outs" "(" [value_use_list ":" type_list] ")"', _generic_header),
        "linalg_extra_attrs": ('"attrs" "=" attr_dict', lambda ctx, d: d),
        "linalg_results": ('"->" function_results', lambda ctx, t: list(t)),
    }

    @classmethod
    def create(cls, inputs: Sequence[Value], outputs: Sequence[Value], indexing_maps: Sequence[AffineMapAttr],
               iterator_types: Sequence[str], body_builder=None, location=UNKNOWN, attributes=None) -> "GenericOp":
        """A generic op; `body_builder(builder, args)` returns the values to yield (else
        the caller fills the body, whose block has one argument per operand's element)."""
        from ..builder import Builder

        block = Block([element_type(v.type) for v in list(inputs) + list(outputs)])
        results = [v.type for v in outputs if isinstance(v.type, TensorType)]
        op = cls.build(list(inputs), list(outputs), result_types=results, regions=[Region([block])],
                       location=location, indexing_maps=ArrayAttr(tuple(indexing_maps)),
                       iterator_types=iterator_array(iterator_types), attributes=attributes)
        if body_builder is not None:
            b = Builder.at_end(block, location)
            b.create(YieldOp, list(body_builder(b, list(block.arguments))))
        return op

    def structured_indexing_maps(self) -> List[AffineMapAttr]:
        maps = self.attributes.get("indexing_maps")
        if not isinstance(maps, ArrayAttr) or not all(isinstance(m, AffineMapAttr) for m in maps):
            raise ValueError("expected indexing_maps to be an array of affine maps")
        return list(maps)

    def structured_iterator_types(self) -> List[str]:
        its = self.attributes.get("iterator_types")
        if not isinstance(its, ArrayAttr) or not all(isinstance(t, IteratorTypeAttr) for t in its):
            raise ValueError("expected iterator_types to be an array of #linalg.iterator_type")
        return [t.kind for t in its]

    @classmethod
    def parse_custom(cls, ctx, name_tok, attrs, ins, outs, extra, body, results):
        ins, outs = ins or [None, None], outs or [None, None]
        attributes = dict(attrs or {})
        its = attributes.get("iterator_types")
        if isinstance(its, ArrayAttr):
            kinds = []
            for t in its:
                kind = t.value if isinstance(t, StringAttr) else getattr(t, "kind", None)
                if kind not in IteratorTypeAttr.KINDS:
                    raise ctx.error_at(name_tok, f"unexpected iterator_type ({kind if kind else t})")
                kinds.append(kind)
            attributes["iterator_types"] = iterator_array(kinds)
        attributes.update(extra or {})
        operands = []
        for values, types in (ins, outs):
            values, types = list(values or ()), list(types or ())
            if len(values) != len(types):
                raise ctx.error_at(name_tok, f"expected {len(values)} types, got {len(types)}")
            for v, t in zip(values, types):
                ctx.check_operand_type(v, t, name_tok)
            operands.append(values)
        from ..attributes import DenseArrayAttr
        from ..types import i32

        attributes["operandSegmentSizes"] = DenseArrayAttr(i32, (len(operands[0]), len(operands[1])))
        return ctx.make_op(cls.name, operands[0] + operands[1], list(results or ()), attributes, [body], [],
                           ctx.loc_of(name_tok))

    def print_custom(self, p) -> None:
        entries = [(k, self.attributes[k]) for k in _TRAIT_ATTRS if k in self.attributes]
        printed = []
        for k, v in entries:
            if k == "iterator_types" and isinstance(v, ArrayAttr):
                v = "[" + ", ".join(f'"{getattr(t, "kind", t)}"' for t in v) + "]"
            printed.append(f"{k} = {v}")
        p.write(" {", ", ".join(printed), "}")
        print_ins_outs(p, self.structured_inputs(), self.structured_outputs())
        rest = [(k, v) for k, v in sorted(self.attributes.items())
                if k not in _TRAIT_ATTRS and k != "operandSegmentSizes"]
        if rest:
            p.write(" attrs =  ")
            p.print_attr_dict_entries(rest)
        p.write(" ")
        p.print_region(self.regions[0])
        p.print_arrow_types(r.type for r in self.results)


def print_ins_outs(p, inputs: Sequence[Value], outputs: Sequence[Value]) -> None:
    """`` ins(%a, %b : t1, t2) outs(%c : t3)`` (each group only when it has operands)."""
    for keyword, values in (("ins", inputs), ("outs", outputs)):
        if values:
            p.write(f" {keyword}(")
            p.print_operands(values)
            p.write(" : ")
            p.print_types(v.type for v in values)
            p.write(")")


__all__ = [
    "linalg", "StructuredOp", "StructuredOpBase", "GenericOp", "YieldOp", "IndexOp", "IteratorTypeAttr",
    "TypeFnAttr", "iterator_array", "verify_structured", "print_ins_outs", "PARALLEL", "REDUCTION",
]

from . import linalg_interpreter  # noqa: E402,F401  (the interpreter rules of every structured op)
from . import linalg_named  # noqa: E402,F401  (the named ops, as declarations)
from . import linalg_patterns  # noqa: E402,F401  (canonicalization of linalg.generic)
