"""The `irc` command line: a thin shell over the library.

    irc opt FILE [--PASS[=OPTIONS]]... [--pass-pipeline=PIPELINE] [-o OUT]
    irc run FILE --entry NAME [--arg VALUE]... [--json]
    irc bench [parse|scaling|ode|compile|mlp]
    irc translate FILE --to-llvm        (the LLVM backend comes with a later step)

Every failure on bad input is a located diagnostic and exit code 1.
"""

from __future__ import annotations

import os
import signal
import sys


def _exit_interrupted(signum, frame):  # pragma: no cover - start-up only
    os.write(2, b"irc: interrupted\n")
    os._exit(130)


if __name__ == "__main__" or os.path.basename(sys.argv[0]) in ("irc", "irc.exe"):
    # Ctrl-C while the command starts up: one line and exit 130, never a traceback.
    # console_main puts Python's handler back once main's own handler is in place.
    signal.signal(signal.SIGINT, _exit_interrupted)

import argparse  # noqa: E402
import re  # noqa: E402
import time  # noqa: E402
from typing import List, Optional  # noqa: E402


class _ArgParser(argparse.ArgumentParser):
    """argparse that reports bad arguments as `irc: error: ...` with exit code 1."""

    def error(self, message):
        self.print_usage(sys.stderr)
        print(f"{self.prog}: error: {message}", file=sys.stderr)
        sys.exit(1)


class _Fail(Exception):
    """A CLI-level error message (bad file name, bad --arg) ending in exit code 1."""


# ----------------------------------------------------------------------------
# plugins (loading them and blaming them for their failures: tools/plugins.py)


def load_plugin_file(path: str) -> None:
    """Import a Python file that registers dialects and passes (into the default context)."""
    from irc.tools.plugins import load_plugin_file as load

    load(path)


def load_entry_point_plugins() -> None:
    """Installed packages register through the `irc.plugins` entry-point group."""
    if _may_declare_plugins():
        from irc.tools.plugins import load_entry_point_plugins as load

        load()


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
    """Collects pass flags and --pass-pipeline in command-line order.  A pass flag that takes
    options swallows the next word (``--canonicalize file.mlir``); a word that names none of
    its options is the input file, as mlir-opt reads it (options come as ``--canonicalize=...``)."""

    def __call__(self, parser, namespace, values, option_string=None):
        if isinstance(values, str) and values and self.dest.startswith("pass:") and not _names_an_option(
                self.dest.split(":", 1)[1], values):
            if getattr(namespace, "input_after_flag", None) is not None:
                parser.error(f"more than one input file: {namespace.input_after_flag}, {values}")
            namespace.input_after_flag, values = values, ""
        items = getattr(namespace, "pipeline_items", None) or []
        items.append((self.dest, values))
        namespace.pipeline_items = items


def _names_an_option(pass_name: str, words: str) -> bool:
    """Whether `words` reads as options of the pass (``a=1 b`` or ``{a=1}``: each key one of its
    options)."""
    from irc.passes.pass_manager import PASSES

    known = {o.name for o in PASSES[pass_name].options}
    keys = [w.split("=", 1)[0] for w in words.strip().strip("{}").split()]
    return bool(keys) and all(k in known for k in keys)


def _add_common_ir_flags(p: argparse.ArgumentParser) -> None:
    p.add_argument("--allow-unregistered-dialect", action="store_true", help="accept ops of unknown dialects")
    p.add_argument("--load-plugin", action="append", default=[], metavar="FILE.py",
                   help="import a Python file that registers dialects and passes")


def build_opt_parser(sub, pass_flags: bool = True) -> argparse.ArgumentParser:
    """`irc opt`'s arguments; with `pass_flags`, one flag per registered pass (importing every pass)."""
    p = sub.add_parser(
        "opt",
        help="parse, transform and print IR (the mlir-opt of irc)",
        description="Parse IR, run passes, print the result. Pass flags run in the order given.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("input", nargs="?", default="-",
                   help="input file (.mlir, .ir, any name), or - for stdin; at most 256 MiB of text")
    p.add_argument("-o", dest="output", default="-",
                   help="output file (default: stdout); a regular file is replaced atomically, only on success")
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
    if not pass_flags:
        return p
    from irc.passes.pass_manager import PASSES, load_passes

    load_passes()
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
    from irc.tools.files import InputError, read_input

    try:
        return read_input(path)
    except InputError as e:
        raise _Fail(str(e)) from None


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


