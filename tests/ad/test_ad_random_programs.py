"""Random programs (see random_programs.py: straight-line and piecewise code,
scf.if, scf.for, scf.while with loops in both regions, checkpoints, calls and
ad ops inside) differentiated at every order up to three in every mix of modes.

- First order, both modes: against central finite differences and against each
  other, <vjp(u), v> == <u, jvp(v)>.
- Orders two and three: a chain of directional derivatives, each by forward or
  reverse mode (rev∘rev, fwd∘rev, rev∘fwd, rev∘fwd∘rev ... all 12 mixes),
  against central differences of the next-lower order computed by forward mode
  alone, and against forward mode alone at the same order.

CI runs 300 first-order and 60 higher-order programs, and 50 first-order ones
compiled by LLVM, which must match the interpreter; ``IRC_AD_EXAMPLES=5000
pytest tests/ad/test_ad_random_programs.py`` runs 5,000 of each.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import execution
import numpy as np
import pytest
from hypothesis import HealthCheck, assume, event, example, given, settings
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).parent))
from adtest import call, compile_module, jvp_driver, vjp_driver  # noqa: E402
from random_programs import HELPER, derivative_chain, function_text  # noqa: E402

EXAMPLES = int(os.environ.get("IRC_AD_EXAMPLES", "300"))
ORDER_EXAMPLES = int(os.environ.get("IRC_AD_EXAMPLES", "60"))
# compiled by LLVM a sixth of the first-order programs run (each compiles a module)
COMPILED_EXAMPLES = max(1, EXAMPLES // 6)


@pytest.fixture(autouse=True)
def _every_ad_test_on_both_backends():
    """Overrides tests/ad/conftest.py: the compiled property below sets its backend itself."""
    execution.CURRENT[0] = "interpret"
    yield
    execution.CURRENT[0] = "interpret"


@st.composite
def programs(draw):
    """(module text, number of arguments) of a random function @f with two results."""
    n_args = draw(st.integers(1, 3))
    return HELPER + function_text(draw, "f", n_args, 2), n_args


STEEP = (Path(__file__).parent / "random_steep_program.mlir").read_text()


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(programs(), st.integers(0, 2**32 - 1))
@example((STEEP, 1), 272912)
def test_random_program_derivatives(program, seed):
    check_random_program(program, seed)


@settings(max_examples=COMPILED_EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(programs(), st.integers(0, 2**32 - 1))
def test_random_program_derivatives_compiled(program, seed):
    """The same checks on LLVM-compiled code, whose values match the interpreter's
    (to the last place or two: glibc's sin is not numpy's)."""
    text, n = program
    m = compile_module(text + jvp_driver(n, 2) + vjp_driver(n, 2))
    rng = np.random.default_rng(seed)
    args = list(rng.uniform(-1.5, 1.5, size=n)) + list(rng.normal(size=2))
    interpreted = call(m, "vjp", args)
    execution.CURRENT[0] = "jit"
    try:
        compiled = call(m, "vjp", args)
        if _finite(interpreted):
            np.testing.assert_allclose(compiled, interpreted, rtol=1e-9, atol=1e-12)
        check_random_program(program, seed)
    finally:
        execution.CURRENT[0] = "interpret"


def check_random_program(program, seed):
    """jvp and vjp of the program agree with each other and with central differences."""
    text, n = program
    m = compile_module(text + jvp_driver(n, 2) + vjp_driver(n, 2))
    rng = np.random.default_rng(seed)
    x = rng.uniform(-1.5, 1.5, size=n)
    v = rng.normal(size=n)
    u = rng.normal(size=2)
    f = lambda p: np.asarray(call(m, "f", list(p)))  # noqa: E731
    y = f(x)
    assume(np.all(np.isfinite(y)))
    out = call(m, "jvp", list(x) + list(v))
    np.testing.assert_array_equal(out[:2], y)
    jv = np.asarray(out[2:])
    out = call(m, "vjp", list(x) + list(u))
    np.testing.assert_array_equal(out[:2], y)
    uj = np.asarray(out[2:])
    # the two modes agree exactly up to rounding: <vjp(u), v> == <u, jvp(v)>
    np.testing.assert_allclose(np.dot(uj, v), np.dot(u, jv), rtol=1e-9, atol=1e-9)
    fd = smooth_difference(f, x, v) if moderate(y) else None
    if fd is not None:
        np.testing.assert_allclose(jv, fd, rtol=1e-4, atol=1e-5)


def moderate(values) -> bool:
    """Whether `values` stay far below 2^52, past which every double is an integer: there
    floor, ceil and round are the identity in floating point, so finite differences see a
    slope of 1 where the derivative is 0 (two shrunk programs near 1e22 and 1e140 did)."""
    return bool(np.all(np.abs(np.asarray(values, dtype=float)) < 2.0 ** 40))


def smooth_difference(f, x, v, h: float = 1e-5):
    """The directional derivative of `f` at `x` along `v` by central differences, or None
    where the differences say `f` is not smooth there (a branch, a max or a loop's trip
    count flips near `x`).  Steps h and h/2 must agree, and h/100 too (a flip between
    1e-7 and 1e-5 away leaves the two wide stencils agreeing on a secant slope: a steep
    scf.while program did, 2.26e22 against the true 1.88e22); the result is the Richardson
    extrapolation of the two wide steps, which cancels their h^2 error (a steep program's
    step-h difference was off by 1.27e-4 while both steps agreed, seed 272912)."""
    fd1 = (np.asarray(f(x + h * v)) - np.asarray(f(x - h * v))) / (2 * h)
    fd2 = (np.asarray(f(x + h / 2 * v)) - np.asarray(f(x - h / 2 * v))) / h
    fine = (np.asarray(f(x + h / 100 * v)) - np.asarray(f(x - h / 100 * v))) / (h / 50)
    if not (_finite([fd1, fd2, fine]) and np.allclose(fd1, fd2, rtol=1e-4, atol=1e-6)
            and np.allclose(fd2, fine, rtol=1e-3, atol=1e-5)):
        return None
    return (4 * fd2 - fd1) / 3


def _finite(values) -> bool:
    return bool(np.all(np.isfinite(np.asarray(values, dtype=float))))


@st.composite
def higher_order_cases(draw):
    """(module text, n_args, modes): @f, its mixed-mode chain @m1..@mk and the forward chain @p1..@pk."""
    n_args = draw(st.integers(1, 2))
    order = draw(st.integers(2, 3))
    modes = tuple(draw(st.sampled_from(["fwd", "rev"])) for _ in range(order))
    return HELPER + function_text(draw, "f", n_args, 1), n_args, modes


@settings(max_examples=ORDER_EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(higher_order_cases(), st.integers(0, 2**32 - 1))
def test_random_program_higher_order_derivatives(case, seed):
    text, n, modes = case
    rng = np.random.default_rng(seed)
    directions = [rng.normal(size=n) for _ in modes]
    k = len(modes)
    m = compile_module(text + derivative_chain("m", "f", n, modes, directions)
                       + derivative_chain("p", "f", n, ("fwd",) * k, directions))
    x = rng.uniform(-1.5, 1.5, size=n)
    lower = lambda p: call(m, f"p{k - 1}" if k > 1 else "f", list(p))  # noqa: E731
    assume(_finite(lower(x)))
    forward = call(m, f"p{k}", list(x))[0]
    mixed = call(m, f"m{k}", list(x))[0]
    assume(_finite([forward, mixed]))
    # every mix of modes computes the same derivative as forward mode alone, up to rounding
    np.testing.assert_allclose(mixed, forward, rtol=1e-8, atol=1e-9, err_msg=f"modes {modes} (innermost first)")
    # and forward mode is the central difference of the order below, where that is smooth
    v = directions[-1]
    event(f"order {k}: {'∘'.join(reversed(modes))}")
    fd = smooth_difference(lower, x, v) if moderate(lower(x)) else None
    if fd is not None:
        event("checked against finite differences")
        np.testing.assert_allclose(forward, fd[0], rtol=1e-4, atol=1e-5, err_msg=f"order {k}")
        np.testing.assert_allclose(mixed, fd[0], rtol=1e-4, atol=1e-5, err_msg=f"modes {modes}")
