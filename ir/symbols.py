"""Symbol tables: ops with a `sym_name` found by name from the nearest
enclosing op with the SymbolTable trait (builtin.module)."""

from __future__ import annotations

from typing import Iterator, Optional

from .attributes import StringAttr, SymbolRefAttr
from .core import Operation
from .traits import SymbolTable


def symbol_name(op: Operation) -> Optional[str]:
    a = op.attributes.get("sym_name")
    return a.value if isinstance(a, StringAttr) else None


def nearest_symbol_table(op: Operation) -> Optional[Operation]:
    cur = op if op.has_trait(SymbolTable) else op.parent_op
    while cur is not None and not cur.has_trait(SymbolTable):
        cur = cur.parent_op
    return cur


def symbols_in(table: Operation) -> Iterator[Operation]:
    for region in table.regions:
        for block in region.blocks:
            for op in block.ops:
                if symbol_name(op) is not None:
                    yield op


def lookup_in(table: Operation, name: str) -> Optional[Operation]:
    for op in symbols_in(table):
        if symbol_name(op) == name:
            return op
    return None


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
    taken = {symbol_name(op) for op in symbols_in(table)}
    if base not in taken:
        return base
    k = 1
    while f"{base}_{k}" in taken:
        k += 1
    return f"{base}_{k}"


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
