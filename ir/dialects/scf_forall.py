"""``scf.forall``: a multi-dimensional loop whose iterations are independent,
with its terminator ``scf.forall.in_parallel``, in MLIR 22's syntax::

    scf.forall (%i, %j) in (8, %n) { ... }                       // from 0, step 1
    scf.forall (%i) = (%lb) to (%ub) step (2) { ... }
    %r = scf.forall (%i) in (4) shared_outs(%o = %t) -> (tensor<4xf32>) {
      ...
      scf.forall.in_parallel { ... }
    }

Bounds and steps are mixed lists: a constant is kept in the ``static*``
properties, a value is an operand and ``-9223372036854775808`` (MLIR's
kDynamic) marks its place, as in MLIR's generic form.

The ``in_parallel`` region may hold only ops that combine into a shared
output (`ParallelCombining`, MLIR's ParallelCombiningOpInterface:
``tensor.parallel_insert_slice``), each updating an output block argument.
The interpreter runs the iterations in order (any order is valid): every
iteration sees the ``shared_outs`` operands as the output arguments, and its
combining ops update the results, which start as those operands.  No
derivative rules: an active scf.forall is reported by the AD passes as an op
without a rule.  Bufferization: scf_bufferize.py.
"""

from __future__ import annotations

import itertools
from typing import List, Sequence

from ..attributes import ArrayAttr, DenseArrayAttr
from ..control_flow import LoopLike, ParallelCombining
from ..core import Block, Region, Value
from ..diagnostics import error
from ..interpreter import Yield, interpret, runtime_error
from ..location import UNKNOWN
from ..opdef import Attr, Index, Op, Operand, RegionDef, Result, TypeConstraint
from ..traits import (
    AutomaticAllocationScope,
    HasParent,
    NoTerminator,
    Pure,
    RecursiveMemoryEffects,
    SingleBlock,
    Terminator,
)
from ..types import IndexType, TensorType, i32, i64, index
from .scf import _names, _types, scf
from .scf_index_switch import require_i64_arrays

DYNAMIC_INDEX = -(1 << 63)  # MLIR's ShapedType::kDynamic in static bound lists
RankedTensors = TypeConstraint(
    "variadic of ranked tensor of any type values", lambda t: isinstance(t, TensorType) and t.is_ranked
)


# ----------------------------------------------------------------------------
# parsing helpers


def _bound(ctx, item):
    """An integer literal (kept static) or an SSA value (dynamic)."""
    if isinstance(item, Value):
        return item
    return int(getattr(item, "value", item))


def _bounds(ctx, *items):
    return [it for it in items if it is not None]


def _iv_names(ctx, *toks):
    return [t for t in toks if t is not None]


def _shared_outs(ctx, *items):
    """`shared_outs(%o = %t, ...) -> (types)`: the body's output arguments are named here."""
    return (list(items[:-1]), list(items[-1]))


def _in_form(ctx, ivs, ubs):
    return (ivs, [0] * len(ivs), ubs, [1] * len(ivs))


def _range_form(ctx, ivs, lbs, ubs, steps):
    return (ivs, lbs, ubs, steps)


def _split(mixed):
    """(static list with DYNAMIC_INDEX holes, dynamic values) of a mixed list."""
    static, dynamic = [], []
    for item in mixed:
        if isinstance(item, Value):
            static.append(DYNAMIC_INDEX)
            dynamic.append(item)
        else:
            static.append(item)
    return static, dynamic


@scf.op
class InParallelOp(Op):
    """``scf.forall.in_parallel { ... }``: the terminator of scf.forall; its ops combine
    each iteration's contribution into the shared outputs."""

    __slots__ = ()
    name = "scf.forall.in_parallel"
    summary = "terminates a `forall` block"
    region_defs = (RegionDef("region"),)
    traits = frozenset({Pure, Terminator, SingleBlock, NoTerminator, HasParent.of("scf.forall")})
    syntax_rule = "region [attr_dict]"

    @classmethod
    def create(cls, location=UNKNOWN) -> "InParallelOp":
        return cls.build(regions=[Region([Block()])], location=location)

    @classmethod
    def parse_custom(cls, ctx, name_tok, region, attrs):
        if not region.blocks:
            region.add_block(Block())
        return ctx.make_op(cls.name, [], [], dict(attrs or {}), [region], [], ctx.loc_of(name_tok))

    def print_custom(self, p) -> None:
        p.write(" ")
        p.print_region(self.regions[0], print_entry_block_args=False)
        p.print_optional_attr_dict(self)

    def verify(self) -> None:
        forall = self.parent_op
        outputs = set(forall.body_block.arguments[forall.rank:]) if isinstance(forall, ForallOp) else set()
        for block in self.regions[0].blocks:
            for op in block.ops:
                model = ParallelCombining.get(op)
                if model is None:
                    raise self.emit_error("expected only ParallelCombiningOpInterface ops")
                if any(op.operands[i] not in outputs for i in model.updated_destinations()):
                    raise op.emit_error("may only insert into an output block argument")

    @property
    def combining_ops(self) -> List:
        """The ops that combine each iteration's contribution into the outputs."""
        return [op for block in self.regions[0].blocks for op in block.ops]


