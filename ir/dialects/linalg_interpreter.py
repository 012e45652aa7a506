"""How the interpreter runs every structured op (asked through `StructuredOp`):
the scalar body runs once on whole numpy arrays, never once per element
where that can be avoided.

1. Each operand is *gathered* over the iteration domain by its indexing map:
   a projected permutation becomes a transposed, broadcastable view (no
   copy); any other map (``d0 * 2 + d3``) a fancy-indexed gather, its indices
   bounds-checked.
2. The body runs on those arrays (arith and math rules work elementwise on
   arrays; ``linalg.index`` gives the loop's index grid).
3. Reductions: an output whose body is ``acc + e`` (or max, min, product) is
   computed by running the body with the accumulator bound to the identity and
   reducing along the reduction dims with numpy (np.add.at where the output
   map is not injective); any other body folds along the reduction dims one
   point at a time, still vectorized over the parallel dims; a body numpy
   cannot run (regions, shaped values) runs per element, in loop order.
4. Outputs: on tensors a new array (tensors are values); on memrefs the
   output buffer is written in place through `ir/memory.py`'s checks.
"""

from __future__ import annotations

from typing import List, Optional

from ..lazy_numpy import np
from ..affine import evaluate_grid, is_projected_permutation, loop_ranges
from ..attributes import AffineDim, numpy_dtype
from ..interpreter import interpret, ops_map_elementwise, read_only, runtime_error, scalar_at, to_unsigned
from ..memory import MemRef, check_live
from ..types import IndexType, IntegerType, ShapedType, TensorType, element_type
from .arith_arrays import MAX_ARRAY_WIDTH, signed, wrapped
from .linalg import REDUCTION, IndexOp, StructuredOp, StructuredOpBase, YieldOp

# the combiners of a reduction body ``yield op(acc, e)`` the whole-array path knows:
# op name -> (numpy reduction, identity for float, identity for int)
_COMBINERS = {
    "arith.addf": ("sum", 0.0, 0), "arith.addi": ("sum", 0.0, 0),
    "arith.mulf": ("prod", 1.0, 1), "arith.muli": ("prod", 1.0, 1),
    "arith.maximumf": ("max", -float("inf"), None), "arith.maxnumf": ("max", -float("inf"), None),
    "arith.minimumf": ("min", float("inf"), None), "arith.minnumf": ("min", float("inf"), None),
    "arith.maxsi": ("max", None, "min"), "arith.minsi": ("min", None, "max"),
}


def body_runs_on_arrays(block) -> bool:
    """Whether every op of the body works elementwise on whole arrays (linalg.index too: its
    value over the iteration space is an index grid)."""
    return ops_map_elementwise(block, also=(IndexOp,))


def reduction_combiner(block, k: int, n_inputs: int) -> Optional[str]:
    """The combiner name of output k when its body is ``yield op(acc_k, e)`` with the
    accumulator used nowhere else (then the op is init ⊕ reduce(e)); else None."""
    acc = block.arguments[n_inputs + k]
    yielded = block.terminator.operands[k]
    producer = yielded.defining_op
    if producer is None or producer.op_name not in _COMBINERS or len(producer.operands) != 2:
        return None
    if acc not in producer.operands or len(list(acc.uses)) != 1:
        return None
    if producer.operands[0] is acc and producer.operands[1] is acc:
        return None
    return producer.op_name


def _identity(name: str, dtype, width: int):
    """The combiner's identity as a runtime value of an element of `width` bits held in
    `dtype` (the width's own signed bounds for maxsi/minsi: i3 lives in int8)."""
    kind, f_id, i_id = _COMBINERS[name]
    if dtype.kind == "f":
        return dtype.type(f_id)
    if i_id in ("min", "max"):
        i_id = -(1 << (width - 1)) if i_id == "min" else (1 << (width - 1)) - 1
    return wrapped(np.int64(i_id), width, dtype)[()]


