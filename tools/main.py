"""The `irc` command line: a thin shell over the library.

    irc opt FILE [--PASS[=OPTIONS]]... [--pass-pipeline=PIPELINE] [-o OUT]
    irc run FILE --entry NAME [--arg VALUE]... [--json]
    irc bench [parse|scaling]
    irc translate FILE --to-llvm        (the LLVM backend comes with a later step)

Every failure on bad input is a located diagnostic and exit code 1.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import time
from typing import List, Optional


class _ArgParser(argparse.ArgumentParser):
    """argparse that reports bad arguments as `irc: error: ...` with exit code 1."""

    def error(self, message):
        self.print_usage(sys.stderr)
        print(f"{self.prog}: error: {message}", file=sys.stderr)
        sys.exit(1)


class _Fail(Exception):
    """A CLI-level error message (bad file name, bad --arg) ending in exit code 1."""


# ----------------------------------------------------------------------------
# plugins


def load_plugin_file(path: str) -> None:
    """Import a Python file that registers dialects and passes (into the default context)."""
    from irc.context import default_context

    if not os.path.isfile(path):
        raise _Fail(f"cannot load plugin '{path}': no such file")
    try:
        default_context().load_plugin(path)
    except Exception as e:  # a broken plugin is reported, not a traceback
        if os.environ.get("IRC_DEBUG"):
            raise
        raise _Fail(f"cannot load plugin '{path}': {type(e).__name__}: {e}")


def load_entry_point_plugins() -> None:
    """Installed packages register through the `irc.plugins` entry-point group."""
    if not _may_declare_plugins():
        return
    from importlib.metadata import entry_points

    try:
        eps = entry_points(group="irc.plugins")
    except TypeError:  # Python < 3.10
        eps = entry_points().get("irc.plugins", [])
    for ep in eps:
        obj = ep.load()
        if callable(obj):
            obj()


def _may_declare_plugins() -> bool:
    """False only when no distribution on sys.path declares an `irc.plugins` entry point.

    Importing importlib.metadata costs the command ~15 ms of start-up, more than
    reading the installed distributions' entry_points.txt files here; anything this
    quick look cannot rule out (zip archives, eggs) is left to importlib.metadata,
    and so is everything once that module is loaded anyway.
    """
    if "importlib.metadata" in sys.modules:
        return True
    for folder in sys.path:
        if os.path.isfile(folder):  # a zip archive
            return True
        try:
            entries = list(os.scandir(folder or "."))
        except OSError:
            continue
        for entry in entries:
            if entry.name.endswith(".egg"):
                return True
            if entry.name.endswith((".dist-info", ".egg-info")):
                try:
                    with open(os.path.join(entry.path, "entry_points.txt"), encoding="utf-8") as f:
                        if "irc.plugins" in f.read():
                            return True
                except OSError:
                    pass
    return False


def _prescan_plugins(argv: List[str]) -> None:
    for i, a in enumerate(argv):
        if a == "--load-plugin" and i + 1 < len(argv):
            load_plugin_file(argv[i + 1])
        elif a.startswith("--load-plugin="):
            load_plugin_file(a.split("=", 1)[1])


# ----------------------------------------------------------------------------
# irc opt


class _PipelineItem(argparse.Action):
    """Collects pass flags and --pass-pipeline in command-line order."""

    def __call__(self, parser, namespace, values, option_string=None):
        items = getattr(namespace, "pipeline_items", None) or []
        items.append((self.dest, values))
        namespace.pipeline_items = items


def _add_common_ir_flags(p: argparse.ArgumentParser) -> None:
    p.add_argument("--allow-unregistered-dialect", action="store_true", help="accept ops of unknown dialects")
    p.add_argument("--load-plugin", action="append", default=[], metavar="FILE.py",
                   help="import a Python file that registers dialects and passes")


def build_opt_parser(sub) -> argparse.ArgumentParser:
    from irc.passes.pass_manager import PASSES, load_passes

    load_passes()
    p = sub.add_parser(
        "opt",
        help="parse, transform and print IR (the mlir-opt of irc)",
        description="Parse IR, run passes, print the result. Pass flags run in the order given.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("input", nargs="?", default="-", help="input file (.mlir, .ir, any name), or - for stdin")
    p.add_argument("-o", dest="output", default="-", help="output file (default: stdout)")
    p.add_argument("--pass-pipeline", dest="pipeline", action=_PipelineItem, metavar="PIPELINE",
                   help="MLIR pipeline text, e.g. 'builtin.module(func.func(canonicalize,cse))'")
    p.add_argument("--print-op-generic", "--mlir-print-op-generic", action="store_true",
                   help="print every op in the generic form")
    p.add_argument("--print-debuginfo", "--mlir-print-debuginfo", action="store_true",
                   help="print op locations")
    p.add_argument("--verify-diagnostics", action="store_true",
                   help="check that emitted diagnostics match // expected-error {{...}} comments")
    p.add_argument("--split-input-file", action="store_true", help="process chunks separated by // -----")
    p.add_argument("--no-verify-each", action="store_true", help="do not verify the IR after every pass")
    p.add_argument("--print-ir-before", action="append", default=[], metavar="PASS")
    p.add_argument("--print-ir-after", action="append", default=[], metavar="PASS")
    p.add_argument("--print-ir-before-all", action="store_true")
    p.add_argument("--print-ir-after-all", "--mlir-print-ir-after-all", action="store_true")
    p.add_argument("--print-ir-after-change", "--mlir-print-ir-after-change", action="store_true")
    p.add_argument("--timing", "--mlir-timing", action="store_true", help="print a time table per pass")
    _add_common_ir_flags(p)
    group = p.add_argument_group("passes (each also usable in --pass-pipeline)")
    for name in sorted(PASSES):
        cls = PASSES[name]
        opts = ", ".join(
            f"{o.name}={o.type.__name__} (default {o.default})" + (f": {o.help}" if o.help else "")
            for o in cls.options
        )
        help_text = cls.summary + (f" [options: {opts}]" if opts else "")
        if cls.options:
            group.add_argument(f"--{name}", dest=f"pass:{name}", nargs="?", const="", action=_PipelineItem,
                               metavar="OPTIONS", help=help_text.replace("%", "%%"))
        else:
            group.add_argument(f"--{name}", dest=f"pass:{name}", nargs=0, action=_PipelineItem,
                               help=help_text.replace("%", "%%"))
    return p


def _build_pass_manager(args, root: str):
    from irc.diagnostics import DiagnosticError
    from irc.passes.pass_manager import Instrumentation, PassManager, create_pass, parse_option_string, parse_pipeline

    pm = PassManager(root, verify_each=not args.no_verify_each)
    try:
        for dest, value in getattr(args, "pipeline_items", None) or []:
            if dest == "pipeline":
                nested = parse_pipeline(value, root)
                pm.entries.extend(nested.entries)
            else:
                pm.add(create_pass(dest.split(":", 1)[1], parse_option_string(value or "")))
    except DiagnosticError as e:  # a bad pipeline or pass option is a command-line error: no source location
        raise _Fail(str(e)) from None
    wants_instr = (
        args.print_ir_before or args.print_ir_after or args.print_ir_after_all or args.print_ir_before_all
        or args.print_ir_after_change or args.timing
    )
    if wants_instr:
        from irc.printer import print_op

        pm.instrumentation = Instrumentation(
            print_before=args.print_ir_before,
            print_after=args.print_ir_after,
            print_after_all=args.print_ir_after_all,
            print_before_all=args.print_ir_before_all,
            print_after_change=args.print_ir_after_change,
            timing=args.timing,
            printer=lambda op: print_op(op, generic=args.print_op_generic, debuginfo=args.print_debuginfo),
        )
    return pm


def _read_input(path: str) -> tuple:
    if path == "-":
        return sys.stdin.read(), "<stdin>"
    try:
        with open(path, encoding="utf-8") as f:
            return f.read(), path
    except FileNotFoundError:
        raise _Fail(f"could not open input file '{path}': no such file")
    except IsADirectoryError:
        raise _Fail(f"could not open input file '{path}': is a directory")
    except UnicodeDecodeError as e:
        raise _Fail(f"could not read input file '{path}': not UTF-8 text ({e.reason} at byte {e.start})")
    except OSError as e:
        raise _Fail(f"could not open input file '{path}': {e.strerror}")


def split_chunks(text: str) -> List[tuple]:
    """(first line number, chunk text) for each `// -----` separated chunk."""
    chunks, start_line, current = [], 1, []
    for i, line in enumerate(text.split("\n"), 1):
        if re.match(r"^\s*// -----\s*$", line):
            chunks.append((start_line, "\n".join(current)))
            current, start_line = [], i + 1
        else:
            current.append(line)
    chunks.append((start_line, "\n".join(current)))
    return chunks


def _process_chunk(text: str, filename: str, args) -> str:
    """Parse, run the passes and print one buffer; raise DiagnosticError on failure."""
    from irc.parser import parse_module
    from irc.printer import print_op

    pm = _build_pass_manager(args, "builtin.module")  # a bad pipeline is reported before the input
    module = parse_module(text, filename, allow_unregistered=args.allow_unregistered_dialect)
    start = time.perf_counter()
    pm.run(module)
    if pm.instrumentation is not None and pm.instrumentation.timing:
        print(pm.instrumentation.report(time.perf_counter() - start), file=sys.stderr)
    return print_op(module, generic=args.print_op_generic, debuginfo=args.print_debuginfo)


def cmd_opt(args) -> int:
    from irc.diagnostics import SOURCES, DiagnosticError, capture_diagnostics

    text, filename = _read_input(args.input)
    chunks = split_chunks(text) if args.split_input_file else [(1, text)]
    outputs, failed = [], False
    for first_line, chunk in chunks:
        padded = "\n" * (first_line - 1) + chunk  # keep the file's line numbers
        SOURCES.add(filename, text)
        if args.verify_diagnostics:
            ok, out = _verify_diagnostics_chunk(padded, filename, args)
            failed |= not ok
            if out is not None:
                outputs.append(out)
            continue
        with capture_diagnostics() as emitted:
            try:
                outputs.append(_process_chunk(padded, filename, args))
            except DiagnosticError as e:
                SOURCES.add(filename, text)
                for d in emitted:
                    print(SOURCES.render(d), file=sys.stderr)
                SOURCES.emit(e)
                failed = True
                continue
        SOURCES.add(filename, text)
        for d in emitted:
            print(SOURCES.render(d), file=sys.stderr)
    result = "// -----\n".join(outputs)
    if outputs:
        _write_output(args.output, result)
    return 1 if failed else 0


def _write_output(path: str, text: str) -> None:
    if path == "-":
        sys.stdout.write(text)
        return
    tmp = path + ".tmp"
    try:
        with open(tmp, "w", encoding="utf-8") as f:
            f.write(text)
        os.replace(tmp, path)
    except OSError as e:
        raise _Fail(f"could not write output file '{path}': {e.strerror}")


_EXPECTED = re.compile(
    r"//\s*expected-(error|warning|note|remark)\s*(@(?:[+-]\d+|above|below))?\s*(\*)?\s*\{\{(.*?)\}\}"
)


def _verify_diagnostics_chunk(text: str, filename: str, args):
    """MLIR's --verify-diagnostics: every diagnostic expected, every expectation met."""
    from irc.diagnostics import SOURCES, DiagnosticError, capture_diagnostics

    expected = []
    lines = text.split("\n")
    for lineno, line in enumerate(lines, 1):
        for m in _EXPECTED.finditer(line):
            sev, offset, _star, msg = m.groups()
            target = lineno
            if offset:
                if offset == "@above":
                    target = lineno - 1
                elif offset == "@below":
                    target = lineno + 1
                else:
                    target = lineno + int(offset[1:])
            expected.append([sev, target, msg, False, lineno])
    produced = []
    out = None
    with capture_diagnostics() as emitted:
        try:
            out = _process_chunk(text, filename, args)
        except DiagnosticError as e:
            for d in e.diagnostics:
                produced.append(d)
                produced.extend(d.notes)
    for d in emitted:
        produced.append(d)
        produced.extend(d.notes)
    ok = True
    for d in produced:
        flc = d.location.file_line_col() if d.location is not None else None
        line = flc.line if flc is not None else -1
        match = next(
            (e for e in expected if not e[3] and e[0] == d.severity and e[1] == line and e[2] in d.message), None
        )
        if match is None:
            if d.severity == "note" and not any(e[0] == "note" for e in expected):
                continue  # MLIR checks notes only when the file expects some
            ok = False
            print(SOURCES.render(type(d)(d.severity, f"unexpected {d.severity}: {d.message}", d.location)),
                  file=sys.stderr)
        else:
            match[3] = True
    for sev, target, msg, seen, lineno in expected:
        if not seen:
            ok = False
            from irc.location import FileLineColLoc
            from irc.diagnostics import Diagnostic

            print(SOURCES.render(Diagnostic("error", f'expected {sev} "{msg}" was not produced',
                                            FileLineColLoc(filename, lineno, 1))), file=sys.stderr)
    return ok, (out if ok and not any(d.severity == "error" for d in produced) else None)