def _process_chunk(text: str, filename: str, args, first_line: int = 1) -> str:
    """Parse, run the passes and print one buffer; raise DiagnosticError on failure."""
    from irc.parser import parse_module
    from irc.printer import print_op

    pm = _build_pass_manager(args, "builtin.module")  # a bad pipeline is reported before the input
    module = parse_module(text, filename, allow_unregistered=args.allow_unregistered_dialect, first_line=first_line)
    start = time.perf_counter()
    pm.run(module)
    if pm.instrumentation is not None and pm.instrumentation.timing:
        print(pm.instrumentation.report(time.perf_counter() - start), file=sys.stderr)
    return print_op(module, generic=args.print_op_generic, debuginfo=args.print_debuginfo)


def cmd_opt(args) -> int:
    from irc.diagnostics import SOURCES, DiagnosticError, capture_diagnostics
    from irc.tools.verify_diagnostics import verify_chunk

    swallowed = getattr(args, "input_after_flag", None)
    if swallowed is not None:
        if args.input != "-":
            raise _Fail(f"more than one input file: {swallowed}, {args.input}")
        args.input = swallowed
    text, filename = _read_input(args.input)
    chunks = split_chunks(text) if args.split_input_file else [(1, text)]
    outputs, failed = [], False
    SOURCES.add(filename, text)
    for first_line, chunk in chunks:  # each chunk keeps its file's line numbers: linear in the file
        process = lambda: _process_chunk(chunk, filename, args, first_line)  # noqa: E731
        if args.verify_diagnostics:
            ok, out = verify_chunk(chunk, filename, first_line, process)
            failed |= not ok
            if out is not None:
                outputs.append(out)
            emitted = []
        else:
            with capture_diagnostics() as emitted:
                try:
                    outputs.append(process())
                except DiagnosticError as e:
                    failed = True
                    emitted.extend(e.diagnostics)
        if first_line == 1 and len(chunks) > 1:
            SOURCES.add(filename, text)  # the first chunk's parse registered that chunk alone
        for d in emitted:
            print(SOURCES.render(d), file=sys.stderr)
    result = "// -----\n".join(outputs)
    if outputs and (args.output == "-" or not failed):  # a file is written only when all went well
        _write_output(args.output, result)
    return 1 if failed else 0


def _write_output(path: str, text: str) -> None:
    from irc.tools.files import OutputError, write_output

    try:
        write_output(path, text)
    except OutputError as e:
        raise _Fail(str(e)) from None


# ----------------------------------------------------------------------------
# irc run


def _parse_run_arg(text: str):
    if text.endswith(".npy"):
        from irc.tools.run_args import ArgumentError, load_array

        try:
            return load_array(text)
        except ArgumentError as e:
            raise _Fail(str(e)) from None
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


# `irc run` prints results as text: a larger array (a huge splat, say) is refused, not expanded
MAX_PRINTED_ELEMENTS = 1 << 24


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
    from irc.tools.run_args import ArgumentError, check_argument

    for i, (v, t) in enumerate(zip(values, ftype.inputs)):
        try:
            check_argument(i, v, t, args.arg[i])
            converted.append(coerce(v, t))
        except ArgumentError as e:
            raise _Fail(str(e)) from None
        except (ValueError, TypeError, OverflowError) as e:
            raise _Fail(f"--arg #{i}: {e}")
    raw_results = _call(args, module, interp, fn, converted)
    for i, r in enumerate(raw_results):
        size = getattr(r, "size", 1)
        if isinstance(size, int) and size > MAX_PRINTED_ELEMENTS:
            raise _Fail(f"result #{i} has {size} elements; irc run prints at most {MAX_PRINTED_ELEMENTS}")
    results = [_printable(to_python(r), t) for r, t in zip(raw_results, ftype.results)]
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


