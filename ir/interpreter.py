"""The reference interpreter: runs IR of any registered dialect, at any
stage, without LLVM.  It is the ground truth AD and the backends are tested
against.

Per-op behaviour comes from the `interpret` interface, registered in each
dialect's file::

    @interpret.register(AddFOp)
    def _(interp, op, args):
        return [args[0] + args[1]]

A rule gets the evaluated operands and returns the list of result values;
terminators return `Yield(values)` (func.return, scf.yield ...) or
`Branch(block, args)`.  Ops with regions call `interp.run_region(...)`.

Runtime values (exact MLIR semantics):
- integers and index: Python ``int`` in the two's-complement *signed* range
  of their width (``wrap(v, type)``), i1 as 0 or 1; unsigned ops reinterpret
  with ``to_unsigned``;
- floats: numpy scalars of the type's precision (np.float64, np.float32,
  np.float16; bf16 is held in np.float32 rounded to bf16), so f32 stays f32;
- tensors and vectors: numpy arrays of that dtype.  Tensors are values: an
  array that may be shared (an argument, a constant) is a read-only view, so
  no rule can change it in place, and the caller never sees its arrays change;
- memrefs: `irc.memory.MemRef` views over allocations that `interp.memory`
  tracks (bounds, use after free, double free, leak counts; see ir/memory.py).
  A caller's numpy array passed for a memref argument is used without a copy.

Structured ops (linalg in the arrays issue) evaluate their scalar body on
whole arrays with `Interpreter.map_region` (see its docstring).
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Sequence


from .lazy_numpy import np
from .attributes import numpy_dtype, round_to_float_type
from .core import Block, Operation, Region
from .deep_stack import on_deep_stack, run_with_deep_stack
from .diagnostics import DiagnosticError, error
from .functions import CallLike, FunctionLike, resolve_callee
from .interfaces import rule_interface
from .traits import ReturnLike, Terminator
from .memory import MemRef, Memory
from .traits import AutomaticAllocationScope, ConstantLike, ElementwiseMappable, ReturnLike
from .types import FloatType, IndexType, IntegerType, MemRefType, ShapedType, TensorType, Type, element_type

interpret = rule_interface("interpret", "fn(interp, op, args) -> list of result values, Yield or Branch")


class Yield:
    """Returned by a terminator's rule: control leaves the region with `values`."""

    __slots__ = ("values", "op")

    def __init__(self, values, op=None):
        self.values = list(values)
        self.op = op


class Branch:
    """Returned by a branching terminator: continue at `block` with `args`."""

    __slots__ = ("block", "args")

    def __init__(self, block: Block, args):
        self.block = block
        self.args = list(args)


class InterpreterError(DiagnosticError):
    """A runtime error (division by zero, out-of-bounds, missing rule) located at its op."""


def runtime_error(op: Operation, message: str) -> InterpreterError:
    d = error(f"'{op.op_name}' op {message}", op.location).diagnostics
    return InterpreterError(d)


# ----------------------------------------------------------------------------
# value helpers shared by the dialect rules


def int_width(t: Type) -> int:
    t = element_type(t)
    return 64 if isinstance(t, IndexType) else t.width


def wrap(v: int, t: Type) -> int:
    """`v` reduced to the signed range of integer type `t` (i1: 0/1)."""
    w = int_width(t)
    if w == 1:
        return int(v) & 1
    m = 1 << w
    v = int(v) & (m - 1)
    return v - m if v >= (m >> 1) else v


def to_unsigned(v: int, t: Type) -> int:
    w = int_width(t)
    return int(v) & ((1 << w) - 1)


def to_signed(v: int, t: Type) -> int:
    """Signed view (i1 true is -1 here, as in MLIR's signed comparisons)."""
    w = int_width(t)
    v = int(v) & ((1 << w) - 1)
    return v - (1 << w) if v >> (w - 1) else v


def make_float(v, t: Type):
    """A numpy scalar of float type `t` holding `v` (rounded to `t`)."""
    t = element_type(t)
    if t.name == "bf16":
        return np.float32(round_to_float_type(float(v), t))
    return numpy_dtype(t).type(v)


def read_only(arr: np.ndarray) -> np.ndarray:
    """A read-only view of `arr` (no copy): how a shared tensor value travels."""
    if not arr.flags.writeable:
        return arr
    view = arr.view()
    view.flags.writeable = False
    return view


