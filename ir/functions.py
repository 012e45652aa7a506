"""Functions and calls as interfaces (MLIR's FunctionOpInterface and
CallOpInterface), so inlining, AD, the interpreter and symbol verification
work on any function op (``func.func``, ``gpu.func``, a plugin's) and any
call op without naming them.

A `FunctionLike` op is a symbol with a function type and a body region
(empty for a declaration); its model also says how to build a function of
the same kind (`create_like`, which AD uses for ``@f_jvp``/``@f_vjp``), its
return terminator (`build_return`) and a call to it (`build_call`).  The
defaults read the ``sym_name``/``function_type`` attributes and the first
region, as ``func.func`` stores them.

A `CallLike` op names its callee symbol and its call operands; its model
builds a call of the same kind to another function (`build_like`, which
AD's call rules use).
"""

from __future__ import annotations

from typing import List, Optional, Sequence

from .attributes import StringAttr, SymbolRefAttr, TypeAttr
from .core import Block, Operation, Region, Value
from .interfaces import OpInterface, required
from .location import UNKNOWN
from .types import FunctionType, Type


class FunctionLike(OpInterface):
    """A function: a symbol with a signature and a body region."""

    interface_name = "FunctionOpInterface"

    def sym_name(self, op) -> str:
        """The function's symbol name."""
        return op.attributes["sym_name"].value

    def function_type(self, op) -> FunctionType:
        """The function's signature."""
        return op.attributes["function_type"].value

    def body(self, op) -> Region:
        """The region holding the body (empty blocks list: a declaration)."""
        return op.regions[0]

    def is_declaration(self, op) -> bool:
        """An external function: no body."""
        return not self.body(op).blocks

    def entry_block(self, op) -> Block:
        """The body's first block, whose arguments are the function's."""
        return self.body(op).blocks[0]

    def arguments(self, op) -> List[Value]:
        """The entry block's arguments."""
        return list(self.entry_block(op).arguments)

    def return_op(self, op) -> Optional[Operation]:
        """The terminator that returns from a single-block body (None otherwise)."""
        body = self.body(op)
        if len(body.blocks) != 1:
            return None
        return body.blocks[0].last_op

    @required
    def create_like(self, op, name: str, function_type: FunctionType, location=UNKNOWN) -> Operation:
        """A new private function of `op`'s kind, with an entry block of `function_type`'s inputs."""

    @required
    def build_return(self, op, builder, values: Sequence[Value]) -> Operation:
        """Build, at `builder`, the terminator that returns `values` from a function of `op`'s kind."""

    def build_call(self, op, builder, operands: Sequence[Value], location=UNKNOWN) -> Operation:
        """Build, at `builder`, a call to `op` (default: ``func.call``)."""
        from .dialects.func import CallOp

        return builder.create(CallOp, list(operands), result_types=list(self.function_type(op).results),
                              callee=SymbolRefAttr(self.sym_name(op)), location=location)


class CallLike(OpInterface):
    """A call of a function by symbol."""

    interface_name = "CallOpInterface"

    def callee(self, op) -> SymbolRefAttr:
        """The symbol the call names."""
        return op.attributes["callee"]

    def call_operands(self, op) -> List[Value]:
        """The values passed as the callee's arguments."""
        return list(op.operands)

    def resolve(self, op) -> Optional[Operation]:
        """The function-like op the callee names, or None."""
        from .symbols import lookup_symbol

        target = lookup_symbol(op, self.callee(op))
        return target if target is not None and FunctionLike.implemented_by(target) else None

    def build_like(self, op, builder, callee: str, operands: Sequence[Value], result_types: Sequence[Type]):
        """Build, at `builder`, a call of `op`'s kind to `callee` (default: `op`'s class
        with a ``callee`` attribute)."""
        return builder.create(type(op), list(operands), result_types=list(result_types),
                              callee=SymbolRefAttr(callee), location=builder.location)


def function_attributes(name: str, function_type: FunctionType, visibility: Optional[str] = "private") -> dict:
    """The ``sym_name``/``function_type``(/``sym_visibility``) attributes of a function op."""
    attrs = {"sym_name": StringAttr(name), "function_type": TypeAttr(function_type)}
    if visibility:
        attrs["sym_visibility"] = StringAttr(visibility)
    return attrs


def new_function(like: Optional[Operation], name: str, function_type: FunctionType, location=UNKNOWN) -> Operation:
    """A new private function of the kind of function-like op `like` (``func.func``
    when `like` is None), with an entry block of `function_type`'s inputs."""
    if like is not None:
        return FunctionLike.of(like).create_like(name, function_type, location)
    from .dialects.func import FuncOp

    return FuncOp.create(name, function_type, visibility="private", location=location)


def enclosing_function(op: Operation) -> Optional[Operation]:
    """The nearest function-like op around `op` (None at module level)."""
    cur = op.parent_op
    while cur is not None and not FunctionLike.implemented_by(cur):
        cur = cur.parent_op
    return cur


def resolve_callee(call: Operation) -> Optional[Operation]:
    """The function-like op a call-like op calls, or None (not a call, or unresolved)."""
    model = CallLike.model(call)
    return None if model is None else model.resolve(call)
