"""The IR's object model: values with use lists, operations, blocks, regions.

Operations of a block form a doubly linked list (as in MLIR), so inserting
and erasing are O(1) and passes that delete thousands of ops stay linear.
Every value keeps its uses, so `replace_all_uses_with` and "has no uses" cost
O(uses).

Registered operations are instances of their op class (``AddFOp``); the
class carries the declaration (operands, results, attributes, regions,
traits, assembly format) and the generic constructor here builds any of
them, which is what the parser, the cloner and the generic form use.
"""

from __future__ import annotations

from typing import Dict, Iterator, List, Optional, Sequence

from .attributes import Attribute
from .location import UNKNOWN, Location
from .types import Type


ORDER_STRIDE = 5  # MLIR's Operation::kOrderStride: the gap left between numbered ops
_UNORDERED = -1


class Use:
    """One use of a value: operand `index` of operation `owner`.

    A value keeps its uses in an insertion-ordered dict keyed by these
    objects, and each operation keeps the Use of each of its operands, so
    removing one use is O(1) (MLIR's and xDSL's intrusive use lists do the
    same with links).
    """

    __slots__ = ("owner", "index")

    def __init__(self, owner: "Operation", index: int):
        self.owner = owner
        self.index = index


class Value:
    """An SSA value: an operation result or a block argument."""

    __slots__ = ("type", "_uses", "name_hint")

    def __init__(self, type: Type, name_hint: Optional[str] = None):
        self.type = type
        self._uses: Dict[Use, None] = {}
        self.name_hint = name_hint

    @property
    def uses(self):
        """The uses in the order they were made: a live view (copy it to change uses while iterating)."""
        return self._uses.keys()

    @property
    def has_uses(self) -> bool:
        return bool(self._uses)

    @property
    def users(self) -> List["Operation"]:
        return [u.owner for u in self._uses]

    def replace_all_uses_with(self, new: "Value") -> None:
        """Make every user use `new` instead: O(uses)."""
        if new is self:
            return
        moved = new._uses
        for use in self._uses:
            use.owner._operands[use.index] = new
            moved[use] = None
        self._uses = {}

    def replace_uses_where(self, new: "Value", predicate) -> None:
        """Make the uses for which `predicate(use)` holds use `new` instead."""
        if new is self:
            return
        for use in [u for u in self._uses if predicate(u)]:
            use.owner._operands[use.index] = new
            del self._uses[use]
            new._uses[use] = None

    def forget_uses(self) -> None:
        """Forget every use without touching the users: for IR that is being thrown away whole."""
        self._uses = {}

    @property
    def defining_op(self) -> Optional["Operation"]:
        return None

    @property
    def parent_block(self) -> Optional["Block"]:
        raise NotImplementedError

    def __repr__(self):
        return f"<{type(self).__name__} {self.name_hint or ''}: {self.type}>"


class OpResult(Value):
    __slots__ = ("owner", "index")

    def __init__(self, type: Type, owner: "Operation", index: int):
        self.type = type  # Value.__init__'s fields, set here: one call less per result
        self._uses = {}
        self.name_hint = None
        self.owner = owner
        self.index = index

    @property
    def defining_op(self) -> "Operation":
        return self.owner

    @property
    def parent_block(self):
        return self.owner.parent


class BlockArgument(Value):
    __slots__ = ("owner", "index")

    def __init__(self, type: Type, owner: "Block", index: int, name_hint=None):
        Value.__init__(self, type, name_hint)
        self.owner = owner
        self.index = index

    @property
    def parent_block(self):
        return self.owner


