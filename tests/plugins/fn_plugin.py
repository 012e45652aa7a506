"""A plugin dialect with its own function, call, return and loop ops, loaded
with `irc opt --load-plugin fn_plugin.py`.

Nothing here is special-cased by any pass: the ops join inlining, AD (both
modes), LICM, the verifier and the interpreter only by implementing the
interfaces (FunctionLike, CallLike, RegionBranch, LoopLike) from outside
their classes, as MLIR's external models do.  The loop op brings its own
interpreter and derivative rules, as any op with new semantics must; the
function, call and return ops need none (the generic rules for FunctionLike,
CallLike and ReturnLike ops cover them).

    tfn.func "f" (f64, index) -> f64 {
    ^bb0(%x: f64, %n: index):
      %r = tfn.repeat %n iter(%x) : f64 -> f64 {
      ^bb0(%i: index, %acc: f64):
        %v = tfn.call @step(%acc, %x) : (f64, f64) -> f64
        tfn.yield %v : f64
      }
      tfn.return %r : f64
    }
"""

from irc.ad_interfaces import jvp, vjp
from irc.attributes import StringAttr, SymbolRefAttr, TypeAttr
from irc.control_flow import LoopLike, RegionBranch, RegionSuccessor
from irc.core import Block, Region
from irc.functions import CallLike, FunctionLike, function_attributes
from irc.interpreter import interpret
from irc.location import UNKNOWN
from irc.opdef import Attr, Dialect, Index, Op, Operand, RegionDef, Result
from irc.traits import (
    HasParent,
    IsolatedFromAbove,
    Pure,
    RecursiveMemoryEffects,
    ReturnLike,
    SingleBlock,
    Symbol,
    Terminator,
)

tfn = Dialect("tfn", "a test dialect of functions, calls and a counted loop")


@tfn.op
class TfnFuncOp(Op):
    """A function: a symbol, its type and a body whose entry block takes the arguments."""

    name = "tfn.func"
    attribute_defs = (
        Attr("sym_name", StringAttr),
        Attr("function_type", TypeAttr),
        Attr("sym_visibility", StringAttr, optional=True),
    )
    region_defs = (RegionDef("body"),)
    traits = frozenset({IsolatedFromAbove, Symbol})
    format = "$sym_name $function_type attr-dict-with-keyword $body"


@tfn.op
class TfnReturnOp(Op):
    """Returns from a tfn.func."""

    name = "tfn.return"
    operand_defs = (Operand("operands", variadic=True),)
    traits = frozenset({Pure, Terminator, ReturnLike, HasParent.of("tfn.func")})
    format = "attr-dict ($operands^ `:` type($operands))?"


@tfn.op
class TfnCallOp(Op):
    """Calls a function by symbol."""

    name = "tfn.call"
    operand_defs = (Operand("operands", variadic=True),)
    result_defs = (Result("results", variadic=True),)
    attribute_defs = (Attr("callee", SymbolRefAttr),)
    format = "$callee `(` $operands `)` attr-dict `:` functional-type($operands, results)"


@tfn.op
class TfnRepeatOp(Op):
    """Runs its body `count` times (iv = 0, 1, ...), carrying `inits` through the body's
    arguments after the induction variable; the results are the last values yielded."""

    name = "tfn.repeat"
    operand_defs = (Operand("count", Index), Operand("inits", variadic=True))
    result_defs = (Result("results", variadic=True),)
    region_defs = (RegionDef("body"),)
    traits = frozenset({RecursiveMemoryEffects, SingleBlock})
    format = "$count `iter` `(` $inits `)` attr-dict `:` type($inits) `->` type($results) $body"

    @classmethod
    def create(cls, count, inits, location=UNKNOWN):
        """A loop with an empty body block (index, then one argument per init)."""
        block = Block([count.type] + [v.type for v in inits])
        return cls.build(count, list(inits), result_types=[v.type for v in inits],
                         regions=[Region([block])], location=location)


@tfn.op
class TfnYieldOp(Op):
    """Ends a tfn.repeat body with the next iteration's values."""

    name = "tfn.yield"
    operand_defs = (Operand("operands", variadic=True),)
    traits = frozenset({Pure, Terminator, ReturnLike, HasParent.of("tfn.repeat")})
    format = "attr-dict ($operands^ `:` type($operands))?"


# ----------------------------------------------------------------------------
# the interfaces, attached from outside the classes


