"""Named structured ops as declarations (MLIR's OpDSL): a named op is one
comprehension that says its operands, indexing maps, iterator types and
scalar body::

    declare("linalg.matmul", "C[m, n] += cast(A[m, k]) * cast(B[k, n])", domain="m n k")

- ``O[...] = f(I[...])`` indexes every operand by all loops (rank-polymorphic:
  the elementwise ops, fill, copy); a bare name (``value``) is a scalar operand.
- ``+=`` accumulates (``O = O + expr``): the loops the output does not name are
  reductions; ``=`` assigns (all loops parallel).
- ``cast(x)`` converts to the output's element type as MLIR's TypeFn does
  (signed, or unsigned where the op's ``cast`` attribute says so); other calls
  are the scalar functions of `ScalarBody` (exp, max, select ...).
- index expressions are affine in the loops and in *parameters* read from the
  op's attributes (``oh * SH + kh * DH`` with ``params={"SH": ("strides", 0, 1)}``:
  element 0 of ``strides``, 1 when absent), so strided and dilated windows
  (convolution, pooling) are declarations too.

From a declaration come the op class (operands, syntax, result inference),
its indexing maps and iterator types (`StructuredOp` answers from them), and
its body region, built when the op is built or parsed; the interpreter,
derivative rules, loop lowering and generalization read only the interface,
so a named op needs no other code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable, Dict, List, Optional, Sequence, Tuple

from ..affine import affine_map
from ..attributes import (AffineConstant, AffineDim, AffineMapAttr, ArrayAttr, DenseArrayAttr, DenseElementsAttr,
                          FloatAttr,
                          IntegerAttr)
from ..builder import Builder
from ..core import Block, Region
from ..types import FloatType, IndexType, IntegerType, ShapedType, TensorType, element_type

ELLIPSIS = "..."

# ----------------------------------------------------------------------------
# the comprehension's syntax tree


@dataclass(frozen=True)
class Ref:
    """Operand `name`'s element (indexed by `indices`, or all loops for ELLIPSIS; None: a scalar)."""

    name: str
    indices: object = None


@dataclass(frozen=True)
class Call:
    fn: str
    args: Tuple[object, ...]


@dataclass(frozen=True)
class Number:
    value: float


_TOKEN = re.compile(r"\s*(\.\.\.|[A-Za-z_][A-Za-z0-9_]*|\d+(?:\.\d*)?|\+=|[-+*/\[\](),=])")


def _tokens(text: str) -> List[str]:
    out, pos = [], 0
    text = text.rstrip()
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m:
            raise ValueError(f"bad comprehension near {text[pos:]!r}")
        out.append(m.group(1))
        pos = m.end()
    return out


class _Parser:
    """Recursive descent over ``O[i, j] += expr`` (index expressions: + and * of names and ints)."""

    def __init__(self, text: str):
        self.toks = _tokens(text)
        self.pos = 0

    def peek(self):
        return self.toks[self.pos] if self.pos < len(self.toks) else None

    def take(self, want=None):
        t = self.peek()
        if want is not None and t != want:
            raise ValueError(f"expected {want!r}, got {t!r}")
        self.pos += 1
        return t

    def comprehension(self):
        out = self.operand()
        op = self.take()
        if op not in ("=", "+="):
            raise ValueError(f"expected '=' or '+=', got {op!r}")
        expr = self.expr()
        if self.peek() is not None:
            raise ValueError(f"unexpected {self.peek()!r}")
        return out, op == "+=", expr

    def operand(self):
        name = self.take()
        if self.peek() != "[":
            return Ref(name)
        self.take("[")
        if self.peek() == ELLIPSIS:
            self.take()
            self.take("]")
            return Ref(name, ELLIPSIS)
        indices = []
        while self.peek() != "]":
            indices.append(self.index_sum())
            if self.peek() == ",":
                self.take()
        self.take("]")
        return Ref(name, tuple(indices))

    # index expressions: ("+", a, b) / ("*", a, b) / name / int
    def index_sum(self):
        e = self.index_product()
        while self.peek() == "+":
            self.take()
            e = ("+", e, self.index_product())
        return e

    def index_product(self):
        e = self.index_atom()
        while self.peek() == "*":
            self.take()
            e = ("*", e, self.index_atom())
        return e

    def index_atom(self):
        t = self.take()
        return int(t) if t.isdigit() else t

    # scalar expressions
    def expr(self):
        e = self.term()
        while self.peek() in ("+", "-"):
            e = Call({"+": "add", "-": "sub"}[self.take()], (e, self.term()))
        return e

    def term(self):
        e = self.atom()
        while self.peek() in ("*", "/"):
            e = Call({"*": "mul", "/": "div"}[self.take()], (e, self.atom()))
        return e

    def atom(self):
        t = self.peek()
        if t == "(":
            self.take()
            e = self.expr()
            self.take(")")
            return e
        if t is not None and t[0].isdigit():
            return Number(float(self.take()))
        if self.pos + 1 < len(self.toks) and self.toks[self.pos + 1] == "(":
            fn = self.take()
            self.take("(")
            args = [self.expr()]
            while self.peek() == ",":
                self.take()
                args.append(self.expr())
            self.take(")")
            return Call(fn, tuple(args))
        return self.operand()


