"""What bufferization models build with: the tensor -> buffer mapping, buffer
allocation and copies, loop nests, and the ownership records from which
deallocations are placed.

Ownership (a simple form of MLIR's ownership-based deallocation, with no
run-time ownership flags): every buffer the pass allocates is a *root*
owned by the block of the op that made it (or, for a region argument that
is always handed a buffer of its own, by that region's block).  Views (subviews, casts, loop
iter_args and results) record the roots they alias.  After the rewrite each
owned root is freed right after the last op of its block that uses it or an
alias, unless a terminator hands it on: a function returns it (the caller
owns the call's result), or an ``scf.if`` yields it (the if's result is a
root owned by the if's block).  The models keep this exact by construction:
a loop yields its iter_arg's own buffer (a different one is copied into it),
an ``scf.if`` yields owned buffers from every branch or from none, and a
function returns either an argument's buffer or a buffer it owns.
"""

from __future__ import annotations

from typing import Dict, List, Optional, Sequence

from irc.builder import Builder
from irc.core import Operation, Value
from irc.diagnostics import error
from irc.types import DYNAMIC, MemRefType, TensorType, index

from .analysis import ancestor_in


def owner_block(root: Value):
    """The block that owns a root: its defining op's block, or the block it is an argument of."""
    op = root.defining_op
    return op.parent if op is not None else root.parent_block


def identity_memref_type(t) -> MemRefType:
    """The buffer type of a tensor type (identity layout)."""
    return MemRefType(t.shape, t.element_type)