@FunctionLike.implement(TfnFuncOp)
class _TfnFunction(FunctionLike):
    def create_like(self, op, name, function_type, location=UNKNOWN):
        block = Block(list(function_type.inputs))
        return TfnFuncOp.build(regions=[Region([block])], location=location,
                               attributes=function_attributes(name, function_type))

    def build_return(self, op, builder, values):
        return builder.create(TfnReturnOp, list(values))

    def build_call(self, op, builder, operands, location=UNKNOWN):
        return builder.create(TfnCallOp, list(operands), result_types=list(self.function_type(op).results),
                              callee=SymbolRefAttr(self.sym_name(op)), location=location)


CallLike.attach(TfnCallOp)  # every default: the `callee` attribute, all operands


@RegionBranch.implement(TfnRepeatOp)
class _RepeatBranches(RegionBranch):
    """Parent -> body (inits -> carried arguments) or out (zero trips); body -> body or out."""

    def successors(self, op, point):
        carried = list(op.body.blocks[0].arguments[1:]) if op.body.blocks else []
        return [RegionSuccessor(op.body, carried), RegionSuccessor(None, list(op.results))]

    def entry_operands(self, op, successor):
        return list(op.inits)


@LoopLike.implement(TfnRepeatOp)
class _RepeatLoop(LoopLike):
    def loop_regions(self, op):
        return [op.body]

    def induction_vars(self, op):
        return [op.body.blocks[0].arguments[0]]

    def inits(self, op):
        return list(op.inits)

    def region_iter_args(self, op):
        return list(op.body.blocks[0].arguments[1:])

    def yielded_values(self, op):
        return list(op.body.blocks[0].last_op.operands)

    def loop_results(self, op):
        return list(op.results)


# ----------------------------------------------------------------------------
# what the loop means: its interpreter rule and derivative rules


@interpret.register(TfnRepeatOp)
def _interpret_repeat(interp, op, args):
    count, *values = args
    for i in range(count):
        values = interp.run_region(op.body, [i, *values])
    return values


def _active(ctx, op):
    carried = op.body.blocks[0].arguments[1:]
    return [i for i, (a, r) in enumerate(zip(carried, op.results)) if ctx.is_active(a) or ctx.is_active(r)]


@jvp(TfnRepeatOp, emits_primal=True)
def _repeat_jvp(ctx, op, tangents):
    """The same loop carrying one tangent (per direction) beside each active value."""
    body = op.body.blocks[0]
    n, w = len(op.results), ctx.width
    act = _active(ctx, op)
    tinits = [t for i in act for t in ctx.tangents_or_zero(op.inits[i])]
    new = ctx.b.insert(TfnRepeatOp.create(ctx.primal(op.count), [ctx.primal(v) for v in op.inits] + tinits,
                                          location=op.location))
    nb = new.body.blocks[0]
    extra = nb.arguments[1 + n:]
    targs = [None] * n
    for k, i in enumerate(act):
        targs[i] = list(extra[k * w:(k + 1) * w])
    term = ctx.jvp_block(body, nb, nb.arguments[:1 + n], [None] + targs)
    with ctx.at_end(nb):
        ys = [ctx.primal(v) for v in term.operands]
        ys += [t for i in act for t in ctx.tangents_or_zero(term.operands[i])]
    ctx.terminate(nb, TfnYieldOp, ys, location=term.location)
    res = list(new.results)
    outs = [None] * n
    for k, i in enumerate(act):
        outs[i] = res[n + k * w:n + (k + 1) * w]
    return res[:n], outs


@vjp(TfnRepeatOp)
def _repeat_vjp(ctx, op, cts):
    """A loop of as many trips running the reversed body; values of the forward trips
    come back from tapes in reverse order, so it need not count backwards."""
    body = op.body.blocks[0]
    carried = body.arguments[1:]
    act = _active(ctx, op)
    captured = ctx.captured_active(op)
    init = [ctx.materialize(cts[i], op.results[i].type) for i in act] + [ctx.zero(c.type) for c in captured]
    rev = ctx.b.insert(TfnRepeatOp.create(ctx.primal(op.count), init, location=op.location))
    rb = rev.body.blocks[0]
    rargs = rb.arguments[1:]
    y = body.last_op
    seeds = [(y.operands[i], rargs[k]) for k, i in enumerate(act)]
    arg_adj, cap = ctx.reverse_block(body, rb, seeds, {c: rargs[len(act) + j] for j, c in enumerate(captured)})
    with ctx.at_end(rb):
        ys = [ctx.materialize(arg_adj[1 + i], carried[i].type) for i in act]
        ys += [ctx.materialize(cap[c], c.type) for c in captured]
    ctx.terminate(rb, TfnYieldOp, ys, location=op.location)
    res = list(rev.results)
    for j, c in enumerate(captured):
        ctx.accumulate(c, res[len(act) + j])
    out = [None] * len(op.operands)
    for k, i in enumerate(act):
        out[1 + i] = res[k]
    return out