# ----------------------------------------------------------------------------
# irc run


def _parse_run_arg(text: str):
    import numpy as np

    if text.endswith(".npy"):
        try:
            return np.load(text, allow_pickle=False)
        except (OSError, ValueError) as e:
            raise _Fail(f"could not load array argument '{text}': {e}")
    low = text.strip().lower()
    if low in ("true", "false"):
        return 1 if low == "true" else 0
    try:
        return int(text, 0)
    except ValueError:
        pass
    try:
        return float(text)
    except ValueError:
        raise _Fail(f"invalid --arg '{text}': expected a number, true/false, or a .npy file")


def cmd_run(args) -> int:
    import json

    from irc.diagnostics import DiagnosticError
    from irc.interpreter import Interpreter, coerce, to_python
    from irc.parser import parse_module

    text, filename = _read_input(args.input)
    module = parse_module(text, filename, allow_unregistered=args.allow_unregistered_dialect)
    _lower_for_execution(module)
    interp = Interpreter(module)
    try:
        fn = interp.lookup_function(args.entry)
    except DiagnosticError as e:  # a bad --entry is a command-line error: no source location
        raise _Fail(str(e)) from None
    ftype = fn.attributes["function_type"].value
    values = [_parse_run_arg(a) for a in args.arg]
    if len(values) != len(ftype.inputs):
        raise _Fail(f"@{args.entry} takes {len(ftype.inputs)} arguments ({', '.join(map(str, ftype.inputs))}), "
                    f"but {len(values)} --arg were given")
    converted = []
    for i, (v, t) in enumerate(zip(values, ftype.inputs)):
        try:
            converted.append(coerce(v, t))
        except (ValueError, TypeError, OverflowError) as e:
            raise _Fail(f"--arg #{i}: {e}")
    raw_results = interp.call_function(fn, converted)
    results = [to_python(r) for r in raw_results]
    if args.json:
        print(json.dumps(results, allow_nan=True))
    else:
        for r in results:
            print(r)
    if args.check_leaks:
        from irc.memory import leak_error

        leaked = leak_error(interp.memory.leaks(returned=raw_results))
        if leaked is not None:
            raise leaked
    return 0


