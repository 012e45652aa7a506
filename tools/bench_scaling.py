"""`irc bench scaling`: the shapes that differentiation and tracing produce, at n, 2n and 4n.

Each case generates one module whose size grows with n and runs it through
the passes named beside it: parse, the passes, verify after each, print
(in-process, start-up excluded). The table gives the time at n, 2n and 4n
and the growth per doubling (the geometric mean of t(2n)/t(n) and
t(4n)/t(2n)): about 2 is linear, about 4 quadratic. `mlir-opt` runs the same
file with its equivalent flags where it has them, as a subprocess (its
start-up, a few milliseconds, included). A benchmark, not a timed test.
"""

from __future__ import annotations

import gc
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile
import time
from typing import Callable, Dict, List, NamedTuple, Optional

MLIR_OPT_PLACES = ("/usr/lib/llvm-22/bin/mlir-opt",)


# ----------------------------------------------------------------------------
# generators: each returns the MLIR text of one case at size n


def mulf_chain_constant_on_left(n: int) -> str:
    """A constant on the left of n `arith.mulf` (canonicalize moves each to the right)."""
    lines = ["func.func @f(%x: f64) -> f64 {", "  %c = arith.constant 3.0 : f64", "  %v0 = arith.mulf %c, %x : f64"]
    lines += [f"  %v{i} = arith.mulf %c, %v{i - 1} : f64" for i in range(1, n)]
    lines += [f"  return %v{n - 1} : f64", "}"]
    return "\n".join(lines) + "\n"


def dead_users_of_one_argument(n: int) -> str:
    """n unused `arith.addf` of one argument (dce erases them all)."""
    lines = ["func.func @f(%x: f64) -> f64 {"]
    lines += [f"  %d{i} = arith.addf %x, %x : f64" for i in range(n)]
    lines += ["  return %x : f64", "}"]
    return "\n".join(lines) + "\n"


def small_callee_called_n_times(n: int) -> str:
    """A two-op callee with named values, called n times in a chain (inline, then print the names)."""
    lines = [
        "func.func private @square_plus(%a: f64) -> f64 {",
        "  %sq = arith.mulf %a, %a : f64",
        "  %sum = arith.addf %sq, %a : f64",
        "  return %sum : f64",
        "}",
        "func.func @f(%x: f64) -> f64 {",
        "  %r0 = func.call @square_plus(%x) : (f64) -> f64",
    ]
    lines += [f"  %r{i} = func.call @square_plus(%r{i - 1}) : (f64) -> f64" for i in range(1, n)]
    lines += [f"  return %r{n - 1} : f64", "}"]
    return "\n".join(lines) + "\n"


def call_chain_of_functions(n: int) -> str:
    """n functions, each calling the previous one (verify alone: every call resolves its callee)."""
    lines = ["func.func @f0(%x: f64) -> f64 {", "  return %x : f64", "}"]
    for i in range(1, n):
        lines += [
            f"func.func @f{i}(%x: f64) -> f64 {{",
            f"  %y = func.call @f{i - 1}(%x) : (f64) -> f64",
            "  return %y : f64",
            "}",
        ]
    return "\n".join(lines) + "\n"


def many_grad_functions(n: int) -> str:
    """n small functions, each with its own `ad.grad` caller, in one module (--ad)."""
    lines = []
    for i in range(n):
        lines += [
            f"func.func @p{i}(%x: f64) -> f64 {{",
            "  %y = arith.mulf %x, %x : f64",
            "  return %y : f64",
            "}",
            f"func.func @g{i}(%x: f64) -> f64 {{",
            f"  %d = ad.grad @p{i}(%x) : (f64) -> f64",
            "  return %d : f64",
            "}",
        ]
    return "\n".join(lines) + "\n"


