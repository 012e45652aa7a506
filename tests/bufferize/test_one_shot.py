"""--one-shot-bufferize on the programs of programs.mlir: the bufferized program
gives the tensor program's results in the interpreter and frees every buffer
it does not return; its in-place decisions are MLIR's (mlir-opt's
test-analysis-only, where mlir-opt is installed)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from harness import MLIR_OPT, analyses, bufferize, check_bufferized, decisions

HERE = Path(__file__).parent
PROGRAMS = (HERE / "programs.mlir").read_text()
T8 = np.arange(8.0) + 1
T4 = np.arange(4.0) + 1

CASES = [
    ("loop_in_place", [T8, 5]),
    ("read_after_write", [T8, 3, 7.0]),
    ("caller_keeps_argument", [T8, 5]),
    ("init_read_in_loop", [T4, 4]),
    ("insert_outer_in_loop", [T4, 3]),
    ("insert_chain", [2.0, 3.0]),
    ("branch", [T4, 1, 5.0]),
    ("branch", [T4, 0, 5.0]),
    ("while_doubling", [T4, 3]),
    ("build", [2.0, 3.0, 4]),
    ("calls_fresh", [2.0]),
    ("shapes", [np.ones((2, 3))]),
    ("rows_in_place", [np.arange(64.0).reshape(8, 8), 5]),
    ("slice_moved", [T8]),
    ("reshapes", [np.arange(6.0).reshape(2, 3)]),
    ("call_return_slice", [T8]),
    ("recursive_sum", [T8, 6]),
    ("twice", [T4, 3]),
    ("switch", [T4, 0, 7.0]),
    ("switch", [T4, 1, 7.0]),
    ("switch", [T4, 2, 7.0]),
    ("slice_loop", [np.arange(24.0).reshape(6, 4), 3]),
    ("generic_matmul_tanh", [np.arange(32.0).reshape(4, 8) / 30, np.arange(24.0).reshape(8, 3) / 20]),
    ("generic_transpose_conflict", [np.arange(9.0).reshape(3, 3)]),
]


@pytest.mark.parametrize("entry,args", CASES, ids=[f"{e}-{k}" for k, (e, _) in enumerate(CASES)])
def test_bufferized_program_matches_tensor_program(entry, args):
    check_bufferized(PROGRAMS, entry, args)


@pytest.mark.parametrize("entry,args", CASES[:4], ids=[e for e, _ in CASES[:4]])
def test_without_function_boundaries_matches(entry, args):
    check_bufferized(PROGRAMS, entry, args, pipeline="one-shot-bufferize")


def test_bufferized_module_has_no_tensors_left():
    import irc

    module = bufferize(PROGRAMS)
    printed = irc.default_context().print_op(module)
    assert "tensor." not in printed and "bufferization." not in printed
    assert "tensor<" not in printed


# MLIR bufferizes these as they are (arith on tensors needs convert-elementwise-to-linalg
# there, and its scf.while refuses a yield that is not its iter_arg's buffer).  In
# @slice_moved MLIR (deciding bottom-up) copies the extracted slice where irc (top-down)
# copies at the first write into it: the same one copy.
MLIR_COMPARABLE = ("loop_in_place", "read_after_write", "caller_keeps_argument", "init_read_in_loop",
                   "insert_outer_in_loop", "insert_chain", "build", "fresh", "shapes", "rows_in_place",
                   "reshapes", "slice_loop", "generic_matmul_tanh",
                   "generic_transpose_conflict")


@pytest.mark.skipif(MLIR_OPT is None, reason="mlir-opt not installed (apt-get install mlir-22-tools)")
def test_in_place_decisions_are_mlir_ones():
    ours, theirs = analyses(PROGRAMS, MLIR_COMPARABLE)
    assert len(decisions(ours)) > 20 and decisions(ours) == decisions(theirs)
