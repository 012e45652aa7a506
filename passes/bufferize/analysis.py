"""One-Shot Bufferize's in-place analysis (after MLIR's OneShotAnalysis).

Every tensor operand that an op writes when it works in place (its
`Bufferizable.writes`) gets a decision: *in place* (the op writes into the
operand's buffer) or *out of place* (the pass gives it a copy first).  A
write at op W into the buffer of value v is out of place when

- the buffer is not writable (a constant, a read-only ``to_tensor``, a
  function argument marked ``bufferization.writable = false``), or
- an older value sharing that buffer is still read after W: a use U of a
  value x in v's alias set, x defined before W, where U reads x (or makes
  an alias of it) and U may run after W -- later in the same block, nested
  in W, or in a later iteration of a loop that holds both while x comes
  from outside the loop.  A read of the same subset that W writes
  (``insert_slice`` of a matching ``extract_slice``) is no conflict.

Values that share buffers are tracked in two union-find structures, as
MLIR's `aliasInfo` and `equivalentInfo`: aliases (a slice and its source)
and equivalent buffers (an in-place ``tensor.insert`` and its dest; a loop's
init, iter_arg and result).

Ops are visited once in program order.  A member of an alias set whose
every use lies before the write being decided is *retired* from its set's
scan list (no later write can come before those uses), so chains of
in-place writes cost time linear in the uses, not quadratic.
"""

from __future__ import annotations

from typing import Dict, List, Optional, Tuple

from irc.bufferizable import Bufferizable, has_tensor_semantics, is_tensor
from irc.control_flow import LoopLike
from irc.core import BlockArgument, Operation, Value
from irc.diagnostics import error


class UnionFind:
    """Disjoint sets of values with their member lists (merged smaller into larger)."""

    def __init__(self):
        self.parent: Dict[Value, Value] = {}
        self.members: Dict[Value, List[Value]] = {}

    def add(self, v: Value) -> None:
        if v not in self.parent:
            self.parent[v] = v
            self.members[v] = [v]

    def find(self, v: Value) -> Value:
        self.add(v)
        root = v
        while self.parent[root] is not root:
            root = self.parent[root]
        while self.parent[v] is not root:  # path compression
            self.parent[v], v = root, self.parent[v]
        return root

    def union(self, a: Value, b: Value) -> Value:
        ra, rb = self.find(a), self.find(b)
        if ra is rb:
            return ra
        if len(self.members[ra]) < len(self.members[rb]):
            ra, rb = rb, ra
        self.parent[rb] = ra
        self.members[ra].extend(self.members.pop(rb))
        return ra

    def same(self, a: Value, b: Value) -> bool:
        return self.find(a) is self.find(b)


def ancestor_in(op: Operation, block) -> Optional[Operation]:
    """The op in `block` that is `op` or holds it (None when `op` is not inside `block`)."""
    while op is not None:
        if op.parent is block:
            return op
        op = op.parent_op
    return None


def _defining_scope(x: Value):
    """(the block that defines `x`, the op that owns that definition: its defining op,
    or for a block argument the op whose region holds the block)."""
    if isinstance(x, BlockArgument):
        return x.parent_block, x.parent_block.parent_op
    return x.defining_op.parent, x.defining_op


def _is_defined_inside(x: Value, op: Operation) -> bool:
    block, owner = _defining_scope(x)
    if isinstance(x, BlockArgument):
        return owner is op or op.is_ancestor_of(owner)
    return op.is_ancestor_of(owner) and owner is not op


def _common_ancestors(a: Operation, b: Operation) -> Tuple[Optional[Operation], Optional[Operation]]:
    """The ancestors of `a` and `b` that lie in one block (None, None: different functions)."""
    chain = {}
    cur = a
    while cur is not None:
        chain[id(cur.parent)] = cur
        cur = cur.parent_op
    cur = b
    while cur is not None:
        hit = chain.get(id(cur.parent))
        if hit is not None:
            return hit, cur
        cur = cur.parent_op
    return None, None