def straight_line_chain_gradient(n: int) -> str:
    """Reverse mode (--ad) of one function that is a straight-line chain of n ops."""
    ops = ("arith.mulf {a}, %x", "math.sin {a}", "arith.addf {a}, %x", "math.exp {a}")
    lines = ["func.func @chain(%x: f64) -> f64 {", "  %t0 = arith.mulf %x, %x : f64"]
    for i in range(1, n):
        lines.append(f"  %t{i} = " + ops[i % len(ops)].format(a=f"%t{i - 1}") + " : f64")
    lines += [f"  return %t{n - 1} : f64", "}"]
    lines += ["func.func @grad(%x: f64) -> f64 {", "  %d = ad.grad @chain(%x) : (f64) -> f64", "  return %d : f64",
              "}"]
    return "\n".join(lines) + "\n"


def many_equal_ops(n: int) -> str:
    """n equal `arith.addf %x, %y`, each feeding a running sum (cse keeps one)."""
    lines = ["func.func @f(%x: f64, %y: f64) -> f64 {", "  %s0 = arith.addf %x, %y : f64"]
    for i in range(1, n):
        lines.append(f"  %e{i} = arith.addf %x, %y : f64")
        lines.append(f"  %s{i} = arith.mulf %s{i - 1}, %e{i} : f64")
    lines += [f"  return %s{n - 1} : f64", "}"]
    return "\n".join(lines) + "\n"


def loop_with_invariant_ops(n: int) -> str:
    """An scf.for whose body has n loop-invariant ops and one that varies (licm hoists n)."""
    lines = [
        "func.func @f(%x: f64, %lb: index, %ub: index, %st: index) -> f64 {",
        "  %r = scf.for %i = %lb to %ub step %st iter_args(%acc = %x) -> (f64) {",
        "    %h0 = arith.mulf %x, %x : f64",
    ]
    lines += [f"    %h{i} = arith.addf %h{i - 1}, %x : f64" for i in range(1, n)]
    lines += [
        f"    %next = arith.addf %acc, %h{n - 1} : f64",
        "    scf.yield %next : f64",
        "  }",
        "  return %r : f64",
        "}",
    ]
    return "\n".join(lines) + "\n"


def nested_regions(n: int) -> str:
    """n nested `scf.execute_region`s, each using the function's argument (parse/verify/canonicalize/print)."""
    lines = ["func.func @f(%x: f64) -> f64 {"]
    for i in range(n):
        lines.append(f"  %r{i} = scf.execute_region -> f64 {{")
    lines.append("  %v = arith.addf %x, %x : f64")
    lines.append("  scf.yield %v : f64")
    for i in reversed(range(n)):
        lines.append("  }")
        lines.append(f"  scf.yield %r{i} : f64" if i else f"  return %r{i} : f64")
    lines.append("}")
    return "\n".join(lines) + "\n"


def products_sharing_one_zero(n: int) -> str:
    """n matrix products, each into a copy of one zero buffer filled at the top (what a
    bufferized gradient with n weight matrices of one shape looks like; convert-linalg-to-blas
    makes each an overwriting gemm and drops the copies)."""
    t = "memref<2x2xf32>"
    lines = [f"func.func @f(%a: {t}, %b: {t}) -> {t} {{", "  %zero = arith.constant 0.0 : f32",
             f"  %z = memref.alloc() : {t}", f"  linalg.fill ins(%zero : f32) outs(%z : {t})"]
    for i in range(n):
        lines += [f"  %c{i} = memref.alloc() : {t}", f"  memref.copy %z, %c{i} : {t} to {t}",
                  f"  linalg.matmul ins(%a, %b : {t}, {t}) outs(%c{i} : {t})",
                  f"  memref.dealloc %c{i} : {t}"]
    lines += [f"  return %z : {t}", "}"]
    return "\n".join(lines) + "\n"


class Case(NamedTuple):
    """One scaling case: how to make it, what irc runs on it, what mlir-opt runs (None: no equivalent)."""

    name: str
    generate: Callable[[int], str]
    irc_passes: List[str]
    mlir_opt_flags: Optional[List[str]]
    scale: float = 1.0  # sizes are n*scale, 2n*scale, 4n*scale (nesting depth costs more per unit)


