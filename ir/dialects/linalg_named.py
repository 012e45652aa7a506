"""linalg's named ops (MLIR 22 syntax), each one declaration (``linalg_opdsl.py``).

The table at the end is the whole definition of fill, copy, the matmul
family, matvec, vecmat, dot, contract and the elementwise ops; transpose,
broadcast, reduce and map add their attribute (``permutation``,
``dimensions``) or user region to the same machinery.  Syntax, verifier,
body, interpreter, derivatives and loop lowering all follow from
`StructuredOp`; no op below has code of its own beyond its declaration.
"""

from __future__ import annotations

from typing import Dict, List, Optional

from ..affine import affine_map, inverse_permutation, permutation_map
from ..assembly_format import AttrSyntax
from ..attributes import AffineDim, AffineMapAttr, ArrayAttr, DenseArrayAttr, IntegerAttr
from ..core import Block, Region
from ..location import UNKNOWN
from ..opdef import AnyShaped, AnyTensor, AnyType, Attr, Op, Operand, RegionDef, Result
from ..traits import SingleBlock
from ..types import ShapedType, TensorType, element_type, i32, i64
from .linalg import REDUCTION, StructuredOpBase, TypeFnAttr, YieldOp, linalg, print_ins_outs
from .linalg_opdsl import Declaration, body_region, tensor_results

DPS_FORMAT = ("attr-dict custom<Ins>($inputs, type($inputs)) custom<Outs>($outputs, type($outputs)) "
              "(`->` type($result_tensors)^)?")
MAPS_FORMAT = "(`indexing_maps` `=` $indexing_maps^)? " + DPS_FORMAT


class NamedStructuredOp(StructuredOpBase):
    """A named op: `declaration` gives its maps, iterators and body (MLIR's OpDSL ops)."""

    __slots__ = ()
    declaration: Declaration = None
    user_maps = False  # the op takes an `indexing_maps` attribute (matmul family, contract)
    operand_defs = (Operand("inputs", AnyType, variadic=True), Operand("outputs", AnyShaped, variadic=True))
    result_defs = (Result("result_tensors", AnyTensor, variadic=True),)
    region_defs = (RegionDef("region"),)
    traits = frozenset({SingleBlock})
    format = DPS_FORMAT

    def structured_indexing_maps(self) -> List[AffineMapAttr]:
        maps = self.attributes.get("indexing_maps")
        if self.user_maps and maps is not None:
            if not isinstance(maps, ArrayAttr) or not all(isinstance(m, AffineMapAttr) for m in maps):
                raise ValueError("expected indexing_maps to be an array of affine maps")
            return list(maps)
        return self.declaration.default_maps(self)

    def structured_iterator_types(self) -> List[str]:
        return self.declaration.default_iterators(self.structured_indexing_maps())

    @property
    def unsigned(self) -> bool:
        cast = self.attributes.get("cast")
        return isinstance(cast, TypeFnAttr) and cast.kind == "cast_unsigned"

    @classmethod
    def infer_result_types(cls, operand_types, attributes, regions=()):
        sizes = attributes.get("operandSegmentSizes")
        n_in = sizes.values[0] if sizes is not None else len(operand_types) - 1
        return tensor_results(operand_types, n_in)

    @classmethod
    def implicit_regions(cls, operands, attributes, location=UNKNOWN) -> List[Region]:
        """The body region built from the declaration (what MLIR's regionBuilder does on parse)."""
        cast = attributes.get("cast")
        unsigned = isinstance(cast, TypeFnAttr) and cast.kind == "cast_unsigned"
        return [body_region(cls.name, cls.declaration, [v.type for v in operands], unsigned, location)]

    @classmethod
    def create(cls, inputs, outputs, location=UNKNOWN, **attrs) -> "NamedStructuredOp":
        """The op on `inputs` and `outputs` (results: the tensor outputs' types), its body built."""
        operands = list(inputs) + list(outputs)
        all_attrs = {k: v for k, v in attrs.items() if v is not None}
        regions = cls.implicit_regions(operands, all_attrs, location)
        return cls.build(list(inputs), list(outputs), result_types=tensor_results([v.type for v in operands],
                                                                                  len(inputs)),
                         regions=regions, location=location, **all_attrs)


