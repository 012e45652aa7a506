"""linalg's convolutions and poolings: every op MLIR 22 declares reads, prints and
generalizes as mlir-opt does, runs in the interpreter as the numpy reference
says (strides and dilations 1-2, size-1 dims), on tensors and on buffers, and
its verifier explains a window that does not fit."""

from __future__ import annotations

import re
import shutil
import subprocess

import numpy as np
import pytest

import irc
from irc.diagnostics import DiagnosticError
from irc.dialects.linalg import StructuredOp
from irc.interpreter import Interpreter

from conv_cases import ALL_OPS, make_case

MLIR_OPT = shutil.which("mlir-opt") or "/usr/lib/llvm-22/bin/mlir-opt"
HAVE_MLIR = shutil.which(MLIR_OPT) is not None
needs_mlir = pytest.mark.skipif(not HAVE_MLIR, reason="mlir-opt (LLVM 22) is not installed")


def _op(module):
    return next(op for op in module.walk() if StructuredOp.implemented_by(op))


@pytest.mark.parametrize("op", ALL_OPS)
def test_interpreter_matches_numpy_reference(op):
    rng = np.random.default_rng(sum(map(ord, op)))
    for i in range(3):
        case = make_case(op, rng)
        case.dynamic = i == 2  # sizes known only when it runs
        args = case.random_args(rng)
        module = irc.parse_module(case.function())
        got = np.asarray(Interpreter(module).call("f", list(args))[0])
        np.testing.assert_allclose(got, case.reference(args), rtol=1e-12, atol=1e-12, err_msg=case.function())


@pytest.mark.parametrize("op", ["conv_2d_nhwc_hwcf", "depthwise_conv_1d_ncw_cw", "pooling_nchw_max",
                                "pooling_nwc_sum", "conv_3d_ncdhw_fcdhw"])
def test_buffers_are_written_in_place(op):
    rng = np.random.default_rng(7)
    case = make_case(op, rng)
    args = case.random_args(rng)
    module = irc.parse_module(case.memref_function())
    buffers = [np.array(a) for a in args]  # numpy arguments are the buffers, written in place
    Interpreter(module).call("g", buffers)
    np.testing.assert_allclose(buffers[-1], case.reference(args), rtol=1e-12, atol=1e-12)


@needs_mlir
@pytest.mark.parametrize("op", ALL_OPS)
def test_maps_iterators_and_text_agree_with_mlir_opt(op):
    """irc's maps are mlir-opt's (--linalg-generalize-named-ops); each tool reads the other's print."""
    case = make_case(op, np.random.default_rng(len(op)), strided=None)
    text = case.function()
    ours = irc.print_op(irc.parse_module(text))
    res = subprocess.run([MLIR_OPT, "--linalg-generalize-named-ops", "-"], input=ours, capture_output=True,
                         text=True)
    assert res.returncode == 0, res.stderr
    aliases = dict(re.findall(r"^(#map\d*) = (affine_map<.*>)$", res.stdout, re.M))
    header = re.search(r"indexing_maps = \[([^\]]*)\], iterator_types = \[([^\]]*)\]", res.stdout)
    theirs_maps = [aliases[a.strip()] for a in header.group(1).split(",")]
    theirs_iterators = [t.strip().strip('"') for t in header.group(2).split(",")]
    s = StructuredOp.of(_op(irc.parse_module(ours)))
    assert [str(m) for m in s.indexing_maps()] == theirs_maps
    assert s.iterator_types() == theirs_iterators
    # the round trip the other way: mlir-opt's print of the named op reads back in irc
    res = subprocess.run([MLIR_OPT, "-"], input=ours, capture_output=True, text=True)
    assert res.returncode == 0, res.stderr
    again = irc.print_op(irc.parse_module(res.stdout))
    assert f"linalg.{op} " in again
    assert irc.print_op(irc.parse_module(again)) == again


@needs_mlir
def test_generic_form_from_mlir_opt_reads_back():
    case = make_case("conv_2d_nhwc_hwcf", np.random.default_rng(3))
    res = subprocess.run([MLIR_OPT, "--mlir-print-op-generic", "-"], input=case.function(), capture_output=True,
                         text=True)
    assert res.returncode == 0, res.stderr
    m = irc.parse_module(res.stdout)
    assert StructuredOp.of(_op(m)).indexing_maps() == StructuredOp.of(_op(irc.parse_module(case.function()))).indexing_maps()


CONV_TOO_SMALL = """
func.func @f(%i: tensor<1x9x9x3xf32>, %k: tensor<3x3x3x8xf32>, %o: tensor<1x4x4x8xf32>) -> tensor<1x4x4x8xf32> {
  %0 = linalg.conv_2d_nhwc_hwcf {strides = dense<2> : tensor<2xi64>, dilations = dense<2> : tensor<2xi64>}
    ins(%i, %k : tensor<1x9x9x3xf32>, tensor<3x3x3x8xf32>) outs(%o : tensor<1x4x4x8xf32>) -> tensor<1x4x4x8xf32>
  return %0 : tensor<1x4x4x8xf32>
}
"""


def _error(text):
    with pytest.raises(DiagnosticError) as e:
        irc.verify(irc.parse_module(text))
    return str(e.value)


def test_verifier_explains_an_output_too_large_for_its_input():
    msg = _error(CONV_TOO_SMALL)
    assert ("inferred input/output operand #0 has shape's dimension #1 to be greater than or equal to 11, "
            "but found 9") in msg
    assert "(4 - 1) * 2 + 2 * (3 - 1) + 1 = 11" in msg
    assert "at most 3" in msg


def test_verifier_says_when_the_dilated_window_is_larger_than_the_input():
    text = CONV_TOO_SMALL.replace("1x9x9x3", "1x4x9x3").replace("1x4x4x8", "1x1x1x8")
    assert "the dilated window (5) is larger than the input" in _error(text)


def test_a_smaller_output_is_accepted_as_in_mlir():
    irc.verify(irc.parse_module(CONV_TOO_SMALL.replace("1x4x4x8", "1x2x2x8")))


@pytest.mark.parametrize("attr, message", [
    ("strides = dense<2> : tensor<3xi64>", "attribute 'strides' failed to satisfy constraint: 64-bit signless int "
                                           "elements attribute of shape [2]"),
    ("dilations = dense<2> : tensor<2xi32>", "attribute 'dilations' failed to satisfy constraint"),
    ("strides = 2 : i64", "attribute 'strides' failed to satisfy constraint: 64-bit signless int elements"),
    ("strides = dense<0> : tensor<2xi64>", "unexpected loop dimension for convolution op"),
    ("strides = dense<-1> : tensor<2xi64>", "expected 'strides' to be positive"),
])
def test_verifier_checks_strides_and_dilations(attr, message):
    text = CONV_TOO_SMALL.replace("strides = dense<2> : tensor<2xi64>, dilations = dense<2> : tensor<2xi64>", attr)
    assert message in _error(text.replace("1x4x4x8", "1x2x2x8"))


def test_a_wrong_number_of_operands_is_a_located_error():
    text = CONV_TOO_SMALL.replace("ins(%i, %k : tensor<1x9x9x3xf32>, tensor<3x3x3x8xf32>)", "ins(%i : tensor<1x9x9x3xf32>)")
    with pytest.raises(DiagnosticError, match=r"custom op 'linalg.conv_2d_nhwc_hwcf' "
                                              r"\[parseNamedStructuredOpRegion\] ods-gen generated region expects 3 args, got 2"):
        irc.parse_module(text)
