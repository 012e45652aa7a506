"""Interop with xDSL over the test corpus, for the builtin/func/arith/math/scf subset.

For every corpus chunk (`tests/**/*.mlir`, `examples/*.mlir`, split on
`// -----`) that irc parses and verifies and whose ops all lie in that
subset:

- irc's printed output (custom form and generic form) parses and verifies
  in xDSL, and
- xDSL's printed output of it parses in irc and prints exactly as irc's own
  output, irc(xdsl(irc(x))) == irc(x), up to SSA value names: xDSL reads a
  name `%i_0` as the hint `i` plus a counter and renumbers it (`%i_1`),
  whereas irc, like MLIR, keeps `%i_0`.  Names are hints in both (MLIR drops
  them), so both sides are compared with every value printed as %N / %argN.

xDSL runs through its Python API (the parser, verifier and printer that
`xdsl-opt` uses) to avoid a subprocess per chunk; one test also runs the
real `xdsl-opt` command once over all chunks, nested as modules of one file.
The tests skip when xDSL (the `test` extra) is not installed.
"""

from __future__ import annotations

import difflib
import io
import shutil
import subprocess
import sys
from pathlib import Path
from typing import List, Tuple

import pytest

from irc.tools.main import split_chunks

xdsl = pytest.importorskip("xdsl", reason="xDSL (part of irc's `test` extra) is not installed")

ROOT = Path(__file__).resolve().parent.parent
SUBSET = ("builtin", "func", "arith", "math", "scf")

# Ops of the subset that irc has and xDSL 0.74 does not register are found
# at run time (`_xdsl_lacks`): arith.remf, arith.index_castui, ...  Units
# using them are left out.  Below, the ops xDSL 0.74 registers but reads
# differently from MLIR (and irc); a unit holding such an op is left out.


def _has_shaped_operand(op) -> bool:
    from irc.types import ShapedType

    return any(isinstance(v.type, ShapedType) for v in op.operands)


EXCLUDED_OPS = {
    # MLIR's `exact` flag (the `isExact` property) is newer than xDSL 0.74's
    # divsi/divui/shrsi/shrui, which reject it.
    "arith.divsi": lambda op: "isExact" in op.attributes,
    "arith.divui": lambda op: "isExact" in op.attributes,
    "arith.shrsi": lambda op: "isExact" in op.attributes,
    "arith.shrui": lambda op: "isExact" in op.attributes,
    # MLIR's trunci carries `overflowFlags` (always present, `none` by default,
    # as mlir-opt prints it in the generic form); xDSL 0.74's trunci rejects it.
    "arith.trunci": lambda op: "overflowFlags" in op.attributes,
    # xDSL 0.74's truncf has no rounding mode, and its extsi/extui take scalar
    # integers only (MLIR's take vectors and tensors too).
    "arith.truncf": lambda op: "roundingmode" in op.attributes,
    "arith.extsi": _has_shaped_operand,
    "arith.extui": _has_shaped_operand,
    # xDSL 0.74 types the result of cmpf/cmpi and the condition of select as
    # scalar i1 only; MLIR's elementwise vector/tensor forms fail its verifier.
    "arith.cmpf": _has_shaped_operand,
    "arith.cmpi": _has_shaped_operand,
    "arith.select": _has_shaped_operand,
    # xDSL 0.74 has no custom form for scf.parallel, prints scf.reduce's regions
    # without MLIR's separating comma, and lacks MLIR's newer `scf.for unsigned`
    # and `scf.execute_region no_inline`.
    "scf.parallel": lambda op: True,
    "scf.reduce": lambda op: True,
    "scf.for": lambda op: "unsignedCmp" in op.attributes,
    "scf.execute_region": lambda op: "no_inline" in op.attributes,
    # MLIR leaves out an index_switch's empty default scf.yield; xDSL 0.74 does
    # not add it back (a region with no block).
    "scf.index_switch": lambda op: not op.results,
    # xDSL 0.74 re-associates affine expressions when it prints them (a - b
    # becomes a + b * -1); mlir-opt prints them as written, and
    # test_interop_mlir.py checks irc's affine maps against it.
    "func.func": lambda op: any("affine_map" in str(a) for a in op.attributes.values()),
}


def _excluded(op) -> bool:
    rule = EXCLUDED_OPS.get(op.op_name)
    return rule is not None and rule(op)


