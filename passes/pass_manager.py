"""The pass manager: registered passes, MLIR's textual pipeline syntax,
nested pass managers per op type, verification after every pass, and
instrumentation (IR printing, timing).

    builtin.module(func.func(canonicalize{max-iterations=5},cse),ad-reverse)

A pass anchored on an op name (``anchor = "func.func"``) that is added to a
pass manager of another op runs on every nested op of that name, so
``--cse`` works on a module without spelling out the nesting.  An anchor may
also be an op interface (``anchor = FunctionLike``): the pass then runs on
every nested op implementing it, whatever its dialect.

Nested pass managers are anchored the same three ways: on an op name
(``func.func(cse)``), on an op interface (``pm.nest(FunctionLike)``, from
Python: MLIR's textual syntax has none), or on any op (MLIR's ``any(cse)``):
an op-agnostic pass manager runs on each op directly inside its parent's
regions that it can be scheduled on, i.e. a registered op, isolated from
above, that each of its passes accepts (a pass anchored on FunctionLike
accepts only function-like ops, as MLIR's interface passes do); other ops
are skipped.
"""

from __future__ import annotations

import gc
import sys
import time
from dataclasses import dataclass
from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple

from irc.context import Context, current_context, default_context, register
from irc.core import Operation
from irc.diagnostics import Diagnostic, DiagnosticError, error

# ----------------------------------------------------------------------------
# passes and their registry


@dataclass(frozen=True)
class PassOption:
    name: str
    type: Any = str  # str, int, float, bool
    default: Any = None
    help: str = ""

    def convert(self, text: str):
        if self.type is bool:
            if text.lower() in ("1", "true", "yes", "on", ""):
                return True
            if text.lower() in ("0", "false", "no", "off"):
                return False
            raise ValueError(f"expected a boolean, got '{text}'")
        return self.type(text)


class Pass:
    """Base of passes.  Subclasses set `name`, `summary`, `anchor`, `options`, and define `run(op)`."""

    name: str = ""
    summary: str = ""
    # op name (or op interface, e.g. FunctionLike) the pass runs on; None: whatever op it is given
    anchor: Any = None
    options: Tuple[PassOption, ...] = ()

    def __init__(self, **opts):
        self.opts: Dict[str, Any] = {o.name: o.default for o in self.options}
        for k, v in opts.items():
            opt = self._option(k)
            self.opts[opt.name] = opt.convert(v) if isinstance(v, str) else v

    @classmethod
    def _option(cls, key: str) -> PassOption:
        for o in cls.options:
            if o.name == key or o.name.replace("_", "-") == key:
                return o
        known = ", ".join(o.name for o in cls.options) or "none"
        raise error(f"pass '{cls.name}' has no option '{key}' (options: {known})")

    def run(self, op: Operation) -> None:
        raise NotImplementedError

    def describe(self) -> str:
        changed = {k: v for k, v in self.opts.items() if v != self._option(k).default}
        if not changed:
            return self.name
        return self.name + "{" + " ".join(f"{k}={_fmt_opt(v)}" for k, v in changed.items()) + "}"


def _fmt_opt(v) -> str:
    return str(v).lower() if isinstance(v, bool) else str(v)


# the default context's passes (the command line's); pipelines look names up in the current context
PASSES: Dict[str, type] = default_context().passes


def register_pass(cls):
    """Class decorator: make a pass available to pipelines and as a CLI flag.

    irc's own passes join every context; a plugin's joins the context it is loaded into."""
    assert cls.name, "a pass needs a name"
    register("passes", cls.name, cls, cls.__module__)
    return cls


def load_passes() -> None:
    """Import every shipped pass module (registration happens on import)."""
    import importlib

    for mod in (
        "irc.passes.canonicalize",
        "irc.passes.cse",
        "irc.passes.dce",
        "irc.passes.symbol_dce",
        "irc.passes.inline",
        "irc.passes.licm",
        "irc.passes.linalg_to_loops",
        "irc.passes.linalg_to_blas",
        "irc.passes.dead_buffers",
        "irc.passes.linalg_generalize",
        "irc.passes.ad",
        "irc.passes.bufferize",
    ):
        try:
            importlib.import_module(mod)
        except ModuleNotFoundError as e:
            if e.name != mod:
                raise


# ----------------------------------------------------------------------------
# instrumentation


