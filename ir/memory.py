"""The interpreter's memory: allocations, memref views, and their checks.

A memref at run time is a `MemRef`: a numpy array that is a *view* (never a
copy) over an `Allocation`.  Casts (and, with the arrays issue, subviews and
reshapes) make new views of the same allocation.  An allocation knows who
made it and whether it is still live, so every access can be checked:

- loads and stores are bounds-checked (numpy would wrap negative indices
  and raise a bare IndexError); a violation is a runtime error naming the
  op, the index and the shape;
- a use after free and a double free are runtime errors pointing at where
  the buffer was allocated and freed;
- ``memref.alloca`` buffers are freed when control leaves the region of the
  nearest op with AutomaticAllocationScope (a function body, a loop
  iteration), as MLIR says;
- `Memory` counts allocations and frees, so a test can say "nothing
  leaked": ``interp.memory.live_allocations == []``.

Arrays a caller passes for memref arguments are wrapped without a copy
(``external`` allocations: the program may read and write them, never free
them), so writes through an out-parameter are seen by the caller.  A dtype,
rank, shape or stride mismatch is an error, never a silent copy.

Fresh ``memref.alloc``/``alloca`` buffers hold NaN (floats) or zero
(integers): MLIR leaves them undefined, and NaN makes a read of memory never
written visible in the results.
"""

from __future__ import annotations

from typing import Iterable, List, Optional, Sequence

from .lazy_numpy import np
from .attributes import numpy_dtype
from .types import DYNAMIC, MemRefType


class MemRefArgumentError(ValueError):
    """An array that cannot be passed as a memref argument as it is (wrong
    dtype, rank, shape or strides): the interpreter reports it at the function."""


class Allocation:
    """One buffer: its flat storage, who made it and whether it is live.

    `kind` is ``"heap"`` (``memref.alloc``: freed by ``memref.dealloc``),
    ``"stack"`` (``memref.alloca``: freed when its scope ends),
    ``"external"`` (an array passed in by the caller: never freed here) or
    ``"global"`` (a ``memref.global``'s buffer: lives as long as the interpreter).
    """

    __slots__ = ("storage", "kind", "op", "live", "freed_by", "read_only")

    def __init__(self, storage: np.ndarray, kind: str, op=None):
        self.storage = storage
        self.kind = kind
        self.op = op
        self.live = True
        self.freed_by = None  # the op that freed it (dealloc, or the alloca when its scope ended)
        self.read_only = not storage.flags.writeable

    def __repr__(self) -> str:
        where = f" at {self.op.location}" if self.op is not None else ""
        state = "live" if self.live else "freed"
        return f"<{self.kind} allocation of {self.storage.size} x {self.storage.dtype}{where}, {state}>"


class MemRef:
    """A memref value at run time: a numpy view `array` over `allocation`."""

    __slots__ = ("array", "allocation")

    def __init__(self, array: np.ndarray, allocation: Allocation):
        self.array = array
        self.allocation = allocation

    def view(self, array: Optional[np.ndarray] = None) -> "MemRef":
        """Another view of the same allocation (casts, subviews)."""
        return MemRef(self.array if array is None else array, self.allocation)

    @property
    def shape(self):
        return self.array.shape

    @property
    def offset(self) -> int:
        """Elements from the allocation's base to the view's first element (the
        descriptor's offset)."""
        start = self.allocation.storage.__array_interface__["data"][0]
        here = self.array.__array_interface__["data"][0]
        return (here - start) // max(self.array.itemsize, 1)

    @property
    def strides(self) -> List[int]:
        """The view's strides in elements."""
        return _element_strides(self.array)

    def __repr__(self) -> str:
        return f"<memref {self.array.shape} {self.array.dtype} over {self.allocation!r}>"


def _fill_value(dtype: np.dtype):
    return np.nan if dtype.kind == "f" else 0


