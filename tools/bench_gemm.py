"""`python -m irc.tools.bench_gemm`: blas.gemm as irc's own kernel against the OpenBLAS
call, on the mlp benchmark's products and on other sizes: the measurement behind
`IRC_GEMM=auto` (backends/llvm/blas.py, docs/backend.md).

Each product is ``c += op(a) @ op(b)`` as one blas.gemm on static shapes, compiled at
-O3 twice (``IRC_GEMM=kernel`` and ``IRC_GEMM=blas``: both pay the same call from
Python), beside ``numpy.matmul`` into a preallocated output.  OpenBLAS runs on one
thread, as the compiled code does.  Medians of many calls after a warm-up, all in
one process; OpenBLAS reads ``OPENBLAS_CORETYPE`` when it loads, so compare its two
kernel families by running this twice (``env -u OPENBLAS_CORETYPE``).  Shared
machines are noisy: compare within one run.
"""

from __future__ import annotations

import json
import os
import sys
from typing import Dict, List, Tuple

from .bench_compiled import _progress, time_calls

# (label, m, n, k, transpose_a, transpose_b, dtype)
CASES: List[Tuple[str, int, int, int, bool, bool, str]] = [
    ("mlp W1 @ x", 256, 64, 256, False, False, "f32"),
    ("mlp W2^T @ g2", 256, 64, 256, True, False, "f32"),
    ("mlp g2 @ h^T", 256, 256, 64, False, True, "f32"),
    ("square 64", 64, 64, 64, False, False, "f32"),
    ("square 128", 128, 128, 128, False, False, "f32"),
    ("square 512", 512, 512, 512, False, False, "f32"),
    ("square 512^T^T", 512, 512, 512, True, True, "f32"),
    ("square 1000", 1000, 1000, 1000, False, False, "f32"),
    ("square 1000", 1000, 1000, 1000, False, False, "f64"),
    ("square 1000 a^T", 1000, 1000, 1000, True, False, "f64"),
    ("square 256", 256, 256, 256, False, True, "f64"),
    ("skinny k=8", 1000, 1000, 8, False, False, "f32"),
    ("skinny n=8", 2000, 8, 2000, False, False, "f32"),
    ("skinny m=8", 8, 2000, 2000, False, False, "f32"),
    ("matvec-like n=1", 1000, 1, 1000, False, False, "f64"),
    ("odd 257x129x300", 257, 129, 300, False, False, "f32"),
    ("skinny k=4", 1000, 1000, 4, False, False, "f32"),
    ("skinny k=16", 1000, 1000, 16, False, False, "f32"),
    ("skinny k=32", 1000, 1000, 32, False, False, "f32"),
    ("skinny n=1", 2000, 1, 2000, False, False, "f32"),
    ("skinny n=2", 2000, 2, 2000, False, False, "f32"),
    ("skinny n=4", 2000, 4, 2000, False, False, "f32"),
    ("skinny n=16", 2000, 16, 2000, False, False, "f32"),
    ("skinny n=24", 2000, 24, 2000, False, False, "f32"),
]


def gemm_module_text(m: int, n: int, k: int, ta: bool, tb: bool, dt: str) -> str:
    """One blas.gemm on static shapes."""
    a = f"memref<{k}x{m}x{dt}>" if ta else f"memref<{m}x{k}x{dt}>"
    b = f"memref<{n}x{k}x{dt}>" if tb else f"memref<{k}x{n}x{dt}>"
    c = f"memref<{m}x{n}x{dt}>"
    flags = [f for f, on in (("transpose_a", ta), ("transpose_b", tb)) if on]
    attrs = f" {{{', '.join(flags)}}}" if flags else ""
    return f"""func.func @gemm(%a: {a}, %b: {b}, %c: {c}) {{
  blas.gemm %a, %b, %c{attrs} : {a}, {b}, {c}
  return
}}"""


def compile_with(choice: str, text: str):
    """`text` compiled at -O3 with ``IRC_GEMM=choice`` (restored afterwards)."""
    import irc

    before = os.environ.get("IRC_GEMM")
    os.environ["IRC_GEMM"] = choice
    try:
        return irc.compile(text, opt_level=3, disk_cache=False)
    finally:
        if before is None:
            del os.environ["IRC_GEMM"]
        else:
            os.environ["IRC_GEMM"] = before