def _printable(value, t):
    """An integer result too long for decimal (Python's 4,300-digit limit) as the hexadecimal text
    irc prints for such attributes (ir/attributes.py format_int), a string in --json too."""
    if isinstance(value, int) and not isinstance(value, bool):
        from irc.attributes import format_int

        text = format_int(value, t)
        if text.lstrip("-").startswith("0x"):
            return text
    return value


def _call(args, module, interp, fn, converted):
    """Run @entry compiled by LLVM (the default) or in the interpreter (--interpret, and
    --check-leaks, which counts the interpreter's allocations).  IR the backend does
    not translate yet runs in the interpreter, with a note on stderr."""
    if not (args.interpret or args.check_leaks):
        compiled = _compile_for_run(module, args.opt_level)
        if compiled is not None:
            from irc.backends.llvm.interrupt import interrupts_exit

            # native code never returns to Python's SIGINT handler: a native one ends the
            # process as Ctrl-C does everywhere else ("irc: interrupted", status 130)
            converted = [_for_compiled_call(a) for a in converted]
            with interrupts_exit():
                return compiled[args.entry].call(converted)
    return interp.call_function(fn, converted)


def _for_compiled_call(value):
    """`value` (the interpreter's runtime form) as compiled code takes it: a buffer as its
    numpy array, a read-only array (loaded from a .npy file) as a writable copy, since
    compiled code takes buffers it may write (a 0-d array for a scalar goes as it is)."""
    from irc.memory import MemRef

    if isinstance(value, MemRef):  # the interpreter's view of a buffer: its numpy array
        value = value.array
    flags = getattr(value, "flags", None)
    if flags is None:
        return value
    if not flags.writeable:
        import numpy as np

        return np.array(value, copy=True)
    return value


def _compile_for_run(module, opt_level):
    import irc

    try:
        from irc.backends.llvm.translation import TranslationError
    except ImportError as e:  # llvmlite missing: the interpreter still works
        print(f"irc: note: running in the interpreter (the LLVM backend needs {e.name})", file=sys.stderr)
        return None
    try:
        return irc.compile(module, opt_level=opt_level)
    except TranslationError as e:
        reason = str(e).splitlines()[0]
        print(f"irc: note: running in the interpreter: the LLVM backend cannot translate this yet ({reason})",
              file=sys.stderr)
        return None
    except irc.DiagnosticError as e:  # a tensor program with an op bufferization has no model for
        if "was not bufferized" not in str(e):
            raise
        reason = str(e).splitlines()[0]
        print(f"irc: note: running in the interpreter: the program cannot be bufferized for the LLVM backend "
              f"({reason})", file=sys.stderr)
        return None


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
    """LLVM IR, assembly, or an object file and its C header (backends/llvm/objects.py)."""
    from irc.parser import parse_module

    if args.to_ptx:
        raise _Fail("irc translate --to-ptx: the NVPTX backend is not built yet")
    kinds = [k for k in ("to_llvm", "to_asm", "to_obj") if getattr(args, k)]
    if len(kinds) != 1:
        raise _Fail("irc translate: give one of --to-llvm, --to-asm, --to-obj")
    text, filename = _read_input(args.input)
    module = parse_module(text, filename, allow_unregistered=args.allow_unregistered_dialect)
    from irc.backends.llvm import objects

    opt = args.opt_level if args.opt_level is not None else (0 if args.to_llvm else 3)
    if args.to_obj:
        if args.output == "-":
            raise _Fail("irc translate --to-obj needs -o FILE.o (the header goes beside it, FILE.h)")
        stem = os.path.splitext(args.output)[0]
        obj, header = objects.object_file(module, opt, args.export, os.path.basename(stem))
        with open(args.output, "wb") as f:
            f.write(obj)
        with open(stem + ".h", "w", encoding="utf-8") as f:
            f.write(header)
        return 0
    out = (objects.llvm_ir_text if args.to_llvm else objects.assembly)(module, opt, args.export)
    _write_output(args.output, out)
    return 0