class Instrumentation:
    """What to print or measure around each pass (the CLI fills it from flags)."""

    def __init__(
        self,
        print_before: Sequence[str] = (),
        print_after: Sequence[str] = (),
        print_after_all: bool = False,
        print_after_change: bool = False,
        print_before_all: bool = False,
        timing: bool = False,
        stream=None,
        printer: Optional[Callable[[Operation], str]] = None,
    ):
        self.print_before = set(print_before)
        self.print_after = set(print_after)
        self.print_after_all = print_after_all
        self.print_before_all = print_before_all
        self.print_after_change = print_after_change
        self.timing = timing
        self.stream = stream or sys.stderr
        self.times: Dict[str, float] = {}
        self.counts: Dict[str, int] = {}
        self.order: List[str] = []
        self.verify_time = 0.0
        self.printer = printer

    def _print(self, op: Operation) -> str:
        if self.printer is not None:
            return self.printer(op)
        from irc.printer import print_op

        return print_op(op)

    def _dump(self, when: str, p: Pass, op: Operation) -> None:
        print(f"// -----// IR Dump {when} {p.describe()} ({op.op_name}) //----- //", file=self.stream)
        print(self._print(op), file=self.stream, end="")
        print(file=self.stream)

    def wants_before(self, p: Pass) -> bool:
        return self.print_before_all or p.name in self.print_before

    def wants_snapshot(self, p: Pass) -> bool:
        return self.print_after_change

    def after(self, p: Pass, op: Operation, before_text: Optional[str]) -> None:
        if self.print_after_all or p.name in self.print_after:
            self._dump("After", p, op)
        elif self.print_after_change and before_text is not None and before_text != self._print(op):
            self._dump("After", p, op)

    def record(self, name: str, seconds: float) -> None:
        if name not in self.times:
            self.order.append(name)
            self.times[name] = 0.0
            self.counts[name] = 0
        self.times[name] += seconds
        self.counts[name] += 1

    def report(self, total: float) -> str:
        lines = [
            "===" + "-" * 72 + "===",
            "                         ... Execution time report ...",
            "===" + "-" * 72 + "===",
            f"  Total Execution Time: {total:.4f} seconds",
            "",
            "  ----Wall Time----  ----Name----",
        ]
        for name in self.order:
            t = self.times[name]
            pct = 100.0 * t / total if total > 0 else 0.0
            lines.append(f"    {t:.4f} ({pct:5.1f}%)  {name}")
        lines.append(f"    {total:.4f} (100.0%)  Total")
        return "\n".join(lines)


# ----------------------------------------------------------------------------
# the pass manager


ANY = "any"  # the anchor of an op-agnostic pass manager (MLIR's `any(...)`)


