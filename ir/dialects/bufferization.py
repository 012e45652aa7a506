"""The bufferization dialect (MLIR 22 syntax): the ops that sit between tensors
(values) and memrefs (buffers) while a program is bufferized.

    %t = bufferization.to_tensor %m restrict writable : memref<4xf64> to tensor<4xf64>
    %m = bufferization.to_buffer %t read_only : tensor<4xf64> to memref<4xf64>
    %a = bufferization.alloc_tensor(%n) copy(%t) size_hint=%h : tensor<?xf64>
    bufferization.dealloc_tensor %a : tensor<?xf64>
    %r = bufferization.materialize_in_destination %t in %d : (tensor<4xf64>, tensor<4xf64>) -> tensor<4xf64>
    bufferization.materialize_in_destination %t in restrict writable %m : (tensor<4xf64>, memref<4xf64>) -> ()

At run time (ir/memory.py) tensors stay values: `to_tensor` reads the
buffer's current contents (a copy, so a later write to the buffer cannot
change the tensor, which MLIR leaves undefined), `to_buffer` makes a buffer
holding the tensor that the program does not own (a read-only view when
`read_only`, else a copy), `alloc_tensor` is a fresh tensor (the copy's contents, or
NaN/0 as a fresh buffer), `materialize_in_destination` stores into the
destination buffer.  `--one-shot-bufferize` (passes/bufferize/) removes
them all.
"""

from __future__ import annotations

from ..lazy_numpy import np
from ..attributes import UnitAttr, numpy_dtype
from ..opdef import AnyMemRef, AnyTensor, Attr, Dialect, Index, Op, Operand, Result, TypeConstraint
from ..traits import Pure
from ..types import DYNAMIC, MemRefType, TensorType

bufferization = Dialect("bufferization", "tensor/buffer conversion ops used by bufferization")

TensorOrMemRef = TypeConstraint("tensor or memref", lambda t: isinstance(t, (TensorType, MemRefType)))


def same_shape(tensor_type, memref_type) -> bool:
    """MLIR's check between a tensor and its buffer: same element type and shape (or both unranked)."""
    return tensor_type.element_type == memref_type.element_type and tensor_type.shape == memref_type.shape


def memref_type_of(tensor_type: TensorType, layout=None, memory_space=None) -> MemRefType:
    """The buffer type of `tensor_type` (identity layout unless `layout` is given)."""
    return MemRefType(tensor_type.shape, tensor_type.element_type, layout, memory_space)


def tensor_type_of(memref_type: MemRefType) -> TensorType:
    """The tensor type a buffer of `memref_type` holds."""
    return TensorType(memref_type.shape, memref_type.element_type)


def _unit(name: str) -> Attr:
    return Attr(name, UnitAttr, optional=True)


def _flag(ctx, tok):
    return True


class _KeywordFlagsSyntax:
    """The custom form ``OPERAND [flags...] attr-dict : TYPE to TYPE`` where each flag
    is a unit attribute written as its own name (two optional keywords side by side
    are more than a format string's LALR rule can tell apart)."""

    flags: tuple = ()

    def __init_subclass__(cls, **kw):
        super().__init_subclass__(**kw)
        if not cls.__dict__.get("name"):
            return
        prefix = cls.name.replace(".", "_")
        pieces = " ".join(f"{f}=[{prefix}_{f}]" for f in cls.flags)
        cls.syntax_rule = f'source=value_use {pieces} attrs=[attr_dict] ":" from_type=type "to" to_type=type'
        cls.syntax_subrules = {f"!{prefix}_{f}": (f'"{f}"', _flag) for f in cls.flags}

    @classmethod
    def parse_custom(cls, ctx, name_tok, source, attrs, from_type, to_type, **flags):
        ctx.check_operand_type(source, from_type, name_tok)
        all_attrs = dict(attrs or {})
        all_attrs.update({f: UnitAttr() for f, present in flags.items() if present})
        return ctx.make_op(cls.name, [source], [to_type], all_attrs, [], [], ctx.loc_of(name_tok))

    def print_custom(self, p) -> None:
        p.write(" ", p.name_of(self.operands[0]))
        for f in self.flags:
            if f in self.attributes:
                p.write(" ", f)
        p.print_optional_attr_dict(self, elided=set(self.flags))
        p.write(" : ", str(self.operands[0].type), " to ", str(self.results[0].type))


