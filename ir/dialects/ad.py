"""The `ad` dialect: what to differentiate (the passes in `passes/ad` say how).

Symbol forms name the function to differentiate::

    %g0, %g1 = ad.grad @f(%x, %y) : (f64, f64) -> (f64, f64)
    %d       = ad.grad @f(%x, %y) {wrt = [1]} : (f64, f64) -> f64
    %v, %gx  = ad.value_and_grad @f(%x) : (f64) -> (f64, f64)
    %y, %dy  = ad.jvp @f(%x, %dx) : (f64, f64) -> (f64, f64)
    %y, %cx  = ad.vjp @f(%x, %dy) : (f64, f64) -> (f64, f64)

Region forms differentiate an inline region instead; its entry block
arguments are the primals (the leading operands) and values it captures from
outside are constants to the differentiation::

    %g = ad.grad (%x) : (f64) -> f64 {
    ^bb0(%a: f64):
      %r = arith.mulf %a, %x : f64
      ad.yield %r : f64
    }

Conventions (see docs/ad.md): ``wrt`` lists the active argument positions
(default: every float or tensor/vector-of-float argument; integer, index and
i1 arguments are never active).  Tangents and cotangents exist only for
float-like values: `ad.jvp` takes one tangent per active argument and returns
one per float result; `ad.vjp` takes one cotangent per float result and
returns one per active argument.  A buffer of floats listed in ``wrt`` is
*duplicated* (Enzyme's ``enzyme_dup``): the caller passes a shadow buffer of
the same type (jvp: as its tangent; vjp, grad: after the primals) that the
derivative reads and updates in place, and it has no tangent or cotangent
result; a buffer not listed is constant.  `ad.jvp` with ``{width = N}`` takes N
tangents per active argument (argument-major: all N for the first active
argument, then the next) and returns N per float result (result-major).

The tape ops hold what the reverse sweep of a loop needs: a LIFO stack per
value, ``!ad.tape<T>``, created by ``ad.tape_create`` and released by
``ad.tape_free`` (reverse mode creates its tapes at the entry of the function it
generates and frees them all right before its return, so every path frees
them).  A push stores a copy of the value, never an alias.  They run in the
interpreter (`Tape`, which counts creations and frees) and lower to growable
buffers (docs/ad.md, "How a tape lowers").
"""

from __future__ import annotations

from dataclasses import dataclass

from typing import List, Optional, Sequence, Tuple

from ..lazy_numpy import np
from ..attributes import ArrayAttr, IntegerAttr, SymbolRefAttr
from ..ad_types import TangentSpace
from ..control_flow import RegionBranch, RunsRegionOnce
from ..core import Region
from ..effects import ALLOCATE, FREE, READ, WRITE, EffectInstance, MemoryEffects
from ..location import UNKNOWN
from ..opdef import Attr, Dialect, Op, Operand, RegionDef, Result, TypeConstraint
from ..symbols import lookup_symbol
from ..traits import Pure, ReturnLike, SameOperandsAndResultType, Terminator
from ..types import DialectType, FunctionType, IndexType, MemRefType, Type, index, is_float_buffer, is_float_like

ad = Dialect("ad", "automatic differentiation: jvp, vjp, grad, tapes")


# ----------------------------------------------------------------------------
# the tape type


@ad.type
@dataclass(frozen=True, repr=False)
class TapeType(DialectType):
    """``!ad.tape<T>``: a LIFO stack of values of type T."""

    type_name = "ad.tape"

    @classmethod
    def of(cls, element: Type) -> "TapeType":
        return cls("ad.tape", (element,))

    @classmethod
    def from_params(cls, params) -> "TapeType":
        from ..attributes import TypeAttr

        p = params[0] if len(params) == 1 else None
        if isinstance(p, TypeAttr):
            p = p.value
        if not isinstance(p, Type):
            raise ValueError("expected one element type, as in !ad.tape<f64>")
        if isinstance(p, TapeType):
            raise ValueError(f"a tape holds values (scalars, vectors, tensors, buffers), not {p}")
        # a tape of memrefs holds buffers handed to it: bufferization pushes a copy of a
        # tensor's buffer, and the code that pops one owns it (and frees it)
        return cls.of(p)

    @property
    def element(self) -> Type:
        return self.params[0]


