"""``scf.index_switch``: run the region whose case value equals an index (or the
default region), in MLIR 22's syntax::

    %r = scf.index_switch %i -> f32
    case 2 {
      scf.yield %a : f32
    }
    default {
      scf.yield %b : f32
    }

Generic form: the `cases` property (``array<i64: 2>``) and the regions default
first, then one per case, as MLIR prints them.  The op, its verifier (MLIR's
wording), interpreter rule, region-branch model and canonicalization (a constant
index inlines the chosen region, MLIR's FoldConstantCase) live here; its derivative rules are in
``scf_index_switch_derivatives.py``.
"""

from __future__ import annotations

from typing import List, Sequence

from ..attributes import DenseArrayAttr, IntegerAttr
from ..control_flow import RegionBranch, RegionSuccessor
from ..core import Block, Region, Value
from ..interpreter import interpret
from ..location import UNKNOWN
from ..opdef import Attr, Index, Op, Operand, RegionDef, Result
from ..rewrite import RewritePattern, constant_value
from ..traits import RecursiveMemoryEffects, SingleBlock
from ..types import Type, i64, index
from .scf import YieldOp, _ensure_terminator, scf
from .scf_patterns import inline_block_before


def require_i64_arrays(op, names) -> None:
    """MLIR's DenseI64ArrayAttr constraint on the named properties of `op`."""
    for name in names:
        attr = op.attributes.get(name)
        if attr is not None and attr.element_type != i64:
            raise op.emit_error(f"attribute '{name}' failed to satisfy constraint: i64 dense array attribute")


def _case(ctx, value_tok, region):
    return (int(getattr(value_tok, "value", value_tok)), region, value_tok)


def _types(ctx, types):
    return list(types)