@scf.op
class ForallOp(Op):
    """Runs its body once for every point of the iteration space, in any order;
    `shared_outs` are tensors the iterations write disjoint parts of."""

    __slots__ = ()
    name = "scf.forall"
    summary = "evaluate a block multiple times in parallel"
    operand_defs = (
        Operand("dynamicLowerBound", Index, variadic=True),
        Operand("dynamicUpperBound", Index, variadic=True),
        Operand("dynamicStep", Index, variadic=True),
        Operand("outputs", RankedTensors, variadic=True),
    )
    result_defs = (Result("results", RankedTensors, variadic=True),)
    attribute_defs = (
        Attr("staticLowerBound", DenseArrayAttr, description="i64 dense array attribute"),
        Attr("staticUpperBound", DenseArrayAttr, description="i64 dense array attribute"),
        Attr("staticStep", DenseArrayAttr, description="i64 dense array attribute"),
        Attr("mapping", ArrayAttr, optional=True),
    )
    region_defs = (RegionDef("region"),)
    traits = frozenset({RecursiveMemoryEffects, SingleBlock, AutomaticAllocationScope})
    implicit_terminator = "scf.forall.in_parallel"
    syntax_rule = "scf_forall_header [scf_forall_shared_outs] region [attr_dict]"
    syntax_subrules = {
        "scf_forall_header": ("scf_forall_in | scf_forall_range", lambda ctx, h: h),
        "scf_forall_in": ('scf_forall_ivs "in" scf_forall_bounds', _in_form),
        "scf_forall_range": (
            'scf_forall_ivs "=" scf_forall_bounds "to" scf_forall_bounds "step" scf_forall_bounds', _range_form
        ),
        "scf_forall_ivs": ('"(" VALUE_ID ("," VALUE_ID)* ")"', _iv_names),
        "scf_forall_bounds": ('"(" [scf_forall_bound ("," scf_forall_bound)*] ")"', _bounds),
        "scf_forall_bound": ("value_use | INT | NEG_INT", _bound),
        "scf_forall_shared_outs": (
            '"shared_outs" "(" scf_forall_assignment ("," scf_forall_assignment)* ")" "->" function_results',
            _shared_outs,
        ),
        "scf_forall_assignment": ('VALUE_ID "=" value_use', lambda ctx, tok, v: (tok, v)),
    }

    # -- construction ------------------------------------------------------------------
    @classmethod
    def create(cls, lower_bounds: Sequence, upper_bounds: Sequence, steps: Sequence,
               outputs: Sequence[Value] = (), location=UNKNOWN) -> "ForallOp":
        """A loop over mixed bounds (ints or index values), its body one index argument
        per dimension plus one per output, ending in an empty in_parallel."""
        (slb, dlb), (sub, dub), (sst, dst) = _split(lower_bounds), _split(upper_bounds), _split(steps)
        outputs = list(outputs)
        block = Block([index] * len(slb) + [v.type for v in outputs])
        block.append(InParallelOp.create(location=location))
        return cls.build(dlb, dub, dst, outputs, result_types=[v.type for v in outputs],
                         regions=[Region([block])], location=location,
                         staticLowerBound=DenseArrayAttr(i64, tuple(slb)),
                         staticUpperBound=DenseArrayAttr(i64, tuple(sub)),
                         staticStep=DenseArrayAttr(i64, tuple(sst)))

    @classmethod
    def parse_custom(cls, ctx, name_tok, header, shared_outs, region, attrs):
        ivs, lbs, ubs, steps = header
        loc = ctx.loc_of(name_tok)
        for what, group in (("lower bound", lbs), ("upper bound", ubs), ("step", steps)):
            if len(group) != len(ivs):
                raise ctx.error_at(name_tok, f"expected {len(ivs)} {what} values, got {len(group)}")
            for v in group:
                if isinstance(v, Value):
                    ctx.check_operand_type(v, index, name_tok)
        assignments, types = shared_outs if shared_outs is not None else ([], [])
        if len(assignments) != len(types):
            raise ctx.error_at(
                name_tok, f"expected as many result types as shared_outs: {len(assignments)} values, {len(types)} types"
            )
        for (tok, v), t in zip(assignments, types):
            ctx.check_operand_type(v, t, tok)
        # the body's arguments are named in the header: the induction variables, then the outputs
        entry_args = [(tok, index, None) for tok in ivs] + [(tok, t, None) for (tok, _), t in zip(assignments, types)]
        ctx.bind_entry_arguments(region, entry_args, name_tok)
        if not region.blocks:
            region.add_block(Block())
        last = region.blocks[-1].last_op
        if not isinstance(last, InParallelOp):  # implicit when empty, as in MLIR's custom form
            region.blocks[-1].append(InParallelOp.create(location=loc))
        (slb, dlb), (sub, dub), (sst, dst) = _split(lbs), _split(ubs), _split(steps)
        all_attrs = dict(attrs or {})
        all_attrs.update(
            staticLowerBound=DenseArrayAttr(i64, tuple(slb)),
            staticUpperBound=DenseArrayAttr(i64, tuple(sub)),
            staticStep=DenseArrayAttr(i64, tuple(sst)),
            operandSegmentSizes=DenseArrayAttr(i32, (len(dlb), len(dub), len(dst), len(assignments))),
        )
        outputs = [v for _, v in assignments]
        return ctx.make_op(cls.name, [*dlb, *dub, *dst, *outputs], types, all_attrs, [region], [], loc)

    def print_custom(self, p) -> None:
        block = self.body_block
        ivs, outs = block.arguments[: self.rank], block.arguments[self.rank:]
        p.write(" (", _names(p, ivs), ")")
        lbs, ubs, steps = self.mixed_lower_bounds, self.mixed_upper_bounds, self.mixed_steps
        if all(b == 0 for b in lbs) and all(s == 1 for s in steps):
            p.write(" in (", self._mixed_text(p, ubs), ")")
        else:
            p.write(" = (", self._mixed_text(p, lbs), ") to (", self._mixed_text(p, ubs), ") step (",
                    self._mixed_text(p, steps), ")")
        if self.outputs:
            pairs = ", ".join(f"{p.name_of(a)} = {p.name_of(v)}" for a, v in zip(outs, self.outputs))
            p.write(" shared_outs(", pairs, ") -> (", _types(self.results), ")")
        p.write(" ")
        term = block.last_op
        # an empty in_parallel is implicit in MLIR's custom form
        elide = isinstance(term, InParallelOp) and all(b.first_op is None for b in term.regions[0].blocks)
        p.print_region(self.regions[0], print_entry_block_args=False, print_block_terminators=not elide)
        p.print_optional_attr_dict(self, elided={"staticLowerBound", "staticUpperBound", "staticStep"})

    @staticmethod
    def _mixed_text(p, mixed) -> str:
        return ", ".join(p.name_of(x) if isinstance(x, Value) else str(x) for x in mixed)

    # -- accessors ------------------------------------------------------------------------
    @property
    def rank(self) -> int:
        return len(self.attributes["staticLowerBound"].values)

    @property
    def body_block(self) -> Block:
        return self.regions[0].blocks[0]

    @property
    def induction_vars(self) -> List[Value]:
        return list(self.body_block.arguments[: self.rank])

    def _mixed(self, attr: str, dynamic) -> List:
        values = iter(dynamic)
        return [next(values) if s == DYNAMIC_INDEX else s for s in self.attributes[attr].values]

    @property
    def mixed_lower_bounds(self) -> List:
        """The lower bounds: ints where static, index Values where dynamic."""
        return self._mixed("staticLowerBound", self.dynamicLowerBound)

    @property
    def mixed_upper_bounds(self) -> List:
        return self._mixed("staticUpperBound", self.dynamicUpperBound)

    @property
    def mixed_steps(self) -> List:
        return self._mixed("staticStep", self.dynamicStep)

    # -- verification (MLIR's ForallOp::verify) -------------------------------------------
    def verify_declaration(self) -> None:
        super().verify_declaration()
        require_i64_arrays(self, ("staticLowerBound", "staticUpperBound", "staticStep"))

    def verify(self) -> None:
        n = self.rank
        outputs = list(self.outputs)
        if len(self.results) != len(outputs):
            raise self.emit_error(f"produces {len(self.results)} results, but has only {len(outputs)} outputs")
        first_output = len(self.operands) - len(outputs)
        for k, (v, r) in enumerate(zip(outputs, self.results)):
            if v.type != r.type:
                raise self.emit_error(
                    f"expected type of operand #{first_output + k} ('{v.type}') to match type of corresponding "
                    f"result ('{r.type}')"
                )
        if not self.regions[0].blocks:
            raise self.emit_error("expects a non-empty body region")
        block = self.body_block
        if len(block.arguments) != n + len(outputs):
            raise self.emit_error(f"region expects {n} arguments")
        for i in range(n):
            if not isinstance(block.arguments[i].type, IndexType):
                raise self.emit_error(f"expects {i}-th block argument to be an index")
        for i, v in enumerate(outputs):
            if block.arguments[n + i].type != v.type:
                raise self.emit_error(f"type mismatch between {i}-th output and corresponding block argument")
        mapping = self.attributes.get("mapping")
        if mapping is not None and len(mapping) and len(mapping) != n:
            raise self.emit_error("mapping attribute size must match op rank")
        for name, attr, dynamic in (
            ("lower bound", "staticLowerBound", self.dynamicLowerBound),
            ("upper bound", "staticUpperBound", self.dynamicUpperBound),
            ("step", "staticStep", self.dynamicStep),
        ):
            static = self.attributes[attr].values
            if len(static) != n:
                # MLIR's verifyListOfOperandsOrIntegers words these without the op's name
                raise error(f"expected {n} {name} values, got {len(static)}", self.location)
            holes = sum(1 for s in static if s == DYNAMIC_INDEX)
            if len(dynamic) != holes:
                raise error(f"expected {holes} dynamic {name} values", self.location)
        if not isinstance(block.last_op, InParallelOp):
            raise self.emit_error("expects region to terminate with 'scf.forall.in_parallel'")