def _refs(e, out: List[Ref]) -> List[Ref]:
    if isinstance(e, Ref):
        if all(r.name != e.name for r in out):
            out.append(e)
    elif isinstance(e, Call):
        for a in e.args:
            _refs(a, out)
    return out


# ----------------------------------------------------------------------------
# the declaration


@dataclass
class Declaration:
    """One named op: its comprehension parsed, and how its maps depend on the op."""

    op_name: str
    text: str
    domain: Tuple[str, ...] = ()
    params: Dict[str, Tuple[str, int, int]] = field(default_factory=dict)
    # maps from the op itself (transpose's permutation, broadcast's dimensions); else from the text
    maps_from: Optional[Callable] = None

    def __post_init__(self):
        self.output, self.accumulate, self.expr = _Parser(self.text).comprehension()
        self.inputs = [r for r in _refs(self.expr, []) if r.name != self.output.name]
        self.rank_polymorphic = self.output.indices == ELLIPSIS

    @property
    def operand_names(self) -> List[str]:
        return [r.name for r in self.inputs] + [self.output.name]

    def default_maps(self, op) -> List[AffineMapAttr]:
        """The maps the comprehension gives for `op` (its ranks and parameter attributes)."""
        if self.maps_from is not None:
            return self.maps_from(op)
        refs = self.inputs + [self.output]
        if self.rank_polymorphic:
            operands = op.structured_inputs() + op.structured_outputs()
            n = operands[-1].type.rank if isinstance(operands[-1].type, ShapedType) else 0
            return [affine_map(n, [AffineDim(i) for i in range(n)] if r.indices == ELLIPSIS else []) for r in refs]
        dims = {d: AffineDim(i) for i, d in enumerate(self.domain)}
        return [affine_map(len(self.domain), [self._index(e, dims, op) for e in (r.indices or ())]) for r in refs]

    def _index(self, e, dims, op):
        if isinstance(e, int):
            return AffineConstant(e)
        if isinstance(e, str):
            if e in dims:
                return dims[e]
            attr, position, default = self.params[e]
            return AffineConstant(attribute_element(op, attr, position, default))
        from ..affine import add, mul

        a, b = self._index(e[1], dims, op), self._index(e[2], dims, op)
        return add(a, b) if e[0] == "+" else mul(a, b)

    def default_iterators(self, maps: Sequence[AffineMapAttr]) -> List[str]:
        """Loops the output's map does not name are reductions."""
        if not maps:
            return []
        named = {e.position for e in maps[-1].results if isinstance(e, AffineDim)}
        return ["parallel" if d in named else "reduction" for d in range(maps[-1].num_dims)]


def attribute_element(op, name: str, position: int, default: int) -> int:
    """Element `position` of the op's integer-array attribute `name` (`default` when absent)."""
    a = op.attributes.get(name)
    if a is None:
        return default
    if isinstance(a, DenseArrayAttr):
        values = a.values
    elif isinstance(a, DenseElementsAttr):  # the window ops' strides and dilations (linalg_conv.py)
        values = a.array.reshape(-1)
    else:
        values = [getattr(x, "value", x) for x in a]
    return int(values[position]) if position < len(values) else default


# ----------------------------------------------------------------------------
# building the scalar body


