"""Lowering of the ad ops to calls of generated derivative functions.

`ADManager` generates ``@f_jvp``, ``@f_vjp``, ``@f_grad`` and
``@f_value_and_grad`` once per (function, mode, activity[, width]) and
reuses them; each ad op becomes a call (built by the callee's `FunctionLike`
model: ``func.call`` for ``func.func``).  Functions are whatever implements
`FunctionLike`, so a plugin's function ops are differentiated too.  Region forms are first
outlined into private functions (captured values become extra, inactive
arguments, so they are constants to that differentiation) and then handled
like symbol forms.  Before a function is differentiated, the ad ops inside
it (and inside what it calls) are lowered: nesting works by construction.

Custom rules: ``func.func @f ... attributes {ad.jvp_rule = @r}`` and/or
``{ad.vjp_rule = @r}``.  Their calling conventions are those of `ad.jvp` /
`ad.vjp` with the default activity (every float argument):
``@r_jvp(x..., dx per float arg) -> (y..., dy per float result)`` and
``@r_vjp(x..., ct per float result) -> (y..., ct per float arg)``.
A custom JVP rule also serves reverse mode: the VJP is the reverse-mode
derivative of the JVP rule with respect to its tangent arguments, at zero
tangents (the JVP is linear in them, so this is its transpose).
"""

from __future__ import annotations

from typing import Dict, List, Optional, Sequence, Tuple

from irc.attributes import ArrayAttr, IntegerAttr, SymbolRefAttr
from irc.builder import Builder
from irc.core import Operation
from irc.dialects.ad import ADTransformOp, JvpOp, ValueAndGradOp, VjpOp, default_activity
from irc.functions import FunctionLike, enclosing_function, new_function
from irc.symbols import lookup_symbol, unique_symbol_name
from irc.types import FunctionType, is_float_buffer, is_float_like

from .activity import captured_values
from .forward import ForwardTransform
from .reverse import ReverseTransform

MODES_FORWARD = ("ad.jvp",)
MODES_REVERSE = ("ad.grad", "ad.value_and_grad", "ad.vjp")