def bench_case(m, n, k, ta, tb, dt, budget_s: float) -> Dict[str, Dict[str, float]]:
    """Median seconds and GFLOP/s of the kernel, the OpenBLAS call and numpy.matmul."""
    import numpy as np

    from irc.backends.llvm.blas import find_blas

    dtype = np.float32 if dt == "f32" else np.float64
    rng = np.random.default_rng(m + n + k)
    a = rng.standard_normal((k, m) if ta else (m, k)).astype(dtype)
    b = rng.standard_normal((n, k) if tb else (k, n)).astype(dtype)
    c = np.zeros((m, n), dtype)
    opa, opb = (a.T if ta else a), (b.T if tb else b)
    text = gemm_module_text(m, n, k, ta, tb, dt)
    tasks = {"kernel": compile_with("kernel", text).gemm}
    if find_blas() is not None:
        tasks["blas"] = compile_with("blas", text).gemm
    rows: Dict[str, Dict[str, float]] = {}
    flops = 2.0 * m * n * k
    for name, fn in tasks.items():
        c[...] = 0
        fn(a, b, c)
        error = float(np.abs(c - opa @ opb).max()) if c.size else 0.0
        timing = time_calls(lambda fn=fn: fn(a, b, c), budget_s=budget_s)
        rows[name] = {"median_s": timing["median_s"], "gflops": flops / timing["median_s"] / 1e9,
                      "max_abs_error": error, "repeats": timing["repeats"]}
    out = np.empty_like(c)
    timing = time_calls(lambda: np.matmul(opa, opb, out=out), budget_s=budget_s)
    rows["numpy"] = {"median_s": timing["median_s"], "gflops": flops / timing["median_s"] / 1e9,
                     "repeats": timing["repeats"]}
    return rows


def run_gemm_sweep(budget_s: float = 0.5, cases=CASES, only=()) -> Dict[str, object]:
    """Every case; what ``--json`` prints."""
    from .bench_mlp import blas_core, blas_threads

    before = blas_threads()
    result: Dict[str, object] = {
        "blas_threads": blas_threads(1), "blas_core": blas_core(),
        "blas_coretype_env": os.environ.get("OPENBLAS_CORETYPE"), "cpus": os.cpu_count(), "cases": []}
    for label, m, n, k, ta, tb, dt in cases:
        if only and not any(text in label for text in only):
            continue
        rows = bench_case(m, n, k, ta, tb, dt, budget_s)
        winner = min(rows, key=lambda r: rows[r]["median_s"])
        _progress(f"{label} {m}x{n}x{k} {dt}: " + ", ".join(f"{r} {v['gflops']:.0f} GFLOP/s" for r, v in rows.items()))
        result["cases"].append({"label": label, "m": m, "n": n, "k": k, "transpose_a": ta, "transpose_b": tb,
                                "dtype": dt, "rows": rows, "fastest": winner})
    if before is not None:
        blas_threads(before)
    return result


def format_sweep(r) -> str:
    """A table: per case the median and GFLOP/s of each row and the fastest."""
    head = (f"blas.gemm: irc's kernel against OpenBLAS ({r.get('blas_core') or '?'} kernels"
            + (f", OPENBLAS_CORETYPE={r['blas_coretype_env']}" if r.get("blas_coretype_env") else "")
            + f", {r.get('blas_threads') or '?'} thread) and numpy.matmul; median per call, {r['cpus']} CPUs "
            "(shared machine: noisy)")
    lines = [head, f"  {'case':<18}{'m x n x k':>16} {'dt':<4}{'kernel':>18}{'OpenBLAS':>18}{'numpy':>18}  fastest"]
    for case in r["cases"]:
        cells = []
        for row in ("kernel", "blas", "numpy"):
            v = case["rows"].get(row)
            cells.append(f"{v['median_s'] * 1e6:9.1f}us {v['gflops']:5.0f}GF" if v else "-".rjust(18))
        shape = f"{case['m']}x{case['n']}x{case['k']}" + ("".join(
            t for t, on in (("ᵀa", case["transpose_a"]), ("ᵀb", case["transpose_b"])) if on))
        lines.append(f"  {case['label']:<18}{shape:>16} {case['dtype']:<4}" + "".join(cells)
                     + f"  {case['fastest']}")
    return "\n".join(lines)


def main(argv=None) -> int:
    """``python -m irc.tools.bench_gemm [--json] [--budget SECONDS]``."""
    import argparse

    parser = argparse.ArgumentParser(prog="python -m irc.tools.bench_gemm", description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--budget", type=float, default=0.5, help="seconds of timed calls per row and case")
    parser.add_argument("--case", action="append", default=[], metavar="TEXT",
                        help="run only the cases whose label contains TEXT (repeatable)")
    args = parser.parse_args(argv)
    result = run_gemm_sweep(args.budget, only=args.case)
    print(json.dumps(result, indent=2) if args.json else format_sweep(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
