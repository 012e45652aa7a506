"""Run a tensor program and its bufferized form in the interpreter and compare.

`check_bufferized(text, entry, args)` interprets `@entry` of the tensor program,
bufferizes a second copy with `--one-shot-bufferize` (function boundaries by
default), interprets it on copies of the same arguments, and asserts that the
results agree and that no buffer is left allocated except the ones returned.
"""

from __future__ import annotations

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
