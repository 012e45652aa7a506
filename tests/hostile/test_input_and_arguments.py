"""What reaches irc from outside the IR: the input stream, `--arg` values and
`.npy` files.  Each bad one is a located diagnostic or a one-line
`irc: error:` and exit 1, never a traceback or exit 2."""

from __future__ import annotations

import numpy as np
import pytest

import irc.tools.files as files
from hostile import SQUARE, assert_cli_error, assert_located, irc, write

VECTOR = """func.func @f(%x: f64) -> f64 {
  return %x : f64
}
func.func @v(%x: tensor<3xf64>) -> tensor<3xf64> {
  return %x : tensor<3xf64>
}
func.func @t(%t: !ad.tape<f64>) -> index {
  %0 = ad.tape_size %t : !ad.tape<f64>
  return %0 : index
}
"""


# ----------------------------------------------------------------------------
# the input stream


def test_dev_zero_stops_at_the_first_nul():
    code, _, err = irc(["opt", "/dev/zero"])
    assert code == 1
    assert_located(err, "/dev/zero", 1, 1, "input contains a NUL byte")


def test_nul_byte_is_located(tmp_path):
    path = tmp_path / "nul.mlir"
    path.write_bytes(b"func.func @f() {\n  re\0turn\n}\n")
    code, _, err = irc(["opt", path])
    assert code == 1
    assert_located(err, path, 2, 5, "input contains a NUL byte")


def test_nul_byte_on_stdin_is_located():
    code, _, err = irc(["opt", "-"], stdin=b"module {\n}\n\0")
    assert code == 1
    assert_located(err, "<stdin>", 3, 1, "input contains a NUL byte")


def test_input_beyond_the_limit_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(files, "MAX_INPUT_BYTES", 1 << 20)
    path = tmp_path / "big.mlir"
    path.write_text("// " + "x" * (2 << 20) + "\n")
    code, _, err = irc(["opt", path])
    assert code == 1
    assert_cli_error(err, "larger than 1 MiB")


def test_input_that_is_not_utf8_is_refused(tmp_path):
    path = tmp_path / "latin1.mlir"
    path.write_bytes(b"// caf\xe9\n")
    code, _, err = irc(["opt", path])
    assert code == 1
    assert_cli_error(err, "not UTF-8 text")


# ----------------------------------------------------------------------------
# --arg


@pytest.mark.parametrize("value, printed", [("-inf", "-inf"), ("-1e5", "-100000.0"), ("-3", "-3.0"),
                                            ("-0x10", "-16.0"), ("-.5", "-0.5")])
def test_negative_numbers_are_values_not_flags(tmp_path, value, printed):
    src = write(tmp_path, "in.mlir", VECTOR)
    code, out, err = irc(["run", src, "--entry", "f", "--arg", value])
    assert code == 0, err
    assert out.strip() == printed


def _npy(tmp_path, name, data: bytes):
    path = tmp_path / name
    path.write_bytes(data)
    return path


def _valid_npy(tmp_path, array) -> bytes:
    path = tmp_path / "valid.npy"
    np.save(path, array)
    return path.read_bytes()


@pytest.mark.parametrize("case, message", [
    ("empty", "not a valid .npy file"),
    ("truncated", "the file holds 16 bytes of data"),
    ("lying", "its header says shape (9,)"),
    ("huge", "its header says shape (100000, 100000)"),
    ("complex", "its elements are complex128"),
    ("strings", "its elements are <U1"),
    ("garbage", "not a valid .npy file"),
])
def test_bad_npy_argument_is_a_cli_error(tmp_path, case, message):
    src = write(tmp_path, "in.mlir", VECTOR)
    good = _valid_npy(tmp_path, np.ones(3))
    data = {
        "empty": b"",
        "truncated": good[:-8],
        "lying": good.replace(b"(3,)", b"(9,)"),
        "huge": good.replace(b"(3,)", b"(100000, 100000)"),
        "complex": _valid_npy(tmp_path, np.ones(3, dtype=np.complex128)),
        "strings": _valid_npy(tmp_path, np.array(["a", "b", "c"])),
        "garbage": b"\x93NUMPY\x01\x00" + b"\xff" * 40,
    }[case]
    arg = _npy(tmp_path, f"{case}.npy", data)
    code, _, err = irc(["run", src, "--entry", "v", "--arg", arg])
    assert code == 1
    assert_cli_error(err, message)


def test_array_for_a_scalar_is_refused(tmp_path):
    src = write(tmp_path, "in.mlir", VECTOR)
    arg = _npy(tmp_path, "a.npy", _valid_npy(tmp_path, np.ones(3)))
    code, _, err = irc(["run", src, "--entry", "f", "--arg", arg])
    assert code == 1
    assert_cli_error(err, "is a scalar of type f64, but")


@pytest.mark.parametrize("entry, array, printed", [("f", np.array(2.5), "2.5"),
                                                   ("v", np.arange(3.0), "[0.0, 1.0, 2.0]")])
def test_valid_array_argument_runs(tmp_path, entry, array, printed):
    src = write(tmp_path, "in.mlir", VECTOR)
    arg = _npy(tmp_path, "a.npy", _valid_npy(tmp_path, array))
    code, out, err = irc(["run", src, "--entry", entry, "--arg", arg])
    assert code == 0, err
    assert out.strip() == printed


def test_tape_argument_cannot_come_from_the_command_line(tmp_path):
    src = write(tmp_path, "in.mlir", VECTOR)
    code, _, err = irc(["run", src, "--entry", "t", "--arg", "1"])
    assert code == 1
    assert_cli_error(err, "has type !ad.tape<f64>, which cannot be given on the command line")
