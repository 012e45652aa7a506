"""Interop with the real MLIR: what irc prints parses in `mlir-opt`, and what
`mlir-opt` prints back parses in irc and means the same IR.

Every chunk of the IR test corpus that irc accepts is used.  Chunks with
irc-only dialects (ad, plugin dialects) go over in the generic form with
`--allow-unregistered-dialect`, as DESIGN.md §9 says.  Skips cleanly when
mlir-opt is not installed (`apt-get install mlir-22-tools`).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from irc.diagnostics import DiagnosticError
from irc.parser import parse_module
from irc.printer import print_op

HERE = Path(__file__).parent
MLIR_OPT = shutil.which("mlir-opt") or next(
    (p for p in ("/usr/lib/llvm-22/bin/mlir-opt", "/usr/lib/llvm-21/bin/mlir-opt") if os.path.exists(p)), None
)
SHARED = {"builtin", "func", "arith", "math", "scf", "memref", "tensor", "linalg"}

pytestmark = pytest.mark.skipif(MLIR_OPT is None, reason="mlir-opt not installed (apt-get install mlir-22-tools)")


def corpus_chunks():
    for path in sorted(HERE.rglob("*.mlir")):
        text = path.read_text()
        if "expected-error" in text or "--load-plugin" in text:
            continue
        for i, chunk in enumerate(re.split(r"^// -----\s*$", text, flags=re.M)):
            try:
                module = parse_module(chunk, str(path))
            except DiagnosticError:
                continue
            yield f"{path.relative_to(HERE)}#{i}", module


def dialects_of(module) -> set:
    return {op.op_name.split(".")[0] for op in module.walk()}


def anonymous(module) -> str:
    """Generic text with every value named by position (mlir-opt renames values), without
    the indexing-map cache mlir-opt's linalg verifier stores on named ops."""
    text = print_op(module, generic=True, keep_names=False)
    return re.sub(r" \{linalg\.memoized_indexing_maps = \[[^\]]*\]\}", "", text)


def run_mlir_opt(text: str, generic: bool) -> str:
    args = [MLIR_OPT, "--allow-unregistered-dialect"] + (["--mlir-print-op-generic"] if generic else [])
    proc = subprocess.run(args, input=text, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, f"mlir-opt rejected irc's output:\n{proc.stderr[:3000]}"
    return proc.stdout


@pytest.mark.parametrize("custom", [True, False], ids=["custom-form", "generic-form"])
def test_irc_output_parses_in_mlir_opt_and_back(custom):
    chunks = list(corpus_chunks())
    assert chunks, "the corpus is empty"
    names, texts, expected = [], [], []
    for name, module in chunks:
        shared_only = dialects_of(module) <= SHARED
        if custom and not shared_only:
            continue
        text = print_op(module, generic=not custom)
        names.append(name)
        texts.append(text)
        expected.append(anonymous(parse_module(text, allow_unregistered=True)))
    # one mlir-opt call for the whole corpus: each chunk becomes a nested module
    big = "".join(texts)
    out = run_mlir_opt(big, generic=not custom)
    back = parse_module(out, "mlir-opt-output", allow_unregistered=True)
    modules = [op for op in back.body.ops]
    assert len(modules) == len(names)
    for name, want, got in zip(names, expected, modules):
        assert anonymous(got) == want, f"{name}: mlir-opt's text means different IR in irc"


# Diagnostic tests whose every expectation is MLIR's own wording: mlir-opt must
# produce exactly the same errors and notes on them as irc does.
MLIR_WORDED = [
    "diagnostics/mlir_shapes.mlir",
    "diagnostics/mlir_func_attributes.mlir",
    "dialects/arith/extended_invalid.mlir",
    "dialects/math/sincos_clampf_invalid.mlir",
    "dialects/scf/index_switch_invalid.mlir",
    "dialects/scf/forall_invalid.mlir",
    "dialects/memref/invalid.mlir",
    "dialects/memref/views_invalid.mlir",
    "dialects/tensor/bitcast_invalid.mlir",
    "dialects/linalg/generic_invalid.mlir",
    "dialects/linalg/named_invalid.mlir",
    "dialects/linalg/conv_invalid.mlir",
]


@pytest.mark.parametrize("name", MLIR_WORDED)
def test_mlir_opt_gives_the_same_diagnostics(name):
    proc = subprocess.run(
        [MLIR_OPT, "--split-input-file", "--verify-diagnostics", "--allow-unregistered-dialect", str(HERE / name)],
        capture_output=True, text=True, timeout=120,
    )
    assert proc.returncode == 0, f"mlir-opt disagrees with {name}:\n{proc.stderr[:3000]}"