def _element_strides(array: np.ndarray) -> List[int]:
    return [s // array.itemsize for s in array.strides]


class Memory:
    """The interpreter's heap and stack: allocates, frees, checks and counts."""

    def __init__(self):
        self.allocations = 0  # memref.alloc and memref.alloca executed
        self.frees = 0  # buffers freed (dealloc, or an alloca's scope ending)
        self._heap: dict = {}  # id -> live heap Allocation, in allocation order
        self._globals: dict = {}  # the memref.global op -> its buffer, made on first use
        self._scopes: List[List[Allocation]] = []

    # -- counters ------------------------------------------------------------------
    @property
    def live_allocations(self) -> List[Allocation]:
        """Heap buffers allocated and not yet freed (a leak if the program is done)."""
        return list(self._heap.values())

    def leaks(self, returned: Iterable = ()) -> List[Allocation]:
        """Live heap buffers, except those reachable from `returned` values
        (a function that returns a buffer hands it to its caller)."""
        kept = [v.array if isinstance(v, MemRef) else v for v in returned]
        kept = [a for a in kept if isinstance(a, np.ndarray)]
        return [a for a in self._heap.values() if not any(_views(k, a.storage) for k in kept)]

    # -- allocation ----------------------------------------------------------------
    def allocate(self, op, memref_type: MemRefType, sizes: Sequence[int], strides=None, offset: int = 0,
                 kind: str = "heap") -> MemRef:
        """A fresh buffer of `memref_type` with the given `sizes` (all dims);
        `strides`/`offset` (in elements) lay it out when the layout is not
        the identity."""
        dtype = numpy_dtype(memref_type.element_type)
        fill = _fill_value(dtype)
        if strides is None:
            storage = np.full(tuple(sizes), fill, dtype=dtype)
            array = storage
        else:
            extent = offset + 1 + sum((n - 1) * s for n, s in zip(sizes, strides)) if all(sizes) else offset + 1
            storage = np.full(extent, fill, dtype=dtype)
            array = np.lib.stride_tricks.as_strided(storage[offset:], shape=tuple(sizes),
                                                    strides=tuple(s * dtype.itemsize for s in strides))
        allocation = Allocation(storage, kind, op)
        self.allocations += 1
        if kind == "heap":
            self._heap[id(allocation)] = allocation
        elif kind == "stack":
            if not self._scopes:
                raise _violation(op, "runs outside any allocation scope")
            self._scopes[-1].append(allocation)
        return MemRef(array, allocation)

    def global_buffer(self, global_op, memref_type: MemRefType, initial=None, read_only: bool = False) -> MemRef:
        """The buffer of `global_op` (a ``memref.global``): made once, on first use, from
        `initial` (an array) or NaN/0, and read-only for a constant global."""
        m = self._globals.get(global_op)
        if m is None:
            dtype = numpy_dtype(memref_type.element_type)
            if initial is not None:
                storage = np.array(initial, dtype=dtype, copy=True)
            else:
                storage = np.full(tuple(memref_type.shape), _fill_value(dtype), dtype=dtype)
            if read_only:
                storage.setflags(write=False)
            m = self._globals[global_op] = MemRef(storage, Allocation(storage, "global", global_op))
        return m.view()

    def free(self, op, memref: MemRef) -> None:
        """`memref.dealloc`: frees a heap buffer exactly once."""
        a = memref.allocation
        if not a.live:
            raise _violation(op, "frees memory that was already freed", a)
        if a.kind == "external":
            raise _violation(op, "frees a buffer it does not own (an array passed in by the caller)", a)
        if a.kind == "stack":
            raise _violation(op, "frees a buffer made by 'memref.alloca' (it is freed when its scope ends)", a)
        if a.kind == "global":
            raise _violation(op, "frees the buffer of a 'memref.global'", a)
        self._release(a, op)
        del self._heap[id(a)]

    def _release(self, a: Allocation, by) -> None:
        a.live = False
        a.freed_by = by
        self.frees += 1

    def push_scope(self) -> None:
        """Control enters a region of an op with AutomaticAllocationScope."""
        self._scopes.append([])

    def pop_scope(self) -> None:
        """Control leaves that region: its `memref.alloca` buffers are freed."""
        for a in self._scopes.pop():
            self._release(a, a.op)

    # -- arguments -----------------------------------------------------------------
    @staticmethod
    def wrap_argument(value, t: MemRefType) -> MemRef:
        """A caller's numpy array as a memref of type `t`, without a copy;
        raises MemRefArgumentError when the array cannot be that memref as it is."""
        if isinstance(value, MemRef):
            return value
        if not isinstance(value, np.ndarray):
            raise MemRefArgumentError(f"expected a numpy array for {t} (memrefs are passed by reference, without a copy), "
                               f"got {type(value).__name__}")
        dtype = numpy_dtype(t.element_type)
        if value.dtype != dtype:
            raise MemRefArgumentError(f"expected an array of {dtype} for {t}, got {value.dtype} "
                               f"(memrefs are passed without a copy; convert it first)")
        if t.shape is not None:
            if value.ndim != len(t.shape):
                raise MemRefArgumentError(f"expected an array of rank {len(t.shape)} for {t}, got rank {value.ndim}")
            for d, (want, got) in enumerate(zip(t.shape, value.shape)):
                if want != DYNAMIC and want != got:
                    raise MemRefArgumentError(f"expected size {want} in dimension {d} for {t}, got an array of shape "
                                       f"{'x'.join(map(str, value.shape)) or 'scalar'}")
            check_layout(value, t)
        return MemRef(value, Allocation(_forward_storage(value), "external"))


def _forward_storage(array: np.ndarray) -> np.ndarray:
    """The memory `array` spans, as a 1-d view from its lowest address forward (an
    allocation's base: a view with negative strides, ``a[::-1]``, starts at its highest
    address, and views of its allocation are measured from the base)."""
    if array.size == 0 or all(s >= 0 for s in array.strides):
        return array
    lowest = array[tuple(slice(n - 1, n) if s < 0 else slice(0, 1) for n, s in zip(array.shape, array.strides))]
    extent = 1 + sum((n - 1) * abs(s) for n, s in zip(array.shape, _element_strides(array)))
    return np.lib.stride_tricks.as_strided(lowest, shape=(extent,), strides=(array.itemsize,),
                                           writeable=array.flags.writeable)


def check_layout(array: np.ndarray, t: MemRefType) -> None:
    """Raise MemRefArgumentError unless `array`'s strides fit `t`'s layout (a static offset
    is the caller's to keep, as for the compiled code)."""
    from .dialects.memref import strides_and_offset

    layout = strides_and_offset(t)
    if layout is None or array.size == 0:  # an empty array addresses no element: any strides do
        return
    want, _offset = layout
    if array.itemsize and any(s % array.itemsize for s in array.strides):
        raise MemRefArgumentError(f"the array's strides {array.strides} are not a multiple of its element size")
    got = _element_strides(array)
    for d, (w, g, n) in enumerate(zip(want, got, array.shape)):
        if n > 1 and w != DYNAMIC and w != g:
            hint = ("a row-major contiguous array (np.ascontiguousarray)" if t.layout is None
                    else f"stride {w} in dimension {d}")
            raise MemRefArgumentError(f"expected {hint} for {t}, got strides {got} (in elements)")


# ----------------------------------------------------------------------------
# checks used by the op rules


def _violation(op, message: str, allocation: Optional[Allocation] = None):
    """A runtime error at `op`, with notes saying where the buffer came from and went."""
    from .interpreter import InterpreterError
    from .diagnostics import error

    notes = []
    if allocation is not None and allocation.op is not None:
        notes.append(("allocated here", allocation.op.location))
    if allocation is not None and allocation.freed_by is not None:
        by = allocation.freed_by
        what = "freed here" if by is not allocation.op else "freed when the scope of this 'memref.alloca' ended"
        notes.append((what, by.location))
    d = error(f"'{op.op_name}' op {message}", op.location, notes).diagnostics
    return InterpreterError(d)


def check_live(op, memref: MemRef) -> None:
    """Raise a located error when `memref`'s buffer was freed."""
    if not memref.allocation.live:
        raise _violation(op, "uses memory that was already freed", memref.allocation)


def element_index(op, memref: MemRef, indices: Sequence[int]) -> tuple:
    """`indices` checked against the view's shape (and the buffer's life)."""
    a = memref.allocation
    if not a.live:
        raise _violation(op, "uses memory that was already freed", a)
    shape = memref.array.shape
    for d, (i, n) in enumerate(zip(indices, shape)):
        if not 0 <= i < n:
            raise _violation(
                op,
                f"index [{', '.join(map(str, indices))}] is out of bounds for a memref of shape "
                f"{'x'.join(map(str, shape))} (dimension {d} has size {n})",
            )
    return tuple(indices)


def writable_index(op, memref: MemRef, indices: Sequence[int]) -> tuple:
    """`element_index`, and the buffer may be written (not a caller's read-only array)."""
    idx = element_index(op, memref, indices)
    check_writable(op, memref)
    return idx


def strided_view(op, memref: MemRef, offset: int, sizes: Sequence[int], strides: Sequence[int]) -> MemRef:
    """A view of `memref`'s allocation at `offset` elements from its base, with `sizes`
    and `strides` in elements (``reinterpret_cast``, ``subview``), checked to lie
    inside the allocation: a located error otherwise, never a stray read."""
    check_live(op, memref)
    a = memref.allocation
    for d, n in enumerate(sizes):
        if n < 0:
            raise _violation(op, f"makes a view with negative size {n} in dimension {d}")
    extent = _extent(a.storage)
    if all(sizes):
        low = offset + sum(min(0, (n - 1) * s) for n, s in zip(sizes, strides))
        high = offset + sum(max(0, (n - 1) * s) for n, s in zip(sizes, strides))
        if low < 0 or high >= extent:
            raise _violation(
                op, f"makes a view (offset {offset}, sizes [{', '.join(map(str, sizes))}], strides "
                    f"[{', '.join(map(str, strides))}]) reaching elements {low} to {high} of a buffer of "
                    f"{extent} elements", a)
    elif not 0 <= offset <= extent:
        raise _violation(op, f"makes a view at offset {offset} outside its buffer of {extent} elements", a)
    itemsize = a.storage.itemsize
    flat = np.lib.stride_tricks.as_strided(a.storage, shape=(extent,), strides=(itemsize,))
    return memref.view(np.lib.stride_tricks.as_strided(flat[offset:], shape=tuple(sizes),
                                                       strides=tuple(s * itemsize for s in strides)))


def _extent(storage: np.ndarray) -> int:
    """Elements of `storage`'s memory from its first element to its last (its base
    is its first element: allocations are laid out forward from their base)."""
    if storage.size == 0:
        return 0
    return 1 + sum((n - 1) * s for n, s in zip(storage.shape, _element_strides(storage)) if s > 0)


def check_writable(op, memref: MemRef) -> None:
    """Raise a located error when `memref`'s buffer is read-only (a caller's read-only
    array, a constant global)."""
    a = memref.allocation
    if a.read_only:
        what = "a constant 'memref.global'" if a.kind == "global" else "a read-only array passed by the caller"
        raise _violation(op, f"writes to {what}", a)


def leak_error(leaks: Sequence[Allocation]):
    """One located error per leaked buffer (for ``irc run --check-leaks``), or None."""
    from .diagnostics import error
    from .interpreter import InterpreterError

    diagnostics = []
    for a in leaks:
        where = a.op.location if a.op is not None else None
        name = a.op.op_name if a.op is not None else "memref.alloc"
        diagnostics += error(f"'{name}' op allocates a buffer that is never freed", where).diagnostics
    return InterpreterError(diagnostics) if diagnostics else None


def _views(array: np.ndarray, storage: np.ndarray) -> bool:
    """`array` may be (a view of) `storage`: shared memory, or for an empty view (which
    shares no bytes) `storage` on its chain of bases."""
    if np.may_share_memory(storage, array):
        return True
    while array is not None:
        if array is storage:
            return True
        array = array.base
    return False