def _lower_for_execution(module) -> None:
    """Lower what the interpreter cannot run directly (ad ops) so a file runs as is."""
    try:
        from irc.passes.ad import lower_ad
    except ImportError:
        return
    lower_ad(module)


# ----------------------------------------------------------------------------
# irc translate, irc bench


def cmd_translate(args) -> int:
    raise _Fail("irc translate: the LLVM and NVPTX backends are not built yet (they are the next steps on the "
                "roadmap); use `irc opt` to transform IR and `irc run` to interpret it")


def cmd_bench(args) -> int:
    from irc.tools import bench

    return bench.main(args)


# ----------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    parser = _ArgParser(prog="irc", description="irc: an MLIR-style compiler toolkit with a differentiation dialect")
    parser.add_argument("--version", action="version", version="irc 0.1.0")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_ArgParser)
    build_opt_parser(sub)
    r = sub.add_parser("run", help="run a function (reference interpreter until the CPU backend lands)")
    r.add_argument("input", help="input file, or - for stdin")
    r.add_argument("--entry", required=True, help="name of the function to run (without @)")
    r.add_argument("--arg", action="append", default=[], metavar="VALUE",
                   help="an argument: 1.5, 3, true, or an array file.npy (repeat per argument)")
    r.add_argument("--interpret", action="store_true", help="use the reference interpreter (the default for now)")
    r.add_argument("--json", action="store_true", help="print the results as one JSON array")
    r.add_argument("--check-leaks", action="store_true",
                   help="fail (exit 1) if a buffer from memref.alloc is neither freed nor returned")
    _add_common_ir_flags(r)
    t = sub.add_parser("translate", help="translate IR to LLVM IR / PTX (not yet available)")
    t.add_argument("input", nargs="?", default="-")
    t.add_argument("--to-llvm", action="store_true")
    t.add_argument("--to-ptx", action="store_true")
    b = sub.add_parser("bench", help="benchmarks, side by side with peers in the same run")
    b.add_argument("which", nargs="?", default="parse", choices=["parse", "scaling"],
                   help="parse: parse+verify+print speed beside xdsl-opt; scaling: growth per doubling of n "
                        "on the shapes AD and tracing produce, beside mlir-opt")
    b.add_argument("--ops", type=int, default=20000, help="ops in the generated function (parse benchmark)")
    b.add_argument("--n", type=int, default=5000, help="the smallest size of each case (scaling benchmark)")
    b.add_argument("--case", action="append", default=[], metavar="TEXT",
                   help="run only the cases whose name contains TEXT (scaling benchmark; repeatable)")
    b.add_argument("--repeat", type=int, default=3, help="runs per tool; the median is reported")
    b.add_argument("--json", action="store_true")
    return parser