class ADManager:
    """Generates and caches derivative functions of one module."""

    def __init__(self, module: Operation):
        self.module = module
        self.cache: Dict[Tuple, Operation] = {}
        self.in_progress: List[Tuple[str, str]] = []
        self.lowered: set = set()
        self._last_generated: Dict[Operation, Operation] = {}

    # -- naming and placement --------------------------------------------------------------
    def _insert_after(self, fn: Operation, new: Operation) -> Operation:
        """Place `new` after `fn` and the functions generated from it before (in generation order)."""
        anchor = self._last_generated.get(fn, fn)
        if anchor.parent is None:
            anchor = fn
        anchor.parent.insert_after(anchor, new)
        self._last_generated[fn] = new
        return new

    def _name(self, base: str) -> str:
        return unique_symbol_name(self.module, base)

    def _begin(self, fn: Operation, mode: str, at: Optional[Operation]):
        key = (_sym(fn), mode)
        if key in self.in_progress:
            where = at if at is not None else fn
            chain = " -> ".join("@" + k[0] for k in self.in_progress) + f" -> @{_sym(fn)}"
            raise where.emit_error(
                f"cannot differentiate the recursive function '@{_sym(fn)}' ({chain}); "
                "recursion is not supported by irc's AD"
            )
        self.in_progress.append(key)

    def _end(self):
        self.in_progress.pop()

    def _check_body(self, fn: Operation, at: Optional[Operation]):
        if FunctionLike.of(fn).is_declaration():
            where = at if at is not None else fn
            raise where.emit_error(
                f"cannot differentiate '@{_sym(fn)}': it has no body and no ad.jvp_rule/ad.vjp_rule"
            )
        if len(FunctionLike.of(fn).body().blocks) > 1:
            where = at if at is not None else fn
            raise where.emit_error(
                f"cannot differentiate '@{_sym(fn)}': its body has several blocks; AD works on "
                "structured control flow (scf)"
            )

    # -- derivative functions -----------------------------------------------------------------
    @staticmethod
    def _custom_rule(fn: Operation, attr: str, at=None) -> Optional[Operation]:
        """The function `fn`'s `attr` (ad.jvp_rule / ad.vjp_rule) names, if any."""
        rule = fn.attributes.get(attr)
        if rule is None:
            return None
        custom = lookup_symbol(fn, rule)
        if custom is None or not FunctionLike.implemented_by(custom):
            raise (at or fn).emit_error(f"'{attr}' names unknown function '{rule}'")
        kind = attr[len("ad."):-len("_rule")]
        if custom is fn:
            raise (at or fn).emit_error(
                f"'{attr}' of '@{_sym(fn)}' names the function itself; the rule is another function, "
                f"with the ad.{kind} calling convention", [("function defined here", fn.location)])
        want, got = _rule_type(_ftype(fn), kind), _ftype(custom)
        if got != want:
            raise (at or fn).emit_error(
                f"'{attr}' of '@{_sym(fn)}' names '@{_sym(custom)}' of type {got}, but its {kind} rule "
                f"must have type {want}", [("rule defined here", custom.location)])
        return custom

    def jvp_function(self, fn: Operation, active: Sequence[int], width: int = 1, at=None) -> Operation:
        key = (_sym(fn), "jvp", tuple(active), width)
        if key in self.cache:
            return self.cache[key]
        custom = self._custom_rule(fn, "ad.jvp_rule", at)
        if custom is not None:
            if list(active) == default_activity(_ftype(fn).inputs) and width == 1:
                self.cache[key] = custom
                return custom
            new = self._wrap_custom_jvp(fn, custom, active, width)
            self.cache[key] = new
            return new
        self._check_body(fn, at)
        self._begin(fn, "jvp", at)
        try:
            self.lower_in(fn)
            t = ForwardTransform(self, fn, active, width, self._name(f"{_sym(fn)}_jvp"))
            new = t.build()
            self._insert_after(fn, new)
        finally:
            self._end()
        self.cache[key] = new
        return new

    def vjp_function(self, fn: Operation, active: Sequence[int], at=None) -> Operation:
        key = (_sym(fn), "vjp", tuple(active))
        if key in self.cache:
            return self.cache[key]
        custom = self._custom_rule(fn, "ad.vjp_rule", at)
        if custom is not None:
            new = custom if list(active) == default_activity(_ftype(fn).inputs) else self._select_vjp(fn, custom, active)
            self.cache[key] = new
            return new
        if fn.attributes.get("ad.jvp_rule") is not None:
            new = self._vjp_from_jvp(fn, active, at)
            self.cache[key] = new
            return new
        self._check_body(fn, at)
        self._begin(fn, "vjp", at)
        try:
            self.lower_in(fn)
            t = ReverseTransform(self, fn, active, self._name(f"{_sym(fn)}_vjp"))
            new = t.build()
            self._insert_after(fn, new)
        finally:
            self._end()
        self.cache[key] = new
        return new

    def grad_function(self, fn: Operation, active: Sequence[int], with_value: bool, at=None) -> Operation:
        """``@f_grad(x...) -> grads`` (or ``@f_value_and_grad``): @f_vjp seeded with 1.0."""
        key = (_sym(fn), "value_and_grad" if with_value else "grad", tuple(active))
        if key in self.cache:
            return self.cache[key]
        vjp = self.vjp_function(fn, active, at)
        ft = _ftype(fn)
        dup = [i for i in active if is_float_buffer(ft.inputs[i])]
        outs = ([ft.results[0]] if with_value else []) + [ft.inputs[i] for i in active if i not in dup]
        name = self._name(f"{_sym(fn)}_{'value_and_grad' if with_value else 'grad'}")
        inputs = tuple(ft.inputs) + tuple(ft.inputs[i] for i in dup)  # then the dup buffers' shadows
        new = FunctionLike.of(fn).create_like(name, FunctionType(inputs, tuple(outs)), fn.location)
        for a, na in zip(_args(fn), _args(new)):
            na.name_hint = a.name_hint
        b = Builder.at_end(_entry(new), fn.location)
        from irc.ad_interfaces import RuleContext

        one = RuleContext(b).constant(1.0, ft.results[0])
        call = FunctionLike.of(vjp).build_call(b, list(_args(new)) + [one])
        res = list(call.results)
        FunctionLike.of(new).build_return(b, (res[:1] if with_value else []) + res[1:])
        self._insert_after(fn, new)
        self.cache[key] = new
        return new

    # -- custom rules ----------------------------------------------------------------------------
    def _wrap_custom_jvp(self, fn: Operation, custom: Operation, active, width) -> Operation:
        """A jvp function of the requested activity/width calling the custom rule
        (zeros for inactive tangents, once per direction)."""
        ft = _ftype(fn)
        _no_dup_with_custom_rule(fn, active)
        t = ForwardTransform(self, fn, active, width, self._name(f"{_sym(fn)}_jvp"))
        new = FunctionLike.of(fn).create_like(t.name, t.signature(), fn.location)
        b = Builder.at_end(_entry(new), fn.location)
        from irc.ad_interfaces import RuleContext

        ctx = RuleContext(b)
        args = list(_args(new))
        n = len(ft.inputs)
        primals = args[:n]
        default = default_activity(ft.inputs)
        float_out = [t_ for t_ in ft.results if is_float_like(t_)]
        outs_primal, outs_t = None, [[] for _ in float_out]
        for k in range(width):
            tans = []
            for i in default:
                if i in active:
                    tans.append(args[n + active.index(i) * width + k])
                else:
                    tans.append(ctx.zero(ft.inputs[i]))
            call = FunctionLike.of(custom).build_call(b, primals + tans)
            res = list(call.results)
            outs_primal = res[: len(ft.results)]
            for j in range(len(float_out)):
                outs_t[j].append(res[len(ft.results) + j])
        FunctionLike.of(new).build_return(b, outs_primal + [v for ts in outs_t for v in ts])
        return self._insert_after(fn, new)

    def _select_vjp(self, fn: Operation, custom: Operation, active) -> Operation:
        """A vjp function of the requested activity calling the custom rule."""
        ft = _ftype(fn)
        _no_dup_with_custom_rule(fn, active)
        t = ReverseTransform(self, fn, active, self._name(f"{_sym(fn)}_vjp"))
        new = FunctionLike.of(fn).create_like(t.name, t.signature(), fn.location)
        b = Builder.at_end(_entry(new), fn.location)
        call = FunctionLike.of(custom).build_call(b, list(_args(new)))
        res = list(call.results)
        n_out = len(ft.results)
        default = default_activity(ft.inputs)
        FunctionLike.of(new).build_return(b, res[:n_out] + [res[n_out + default.index(i)] for i in active])
        return self._insert_after(fn, new)

    def _vjp_from_jvp(self, fn: Operation, active, at) -> Operation:
        """Reverse mode through a custom JVP rule: transpose it by differentiating
        the rule in reverse mode with respect to its tangents (at zero tangents)."""
        rule = self._custom_rule(fn, "ad.jvp_rule", at)
        ft = _ftype(fn)
        _no_dup_with_custom_rule(fn, active, at)
        n = len(ft.inputs)
        default = default_activity(ft.inputs)
        tangent_positions = [n + default.index(i) for i in active]
        inner = self.vjp_function(rule, tangent_positions, at)
        t = ReverseTransform(self, fn, active, self._name(f"{_sym(fn)}_vjp"))
        new = FunctionLike.of(fn).create_like(t.name, t.signature(), fn.location)
        b = Builder.at_end(_entry(new), fn.location)
        from irc.ad_interfaces import RuleContext

        ctx = RuleContext(b)
        args = list(_args(new))
        primals, cts = args[:n], args[n:]
        zeros_t = [ctx.zero(ft.inputs[i]) for i in default]
        rule_out = _ftype(rule).results
        # cotangents of the rule's outputs: zero for the primal results, ct for the tangents
        out_cts = [ctx.zero(t_) for t_ in ft.results if is_float_like(t_)] + list(cts)
        call = FunctionLike.of(inner).build_call(b, primals + zeros_t + out_cts)
        res = list(call.results)
        FunctionLike.of(new).build_return(b, res[: len(ft.results)] + res[len(rule_out):])
        return self._insert_after(fn, new)

    # -- lowering the ad ops -------------------------------------------------------------------
    def lower_in(self, fn: Operation, names=None) -> None:
        """Lower every ad transform op inside `fn` (innermost first)."""
        if _sym(fn) in self.lowered and names is None:
            return
        outline_regions(fn, self)
        for op in list(fn.walk()):
            if isinstance(op, ADTransformOp) and (names is None or op.op_name in names):
                self.lower_op(op)
        if names is None:
            self.lowered.add(_sym(fn))

    def lower_op(self, op: ADTransformOp) -> None:
        fn = op.target_function()
        if fn is None:
            raise op.emit_error(f"references unknown function '@{op.callee}'")
        sig = op.signature()
        b = Builder.before(op)
        if isinstance(op, JvpOp):
            target = self.jvp_function(fn, sig.active, sig.width, at=op)
        elif isinstance(op, VjpOp):
            target = self.vjp_function(fn, sig.active, at=op)
        else:
            target = self.grad_function(fn, sig.active, isinstance(op, ValueAndGradOp), at=op)
        call = FunctionLike.of(target).build_call(b, list(op.operands), op.location)
        for r, nr in zip(op.results, call.results):
            nr.name_hint = r.name_hint
        op.replace_all_uses_with(list(call.results))
        op.erase()