@scf.op
class IndexSwitchOp(Op):
    """Runs the case region whose value equals `arg`, or the default region; the
    results are what that region yields."""

    __slots__ = ()
    name = "scf.index_switch"
    summary = "switch-case operation on an index argument"
    operand_defs = (Operand("arg", Index),)
    result_defs = (Result("results", variadic=True),)
    attribute_defs = (Attr("cases", DenseArrayAttr, description="i64 dense array attribute"),)
    region_defs = (RegionDef("defaultRegion"), RegionDef("caseRegions", variadic=True))
    traits = frozenset({RecursiveMemoryEffects, SingleBlock})
    implicit_terminator = "scf.yield"
    syntax_rule = 'value_use [attr_dict] [scf_switch_types] scf_switch_case* "default" region'
    syntax_subrules = {
        "scf_switch_types": ('"->" type_list', _types),
        "scf_switch_case": ('"case" (INT | NEG_INT) region', _case),
    }

    # -- construction ------------------------------------------------------------------
    @classmethod
    def create(cls, arg: Value, cases: Sequence[int], result_types: Sequence[Type] = (),
               location=UNKNOWN) -> "IndexSwitchOp":
        """A switch with one empty block per region (default first); without results
        the blocks end in empty scf.yields, with results the caller adds them."""
        regions = [Region([Block()]) for _ in range(len(cases) + 1)]
        if not result_types:
            for r in regions:
                r.blocks[0].append(YieldOp.build(location=location))
        return cls.build(arg, result_types=list(result_types), regions=regions, location=location,
                         cases=DenseArrayAttr(i64, tuple(cases)))

    @classmethod
    def parse_custom(cls, ctx, name_tok, arg, attrs, result_types, *rest):
        *cases, default_region = rest
        ctx.check_operand_type(arg, index, name_tok)
        loc = ctx.loc_of(name_tok)
        regions = [default_region] + [region for _, region, _ in cases]
        # as in MLIR, only the default region's scf.yield may be left implicit
        _ensure_terminator(default_region, YieldOp, loc)
        all_attrs = dict(attrs or {})
        if "cases" in all_attrs:
            raise ctx.error_at(name_tok, "'cases' is given by the case list and may not appear in attributes")
        all_attrs["cases"] = DenseArrayAttr(i64, tuple(value for value, _, _ in cases))
        return ctx.make_op(cls.name, [arg], list(result_types or []), all_attrs, regions, [], loc)

    def print_custom(self, p) -> None:
        p.write(" ", p.name_of(self.arg))
        p.print_optional_attr_dict(self, elided={"cases"})
        if self.results:
            p.write(" -> ")
            p.print_types(r.type for r in self.results)
        for value, region in zip(self.case_values, self.case_regions):
            p.newline()
            p.write(f"case {value} ")
            p.print_region(region, print_entry_block_args=False)
        p.newline()
        p.write("default ")
        p.print_region(self.default_region, print_entry_block_args=False, print_block_terminators=bool(self.results))

    # -- accessors ------------------------------------------------------------------------
    @property
    def case_values(self) -> List[int]:
        return list(self.attributes["cases"].values)

    @property
    def default_region(self) -> Region:
        return self.regions[0]

    @property
    def case_regions(self) -> List[Region]:
        return list(self.regions[1:])

    def region_for(self, value: int) -> Region:
        """The region that runs when `arg` is `value`."""
        for case, region in zip(self.case_values, self.case_regions):
            if case == value:
                return region
        return self.default_region

    # -- verification (MLIR's IndexSwitchOp::verify) -----------------------------------------
    def verify_declaration(self) -> None:
        super().verify_declaration()
        require_i64_arrays(self, ("cases",))

    def verify(self) -> None:
        cases, case_regions = self.case_values, self.case_regions
        if len(cases) != len(case_regions):
            raise self.emit_error(f"has {len(case_regions)} case regions but {len(cases)} case values")
        seen = set()
        for value in cases:
            if value in seen:
                raise self.emit_error(f"has duplicate case value: {value}")
            seen.add(value)
        for k, region in enumerate(self.regions):
            if len(region.blocks) != 1:
                name = "defaultRegion" if k == 0 else "caseRegions"
                raise self.emit_error(f"region #{k} ('{name}') failed to verify constraint: region with 1 blocks")
        self._verify_region(self.default_region, "default region")
        for k, region in enumerate(case_regions):
            self._verify_region(region, f"case region #{k}")

    def _verify_region(self, region: Region, what: str) -> None:
        term = region.blocks[0].last_op
        if not isinstance(term, YieldOp):
            got = term.op_name if term is not None else "nothing"
            raise self.emit_error(f"expected region to end with scf.yield, but got {got}")
        if len(term.operands) != len(self.results):
            raise self.emit_error(
                f"expected each region to return {len(self.results)} values, but {what} returns "
                f"{len(term.operands)}",
                [("see yield operation here", term.location)],
            )
        for k, (r, v) in enumerate(zip(self.results, term.operands)):
            if r.type != v.type:
                raise self.emit_error(
                    f"expected result #{k} of each region to be '{r.type}'",
                    [(f"{what} returns '{v.type}' here", term.location)],
                )


@RegionBranch.implement(IndexSwitchOp)
class _IndexSwitchBranches(RegionBranch):
    """Parent -> the default region or one case region; each region -> the results."""

    def successors(self, op, point):
        if point is None:
            return [RegionSuccessor(region) for region in op.regions]
        return [RegionSuccessor(None, list(op.results))]


class IndexSwitchConstantCase(RewritePattern):
    """A constant index: the chosen region replaces the switch (MLIR's FoldConstantCase)."""

    root = "scf.index_switch"

    def match_and_rewrite(self, op, rewriter) -> bool:
        c = constant_value(op.arg)
        if not isinstance(c, IntegerAttr):
            return False
        region = op.region_for(c.value)
        yielded = inline_block_before(rewriter, region.blocks[0], op, [])
        rewriter.replace_op(op, yielded[: len(op.results)])
        return True


IndexSwitchOp.canonicalization_patterns = (IndexSwitchConstantCase(),)


@interpret.register(IndexSwitchOp)
def _interpret_index_switch(interp, op, args):
    return interp.run_region(op.region_for(int(args[0])), [])