@bufferization.op
class ToTensorOp(_KeywordFlagsSyntax, Op):
    """The contents of `buffer` as a tensor.  `restrict`: no other to_tensor of this
    buffer (or an alias) exists; `writable`: bufferization may write the buffer."""

    name = "bufferization.to_tensor"
    summary = "create a tensor from a buffer"
    operand_defs = (Operand("buffer", AnyMemRef),)
    result_defs = (Result("result", AnyTensor),)
    attribute_defs = (_unit("restrict"), _unit("writable"))
    flags = ("restrict", "writable")

    def verify(self) -> None:
        if not same_shape(self.results[0].type, self.operands[0].type):
            raise self.emit_error("failed to verify that specified tensor and buffer types match")


@bufferization.op
class ToBufferOp(_KeywordFlagsSyntax, Op):
    """A buffer holding the contents of `tensor`; `read_only`: it is never written."""

    name = "bufferization.to_buffer"
    summary = "cast a tensor to a buffer"
    operand_defs = (Operand("tensor", AnyTensor),)
    result_defs = (Result("buffer", AnyMemRef),)
    attribute_defs = (_unit("read_only"),)
    traits = frozenset({Pure})
    flags = ("read_only",)

    def verify(self) -> None:
        if not same_shape(self.operands[0].type, self.results[0].type):
            raise self.emit_error("failed to verify that specified tensor and buffer types match")


@bufferization.op
class AllocTensorOp(Op):
    """A new tensor (a new buffer once bufferized): of `copy`'s contents, or
    unspecified ones with one size per dynamic dimension."""

    name = "bufferization.alloc_tensor"
    summary = "allocate buffer for a tensor"
    operand_defs = (Operand("dynamic_sizes", Index, variadic=True), Operand("copy", AnyTensor, optional=True),
                    Operand("size_hint", Index, optional=True))
    result_defs = (Result("result", AnyTensor),)
    attribute_defs = (Attr("memory_space", optional=True),)
    format = ("`(` $dynamic_sizes `)` (`copy` `(` $copy^ `)`)? (`size_hint` `` `=` `` $size_hint^)? attr-dict "
              "`:` type($result)")

    @classmethod
    def create(cls, result_type: TensorType, dynamic_sizes=(), copy=None, location=None):
        """A fresh tensor of `result_type` (holding `copy`'s contents when given)."""
        kw = {} if location is None else {"location": location}
        return cls.build(list(dynamic_sizes), [copy] if copy is not None else [], [], result_types=[result_type], **kw)

    def verify(self) -> None:
        t = self.results[0].type
        if not t.is_ranked:
            raise self.emit_error("'result' must be ranked tensor of any type values")
        dynamic = sum(1 for d in t.shape if d == DYNAMIC)
        if self.copy is not None and self.dynamic_sizes:
            raise self.emit_error("dynamic sizes not needed when copying a tensor")
        if self.copy is None and len(self.dynamic_sizes) != dynamic:
            raise self.emit_error(f"incorrect number of dynamic sizes, has {len(self.dynamic_sizes)}, "
                                  f"expected {dynamic}")
        if self.copy is not None and self.copy.type != t:
            raise self.emit_error("expected that `copy` and return type match")


@bufferization.op
class DeallocTensorOp(Op):
    """Releases the buffer of `tensor` once bufferized (a no-op on values)."""

    name = "bufferization.dealloc_tensor"
    summary = "release underlying storage format of given tensor"
    operand_defs = (Operand("tensor", AnyTensor),)
    format = "$tensor attr-dict `:` type($tensor)"


