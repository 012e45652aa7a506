"""examples/embed.py, the toy front end of docs/embedding.md, runs and its compiled
gradient matches the interpreter's and the analytic one."""

from __future__ import annotations

import math
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("llvmlite")

EXAMPLE = Path(__file__).parents[2] / "examples" / "embed.py"


def test_embed_example_computes_the_gradient():
    out = subprocess.run([sys.executable, str(EXAMPLE), "x * y + sin(x)", "x=0.5", "y=2.0"],
                         capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    lines = dict(line.split(" = ", 1) for line in out.stdout.splitlines())
    dx, dx_interp = lines["df/dx"].split("   (interpreter: ")
    assert float(dx) == pytest.approx(2.0 + math.cos(0.5), rel=1e-15)
    assert float(dx) == float(dx_interp.rstrip(")"))
    assert float(lines["df/dy"].split()[0]) == 0.5