def cmd_bench(args) -> int:
    from irc.tools import bench

    return bench.main(args)


# ----------------------------------------------------------------------------


def build_parser(pass_flags: bool = True) -> argparse.ArgumentParser:
    """The `irc` command line's arguments (`pass_flags`: see build_opt_parser)."""
    parser = _ArgParser(prog="irc", description="irc: an MLIR-style compiler toolkit with a differentiation dialect")
    parser.add_argument("--version", action="version", version="irc 0.1.0")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_ArgParser)
    build_opt_parser(sub, pass_flags)
    r = sub.add_parser("run", help="run a function, compiled by LLVM (or --interpret)")
    r.add_argument("input", help="input file, or - for stdin")
    r.add_argument("--entry", required=True, help="name of the function to run (without @)")
    r.add_argument("--arg", action="append", default=[], metavar="VALUE",
                   help="an argument: 1.5, 3, true, or an array file.npy (repeat per argument)")
    r.add_argument("--interpret", action="store_true", help="use the reference interpreter instead of LLVM")
    r.add_argument("-O", dest="opt_level", type=int, choices=range(4), default=3, metavar="N",
                   help="LLVM optimization level, -O0 ... -O3 (default 3)")
    r.add_argument("--json", action="store_true", help="print the results as one JSON array")
    r.add_argument("--check-leaks", action="store_true",
                   help="fail (exit 1) if a buffer from memref.alloc is neither freed nor returned")
    _add_common_ir_flags(r)
    t = sub.add_parser("translate", help="translate IR to LLVM IR, assembly or an object file with a C header")
    t.add_argument("input", nargs="?", default="-")
    t.add_argument("--to-llvm", action="store_true", help="print LLVM IR (optimized with -O1 and above)")
    t.add_argument("--to-asm", action="store_true", help="print assembly for this CPU")
    t.add_argument("--to-obj", action="store_true", help="write an object file (-o FILE.o) and FILE.h")
    t.add_argument("--to-ptx", action="store_true", help="PTX (not yet available)")
    t.add_argument("-o", dest="output", default="-", help="output file (default: stdout)")
    t.add_argument("-O", dest="opt_level", type=int, choices=range(4), default=None, metavar="N",
                   help="LLVM optimization level (default: 0 for --to-llvm, 3 otherwise)")
    t.add_argument("--export", action="append", default=[], metavar="NAME",
                   help="also export @NAME (a private or generated function, e.g. f_grad) to C")
    _add_common_ir_flags(t)
    b = sub.add_parser("bench", help="benchmarks, side by side with peers in the same run")
    b.add_argument("which", nargs="?", default="parse", choices=["parse", "scaling", "ode", "compile", "mlp"],
                   help="parse: parse+verify+print speed beside xdsl-opt; scaling: growth per doubling of n "
                        "on the shapes AD and tracing produce, beside mlir-opt; ode: compiled primal, gradient "
                        "and HVP beside C, JAX, PyTorch; mlp: a 256x256 two-layer perceptron (primal, gradient, "
                        "HVP) beside numpy, JAX, PyTorch, and matmul loops, irc's gemm kernel and OpenBLAS; compile: JIT compile "
                        "time, cold and from the disk cache")
    b.add_argument("--ops", type=int, default=20000, help="ops in the generated function (parse benchmark)")
    b.add_argument("--n", type=int, default=5000, help="the smallest size of each case (scaling benchmark)")
    b.add_argument("--case", action="append", default=[], metavar="TEXT",
                   help="run only the cases whose name contains TEXT (scaling benchmark; repeatable)")
    b.add_argument("--repeat", type=int, default=3, help="runs per tool; the median is reported")
    b.add_argument("--json", action="store_true")
    return parser


def main(argv: Optional[List[str]] = None) -> int:
    """Run the `irc` command line on `argv`; return the exit code (0, 1 for bad input, 2 for an irc bug)."""
    import warnings

    argv = _attach_negative_numbers(list(sys.argv[1:] if argv is None else argv))
    with warnings.catch_warnings():
        if not sys.warnoptions:  # Python's own warnings are no diagnostics; `python -W` still shows them
            warnings.simplefilter("ignore")
        return _main(argv)


