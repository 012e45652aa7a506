"""The Builder: creates ops at an insertion point, as MLIR's OpBuilder does."""

from __future__ import annotations

from contextlib import contextmanager
from typing import Optional

from .core import Block, Operation
from .location import UNKNOWN, Location


class InsertionPoint:
    """Insert into `block` before `before` (at the end when `before` is None)."""

    __slots__ = ("block", "before")

    def __init__(self, block: Block, before: Optional[Operation] = None):
        self.block = block
        self.before = before

    @staticmethod
    def at_end(block: Block) -> "InsertionPoint":
        return InsertionPoint(block, None)

    @staticmethod
    def at_start(block: Block) -> "InsertionPoint":
        return InsertionPoint(block, block.first_op)

    @staticmethod
    def before_op(op: Operation) -> "InsertionPoint":
        return InsertionPoint(op.parent, op)

    @staticmethod
    def after_op(op: Operation) -> "InsertionPoint":
        return InsertionPoint(op.parent, op.next_op)


class Builder:
    """Creates ops at its insertion point with a default location.

    ``b.create(AddFOp, x, y)`` builds (inferring result types) and inserts;
    ``b.insert(op)`` inserts an op built elsewhere.
    """

    def __init__(self, insertion_point: Optional[InsertionPoint] = None, location: Location = UNKNOWN):
        self.insertion_point = insertion_point
        self.location = location

    @classmethod
    def at_end(cls, block: Block, location: Location = UNKNOWN) -> "Builder":
        return cls(InsertionPoint.at_end(block), location)

    @classmethod
    def at_start(cls, block: Block, location: Location = UNKNOWN) -> "Builder":
        return cls(InsertionPoint.at_start(block), location)

    @classmethod
    def before(cls, op: Operation, location: Optional[Location] = None) -> "Builder":
        return cls(InsertionPoint.before_op(op), op.location if location is None else location)

    @classmethod
    def after(cls, op: Operation, location: Optional[Location] = None) -> "Builder":
        return cls(InsertionPoint.after_op(op), op.location if location is None else location)

    def set_insertion_point(self, ip: InsertionPoint) -> None:
        self.insertion_point = ip

    def set_insertion_point_to_end(self, block: Block) -> None:
        self.insertion_point = InsertionPoint.at_end(block)

    def set_insertion_point_to_start(self, block: Block) -> None:
        self.insertion_point = InsertionPoint.at_start(block)

    def set_insertion_point_before(self, op: Operation) -> None:
        self.insertion_point = InsertionPoint.before_op(op)

    def set_insertion_point_after(self, op: Operation) -> None:
        self.insertion_point = InsertionPoint.after_op(op)

    @contextmanager
    def at(self, ip: InsertionPoint):
        """Temporarily build at `ip`."""
        saved = self.insertion_point
        self.insertion_point = ip
        try:
            yield self
        finally:
            self.insertion_point = saved

    def insert(self, op: Operation) -> Operation:
        ip = self.insertion_point
        if ip is None:
            return op
        if ip.before is None:
            ip.block.append(op)
        else:
            ip.block.insert_before(ip.before, op)
        return op

    def create(self, op_class, *operands, **kwargs) -> Operation:
        """Build `op_class` (see Op.build) at the insertion point."""
        kwargs.setdefault("location", self.location)
        return self.insert(op_class.build(*operands, **kwargs))
