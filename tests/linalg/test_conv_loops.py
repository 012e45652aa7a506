"""--convert-linalg-to-loops lowers every convolution and pooling through its
generic form: on buffers, the loops compute what the op computed (interpreter,
before and after), and no linalg op is left."""

from __future__ import annotations

import numpy as np
import pytest

import irc
from irc.interpreter import Interpreter
from irc.passes import run_pipeline

from conv_cases import ALL_OPS, make_case


@pytest.mark.parametrize("op", ALL_OPS)
def test_loops_compute_what_the_op_computes(op):
    rng = np.random.default_rng(sum(map(ord, op)) + 2)
    case = make_case(op, rng)
    args = case.random_args(rng)
    text = case.memref_function()
    before = [np.array(a) for a in args]
    Interpreter(irc.parse_module(text)).call("g", before)
    module = irc.parse_module(text)
    run_pipeline(module, "convert-linalg-to-loops")
    irc.verify(module)
    lowered = irc.print_op(module)
    assert "linalg." not in lowered and "scf.for" in lowered
    after = [np.array(a) for a in args]
    Interpreter(module).call("g", after)
    np.testing.assert_allclose(after[-1], before[-1], rtol=1e-12, atol=1e-12)  # summation order differs
    np.testing.assert_allclose(after[-1], case.reference(args), rtol=1e-12, atol=1e-12)