def _main(argv: List[str]) -> int:
    from irc.tools.plugins import PluginError, plugin_failure

    try:
        from irc.diagnostics import SOURCES, DiagnosticError

        try:
            load_entry_point_plugins()
            _prescan_plugins(argv)
            parser = build_parser(pass_flags=False)  # importing every pass is a third of the start-up
            if _may_name_a_pass(parser, argv):
                parser = build_parser()
            args = parser.parse_args(argv)
            if args.command is None:
                parser.print_help()
                return 1
            handler = {"opt": cmd_opt, "run": cmd_run, "translate": cmd_translate, "bench": cmd_bench}[args.command]
            from irc.deep_stack import run_with_deep_stack

            return run_with_deep_stack(handler, args)  # deeply nested IR needs more than Python's default budget
        except DiagnosticError as e:
            SOURCES.emit(e)
            return 1
    except (_Fail, PluginError) as e:
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
    except MemoryError as e:  # a resource limit, not a bug: the input asked for more than the machine has
        print(f"irc: error: out of memory ({e or 'the input needs more memory than is available'})", file=sys.stderr)
        return 1
    except BaseException as e:  # a plugin's failure is the plugin's; anything else is a bug in irc
        blame = plugin_failure(e)
        if blame is not None and not os.environ.get("IRC_DEBUG"):
            print(f"irc: error: {blame}", file=sys.stderr)
            return 1
        if not isinstance(e, Exception) or os.environ.get("IRC_DEBUG"):
            raise  # SystemExit from --help, and tracebacks on request
        print(f"irc: internal error: {type(e).__name__}: {e} (this is a bug in irc; "
              f"set IRC_DEBUG=1 for a traceback)", file=sys.stderr)
        return 2


def _may_name_a_pass(parser: argparse.ArgumentParser, argv: List[str]) -> bool:
    """Whether `argv` may hold a pass flag (`--cse`) or ask for help: any `--flag` that is not
    exactly one of `irc opt`'s own.  Where it cannot, the arguments parse the same without the
    pass flags, and the passes are imported only if a pipeline names them."""
    subcommands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    known = subcommands.choices["opt"]._option_string_actions
    return any(a in ("-h", "--help") or (a.startswith("--") and a.split("=", 1)[0] not in known) for a in argv)


def _attach_negative_numbers(argv: List[str]) -> List[str]:
    """`--arg -1e5` and `--arg -inf`: argparse takes a value starting with '-' for a flag, so glue it on."""
    out, i = [], 0
    while i < len(argv):
        a = argv[i]
        if a == "--arg" and i + 1 < len(argv) and argv[i + 1].startswith("-") and _is_number(argv[i + 1]):
            out.append(f"--arg={argv[i + 1]}")
            i += 2
            continue
        out.append(a)
        i += 1
    return out


def _is_number(text: str) -> bool:
    try:
        float(text)
        return True
    except ValueError:
        try:
            int(text, 0)
            return True
        except ValueError:
            return False


def console_main() -> None:
    """Entry point of the `irc` command.

    A one-shot process: the cyclic GC is off for `opt` and `run` (IR is all
    reference cycles, and collecting mid-parse costs more than it frees), and
    the process ends with os._exit after flushing, skipping the teardown of
    the IR (0.1-0.25 s for a 20,000-op module).
    """
    try:
        signal.signal(signal.SIGINT, signal.default_int_handler)  # main reports Ctrl-C from here on
        import gc

        if len(sys.argv) > 1 and sys.argv[1] in ("opt", "run"):
            gc.disable()
        code = main()
    except KeyboardInterrupt:  # Ctrl-C before main's own handler is in place
        print("irc: interrupted", file=sys.stderr)
        code = 130
    try:
        sys.stdout.flush()
    except (BrokenPipeError, KeyboardInterrupt):
        pass
    try:
        sys.stderr.flush()
    except (BrokenPipeError, KeyboardInterrupt):
        pass
    os._exit(code)


if __name__ == "__main__":
    console_main()