class PassManager:
    """Runs passes (and nested pass managers) on the ops `anchor` names: an op name, an op
    interface (FunctionLike) or `ANY` (see the module docstring)."""

    def __init__(self, anchor: Any = "builtin.module", verify_each: bool = True, instrumentation=None):
        self.anchor = anchor
        self.entries: List[Any] = []  # Pass or PassManager
        self.verify_each = verify_each
        self.instrumentation: Optional[Instrumentation] = instrumentation

    def add(self, p) -> "PassManager":
        self.entries.append(p)
        return self

    def nest(self, anchor: Any) -> "PassManager":
        """A pass manager for the nested ops `anchor` names (an op name, an op interface or ANY), added here."""
        pm = PassManager(anchor, self.verify_each, self.instrumentation)
        self.entries.append(pm)
        return pm

    def nest_any(self) -> "PassManager":
        """An op-agnostic nested pass manager (MLIR's `nestAny`, textually `any(...)`)."""
        return self.nest(ANY)

    def describe(self) -> str:
        inner = ",".join(e.describe() for e in self.entries)
        anchor = self.anchor if isinstance(self.anchor, str) else self.anchor.interface_name
        return f"{anchor}({inner})"

    def can_schedule_on(self, op: Operation) -> bool:
        """Whether this op-agnostic pass manager runs on `op` (MLIR's canScheduleOn): a registered
        op isolated from above that every pass here accepts."""
        from irc.traits import IsolatedFromAbove

        if not op.registered or not op.has_trait(IsolatedFromAbove):
            return False
        return all(
            isinstance(e, PassManager) or e.anchor is None or anchors_on(e.anchor, op) for e in self.entries
        )

    def _targets_in(self, op: Operation) -> List[Operation]:
        """The ops nested in `op` this pass manager runs on."""
        if self.anchor == ANY:
            return [inner for region in op.regions for block in region.blocks for inner in block.ops
                    if self.can_schedule_on(inner)]
        targets = list(_nested_named(op, self.anchor))
        for target in targets:
            _check_schedulable(target)
        return targets

    def _propagate(self, verify_each, instrumentation):
        self.verify_each = verify_each
        self.instrumentation = instrumentation
        for e in self.entries:
            if isinstance(e, PassManager):
                e._propagate(verify_each, instrumentation)

    def run(self, op: Operation) -> None:
        """Run the pipeline on `op`; raise DiagnosticError on the first failure."""
        self._propagate(self.verify_each, self.instrumentation)
        anchored = self.anchor == ANY or anchors_on(self.anchor, op)
        if not anchored and op.op_name != "builtin.module":
            anchor = self.anchor if isinstance(self.anchor, str) else self.anchor.interface_name
            raise error(f"can't run '{anchor}' pass manager on '{op.op_name}' op", op.location)
        targets = [op] if anchored else list(_nested_named(op, self.anchor))
        for target in targets:
            _check_schedulable(target)
            self._run_on(target)

    def _run_on(self, op: Operation) -> None:
        for entry in self.entries:
            if isinstance(entry, PassManager):
                for nested in entry._targets_in(op):
                    entry._run_on(nested)
            elif entry.anchor is None or anchors_on(entry.anchor, op):
                self._run_pass(entry, op)
            else:
                for nested in list(_nested_named(op, entry.anchor)):
                    self._run_pass(entry, nested)

    def _run_pass(self, p: Pass, op: Operation) -> None:
        inst = self.instrumentation
        before_text = None
        if inst is not None:
            if inst.wants_before(p):
                inst._dump("Before", p, op)
            if inst.wants_snapshot(p):
                before_text = inst._print(op)
        start = time.perf_counter()
        gc_was_enabled = gc.isenabled()
        gc.disable()  # IR is cycles all the way down; collecting mid-pass costs more than the pass
        try:
            p.run(op)
        except DiagnosticError as e:
            note_pass(e, p, op)
            raise
        except RecursionError:
            raise error(f"pass '{p.name}' failed on '{op.op_name}' op: IR nested too deeply", op.location)
        except Exception as e:  # a bug in a pass still ends in a diagnostic, never a traceback
            import os

            if os.environ.get("IRC_DEBUG") or not type(p).__module__.startswith("irc."):
                raise  # a plugin's or an embedder's pass: its exception is its own (the CLI names the plugin)
            raise error(
                f"pass '{p.name}' failed on '{op.op_name}' op: internal error: {type(e).__name__}: {e}",
                op.location,
            )
        finally:
            if gc_was_enabled:
                gc.enable()
            if inst is not None and inst.timing:
                inst.record(p.name, time.perf_counter() - start)
        if inst is not None:
            inst.after(p, op, before_text)
        if self.verify_each:
            from irc.verifier import verify

            vstart = time.perf_counter()
            try:
                verify(op)
            except DiagnosticError as e:
                e.diagnostics[0].attach_note(f"the IR is invalid after pass '{p.name}'")
                raise
            finally:
                if inst is not None and inst.timing:
                    inst.record("(verifier)", time.perf_counter() - vstart)


def _check_schedulable(op: Operation) -> None:
    """A pass manager runs only on registered ops isolated from above (MLIR's rule and wording):
    a pass on `scf.for` could rewrite values the loop captures from outside."""
    from irc.traits import IsolatedFromAbove

    if not op.registered:
        raise op.emit_error("trying to schedule a pass on an unregistered operation")
    if not op.has_trait(IsolatedFromAbove):
        raise op.emit_error("trying to schedule a pass on an operation not marked as 'IsolatedFromAbove'")


def note_pass(e: DiagnosticError, p: Pass, op: Operation) -> None:
    if e.diagnostics and not any("while running pass" in n.message for n in e.diagnostics[0].notes):
        e.diagnostics[0].notes.append(Diagnostic("note", f"while running pass '{p.name}' on '{op.op_name}' op", op.location))


def anchors_on(anchor, op: Operation) -> bool:
    """Whether `anchor` (an op name or an op interface) names `op`."""
    if isinstance(anchor, str):
        return op.op_name == anchor
    return anchor.implemented_by(op)