@LoopLike.implement(ForallOp)
class _ForallLoop(LoopLike):
    """The body runs once per point (LICM hoists out of it); no loop-carried values."""

    def loop_regions(self, op):
        return [op.regions[0]]

    def induction_vars(self, op):
        return op.induction_vars


ParallelCombining.terminators.add(InParallelOp.name)


@interpret.register(InParallelOp)
def _interpret_in_parallel(interp, op, args):
    """Hands the forall each combining op with its evaluated operands (the forall applies
    them to its results)."""
    env = interp._env
    try:
        return Yield([(c, [env[v] for v in c.operands]) for c in op.combining_ops], op)
    except KeyError:
        raise runtime_error(op, "uses a value that has not been computed") from None


@interpret.register(ForallOp)
def _interpret_forall(interp, op, args):
    n_lb, n_ub, n_st = len(op.dynamicLowerBound), len(op.dynamicUpperBound), len(op.dynamicStep)
    values = iter(args)
    dynamic = [[next(values) for _ in range(k)] for k in (n_lb, n_ub, n_st)]
    outputs = list(values)
    bounds = []
    for attr, dyn in zip(("staticLowerBound", "staticUpperBound", "staticStep"), dynamic):
        it = iter(dyn)
        bounds.append([int(next(it)) if s == DYNAMIC_INDEX else s for s in op.attributes[attr].values])
    lbs, ubs, steps = bounds
    for lb, ub, s in zip(lbs, ubs, steps):
        if lb < ub and s <= 0:
            raise runtime_error(op, f"step must be positive, got {s}")
    ranges = [range(lb, ub, s) if lb < ub else range(0) for lb, ub, s in zip(lbs, ubs, steps)]
    out_args = op.body_block.arguments[op.rank:]
    results = list(outputs)
    for ivs in itertools.product(*ranges):
        for combining, operands in interp.run_region(op.regions[0], [*ivs, *outputs]):
            model = ParallelCombining.of(combining)
            updated = model.updated_destinations()
            positions = [out_args.index(combining.operands[i]) for i in updated]
            for i, k in zip(updated, positions):
                operands[i] = results[k]
            for k, value in zip(positions, model.combine(interp, operands)):
                results[k] = value
    return results