def main(argv: Optional[List[str]] = None) -> int:
    from irc.diagnostics import SOURCES, DiagnosticError

    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        load_entry_point_plugins()
        _prescan_plugins(argv)
        parser = build_parser()
        args = parser.parse_args(argv)
        if args.command is None:
            parser.print_help()
            return 1
        handler = {"opt": cmd_opt, "run": cmd_run, "translate": cmd_translate, "bench": cmd_bench}[args.command]
        return handler(args)
    except DiagnosticError as e:
        SOURCES.emit(e)
        return 1
    except _Fail as e:
        print(f"irc: error: {e}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("irc: interrupted", file=sys.stderr)
        return 130
    except RecursionError:
        print("irc: error: input is nested too deeply", file=sys.stderr)
        return 1
    except BrokenPipeError:
        return 0
    except Exception as e:  # a bug in irc: say so plainly, keep the traceback behind IRC_DEBUG
        if os.environ.get("IRC_DEBUG"):
            raise
        print(f"irc: internal error: {type(e).__name__}: {e} (this is a bug in irc; "
              f"set IRC_DEBUG=1 for a traceback)", file=sys.stderr)
        return 2


def console_main() -> None:
    """Entry point of the `irc` command.

    A one-shot process: the cyclic GC is off for `opt` and `run` (IR is all
    reference cycles, and collecting mid-parse costs more than it frees), and
    the process ends with os._exit after flushing, skipping the teardown of
    the IR (0.1-0.25 s for a 20,000-op module).
    """
    import gc

    if len(sys.argv) > 1 and sys.argv[1] in ("opt", "run"):
        gc.disable()
    code = main()
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        pass
    sys.stderr.flush()
    os._exit(code)


if __name__ == "__main__":
    console_main()
