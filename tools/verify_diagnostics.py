"""`irc opt --verify-diagnostics`: MLIR's check that every diagnostic is
expected by a `// expected-error {{...}}` comment and every expectation met.

Reading the expectations is linear in the line's length whatever it holds
(thousands of unclosed `expected-error {{` on one line included), and
matching a diagnostic looks only at the expectations of its own line.
"""

from __future__ import annotations

import re
import sys
from typing import Callable, Dict, Iterator, List, Optional, Tuple

_KIND = re.compile(r"expected-(error|warning|note|remark)")
# what may follow the kind, up to the opening braces; no two blank runs are adjacent, so a
# failed match backtracks over each run once (linear, where `\s*(@..)?\s*` is quadratic)
_TAIL = re.compile(r"[ \t]*(?:(@(?:[+-]\d+|above|below))[ \t]*)?(?:(\*)[ \t]*)?\{\{")


class Expectation:
    """One `expected-<severity>[@offset] {{message}}` comment."""

    __slots__ = ("severity", "target_line", "message", "seen", "comment_line")

    def __init__(self, severity: str, target_line: int, message: str, comment_line: int):
        self.severity = severity
        self.target_line = target_line
        self.message = message
        self.seen = False
        self.comment_line = comment_line


def _in_comment(line: str, start: int) -> bool:
    """Is `start` preceded by `//` and blanks only?  (A backward scan over this occurrence's own blanks.)"""
    i = start - 1
    while i >= 0 and line[i] in " \t":
        i -= 1
    return i >= 1 and line[i - 1:i + 1] == "//"


def _on_line(line: str) -> Iterator[Tuple[str, Optional[str], Optional[str]]]:
    """(severity, offset, message) for each expectation on `line`; message None for an unclosed `{{`."""
    pos = 0
    while True:
        m = _KIND.search(line, pos)
        if m is None:
            return
        tail = _TAIL.match(line, m.end())
        if tail is None or not _in_comment(line, m.start()):
            pos = m.end()
            continue
        close = line.find("}}", tail.end())
        if close < 0:
            yield m.group(1), tail.group(1), None
            return  # no `}}` anywhere further on: nothing later on this line can close either
        yield m.group(1), tail.group(1), line[tail.end():close]
        pos = close + 2


def read_expectations(text: str, first_line: int = 1) -> Tuple[List[Expectation], List[Tuple[int, str]]]:
    """The expectations in `text` (whose first line is `first_line`), and (line, problem) for malformed ones."""
    found, problems = [], []
    for lineno, line in enumerate(text.split("\n"), first_line):
        if "expected-" not in line:
            continue
        for severity, offset, message in _on_line(line):
            if message is None:
                problems.append((lineno, f"found start of expected-{severity} with no end '}}}}'"))
                continue
            target = lineno
            if offset == "@above":
                target = lineno - 1
            elif offset == "@below":
                target = lineno + 1
            elif offset:
                target = lineno + int(offset[1:])
            found.append(Expectation(severity, target, message, lineno))
    return found, problems


def verify_chunk(text: str, filename: str, first_line: int, process: Callable[[], str]):
    """Run `process` (parse, passes, print) and check its diagnostics against the comments of `text`.

    Returns (ok, output): output is None unless everything matched and no error was produced.
    """
    from irc.diagnostics import SOURCES, Diagnostic, DiagnosticError, capture_diagnostics
    from irc.location import FileLineColLoc

    expected, problems = read_expectations(text, first_line)
    by_line: Dict[Tuple[str, int], List[Expectation]] = {}
    for e in expected:
        by_line.setdefault((e.severity, e.target_line), []).append(e)
    expects_notes = any(e.severity == "note" for e in expected)

    produced = []
    out = None
    with capture_diagnostics() as emitted:
        try:
            out = process()
        except DiagnosticError as e:
            for d in e.diagnostics:
                produced.append(d)
                produced.extend(d.notes)
    for d in emitted:
        produced.append(d)
        produced.extend(d.notes)

    ok = not problems
    for line, problem in problems:
        print(SOURCES.render(Diagnostic("error", problem, FileLineColLoc(filename, line, 1))), file=sys.stderr)
    for d in produced:
        flc = d.location.file_line_col() if d.location is not None else None
        line = flc.line if flc is not None else -1
        match = next((e for e in by_line.get((d.severity, line), ()) if not e.seen and e.message in d.message), None)
        if match is not None:
            match.seen = True
            continue
        if d.severity == "note" and not expects_notes:
            continue  # MLIR checks notes only when the file expects some
        ok = False
        print(SOURCES.render(type(d)(d.severity, f"unexpected {d.severity}: {d.message}", d.location)),
              file=sys.stderr)
    for e in expected:
        if not e.seen:
            ok = False
            print(SOURCES.render(Diagnostic("error", f'expected {e.severity} "{e.message}" was not produced',
                                            FileLineColLoc(filename, e.comment_line, 1))), file=sys.stderr)
    return ok, (out if ok and not any(d.severity == "error" for d in produced) else None)
