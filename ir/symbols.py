"""Symbol tables: ops with a `sym_name` found by name from the nearest
enclosing op with the SymbolTable trait (builtin.module).

Each symbol-table op caches an index of its symbols (`SymbolTableIndex`),
so resolving a call, uniquing a generated name (`@f_vjp_1`) or checking for
redefinitions costs O(1) per symbol, never a scan of the module.
"""

from __future__ import annotations

from typing import Dict, Iterator, List, Optional

from .attributes import StringAttr, SymbolRefAttr
from .core import Operation
from .diagnostics import error
from .traits import SymbolTable


def symbol_name(op: Operation) -> Optional[str]:
    """The name `op` defines (its `sym_name`), or None."""
    a = op.attributes.get("sym_name")
    return a.value if isinstance(a, StringAttr) else None


class SymbolTableIndex:
    """The symbols directly inside one symbol-table op, by name (MLIR's SymbolTable).

    Made on first use and cached on the op; the core keeps it current when an
    op is inserted into or detached from the table op's blocks, and
    `set_symbol_name` when a symbol is renamed, so lookups, generated-name
    uniquing and redefinition checks never scan the module.  The first
    definition of a name is the one found, as in MLIR; later ones wait in
    `shadowed` (the verifier reports them).
    """

    __slots__ = ("op", "by_name", "shadowed", "next_suffix")

    def __init__(self, op: Operation):
        self.op = op
        self.by_name: Dict[str, Operation] = {}
        self.shadowed: Dict[str, List[Operation]] = {}
        self.next_suffix: Dict[str, int] = {}
        for region in op.regions:
            for block in region.blocks:
                for inner in block.ops:
                    self.inserted(inner)

    def inserted(self, op: Operation) -> None:
        """`op` was linked into one of the table op's blocks."""
        name = symbol_name(op)
        if name is None:
            return
        first = self.by_name.get(name)
        if first is None:
            self.by_name[name] = op
        elif first is not op:  # a redefinition: the first in block order is the definition
            if _comes_first(op, first):
                self.by_name[name], op = op, first
            self.shadowed.setdefault(name, []).append(op)

    def removed(self, op: Operation, name: Optional[str] = None) -> None:
        """`op` left the table (or is being renamed away from `name`)."""
        name = symbol_name(op) if name is None else name
        if name is None:
            return
        later = self.shadowed.get(name)
        if self.by_name.get(name) is op:
            if later:
                earliest = later[0]
                for other in later[1:]:
                    if _comes_first(other, earliest):
                        earliest = other
                later.remove(earliest)
                self.by_name[name] = earliest
                if not later:
                    del self.shadowed[name]
            else:
                del self.by_name[name]
        elif later and op in later:
            later.remove(op)
            if not later:
                del self.shadowed[name]

    def lookup(self, name: str) -> Optional[Operation]:
        """The symbol named `name` directly in this table, or None: O(1)."""
        found = self.by_name.get(name)
        if found is not None and not self._holds(found, name):
            # renamed or moved behind the table's back: index the table afresh, once
            fresh = SymbolTableIndex(self.op)
            self.by_name, self.shadowed = fresh.by_name, fresh.shadowed
            found = self.by_name.get(name)
        return found

    def _holds(self, op: Operation, name: str) -> bool:
        block = op.parent
        return (block is not None and block.parent is not None and block.parent.parent is self.op
                and symbol_name(op) == name)

    def unique_name(self, base: str) -> str:
        """`base` if free, else `base_1`, `base_2`, ...: O(1) amortized (a counter per base)."""
        if self.lookup(base) is None:
            return base
        k = self.next_suffix.get(base, 1)
        while self.lookup(f"{base}_{k}") is not None:
            k += 1
        self.next_suffix[base] = k + 1
        return f"{base}_{k}"

    def redefinitions(self) -> Iterator[tuple]:
        """(later definition, first definition) for every name defined more than once."""
        for name, later in self.shadowed.items():
            first = self.by_name[name]
            for op in later:
                yield op, first


def _comes_first(a: Operation, b: Operation) -> bool:
    if a.parent is b.parent:
        return a.is_before_in_block(b)
    blocks = [blk for region in a.parent.parent.parent.regions for blk in region.blocks]
    return blocks.index(a.parent) < blocks.index(b.parent)


def symbol_table_index(table: Operation) -> SymbolTableIndex:
    """The (cached) index of the symbols directly inside `table`."""
    index = table._symbol_table
    if index is None:
        index = table._symbol_table = SymbolTableIndex(table)
    return index


def set_symbol_name(op: Operation, name: str) -> None:
    """Rename the symbol `op`, keeping its table's index current."""
    block = op.parent
    owner = block.parent.parent if block is not None and block.parent is not None else None
    index = owner._symbol_table if owner is not None else None
    if index is not None:
        index.removed(op)
    op.attributes["sym_name"] = StringAttr(name)
    if index is not None:
        index.inserted(op)


def nearest_symbol_table(op: Operation) -> Optional[Operation]:
    """`op` if it is a symbol table, else its closest ancestor that is one."""
    cur = op if op.has_trait(SymbolTable) else op.parent_op
    while cur is not None and not cur.has_trait(SymbolTable):
        cur = cur.parent_op
    return cur


def symbols_in(table: Operation) -> Iterator[Operation]:
    """The ops with a `sym_name` directly inside `table`, in order."""
    for region in table.regions:
        for block in region.blocks:
            for op in block.ops:
                if symbol_name(op) is not None:
                    yield op


def lookup_in(table: Operation, name: str) -> Optional[Operation]:
    """The symbol `name` directly inside `table` (through its index: O(1))."""
    return symbol_table_index(table).lookup(name)


def lookup_symbol(from_op: Operation, ref) -> Optional[Operation]:
    """Resolve `ref` (a SymbolRefAttr or a name) from `from_op`, searching outward."""
    if isinstance(ref, SymbolRefAttr):
        name, nested = ref.root, ref.nested
    else:
        name, nested = ref, ()
    table = nearest_symbol_table(from_op)
    while table is not None:
        found = lookup_in(table, name)
        if found is not None:
            for n in nested:
                found = lookup_in(found, n)
                if found is None:
                    return None
            return found
        table = nearest_symbol_table(table.parent_op) if table.parent_op is not None else None
    return None


def unique_symbol_name(table: Operation, base: str) -> str:
    """`base` if free in `table`, else `base_1`, `base_2`, ..."""
    return symbol_table_index(table).unique_name(base)


def verify_symbol_table(table: Operation) -> None:
    """MLIR's check: a name is defined once per symbol table (a note points at the first)."""
    pairs = list(symbol_table_index(table).redefinitions())
    if pairs:
        later, first = pairs[0]
        for other, other_first in pairs[1:]:
            if _comes_first(other, later):
                later, first = other, other_first
        raise error(f"redefinition of symbol named '{symbol_name(later)}'", later.location,
                    [("see existing symbol definition here", first.location)])


def symbol_uses(root: Operation) -> Iterator[tuple]:
    """(op, attribute name, SymbolRefAttr) for every symbol reference under `root`."""
    for op in root.walk():
        for k, v in op.attributes.items():
            yield from _refs_in(op, k, v)


def _refs_in(op, key, attr):
    from .attributes import ArrayAttr, DictionaryAttr

    if isinstance(attr, SymbolRefAttr):
        yield (op, key, attr)
    elif isinstance(attr, ArrayAttr):
        for a in attr.elements:
            yield from _refs_in(op, key, a)
    elif isinstance(attr, DictionaryAttr):
        for _, a in attr.entries:
            yield from _refs_in(op, key, a)
