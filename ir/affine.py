"""Affine-map helpers: the algebra linalg's indexing maps need.

MLIR keeps affine expressions in a canonical form as it builds them
(``2 * d0 + 0`` is ``d0 * 2``, ``s0 + d1`` is ``d1 + s0``, ``d0 - d1`` is
``d0 + d1 * -1`` printed back as ``d0 - d1``); `simplify` does the same local
rewrites, and `AffineMapAttr` applies it on construction, so irc prints what
mlir-opt prints.  The rest are the map operations of MLIR's ``AffineMap``:
`compose`, `inverse_permutation`, `is_projected_permutation`, evaluation on
index tuples (`evaluate`) and on whole numpy index grids (`evaluate_grid`,
what the interpreter gathers with), and MLIR's ``createLoopRanges`` /
``getStaticLoopRanges`` (`loop_ranges`): the loop bounds of a structured op
from its operands' sizes.
"""

from __future__ import annotations

from typing import List, Optional, Sequence, Tuple

from .attributes import AffineBinary, AffineConstant, AffineDim, AffineExpr, AffineMapAttr, AffineSymbol
from .types import DYNAMIC

__all__ = [
    "simplify", "affine_map", "compose", "inverse_permutation", "is_permutation", "is_projected_permutation",
    "is_identity", "evaluate", "evaluate_grid", "loop_ranges", "dims_used", "permutation_map",
    "minor_identity", "replace_dims",
]


# ----------------------------------------------------------------------------
# canonical construction (MLIR's simplifyAdd / simplifyMul / floordiv / mod folds)


def _const(e) -> Optional[int]:
    return e.value if isinstance(e, AffineConstant) else None


def _coefficient(e) -> Tuple[AffineExpr, int]:
    """`e` as (term, constant factor): ``d0 * 3`` is (d0, 3), ``d1`` is (d1, 1)."""
    if isinstance(e, AffineBinary) and e.op == "*" and isinstance(e.rhs, AffineConstant):
        return e.lhs, e.rhs.value
    return e, 1


def _rank(e) -> Tuple[int, int]:
    """MLIR orders plain dims before symbols, and dims and symbols by position."""
    if isinstance(e, AffineDim):
        return 0, e.position
    if isinstance(e, AffineSymbol):
        return 1, e.position
    return 2, 0


def add(a: AffineExpr, b: AffineExpr) -> AffineExpr:
    """``a + b`` in MLIR's canonical form."""
    ca, cb = _const(a), _const(b)
    if ca is not None and cb is not None:
        return AffineConstant(ca + cb)
    if ca is not None:  # constants on the right
        return add(b, a)
    if cb == 0:
        return a
    if cb is not None and isinstance(a, AffineBinary) and a.op == "+" and _const(a.rhs) is not None:
        return add(a.lhs, AffineConstant(a.rhs.value + cb))  # (x + 2) + 3 -> x + 5
    if cb is None and isinstance(a, AffineBinary) and a.op == "+" and _const(a.rhs) is not None:
        return add(add(a.lhs, b), a.rhs)  # (x + 2) + y -> (x + y) + 2
    (ta, ka), (tb, kb) = _coefficient(a), _coefficient(b)
    if ta == tb:  # x * 2 + x -> x * 3
        return mul(ta, AffineConstant(ka + kb))
    if _rank(a) > _rank(b) and _rank(a)[0] < 2:  # s0 + d1 -> d1 + s0, d1 + d0 -> d0 + d1
        return AffineBinary("+", b, a)
    return AffineBinary("+", a, b)


def mul(a: AffineExpr, b: AffineExpr) -> AffineExpr:
    """``a * b`` in MLIR's canonical form (one side is a constant or a symbol)."""
    ca, cb = _const(a), _const(b)
    if ca is not None and cb is not None:
        return AffineConstant(ca * cb)
    if ca is not None or (isinstance(a, AffineSymbol) and cb is None and not isinstance(b, AffineSymbol)):
        return mul(b, a)
    if cb == 1:
        return a
    if cb == 0:
        return AffineConstant(0)
    if cb is not None and isinstance(a, AffineBinary) and a.op == "*" and _const(a.rhs) is not None:
        return mul(a.lhs, AffineConstant(a.rhs.value * cb))
    return AffineBinary("*", a, b)