def coerce(v, t: Type):
    """Convert a Python/numpy value given by a user to the runtime form of type `t`.

    Memref arguments are wrapped without a copy (a mismatch is a ValueError,
    never a silent copy); tensor arguments become read-only views."""
    if isinstance(t, MemRefType):
        return Memory.wrap_argument(v, t)
    if isinstance(t, ShapedType):
        arr = np.asarray(v, dtype=numpy_dtype(t.element_type))
        if t.shape is not None and t.has_static_shape and arr.shape != tuple(t.shape):
            raise ValueError(f"expected an array of shape {tuple(t.shape)} for {t}, got {arr.shape}")
        return read_only(arr) if isinstance(t, TensorType) else arr
    if isinstance(t, FloatType):
        return make_float(v, t)
    if isinstance(t, (IntegerType, IndexType)):
        if isinstance(v, float) and not float(v).is_integer():
            raise ValueError(f"expected an integer for {t}, got {v}")
        return wrap(int(v), t)
    return v


def to_caller(v):
    """A runtime result as a Python caller gets it: a memref as the numpy view
    of its buffer (no copy), a shared (read-only) tensor as an owned copy."""
    if isinstance(v, MemRef):
        return v.array
    if isinstance(v, np.ndarray) and not v.flags.writeable:
        return v.copy()
    return v


def to_python(v):
    """A runtime value as plain Python (floats, ints, nested lists) for printing and JSON."""
    if isinstance(v, MemRef):
        return v.array.tolist()
    if isinstance(v, np.ndarray):
        return v.tolist()
    if isinstance(v, np.generic):
        return v.item()
    return v


def scalar_at(v, point, t: Type):
    """The runtime scalar of type `t` at `point` of array `v` (a scalar `v` is the same everywhere)."""
    if isinstance(v, np.ndarray) and v.ndim:
        v = v[point]
    if isinstance(t, FloatType):
        return make_float(v, t)
    if isinstance(t, (IntegerType, IndexType)):
        return wrap(int(v), t)
    return v


def maps_elementwise(region: Region) -> bool:
    """Whether `region`'s body can run once on whole arrays: one block of scalar
    arguments whose ops are ElementwiseMappable or scalar constants."""
    if len(region.blocks) != 1:
        return False
    block = region.blocks[0]
    return not any(isinstance(a.type, ShapedType) for a in block.arguments) and ops_map_elementwise(block)


def ops_map_elementwise(block, also=()) -> bool:
    """Whether every op of `block` works elementwise on whole arrays: ElementwiseMappable
    or a scalar constant, no regions and no shaped results (its ReturnLike terminator aside);
    ops of the classes in `also` are accepted too (linalg.index, whose value is a grid)."""
    for op in block.ops:
        traits = op.traits
        if op is block.terminator and ReturnLike in traits:
            continue
        if op.regions or any(isinstance(r.type, ShapedType) for r in op.results):
            return False
        if isinstance(op, also):
            continue
        if ElementwiseMappable not in traits and ConstantLike not in traits:
            return False
    return True


# ----------------------------------------------------------------------------