@TangentSpace.implement(TapeType)
class _TapeTangents(TangentSpace):
    """A tape of floats carries derivatives: its shadow tape holds the tangents (or
    adjoints) of what it holds; the tape rules below build shadows, never zeros."""

    def differentiable(self, t) -> bool:
        return is_float_like(t.element)

    def zero(self, t, builder, like=None):
        raise ValueError(f"a zero of {t} is not a value: tapes get shadow tapes")


TapeLike = TypeConstraint("!ad.tape", lambda t: isinstance(t, TapeType))


# ----------------------------------------------------------------------------
# the differentiation ops


def _tok_text(tok):
    return tok.value if hasattr(tok, "value") else str(tok)


class ADSignature:
    """How an ad op's operands and results split, given the differentiated signature.

    `inputs`/`outputs`: the differentiated function's argument and result
    types; `active`: the active argument positions; `float_outputs`: the
    positions of float-like results (the ones with tangents/cotangents).
    """

    def __init__(self, inputs: Sequence[Type], outputs: Sequence[Type], active: Sequence[int], width: int = 1):
        self.inputs = list(inputs)
        self.outputs = list(outputs)
        self.active = list(active)
        self.width = width
        self.float_outputs = [i for i, t in enumerate(self.outputs) if is_float_like(t)]
        # active buffers are duplicated (a shadow buffer from the caller, updated in place);
        # the other active arguments are passed by value and get tangents/cotangents
        self.dup = [i for i in self.active if is_float_buffer(self.inputs[i])]
        self.by_value = [i for i in self.active if not is_float_buffer(self.inputs[i])]


def default_activity(inputs: Sequence[Type]) -> List[int]:
    """Every float or tensor/vector-of-float argument is active by default."""
    return [i for i, t in enumerate(inputs) if is_float_like(t)]