def _integer_width(t) -> Optional[int]:
    """The width of an integer or index element type that whole-array rules handle, else None."""
    e = element_type(t)
    if isinstance(e, IndexType):
        return 64
    if isinstance(e, IntegerType) and e.width <= MAX_ARRAY_WIDTH:
        return e.width
    return None


class StructuredEvaluation:
    """One run of one structured op on its runtime operands."""

    def __init__(self, interp, op, args):
        self.interp, self.op = interp, op
        s = self.s = StructuredOp.of(op)
        self.n_in = len(s.inputs())
        self.maps = s.indexing_maps()
        self.iterators = s.iterator_types()
        self.block = s.body()
        self.operand_types = [v.type for v in s.operands()]
        self.values = []
        for v, t in zip(args, self.operand_types):
            if isinstance(v, MemRef):
                check_live(op, v)
                self.values.append(v)
            elif isinstance(t, ShapedType):
                self.values.append(np.asarray(v))
            else:
                self.values.append(v)
        self.arrays = [v.array if isinstance(v, MemRef) else v for v in self.values]
        self.domain = self._loop_ranges()
        self.grids = np.ogrid[tuple(slice(0, n) for n in self.domain)] if self.domain else []

    # -- the iteration domain ------------------------------------------------------------
    def _loop_ranges(self) -> List[int]:
        shapes = [np.shape(a) if isinstance(t, ShapedType) else () for a, t in zip(self.arrays, self.operand_types)]
        ranges = loop_ranges(self.maps, shapes)
        for d, r in enumerate(ranges):
            if r < 0:
                raise runtime_error(self.op, f"cannot infer the size of loop d{d} from the operands' shapes")
        for k, (m, shape) in enumerate(zip(self.maps, shapes)):
            for j, (e, size) in enumerate(zip(m.results, shape)):
                if isinstance(e, AffineDim) and size != ranges[e.position]:
                    raise runtime_error(self.op, f"operand #{k} has size {size} in dimension {j}, but loop "
                                                 f"d{e.position} runs {ranges[e.position]} times")
        return ranges

    def broadcast_shape(self, dims) -> tuple:
        return tuple(n if d in dims else 1 for d, n in enumerate(self.domain))

    def gather(self, k: int):
        """Operand k over the domain: a broadcastable view (projected permutations) or a gathered copy."""
        arr, m = self.arrays[k], self.maps[k]
        if not isinstance(self.operand_types[k], ShapedType):
            return arr
        if is_projected_permutation(m):
            positions = [e.position for e in m.results]
            order = sorted(range(len(positions)), key=lambda j: positions[j])
            view = np.transpose(arr, order) if order != list(range(len(order))) else arr
            return view.reshape(self.broadcast_shape(set(positions)))
        return arr[self.indices(k)]

    def indices(self, k: int) -> tuple:
        """The index arrays of operand k over the domain, bounds-checked."""
        shape = np.shape(self.arrays[k])
        idx = evaluate_grid(self.maps[k], self.grids)
        out = []
        for j, (i, n) in enumerate(zip(idx, shape)):
            i = np.asarray(i)
            if i.size and (i.min() < 0 or i.max() >= n):
                raise runtime_error(self.op, f"indexing map #{k} reaches index {int(i.max()) if i.max() >= n else int(i.min())} "
                                             f"in dimension {j} of operand #{k}, whose size is {n}")
            out.append(np.broadcast_to(i, self.domain) if i.ndim else np.full(self.domain, int(i)))
        return tuple(out)

    # -- running the body ----------------------------------------------------------------
    def run_body(self, operands, index_values):
        """The body's yielded values with `operands` bound to its arguments."""
        stack = getattr(self.interp, "linalg_index_stack", None)
        if stack is None:
            stack = self.interp.linalg_index_stack = []
        stack.append(index_values)
        try:
            return self.interp.run_region(self.op.regions[0], list(operands))
        finally:
            stack.pop()

    def run(self) -> List:
        outputs = list(range(self.n_in, len(self.arrays)))
        dtypes = [numpy_dtype(element_type(self.operand_types[k])) for k in outputs]
        if not body_runs_on_arrays(self.block) or 0 in self.domain:
            results = self._per_element(outputs, dtypes) if 0 not in self.domain else None
        else:
            results = self._on_arrays(outputs, dtypes)
        return self._write_back(outputs, results)

    def _on_arrays(self, outputs, dtypes):
        reductions = [d for d, t in enumerate(self.iterators) if t == REDUCTION]
        injective = [is_projected_permutation(self.maps[k]) for k in outputs]
        needs_combine = bool(reductions) or not all(injective)
        # arrays the body sees all have the domain's shape (broadcast views: no copies), as
        # the elementwise rules of arith and math expect operands of one shape
        gathered = [self._spread(self.gather(k), self.domain) for k in range(self.n_in)]
        grids = [self._spread(g, self.domain) for g in self.grids]
        if not needs_combine:
            outs = [self._spread(self.gather(k), self.domain) for k in outputs]
            values = self.run_body(gathered + outs, grids)
            return [("set", self._full(v, dt)) for v, dt in zip(values, dtypes)]
        combiners = [reduction_combiner(self.block, j, self.n_in) for j in range(len(outputs))]
        if all(combiners):
            accs = [_identity(c, dt, _integer_width(self.operand_types[k]) or 64)
                    for c, dt, k in zip(combiners, dtypes, outputs)]
            values = self.run_body(gathered + accs, grids)
            return [("combine", c, self._full(v, dt)) for c, v, dt in zip(combiners, values, dtypes)]
        if not all(injective):
            return self._per_element(outputs, dtypes)
        return self._fold_reductions([self.gather(k) for k in range(self.n_in)], outputs, dtypes, reductions)

    @staticmethod
    def _spread(v, shape):
        return np.broadcast_to(v, shape) if isinstance(v, np.ndarray) else v

    def _full(self, v, dtype):
        return np.broadcast_to(np.asarray(v).astype(dtype, copy=False), self.domain)

    def _fold_reductions(self, gathered, outputs, dtypes, reductions):
        """A general reduction body, folded along the reduction dims one point at a time."""
        red_sizes = [self.domain[d] for d in reductions]
        step_shape = self.broadcast_shape({d for d in range(len(self.domain)) if d not in reductions})
        accs = [np.array(np.broadcast_to(self.gather(k), step_shape), dtype=dt) for k, dt in zip(outputs, dtypes)]
        for point in np.ndindex(*red_sizes):
            at = [slice(None)] * len(self.domain)
            grids = [g if d in reductions else self._spread(g, step_shape) for d, g in enumerate(self.grids)]
            for d, i in zip(reductions, point):
                at[d] = slice(i, i + 1)
                grids[d] = i
            ins = [self._spread(g[tuple(slice(None) if g.shape[d] == 1 else a for d, a in enumerate(at))], step_shape)
                   if isinstance(g, np.ndarray) and g.ndim else g for g in gathered]
            values = self.run_body(ins + accs, grids)
            accs = [np.broadcast_to(np.asarray(v).astype(dt, copy=False), a.shape) for v, dt, a in zip(values, dtypes, accs)]
        return [("reduced", a) for a in accs]

    def _per_element(self, outputs, dtypes):
        """Any body, once per point in loop order, reading and writing the outputs as loops do."""
        targets = [np.array(self.arrays[k], copy=True) for k in outputs]
        types = [a.type for a in self.block.arguments]
        yielded = [v.type for v in self.block.terminator.operands]
        for point in np.ndindex(*self.domain):
            args = []
            for k, t in enumerate(types):
                arr = self.arrays[k] if k < self.n_in else targets[k - self.n_in]
                if isinstance(self.operand_types[k], ShapedType):
                    at = self._point_index(k, point, np.shape(arr))
                    args.append(scalar_at(arr, at, t))
                else:
                    args.append(scalar_at(arr, (), t))
            for j, (v, t) in enumerate(zip(self.run_body(args, list(point)), yielded)):
                out = targets[j]
                at = self._point_index(outputs[j], point, out.shape)
                out[at] = to_unsigned(v, t) if out.dtype.kind == "u" else v
        return [("final", t) for t in targets]

    def _point_index(self, k, point, shape) -> tuple:
        from ..affine import evaluate

        at = evaluate(self.maps[k], point)
        for j, (i, n) in enumerate(zip(at, shape)):
            if not 0 <= i < n:
                raise runtime_error(self.op, f"indexing map #{k} reaches index {i} in dimension {j} of operand "
                                             f"#{k}, whose size is {n}")
        return at

    # -- writing the outputs -----------------------------------------------------------------
    def _write_back(self, outputs, results) -> List:
        new_tensors = []
        for j, k in enumerate(outputs):
            value = self.values[k]
            is_buffer = isinstance(value, MemRef)
            target = value.array if is_buffer else np.array(self.arrays[k], copy=True)
            if is_buffer and value.allocation.read_only and results is not None:
                from ..memory import writable_index

                writable_index(self.op, value, [0] * target.ndim)
            if results is not None:
                self._store(target, k, results[j])
            if isinstance(self.operand_types[k], TensorType):
                new_tensors.append(read_only(target))
        return new_tensors

    def _store(self, target, k, result) -> None:
        kind, data = result[0], result[-1]
        m = self.maps[k]
        if kind == "final":
            target[...] = data
            return
        if kind == "combine":
            name = result[1]
            how = _COMBINERS[name][0]
            width = _integer_width(self.operand_types[k]) if target.dtype.kind in "iub" else None
            # integers combine in 64-bit two's complement (their signed views), wrapped back to
            # their width after: addi/muli modulo 2^w, maxsi/minsi signed (i1 true is -1)
            into = target if width is None else signed(target, width).copy()
            data = data if width is None else signed(data, width)
            if is_projected_permutation(m):
                kept = {e.position for e in m.results}
                axes = tuple(d for d in range(len(self.domain)) if d not in kept)
                reduced = getattr(np, how)(data, axis=axes, keepdims=True) if axes else data
                into[...] = _combine(how, into, self._to_output_layout(reduced, m)).astype(into.dtype)
            else:
                ufunc = {"sum": np.add, "prod": np.multiply, "max": np.maximum, "min": np.minimum}[how]
                ufunc.at(into, self.indices(k), data)
            if width is not None:
                target[...] = wrapped(into, width, target.dtype)
            return
        if kind == "reduced":
            target[...] = self._to_output_layout(np.asarray(data), m)
            return
        if is_projected_permutation(m):  # "set": the last write of a point wins, as in loops
            target[...] = self._to_output_layout(data, m)
        else:
            target[self.indices(k)] = data

    def _to_output_layout(self, data, m):
        """Domain-shaped `data` as the output's array: dims the map drops take their last point."""
        positions = [e.position for e in m.results]
        data = np.asarray(data)
        data = np.broadcast_to(data.reshape(data.shape + (1,) * (len(self.domain) - data.ndim)),
                               tuple(n if d in positions else data.shape[d] if d < data.ndim else 1
                                     for d, n in enumerate(self.domain)))
        at = tuple(slice(None) if d in positions else -1 for d in range(len(self.domain)))
        data = data[at]
        kept = sorted(positions)
        return np.transpose(data, [kept.index(p) for p in positions]) if positions else data


def _combine(how: str, a, b):
    return {"sum": np.add, "prod": np.multiply, "max": np.maximum, "min": np.minimum}[how](a, b)


@interpret.register(StructuredOpBase)
def _interpret_structured(interp, op, args):
    return StructuredEvaluation(interp, op, args).run()


@interpret.register(IndexOp)
def _interpret_index(interp, op, args):
    stack = getattr(interp, "linalg_index_stack", None)
    if not stack:
        raise runtime_error(op, "runs outside a structured op")
    v = stack[-1][op.dim]
    return [v if isinstance(v, np.ndarray) else int(v)]


@interpret.register(YieldOp)
def _interpret_yield(interp, op, args):
    from ..interpreter import Yield

    return Yield(args, op)