def outline_regions(root: Operation, manager: ADManager) -> None:
    """Turn every region-form ad op under `root` into a symbol form calling an
    outlined private function; captured values become extra inactive arguments."""
    for op in list(root.walk()):
        if not isinstance(op, ADTransformOp) or not op.regions:
            continue
        sig = op.signature()
        region = op.regions[0]
        entry = region.blocks[0]
        captures = captured_values(op)
        fn = enclosing_function(op)
        base = f"{_sym(fn)}_{op.op_name.split('.')[1]}_body" if fn is not None else "ad_body"
        name = manager._name(base)
        n = len(entry.arguments)
        ftype = FunctionType(tuple(sig.inputs) + tuple(v.type for v in captures), tuple(sig.outputs))
        new = new_function(fn, name, ftype, op.location)
        nb = _entry(new)
        mapping = {}
        for a, na in zip(entry.arguments, nb.arguments):
            mapping[a] = na
            na.name_hint = a.name_hint
        for c, na in zip(captures, nb.arguments[n:]):
            mapping[c] = na
            na.name_hint = c.name_hint
        for inner in entry.ops:
            if inner.op_name == "ad.yield":
                FunctionLike.of(new).build_return(Builder.at_end(nb, inner.location),
                                                  [mapping.get(v, v) for v in inner.operands])
            else:
                nb.append(inner.clone(mapping))
        if fn is not None:
            fn.parent.insert_after(fn, new)
        else:
            manager.module.regions[0].blocks[0].append(new)
        # the symbol form: primals, then captures (inactive), then tangents/cotangents
        ops = list(op.operands)
        new_operands = ops[:n] + list(captures) + ops[n:]
        attrs = dict(op.attributes)
        attrs["callee"] = SymbolRefAttr(name)
        attrs["wrt"] = ArrayAttr(tuple(IntegerAttr(i) for i in sig.active))
        sym = type(op).build(new_operands, result_types=list(op.result_types), attributes=attrs,
                             location=op.location)
        op.parent.insert_before(op, sym)
        op.replace_all_uses_with(list(sym.results))
        op.erase()