def _xdsl_context():
    from xdsl.context import Context
    from xdsl.dialects import arith, builtin, func, math, scf

    ctx = Context()
    for dialect in (builtin.Builtin, func.Func, arith.Arith, math.Math, scf.Scf):
        ctx.load_dialect(dialect)
    return ctx


_CTX = None


def xdsl_roundtrip(text: str, name: str = "irc-output") -> str:
    """Parse, verify and print `text` with xDSL, as `xdsl-opt` does."""
    global _CTX
    from xdsl.parser import Parser
    from xdsl.printer import Printer

    if _CTX is None:
        _CTX = _xdsl_context()
    module = Parser(_CTX, text, name).parse_module()
    module.verify()
    out = io.StringIO()
    Printer(stream=out).print_op(module)
    return out.getvalue() + "\n"


def _xdsl_lacks(op_name: str) -> bool:
    global _CTX
    if _CTX is None:
        _CTX = _xdsl_context()
    return _CTX.get_optional_op(op_name) is None


def irc_print(text: str, generic: bool = False, name: str = "<interop>", keep_names: bool = True) -> str:
    """irc's printed text of `text`; with keep_names=False every SSA value prints as %N / %argN."""
    from irc.parser import parse_module
    from irc.printer import print_op

    return print_op(parse_module(text, name), generic=generic, keep_names=keep_names)


# ----------------------------------------------------------------------------
# the corpus


def _corpus_files() -> List[Path]:
    return sorted((ROOT / "tests").rglob("*.mlir")) + sorted((ROOT / "examples").glob("*.mlir"))


def _outside_subset(op) -> List[str]:
    """Names of the ops under `op` that cannot go to xDSL: outside the subset, or missing there."""
    from irc.attributes import DialectAttr, StringAttr

    names = set()
    for o in op.walk():
        if o.op_name.split(".", 1)[0] not in SUBSET or _excluded(o) or _xdsl_lacks(o.op_name):
            names.add(o.op_name)
        # unregistered dialect types and attributes (read with --allow-unregistered-dialect)
        values = list(o.results) + [a for r in o.regions for b in r.blocks for a in b.arguments]
        attrs = [a for a in o.attributes.values() if not isinstance(a, StringAttr)]
        if any("!" in str(v.type) for v in values) or any(
            type(a) is DialectAttr or "!" in str(a) for a in attrs  # DialectAttr itself: unregistered
        ):
            names.add(f"{o.op_name} (with a dialect type or attribute)")
    return sorted(names)


def subset_chunks(path: Path) -> Tuple[List[Tuple[int, str, str]], List[str]]:
    """([(line, label, irc's printed text)], [why each other chunk is left out]).

    A chunk whose ops all lie in the subset is one unit; otherwise each of
    its functions that does (and calls no other function) is a unit of its own.
    """
    from irc.diagnostics import DiagnosticError
    from irc.parser import parse_module
    from irc.printer import print_op

    text = path.read_text(encoding="utf-8")
    if "--load-plugin" in text:
        return [], ["needs a plugin"]
    kept, left_out = [], []
    for first_line, chunk in split_chunks(text):
        try:
            module = parse_module("\n" * (first_line - 1) + chunk, str(path), allow_unregistered=True)
        except (DiagnosticError, RecursionError):
            left_out.append(f"line {first_line}: irc rejects it (a diagnostics test?)")
            continue
        outside = _outside_subset(module)
        if not outside:
            kept.append((first_line, "the whole chunk", print_op(module)))
            continue
        left_out.append(f"line {first_line}: outside the subset or missing in xDSL 0.74: {', '.join(outside)}")
        for fn in module.regions[0].blocks[0].ops:
            if fn.op_name != "func.func" or _outside_subset(fn) or any(
                o.op_name == "func.call" for o in fn.walk()
            ):
                continue
            line = fn.location.file_line_col()
            kept.append((line.line if line else first_line, f"@{fn.attributes['sym_name'].value}",
                         print_op(parse_module(print_op(fn), str(path)))))
    return kept, left_out


def _ids(paths):
    return [str(p.relative_to(ROOT)) for p in paths]


FILES = _corpus_files()


# ----------------------------------------------------------------------------
# the tests