def _divide(op: str, a: AffineExpr, b: AffineExpr) -> AffineExpr:
    ca, cb = _const(a), _const(b)
    if cb is not None and cb != 0:
        if ca is not None:
            return AffineConstant({"floordiv": ca // cb, "ceildiv": -(-ca // cb), "mod": ca % cb}[op])
        if cb == 1:
            return AffineConstant(0) if op == "mod" else a
    return AffineBinary(op, a, b)


def simplify(e: AffineExpr) -> AffineExpr:
    """`e` rebuilt bottom-up in MLIR's canonical form (``a - b`` becomes ``a + b * -1``)."""
    if not isinstance(e, AffineBinary):
        return e
    lhs, rhs = simplify(e.lhs), simplify(e.rhs)
    if e.op == "+":
        return add(lhs, rhs)
    if e.op == "-":
        return add(lhs, mul(rhs, AffineConstant(-1)))
    if e.op == "*":
        return mul(lhs, rhs)
    return _divide(e.op, lhs, rhs)


def affine_map(num_dims: int, results: Sequence[AffineExpr], num_symbols: int = 0) -> AffineMapAttr:
    """An `AffineMapAttr` of `results` (ints are constants) over `num_dims` dims."""
    exprs = tuple(AffineConstant(r) if isinstance(r, int) else r for r in results)
    return AffineMapAttr(num_dims, num_symbols, exprs)


def permutation_map(permutation: Sequence[int]) -> AffineMapAttr:
    """``(d0, ..., dn) -> (d_p0, ..., d_pn)``."""
    return affine_map(len(permutation), [AffineDim(p) for p in permutation])


def minor_identity(num_dims: int, dims: Sequence[int]) -> AffineMapAttr:
    """``(d0, ..., dn) -> (d_k for k in dims)``: a projection onto `dims`."""
    return affine_map(num_dims, [AffineDim(k) for k in dims])


# ----------------------------------------------------------------------------
# map algebra


def replace_dims(e: AffineExpr, dims: Sequence[AffineExpr], symbols: Sequence[AffineExpr] = ()) -> AffineExpr:
    """`e` with d_i replaced by dims[i] and s_j by symbols[j] (simplified)."""
    if isinstance(e, AffineDim):
        return dims[e.position]
    if isinstance(e, AffineSymbol):
        return symbols[e.position] if e.position < len(symbols) else e
    if isinstance(e, AffineConstant):
        return e
    return simplify(AffineBinary(e.op, replace_dims(e.lhs, dims, symbols), replace_dims(e.rhs, dims, symbols)))


def compose(outer: AffineMapAttr, inner: AffineMapAttr) -> AffineMapAttr:
    """``outer ∘ inner`` (MLIR's ``outer.compose(inner)``): inner's results feed outer's dims."""
    if outer.num_dims != len(inner.results):
        raise ValueError(f"cannot compose {outer} with {inner}: {outer.num_dims} dims vs "
                         f"{len(inner.results)} results")
    symbols = [AffineSymbol(inner.num_symbols + k) for k in range(outer.num_symbols)]
    results = [replace_dims(e, inner.results, symbols) for e in outer.results]
    return AffineMapAttr(inner.num_dims, inner.num_symbols + outer.num_symbols, tuple(results))


def is_permutation(m: AffineMapAttr) -> bool:
    """Every dim appears exactly once, alone, and nothing else."""
    return len(m.results) == m.num_dims and is_projected_permutation(m)


def is_projected_permutation(m: AffineMapAttr, allow_zero_results: bool = False) -> bool:
    """Results are distinct dims (MLIR's ``isProjectedPermutation``; constant 0 allowed
    when `allow_zero_results`, as for broadcast-like maps)."""
    if m.num_symbols:
        return False
    seen = set()
    for e in m.results:
        if isinstance(e, AffineDim):
            if e.position in seen:
                return False
            seen.add(e.position)
        elif not (allow_zero_results and _const(e) == 0):
            return False
    return True


def is_identity(m: AffineMapAttr) -> bool:
    return len(m.results) == m.num_dims and all(
        isinstance(e, AffineDim) and e.position == i for i, e in enumerate(m.results))


def inverse_permutation(m: AffineMapAttr) -> Optional[AffineMapAttr]:
    """MLIR's ``inversePermutation``: for a map whose results include each dim
    (the first result that is a plain dim d_i wins), the map from the results
    back to the dims; None when some dim is never a plain result."""
    found: List[Optional[AffineExpr]] = [None] * m.num_dims
    for k, e in enumerate(m.results):
        if isinstance(e, AffineDim) and found[e.position] is None:
            found[e.position] = AffineDim(k)
    if any(f is None for f in found):
        return None
    return AffineMapAttr(len(m.results), 0, tuple(found))


def concat(maps: Sequence[AffineMapAttr]) -> AffineMapAttr:
    """MLIR's ``concatAffineMaps``: one map with every map's results, in order."""
    n = maps[0].num_dims if maps else 0
    return AffineMapAttr(n, max((m.num_symbols for m in maps), default=0),
                         tuple(e for m in maps for e in m.results))


def dims_used(e: AffineExpr) -> set:
    """Positions of the dims `e` mentions."""
    if isinstance(e, AffineDim):
        return {e.position}
    if isinstance(e, AffineBinary):
        return dims_used(e.lhs) | dims_used(e.rhs)
    return set()


# ----------------------------------------------------------------------------
# evaluation


def _apply(op: str, a, b):
    if op == "+":
        return a + b
    if op == "-":
        return a - b
    if op == "*":
        return a * b
    if op == "floordiv":
        return a // b
    if op == "ceildiv":
        return -(-a // b)
    return a % b


def _eval(e: AffineExpr, dims, symbols):
    if isinstance(e, AffineDim):
        return dims[e.position]
    if isinstance(e, AffineSymbol):
        return symbols[e.position]
    if isinstance(e, AffineConstant):
        return e.value
    return _apply(e.op, _eval(e.lhs, dims, symbols), _eval(e.rhs, dims, symbols))


def evaluate(m: AffineMapAttr, dims: Sequence[int], symbols: Sequence[int] = ()) -> Tuple[int, ...]:
    """The results at an index tuple (floordiv/mod round toward -inf, as MLIR)."""
    return tuple(_eval(e, dims, symbols) for e in m.results)


def evaluate_grid(m: AffineMapAttr, grids: Sequence, symbols: Sequence[int] = ()) -> list:
    """The results over index grids: `grids[i]` holds d_i's value at every point
    (numpy arrays that broadcast together, e.g. from ``numpy.ogrid``)."""
    return [_eval(e, grids, symbols) for e in m.results]


# ----------------------------------------------------------------------------
# loop ranges


def loop_ranges(maps: Sequence[AffineMapAttr], shapes: Sequence[Sequence[int]]) -> List[int]:
    """MLIR's ``getStaticLoopRanges``: the size of each loop from the operands'
    sizes, read where a map's result is a plain dim d_i (the first such operand
    dimension wins, as ``inversePermutation`` of the concatenated maps picks).
    A loop no plain result names is DYNAMIC (undeterminable); `shapes` may hold
    DYNAMIC sizes, or be run-time sizes."""
    num_loops = maps[0].num_dims if maps else 0
    ranges: List[Optional[int]] = [None] * num_loops
    for m, shape in zip(maps, shapes):
        for e, size in zip(m.results, shape):
            if isinstance(e, AffineDim) and ranges[e.position] is None:
                ranges[e.position] = size
    return [DYNAMIC if r is None else r for r in ranges]


def loop_sources(maps: Sequence[AffineMapAttr]) -> List[Optional[Tuple[int, int]]]:
    """For each loop, the (operand, dimension) whose size it takes (MLIR's
    ``getShapesToLoopsMap`` inverted), or None when no operand names it alone."""
    num_loops = maps[0].num_dims if maps else 0
    out: List[Optional[Tuple[int, int]]] = [None] * num_loops
    for k, m in enumerate(maps):
        for j, e in enumerate(m.results):
            if isinstance(e, AffineDim) and out[e.position] is None:
                out[e.position] = (k, j)
    return out
