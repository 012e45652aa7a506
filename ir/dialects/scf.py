"""The scf dialect: structured control flow (MLIR syntax).

``scf.for``, ``scf.if``, ``scf.while``/``scf.condition``, ``scf.parallel``/
``scf.reduce``/``scf.reduce.return``, ``scf.execute_region`` and their
terminator ``scf.yield``.  Each op's custom form, verifier, builder and
interpreter rule live here side by side; the canonicalization patterns are in
``scf_patterns.py`` and the ops' control flow (RegionBranch, LoopLike) in
``scf_control_flow.py``.

Regions whose entry-block arguments are named in the op header (the
induction variable and ``iter_args`` of ``scf.for``) are parsed through
``ParseContext.bind_entry_arguments`` once the loop is built, as
``func.func`` does for its arguments.
"""

from __future__ import annotations

import itertools
from typing import Callable, List, Optional, Sequence

from ..attributes import IntegerAttr, UnitAttr
from ..builder import Builder
from ..core import Block, Operation, Region, Value
from ..location import UNKNOWN
from ..opdef import (
    AnySignlessIntegerOrIndex,
    Attr,
    Dialect,
    I1,
    Index,
    Op,
    Operand,
    RegionDef,
    Result,
)
from ..rewrite import constant_value
from ..traits import (
    AutomaticAllocationScope,
    HasParent,
    Pure,
    RecursiveMemoryEffects,
    ReturnLike,
    SingleBlock,
    Terminator,
)
from ..types import IndexType, Type, i1, index

scf = Dialect("scf", "structured control flow: loops, conditionals, parallel loops")


def _names(p, values) -> str:
    return ", ".join(p.name_of(v) for v in values)


def _types(values) -> str:
    return ", ".join(str(v.type) for v in values)


def _single_block(op, region: Region, what: str) -> Block:
    if not region.blocks:
        raise op.emit_error(f"expects a non-empty {what} region")
    return region.blocks[0]


def _ensure_terminator(region: Region, terminator_cls, location) -> None:
    """MLIR's SingleBlockImplicitTerminator: an elided terminator is added back."""
    if not region.blocks:
        region.add_block(Block())
    block = region.blocks[-1]
    last = block.last_op
    if last is None or not last.has_trait(Terminator):
        block.append(terminator_cls.build(location=location))


# ----------------------------------------------------------------------------
# parsing helpers (grammar sub-rule callbacks)


def _assignment(ctx, name_tok, value):
    return (name_tok, value)


def _assignments(ctx, *items):
    return [it for it in items if it is not None]


def _arrow_types(ctx, types):
    return list(types)


def _keyword_flag(ctx, tok):
    return True


def _bind_assignments(ctx, assignments, types, tok, what: str):
    """Check `%a = %v` pairs against their types; return the init values."""
    if len(assignments) != len(types):
        raise ctx.error_at(
            tok, f"expected as many {what} types as {what} values: {len(assignments)} values, {len(types)} types"
        )
    values = []
    for (name_tok, v), t in zip(assignments, types):
        ctx.check_operand_type(v, t, name_tok)
        values.append(v)
    return values


def _for_header(ctx, iv_tok, lb, ub, step, iter_args, iv_type):
    iv_type = iv_type if iv_type is not None else index
    for v in (lb, ub, step):
        ctx.check_operand_type(v, iv_type, iv_tok)
    assignments, types = iter_args if iter_args is not None else ([], [])
    inits = _bind_assignments(ctx, assignments, types, iv_tok, "iter_args")
    entry_args = [(iv_tok, iv_type, None)] + [(a[0], t, None) for a, t in zip(assignments, types)]
    return (entry_args, lb, ub, step, inits, types)


def _for_iter_args(ctx, assignments, types):
    return (assignments, types)


def _while_header(ctx, assignments, ftype):
    # checked in WhileOp.parse_custom, where the op's name token locates errors
    return (assignments or [], ftype)


