"""Integer arith and math on whole arrays (ir/dialects/arith_arrays.py and the
`compute_array` / `convert_array` / `int_fn_array` rules beside each op) gives exactly the
scalar rules' results: hypothesis draws values, extremes included, for every
width numpy holds (i1 ... i64, odd widths, index), and compares each element
with the op's scalar evaluation; a division by zero is the same runtime error.
A linalg body of integer ops then runs once on whole arrays, never per element."""

from __future__ import annotations

import functools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import irc
from irc.attributes import numpy_dtype
from irc.diagnostics import DiagnosticError
from irc.dialects.arith import ArithError
from irc.interpreter import Interpreter
from irc.types import element_type

BINARY = ["addi", "subi", "muli", "divsi", "divui", "ceildivsi", "ceildivui", "floordivsi", "remsi", "remui",
          "andi", "ori", "xori", "shli", "shrui", "shrsi", "maxsi", "minsi", "maxui", "minui"]
PREDICATES = ["eq", "ne", "slt", "sle", "sgt", "sge", "ult", "ule", "ugt", "uge"]
TYPES = ["i1", "i3", "i8", "i16", "i17", "i32", "i33", "i64", "index"]
WIDTH = {"index": 64, **{t: int(t[1:]) for t in TYPES if t != "index"}}
N = 12


@functools.lru_cache(maxsize=None)
def _op(line: str, operand_type: str, result_type: str):
    """The one op of `func.func @f(%a, %b) { <line> }` (parsed once)."""
    text = (f"func.func @f(%a: tensor<{N}x{operand_type}>, %b: tensor<{N}x{operand_type}>) -> tensor<{N}x{result_type}> {{\n"
            f"  %r = {line}\n  return %r : tensor<{N}x{result_type}>\n}}")
    module = irc.default_context().parse_module(text, "<int-arrays>")
    return next(op for op in module.walk() if op.op_name.split(".")[0] in ("arith", "math"))


def _values(width: int):
    """Integers of `width` in the interpreter's form (signed range; i1 as 0/1), extremes likely."""
    if width == 1:
        return st.integers(0, 1)
    lo, hi = -(1 << (width - 1)), (1 << (width - 1)) - 1
    return st.one_of(st.sampled_from([lo, lo + 1, -1, 0, 1, 2, width - 1, width, hi - 1, hi]), st.integers(lo, hi))


def _array(values, t: str):
    return np.array(values, dtype=numpy_dtype(irc.types.IntegerType(WIDTH[t]) if t != "index" else irc.types.index))


def _per_element(op, a, b):
    """The scalar rule at every element (Python ints in, as the interpreter holds scalars)."""
    out = []
    for x, y in zip(a.tolist(), b.tolist()):
        out.append(op.evaluate([int(x), int(y)])[0])
    return out


def _check(op, a, b):
    try:
        want = _per_element(op, a, b)
    except ArithError as e:
        with pytest.raises(ArithError, match=str(e)):
            op.evaluate([a, b])
        return
    got = op.evaluate([a, b])[0]
    assert isinstance(got, np.ndarray) and got.shape == a.shape
    assert got.dtype == numpy_dtype(element_type(op.results[0].type))
    assert [int(v) for v in got.tolist()] == [int(v) for v in want], (op.op_name, a, b)


@st.composite
def _case(draw, names):
    name = draw(st.sampled_from(names))
    t = draw(st.sampled_from(TYPES))
    a = draw(st.lists(_values(WIDTH[t]), min_size=N, max_size=N))
    b = draw(st.lists(_values(WIDTH[t]), min_size=N, max_size=N))
    return name, t, _array(a, t), _array(b, t)


@settings(max_examples=400, deadline=None)
@given(_case(BINARY))
def test_binary_ops_on_arrays_equal_the_scalar_rules(case):
    name, t, a, b = case
    _check(_op(f"arith.{name} %a, %b : tensor<{N}x{t}>", t, t), a, b)


@settings(max_examples=200, deadline=None)
@given(_case(PREDICATES))
def test_cmpi_on_arrays_equals_the_scalar_rule(case):
    p, t, a, b = case
    _check(_op(f"arith.cmpi {p}, %a, %b : tensor<{N}x{t}>", t, "i1"), a, b)