class ADTransformOp(Op):
    """Common shape of ad.grad, ad.value_and_grad, ad.jvp and ad.vjp.

    Symbol form: attribute ``callee`` names a function-like op; region form: one
    region whose entry block arguments are the primals.
    """

    operand_defs = (Operand("inputs", variadic=True),)
    result_defs = (Result("outputs", variadic=True),)
    attribute_defs = (
        Attr("callee", SymbolRefAttr, optional=True),
        Attr("wrt", ArrayAttr, optional=True),
    )
    region_defs = (RegionDef("body", variadic=True),)
    syntax_rule = '[SYMBOL] "(" [value_use_list] ")" [attr_dict] ":" function_type [region]'
    mode = ""

    # -- parsing and printing ------------------------------------------------------------
    @classmethod
    def parse_custom(cls, ctx, name_tok, sym, operands, attrs, ftype, region):
        operands = list(operands or [])
        if len(operands) != len(ftype.inputs):
            raise ctx.error_at(
                name_tok, f"'{cls.name}' has {len(operands)} operands but {len(ftype.inputs)} operand types"
            )
        for v, t in zip(operands, ftype.inputs):
            ctx.check_operand_type(v, t, name_tok)
        all_attrs = dict(attrs or {})
        if sym is not None:
            name = _tok_text(sym)[1:]
            if name.startswith('"'):
                name = name[1:-1]
            all_attrs["callee"] = SymbolRefAttr(name)
        if (sym is None) == (region is None):
            raise ctx.error_at(name_tok, f"'{cls.name}' needs either a callee symbol or a region (not both)")
        regions = [region] if region is not None else []
        return ctx.make_op(cls.name, operands, list(ftype.results), all_attrs, regions, [], ctx.loc_of(name_tok))

    def print_custom(self, p) -> None:
        callee = self.attributes.get("callee")
        if callee is not None:
            p.write(" ", str(callee))
        else:
            p.write(" ")
        p.write("(", ", ".join(p.name_of(v) for v in self.operands), ")")
        p.print_optional_attr_dict(self, elided={"callee"})
        p.write(" : ", str(FunctionType(tuple(v.type for v in self.operands), tuple(self.result_types))))
        if self.regions:
            p.write(" ")
            p.print_region(self.regions[0], print_entry_block_args=True)

    # -- the differentiated signature -------------------------------------------------------
    @property
    def callee(self) -> Optional[str]:
        a = self.attributes.get("callee")
        return a.root if a is not None else None

    @property
    def body_region(self) -> Optional[Region]:
        return self.regions[0] if self.regions else None

    @property
    def width(self) -> int:
        w = self.attributes.get("width")
        return w.value if w is not None else 1

    def target_function(self):
        """The function-like op a symbol form names (None if unknown or a region form)."""
        a = self.attributes.get("callee")
        if a is None:
            return None
        from ..functions import FunctionLike

        fn = lookup_symbol(self, a)
        return fn if fn is not None and FunctionLike.implemented_by(fn) else None

    def differentiated_types(self) -> Tuple[List[Type], List[Type]]:
        """(argument types, result types) of the function or region differentiated."""
        if self.callee is not None:
            fn = self.target_function()
            if fn is None:
                raise self.emit_error(f"references unknown function '@{self.callee}'")
            from ..functions import FunctionLike

            ftype = FunctionLike.of(fn).function_type()
            return list(ftype.inputs), list(ftype.results)
        region = self.body_region
        if not region.blocks:
            raise self.emit_error("region form needs a body")
        entry = region.blocks[0]
        term = entry.parent.blocks[-1].last_op
        outs = [v.type for v in term.operands] if term is not None else []
        return [a.type for a in entry.arguments], outs

    def active_indices(self, inputs: Sequence[Type]) -> List[int]:
        wrt = self.attributes.get("wrt")
        if wrt is None:
            return default_activity(inputs)
        return [e.value for e in wrt]

    def signature(self) -> ADSignature:
        inputs, outputs = self.differentiated_types()
        return ADSignature(inputs, outputs, self.active_indices(inputs), self.width)

    @property
    def primals(self):
        n = len(self.differentiated_types()[0])
        return self.operands[:n]

    # -- verification --------------------------------------------------------------------------
    def expected_types(self, sig: ADSignature) -> Tuple[List[Type], List[Type]]:
        """(operand types, result types) this op must have; subclasses say."""
        raise NotImplementedError

    def verify(self) -> None:
        self._verify_form()
        inputs, outputs = self.differentiated_types()
        self._verify_wrt(inputs)
        sig = ADSignature(inputs, outputs, self.active_indices(inputs), self.width)
        want_in, want_out = self.expected_types(sig)
        got_in = [v.type for v in self.operands]
        got_out = list(self.result_types)
        what = self._what()
        if got_in != want_in:
            raise self.emit_error(
                f"operand types ({', '.join(map(str, got_in))}) do not match what differentiating {what} "
                f"needs: ({', '.join(map(str, want_in))})"
            )
        if got_out != want_out:
            raise self.emit_error(
                f"result types ({', '.join(map(str, got_out))}) do not match what differentiating {what} "
                f"gives: ({', '.join(map(str, want_out))})"
            )

    def _what(self) -> str:
        return f"'@{self.callee}'" if self.callee else "the region"

    def _verify_form(self) -> None:
        """A callee or a region (the generic form can write neither or both), and a well-formed region."""
        if (self.attributes.get("callee") is None) == (not self.regions):
            raise self.emit_error("needs either a callee symbol or a region (not both)")
        if self.callee is not None and self.target_function() is None:
            raise self.emit_error(f"references unknown function '@{self.callee}'")
        if self.regions:
            if len(self.regions) != 1 or len(self.regions[0].blocks) != 1:
                raise self.emit_error("region form needs exactly one region with one block")
            term = self.regions[0].blocks[0].last_op
            if term is None or term.op_name != "ad.yield":
                raise self.emit_error("region must end with 'ad.yield'")

    def _verify_wrt(self, inputs: Sequence[Type]) -> None:
        wrt = self.attributes.get("wrt")
        if wrt is None:
            return
        seen = set()
        for e in wrt:
            if not isinstance(e, IntegerAttr) or isinstance(e.value, bool):
                raise self.emit_error(f"'wrt' must be an array of integer argument positions, got {e}")
            if not 0 <= e.value < len(inputs):
                raise self.emit_error(
                    f"'wrt' index {e.value} is out of range: the differentiated function has "
                    f"{len(inputs)} argument{'s' if len(inputs) != 1 else ''}"
                )
            if e.value in seen:
                raise self.emit_error(f"'wrt' lists argument {e.value} twice")
            seen.add(e.value)
            if not (is_float_like(inputs[e.value]) or is_float_buffer(inputs[e.value])):
                raise self.emit_error(
                    f"argument {e.value} of type {inputs[e.value]} cannot be active: only float and "
                    f"tensor/vector-of-float values are differentiable, and buffers of floats (dup)"
                )


def _single_float_result(op, sig: ADSignature):
    from ..types import FloatType

    if len(sig.outputs) != 1 or not isinstance(sig.outputs[0], FloatType):
        what = f"'@{op.callee}'" if op.callee else "the region"
        raise op.emit_error(
            f"needs {what} to return exactly one float scalar, but it returns "
            f"({', '.join(map(str, sig.outputs))})"
        )