def _parallel_header(ctx, ivs, lbs, ubs, steps, inits, result_types):
    ivs = [iv for iv in ivs if iv is not None]
    for group in (lbs, ubs, steps):
        for v in group:
            ctx.check_operand_type(v, index, ivs[0] if ivs else None)
    for what, group in (("lower bounds", lbs), ("upper bounds", ubs), ("steps", steps)):
        if len(group) != len(ivs):
            raise ctx.error_at(
                ivs[0] if ivs else None,
                f"expected {len(ivs)} {what} to match the induction variables, got {len(group)}",
            )
    inits = list(inits or [])
    result_types = list(result_types or [])
    if len(inits) != len(result_types):
        raise ctx.error_at(
            ivs[0] if ivs else None,
            f"expected as many result types as initial values: {len(inits)} values, {len(result_types)} types",
        )
    for v, t in zip(inits, result_types):
        ctx.check_operand_type(v, t, ivs[0] if ivs else None)
    entry_args = [(tok, index, None) for tok in ivs]
    return (entry_args, lbs, ubs, steps, inits, result_types)


def _iv_list(ctx, *toks):
    return list(toks)


def _value_list_parens(ctx, values):
    return list(values or [])


def _reduce_operands(ctx, values, types):
    return (list(values), list(types))


def _reductions(ctx, regions, attrs):
    return (regions, attrs)


def _else_region(ctx, region):
    return region


# ----------------------------------------------------------------------------
# terminators


@scf.op
class YieldOp(Op):
    """Yields values from an scf region to its parent op (loop-carried values, if results)."""

    __slots__ = ()
    name = "scf.yield"
    summary = "loop yield and termination operation"
    operand_defs = (Operand("operands", variadic=True),)
    traits = frozenset(
        {Pure, Terminator, ReturnLike, HasParent.of("scf.for", "scf.if", "scf.while", "scf.execute_region",
                                                     "scf.index_switch")}
    )
    format = "attr-dict ($operands^ `:` type($operands))?"

    @property
    def values(self) -> List[Value]:
        return list(self.operands)

    @classmethod
    def create(cls, values: Sequence[Value] = (), location=UNKNOWN) -> "YieldOp":
        return cls.build(list(values), location=location)


@scf.op
class ConditionOp(Op):
    """Ends the `before` region of scf.while: continue with `args` if `condition`, else exit with them."""

    __slots__ = ()
    name = "scf.condition"
    summary = "loop continuation condition"
    operand_defs = (Operand("condition", I1), Operand("args", variadic=True))
    traits = frozenset({Pure, Terminator, HasParent.of("scf.while")})
    format = "`(` $condition `)` attr-dict ($args^ `:` type($args))?"

    @classmethod
    def create(cls, condition: Value, args: Sequence[Value] = (), location=UNKNOWN) -> "ConditionOp":
        return cls.build(condition, list(args), location=location)


@scf.op
class ReduceReturnOp(Op):
    """Ends a reduction region of scf.reduce with the combined value."""

    __slots__ = ()
    name = "scf.reduce.return"
    summary = "terminator for a reduction region"
    operand_defs = (Operand("result"),)
    traits = frozenset({Pure, Terminator, HasParent.of("scf.reduce")})
    format = "$result attr-dict `:` type($result)"

    def verify(self) -> None:
        block = self.parent
        if block is None or not block.arguments:
            return
        expected = block.arguments[0].type
        if self.operands[0].type != expected:
            raise self.emit_error(f"must have type '{expected}' (the type of the reduction inputs)")


@scf.op
class ReduceOp(Op):
    """Ends the body of scf.parallel: each operand is combined into its result by its reduction region."""

    __slots__ = ()
    name = "scf.reduce"
    summary = "reduce operation for scf.parallel"
    operand_defs = (Operand("operands", variadic=True),)
    region_defs = (RegionDef("reductions", variadic=True),)
    traits = frozenset({Terminator, RecursiveMemoryEffects, HasParent.of("scf.parallel")})
    syntax_rule = "[scf_reduce_operands] [scf_reductions]"
    syntax_subrules = {
        "scf_reduce_operands": ('"(" value_use_list ":" type_list ")"', _reduce_operands),
        "scf_reductions": ("region_seq [attr_dict]", _reductions),
    }

    @classmethod
    def parse_custom(cls, ctx, name_tok, operands, reductions):
        values, types = operands if operands is not None else ([], [])
        if len(values) != len(types):
            raise ctx.error_at(name_tok, f"expected {len(values)} types for the reduced operands, got {len(types)}")
        for v, t in zip(values, types):
            ctx.check_operand_type(v, t, name_tok)
        regions, attrs = reductions if reductions is not None else ([], None)
        return ctx.make_op(cls.name, values, [], dict(attrs or {}), list(regions), [], ctx.loc_of(name_tok))

    def print_custom(self, p) -> None:
        if self.operands:
            p.write("(", _names(p, self.operands), " : ", _types(self.operands), ")")
        for i, r in enumerate(self.regions):
            p.write(" " if i == 0 else ", ")
            p.print_region(r)
        if self.regions:
            p.print_optional_attr_dict(self)

    @classmethod
    def create(cls, operands: Sequence[Value] = (), location=UNKNOWN) -> "ReduceOp":
        """One reduction region per operand, each an empty block with (lhs, rhs) arguments."""
        regions = [Region([Block([v.type, v.type])]) for v in operands]
        return cls.build(list(operands), regions=regions, location=location)

    def verify(self) -> None:
        if len(self.regions) != len(self.operands):
            raise self.emit_error(
                f"expects one reduction region per operand: {len(self.operands)} operands, "
                f"{len(self.regions)} regions"
            )
        for i, (v, region) in enumerate(zip(self.operands, self.regions)):
            if not region.blocks or region.blocks[0].is_empty:
                raise self.emit_error(f"{i}-th reduction has an empty body")
            if len(region.blocks) != 1:
                raise self.emit_error(f"expects region #{i} to have 0 or 1 blocks")
            block = region.blocks[0]
            if len(block.arguments) != 2 or any(a.type != v.type for a in block.arguments):
                raise self.emit_error(
                    f"expected two block arguments with type '{v.type}' in the {i}-th reduction region"
                )
            if not isinstance(block.last_op, ReduceReturnOp):
                raise self.emit_error("reduction bodies must be terminated with an 'scf.reduce.return' op")