def lower_ad(module: Operation, modes: Optional[Sequence[str]] = None, cleanup: bool = True) -> Operation:
    """Lower every ad op of `module` (or those of `modes`) to calls of generated functions."""
    manager = ADManager(module)
    outline_regions(module, manager)
    fns = [op for op in module.regions[0].blocks[0].ops if FunctionLike.implemented_by(op)]
    names = None if modes is None else set(modes)
    for fn in fns:
        if fn.parent is not None:
            manager.lower_in(fn, names)
    if cleanup:
        clean_up(module)
    return module


def clean_up(module: Operation) -> None:
    """canonicalize, cse, dce when those passes exist (they are optional here)."""
    try:
        from irc.passes import run_pipeline, PASSES, load_passes

        load_passes()
        names = [n for n in ("canonicalize", "cse", "dce") if n in PASSES]
        if names:
            run_pipeline(module, ",".join(names))
    except ImportError:
        pass


def _no_dup_with_custom_rule(fn: Operation, active, at=None) -> None:
    """Custom rules follow the default activity, which never duplicates a buffer."""
    ft = _ftype(fn)
    dup = [i for i in active if is_float_buffer(ft.inputs[i])]
    if dup:
        raise (at or fn).emit_error(
            f"cannot use the custom derivative rule of '@{_sym(fn)}' with buffer argument {dup[0]} "
            "duplicated ('wrt'): custom rules take the default activity")


def _sym(fn: Operation) -> str:
    return FunctionLike.of(fn).sym_name()


def _ftype(fn: Operation) -> FunctionType:
    return FunctionLike.of(fn).function_type()


def _entry(fn: Operation):
    return FunctionLike.of(fn).entry_block()


def _args(fn: Operation):
    return FunctionLike.of(fn).arguments()


def _rule_type(ft: FunctionType, kind: str) -> FunctionType:
    """The type a custom `kind` ('jvp' or 'vjp') rule of a function of type `ft` must have (docs/ad.md)."""
    float_args = [ft.inputs[i] for i in default_activity(ft.inputs)]
    float_results = [t for t in ft.results if is_float_like(t)]
    if kind == "jvp":
        return FunctionType(tuple(ft.inputs) + tuple(float_args), tuple(ft.results) + tuple(float_results))
    return FunctionType(tuple(ft.inputs) + tuple(float_results), tuple(ft.results) + tuple(float_args))