@ad.op
class GradOp(ADTransformOp):
    """Gradient of a scalar function: one gradient per active argument."""

    name = "ad.grad"
    summary = "gradient of a function with one float result"
    mode = "grad"

    def expected_types(self, sig):
        _single_float_result(self, sig)
        return list(sig.inputs) + [sig.inputs[i] for i in sig.dup], [sig.inputs[i] for i in sig.by_value]


@ad.op
class ValueAndGradOp(ADTransformOp):
    """The function's value, then one gradient per active argument."""

    name = "ad.value_and_grad"
    summary = "value and gradient of a function with one float result"
    mode = "grad"

    def expected_types(self, sig):
        _single_float_result(self, sig)
        return (list(sig.inputs) + [sig.inputs[i] for i in sig.dup],
                [sig.outputs[0]] + [sig.inputs[i] for i in sig.by_value])


@ad.op
class JvpOp(ADTransformOp):
    """Forward mode: primals and tangents in, results and their tangents out."""

    name = "ad.jvp"
    summary = "Jacobian-vector product (forward mode)"
    attribute_defs = ADTransformOp.attribute_defs + (Attr("width", IntegerAttr, optional=True),)
    mode = "jvp"

    def expected_types(self, sig):
        if sig.width < 1:
            raise self.emit_error(f"'width' must be positive, got {sig.width}")
        # a width beyond the op's own size is a diagnostic by counts, not a list of 10^9 types
        n_in = len(sig.inputs) + len(sig.active) * sig.width
        n_out = len(sig.outputs) + len(sig.float_outputs) * sig.width
        if sig.width > len(self.operands) + len(self.results) and (n_in, n_out) != (len(self.operands), len(self.results)):
            raise self.emit_error(
                f"with 'width' {sig.width}, differentiating {self._what()} takes {n_in} operands and gives "
                f"{n_out} results, but the op has {len(self.operands)} operands and {len(self.results)} results"
            )
        tangents = [sig.inputs[i] for i in sig.active for _ in range(sig.width)]
        out_tangents = [sig.outputs[j] for j in sig.float_outputs for _ in range(sig.width)]
        return list(sig.inputs) + tangents, list(sig.outputs) + out_tangents


@ad.op
class VjpOp(ADTransformOp):
    """Reverse mode: primals and result cotangents in, results and argument cotangents out."""

    name = "ad.vjp"
    summary = "vector-Jacobian product (reverse mode)"
    mode = "vjp"

    def expected_types(self, sig):
        cots = [sig.outputs[j] for j in sig.float_outputs]
        shadows = [sig.inputs[i] for i in sig.dup]
        return list(sig.inputs) + shadows + cots, list(sig.outputs) + [sig.inputs[i] for i in sig.by_value]


@ad.op
class YieldOp(Op):
    """Ends the region of an ad op or of ad.checkpoint."""

    name = "ad.yield"
    operand_defs = (Operand("operands", variadic=True),)
    traits = frozenset({Pure, Terminator, ReturnLike})
    format = "attr-dict ($operands^ `:` type($operands))?"


@ad.op
class StopGradientOp(Op):
    """The identity whose derivative is zero."""

    name = "ad.stop_gradient"
    summary = "identity with a zero derivative"
    operand_defs = (Operand("operand"),)
    result_defs = (Result("result"),)
    traits = frozenset({Pure, SameOperandsAndResultType})
    format = "$operand attr-dict `:` type($result)"


@ad.op
class CheckpointOp(Op):
    """A region whose intermediates the reverse sweep recomputes instead of storing."""

    name = "ad.checkpoint"
    summary = "recompute this region's intermediates in the reverse sweep"
    result_defs = (Result("results", variadic=True),)
    region_defs = (RegionDef("body"),)
    syntax_rule = '["->" "(" [type_list] ")"] [attr_dict_kw] region'

    @classmethod
    def parse_custom(cls, ctx, name_tok, types, attrs, region):
        return ctx.make_op(cls.name, [], list(types or []), dict(attrs or {}), [region], [], ctx.loc_of(name_tok))

    def print_custom(self, p) -> None:
        if self.results:
            p.write(" -> (", ", ".join(map(str, self.result_types)), ")")
        p.print_optional_attr_dict(self, keyword=True)
        p.write(" ")
        p.print_region(self.regions[0])

    def verify(self) -> None:
        body = self.regions[0]
        if len(body.blocks) != 1:
            raise self.emit_error("body must have exactly one block")
        if body.blocks[0].arguments:
            raise self.emit_error("region should have no arguments")  # MLIR's NoRegionArguments wording
        term = body.blocks[0].last_op
        if term is None or term.op_name != "ad.yield":
            raise self.emit_error("body must end with 'ad.yield'")
        if [v.type for v in term.operands] != list(self.result_types):
            raise self.emit_error("'ad.yield' types must match the op's result types")