def _roundtrip_failures(path: Path, generic: bool) -> Tuple[int, List[str]]:
    chunks, _ = subset_chunks(path)
    failures = []
    for first_line, label, irc_text in chunks:
        source = irc_print(irc_text, generic=True) if generic else irc_text
        form = "generic" if generic else "custom"
        try:
            xdsl_text = xdsl_roundtrip(source)
        except Exception as e:  # xDSL's parse and verify errors have no common base class
            failures.append(f"{path}:{first_line} ({label}): xDSL rejects irc's {form} output: {e}\n--- irc output\n{source}")
            continue
        try:
            back = irc_print(xdsl_text, keep_names=False)
        except Exception as e:
            failures.append(
                f"{path}:{first_line} ({label}): irc rejects xDSL's output of irc's {form} form: {e}\n"
                f"--- irc output\n{source}\n--- xDSL output\n{xdsl_text}"
            )
            continue
        expected = irc_print(irc_text, keep_names=False)
        if back != expected:
            diff = "".join(difflib.unified_diff(
                expected.splitlines(True), back.splitlines(True), "irc(x)", "irc(xdsl(irc(x)))", n=1))
            failures.append(
                f"{path}:{first_line} ({label}): irc(xdsl(irc(x))) != irc(x) ({form} form)\n{diff}"
                f"--- the xDSL text\n{xdsl_text}"
            )
    return len(chunks), failures


@pytest.mark.parametrize("path", FILES, ids=_ids(FILES))
def test_irc_output_parses_in_xdsl_and_back(path):
    """irc's custom-form output parses in xDSL; xDSL's output parses in irc and prints the same."""
    count, failures = _roundtrip_failures(path, generic=False)
    if count == 0:
        reasons = subset_chunks(path)[1]
        pytest.skip(f"no chunk or function in the builtin/func/arith/math/scf subset ({len(reasons)} left out: "
                    + "; ".join(reasons[:3]) + ("; ..." if len(reasons) > 3 else "") + ")")
    if failures:
        pytest.fail("\n\n".join(failures), pytrace=False)


@pytest.mark.parametrize("path", FILES, ids=_ids(FILES))
def test_irc_generic_output_parses_in_xdsl_and_back(path):
    """The same for irc's generic form (`--print-op-generic`)."""
    count, failures = _roundtrip_failures(path, generic=True)
    if count == 0:
        pytest.skip("no chunk in the builtin/func/arith/math/scf subset")
    if failures:
        pytest.fail("\n\n".join(failures), pytrace=False)


def _nest_as_modules(texts: List[str]) -> str:
    """One file holding each printed module nested in an outer module (symbols stay apart)."""
    body = "".join("  " + t.rstrip("\n").replace("\n", "\n  ") + "\n" for t in texts)
    return "module {\n" + body + "}\n"


def test_xdsl_opt_command_accepts_irc_output_of_the_whole_corpus(tmp_path):
    """The real `xdsl-opt` command, once, over every subset chunk; its output prints back the same in irc."""
    xdsl_opt = shutil.which("xdsl-opt", path=str(Path(sys.executable).parent)) or shutil.which("xdsl-opt")
    if xdsl_opt is None:
        pytest.skip("the xdsl-opt command is not installed")
    texts = [irc_text for path in FILES for _, _, irc_text in subset_chunks(path)[0]]
    if not texts:
        pytest.skip("no chunk of the corpus lies in the builtin/func/arith/math/scf subset")
    combined = tmp_path / "corpus.mlir"
    combined.write_text(_nest_as_modules(texts))
    proc = subprocess.run([xdsl_opt, str(combined)], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, f"xdsl-opt failed on irc's output:\n{proc.stderr[-4000:]}"
    expected = irc_print(combined.read_text(), keep_names=False)
    assert irc_print(proc.stdout, keep_names=False) == expected


def test_xdsl_spellings_that_irc_accepts():
    """xDSL prints `builtin.module`, `func.return` and `%r, %r_1 = ...`; irc reads them as MLIR does."""
    text = (
        "builtin.module {\n"
        "  func.func private @two() -> (f64, i32)\n"
        "  func.func @f() -> i32 {\n"
        "    %r, %r_1 = func.call @two() : () -> (f64, i32)\n"
        "    func.return %r_1 : i32\n"
        "  }\n"
        "}\n"
    )
    out = irc_print(text)
    assert "%r:2 = func.call @two() : () -> (f64, i32)" in out
    assert "return %r#1 : i32" in out