def declare(op_name: str, text: str, domain: str = "", user_maps: Optional[str] = None,
            summary: str = "", params: Optional[Dict] = None) -> type:
    """Register a named op from its comprehension (see linalg_opdsl.py); the op class.

    `user_maps`: "optional" adds MLIR 22's ``indexing_maps`` attribute (defaulting to the
    comprehension's maps), "required" makes it mandatory (``linalg.contract``)."""
    decl = Declaration(op_name, text, tuple(domain.split()), params or {})
    attrs = [Attr("cast", TypeFnAttr, optional=True)]
    if user_maps == "optional":
        attrs.insert(0, Attr("indexing_maps", ArrayAttr, default=ArrayAttr(tuple(decl.default_maps(None)))))
    elif user_maps == "required":
        attrs.insert(0, Attr("indexing_maps", ArrayAttr))
    class_name = "".join(p.capitalize() for p in op_name.split(".")[1].split("_")) + "Op"
    cls = type(class_name, (NamedStructuredOp,), {
        "__slots__": (), "__doc__": f"``{text}`` (a named structured op).", "name": op_name,
        "summary": summary or text, "declaration": decl, "user_maps": user_maps is not None,
        "attribute_defs": tuple(attrs), "__module__": __name__,
        "format": MAPS_FORMAT if user_maps else DPS_FORMAT,
    })
    linalg.op(cls)
    globals()[class_name] = cls
    return cls


# ----------------------------------------------------------------------------
# the declarations (MLIR's LinalgNamedStructuredOps.yaml, as comprehensions)

declare("linalg.fill", "O[...] = cast(value)")
declare("linalg.copy", "O[...] = cast(I[...])")
declare("linalg.matmul", "C[m, n] += cast(A[m, k]) * cast(B[k, n])", "m n k", user_maps="optional")
declare("linalg.batch_matmul", "C[b, m, n] += cast(A[b, m, k]) * cast(B[b, k, n])", "b m n k",
        user_maps="optional")
declare("linalg.batch_reduce_matmul", "C[m, n] += cast(A[b, m, k]) * cast(B[b, k, n])", "b m n k",
        user_maps="optional")
declare("linalg.matvec", "y[m] += cast(A[m, n]) * cast(x[n])", "m n")
declare("linalg.vecmat", "x[n] += cast(y[m]) * cast(A[m, n])", "n m")
declare("linalg.dot", "C[] += cast(A[k]) * cast(B[k])", "k")
declare("linalg.contract", "C[m] += cast(A[m]) * cast(B[m])", "m", user_maps="required")
for _fn in ("exp", "log", "abs", "ceil", "floor", "negf", "reciprocal", "round", "sqrt", "rsqrt", "square",
            "tanh", "erf"):
    declare(f"linalg.{_fn}", f"O[...] = {_fn}(I[...])")
for _fn in ("add", "sub", "mul", "div", "div_unsigned", "max", "min", "powf"):
    declare(f"linalg.{_fn}", f"O[...] = {_fn}(lhs[...], rhs[...])")
declare("linalg.select", "O[...] = select(cond[...], lhs[...], rhs[...])")


# ----------------------------------------------------------------------------
# transpose, broadcast, reduce and map: their own syntax, the same machinery


class DenseI64ListSyntax(AttrSyntax):
    """``[1, 0]`` for an ``array<i64: 1, 0>`` property (MLIR's DenseI64ArrayAttr in a custom form)."""

    def convert(self, parser, child):
        values = [getattr(x, "value", None) for x in (child if isinstance(child, ArrayAttr) else ())]
        if not isinstance(child, ArrayAttr) or any(not isinstance(v, int) for v in values):
            raise parser.error_at(None, f"expected a list of integers, got {child}")
        return DenseArrayAttr(i64, tuple(values))

    def print(self, attr) -> str:
        return "[" + ", ".join(map(str, attr.values)) + "]"


def _ints(attr) -> List[int]:
    return [int(v) for v in attr.values] if isinstance(attr, DenseArrayAttr) else []


def _keyword_array(keyword):
    return (f'"{keyword}" "=" attribute', lambda ctx, a: (keyword, a))


