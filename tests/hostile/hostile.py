"""Helpers of the hostile-input suite: run `irc` in-process, check a diagnostic."""

from __future__ import annotations

import contextlib
import io
import re
import sys
from pathlib import Path
from typing import List, Optional, Tuple

from irc.tools.main import main as irc_main


def irc(argv: List[str], stdin: Optional[bytes] = None) -> Tuple[int, str, str]:
    """(exit code, stdout, stderr) of `irc ARGV...`, run in this process."""
    out, err = io.StringIO(), io.StringIO()
    old_stdin = sys.stdin
    if stdin is not None:
        sys.stdin = io.TextIOWrapper(io.BytesIO(stdin), encoding="utf-8")
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = irc_main([str(a) for a in argv])
            except SystemExit as e:
                code = e.code if isinstance(e.code, int) else 1
    finally:
        sys.stdin = old_stdin
    return code, out.getvalue(), err.getvalue()


def assert_located(err: str, path, line: int, col: Optional[int], message: str) -> None:
    """`err` starts with `PATH:LINE:COL: error: ...message...`, the source line and a caret."""
    assert "Traceback" not in err, err
    name = re.escape(str(path))
    col_re = r"\d+" if col is None else str(col)
    m = re.match(rf"{name}:{line}:({col_re}): error: (.*)\n(.*)\n( *)\^", err)
    assert m, f"no located error at {path}:{line}:{col} in:\n{err[:2000]}"
    assert message in m.group(2), f"{message!r} not in {m.group(2)!r}"
    assert len(m.group(4)) <= 200, "the echoed source line is cut around the caret"


def assert_cli_error(err: str, message: str) -> None:
    """`err` is one `irc: error: ...` line (a command-line mistake has no source location)."""
    assert "Traceback" not in err, err
    lines = [l for l in err.splitlines() if l.startswith("irc: error: ")]
    assert lines, err
    assert message in lines[-1], f"{message!r} not in {lines[-1]!r}"


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text)
    return path


SQUARE = """func.func @f(%x: f64) -> f64 {
  %0 = arith.mulf %x, %x : f64
  return %0 : f64
}
"""