class Operation:
    """A generic operation.  Op classes subclass it and declare their shape."""

    __slots__ = (
        "_operands",
        "_operand_uses",
        "results",
        "attributes",
        "regions",
        "successors",
        "location",
        "parent",
        "_prev",
        "_next",
        "_order",
        "_name",
        "_symbol_table",
        "__weakref__",
    )

    # Filled in by op classes (see opdef.Op); generic ops use `_name`.
    name: str = ""
    traits: frozenset = frozenset()
    registered: bool = False

    def __init__(
        self,
        operands: Sequence[Value] = (),
        result_types: Sequence[Type] = (),
        attributes: Optional[Dict[str, Attribute]] = None,
        regions: Sequence["Region"] = (),
        successors: Sequence["Block"] = (),
        location: Location = UNKNOWN,
        name: Optional[str] = None,
    ):
        self._name = name
        self._operands: List[Value] = list(operands)
        self._link_operand_uses()
        self.results: List[OpResult] = [OpResult(t, self, i) for i, t in enumerate(result_types)]
        self.attributes: Dict[str, Attribute] = dict(attributes) if attributes else {}
        self.regions: List[Region] = []
        self._symbol_table = None  # the index of its symbols, for a symbol-table op (ir/symbols.py)
        for r in regions:
            self.add_region(r)
        self.successors: List[Block] = list(successors)
        self.location = location
        self.parent: Optional[Block] = None
        self._prev: Optional[Operation] = None
        self._next: Optional[Operation] = None
        self._order = _UNORDERED

    # -- identity -----------------------------------------------------------
    @property
    def op_name(self) -> str:
        return self._name or self.name

    def has_trait(self, trait) -> bool:
        return trait in self.traits

    # -- operands -----------------------------------------------------------
    @property
    def operands(self) -> List[Value]:
        return self._operands

    def set_operand(self, index: int, value: Value) -> None:
        """Operand `index` becomes `value`: O(1)."""
        use = self._operand_uses[index]
        del self._operands[index]._uses[use]
        self._operands[index] = value
        value._uses[use] = None

    def set_operands(self, values: Sequence[Value]) -> None:
        """Replace the whole operand list: O(operands)."""
        self.drop_all_uses_of_operands()
        self._operands = list(values)
        self._link_operand_uses()

    def _link_operand_uses(self) -> None:
        uses = self._operand_uses = [Use(self, i) for i in range(len(self._operands))]
        for v, use in zip(self._operands, uses):
            v._uses[use] = None

    def drop_all_uses_of_operands(self) -> None:
        """Remove this op from its operands' use lists (the operands stay): O(operands)."""
        for v, use in zip(self._operands, self._operand_uses):
            v._uses.pop(use, None)

    @property
    def result(self) -> OpResult:
        """The single result (error if the op has another count)."""
        if len(self.results) != 1:
            raise ValueError(f"'{self.op_name}' has {len(self.results)} results, not 1")
        return self.results[0]

    @property
    def result_types(self) -> List[Type]:
        return [r.type for r in self.results]

    # -- structure ------------------------------------------------------------
    def add_region(self, region: Optional["Region"] = None) -> "Region":
        region = region if region is not None else Region()
        region.parent = self
        self.regions.append(region)
        self._symbol_table = None
        return region

    @property
    def parent_op(self) -> Optional["Operation"]:
        return self.parent.parent_op if self.parent is not None else None

    @property
    def parent_region(self) -> Optional["Region"]:
        return self.parent.parent if self.parent is not None else None

    @property
    def next_op(self) -> Optional["Operation"]:
        return self._next

    @property
    def prev_op(self) -> Optional["Operation"]:
        return self._prev

    def is_ancestor_of(self, other: "Operation") -> bool:
        """True if `other` is this op or nested (at any depth) inside it."""
        while other is not None:
            if other is self:
                return True
            other = other.parent_op
        return False

    def is_before_in_block(self, other: "Operation") -> bool:
        """True if this op comes before `other` in their (common) block: O(1) amortized."""
        block = self.parent
        assert block is not None and other.parent is block
        self.order_in_block()
        other_order = other.order_in_block()  # may renumber the block, so read our own order after it
        return self._order < other_order

    def order_in_block(self) -> int:
        """A number that grows along the block: comparable between ops of one block only,
        and only until the next insertion (which may renumber the block; compare with
        `is_before_in_block`).

        As MLIR does, ops are numbered with gaps (ORDER_STRIDE); an inserted op
        takes the middle of its neighbours' gap, and only a full gap, or a block
        whose order was never computed, renumbers the block.
        """
        block = self.parent
        if not block._order_valid:
            block._renumber()
        elif self._order == _UNORDERED:
            prev, nxt = self._prev, self._next
            low = prev._order if prev is not None else 0
            if nxt is None:
                if low != _UNORDERED:
                    self._order = low + ORDER_STRIDE
                    return self._order
            else:
                high = nxt._order
                if low != _UNORDERED and high != _UNORDERED and high - low > 1:
                    self._order = (low + high) // 2
                    return self._order
            block._renumber()
        return self._order

    def walk(self, post_order: bool = True) -> Iterator["Operation"]:
        """Every op nested in this one and the op itself, post-order by default.

        Safe against erasing the op just yielded (the next one is fetched first).
        Iterative: a deeply nested op costs neither recursion nor O(depth) per op.
        """
        if not post_order:
            yield self
        stack = [(self, self._nested_ops())]
        while stack:
            op, children = stack[-1]
            child = next(children, None)
            if child is None:
                stack.pop()
                if post_order:
                    yield op
                continue
            if not post_order:
                yield child
            if child.regions:
                stack.append((child, child._nested_ops()))
            elif post_order:
                yield child

    def _nested_ops(self) -> Iterator["Operation"]:
        """The ops directly inside this op's regions, each next one fetched before yielding."""
        for region in self.regions:
            for block in list(region.blocks):
                op = block._first
                while op is not None:
                    nxt = op._next
                    yield op
                    op = nxt

    def detach(self) -> "Operation":
        """Unlink this op from its block (uses stay intact)."""
        block = self.parent
        if block is None:
            return self
        if self._prev is not None:
            self._prev._next = self._next
        else:
            block._first = self._next
        if self._next is not None:
            self._next._prev = self._prev
        else:
            block._last = self._prev
        self._prev = self._next = None
        self.parent = None
        self._order = _UNORDERED  # the rest of the block stays ordered
        region = block.parent
        if region is not None and region.parent is not None and region.parent._symbol_table is not None:
            region.parent._symbol_table.removed(self)
        return self

    def erase(self) -> None:
        """Remove this op and everything nested in it; its results must be unused."""
        for r in self.results:
            if r.uses:
                users = ", ".join(sorted({u.owner.op_name for u in r.uses}))
                raise ValueError(f"cannot erase '{self.op_name}': its result is still used by {users}")
        self.detach()
        self._drop_references()

    def _drop_references(self) -> None:
        for op in self.walk():
            op.drop_all_uses_of_operands()

    def move_before(self, other: "Operation") -> None:
        self.detach()
        other.parent.insert_before(other, self)

    def move_after(self, other: "Operation") -> None:
        self.detach()
        other.parent.insert_after(other, self)

    def replace_all_uses_with(self, values: Sequence[Value]) -> None:
        assert len(values) == len(self.results), "result count mismatch"
        for r, v in zip(self.results, values):
            r.replace_all_uses_with(v)

    def clone(self, mapping: Optional[Dict] = None) -> "Operation":
        """Deep copy; `mapping` maps old values/blocks to new ones and is extended."""
        mapping = {} if mapping is None else mapping
        operands = [mapping.get(v, v) for v in self._operands]
        successors = [mapping.get(b, b) for b in self.successors]
        new = type(self).__new__(type(self))
        Operation.__init__(
            new,
            operands,
            [r.type for r in self.results],
            self.attributes,
            (),
            successors,
            self.location,
            self._name,
        )
        for old_r, new_r in zip(self.results, new.results):
            new_r.name_hint = old_r.name_hint
            mapping[old_r] = new_r
        for region in self.regions:
            new.add_region(region.clone(mapping))
        return new

    def verify(self) -> None:
        """Op-specific checks beyond the declaration; raise via `self.emit_error`."""

    def emit_error(self, message: str, notes=()):
        """A DiagnosticError located at this op, naming it as MLIR does."""
        from .diagnostics import error

        return error(f"'{self.op_name}' op {message}", self.location, notes)

    def __repr__(self):
        from .printer import print_op

        try:
            return print_op(self)
        except Exception:  # repr must never fail
            return f"<{self.op_name}>"

    def __str__(self):
        return self.__repr__()