class _RegionNamedOp(StructuredOpBase):
    """Shared syntax of transpose, broadcast, reduce and map: an optional short payload
    ``{ arith.addf }``, ins/outs, an optional ``keyword = [..]`` array, and an optional
    region whose arguments are named in the header."""

    __slots__ = ()
    traits = frozenset({SingleBlock})
    array_keyword: Optional[str] = None  # permutation / dimensions
    user_region = False  # reduce and map: the body is the user's
    halves = False  # reduce: one operand group, inputs then as many inits (MLIR's SameVariadicOperandSize)
    syntax_rule = ("payload=[linalg_short_payload] ins=linalg_ins outs=linalg_outs array=[linalg_array] "
                   "region=[linalg_named_region] attrs=[attr_dict]")
    # the helper rules join the grammar once, with the first op (transpose); the others share them
    syntax_subrules = {}
    shared_subrules = {
        "linalg_short_payload": ('"{" BARE_ID [attr_dict] "}"', lambda ctx, name, attrs: (str(name), attrs or {})),
        "linalg_array": ('linalg_array_permutation | linalg_array_dimensions', lambda ctx, a: a),
        "linalg_array_permutation": _keyword_array("permutation"),
        "linalg_array_dimensions": _keyword_array("dimensions"),
        "linalg_region_args": ('"(" [block_arg ("," block_arg)*] ")"', lambda ctx, *args: [a for a in args if a]),
        # the arguments named before the region: `(%in: f32, %init: f32) { ... }`
        "linalg_named_region": ("linalg_region_args region", lambda ctx, args, body: (args, body)),
    }

    def structured_inputs(self):
        return list(self.operands[:-1])

    def structured_outputs(self):
        return list(self.operands[-1:])

    @classmethod
    def infer_result_types(cls, operand_types, attributes, regions=()):
        return tensor_results(operand_types, len(operand_types) - 1)

    @classmethod
    def default_region(cls, operand_types, location) -> Region:
        """Transpose and broadcast yield their input."""
        block = Block([element_type(t) for t in operand_types])
        from ..builder import Builder

        Builder.at_end(block, location).create(YieldOp, [block.arguments[0]])
        return Region([block])

    @classmethod
    def create(cls, inputs, outputs, location=UNKNOWN, body=None, **attrs):
        """The op; `body` is the region for reduce and map."""
        operands = list(inputs) + list(outputs)
        region = body if body is not None else cls.default_region([v.type for v in operands], location)
        groups = [operands] if cls.halves else [list(inputs) if len(cls.operand_defs) == 2 and
                                                cls.operand_defs[0].variadic else inputs[0], outputs[0]]
        return cls.build(*groups,
                         result_types=tensor_results([v.type for v in operands], len(inputs)),
                         regions=[region], location=location, **attrs)

    @classmethod
    def parse_custom(cls, ctx, name_tok, payload, ins, outs, array, region, attrs):
        from ..opdef import OPS

        args, body = region if region is not None else (None, None)

        operands, types = [], []
        for group in (ins, outs):
            values, tys = list(group[0] or ()), list(group[1] or ())
            if len(values) != len(tys):
                raise ctx.error_at(name_tok, f"expected {len(values)} types, got {len(tys)}")
            for v, t in zip(values, tys):
                ctx.check_operand_type(v, t, name_tok)
            operands += values
            types += tys
        attributes = dict(attrs or {})
        if array is not None:
            keyword, value = array
            if keyword != cls.array_keyword:
                raise ctx.error_at(name_tok, f"expected '{cls.array_keyword}', got '{keyword}'")
            if not isinstance(value, ArrayAttr) or not all(isinstance(getattr(x, "value", None), int) for x in value):
                raise ctx.error_at(name_tok, f"expected a list of integers, got {value}")  # located (fuzzed input)
            attributes[keyword] = DenseI64ListSyntax().convert(ctx, value)
        loc = ctx.loc_of(name_tok)
        if payload is not None:
            name, payload_attrs = payload
            if OPS.get(name) is None:
                raise ctx.error_at(name_tok, f"unknown payload operation '{name}'")
            body = cls.short_form_region(OPS[name], payload_attrs, operands, loc)
        elif body is not None:
            ctx.bind_entry_arguments(body, args or [], name_tok)
        elif cls.user_region:
            raise ctx.error_at(name_tok, f"'{cls.name}' expects a region or a short-form payload")
        else:
            body = cls.default_region(types, loc)
        return ctx.make_op(cls.name, operands, cls.infer_result_types(types, attributes), attributes, [body], [], loc)

    @classmethod
    def short_form_region(cls, payload_cls, payload_attrs, operands, location) -> Region:
        """``{ arith.addf }``: the payload applied to the inputs' elements (reduce: init first)."""
        from ..builder import Builder

        block = Block([element_type(v.type) for v in operands])
        args = list(block.arguments)
        n_in = len(operands) - (len(operands) // 2 if cls.halves else 1)
        payload_args = args[n_in:] + args[:n_in] if cls.halves else args[:n_in]
        b = Builder.at_end(block, location)
        result = b.create(payload_cls, *payload_args, result_types=[element_type(operands[-1].type)],
                          attributes=dict(payload_attrs)).results[0]
        b.create(YieldOp, [result])
        return Region([block])

    def _short_form(self) -> Optional[str]:
        """The payload's name when the body is one op on the arguments in short-form order."""
        block = self.regions[0].blocks[0]
        ops = list(block.ops)
        if len(ops) != 2 or ops[0].regions or len(ops[0].results) != 1:
            return None
        defaults = dict(getattr(type(ops[0]), "_attr_defaults", ()))
        if any(defaults.get(k) != v for k, v in ops[0].attributes.items()):
            return None
        payload, term = ops
        args = list(block.arguments)
        n_in = len(self.structured_inputs())
        want = args[n_in:] + args[:n_in] if self.halves else args[:n_in]
        if list(payload.operands) != want or list(term.operands) != [payload.results[0]]:
            return None
        return payload.op_name

    def print_custom(self, p) -> None:
        short = self._short_form() if self.user_region else None
        if short:
            p.write(" { ", short, " }")
        print_ins_outs(p, self.structured_inputs(), self.structured_outputs())
        if self.array_keyword:
            p.write(f" {self.array_keyword} = ", DenseI64ListSyntax().print(self.attributes[self.array_keyword]))
        if self.user_region and not short:
            block = self.regions[0].blocks[0]
            p.write(" (", ", ".join(f"{p.name_of(a)}: {a.type}" for a in block.arguments), ") ")
            p.print_region(self.regions[0], print_entry_block_args=False)
        p.print_optional_attr_dict(self, elided={self.array_keyword} if self.array_keyword else ())


def _rank(v) -> int:
    return v.type.rank if isinstance(v.type, ShapedType) else 0


@linalg.op
class TransposeOp(_RegionNamedOp):
    """``init[i...] = input[permuted i...]``: output dimension i is input dimension permutation[i]."""

    name = "linalg.transpose"
    summary = "Transpose operator"
    operand_defs = (Operand("input", AnyShaped), Operand("init", AnyShaped))
    result_defs = (Result("result", AnyTensor, variadic=True),)
    attribute_defs = (Attr("permutation", DenseArrayAttr),)
    region_defs = (RegionDef("region"),)
    array_keyword = "permutation"
    syntax_subrules = _RegionNamedOp.shared_subrules

    def structured_indexing_maps(self):
        perm = _ints(self.attributes.get("permutation"))
        if sorted(perm) != list(range(len(perm))):
            raise ValueError("permutation is not valid")
        return [inverse_permutation(permutation_map(perm)), affine_map(len(perm), [AffineDim(i) for i in range(len(perm))])]

    def structured_iterator_types(self):
        return ["parallel"] * len(_ints(self.attributes.get("permutation")))

    def verify(self) -> None:
        perm = _ints(self.attributes.get("permutation"))
        rank_in, rank_out = _rank(self.operands[0]), _rank(self.operands[1])
        if rank_in != rank_out:
            raise self.emit_error(f"input rank {rank_in} does not match init rank {rank_out}")
        if len(perm) != rank_in:
            raise self.emit_error(f"size of permutation {len(perm)} does not match the argument rank {rank_in}")
        super().verify()


@linalg.op
class BroadcastOp(_RegionNamedOp):
    """``init[i...] = input[i... without dimensions]``: `dimensions` are the init's added dimensions."""

    name = "linalg.broadcast"
    summary = "Static broadcast operator"
    operand_defs = (Operand("input", AnyShaped), Operand("init", AnyShaped))
    result_defs = (Result("result", AnyTensor, variadic=True),)
    attribute_defs = (Attr("dimensions", DenseArrayAttr),)
    region_defs = (RegionDef("region"),)
    array_keyword = "dimensions"

    def structured_indexing_maps(self):
        dims = _ints(self.attributes.get("dimensions"))
        n = _rank(self.operands[1])
        return [affine_map(n, [AffineDim(d) for d in range(n) if d not in dims]),
                affine_map(n, [AffineDim(d) for d in range(n)])]

    def structured_iterator_types(self):
        return ["parallel"] * _rank(self.operands[1])

    def verify(self) -> None:
        dims = _ints(self.attributes.get("dimensions"))
        rank_in, rank_out = _rank(self.operands[0]), _rank(self.operands[1])
        if rank_in + len(dims) != rank_out:
            raise self.emit_error("input rank plus added dimensions does not match init rank. input rank: "
                                  f"{rank_in}, dimensions size: {len(dims)}, init rank: {rank_out}")
        for k, d in enumerate(dims):
            if not 0 <= d < rank_out:
                raise self.emit_error(f"dimension {k} is out of range. expected range: [0, {rank_out - 1}], got: {d}")
        super().verify()


@linalg.op
class ReduceOp(_RegionNamedOp):
    """The inputs reduced along `dimensions` into the inits by the combiner region
    (block arguments: the inputs' elements, then the inits')."""

    name = "linalg.reduce"
    summary = "Reduce operator"
    operand_defs = (Operand("operands", AnyShaped, variadic=True),)
    result_defs = (Result("result", AnyTensor, variadic=True),)
    attribute_defs = (Attr("dimensions", DenseArrayAttr),)
    region_defs = (RegionDef("combiner"),)
    array_keyword = "dimensions"
    user_region = True
    halves = True

    def structured_inputs(self):
        return list(self.operands[:len(self.operands) // 2])

    def structured_outputs(self):
        return list(self.operands[len(self.operands) // 2:])

    @classmethod
    def infer_result_types(cls, operand_types, attributes, regions=()):
        return tensor_results(operand_types, len(operand_types) // 2)

    def structured_indexing_maps(self):
        dims = _ints(self.attributes.get("dimensions"))
        n = _rank(self.operands[0])
        identity = affine_map(n, [AffineDim(d) for d in range(n)])
        kept = affine_map(n, [AffineDim(d) for d in range(n) if d not in dims])
        half = len(self.operands) // 2
        return [identity] * half + [kept] * half

    def structured_iterator_types(self):
        dims = _ints(self.attributes.get("dimensions"))
        return [REDUCTION if d in dims else "parallel" for d in range(_rank(self.operands[0]))]

    def verify(self) -> None:
        ins = self.structured_inputs()
        for k, v in enumerate(ins[1:], 1):
            if v.type.shape != ins[0].type.shape:
                raise self.emit_error(f"expects all inputs to have the same shapes. Shape at input-index {k} is "
                                      f"not equal to the shape at input-index 0.")
        dims = _ints(self.attributes.get("dimensions"))
        rank = _rank(ins[0]) if ins else 0
        for d in dims:
            if not 0 <= d < rank:
                raise self.emit_error(f"dimensions for reduction should be in the range [0, {rank - 1}].")
        super().verify()


@linalg.op
class MapOp(_RegionNamedOp):
    """The mapper region applied elementwise to the inputs, into the init
    (block arguments: the inputs' elements, then the init's)."""

    name = "linalg.map"
    summary = "Elementwise operations"
    operand_defs = (Operand("inputs", AnyShaped, variadic=True), Operand("init", AnyShaped))
    result_defs = (Result("result", AnyTensor, variadic=True),)
    region_defs = (RegionDef("mapper"),)
    user_region = True

    def structured_indexing_maps(self):
        n = _rank(self.operands[-1])
        return [affine_map(n, [AffineDim(d) for d in range(n)])] * len(self.operands)

    def structured_iterator_types(self):
        return ["parallel"] * _rank(self.operands[-1])

    def verify(self) -> None:
        block = self.regions[0].blocks[0] if self.regions and self.regions[0].blocks else None
        if block is not None and len(block.arguments) != len(self.operands):
            raise self.emit_error(f"expects number of operands to match the arity of mapper, but got: "
                                  f"{len(self.operands)} and {len(block.arguments)}")
        super().verify()


__all__ = ["NamedStructuredOp", "declare", "TransposeOp", "BroadcastOp", "ReduceOp", "MapOp", "DPS_FORMAT"]