CASTS = [("extsi", "i8", "i32"), ("extsi", "i1", "i64"), ("extui", "i1", "i64"), ("extui", "i17", "i33"),
         ("trunci", "i64", "i8"), ("trunci", "i33", "i1"), ("index_cast", "index", "i16"),
         ("index_cast", "i32", "index"), ("index_castui", "i8", "index"), ("sitofp", "i64", "f64"),
         ("sitofp", "i32", "f32"), ("uitofp", "i64", "f64"), ("uitofp", "i8", "f16")]


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(CASTS), st.data())
def test_casts_on_arrays_equal_the_scalar_rules(cast, data):
    name, src, dst = cast
    a = _array(data.draw(st.lists(_values(WIDTH[src]), min_size=N, max_size=N)), src)
    op = _op(f"arith.{name} %a : tensor<{N}x{src}> to tensor<{N}x{dst}>", src, dst)
    got = op.evaluate([a])[0]
    want = [op.evaluate([int(x)])[0] for x in a.tolist()]
    assert isinstance(got, np.ndarray) and got.dtype == numpy_dtype(element_type(op.results[0].type))
    assert got.tolist() == [float(w) if dst.startswith("f") else int(w) for w in want]


EXTREMES = [
    ("divsi", "i32", [-(1 << 31)], [-1], [-(1 << 31)]),  # INT_MIN / -1 wraps
    ("divsi", "i64", [-(1 << 63)], [-1], [-(1 << 63)]),
    ("remsi", "i64", [-(1 << 63), 7], [-1, -1], [0, 0]),  # remainders by -1 are 0
    ("floordivsi", "i64", [-(1 << 63)], [-1], [-(1 << 63)]),
    ("ceildivsi", "i8", [-128, 7], [-1, 2], [-128, 4]),
    ("shli", "i8", [1, 1], [7, 8], [-128, 0]),  # past the width: 0
    ("shrui", "i16", [-1, -1], [1, 16], [(1 << 15) - 1, 0]),
    ("shrsi", "i16", [-5, 5], [40, 40], [-1, 0]),  # past the width: the sign fill
    ("addi", "i1", [1, 1], [1, 0], [0, 1]),
    ("muli", "i64", [1 << 62], [4], [0]),
]


@pytest.mark.parametrize("name, t, a, b, want", EXTREMES)
def test_extremes(name, t, a, b, want):
    op = _op(f"arith.{name} %a, %b : tensor<{N}x{t}>", t, t)
    pad = lambda xs: _array(xs + [0] * (N - len(xs)), t)  # noqa: E731
    got = op.evaluate([pad(a), pad([*b] + [1] * (N - len(b)))])[0]
    assert got[:len(want)].tolist() == want


GENERIC = """
#id = affine_map<(d0) -> (d0)>
func.func @body(%a: tensor<64xi32>, %b: tensor<64xi32>) -> tensor<64xi32> {
  %e = tensor.empty() : tensor<64xi32>
  %r = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel"]}
      ins(%a, %b : tensor<64xi32>, tensor<64xi32>) outs(%e : tensor<64xi32>) {
  ^bb0(%x: i32, %y: i32, %o: i32):
    %q = arith.divsi %x, %y : i32
    %m = arith.muli %q, %y : i32
    %s = arith.shli %m, %x : i32
    %c = arith.cmpi slt, %s, %x : i32
    %k = arith.select %c, %q, %s : i32
    %i = linalg.index 0 : index
    %j = arith.index_cast %i : index to i32
    %z = arith.xori %k, %j : i32
    linalg.yield %z : i32
  } -> tensor<64xi32>
  return %r : tensor<64xi32>
}
"""


def test_integer_linalg_body_runs_once_on_whole_arrays(monkeypatch):
    """No scalar integer rule runs: the body is evaluated on arrays (and equals the
    per-element evaluation)."""
    import irc.dialects.arith as arith_module
    import irc.dialects.arith_casts as casts_module

    rng = np.random.default_rng(16)
    a = rng.integers(-(1 << 31), 1 << 31, 64, dtype=np.int64).astype(np.int32)
    b = rng.integers(-(1 << 31), 1 << 31, 64, dtype=np.int64).astype(np.int32)
    b[b == 0] = 3
    module = irc.default_context().parse_module(GENERIC, "<generic>")
    per_element = Interpreter(module)
    original = per_element.map_region
    per_element.map_region = lambda region, operands, shape, per_element=False: original(
        region, operands, shape, per_element=True)
    (want,) = per_element.call("body", [a, b])

    def no_scalars(*args, **kwargs):
        raise AssertionError("an integer op ran element by element")

    monkeypatch.setattr(arith_module, "_elementwise", no_scalars)
    monkeypatch.setattr(casts_module, "_elementwise", no_scalars)
    (got,) = Interpreter(module).call("body", [a, b])
    assert np.array_equal(got, want)