class Interpreter:
    """Runs functions of a module; `call("main", [1.0, 2.0])` returns the results.

    Calls nest up to `max_call_depth` deep (a located diagnostic beyond); the
    outermost call runs on a thread with a big stack (`run_with_deep_stack`),
    so thousands of nested calls fit in Python's recursion budget.
    """

    max_call_depth = 10_000

    def __init__(self, module: Operation, max_steps: Optional[int] = None):
        self.module = module
        self.max_steps = max_steps
        self.steps = 0
        self.call_depth = 0
        self.stats: Dict[str, int] = {}
        self.memory = Memory()
        self._env: Dict = {}

    def lookup_function(self, name: str) -> Operation:
        from .symbols import lookup_in

        fn = lookup_in(self.module, name)
        if fn is None or not FunctionLike.implemented_by(fn):
            raise error(f"no function named '@{name}' in the module")
        return fn

    def call(self, name: str, args: Sequence[Any]) -> List[Any]:
        """Run `@name` on Python/numpy arguments; memref results come back as
        numpy views of their buffers, tensor results as arrays the caller owns."""
        fn = self.lookup_function(name)
        return [to_caller(r) for r in self.call_function(fn, args)]

    def call_function(self, fn: Operation, args: Sequence[Any]) -> List[Any]:
        """Run function-like op `fn` (any dialect's) on `args`."""
        if self.call_depth == 0 and not on_deep_stack():
            return run_with_deep_stack(self._call_function, fn, args)
        return self._call_function(fn, args)

    def _call_function(self, fn: Operation, args: Sequence[Any]) -> List[Any]:
        function = FunctionLike.model(fn)
        ftype = function.function_type(fn)
        if function.is_declaration(fn):
            raise runtime_error(fn, f"cannot interpret external function '@{function.sym_name(fn)}'")
        if len(args) != len(ftype.inputs):
            raise runtime_error(fn, f"expects {len(ftype.inputs)} arguments, got {len(args)}")
        converted = []
        for i, (a, t) in enumerate(zip(args, ftype.inputs)):
            try:
                converted.append(coerce(a, t))
            except (ValueError, TypeError, OverflowError) as e:
                raise runtime_error(fn, f"argument #{i}: {e}") from None
        args = converted
        if self.call_depth >= self.max_call_depth:
            raise runtime_error(fn, f"call depth exceeds {self.max_call_depth} (unbounded recursion?)")
        self.call_depth += 1
        try:
            return self.run_region(function.body(fn), args, {})
        except RecursionError:  # nested regions and calls beyond this thread's budget: say where
            raise runtime_error(fn, f"calls and regions nested too deeply for the recursion budget "
                                    f"(call depth {self.call_depth})") from None
        finally:
            self.call_depth -= 1

    def run_region(self, region: Region, args: Sequence[Any], env: Optional[Dict] = None) -> List[Any]:
        """Run `region` from its entry block; return the values its terminator yields.

        Nested regions (loop bodies, branches) share the enclosing environment,
        so they see the values defined around them; a call passes a fresh one.
        """
        saved = self._env
        env = saved if env is None else env
        self._env = env
        scoped = AutomaticAllocationScope in region.parent.traits
        if scoped:
            self.memory.push_scope()
        try:
            block = region.blocks[0]
            while True:
                for a, v in zip(block.arguments, args):
                    env[a] = v
                outcome = self.run_block(block, env)
                if isinstance(outcome, Branch):
                    block, args = outcome.block, outcome.args
                    continue
                return outcome.values
        finally:
            self._env = saved
            if scoped:
                self.memory.pop_scope()

    def run_block(self, block: Block, env: Dict) -> Any:
        lookup = interpret.lookup
        op = block.first_op
        while op is not None:
            rule = lookup(op)
            if rule is None:
                raise runtime_error(op, "has no interpreter rule")
            try:
                args = [env[v] for v in op._operands]
            except KeyError:
                raise runtime_error(op, "uses a value that has not been computed")
            self.steps += 1
            if self.max_steps is not None and self.steps > self.max_steps:
                raise runtime_error(op, f"step limit of {self.max_steps} exceeded")
            out = rule(self, op, args)
            if isinstance(out, (Yield, Branch)):
                return out
            for r, v in zip(op.results, out):
                env[r] = v
            op = op._next
        return Yield([])

    # -- structured ops --------------------------------------------------------------
    def map_region(self, region: Region, operands: Sequence[Any], shape, per_element: bool = False) -> List[np.ndarray]:
        """Evaluate a structured op's scalar body at every point of the iteration
        space `shape`; return one array of that shape per value the body yields.

        Entry block argument k takes `operands[k]` at each point: an array of
        shape `shape`, or a scalar that is the same at every point.  When every
        op of the body is `ElementwiseMappable` (arith, math) or a scalar
        constant, the body runs once with whole arrays bound to its arguments
        and numpy does the loop; otherwise, or with `per_element`, it runs once
        per point on scalars.  linalg-like ops gather their operands through
        their indexing maps into the iteration shape, call this, and reduce
        over the reduction dimensions (docs/memory.md).
        """
        shape = tuple(shape)
        block = region.blocks[0]
        yielded = [v.type for v in block.terminator.operands]
        dtypes = [numpy_dtype(element_type(t)) for t in yielded]
        if not per_element and maps_elementwise(region):
            values = self.run_region(region, list(operands))
            return [np.array(np.broadcast_to(np.asarray(v, dtype=dt), shape)) for v, dt in zip(values, dtypes)]
        outs = [np.empty(shape, dtype=dt) for dt in dtypes]
        types = [a.type for a in block.arguments]
        for point in np.ndindex(*shape):
            args = [scalar_at(o, point, t) for o, t in zip(operands, types)]
            for out, v, t in zip(outs, self.run_region(region, args), yielded):
                out[point] = to_unsigned(v, t) if out.dtype.kind == "u" else v
        return outs

    def count(self, key: str, n: int = 1) -> None:
        """Instrumentation counters (tape pushes, recomputations ...) tests can read."""
        self.stats[key] = self.stats.get(key, 0) + n


# ----------------------------------------------------------------------------
# rules every dialect gets: a ReturnLike terminator yields its operands, a
# CallLike op runs the function-like op it names (func.return, func.call and
# a plugin's own function dialect alike)


def _is_return_like(op) -> bool:
    traits = op.traits
    return ReturnLike in traits and Terminator in traits


@interpret.register_default(_is_return_like)
def _interpret_return(interp, op, args):
    return Yield(args, op)


@interpret.register_default(CallLike.implemented_by)
def _interpret_call(interp, op, args):
    target = resolve_callee(op)
    if target is None:
        raise runtime_error(op, f"calls unknown function {CallLike.of(op).callee()}")
    return interp.call_function(target, args)