class Block:
    """A list of operations with arguments, ending (usually) in a terminator."""

    __slots__ = ("arguments", "parent", "_first", "_last", "_order_valid", "__weakref__")

    def __init__(self, arg_types: Sequence[Type] = (), arg_names: Sequence[Optional[str]] = ()):
        self.arguments: List[BlockArgument] = []
        names = list(arg_names) + [None] * (len(arg_types) - len(arg_names))
        for t, n in zip(arg_types, names):
            self.add_argument(t, n)
        self.parent: Optional[Region] = None
        self._first: Optional[Operation] = None
        self._last: Optional[Operation] = None
        self._order_valid = False

    def add_argument(self, type: Type, name_hint: Optional[str] = None) -> BlockArgument:
        arg = BlockArgument(type, self, len(self.arguments), name_hint)
        self.arguments.append(arg)
        return arg

    def erase_argument(self, index: int) -> None:
        arg = self.arguments[index]
        assert not arg.uses, "erasing a used block argument"
        del self.arguments[index]
        for i, a in enumerate(self.arguments):
            a.index = i

    @property
    def parent_op(self) -> Optional[Operation]:
        return self.parent.parent if self.parent is not None else None

    @property
    def ops(self) -> Iterator[Operation]:
        op = self._first
        while op is not None:
            nxt = op._next
            yield op
            op = nxt

    def ops_reversed(self) -> Iterator[Operation]:
        op = self._last
        while op is not None:
            prv = op._prev
            yield op
            op = prv

    @property
    def first_op(self) -> Optional[Operation]:
        return self._first

    @property
    def last_op(self) -> Optional[Operation]:
        return self._last

    @property
    def terminator(self) -> Optional[Operation]:
        from .traits import Terminator

        last = self._last
        return last if last is not None and last.has_trait(Terminator) else None

    @property
    def is_empty(self) -> bool:
        return self._first is None

    def __len__(self):
        n, op = 0, self._first
        while op is not None:
            n += 1
            op = op._next
        return n

    def _renumber(self) -> None:
        order, op = 0, self._first
        while op is not None:
            order += ORDER_STRIDE
            op._order = order
            op = op._next
        self._order_valid = True

    def _link(self, op: Operation, prev: Optional[Operation], nxt: Optional[Operation]) -> Operation:
        assert op.parent is None, f"'{op.op_name}' is already in a block"
        op.parent = self
        op._prev, op._next = prev, nxt
        if prev is not None:
            prev._next = op
        else:
            self._first = op
        if nxt is not None:
            nxt._prev = op
        else:
            self._last = op
        op._order = _UNORDERED  # numbered on the next order query (order_in_block)
        region = self.parent
        if region is not None and region.parent is not None and region.parent._symbol_table is not None:
            region.parent._symbol_table.inserted(op)
        return op

    def append(self, op: Operation) -> Operation:
        return self._link(op, self._last, None)

    def prepend(self, op: Operation) -> Operation:
        return self._link(op, None, self._first)

    def insert_before(self, anchor: Operation, op: Operation) -> Operation:
        return self._link(op, anchor._prev, anchor)

    def insert_after(self, anchor: Operation, op: Operation) -> Operation:
        return self._link(op, anchor, anchor._next)

    @property
    def predecessors(self) -> List["Block"]:
        region = self.parent
        if region is None:
            return []
        preds = []
        for b in region.blocks:
            t = b._last
            if t is not None and any(s is self for s in t.successors):
                preds.append(b)
        return preds

    def __repr__(self):
        return f"<Block with {len(self.arguments)} args, {len(self)} ops>"


