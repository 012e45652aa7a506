"""The bundled demo (what `make demo` runs) gives the closed-form gradient."""

import json
import math
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parent.parent
IRC = [sys.executable, "-m", "irc.tools.main"]


def test_demo_value_and_gradient_match_closed_form():
    out = subprocess.run(
        IRC + ["run", str(ROOT / "examples/demo.mlir"), "--entry", "main", "--arg", "0.5", "--arg", "2.0", "--json"],
        capture_output=True, text=True, check=True,
    ).stdout
    v, gx, gy = json.loads(out)
    x, y = 0.5, 2.0
    assert math.isclose(v, math.sin(x * y) * x**3, rel_tol=1e-14)
    assert math.isclose(gx, y * math.cos(x * y) * x**3 + 3 * x**2 * math.sin(x * y), rel_tol=1e-13)
    assert math.isclose(gy, x * math.cos(x * y) * x**3, rel_tol=1e-13)


def test_demo_gradient_code_prints_and_reparses():
    out = subprocess.run(IRC + ["opt", str(ROOT / "examples/demo.mlir"), "--ad", "--canonicalize", "--cse"],
                         capture_output=True, text=True, check=True).stdout
    assert "ad." not in out.replace("ad.tape", "")  # every ad op was lowered
    again = subprocess.run(IRC + ["opt", "-"], input=out, capture_output=True, text=True, check=True).stdout
    assert again == out


def test_hvp_example_matches_the_explicit_hessian():
    x, y = 1.5, 0.5
    hessian = [[2 * y, 2 * x], [2 * x, -math.sin(y)]]
    for v in ([1.0, 0.0], [0.0, 1.0], [0.3, -2.0]):
        out = subprocess.run(
            IRC + ["run", str(ROOT / "examples/hvp.mlir"), "--entry", "hvp", "--json"]
            + [a for val in (x, y, *v) for a in ("--arg", repr(val))],
            capture_output=True, text=True, check=True,
        ).stdout
        hv = json.loads(out)
        want = [sum(h * vi for h, vi in zip(row, v)) for row in hessian]
        assert all(math.isclose(a, b, rel_tol=1e-14, abs_tol=1e-15) for a, b in zip(hv, want))