# ----------------------------------------------------------------------------
# scf.for


@scf.op
class ForOp(Op):
    """A counted loop ``for iv = lb; iv < ub; iv += step`` carrying `init_args` through `iter_args`.

    The body's block arguments are the induction variable and then one
    region iter arg per init; its scf.yield gives the next iteration's
    values, and the loop's results are the last ones yielded (the inits if
    the loop runs zero times).
    """

    __slots__ = ()
    name = "scf.for"
    summary = "for operation"
    operand_defs = (
        Operand("lower_bound", AnySignlessIntegerOrIndex),
        Operand("upper_bound", AnySignlessIntegerOrIndex),
        Operand("step", AnySignlessIntegerOrIndex),
        Operand("init_args", variadic=True),
    )
    result_defs = (Result("results", variadic=True),)
    attribute_defs = (Attr("unsignedCmp", UnitAttr, optional=True),)
    region_defs = (RegionDef("body"),)
    traits = frozenset({RecursiveMemoryEffects, SingleBlock, AutomaticAllocationScope})
    implicit_terminator = "scf.yield"
    syntax_rule = "unsigned=[scf_for_unsigned] header=scf_for_header body=region attrs=[attr_dict]"
    syntax_subrules = {
        "!scf_for_unsigned": ('"unsigned"', _keyword_flag),
        "scf_for_header": (
            'VALUE_ID "=" value_use "to" value_use "step" value_use [scf_for_iter_args] [":" type]',
            _for_header,
        ),
        "scf_for_iter_args": ('"iter_args" scf_assignments "->" function_results', _for_iter_args),
        "scf_assignments": ('"(" [scf_assignment ("," scf_assignment)*] ")"', _assignments),
        "scf_assignment": ('VALUE_ID "=" value_use', _assignment),
    }

    # -- construction -------------------------------------------------------------
    @classmethod
    def create(
        cls,
        lower_bound: Value,
        upper_bound: Value,
        step: Value,
        init_args: Sequence[Value] = (),
        body_builder: Optional[Callable] = None,
        location=UNKNOWN,
        unsigned: bool = False,
    ) -> "ForOp":
        """A loop whose body block has the induction variable and one iter arg per init.

        `body_builder(builder, iv, iter_args)` may fill the body and return
        the values to yield; without it a loop with no inits gets an empty
        scf.yield and one with inits is left for the caller to finish.
        """
        init_args = list(init_args)
        block = Block([lower_bound.type] + [v.type for v in init_args])
        attrs = {"unsignedCmp": UnitAttr()} if unsigned else {}
        op = cls.build(
            lower_bound,
            upper_bound,
            step,
            init_args,
            result_types=[v.type for v in init_args],
            regions=[Region([block])],
            location=location,
            attributes=attrs,
        )
        if body_builder is not None:
            b = Builder.at_end(block, location)
            yielded = body_builder(b, block.arguments[0], list(block.arguments[1:]))
            if block.terminator is None:
                b.create(YieldOp, list(yielded or []))
        elif not init_args:
            block.append(YieldOp.build(location=location))
        return op

    @classmethod
    def parse_custom(cls, ctx, name_tok, unsigned, header, body, attrs):
        entry_args, lb, ub, step, inits, types = header
        all_attrs = dict(attrs or {})
        if unsigned:
            all_attrs["unsignedCmp"] = UnitAttr()
        loc = ctx.loc_of(name_tok)
        ctx.bind_entry_arguments(body, entry_args, name_tok)
        _ensure_terminator(body, YieldOp, loc)
        return ctx.make_op(cls.name, [lb, ub, step, *inits], list(types), all_attrs, [body], [], loc)

    def print_custom(self, p) -> None:
        if self.unsigned_cmp:
            p.write(" unsigned")
        block = self.body.blocks[0] if self.body.blocks else None
        iv = p.name_of(block.arguments[0]) if block is not None and block.arguments else "%<<no induction variable>>"
        p.write(" ", iv, " = ", p.name_of(self.lower_bound), " to ", p.name_of(self.upper_bound),
                " step ", p.name_of(self.step))
        inits = self.init_args
        if inits:
            iter_args = self.region_iter_args
            pairs = ", ".join(f"{p.name_of(a)} = {p.name_of(v)}" for a, v in zip(iter_args, inits))
            p.write(" iter_args(", pairs, ") -> (", _types(inits), ")")
        t = self.lower_bound.type
        if not isinstance(t, IndexType):
            p.write(" : ", str(t))
        p.write(" ")
        p.print_region(self.body, print_entry_block_args=False, print_block_terminators=bool(inits))
        p.print_optional_attr_dict(self, elided={"unsignedCmp"})

    # -- accessors ------------------------------------------------------------------
    @property
    def body_block(self) -> Block:
        return self.body.blocks[0]

    @property
    def induction_var(self) -> Value:
        return self.body.blocks[0].arguments[0]

    @property
    def region_iter_args(self) -> List[Value]:
        return list(self.body.blocks[0].arguments[1:])

    @property
    def unsigned_cmp(self) -> bool:
        return "unsignedCmp" in self.attributes

    @property
    def yield_op(self) -> Optional[Operation]:
        return self.body.blocks[0].last_op if self.body.blocks else None

    def constant_bounds(self):
        """(lb, ub, step) as Python ints when all three are constants, else None."""
        vals = [constant_value(v) for v in (self.lower_bound, self.upper_bound, self.step)]
        if all(isinstance(a, IntegerAttr) for a in vals):
            return tuple(_bound_int(a.value, v.type, self.unsigned_cmp)
                         for a, v in zip(vals, (self.lower_bound, self.upper_bound, self.step)))
        return None

    def constant_trip_count(self) -> Optional[int]:
        bounds = self.constant_bounds()
        if bounds is None:
            return None
        if self.lower_bound is self.upper_bound:
            return 0
        return _trip_count(*bounds)

    # -- verification ---------------------------------------------------------------
    def verify(self) -> None:
        lb, ub, step = self.lower_bound, self.upper_bound, self.step
        if not (lb.type == ub.type == step.type):
            raise self.emit_error("failed to verify that all of {lowerBound, upperBound, step} have same type")
        inits = self.init_args
        if len(inits) != len(self.results):
            raise self.emit_error("mismatch in number of loop-carried values and defined values")
        block = _single_block(self, self.body, "body")
        if not block.arguments or block.arguments[0].type != lb.type:
            raise self.emit_error("expected induction variable to be same type as bounds and step")
        iter_args = block.arguments[1:]
        if len(iter_args) != len(self.results):
            raise self.emit_error("mismatch in number of basic block args and defined values")
        for i, (init, arg, res) in enumerate(zip(inits, iter_args, self.results)):
            if init.type != res.type:
                raise self.emit_error(f"types mismatch between {i}th iter operand and defined value")
            if arg.type != res.type:
                raise self.emit_error(f"types mismatch between {i}th iter region arg and defined value")
        term = block.last_op
        if not isinstance(term, YieldOp):
            raise self.emit_error("expects its body to terminate with 'scf.yield'")
        for i, (arg, v) in enumerate(zip(iter_args, term.operands)):
            if arg.type != v.type:
                raise self.emit_error(
                    f"{i}-th region iter_arg and {i}-th yielded value have different type: '{arg.type}' != '{v.type}'"
                )


