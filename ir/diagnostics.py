"""Diagnostics in MLIR's shape: ``file:line:col: error: message``, the source
line and a caret, followed by notes.

Everything that rejects user input (parser, verifier, passes, the CLI)
raises `DiagnosticError`; the CLI renders it and exits with code 1, so a
user never sees a Python traceback for bad input.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from typing import Dict, List, Optional

from .location import UNKNOWN, Location


@dataclass
class Diagnostic:
    severity: str  # "error" | "warning" | "note" | "remark"
    message: str
    location: Location = UNKNOWN
    notes: List["Diagnostic"] = field(default_factory=list)

    def attach_note(self, message: str, location: Location = UNKNOWN) -> "Diagnostic":
        self.notes.append(Diagnostic("note", message, location))
        return self


class DiagnosticError(Exception):
    """Raised with one or more diagnostics; str() gives the plain messages."""

    def __init__(self, diagnostics):
        if isinstance(diagnostics, Diagnostic):
            diagnostics = [diagnostics]
        self.diagnostics: List[Diagnostic] = list(diagnostics)
        super().__init__("; ".join(d.message for d in self.diagnostics))


def error(message: str, location: Location = UNKNOWN, notes=()) -> DiagnosticError:
    """Build (not raise) a DiagnosticError with one error."""
    d = Diagnostic("error", message, location)
    for n in notes:
        d.attach_note(*n) if isinstance(n, tuple) else d.notes.append(n)
    return DiagnosticError(d)


class SourceManager:
    """Holds the text of every buffer seen, to print the source line under a diagnostic."""

    def __init__(self):
        self.buffers: Dict[str, List[str]] = {}

    def add(self, name: str, text: str) -> None:
        self.buffers[name] = text.split("\n")

    def line(self, name: str, line: int) -> Optional[str]:
        lines = self.buffers.get(name)
        if lines is None or not (1 <= line <= len(lines)):
            return None
        return lines[line - 1]

    def render(self, diag: Diagnostic) -> str:
        out = [self._render_one(diag)]
        for n in diag.notes:
            out.append(self._render_one(n))
        return "\n".join(out)

    def _render_one(self, diag: Diagnostic) -> str:
        flc = diag.location.file_line_col() if diag.location is not None else None
        if flc is None:
            return f"<unknown>:0:0: {diag.severity}: {diag.message}"
        head = f"{flc.file}:{flc.line}:{flc.col}: {diag.severity}: {diag.message}"
        src = self.line(flc.file, flc.line)
        if src is None:
            return head
        src, caret = source_excerpt(src, max(flc.col - 1, 0))
        return f"{head}\n{src}\n{' ' * caret}^"

    def emit(self, err: DiagnosticError, stream=None) -> None:
        stream = stream or sys.stderr
        for d in err.diagnostics:
            print(self.render(d), file=stream)


SOURCES = SourceManager()

# A source line longer than this is shown as a window around the caret.
EXCERPT_WIDTH = 160


def source_excerpt(line: str, caret: int, width: int = EXCERPT_WIDTH):
    """(text, caret column) of `line` cut to about `width` characters around `caret`, marked with '...'."""
    if len(line) <= width:
        return line, caret
    start = max(0, min(caret - width // 2, len(line) - width))
    end = start + width
    text = ("..." if start > 0 else "") + line[start:end] + ("..." if end < len(line) else "")
    return text, caret - start + (3 if start > 0 else 0)


def quote_source(text: str, limit: int = 40) -> str:
    """Source text for a message (an unexpected token), shortened when long."""
    return text if len(text) <= limit else f"{text[:limit]}... ({len(text)} characters)"


# ----------------------------------------------------------------------------
# non-fatal diagnostics (warnings, remarks) go to the innermost handler


_HANDLERS: List = []


def emit(diag: Diagnostic) -> None:
    """Report a warning or remark: to the active handler (the CLI, --verify-diagnostics), else stderr."""
    if _HANDLERS:
        _HANDLERS[-1](diag)
    else:
        print(SOURCES.render(diag), file=sys.stderr)


def emit_warning(message: str, location: Location = UNKNOWN) -> Diagnostic:
    d = Diagnostic("warning", message, location)
    emit(d)
    return d


def emit_remark(message: str, location: Location = UNKNOWN) -> Diagnostic:
    d = Diagnostic("remark", message, location)
    emit(d)
    return d


class capture_diagnostics:
    """Context manager collecting emitted warnings/remarks into a list."""

    def __init__(self):
        self.diagnostics: List[Diagnostic] = []

    def __enter__(self):
        _HANDLERS.append(self.diagnostics.append)
        return self.diagnostics

    def __exit__(self, *exc):
        _HANDLERS.pop()
        return False