class Region:
    """A list of blocks owned by an operation."""

    __slots__ = ("blocks", "parent", "__weakref__")

    def __init__(self, blocks: Sequence[Block] = ()):
        self.blocks: List[Block] = []
        self.parent: Optional[Operation] = None
        for b in blocks:
            self.add_block(b)

    def add_block(self, block: Optional[Block] = None) -> Block:
        block = block if block is not None else Block()
        block.parent = self
        self.blocks.append(block)
        self._forget_symbol_index()
        return block

    def _forget_symbol_index(self) -> None:
        # whole blocks moved in bypass the per-op bookkeeping: the owner's symbol index is made afresh
        if self.parent is not None:
            self.parent._symbol_table = None

    @property
    def entry(self) -> Optional[Block]:
        return self.blocks[0] if self.blocks else None

    @property
    def block(self) -> Block:
        """The single block of a single-block region."""
        assert len(self.blocks) == 1, "region does not have exactly one block"
        return self.blocks[0]

    @property
    def is_empty(self) -> bool:
        return not self.blocks

    def walk(self, post_order: bool = True) -> Iterator[Operation]:
        for b in list(self.blocks):
            for op in list(b.ops):
                yield from op.walk(post_order)

    def clone(self, mapping: Optional[Dict] = None) -> "Region":
        mapping = {} if mapping is None else mapping
        new = Region()
        # create all blocks and arguments first: successors may point forward
        for b in self.blocks:
            nb = Block()
            for a in b.arguments:
                mapping[a] = nb.add_argument(a.type, a.name_hint)
            mapping[b] = nb
            new.add_block(nb)
        for b in self.blocks:
            nb = mapping[b]
            for op in b.ops:
                nb.append(op.clone(mapping))
        return new

    def take_body(self, other: "Region") -> None:
        """Move all blocks of `other` into this (empty) region."""
        for b in other.blocks:
            b.parent = self
            self.blocks.append(b)
        other.blocks = []
        self._forget_symbol_index()
        other._forget_symbol_index()