RegionBranch.attach(CheckpointOp, RunsRegionOnce)  # parent -> the body, whose ad.yield gives the results


# -- tapes ---------------------------------------------------------------------------------


@ad.op
class TapeCreateOp(Op):
    """A new, empty tape."""

    name = "ad.tape_create"
    result_defs = (Result("tape", TapeLike),)
    format = "attr-dict `:` type($tape)"

    @classmethod
    def create(cls, element: Type, location=UNKNOWN):
        return cls.build(result_types=[TapeType.of(element)], location=location)


@ad.op
class TapePushOp(Op):
    """Push a value onto a tape."""

    name = "ad.tape_push"
    operand_defs = (Operand("tape", TapeLike), Operand("value"))
    format = "$tape `,` $value attr-dict `:` type($tape) `,` type($value)"

    def verify(self) -> None:
        if self.tape.type.element != self.value.type:
            raise self.emit_error(f"pushes a {self.value.type} onto a {self.tape.type}")


@ad.op
class TapePopOp(Op):
    """Pop the most recently pushed value."""

    name = "ad.tape_pop"
    operand_defs = (Operand("tape", TapeLike),)
    result_defs = (Result("value"),)
    format = "$tape attr-dict `:` type($tape) `->` type($value)"

    @classmethod
    def infer_result_types(cls, operand_types, attributes, regions=()):
        return [operand_types[0].element]

    def verify(self) -> None:
        if self.tape.type.element != self.value.type:
            raise self.emit_error(f"pops a {self.value.type} from a {self.tape.type}")


@MemoryEffects.implement(TapeCreateOp)
class _TapeCreateEffects(MemoryEffects):
    """A new tape is an allocation (unused, it may be dropped)."""

    def effects(self, op):
        return [EffectInstance(ALLOCATE, op.results[0])]


@MemoryEffects.implement(TapePushOp)
class _TapePushEffects(MemoryEffects):
    """A push writes the tape and reads the value it copies onto it (a buffer is copied, not aliased)."""

    def effects(self, op):
        return [EffectInstance(WRITE, op.operands[0]), EffectInstance(READ, op.operands[1])]


@MemoryEffects.implement(TapePopOp)
class _TapePopEffects(MemoryEffects):
    """A pop reads the top of the tape and shrinks it."""

    def effects(self, op):
        return [EffectInstance(READ, op.operands[0]), EffectInstance(WRITE, op.operands[0])]


@ad.op
class TapeFreeOp(Op):
    """Release a tape and what it still holds; the tape is not used afterwards."""

    name = "ad.tape_free"
    operand_defs = (Operand("tape", TapeLike),)
    format = "$tape attr-dict `:` type($tape)"


@MemoryEffects.implement(TapeFreeOp)
class _TapeFreeEffects(MemoryEffects):
    """Releases the tape (and what it still holds)."""

    def effects(self, op):
        return [EffectInstance(FREE, op.operands[0])]


@ad.op
class TapeSizeOp(Op):
    """The number of values on a tape."""

    name = "ad.tape_size"
    operand_defs = (Operand("tape", TapeLike),)
    result_defs = (Result("size", TypeConstraint("index", lambda t: isinstance(t, IndexType))),)
    format = "$tape attr-dict `:` type($tape)"

    @classmethod
    def infer_result_types(cls, operand_types, attributes, regions=()):
        return [index]


@MemoryEffects.implement(TapeSizeOp)
class _TapeSizeEffects(MemoryEffects):
    """Reads how full the tape is."""

    def effects(self, op):
        return [EffectInstance(READ, op.operands[0])]


# ----------------------------------------------------------------------------
# interpreter rules (the four transform ops are lowered before interpreting)

from ..interpreter import interpret, runtime_error  # noqa: E402


# (ad.yield is ReturnLike: the interpreter's rule for every ReturnLike terminator runs it)


@interpret.register(StopGradientOp)
def _interpret_stop_gradient(interp, op, args):
    return [args[0]]


@interpret.register(CheckpointOp)
def _interpret_checkpoint(interp, op, args):
    return interp.run_region(op.regions[0], [])