def test_division_by_zero_in_a_body_is_a_runtime_error_naming_the_op():
    module = irc.default_context().parse_module(GENERIC, "<generic>")
    a = np.arange(64, dtype=np.int32)
    b = np.ones(64, dtype=np.int32)
    b[17] = 0
    with pytest.raises(DiagnosticError, match=r"'arith.divsi' op division by zero|arith.divsi.*division by zero"):
        Interpreter(module).call("body", [a, b])


REDUCE = """
#a = affine_map<(d0, d1) -> (d0, d1)>
#o = affine_map<(d0, d1) -> (d0)>
#skew = affine_map<(d0, d1) -> (d0 + d1)>
func.func @rows(%x: tensor<3x7xT>, %init: tensor<3xT>) -> tensor<3xT> {
  %r = linalg.generic {indexing_maps = [#a, #o], iterator_types = ["parallel", "reduction"]}
      ins(%x : tensor<3x7xT>) outs(%init : tensor<3xT>) {
  ^bb0(%v: T, %acc: T):
    %y = arith.OP %acc, %v : T
    linalg.yield %y : T
  } -> tensor<3xT>
  return %r : tensor<3xT>
}
func.func @diagonals(%x: tensor<3x7xT>, %init: tensor<9xT>) -> tensor<9xT> {
  %r = linalg.generic {indexing_maps = [#a, #skew], iterator_types = ["reduction", "reduction"]}
      ins(%x : tensor<3x7xT>) outs(%init : tensor<9xT>) {
  ^bb0(%v: T, %acc: T):
    %y = arith.OP %v, %acc : T
    linalg.yield %y : T
  } -> tensor<9xT>
  return %r : tensor<9xT>
}
"""
_REFERENCE = {"addi": lambda a, b: a + b, "muli": lambda a, b: a * b, "maxsi": max, "minsi": min}


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(sorted(_REFERENCE)), st.sampled_from(["i1", "i3", "i8", "i17", "i64"]), st.data())
def test_integer_reductions_wrap_at_the_width(name, t, data):
    """linalg's numpy reductions (+, ×, signed max/min) of integers equal folding the scalar
    rule point by point: modulo 2^w for every width (i3 lives in int8), i1 true is -1."""
    from irc.interpreter import to_signed, wrap
    from irc.types import IntegerType

    w = WIDTH[t]
    x = _array(data.draw(st.lists(_values(w), min_size=21, max_size=21)), t).reshape(3, 7)
    module = irc.default_context().parse_module(REDUCE.replace("OP", name).replace("xT", f"x{t}").replace(": T", f": {t}"),
                                                "<reduce>")
    scalar = lambda a, b: wrap(_REFERENCE[name](to_signed(int(a), IntegerType(w)), to_signed(int(b), IntegerType(w))),  # noqa: E731
                               IntegerType(w))
    for entry, init_size, target in (("rows", 3, lambda i, j: i), ("diagonals", 9, lambda i, j: i + j)):
        init = _array(data.draw(st.lists(_values(w), min_size=init_size, max_size=init_size)), t)
        want = [int(v) for v in init.tolist()]
        for i in range(3):
            for j in range(7):
                want[target(i, j)] = scalar(want[target(i, j)], x[i, j])
        (got,) = Interpreter(module).call(entry, [x, init])
        assert [int(v) for v in got.tolist()] == want, (entry, name, t)


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(["absi", "ctlz", "cttz", "ctpop"]), st.sampled_from(TYPES), st.data())
def test_math_integer_ops_on_arrays_equal_the_scalar_rules(name, t, data):
    a = _array(data.draw(st.lists(_values(WIDTH[t]), min_size=N, max_size=N)), t)
    from irc.interpreter import interpret

    op = _op(f"math.{name} %a : tensor<{N}x{t}>", t, t)
    rule = interpret.lookup(op)
    got = rule(None, op, [a])[0]
    want = [rule(None, op, [int(x)])[0] for x in a.tolist()]
    assert isinstance(got, np.ndarray) and got.dtype == a.dtype
    assert [int(v) for v in got.tolist()] == [int(v) for v in want], (name, t, a)