CASES: List[Case] = [
    Case("canonicalize: constant on the left of n mulf", mulf_chain_constant_on_left, ["--canonicalize"],
         ["--canonicalize"]),
    Case("dce: n dead users of one argument", dead_users_of_one_argument, ["--dce"], ["--canonicalize"]),
    Case("inline: a small callee inlined n times, printed", small_callee_called_n_times, ["--inline"],
         ["--inline"]),
    Case("verify: n functions each calling the previous", call_chain_of_functions, [], []),
    Case("ad: n ad.grad functions in one module", many_grad_functions, ["--ad"], None),
    Case("ad: reverse mode of an n-op straight-line chain", straight_line_chain_gradient, ["--ad"], None),
    Case("cse: n equal ops", many_equal_ops, ["--cse"], ["--cse"]),
    Case("licm: n invariant ops in one loop", loop_with_invariant_ops, ["--loop-invariant-code-motion"],
         ["--loop-invariant-code-motion"]),
    Case("blas: n products into copies of one zero buffer", products_sharing_one_zero,
         ["--convert-linalg-to-blas"], None, 0.25),
    Case("nesting: n/5 nested regions, canonicalized", nested_regions, ["--canonicalize"], ["--canonicalize"],
         0.2),
]


# ----------------------------------------------------------------------------
# running


def mlir_opt_path() -> Optional[str]:
    """`mlir-opt` from the PATH or LLVM 22's folder; None when absent."""
    found = shutil.which("mlir-opt")
    if found:
        return found
    return next((p for p in MLIR_OPT_PLACES if os.access(p, os.X_OK)), None)


def time_irc(text: str, filename: str, passes: List[str]) -> float:
    """Seconds for parse + passes (verifying after each) + print of `text`, in this process."""
    from irc.parser import parse_module
    from irc.passes.pass_manager import PassManager, create_pass, load_passes
    from irc.printer import print_op

    load_passes()
    pm = PassManager("builtin.module", verify_each=True)
    for flag in passes:
        pm.add(create_pass(flag.lstrip("-"), {}))
    gc_was_enabled = gc.isenabled()
    gc.disable()  # as `irc opt` runs: IR is reference cycles, collecting mid-run costs more than it frees
    try:
        t0 = time.perf_counter()
        module = parse_module(text, filename)
        pm.run(module)
        print_op(module)
        return time.perf_counter() - t0
    finally:
        if gc_was_enabled:
            gc.enable()
        gc.collect()


def time_mlir_opt(mlir_opt: str, path: str, flags: List[str], timeout: float) -> tuple:
    """(seconds, None) for `mlir-opt FILE FLAGS`, or (None, why it failed)."""
    argv = [mlir_opt, path, "--allow-unregistered-dialect", *flags]
    t0 = time.perf_counter()
    try:
        proc = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return None, f"over {timeout:.0f} s"
    dt = time.perf_counter() - t0
    if proc.returncode != 0:
        last = (proc.stderr.strip().splitlines() or [f"exit code {proc.returncode}"])[0]
        return None, f"failed: {last[:80]}"
    return dt, None


def growth_per_doubling(times: List[Optional[float]]) -> Optional[float]:
    """The geometric mean of t(2n)/t(n) and t(4n)/t(2n)."""
    if len(times) < 2 or any(t is None or t <= 0 for t in times):
        return None
    return math.exp((math.log(times[-1]) - math.log(times[0])) / (len(times) - 1))