def _bound_int(v: int, t: Type, unsigned: bool) -> int:
    from ..interpreter import to_unsigned, wrap

    return to_unsigned(v, t) if unsigned else wrap(v, t)


def _trip_count(lb: int, ub: int, step: int) -> Optional[int]:
    if lb >= ub:
        return 0
    if step <= 0:
        return None
    return -((lb - ub) // step)


# ----------------------------------------------------------------------------
# scf.if


@scf.op
class IfOp(Op):
    """Runs `then_region` if `condition` is true, else `else_region` (which may be empty
    when the op has no results); the results are what the taken region yields."""

    __slots__ = ()
    name = "scf.if"
    summary = "if-then-else operation"
    operand_defs = (Operand("condition", I1),)
    result_defs = (Result("results", variadic=True),)
    region_defs = (RegionDef("then_region"), RegionDef("else_region"))
    traits = frozenset({RecursiveMemoryEffects, SingleBlock})
    implicit_terminator = "scf.yield"
    syntax_rule = "value_use [scf_arrow_types] region [scf_else] [attr_dict]"
    syntax_subrules = {
        "scf_arrow_types": ('"->" function_results', _arrow_types),
        "scf_else": ('"else" region', _else_region),
    }

    @classmethod
    def create(cls, condition: Value, result_types: Sequence[Type] = (), with_else: bool = True,
               location=UNKNOWN) -> "IfOp":
        """An if with a then block (and an else block if `with_else` or results are asked for).

        Without results the blocks get empty scf.yield terminators; with
        results the caller adds the yields.
        """
        result_types = list(result_types)
        then_region = Region([Block()])
        else_region = Region([Block()]) if (with_else or result_types) else Region()
        if not result_types:
            for r in (then_region, else_region):
                if r.blocks:
                    r.blocks[0].append(YieldOp.build(location=location))
        return cls.build(condition, result_types=result_types, regions=[then_region, else_region],
                         location=location)

    @classmethod
    def parse_custom(cls, ctx, name_tok, cond, result_types, then_region, else_region, attrs):
        ctx.check_operand_type(cond, i1, name_tok)
        loc = ctx.loc_of(name_tok)
        _ensure_terminator(then_region, YieldOp, loc)
        if else_region is None:
            else_region = Region()
        else:
            _ensure_terminator(else_region, YieldOp, loc)
        return ctx.make_op(cls.name, [cond], list(result_types or []), dict(attrs or {}),
                           [then_region, else_region], [], loc)

    def print_custom(self, p) -> None:
        p.write(" ", p.name_of(self.condition))
        terminators = bool(self.results)
        if self.results:
            p.write(" -> (", _types(self.results), ")")
        p.write(" ")
        p.print_region(self.then_region, print_entry_block_args=False, print_block_terminators=terminators)
        if self.else_region.blocks:
            p.write(" else ")
            p.print_region(self.else_region, print_entry_block_args=False, print_block_terminators=terminators)
        p.print_optional_attr_dict(self)

    @property
    def then_block(self) -> Block:
        return self.then_region.blocks[0]

    @property
    def else_block(self) -> Optional[Block]:
        return self.else_region.blocks[0] if self.else_region.blocks else None

    @property
    def then_yield(self) -> Operation:
        return self.then_block.last_op

    @property
    def else_yield(self) -> Optional[Operation]:
        b = self.else_block
        return b.last_op if b is not None else None

    def verify(self) -> None:
        if self.results and not self.else_region.blocks:
            raise self.emit_error("must have an else block if defining values")
        types = [r.type for r in self.results]
        for k, region in enumerate(self.regions):
            if not region.blocks:
                continue
            if region.blocks[0].arguments:
                raise self.emit_error(f"region #{k} should have no arguments")
            term = region.blocks[0].last_op
            if not isinstance(term, YieldOp):
                raise self.emit_error(f"expects region #{k} to terminate with 'scf.yield'")


# ----------------------------------------------------------------------------
# scf.while


@scf.op
class WhileOp(Op):
    """A general loop: `before` computes a condition (scf.condition) and the values
    passed on, `after` (run while the condition holds) yields the next `before` arguments."""

    __slots__ = ()
    name = "scf.while"
    summary = "a generic 'while' loop"
    operand_defs = (Operand("inits", variadic=True),)
    result_defs = (Result("results", variadic=True),)
    region_defs = (RegionDef("before"), RegionDef("after"))
    traits = frozenset({RecursiveMemoryEffects, SingleBlock})
    syntax_rule = 'header=scf_while_header before=region "do" after=region attrs=[attr_dict_kw]'
    syntax_subrules = {
        "scf_while_header": ('[scf_assignments] ":" function_type', _while_header),
    }

    @classmethod
    def create(cls, inits: Sequence[Value], result_types: Sequence[Type], location=UNKNOWN) -> "WhileOp":
        """A loop with a `before` block taking the init types and an `after` block taking
        `result_types`; the caller fills both (ending in scf.condition and scf.yield)."""
        inits = list(inits)
        result_types = list(result_types)
        before = Region([Block([v.type for v in inits])])
        after = Region([Block(result_types)])
        return cls.build(inits, result_types=result_types, regions=[before, after], location=location)

    @classmethod
    def parse_custom(cls, ctx, name_tok, header, before, after, attrs):
        assignments, ftype = header
        if len(assignments) != len(ftype.inputs):
            raise ctx.error_at(
                name_tok, f"expected {len(assignments)} operand types to match the initial values, "
                f"got {len(ftype.inputs)}"
            )
        inits = _bind_assignments(ctx, assignments, list(ftype.inputs), name_tok, "operand")
        ctx.bind_entry_arguments(before, [(a[0], t, None) for a, t in zip(assignments, ftype.inputs)], name_tok)
        if not before.blocks:
            before.add_block(Block())
        return ctx.make_op(cls.name, inits, list(ftype.results), dict(attrs or {}), [before, after], [],
                           ctx.loc_of(name_tok))

    def print_custom(self, p) -> None:
        from ..types import FunctionType

        if self.inits:
            before_args = self.before_block.arguments if self.before.blocks else []
            pairs = ", ".join(f"{p.name_of(a)} = {p.name_of(v)}" for a, v in zip(before_args, self.inits))
            p.write(" (", pairs, ")")
        ftype = FunctionType(tuple(v.type for v in self.inits), tuple(r.type for r in self.results))
        p.write(" : ", str(ftype), " ")
        p.print_region(self.before, print_entry_block_args=False)
        p.write(" do ")
        p.print_region(self.after)
        p.print_optional_attr_dict(self, keyword=True)

    @property
    def before_block(self) -> Block:
        return self.before.blocks[0]

    @property
    def after_block(self) -> Block:
        return self.after.blocks[0]

    @property
    def before_arguments(self) -> List[Value]:
        return list(self.before_block.arguments)

    @property
    def after_arguments(self) -> List[Value]:
        return list(self.after_block.arguments)

    @property
    def condition_op(self) -> Operation:
        return self.before_block.last_op

    @property
    def yield_op(self) -> Operation:
        return self.after_block.last_op

    def verify(self) -> None:
        before = _single_block(self, self.before, "'before'")
        after = _single_block(self, self.after, "'after'")
        if not isinstance(before.last_op, ConditionOp):
            raise self.emit_error("expects the 'before' region to terminate with 'scf.condition'")
        if not isinstance(after.last_op, YieldOp):
            raise self.emit_error("expects the 'after' region to terminate with 'scf.yield'")


# ----------------------------------------------------------------------------
# scf.parallel


@scf.op
class ParallelOp(Op):
    """A multi-dimensional loop nest whose iterations may run in any order; results
    combine `init_vals` with every iteration's scf.reduce operands."""

    __slots__ = ()
    name = "scf.parallel"
    summary = "parallel for operation"
    operand_defs = (
        Operand("lower_bound", Index, variadic=True),
        Operand("upper_bound", Index, variadic=True),
        Operand("step", Index, variadic=True),
        Operand("init_vals", variadic=True),
    )
    result_defs = (Result("results", variadic=True),)
    region_defs = (RegionDef("body"),)
    traits = frozenset({RecursiveMemoryEffects, SingleBlock, AutomaticAllocationScope})
    implicit_terminator = "scf.reduce"
    syntax_rule = "header=scf_parallel_header body=region attrs=[attr_dict]"
    syntax_subrules = {
        "scf_parallel_header": (
            'scf_iv_list "=" scf_values "to" scf_values "step" scf_values ["init" scf_values] '
            '["->" function_results]',
            _parallel_header,
        ),
        "scf_iv_list": ('"(" VALUE_ID ("," VALUE_ID)* ")"', _iv_list),
        "scf_values": ('"(" [value_use_list] ")"', _value_list_parens),
    }

    @classmethod
    def create(cls, lower_bounds: Sequence[Value], upper_bounds: Sequence[Value], steps: Sequence[Value],
               init_vals: Sequence[Value] = (), location=UNKNOWN) -> "ParallelOp":
        """A loop nest with one index induction variable per bound; without inits the body
        ends in an empty scf.reduce, with inits the caller adds the scf.reduce."""
        lbs, ubs, steps, inits = list(lower_bounds), list(upper_bounds), list(steps), list(init_vals)
        block = Block([index] * len(lbs))
        if not inits:
            block.append(ReduceOp.build(location=location))
        return cls.build(lbs, ubs, steps, inits, result_types=[v.type for v in inits],
                         regions=[Region([block])], location=location)

    @classmethod
    def parse_custom(cls, ctx, name_tok, header, body, attrs):
        from ..attributes import DenseArrayAttr
        from ..types import i32

        entry_args, lbs, ubs, steps, inits, types = header
        loc = ctx.loc_of(name_tok)
        ctx.bind_entry_arguments(body, entry_args, name_tok)
        region = body
        _ensure_terminator(region, ReduceOp, loc)
        all_attrs = dict(attrs or {})
        all_attrs["operandSegmentSizes"] = DenseArrayAttr(i32, (len(lbs), len(ubs), len(steps), len(inits)))
        return ctx.make_op(cls.name, [*lbs, *ubs, *steps, *inits], types, all_attrs, [region], [], loc)

    def print_custom(self, p) -> None:
        ivs = self.body.blocks[0].arguments if self.body.blocks else []
        p.write(" (", _names(p, ivs), ") = (", _names(p, self.lower_bound), ") to (",
                _names(p, self.upper_bound), ") step (", _names(p, self.step), ")")
        if self.init_vals:
            p.write(" init (", _names(p, self.init_vals), ")")
        p.print_arrow_types(r.type for r in self.results)
        p.write(" ")
        p.print_region(self.body, print_entry_block_args=False)
        p.print_optional_attr_dict(self)

    @property
    def init_args(self) -> List[Value]:
        return list(self.init_vals)

    @property
    def body_block(self) -> Block:
        return self.body.blocks[0]

    @property
    def induction_vars(self) -> List[Value]:
        return list(self.body.blocks[0].arguments)

    @property
    def reduce_op(self) -> Operation:
        return self.body.blocks[0].last_op

    def verify(self) -> None:
        steps = self.step
        if not steps:
            raise self.emit_error("needs at least one tuple element for lowerBound, upperBound and step")
        if not (len(self.lower_bound) == len(self.upper_bound) == len(steps)):
            raise self.emit_error("expects the same number of lower bounds, upper bounds and steps")
        for s in steps:
            c = constant_value(s)
            if isinstance(c, IntegerAttr) and c.value <= 0:
                raise self.emit_error("constant step operand must be positive")
        block = _single_block(self, self.body, "body")
        if len(block.arguments) != len(steps):
            raise self.emit_error(
                f"expects the same number of induction variables: {len(block.arguments)} as bound and step "
                f"values: {len(steps)}"
            )
        for a in block.arguments:
            if not isinstance(a.type, IndexType):
                raise self.emit_error("expects arguments for the induction variable to be of index type")
        reduce = block.last_op
        if not isinstance(reduce, ReduceOp):
            raise self.emit_error("expects body to terminate with 'scf.reduce'")
        n_results, n_red, n_init = len(self.results), len(reduce.regions), len(self.init_vals)
        if n_results != n_red:
            raise self.emit_error(
                f"expects number of results: {n_results} to be the same as number of reductions: {n_red}"
            )
        if n_results != n_init:
            raise self.emit_error(
                f"expects number of results: {n_results} to be the same as number of initial values: {n_init}"
            )
        for i, (r, v, init) in enumerate(zip(self.results, reduce.operands, self.init_vals)):
            if r.type != v.type:
                raise reduce.emit_error(
                    f"expects type of {i}-th reduction operand: '{v.type}' to be the same as the {i}-th result "
                    f"type: '{r.type}'"
                )
            if init.type != r.type:
                raise self.emit_error(f"expects type of {i}-th initial value: '{init.type}' to be the same as the "
                                      f"{i}-th result type: '{r.type}'")


# ----------------------------------------------------------------------------
# scf.execute_region


@scf.op
class ExecuteRegionOp(Op):
    """Runs its region once; the results are what it yields.  Lets a multi-block
    region appear where only one op is allowed."""

    __slots__ = ()
    name = "scf.execute_region"
    summary = "operation that executes its region exactly once"
    result_defs = (Result("results", variadic=True),)
    attribute_defs = (Attr("no_inline", UnitAttr, optional=True),)
    region_defs = (RegionDef("region"),)
    traits = frozenset({RecursiveMemoryEffects})
    syntax_rule = '[scf_arrow_types] [scf_no_inline] region [attr_dict]'
    syntax_subrules = {
        "!scf_no_inline": ('"no_inline"', _keyword_flag),
    }

    @classmethod
    def create(cls, result_types: Sequence[Type] = (), location=UNKNOWN) -> "ExecuteRegionOp":
        return cls.build(result_types=list(result_types), regions=[Region([Block()])], location=location)

    @classmethod
    def parse_custom(cls, ctx, name_tok, result_types, no_inline, region, attrs):
        all_attrs = dict(attrs or {})
        if no_inline:
            all_attrs["no_inline"] = UnitAttr()
        return ctx.make_op(cls.name, [], list(result_types or []), all_attrs, [region], [], ctx.loc_of(name_tok))

    def print_custom(self, p) -> None:
        p.print_arrow_types(r.type for r in self.results)
        p.write(" ")
        if "no_inline" in self.attributes:
            p.write("no_inline ")
        p.print_region(self.region, print_entry_block_args=False)
        p.print_optional_attr_dict(self, elided={"no_inline"})

    def verify(self) -> None:
        if not self.region.blocks:
            raise self.emit_error("region needs to have at least one block")
        if self.region.blocks[0].arguments:
            raise self.emit_error("region cannot have any arguments")


# ----------------------------------------------------------------------------
# canonicalization patterns live in scf_patterns.py (they attach themselves to
# the op classes' `canonicalization_patterns`)

# ----------------------------------------------------------------------------
# interpreter rules

from ..interpreter import Yield, interpret, runtime_error, to_unsigned, wrap  # noqa: E402


# (scf.yield is ReturnLike: the interpreter's rule for every ReturnLike terminator runs it)
@interpret.register(ReduceReturnOp)
def _interpret_reduce_return(interp, op, args):
    return Yield(args, op)


@interpret.register(ConditionOp)
def _interpret_condition(interp, op, args):
    return Yield(args, op)


@interpret.register(ReduceOp)
def _interpret_reduce(interp, op, args):
    # the enclosing scf.parallel combines these with its accumulators
    return Yield(args, op)


@interpret.register(ForOp)
def _interpret_for(interp, op, args):
    lb, ub, step, *values = args
    t = op.lower_bound.type
    if op.unsigned_cmp:
        lb, ub, step = (to_unsigned(x, t) for x in (lb, ub, step))
    iv = lb
    if iv < ub and step <= 0:
        raise runtime_error(op, f"step must be positive, got {step}")
    body = op.body
    while iv < ub:
        values = interp.run_region(body, [wrap(iv, t), *values])
        iv += step
    return values


@interpret.register(IfOp)
def _interpret_if(interp, op, args):
    region = op.then_region if args[0] else op.else_region
    if not region.blocks:
        return []
    return interp.run_region(region, [])


@interpret.register(WhileOp)
def _interpret_while(interp, op, args):
    before, after = op.before, op.after
    values = list(args)
    while True:
        cond, *passed = interp.run_region(before, values)
        if not cond:
            return passed
        values = interp.run_region(after, passed)


@interpret.register(ParallelOp)
def _interpret_parallel(interp, op, args):
    n = len(op.step)
    lbs, ubs, steps = args[:n], args[n:2 * n], args[2 * n:3 * n]
    acc = list(args[3 * n:])
    for lb, ub, s in zip(lbs, ubs, steps):
        if lb < ub and s <= 0:
            raise runtime_error(op, f"step must be positive, got {s}")
    body = op.body
    reduce = op.reduce_op
    ranges = [range(lb, ub, s) if lb < ub else range(0) for lb, ub, s in zip(lbs, ubs, steps)]
    for ivs in itertools.product(*ranges):
        values = interp.run_region(body, list(ivs))
        for i, v in enumerate(values):
            acc[i] = interp.run_region(reduce.regions[i], [acc[i], v])[0]
    return acc


@interpret.register(ExecuteRegionOp)
def _interpret_execute_region(interp, op, args):
    return interp.run_region(op.region, [])


from . import scf_control_flow, scf_patterns  # noqa: E402,F401
from . import scf_forall, scf_index_switch  # noqa: E402,F401  (more scf ops, one file each)