@bufferization.op
class MaterializeInDestinationOp(Op):
    """`source` stored into `dest`: a tensor (the result is `dest` with `source`'s
    contents) or a buffer (written in place; `restrict` and `writable` then required)."""

    name = "bufferization.materialize_in_destination"
    summary = "copy a tensor"
    operand_defs = (Operand("source", AnyTensor), Operand("dest", TensorOrMemRef))
    result_defs = (Result("result", AnyTensor, variadic=True),)
    attribute_defs = (_unit("restrict"), _unit("writable"))
    syntax_rule = ('source=value_use "in" restrict=[bz_mid_restrict] writable=[bz_mid_writable] dest=value_use '
                   'attrs=[attr_dict] ":" ftype=function_type')
    syntax_subrules = {"!bz_mid_restrict": ('"restrict"', _flag), "!bz_mid_writable": ('"writable"', _flag)}

    @classmethod
    def parse_custom(cls, ctx, name_tok, source, restrict, writable, dest, attrs, ftype):
        if len(ftype.inputs) != 2:
            raise ctx.error_at(name_tok, f"expected 2 operand types, got {len(ftype.inputs)}")
        ctx.check_operand_type(source, ftype.inputs[0], name_tok)
        ctx.check_operand_type(dest, ftype.inputs[1], name_tok)
        all_attrs = dict(attrs or {})
        all_attrs.update({f: UnitAttr() for f, present in (("restrict", restrict), ("writable", writable)) if present})
        return ctx.make_op(cls.name, [source, dest], list(ftype.results), all_attrs, [], [], ctx.loc_of(name_tok))

    def print_custom(self, p) -> None:
        from ..types import FunctionType

        p.write(" ", p.name_of(self.operands[0]), " in")
        for f in ("restrict", "writable"):
            if f in self.attributes:
                p.write(" ", f)
        p.write(" ", p.name_of(self.operands[1]))
        p.print_optional_attr_dict(self, elided={"restrict", "writable"})
        ftype = FunctionType(tuple(v.type for v in self.operands), tuple(r.type for r in self.results))
        p.write(" : ", str(ftype))

    def verify(self) -> None:
        source, dest = self.operands[0].type, self.operands[1].type
        on_memref = isinstance(dest, MemRefType)
        if ("writable" in self.attributes) != on_memref:
            raise self.emit_error("'writable' must be specified if and only if the destination is of memref type")
        if "restrict" in self.attributes and not on_memref:
            raise self.emit_error("'restrict' is valid only for memref destinations")
        if not on_memref and (len(self.results) != 1 or self.results[0].type != dest):
            raise self.emit_error("'dest' and 'result' types must match when 'dest' is a tensor")
        if on_memref and self.results:
            raise self.emit_error("'result' must be empty when 'dest' is a memref")
        if source.shape != dest.shape or source.element_type != dest.element_type:
            raise self.emit_error("source/destination shapes are incompatible")


# ----------------------------------------------------------------------------
# memory effects: to_tensor reads its buffer, materialize_in_destination writes a
# buffer destination, alloc_tensor allocates; to_buffer is Pure as in MLIR

from ..effects import ALLOCATE, FREE, READ, WRITE, EffectInstance, MemoryEffects  # noqa: E402


@MemoryEffects.implement(ToTensorOp)
class _ToTensorEffects(MemoryEffects):
    """Reads the buffer's contents."""

    def effects(self, op):
        return [EffectInstance(READ, op.operands[0])]


@MemoryEffects.implement(AllocTensorOp)
class _AllocTensorEffects(MemoryEffects):
    """A fresh tensor: an allocation (unused, it is dropped)."""

    def effects(self, op):
        return [EffectInstance(ALLOCATE, op.results[0])]


@MemoryEffects.implement(DeallocTensorOp)
class _DeallocTensorEffects(MemoryEffects):
    """Frees the tensor's buffer."""

    def effects(self, op):
        return [EffectInstance(FREE, op.operands[0])]


@MemoryEffects.implement(MaterializeInDestinationOp)
class _MaterializeEffects(MemoryEffects):
    """Writes a buffer destination; a tensor destination has no effect."""

    def effects(self, op):
        return [] if op.results else [EffectInstance(WRITE, op.operands[1])]


# ----------------------------------------------------------------------------
# interpreter rules (the memory model is ir/memory.py)

from .. import memory  # noqa: E402
from ..interpreter import interpret, read_only, runtime_error  # noqa: E402


