"""Run a tensor program and its bufferized form in the interpreter and compare.

`check_bufferized(text, entry, args)` interprets `@entry` of the tensor program,
bufferizes a second copy with `--one-shot-bufferize` (function boundaries by
default), interprets it on copies of the same arguments, and asserts that the
results agree and that no buffer is left allocated except the ones returned.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess

import numpy as np

import irc
from irc.interpreter import Interpreter
from irc.passes import run_pipeline

PIPELINE = "one-shot-bufferize{bufferize-function-boundaries}"


def parse(text: str):
    return irc.default_context().parse_module(text, "<test>")


def bufferize(text: str, pipeline: str = PIPELINE):
    module = parse(text)
    run_pipeline(module, pipeline)
    return module


def run(module, entry: str, args):
    interp = Interpreter(module)
    results = interp.call(entry, [np.array(a, copy=True) if isinstance(a, np.ndarray) else a for a in args])
    return interp, results


def check_bufferized(text: str, entry: str, args, pipeline: str = PIPELINE, rtol: float = 1e-12,
                     before: str = ""):
    """Results of the tensor program (after the `before` pipeline, e.g. ``ad-reverse``)
    and of its bufferized form, asserted equal; the bufferized run frees every buffer
    it does not return."""
    reference = parse(text)
    if before:
        run_pipeline(reference, before)
    _, want = run(reference, entry, args)
    module = bufferize(text, f"{before},{pipeline}" if before else pipeline)
    interp, got = run(module, entry, args)
    assert len(got) == len(want)
    for g, w in zip(got, want):
        np.testing.assert_allclose(np.asarray(g), np.asarray(w), rtol=rtol, atol=1e-12)
    leaked = interp.memory.leaks(returned=got)
    assert leaked == [], f"buffers never freed: {leaked}"
    return module, got, want


MLIR_OPT = shutil.which("mlir-opt") or next(
    (p for p in ("/usr/lib/llvm-22/bin/mlir-opt",) if os.path.exists(p)), None)
ANALYSIS = "bufferize-function-boundaries test-analysis-only"


def decisions(text: str):
    """Each annotated op's in-place marks, in order."""
    return re.findall(r"__inplace_operands_attr__ = (\[[^\]]*\])", text)


def functions(text: str, names) -> str:
    """The attribute aliases of `text` and its functions named in `names`."""
    aliases = [line for line in text.splitlines() if line.startswith("#")]
    chunks = re.split(r"\n(?=func\.func @)", text)
    kept = [c for c in chunks if re.match(r"func\.func @(\w+)", c)
            and re.match(r"func\.func @(\w+)", c).group(1) in names]
    return "\n".join(aliases + [re.sub(r"(?m)^#.*$", "", c) for c in kept])


def analyses(text: str, names):
    """(irc's, mlir-opt's) test-analysis-only output on the functions `names` of `text`."""
    import irc

    chosen = functions(text, names)
    module = parse(chosen)
    run_pipeline(module, f"one-shot-bufferize{{{ANALYSIS}}}")
    proc = subprocess.run([MLIR_OPT, f"--one-shot-bufferize={ANALYSIS}"], input=chosen, capture_output=True,
                          text=True)
    assert proc.returncode == 0, proc.stderr
    return irc.default_context().print_op(module), proc.stdout
