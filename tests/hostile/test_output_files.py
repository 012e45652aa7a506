"""`-o` never replaces what it names: regular files are replaced atomically
(same mode, no stray temporary), devices, pipes and symlink targets are
written through, and a failure leaves the target as it was."""

from __future__ import annotations

import os
import stat
import threading

import pytest

from hostile import SQUARE, assert_cli_error, assert_located, irc, write


def _no_temporaries(folder):
    assert [p.name for p in folder.iterdir() if p.name.endswith(".tmp")] == []


def test_regular_file_is_replaced_keeping_its_mode(tmp_path):
    src = write(tmp_path, "in.mlir", SQUARE)
    out = write(tmp_path, "out.mlir", "old\n")
    os.chmod(out, 0o640)
    code, _, err = irc(["opt", src, "-o", out])
    assert code == 0, err
    assert "arith.mulf" in out.read_text()
    assert stat.S_IMODE(out.stat().st_mode) == 0o640
    _no_temporaries(tmp_path)


def test_new_file_is_created_with_the_umask_mode(tmp_path):
    src = write(tmp_path, "in.mlir", SQUARE)
    out = tmp_path / "new.mlir"
    mask = os.umask(0o022)
    try:
        code, _, err = irc(["opt", src, "-o", out])
    finally:
        os.umask(mask)
    assert code == 0, err
    assert stat.S_IMODE(out.stat().st_mode) == 0o644
    _no_temporaries(tmp_path)


def test_symlink_is_followed_and_stays_a_link(tmp_path):
    src = write(tmp_path, "in.mlir", SQUARE)
    real = write(tmp_path, "real.mlir", "old\n")
    link = tmp_path / "link.mlir"
    link.symlink_to(real)
    code, _, err = irc(["opt", src, "-o", link])
    assert code == 0, err
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert "arith.mulf" in real.read_text()
    _no_temporaries(tmp_path)


def test_dangling_symlink_creates_its_target(tmp_path):
    src = write(tmp_path, "in.mlir", SQUARE)
    link = tmp_path / "link.mlir"
    link.symlink_to(tmp_path / "target.mlir")
    code, _, err = irc(["opt", src, "-o", link])
    assert code == 0, err
    assert link.is_symlink() and "arith.mulf" in (tmp_path / "target.mlir").read_text()


def test_named_pipe_is_written_through(tmp_path):
    src = write(tmp_path, "in.mlir", SQUARE)
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received = []
    reader = threading.Thread(target=lambda: received.append(open(fifo).read()))
    reader.start()
    code, _, err = irc(["opt", src, "-o", fifo])
    reader.join(timeout=60)
    assert code == 0, err
    assert stat.S_ISFIFO(fifo.stat().st_mode), "the pipe is still a pipe"
    assert "arith.mulf" in received[0]
    _no_temporaries(tmp_path)


def test_character_device_is_written_through(tmp_path):
    src = write(tmp_path, "in.mlir", SQUARE)
    try:
        leader, follower = os.openpty()
    except OSError as e:  # pragma: no cover - containers without ptys
        pytest.skip(f"no pseudo-terminal to stand in for a device: {e}")
    try:
        name = os.ttyname(follower)
        before = os.stat(name)
        assert stat.S_ISCHR(before.st_mode)
        chunks = []
        reader = threading.Thread(target=lambda: chunks.append(_read_until(leader, b"}\r\n}")))
        reader.start()
        code, _, err = irc(["opt", src, "-o", name])
        reader.join(timeout=60)
        assert code == 0, err
        assert stat.S_ISCHR(os.stat(name).st_mode), "the device is still a device"
        assert b"arith.mulf" in chunks[0]
    finally:
        os.close(follower)
        os.close(leader)


def _read_until(fd, end: bytes) -> bytes:
    data = b""
    while end not in data:
        block = os.read(fd, 4096)
        if not block:
            break
        data += block
    return data


def test_failing_pass_leaves_the_target_alone(tmp_path):
    src = write(tmp_path, "in.mlir", "func.func @f() {\n  %0 = arith.constant 1 : i32\n  return %0 : i32\n}\n")
    out = write(tmp_path, "out.mlir", "precious\n")
    code, _, err = irc(["opt", src, "-o", out])
    assert code == 1
    assert_located(err, src, 3, 3, "'func.return' op")
    assert out.read_text() == "precious\n"
    _no_temporaries(tmp_path)


def test_failing_chunk_of_split_input_writes_nothing(tmp_path):
    src = write(tmp_path, "in.mlir", SQUARE + "// -----\nfunc.func @g( {\n")
    out = tmp_path / "out.mlir"
    code, _, err = irc(["opt", src, "--split-input-file", "-o", out])
    assert code == 1
    assert_located(err, src, 6, None, "")
    assert not out.exists()
    _no_temporaries(tmp_path)


def test_failed_write_removes_the_temporary(tmp_path, monkeypatch):
    src = write(tmp_path, "in.mlir", SQUARE)
    out = write(tmp_path, "out.mlir", "precious\n")

    def broken_replace(a, b):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken_replace)
    code, _, err = irc(["opt", src, "-o", out])
    assert code == 1
    assert_cli_error(err, "could not write output file")
    assert out.read_text() == "precious\n"
    _no_temporaries(tmp_path)


@pytest.mark.parametrize("target", ["folder", "missing/out.mlir"])
def test_unwritable_target_is_a_cli_error(tmp_path, target):
    src = write(tmp_path, "in.mlir", SQUARE)
    (tmp_path / "folder").mkdir()
    code, _, err = irc(["opt", src, "-o", tmp_path / target])
    assert code == 1
    assert_cli_error(err, "could not write output file")
    _no_temporaries(tmp_path)