class Tape:
    """A tape at run time in the interpreter: a LIFO list that knows whether it was freed."""

    __slots__ = ("values", "live")

    def __init__(self):
        self.values: list = []
        self.live = True


def _live_tape(op, tape: Tape) -> list:
    if not tape.live:
        raise runtime_error(op, "uses a tape that was freed")
    return tape.values


@interpret.register(TapeCreateOp)
def _interpret_tape_create(interp, op, args):
    interp.count("ad.tape_create")
    return [Tape()]


@interpret.register(TapePushOp)
def _interpret_tape_push(interp, op, args):
    value = args[1]
    if isinstance(value, np.ndarray):  # the tape keeps the value as pushed, never a view of a buffer
        value = value.copy()
    _live_tape(op, args[0]).append(value)
    interp.count("ad.tape_push")
    return []


@interpret.register(TapePopOp)
def _interpret_tape_pop(interp, op, args):
    values = _live_tape(op, args[0])
    if not values:
        raise runtime_error(op, "pops from an empty tape")
    return [values.pop()]


@interpret.register(TapeSizeOp)
def _interpret_tape_size(interp, op, args):
    return [len(_live_tape(op, args[0]))]


@interpret.register(TapeFreeOp)
def _interpret_tape_free(interp, op, args):
    tape = args[0]
    if not tape.live:
        raise runtime_error(op, "frees a tape that was already freed")
    tape.live = False
    tape.values = []
    interp.count("ad.tape_free")
    return []


for _cls in (GradOp, ValueAndGradOp, JvpOp, VjpOp):

    def _not_lowered(interp, op, args):
        raise runtime_error(op, "must be lowered first (run the 'ad' pass, or use irc.passes.ad.lower_ad)")

    interpret.register(_cls)(_not_lowered)


# ad.stop_gradient's result never carries a derivative
from ..ad_interfaces import non_differentiable  # noqa: E402

non_differentiable(StopGradientOp)


# -- derivative rules of the tape ops -----------------------------------------------------
# A tape of floats is active when it holds active values.  Forward mode gives it
# a shadow tape per direction holding the tangents; reverse mode an adjoint tape
# (the pops of the original become pushes of cotangents and vice versa), so
# derivative code with loops can be differentiated again.  The rules run for
# every push and pop of an active tape (`always`), keeping the shadows balanced.
# (activity flows from a pushed value into its tape through TapePushOp's WRITE effect)
from ..ad_interfaces import jvp, vjp  # noqa: E402


@jvp(TapeCreateOp)
def _tape_create_jvp(ctx, op, t):
    return [ctx.emit(TapeCreateOp, result_types=[op.results[0].type])]


@jvp(TapeFreeOp, always=True)
def _tape_free_jvp(ctx, op, t):
    if t[0] is not None:  # the shadow tape lives as long as its tape
        ctx.b.create(TapeFreeOp, t[0])
    return []


@jvp(TapePushOp, always=True)
def _tape_push_jvp(ctx, op, t):
    if t[0] is not None:
        ctx.b.create(TapePushOp, t[0], ctx.materialize(t[1], op.operands[1].type))
    return []


@jvp(TapePopOp, always=True)
def _tape_pop_jvp(ctx, op, t):
    if t[0] is None:
        return [None]
    return [ctx.emit(TapePopOp, t[0], result_types=[op.results[0].type])]


# The adjoint tape exists exactly when the tape is active (some popped value is varied
# and useful), and then *every* push and pop of the tape is reversed, active value or
# not, so that the adjoint tape's pushes and pops balance.  Deciding per op (a push of
# an active value popping an adjoint that a pop of a dead value never pushed) empties
# the adjoint tape early.


@vjp(TapePopOp, always=True)
def _tape_pop_vjp(ctx, op, ct):
    tape = op.operands[0]
    if ctx.is_active(tape):
        ctx.b.create(TapePushOp, ctx.adjoint_tape(tape), ctx.materialize(ct[0], op.results[0].type))
    return [None]


@vjp(TapePushOp, always=True)
def _tape_push_vjp(ctx, op, ct):
    tape, value = op.operands
    if not ctx.is_active(tape):
        return [None, None]
    adjoint = ctx.emit(TapePopOp, ctx.adjoint_tape(tape), result_types=[value.type])
    return [None, adjoint if ctx.is_active(value) else None]


@vjp(TapeCreateOp)
def _tape_create_vjp(ctx, op, ct):
    return []
