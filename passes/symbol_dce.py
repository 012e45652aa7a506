"""`symbol-dce`: erase private symbols that no live symbol references.

Liveness starts at every symbol that is not private (public or nested
visibility: someone outside may use it) and at every reference made by an op
that is not itself a symbol (e.g. a global initializer at module level), then
follows symbol references transitively, as MLIR's SymbolDCE does.
"""

from __future__ import annotations

from typing import Dict, List, Set

from irc.attributes import StringAttr, SymbolRefAttr
from irc.core import Operation
from irc.symbols import lookup_symbol, symbol_name, symbol_uses
from irc.traits import SymbolTable

from .pass_manager import Pass, register_pass


def is_private(op: Operation) -> bool:
    vis = op.attributes.get("sym_visibility")
    return isinstance(vis, StringAttr) and vis.value == "private"


def _symbols_under(table: Operation) -> List[Operation]:
    """Symbols of `table` and of the symbol tables nested in them."""
    out = []
    for region in table.regions:
        for block in region.blocks:
            for op in block.ops:
                if symbol_name(op) is not None:
                    out.append(op)
                    if op.has_trait(SymbolTable):
                        out.extend(_symbols_under(op))
    return out


def _enclosing_symbol(op: Operation, symbols: Set[Operation]) -> Operation:
    """The innermost symbol op containing `op` (or None)."""
    cur = op
    while cur is not None:
        if cur in symbols:
            return cur
        cur = cur.parent_op
    return None


def _resolve(user: Operation, ref: SymbolRefAttr) -> List[Operation]:
    """The symbol `ref` names and, for a nested reference, the tables on its path."""
    out = []
    root = lookup_symbol(user, SymbolRefAttr(ref.root)) if ref.nested else None
    if root is not None:
        out.append(root)
    target = lookup_symbol(user, ref)
    if target is not None:
        out.append(target)
    return out


def dead_symbols(table: Operation) -> List[Operation]:
    """Private symbols under `table` that are unreachable from its live ones."""
    symbols = _symbols_under(table)
    symbol_set = set(symbols)
    live: Set[Operation] = set()
    work: List[Operation] = []

    def mark(op):
        if op is not None and op not in live:
            live.add(op)
            work.append(op)

    for s in symbols:
        if not is_private(s):
            mark(s)
    # references from outside any symbol keep their targets alive
    refs_by_symbol: Dict[Operation, list] = {}
    for user, _key, ref in symbol_uses(table):
        if user is table:
            continue
        owner = _enclosing_symbol(user, symbol_set)
        if owner is None:
            for target in _resolve(user, ref):
                mark(target)
        else:
            refs_by_symbol.setdefault(owner, []).append((user, ref))
    while work:
        s = work.pop()
        # a live symbol keeps its enclosing tables alive
        parent = s.parent_op
        if parent is not None and parent is not table and parent in symbol_set:
            mark(parent)
        for user, ref in refs_by_symbol.get(s, ()):
            for target in _resolve(user, ref):
                mark(target)
    return [s for s in symbols if s not in live and is_private(s)]


def erase_dead_symbols(table: Operation) -> int:
    """Erase the dead private symbols under `table`; the number erased."""
    dead = dead_symbols(table)
    dead_set = set(dead)
    count = 0
    for s in dead:
        # a symbol nested in another dead symbol goes with it
        if s.parent is None or any(p in dead_set for p in _ancestors(s)):
            continue
        s._drop_references()
        for r in s.results:
            r.forget_uses()
        s.detach()
        count += 1
    return count


def _ancestors(op: Operation):
    cur = op.parent_op
    while cur is not None:
        yield cur
        cur = cur.parent_op


@register_pass
class SymbolDCE(Pass):
    """Erase private functions (and other symbols) nothing live refers to."""

    name = "symbol-dce"
    summary = "Erase unreferenced private symbols"

    def run(self, op: Operation) -> None:
        self.num_erased = erase_dead_symbols(op) if op.has_trait(SymbolTable) else 0
