"""--one-shot-bufferize of scf.forall (shared_outs, tensor.parallel_insert_slice)
and of scf.parallel with tensor reductions (tests/bufferize/parallel.mlir): the
bufferized program gives the tensor program's results in the interpreter and
frees every buffer it does not return; the scf.forall decisions are mlir-opt's."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from harness import MLIR_OPT, analyses, check_bufferized, decisions, parse

PROGRAMS = (Path(__file__).parent / "parallel.mlir").read_text()
RNG = np.random.default_rng(15)

CASES = [
    ("forall_in_place", [np.arange(8.0), RNG.normal(size=8)]),
    ("forall_output_still_read", [np.arange(8.0), RNG.normal(size=8)]),
    ("forall_fresh_rows", [3]),
    ("forall_fresh_rows", [0]),
    ("forall_writes_outer_tensor", [np.zeros(4), np.array([0.5, 2.0])]),
    ("parallel_sum", [np.arange(4.0), 5]),
    ("parallel_sum", [np.arange(4.0), 0]),
    ("parallel_max_rows", [RNG.normal(size=(5, 3)), np.full(3, -1.0)]),
    ("parallel_slice_of_local", [np.ones(2), 4]),
    ("parallel_argument_times_n", [np.array([1.5, -2.0]), 3]),
    ("mixed", [np.array([1.0, 2.0, 3.0]), 4]),
    ("mixed", [np.array([1.0, 2.0, 3.0]), 0]),
    ("nest", [np.arange(6.0), np.zeros(3), 3]),
]


@pytest.mark.parametrize("entry,args", CASES, ids=[f"{e}-{k}" for k, (e, _) in enumerate(CASES)])
def test_bufferized_parallel_loops_match_tensor_program(entry, args):
    check_bufferized(PROGRAMS, entry, args)


def test_forall_result_is_every_iteration_inserted():
    """The interpreter's tensor semantics: iterations see the shared output as it was,
    the result holds every iteration's slice."""
    from harness import run

    _, (r,) = run(parse(PROGRAMS), "forall_fresh_rows", [3])
    assert np.array_equal(r, np.repeat(np.arange(3.0)[:, None], 4, axis=1))
    t, x = np.arange(8.0), np.ones(8)
    _, (r, t_back) = run(parse(PROGRAMS), "forall_output_still_read", [t, x])
    assert np.array_equal(r, x) and np.array_equal(t_back, np.arange(8.0))


FORALL = ("forall_in_place", "forall_output_still_read", "forall_fresh_rows", "forall_writes_outer_tensor", "nest")


@pytest.mark.skipif(MLIR_OPT is None, reason="mlir-opt not installed (apt-get install mlir-22-tools)")
def test_forall_in_place_decisions_are_mlir_ones():
    ours, theirs = analyses(PROGRAMS, FORALL)
    assert len(decisions(ours)) >= 12 and decisions(ours) == decisions(theirs)


@pytest.mark.parametrize("entry,args", [CASES[0], CASES[2], CASES[5], CASES[7]],
                         ids=["forall_in_place", "forall_fresh_rows", "parallel_sum", "parallel_max_rows"])
def test_bufferized_parallel_loops_compile_to_the_same_results(entry, args):
    """The bufferized loops (scf.forall without outputs, scf.parallel reducing memrefs)
    compile with the LLVM backend and agree with the tensor program interpreted."""
    pytest.importorskip("llvmlite")
    import irc
    from harness import run
    from irc.passes import run_pipeline

    _, want = run(parse(PROGRAMS), entry, args)
    module = parse(PROGRAMS)
    run_pipeline(module, "one-shot-bufferize{bufferize-function-boundaries},convert-linalg-to-loops")
    compiled = irc.compile(irc.default_context().print_op(module), disk_cache=False)
    got = getattr(compiled, entry)(*[np.array(a, copy=True) if isinstance(a, np.ndarray) else a for a in args])
    got = got if isinstance(got, (list, tuple)) else [got]
    for g, w in zip(got, want):
        np.testing.assert_allclose(np.asarray(g), np.asarray(w), rtol=1e-12)