class BufferizationState:
    """The rewrite's bookkeeping, handed to every `Bufferizable.bufferize`."""

    def __init__(self, analysis, options: Optional[dict] = None):
        self.analysis = analysis
        self.options = dict(options or {})
        self.buffers: Dict[Value, Value] = {}
        self.roots: Dict[Value, tuple] = {}  # buffer -> the roots it may alias
        # buffer -> the buffer it *is* (same memory, same extent): an owned or foreign root,
        # or a view (a subview is its own extent)
        self.equivalent_root: Dict[Value, Value] = {}
        self.owned: List[Value] = []  # roots owned by the block of their defining op
        self.owned_set = set()
        self.transferred = set()  # owned roots a terminator hands on
        self.alias_index: Dict[Value, List[Value]] = {}  # root -> every buffer that may alias it
        self.to_erase: List[Operation] = []
        self.erased = set()
        self.built = set()  # ops the pass made that a later walk must leave alone
        self.function_results: Dict[Operation, list] = {}  # func -> per result: None (owned) or argument index
        self.force_owned_results = set()  # functions in a call cycle return owned buffers
        self.global_constants: Dict[tuple, str] = {}  # (memref type, value) -> memref.global name
        # bufferized scf.while ops whose before and after types differ -> which condition operands
        # forward a before argument's carried buffer (position -> before argument position)
        self.changing_whiles: Dict[Operation, Dict[int, int]] = {}

    @property
    def function_boundaries(self) -> bool:
        return bool(self.options.get("bufferize-function-boundaries"))

    @staticmethod
    def unique_symbol(module_block, name: str) -> str:
        """`name`, or `name_N` when the module already defines it."""
        taken = {op.attributes["sym_name"].value for op in module_block.ops if "sym_name" in op.attributes}
        candidate, n = name, 0
        while candidate in taken:
            n += 1
            candidate = f"{name}_{n}"
        return candidate

    # -- the mapping ----------------------------------------------------------------------
    def buffer(self, v: Value) -> Value:
        """The buffer of tensor `v` (a memref value); any other value is its own."""
        if not isinstance(v.type, TensorType):
            return v
        try:
            return self.buffers[v]
        except KeyError:
            owner = v.defining_op
            where = owner.location if owner is not None else None
            raise error(f"bufferization found no buffer for a value of type {v.type} "
                        f"(is its producer bufferizable?)", where) from None

    def map(self, tensor: Value, buffer: Value) -> None:
        """`tensor`'s buffer is `buffer`."""
        self.buffers[tensor] = buffer

    def replace(self, op: Operation, values: Sequence[Value]) -> None:
        """`op`'s results become `values`: buffers for tensor results (mapped), plain values
        for the others (their uses are rewired); `op` is erased when the rewrite ends."""
        for r, v in zip(op.results, values):
            if isinstance(r.type, TensorType):
                self.map(r, v)
            elif v is not r:
                r.replace_all_uses_with(v)
        self.to_erase.append(op)
        self.erased.add(op)

    def rebuild_block(self, old_block, new_types: Sequence):
        """A new block holding `old_block`'s ops, with arguments of `new_types`: an old
        tensor argument whose new type is a memref maps to the new argument; the others
        are replaced by theirs."""
        from irc.core import Block

        new = Block(list(new_types), [a.name_hint for a in old_block.arguments])
        for old, arg in zip(old_block.arguments, new.arguments):
            if isinstance(old.type, TensorType) and isinstance(arg.type, MemRefType):
                self.map(old, arg)
            else:
                old.replace_all_uses_with(arg)
        for op in list(old_block.ops):
            new.append(op.detach())
        return new

    def carried_block(self, old_block, buffers: Sequence[Optional[Value]]):
        """`rebuild_block` for a loop region whose tensor arguments carry `buffers`."""
        new = self.rebuild_block(old_block, [buf.type if buf is not None else a.type
                                             for a, buf in zip(old_block.arguments, buffers)])
        for arg, buf in zip(new.arguments, buffers):
            if buf is not None:
                self.alias(arg, [buf], equivalent=True)
        return new

    # -- roots ----------------------------------------------------------------------------
    def _index(self, buffer: Value, roots: tuple) -> None:
        self.roots[buffer] = roots
        for r in roots:
            self.alias_index.setdefault(r, []).append(buffer)

    def new_root(self, buffer: Value, owned: bool) -> Value:
        """`buffer` is a buffer of its own (owned: freed by the pass in its block)."""
        self._index(buffer, (buffer,))
        self.equivalent_root[buffer] = buffer
        if owned:
            self.owned.append(buffer)
            self.owned_set.add(buffer)
        return buffer

    def roots_of(self, buffer: Value) -> tuple:
        r = self.roots.get(buffer)
        if r is None:  # a buffer the program made itself (a memref argument, a memref op)
            self.new_root(buffer, owned=False)
            r = (buffer,)
        return r

    def alias(self, view: Value, of: Sequence[Value], equivalent: bool = False) -> Value:
        """`view` shares the memory of the buffers `of` (the same buffer when `equivalent`)."""
        roots = tuple(dict.fromkeys(r for b in of for r in self.roots_of(b)))
        self._index(view, roots)
        if equivalent and len(of) == 1 and of[0] in self.equivalent_root:
            self.equivalent_root[view] = self.equivalent_root[of[0]]
        elif not equivalent:
            self.equivalent_root[view] = view  # a part of a buffer: a memory extent of its own
        return view

    def is_owned_root(self, buffer: Value) -> bool:
        return buffer in self.owned_set

    def transfer(self, root: Value) -> None:
        """A terminator hands `root` on: it is not freed in its block."""
        self.transferred.add(root)

    # -- building -------------------------------------------------------------------------
    @staticmethod
    def builder_before(op: Operation) -> Builder:
        return Builder.before(op, op.location)

    @staticmethod
    def index_constant(b: Builder, value: int) -> Value:
        from irc.dialects.arith import ConstantOp

        return b.insert(ConstantOp.create(value, index, location=b.location)).results[0]

    def sizes(self, b: Builder, buffer: Value, dynamic_only: bool = False) -> List[Value]:
        """Index values for `buffer`'s sizes (constants where static)."""
        from irc.dialects.memref import DimOp

        out = []
        for d, n in enumerate(buffer.type.shape):
            if n == DYNAMIC:
                out.append(b.create(DimOp, buffer, self.index_constant(b, d), result_types=[index]).results[0])
            elif not dynamic_only:
                out.append(self.index_constant(b, n))
        return out

    def allocate(self, b: Builder, shaped_type, dynamic_sizes: Sequence[Value] = ()) -> Value:
        """A new owned buffer (``memref.alloc``, MLIR's 64-byte alignment) of `shaped_type`'s shape."""
        from irc.dialects.memref import AllocOp

        t = identity_memref_type(shaped_type)
        buf = b.insert(AllocOp.create(t, list(dynamic_sizes), alignment=64, location=b.location)).results[0]
        return self.new_root(buf, owned=True)

    def allocate_like(self, b: Builder, buffer: Value, shaped_type=None) -> Value:
        """A new owned buffer with `buffer`'s sizes (and `shaped_type`'s element type)."""
        t = shaped_type if shaped_type is not None else buffer.type
        return self.allocate(b, t, self.sizes(b, buffer, dynamic_only=True))

    @staticmethod
    def copy(b: Builder, source: Value, target: Value) -> None:
        """``memref.copy source, target``."""
        from irc.dialects.memref import CopyOp

        b.create(CopyOp, source, target)

    def cast(self, b: Builder, buffer: Value, memref_type: MemRefType) -> Value:
        """`buffer` as `memref_type` (``memref.cast`` when the types differ)."""
        if buffer.type == memref_type:
            return buffer
        from irc.dialects.memref import CastOp

        out = b.create(CastOp, buffer, result_types=[memref_type]).results[0]
        return self.alias(out, [buffer], equivalent=True)

    def loop_nest(self, b: Builder, sizes: Sequence[Value], body) -> None:
        """``scf.for`` loops over `sizes` (index values); `body(builder, ivs)` fills the innermost."""
        from irc.dialects.scf import ForOp

        if not sizes:
            body(b, [])
            return
        c0, c1 = self.index_constant(b, 0), self.index_constant(b, 1)

        def nest(builder, depth, ivs):
            loop = builder.insert(ForOp.create(c0, sizes[depth], c1, location=builder.location))
            inner = Builder.before(loop.body_block.terminator, builder.location)
            iv = loop.body_block.arguments[0]
            if depth + 1 == len(sizes):
                body(inner, [*ivs, iv])
            else:
                nest(inner, depth + 1, [*ivs, iv])

        nest(b, 0, [])

    # -- handing buffers on through a terminator -----------------------------------------
    def local_owned_roots(self, buffer: Value, block) -> list:
        """The owned roots `buffer` may alias that were made in `block` and not handed on."""
        return [r for r in self.roots_of(buffer)
                if r in self.owned_set and r not in self.transferred and owner_block(r) is block]

    def own_copy(self, b: Builder, buffer: Value, memref_type: MemRefType) -> Value:
        """A new owned buffer of `memref_type` holding `buffer`'s contents."""
        fresh = self.allocate_like(b, buffer, memref_type)
        self.copy(b, buffer, fresh)
        return fresh

    def fit(self, b: Builder, buffer: Value, memref_type: MemRefType) -> Value:
        """`buffer` as `memref_type`: cast where the layouts are compatible, else a copy."""
        from irc.dialects.memref import cast_compatible

        if buffer.type == memref_type:
            return buffer
        if cast_compatible(buffer.type, memref_type):
            return self.cast(b, buffer, memref_type)
        return self.own_copy(b, buffer, memref_type)

    def _whole_local(self, v: Value, block) -> bool:
        """`v` is exactly an owned buffer made in `block` (not a view of one)."""
        return self.equivalent_root.get(v) in self.local_owned_roots(v, block)

    def hand_on(self, terminators: Sequence[Operation], index: int, result_type: MemRefType,
                force_owned: bool = False):
        """Make operand `index` of each terminator (one per region that reaches the same
        result) a buffer of `result_type` that is owned by the terminator's block in every
        region or in none, and hand the owned ones on.  Returns (owned, buffers)."""
        buffers = []
        for term in terminators:
            b = Builder.before(term, term.location)
            v = self.fit(b, self.buffer(term.operands[index]), result_type)
            if self.local_owned_roots(v, term.parent) and not self._whole_local(v, term.parent):
                v = self.own_copy(b, v, result_type)  # a view of a local buffer: hand on a whole one
            buffers.append(v)
        owned = force_owned or any(self._whole_local(v, t.parent) for v, t in zip(buffers, terminators))
        if owned:
            for k, (v, term) in enumerate(zip(buffers, terminators)):
                if not self._whole_local(v, term.parent):
                    buffers[k] = self.own_copy(Builder.before(term, term.location), v, result_type)
                self.transfer(self.equivalent_root[buffers[k]])
        for v, term in zip(buffers, terminators):
            term.set_operand(index, v)
        return owned, buffers

    # -- deallocation ---------------------------------------------------------------------
    def place_deallocations(self) -> None:
        """Free every owned root after the last use of it or an alias in its block."""
        from irc.dialects.memref import DeallocOp

        for root in self.owned:
            if root in self.transferred:
                continue
            block = owner_block(root)
            last = root.defining_op  # None for a block argument: freed at the block's start unless used
            where = last.location if last is not None else block.parent_op.location
            for buffer in self.alias_index.get(root, ()):
                for use in buffer.uses:
                    anchor = ancestor_in(use.owner, block)
                    if anchor is not None and (last is None or last.is_before_in_block(anchor)):
                        last = anchor
            if last is block.terminator:
                raise error(f"internal error: a buffer owned by this block reaches its terminator "
                            f"'{last.op_name}' without being handed on", where)
            b = Builder.after(last, where) if last is not None else Builder.at_start(block, where)
            b.create(DeallocOp, root)