@interpret.register(ToTensorOp)
def _interpret_to_tensor(interp, op, args):
    m = args[0]
    memory.check_live(op, m)
    return [read_only(np.array(m.array, copy=True))]


@interpret.register(ToBufferOp)
def _interpret_to_buffer(interp, op, args):
    """A buffer the program does not own (never freed, not counted): a read-only view
    of the tensor when `read_only`, else a copy (a write never changes the tensor)."""
    arr = np.asarray(args[0])
    arr = read_only(arr) if "read_only" in op.attributes else np.array(arr, copy=True)
    return [memory.MemRef(arr, memory.Allocation(arr, "external", op))]


@interpret.register(AllocTensorOp)
def _interpret_alloc_tensor(interp, op, args):
    t = op.results[0].type
    if op.copy is not None:
        return [np.array(args[len(op.dynamic_sizes)], copy=True)]
    sizes = iter(args[:len(op.dynamic_sizes)])
    shape = tuple(next(sizes) if d == DYNAMIC else d for d in t.shape)
    if any(d < 0 for d in shape):
        raise runtime_error(op, f"negative dimension size in {shape}")
    dtype = numpy_dtype(t.element_type)
    return [np.full(shape, np.nan if dtype.kind == "f" else 0, dtype=dtype)]


@interpret.register(DeallocTensorOp)
def _interpret_dealloc_tensor(interp, op, args):
    return []


@interpret.register(MaterializeInDestinationOp)
def _interpret_materialize(interp, op, args):
    source, dest = args
    if op.results:
        return [np.array(source, copy=True)]
    memory.check_live(op, dest)
    if dest.allocation.read_only:
        raise runtime_error(op, "writes to a read-only buffer")
    dest.array[...] = source
    return []




# ----------------------------------------------------------------------------
# bufferization models of the dialect's own ops (--one-shot-bufferize removes them)

from ..bufferizable import Bufferizable  # noqa: E402


@Bufferizable.implement(ToTensorOp)
class _ToTensorBufferization(Bufferizable):
    """The tensor is the buffer itself; bufferization may write it only when `writable`."""

    def writable(self, op, result):
        return "writable" in op.attributes

    def bufferize(self, op, state):
        state.replace(op, [op.operands[0]])


@Bufferizable.implement(ToBufferOp)
class _ToBufferBufferization(Bufferizable):
    """The buffer is the tensor's buffer; the program may write it unless `read_only`."""

    def writes(self, op, index):
        return "read_only" not in op.attributes

    def bufferize(self, op, state):
        b = state.builder_before(op)
        state.replace(op, [state.fit(b, state.buffer(op.operands[0]), op.results[0].type)])


@Bufferizable.implement(AllocTensorOp)
class _AllocTensorBufferization(Bufferizable):
    """A new owned buffer (holding `copy`'s contents when given)."""

    def bufferize(self, op, state):
        b = state.builder_before(op)
        if op.copy is not None:
            source = state.buffer(op.copy)
            buf = state.allocate_like(b, source, op.results[0].type)
            state.copy(b, source, buf)
        else:
            buf = state.allocate(b, op.results[0].type, list(op.dynamic_sizes))
        state.replace(op, [buf])


@Bufferizable.implement(DeallocTensorOp)
class _DeallocTensorBufferization(Bufferizable):
    """Nothing to build: the pass frees every buffer it allocates after its last use."""

    def reads(self, op, index):
        return False

    def bufferize(self, op, state):
        state.replace(op, [])


@Bufferizable.implement(MaterializeInDestinationOp)
class _MaterializeBufferization(Bufferizable):
    """A copy of the source's buffer into the destination's (a tensor dest is written in place)."""

    def reads(self, op, index):
        return index == 0

    def writes(self, op, index):
        return index == 1

    def aliases(self, op, index):
        return [(op.results[0], True)] if index == 1 and op.results else []

    def bufferize(self, op, state):
        b = state.builder_before(op)
        dest = state.buffer(op.operands[1])
        state.copy(b, state.buffer(op.operands[0]), dest)
        state.replace(op, [dest] if op.results else [])