def _nested_named(op: Operation, anchor):
    """Ops `anchor` names (an op name or an op interface) nested in `op`'s regions
    (not inside another such op)."""
    for region in op.regions:
        for block in region.blocks:
            for inner in block.ops:
                if anchors_on(anchor, inner):
                    yield inner
                else:
                    yield from _nested_named(inner, anchor)


# ----------------------------------------------------------------------------
# pipeline text


class _PipelineParser:
    def __init__(self, text: str):
        self.text = text
        self.pos = 0

    def fail(self, msg: str) -> DiagnosticError:
        return error(f"invalid pass pipeline '{self.text}': {msg} at position {self.pos}")

    def skip_ws(self):
        while self.pos < len(self.text) and self.text[self.pos].isspace():
            self.pos += 1

    def name(self) -> str:
        self.skip_ws()
        start = self.pos
        while self.pos < len(self.text) and (self.text[self.pos].isalnum() or self.text[self.pos] in "-_."):
            self.pos += 1
        if start == self.pos:
            raise self.fail("expected a pass or op name")
        return self.text[start:self.pos]

    def peek(self) -> str:
        self.skip_ws()
        return self.text[self.pos] if self.pos < len(self.text) else ""

    def options(self) -> Dict[str, str]:
        # `{key=value key2="a b"}`; values may hold nested braces
        assert self.text[self.pos] == "{"
        self.pos += 1
        depth, start = 1, self.pos
        while self.pos < len(self.text) and depth:
            c = self.text[self.pos]
            depth += c == "{"
            depth -= c == "}"
            self.pos += 1
        if depth:
            raise self.fail("unterminated '{'")
        return parse_option_string(self.text[start:self.pos - 1])

    def elements(self, pm: PassManager) -> None:
        while True:
            name = self.name()
            if self.peek() == "(":
                self.pos += 1
                nested = pm.nest(name)
                if self.peek() != ")":
                    self.elements(nested)
                if self.peek() != ")":
                    raise self.fail("expected ')'")
                self.pos += 1
            else:
                opts = self.options() if self.peek() == "{" else {}
                pm.add(create_pass(name, opts))
            if self.peek() == ",":
                self.pos += 1
                continue
            return


def parse_option_string(text: str) -> Dict[str, str]:
    """`a=1 b="x y" c` → {'a': '1', 'b': 'x y', 'c': ''} (MLIR's pass option syntax)."""
    import shlex

    out = {}
    try:
        parts = shlex.split(text)
    except ValueError as e:
        raise error(f"invalid pass options '{text}': {e}")
    for part in parts:
        k, _, v = part.partition("=")
        out[k.strip()] = v.strip()
    return out


def create_pass(name: str, options: Optional[Dict[str, str]] = None) -> Pass:
    load_passes()
    passes = current_context().passes
    cls = passes.get(name)
    if cls is None:
        import difflib

        close = difflib.get_close_matches(name, passes, n=1)
        hint = f"; did you mean '{close[0]}'?" if close else ""
        raise error(f"'{name}' does not refer to a registered pass{hint}")
    try:
        return cls(**(options or {}))
    except ValueError as e:
        raise error(f"invalid option for pass '{name}': {e}")


def parse_pipeline(text: str, root: str = "builtin.module") -> PassManager:
    """A pass manager from MLIR pipeline text: `builtin.module(func.func(cse),inline)`
    or a bare list `canonicalize,cse` (run on the root op)."""
    p = _PipelineParser(text.strip())
    pm = PassManager(root)
    if not p.text:
        return pm
    save = p.pos
    first = p.name()
    if first == root and p.peek() == "(":
        p.pos += 1
        if p.peek() != ")":
            p.elements(pm)
        if p.peek() != ")":
            raise p.fail("expected ')'")
        p.pos += 1
    else:
        p.pos = save
        p.elements(pm)
    if p.peek():
        raise p.fail(f"unexpected '{p.peek()}'")
    return pm


def run_pipeline(op: Operation, text: str, verify_each: bool = True, context: Optional[Context] = None) -> Operation:
    """Parse `text` as a pipeline and run it on `op` (usually a module); return `op`.

    Pass names (and the ops passes build by name) are looked up in `context`,
    by default the current one."""
    with (context or current_context()).activate():
        pm = parse_pipeline(text, op.op_name)
        pm.verify_each = verify_each
        pm.run(op)
    return op