class ScalarBody:
    """Builds the scalar ops of a body, choosing arith/math ops by element type
    (MLIR's BinaryFn/UnaryFn/TypeFn lowerings)."""

    def __init__(self, builder: Builder, out_type, unsigned: bool = False):
        self.b = builder
        self.out_type = out_type
        self.unsigned = unsigned

    def _emit(self, name: str, *operands, result_types=None, **attrs):
        from ..opdef import OPS

        return self.b.create(OPS[name], *operands, result_types=result_types, **attrs).results[0]

    def constant(self, value: float, t):
        from .arith import ConstantOp

        v = int(value) if not isinstance(t, FloatType) else value
        return self.b.insert(ConstantOp.create(v, t, location=self.b.location)).results[0]

    # TypeFn.cast_signed / cast_unsigned
    def cast(self, v, to=None):
        to = to or self.out_type
        src = v.type
        if src == to:
            return v
        if not all(isinstance(t, (FloatType, IntegerType, IndexType)) for t in (src, to)):
            from ..diagnostics import error  # an operand that is not a scalar's container (fuzzed input)

            raise error(f"unsupported cast of '{src}' to '{to}' in the body of a named op", self.b.location)
        s_float, t_float = isinstance(src, FloatType), isinstance(to, FloatType)
        if s_float and t_float:
            return self._emit("arith.extf" if to.width > src.width else "arith.truncf", v, result_types=[to])
        if s_float:
            return self._emit("arith.fptoui" if self.unsigned else "arith.fptosi", v, result_types=[to])
        if isinstance(src, IndexType) or isinstance(to, IndexType):
            return self._emit("arith.index_castui" if self.unsigned else "arith.index_cast", v, result_types=[to])
        if t_float:
            return self._emit("arith.uitofp" if self.unsigned or src.width == 1 else "arith.sitofp", v,
                              result_types=[to])
        if to.width > src.width:
            return self._emit("arith.extui" if self.unsigned or src.width == 1 else "arith.extsi", v, result_types=[to])
        return self._emit("arith.trunci", v, result_types=[to])

    def _by_type(self, v, float_op: str, int_op: str, *operands):
        return self._emit(float_op if isinstance(v.type, FloatType) else int_op, *operands)

    def add(self, a, b):
        return self._by_type(a, "arith.addf", "arith.addi", a, b)

    def sub(self, a, b):
        return self._by_type(a, "arith.subf", "arith.subi", a, b)

    def mul(self, a, b):
        return self._by_type(a, "arith.mulf", "arith.muli", a, b)

    def div(self, a, b):
        return self._by_type(a, "arith.divf", "arith.divsi", a, b)

    def div_unsigned(self, a, b):
        return self._by_type(a, "arith.divf", "arith.divui", a, b)

    def max(self, a, b):
        return self._by_type(a, "arith.maximumf", "arith.maxsi", a, b)

    def min(self, a, b):
        return self._by_type(a, "arith.minimumf", "arith.minsi", a, b)

    def max_unsigned(self, a, b):
        return self._by_type(a, "arith.maximumf", "arith.maxui", a, b)

    def min_unsigned(self, a, b):
        return self._by_type(a, "arith.minimumf", "arith.minui", a, b)

    def powf(self, a, b):
        return self._emit("math.powf", a, b)

    def select(self, c, a, b):
        return self._emit("arith.select", c, a, b)

    def negf(self, a):
        return self._emit("arith.negf", a)

    def abs(self, a):
        return self._by_type(a, "math.absf", "math.absi", a)

    def reciprocal(self, a):
        return self._emit("arith.divf", self.constant(1.0, a.type), a)

    def square(self, a):
        return self.mul(a, a)

    def unary(self, fn: str, a):
        return self._emit(f"math.{fn}", a)

    def call(self, fn: str, args):
        method = getattr(self, fn, None)
        if method is not None and fn not in ("unary", "call", "constant"):
            return method(*args)
        if fn in ("exp", "log", "ceil", "floor", "round", "sqrt", "rsqrt", "tanh", "erf"):
            return self.unary(fn, *args)
        raise ValueError(f"unknown scalar function '{fn}'")


def build_body(decl: Declaration, block: Block, unsigned: bool, location) -> None:
    """Fill `block` (one argument per operand) with the comprehension's scalar body."""
    from .linalg import YieldOp

    b = Builder.at_end(block, location)
    args = dict(zip(decl.operand_names, block.arguments))
    out = args[decl.output.name]
    body = ScalarBody(b, out.type, unsigned)

    def emit(e):
        if isinstance(e, Ref):
            return args[e.name]
        if isinstance(e, Number):
            return body.constant(e.value, out.type)
        values = [emit(a) for a in e.args]
        return body.call(e.fn, values)

    value = emit(decl.expr)
    if decl.accumulate:
        value = body.add(out, value)
    b.create(YieldOp, [value])


def body_region(op_name: str, decl: Declaration, operand_types, unsigned: bool, location) -> Region:
    """A region holding the declaration's body for operands of `operand_types`; a located
    error (MLIR's wording) when their count is not the declaration's."""
    want = len(decl.operand_names)
    if len(operand_types) != want:
        from ..diagnostics import error

        raise error(f"custom op '{op_name}' [parseNamedStructuredOpRegion] ods-gen generated region expects "
                    f"{want} args, got {len(operand_types)}", location)
    block = Block([element_type(t) for t in operand_types])
    build_body(decl, block, unsigned, location)
    return Region([block])


def tensor_results(operand_types, n_inputs: int) -> list:
    """Destination style: one result per tensor output, of its type."""
    return [t for t in list(operand_types)[n_inputs:] if isinstance(t, TensorType)]


__all__ = ["Declaration", "ScalarBody", "build_body", "body_region", "attribute_element", "tensor_results",
           "ELLIPSIS", "ArrayAttr", "IntegerAttr", "FloatAttr", "IntegerType"]
