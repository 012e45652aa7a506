"""numpy arrays at the JIT's boundary: memref arguments in, memref results out.

A memref crosses as MLIR's descriptor (``{allocated, aligned, offset,
sizes[rank], strides[rank]}``, sizes and strides in elements), by pointer.

- **Arguments**: an array is checked as the interpreter checks it (dtype,
  rank, static sizes, strides that fit the layout; a read-only array is
  refused, since compiled code may write) and passed without a copy, so the
  caller sees writes through an out-parameter.  A strided view (``a[::2]``,
  a transposed array) passes through its strides where the memref's layout
  has dynamic strides and is refused, saying so, where the layout fixes
  them.
- **Results**: the array the caller gets owns what the compiled code
  allocated: its buffer is freed (C ``free``) when numpy drops the last
  array using it.  A result that views an argument's buffer (the function
  returned its argument or a subview of it) is a view of that argument's
  array; a result in a ``memref.global`` (MLIR's lowering marks its
  allocated pointer 0xdeadbeef) is copied, since the module's constant must
  not be written; results sharing one buffer share one owner.
"""

from __future__ import annotations

import ctypes
import ctypes.util
from typing import Dict, List, Sequence

import numpy as np

from irc.attributes import numpy_dtype
from irc.types import DYNAMIC, MemRefType

from .memref import GLOBAL_SENTINEL

_descriptor_types: Dict[int, type] = {}


def descriptor_struct(rank: int) -> type:
    """The ctypes structure of MLIR's descriptor of a rank-`rank` memref."""
    s = _descriptor_types.get(rank)
    if s is None:
        fields = [("allocated", ctypes.c_void_p), ("aligned", ctypes.c_void_p), ("offset", ctypes.c_int64)]
        if rank:
            fields += [("sizes", ctypes.c_int64 * rank), ("strides", ctypes.c_int64 * rank)]
        s = _descriptor_types[rank] = type(f"MemRefDescriptor{rank}D", (ctypes.Structure,), {"_fields_": fields})
    return s