def _progress(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def run_scaling_benchmark(n: int, selected: Optional[List[str]] = None, timeout: float = 600.0) -> Dict[str, object]:
    """Every case (or those whose name contains one of `selected`) at n, 2n, 4n; the `--json` object."""
    mlir_opt = mlir_opt_path()
    result: Dict[str, object] = {
        "benchmark": "scaling",
        "n": n,
        "python": sys.version.split()[0],
        "cpus": os.cpu_count(),
        "mlir_opt": mlir_opt,
        "cases": [],
    }
    if mlir_opt is None:
        _progress("mlir-opt: not installed (apt-get install mlir-22-tools), its column is skipped")
    cases = [c for c in CASES if not selected or any(s in c.name for s in selected)]
    with tempfile.TemporaryDirectory(prefix="irc-bench-scaling-") as tmp:
        for case in cases:
            sizes = [max(1, int(n * case.scale * k)) for k in (1, 2, 4)]
            time_irc(case.generate(2), os.path.join(tmp, "warm_up.mlir"), case.irc_passes)  # imports, grammar
            row = {"case": case.name, "passes": case.irc_passes, "sizes": sizes, "irc_s": [], "mlir_opt_s": [],
                   "mlir_opt_flags": case.mlir_opt_flags, "mlir_opt_error": None}
            for size in sizes:
                text = case.generate(size)
                path = os.path.join(tmp, f"case_{size}.mlir")
                with open(path, "w", encoding="utf-8") as f:
                    f.write(text)
                dt = time_irc(text, path, case.irc_passes)
                row["irc_s"].append(dt)
                _progress(f"{case.name} at {size}: irc {dt:.3f} s")
                if mlir_opt is not None and case.mlir_opt_flags is not None and row["mlir_opt_error"] is None:
                    mdt, err = time_mlir_opt(mlir_opt, path, case.mlir_opt_flags, timeout)
                    row["mlir_opt_s"].append(mdt)
                    row["mlir_opt_error"] = err
            row["irc_growth"] = growth_per_doubling(row["irc_s"])
            row["mlir_opt_growth"] = growth_per_doubling(row["mlir_opt_s"]) if row["mlir_opt_error"] is None else None
            result["cases"].append(row)
    return result


def format_table(r: Dict[str, object]) -> str:
    """The table: irc's seconds at each size and growth per doubling, mlir-opt's beside."""
    def seconds(ts):
        return " ".join(f"{t:7.3f}" if t is not None else f"{'-':>7}" for t in ts)

    has_mlir = r["mlir_opt"] is not None
    lines = [f"irc bench scaling: n = {r['n']}, sizes n, 2n, 4n; seconds (parse + passes + verify + print, "
             f"in-process); growth per doubling ~2 is linear, ~4 quadratic; {r['cpus']} CPUs, Python {r['python']}"]
    if not has_mlir:
        lines.append("  mlir-opt: not installed, column skipped")
    header = f"  {'case':<50} {'passes':<30} {'sizes':<20} {'irc seconds':>23}  {'growth':>6}"
    if has_mlir:
        header += f"   {'mlir-opt seconds':>23}  {'growth':>6}"
    lines.append(header)
    for row in r["cases"]:
        g = row["irc_growth"]
        line = (f"  {row['case']:<50} {' '.join(row['passes']) or '(verify)':<30} "
                f"{'/'.join(map(str, row['sizes'])):<20} {seconds(row['irc_s']):>23}  "
                f"{(f'{g:.2f}' if g else '-'):>6}")
        if has_mlir:
            if row["mlir_opt_flags"] is None:
                line += "   no equivalent pass"
            elif row["mlir_opt_error"]:
                line += f"   {row['mlir_opt_error']}"
            else:
                mg = row["mlir_opt_growth"]
                line += f"   {seconds(row['mlir_opt_s']):>23}  {(f'{mg:.2f}' if mg else '-'):>6}"
        lines.append(line)
    return "\n".join(lines)


def main(args) -> int:
    """`irc bench scaling` (args: n, case, json from the argparse namespace)."""
    n = int(getattr(args, "n", 5000))
    if n < 1:
        print("irc: error: --n must be at least 1", file=sys.stderr)
        return 1
    result = run_scaling_benchmark(n, getattr(args, "case", None) or None)
    print(json.dumps(result, indent=2) if args.json else format_table(result))
    return 0
