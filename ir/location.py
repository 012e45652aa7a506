"""Source locations, carried by every operation through every pass."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Tuple

from .attributes import quote


class Location:
    __slots__ = ()

    def file_line_col(self):
        """The innermost file:line:col this location points at, or None."""
        return None


@dataclass(frozen=True)
class UnknownLoc(Location):
    def __str__(self):
        return "loc(unknown)"

    def body(self):
        return "unknown"


class FileLineColLoc(Location):
    """``loc("file":line:col)``: a value (equal and hashed by its fields), never changed once made.

    Written by hand rather than as a frozen dataclass like the other
    locations: the parser makes one per op, and a frozen dataclass's
    ``__init__`` costs three times as much."""

    __slots__ = ("file", "line", "col")

    def __init__(self, file: str, line: int, col: int):
        self.file = file
        self.line = line
        self.col = col

    def __eq__(self, other):
        if other.__class__ is not FileLineColLoc:
            return NotImplemented
        return self.line == other.line and self.col == other.col and self.file == other.file

    def __hash__(self):
        return hash((self.file, self.line, self.col))

    def __repr__(self):
        return f"FileLineColLoc(file={self.file!r}, line={self.line!r}, col={self.col!r})"

    def __reduce__(self):
        return (FileLineColLoc, (self.file, self.line, self.col))

    def file_line_col(self):
        return self

    def body(self):
        return f"{quote(self.file)}:{self.line}:{self.col}"

    def __str__(self):
        return f"loc({self.body()})"


@dataclass(frozen=True)
class NameLoc(Location):
    """``loc("name"(child))``: a named location, e.g. the generated function a value came from."""

    name: str
    child: Location = UnknownLoc()

    def file_line_col(self):
        return self.child.file_line_col()

    def body(self):
        if isinstance(self.child, UnknownLoc):
            return quote(self.name)
        return f"{quote(self.name)}({self.child.body()})"

    def __str__(self):
        return f"loc({self.body()})"


@dataclass(frozen=True)
class CallSiteLoc(Location):
    callee: Location
    caller: Location

    def file_line_col(self):
        return self.callee.file_line_col() or self.caller.file_line_col()

    def body(self):
        return f"callsite({self.callee.body()} at {self.caller.body()})"

    def __str__(self):
        return f"loc({self.body()})"


@dataclass(frozen=True)
class FusedLoc(Location):
    locations: Tuple[Location, ...]

    def file_line_col(self):
        for loc in self.locations:
            flc = loc.file_line_col()
            if flc:
                return flc
        return None

    def body(self):
        return "fused[" + ", ".join(l.body() for l in self.locations) + "]"

    def __str__(self):
        return f"loc({self.body()})"


UNKNOWN = UnknownLoc()