def argument_converter(t: MemRefType, what: str):
    """A function checking one numpy array for memref type `t` and returning a pointer to
    its descriptor (which keeps the array alive for the call)."""
    from irc.dialects.memref import strides_and_offset
    from irc.memory import Memory, MemRefArgumentError

    rank = len(t.shape)
    descriptor = descriptor_struct(rank)
    layout = strides_and_offset(t)
    static_offset = layout[1] if layout is not None and layout[1] >= 0 else 0
    # a dynamic offset is counted from the lowest address the array spans (its buffer's base:
    # a reversed view a[::-1] starts at its highest), as the interpreter counts it
    dynamic_offset = layout is not None and layout[1] == DYNAMIC
    dtype = numpy_dtype(t.element_type)
    # a fully static type accepts exactly one (shape, strides): checked by one comparison, the
    # full checks (and their messages) only for anything else (they cost a call's worth of time)
    exact = None
    if layout is not None and DYNAMIC not in t.shape and DYNAMIC not in layout[0] \
            and not (dynamic_offset and any(s < 0 for s in layout[0])):
        exact = (tuple(t.shape), tuple(s * dtype.itemsize for s in layout[0]))

    fields = ()
    if exact is not None and rank:
        fields = ((ctypes.c_int64 * rank)(*exact[0]), (ctypes.c_int64 * rank)(*layout[0]))
    offset_bytes = static_offset * dtype.itemsize

    def convert(v):
        if exact is not None and type(v) is np.ndarray and v.dtype == dtype and (v.shape, v.strides) == exact \
                and v.dtype.isnative:
            try:  # the address through the buffer protocol: a third of __array_interface__'s time
                base = ctypes.addressof(ctypes.c_char.from_buffer(v)) - offset_bytes
            except (TypeError, ValueError):  # read-only, or empty: the full checks say what is wrong
                return convert_checked(v)
            d = descriptor(base, base, static_offset, *fields)
            pointer = ctypes.pointer(d)
            pointer._irc_array, pointer._irc_allocated = v, base
            return pointer
        return convert_checked(v)

    def convert_checked(v):
        check(v)
        d = descriptor()
        # a static offset in the layout is where the data starts from the aligned pointer, as
        # MLIR's callers pass it (the compiled code reads the offset from the descriptor)
        offset = static_offset
        if dynamic_offset:
            offset = sum((n - 1) * -s for n, s in zip(v.shape, v.strides) if s < 0 and n) // max(v.itemsize, 1)
        d.allocated = d.aligned = v.ctypes.data - offset * v.itemsize
        d.offset = offset
        strides = [s // v.itemsize if v.itemsize else 0 for s in v.strides]
        if v.size == 0:  # numpy's strides of an empty array are arbitrary (often 0); BLAS and
            strides = _canonical_strides(v.shape, layout)  # the layout want the type's own
        for k in range(rank):
            d.sizes[k] = v.shape[k]
            d.strides[k] = strides[k]
        pointer = ctypes.pointer(d)
        # the buffer lives as long as the call; results viewing it keep it
        pointer._irc_array, pointer._irc_allocated = v, d.allocated
        return pointer

    def check(v):
        try:
            Memory.wrap_argument(v, t)
        except MemRefArgumentError as e:
            raise TypeError(f"{what}: {e}") from None
        if not v.flags.writeable:
            raise TypeError(f"{what}: the array is read-only (compiled code may write to a memref); pass a copy")
        if not v.dtype.isnative:
            raise TypeError(f"{what}: the array's byte order is not the machine's; "
                            f"pass v.astype(v.dtype.newbyteorder('='))")

    return convert


def _canonical_strides(shape, layout) -> List[int]:
    """The strides a memref of `shape` has: the layout's static ones, row-major elsewhere."""
    from irc.dialects.memref import identity_strides

    static = layout[0] if layout is not None else [DYNAMIC] * len(shape)
    return [r if s == DYNAMIC else s for r, s in zip(identity_strides(shape), static)]


class ResultDescriptor:
    """How one memref result comes back: a descriptor the entry fills, read into an array."""

    def __init__(self, t: MemRefType):
        self.type = t
        self.rank = len(t.shape)
        self.struct = descriptor_struct(self.rank)
        self.dtype = numpy_dtype(t.element_type)
        # a static shape with the identity layout, not empty: its bytes as one ctypes type, so a
        # fresh buffer becomes an array without reading sizes and strides back (`_array_of`)
        self.shape = tuple(t.shape)
        self.whole = None
        if t.layout is None and DYNAMIC not in t.shape and 0 not in t.shape:
            self.whole = ctypes.c_byte * (int(np.prod(t.shape)) * self.dtype.itemsize)


class _MallocBuffer:
    """Owns a buffer the compiled code allocated with malloc: freed when the last array
    viewing it is gone."""

    __slots__ = ("address", "__weakref__")

    def __init__(self, address: int):
        self.address = address

    def __del__(self):
        if self.address:
            _libc_free(self.address)
            self.address = 0


def _libc_free(address: int) -> None:
    _free(ctypes.c_void_p(address))


_libc = ctypes.CDLL(ctypes.util.find_library("c"))
_free = _libc.free
_free.argtypes, _free.restype = [ctypes.c_void_p], None


def read_results(outs: Sequence, kinds: Sequence, arguments: Sequence) -> List:
    """The numpy arrays of the memref results among `outs` (ctypes descriptors), given the
    call's converted `arguments`: owned buffers, views of arguments, or copies of globals."""
    owners: Dict[int, object] = {}
    for arg in arguments:  # results that view an argument are views of its array
        array = getattr(arg, "_irc_array", None)
        if array is not None:
            owners.setdefault(arg._irc_allocated, array)
    values = []
    for out, kind in zip(outs, kinds):
        if not isinstance(kind, ResultDescriptor):
            values.append(out)
            continue
        values.append(_array_of(out, kind, owners))
    return values


def _array_of(d, kind: ResultDescriptor, owners: Dict[int, object]) -> np.ndarray:
    allocated = d.allocated
    if kind.whole is not None and allocated and allocated != GLOBAL_SENTINEL and allocated not in owners \
            and not d.offset:  # a fresh buffer of the identity layout, row-major from its start
        memory = kind.whole.from_address(d.aligned)
        memory._irc_owner = owners[allocated] = _MallocBuffer(allocated)
        return np.ndarray(kind.shape, kind.dtype, buffer=memory)
    shape = tuple(d.sizes[k] for k in range(kind.rank))
    strides = [d.strides[k] for k in range(kind.rank)]
    itemsize = kind.dtype.itemsize
    start = (d.aligned or 0) + d.offset * itemsize
    allocated = d.allocated or 0
    if 0 in shape:
        if allocated and allocated not in owners and allocated != GLOBAL_SENTINEL:
            owners[allocated] = _MallocBuffer(allocated)  # nothing to read; still freed once
        return np.empty(shape, kind.dtype)
    low = sum(s * (n - 1) for s, n in zip(strides, shape) if s < 0)
    high = sum(s * (n - 1) for s, n in zip(strides, shape) if s > 0)
    memory = (ctypes.c_byte * ((high - low + 1) * itemsize)).from_address(start + low * itemsize)
    array = np.ndarray(shape, kind.dtype, buffer=memory, offset=-low * itemsize,
                       strides=[s * itemsize for s in strides])
    if allocated == GLOBAL_SENTINEL:
        return array.copy()  # a memref.global: the module's storage, never the caller's
    owner = owners.get(allocated)
    if owner is None:
        owner = owners[allocated] = _MallocBuffer(allocated)
    memory._irc_owner = owner  # the array keeps `memory`, which keeps the owner (or the argument)
    return array