class InPlaceAnalysis:
    """Decides, for every written tensor operand, whether it bufferizes in place."""

    def __init__(self, function_info=None):
        self.aliases = UnionFind()
        self.equivalent = UnionFind()
        self.in_place: Dict[Tuple[Operation, int], bool] = {}
        self.read_only_sets = set()  # alias-set roots holding a buffer that must not be written
        self.written_sets = set()  # alias-set roots written in place somewhere
        self.equivalent_origin: Dict[Value, Value] = {}  # a result -> the operand whose buffer it is
        self.retired = set()
        self.function_info = function_info if function_info is not None else {}
        self.function_boundaries = False

    # -- building the sets -------------------------------------------------------------
    def union(self, a: Value, b: Value, equivalent: bool) -> None:
        """`a` and `b` share a buffer (the same one when `equivalent`)."""
        ra, rb = self.aliases.find(a), self.aliases.find(b)
        read_only = ra in self.read_only_sets or rb in self.read_only_sets
        written = ra in self.written_sets or rb in self.written_sets
        root = self.aliases.union(a, b)
        if read_only:
            self.read_only_sets.add(root)
        if written:
            self.written_sets.add(root)
        if equivalent:
            self.equivalent.union(a, b)

    def mark_read_only(self, v: Value) -> None:
        """`v`'s buffer must not be written (a copy is made before any write)."""
        self.read_only_sets.add(self.aliases.find(v))

    def is_written(self, v: Value) -> bool:
        return self.aliases.find(v) in self.written_sets

    def equivalent_values(self, a: Value, b: Value) -> bool:
        return self.equivalent.same(a, b)

    def origin_chain(self, v: Value, limit: int = 64):
        """`v` and the operands it was equivalent to, back to where its buffer came from."""
        for _ in range(limit):
            yield v
            nxt = self.equivalent_origin.get(v)
            if nxt is None:
                return
            v = nxt

    # -- the walk ----------------------------------------------------------------------
    def analyze_function_body(self, region) -> None:
        for block in region.blocks:
            self.analyze_block(block)

    def analyze_block(self, block) -> None:
        for op in list(block.ops):
            self.analyze_op(op)

    def analyze_op(self, op: Operation) -> None:
        model = Bufferizable.get(op) if has_tensor_semantics(op) else None
        if model is None and has_tensor_semantics(op):
            raise error(f"'{op.op_name}' op was not bufferized: it has no bufferization model "
                        f"(BufferizableOpInterface)", op.location)
        if model is not None:
            for r in op.results:
                if is_tensor(r) and not model.writable(r):
                    self.mark_read_only(r)
            for i, v in enumerate(op.operands):
                if not is_tensor(v):
                    continue
                in_place = True
                if model.writes(i):
                    in_place = self.decide(op, i)
                    self.in_place[(op, i)] = in_place
                if in_place:
                    for alias, equivalent in model.aliases(i):
                        self.union(v, alias, equivalent)
                        if equivalent and alias is not v:
                            self.equivalent_origin.setdefault(alias, v)
                    if model.writes(i):
                        self.written_sets.add(self.aliases.find(v))
        for region in op.regions:
            for block in region.blocks:
                self.analyze_block(block)
        if model is not None:
            model.analyze(self)

    # -- the decision --------------------------------------------------------------------
    def decide(self, write: Operation, index: int) -> bool:
        """In place unless the buffer is read-only or an older alias is read after `write`."""
        v = write.operands[index]
        root = self.aliases.find(v)
        if root in self.read_only_sets:
            return False
        members = self.aliases.members[root]
        keep, conflict = [], False
        for x in members:
            if x in self.retired:
                continue
            if conflict or not self._defined_before(x, write):
                keep.append(x)
                continue
            if self._conflicting_use(x, write, index, v):
                conflict = True
            if self._retirable(x, write):
                self.retired.add(x)
            else:
                keep.append(x)
        self.aliases.members[root] = keep
        return not conflict

    def _conflicting_use(self, x: Value, write: Operation, index: int, v: Value) -> bool:
        for use in x.uses:
            user = use.owner
            if user is write and use.index == index:
                # the write reads its own operand again in a later iteration of a loop around it
                if self._loop_carried(user, write, x):
                    return True
                continue
            if not self._reads_or_aliases(user, use.index):
                continue
            if user is write:
                model = Bufferizable.get(user)
                if model is not None and model.elementwise_access([use.index, index]):
                    continue
            if not self._happens_after(user, write, x):
                continue
            model = Bufferizable.get(user)
            if model is not None and model.matching_subset(use.index, self, v):
                continue
            return True
        return False

    @staticmethod
    def _reads_or_aliases(user: Operation, index: int) -> bool:
        model = Bufferizable.get(user)
        if model is None:
            return True  # an unknown op: assume it reads
        return model.reads(index) or bool(model.aliases(index))

    @staticmethod
    def _loop_carried(user: Operation, write: Operation, x: Value) -> bool:
        """`user` and `write` sit in one loop that `x` comes from outside of, so `user`
        runs again after `write`."""
        cur = write.parent_op
        while cur is not None:
            if LoopLike.implemented_by(cur) and cur.is_ancestor_of(user) and not _is_defined_inside(x, cur):
                return True
            cur = cur.parent_op
        return False

    def _happens_after(self, user: Operation, write: Operation, x: Value) -> bool:
        if write.is_ancestor_of(user):
            return True
        if user.is_ancestor_of(write):
            return False
        if self._loop_carried(user, write, x):
            return True
        a_user, a_write = _common_ancestors(user, write)
        if a_user is None or a_user is a_write:
            return False  # other functions, or exclusive regions of one op (scf.if)
        return a_write.is_before_in_block(a_user)

    @staticmethod
    def _defined_before(x: Value, write: Operation) -> bool:
        """`x` holds the buffer's contents from before `write` (not `write`'s result, nor
        the result of an op around it or after it)."""
        block, owner = _defining_scope(x)
        if isinstance(x, BlockArgument):
            if owner is None or owner.is_ancestor_of(write):
                return True
        elif owner is write or owner.is_ancestor_of(write):
            return False
        a_def, a_write = _common_ancestors(owner, write)
        if a_def is None or a_def is a_write:
            return True
        return a_def.is_before_in_block(a_write)

    @staticmethod
    def _retirable(x: Value, write: Operation) -> bool:
        """Every use of `x` lies before `write` in `x`'s own block, so no write decided later
        (in program order) can come before one of them."""
        block, _owner = _defining_scope(x)
        anchor = ancestor_in(write, block)
        if anchor is None:
            return True  # `write` follows x's whole region
        for use in x.uses:
            a = ancestor_in(use.owner, block)
            if a is None:
                return False
            if a is anchor:
                if use.owner is not write:
                    return False
            elif not a.is_before_in_block(anchor):
                return False
        return True
