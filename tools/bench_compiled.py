"""`irc bench ode` and `irc bench compile`: compiled code beside its peers.

`ode`: 10,000 explicit Euler steps y <- y + dt*sin(y)*p (dt = 1e-3, y0 = 0.5,
p = 1.3) written as an scf.for in irc IR, compiled by the LLVM backend:

- primal, gradient with respect to (y0, p) (`ad.grad`), and the
  Hessian-vector product (`ad.jvp` of the gradient: forward over reverse);
- peers in the same run: the same loop in C built with `cc -O2` (as a shared
  library called through ctypes, so both pay the same call cost), `jax.jit`
  (primal, `jax.grad`, `jax.jvp` of `jax.grad`) and PyTorch (eager autograd)
  when installed (`pip install 'irc[bench]'`), skipped with a note otherwise.

Each time is the median of many calls after a warm-up; compile (or trace)
time is reported apart.  `compile`: the JIT compile time of the ode and mlp
modules, cold and loaded from the disk cache (`mlp`: bench_mlp.py).  Progress goes to stderr; `--json`
prints one JSON object.  Timings on a shared machine are noisy: compare the
ratios, taken in the same run.
"""

from __future__ import annotations

import ctypes
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from typing import Callable, Dict, List, Optional

STEPS, DT, Y0, P = 10_000, 1e-3, 0.5, 1.3
V = (1.0, 0.5)  # the HVP's direction


def ode_module_text(steps: int = STEPS) -> str:
    """The benchmark in irc IR: @ode, @ode_grad (ad.grad) and @ode_hvp (ad.jvp of @ode_grad)."""
    return f"""
func.func @ode(%y0: f64, %p: f64) -> f64 {{
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %n = arith.constant {steps} : index
  %dt = arith.constant {DT!r} : f64
  %r = scf.for %i = %c0 to %n step %c1 iter_args(%y = %y0) -> (f64) {{
    %s = math.sin %y : f64
    %a = arith.mulf %dt, %s : f64
    %b = arith.mulf %a, %p : f64
    %y2 = arith.addf %y, %b : f64
    scf.yield %y2 : f64
  }}
  return %r : f64
}}
func.func @ode_grad(%y0: f64, %p: f64) -> (f64, f64) {{
  %g:2 = ad.grad @ode(%y0, %p) : (f64, f64) -> (f64, f64)
  return %g#0, %g#1 : f64, f64
}}
func.func @ode_hvp(%y0: f64, %p: f64, %v0: f64, %v1: f64) -> (f64, f64) {{
  %g0, %g1, %h0, %h1 = ad.jvp @ode_grad(%y0, %p, %v0, %v1) : (f64, f64, f64, f64) -> (f64, f64, f64, f64)
  return %h0, %h1 : f64, f64
}}
"""


C_SOURCE = """
#include <math.h>
double ode(double y, double p) {
    for (long i = 0; i < %d; ++i) y = y + (%r * sin(y)) * p;
    return y;
}
"""


def _progress(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def time_calls(fn: Callable[[], object], min_repeats: int = 15, budget_s: float = 1.0) -> Dict[str, object]:
    """Median (and min) seconds per call over at least `min_repeats` calls, more while within `budget_s`."""
    times: List[float] = []
    start = time.perf_counter()
    while len(times) < min_repeats or (time.perf_counter() - start < budget_s and len(times) < 1001):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return {"median_s": statistics.median(times), "min_s": min(times), "repeats": len(times)}


def _measure(label: str, tasks: Dict[str, Callable[[], object]], setup_s: Optional[float], budget_s: float):
    """Warm each task up (first call timed apart), then time it."""
    out: Dict[str, object] = {"compile_s": setup_s, "tasks": {}}
    for task, fn in tasks.items():
        t0 = time.perf_counter()
        value = fn()
        first = time.perf_counter() - t0
        # slow peers (eager PyTorch: seconds per call) get a few repeats, the rest many
        timing = time_calls(fn, min_repeats=3 if first > budget_s / 5 else 15, budget_s=budget_s)
        timing["first_call_s"] = first
        timing["value"] = _plain(value)
        out["tasks"][task] = timing
        _progress(f"{label} {task}: {timing['median_s'] * 1e6:.1f} us (median of {timing['repeats']})")
    return out


def measure_peer(label: str, tasks: Dict[str, Callable[[], object]], budget_s: float, version: str,
                 traced: bool = False) -> Dict[str, object]:
    """`_measure` for a peer library at `version`; a `traced` one (jax.jit) counts its first
    calls (trace + compile) as its compile time."""
    out = _measure(label, tasks, None, budget_s)
    if traced:
        out["compile_s"] = sum(t["first_call_s"] for t in out["tasks"].values())
    out["version"] = version
    return out


def missing_peer(name: str) -> Dict[str, object]:
    """What a peer's benchmark returns when the library is not installed (it is skipped)."""
    return {"error": f"{name} is not installed (pip install 'irc[bench]')"}


def _plain(v):
    try:
        import numpy as np

        return np.asarray(v, dtype=float).tolist()
    except (TypeError, ValueError):
        return repr(v)


def bench_irc(budget_s: float, opt_level: int = 3) -> Dict[str, object]:
    import irc
    from irc.backends.llvm import jit

    jit.clear_memory_cache()
    t0 = time.perf_counter()
    m = irc.compile(ode_module_text(), opt_level=opt_level, disk_cache=False)
    compile_s = time.perf_counter() - t0
    _progress(f"irc: compiled in {compile_s:.3f} s (AD lowering, LLVM -O{opt_level}, load)")
    ode, grad, hvp = m.ode, m.ode_grad, m.ode_hvp
    tasks = {
        "primal": lambda: ode(Y0, P),
        "gradient": lambda: grad(Y0, P),
        "hvp": lambda: hvp(Y0, P, *V),
    }
    return _measure("irc", tasks, compile_s, budget_s)


def bench_c(budget_s: float) -> Dict[str, object]:
    cc = shutil.which("cc") or shutil.which("gcc") or shutil.which("clang")
    if cc is None:
        return {"error": "no C compiler (cc) on the PATH"}
    with tempfile.TemporaryDirectory(prefix="irc-bench-c-") as tmp:
        src, lib = os.path.join(tmp, "ode.c"), os.path.join(tmp, "libode.so")
        with open(src, "w") as f:
            f.write(C_SOURCE % (STEPS, DT))
        t0 = time.perf_counter()
        proc = subprocess.run([cc, "-O2", "-shared", "-fPIC", "-o", lib, src, "-lm"], capture_output=True, text=True)
        compile_s = time.perf_counter() - t0
        if proc.returncode != 0:
            return {"error": f"cc failed: {proc.stderr.strip()[-500:]}"}
        dll = ctypes.CDLL(lib)
        fn = dll.ode
        fn.restype, fn.argtypes = ctypes.c_double, [ctypes.c_double, ctypes.c_double]
        _progress(f"C: built with {cc} -O2 in {compile_s:.3f} s")
        return _measure("C -O2", {"primal": lambda: fn(Y0, P)}, compile_s, budget_s)


def bench_jax(budget_s: float) -> Dict[str, object]:
    try:
        import jax
        import jax.numpy as jnp
    except ImportError:
        return missing_peer("jax")
    jax.config.update("jax_enable_x64", True)

    def ode(y0, p):
        return jax.lax.fori_loop(0, STEPS, lambda i, y: y + (DT * jnp.sin(y)) * p, y0)

    primal = jax.jit(ode)
    grad = jax.jit(jax.grad(ode, argnums=(0, 1)))
    hvp = jax.jit(lambda y0, p, v0, v1: jax.jvp(jax.grad(ode, argnums=(0, 1)), (y0, p), (v0, v1))[1])
    y0, p = jnp.float64(Y0), jnp.float64(P)
    v0, v1 = jnp.float64(V[0]), jnp.float64(V[1])

    def block(x):
        return jax.block_until_ready(x)

    tasks = {
        "primal": lambda: block(primal(y0, p)),
        "gradient": lambda: block(grad(y0, p)),
        "hvp": lambda: block(hvp(y0, p, v0, v1)),
    }
    return measure_peer("jax.jit", tasks, budget_s, jax.__version__, traced=True)


def bench_torch(budget_s: float) -> Dict[str, object]:
    try:
        import torch
    except ImportError:
        return missing_peer("PyTorch")
    torch.set_default_dtype(torch.float64)

    def ode(y, p):
        for _ in range(STEPS):
            y = y + (DT * torch.sin(y)) * p
        return y

    def primal():
        with torch.no_grad():
            return ode(torch.tensor(Y0), torch.tensor(P)).item()

    def grad():
        y0, p = torch.tensor(Y0, requires_grad=True), torch.tensor(P, requires_grad=True)
        return [g.item() for g in torch.autograd.grad(ode(y0, p), (y0, p))]

    def hvp():
        y0, p = torch.tensor(Y0, requires_grad=True), torch.tensor(P, requires_grad=True)
        g = torch.autograd.grad(ode(y0, p), (y0, p), create_graph=True)
        dot = g[0] * V[0] + g[1] * V[1]
        return [h.item() for h in torch.autograd.grad(dot, (y0, p))]

    return measure_peer("PyTorch (eager)", {"primal": primal, "gradient": grad, "hvp": hvp}, budget_s,
                        torch.__version__)


def run_ode_benchmark(budget_s: float = 1.0, opt_level: int = 3) -> Dict[str, object]:
    """All tools on the ode benchmark; the result is what `--json` prints."""
    result: Dict[str, object] = {
        "benchmark": "ode",
        "steps": STEPS,
        "cpus": os.cpu_count(),
        "python": sys.version.split()[0],
        "note": "medians of repeated calls after a warm-up; compile/trace time apart; shared machines are noisy",
    }
    tools = {"irc": lambda: bench_irc(budget_s, opt_level), "c_O2": lambda: bench_c(budget_s),
             "jax_jit": lambda: bench_jax(budget_s), "pytorch": lambda: bench_torch(budget_s)}  # fmt: skip
    for name, run in tools.items():
        r = run()
        if "error" in r:
            _progress(f"{name}: skipped ({r['error']})")
        result[name] = r
    result["goals"] = ode_goals(result)
    return result


def _t(result, tool, task) -> Optional[float]:
    r = result.get(tool) or {}
    return ((r.get("tasks") or {}).get(task) or {}).get("median_s")


def _ratio(a: Optional[float], b: Optional[float]) -> Optional[float]:
    """a / b where both were measured, else None."""
    return a / b if a and b else None


def goal_lines(goals: Dict[str, Optional[float]]) -> List[str]:
    """The goals block of a benchmark table: one line per goal, '-' where not measured."""
    return ["  goals:"] + [f"    {k:<42} {'-' if v is None else f'{v:.2f}'}" for k, v in goals.items()]


def ode_goals(r) -> Dict[str, object]:
    """The issue's goals, measured (reported, never asserted)."""
    primal, grad, hvp = _t(r, "irc", "primal"), _t(r, "irc", "gradient"), _t(r, "irc", "hvp")
    c, jax_grad = _t(r, "c_O2", "primal"), _t(r, "jax_jit", "gradient")
    ratio = _ratio
    goals = {
        "primal / C -O2 (goal <= 1.1)": ratio(primal, c),
        "gradient / primal (goal <= 1.5)": ratio(grad, primal),
        "gradient / jax.jit gradient (goal < 1)": ratio(grad, jax_grad),
        "hvp / gradient (goal <= 2)": ratio(hvp, grad),
    }
    return goals


def format_ode_table(r) -> str:
    """Times per tool and task, ratios to irc, and the goals."""
    lines = [
        f"irc bench ode: {r['steps']} Euler steps y <- y + dt*sin(y)*p, f64; median per call, "
        f"{r['cpus']} CPUs (shared machine: noisy)",
        f"  {'tool':<16}{'primal':>22}{'gradient':>22}{'hvp':>22}{'compile':>10}",
    ]
    labels = {"irc": "irc (LLVM -O3)", "c_O2": "C cc -O2", "jax_jit": "jax.jit", "pytorch": "PyTorch eager"}
    for key, label in labels.items():
        tool = r.get(key) or {}
        if "error" in tool:
            lines.append(f"  {label:<18} skipped: {tool['error']}")
            continue
        cells = []
        for task in ("primal", "gradient", "hvp"):
            t = _t(r, key, task)
            mine = _t(r, "irc", task)
            ratio = f" ({t / mine:.2f}x)" if (t and mine and key != "irc") else ""
            cells.append(f"{_us(t)}{ratio}" if t else "-")
        comp = tool.get("compile_s")
        lines.append(f"  {label:<16}" + "".join(c.rjust(22) for c in cells) + (f"{comp:9.2f}s" if comp else ""))
    lines.append("  (x: the peer's time over irc's; above 1 means irc is faster; compile: irc's JIT,"
                 " cc, jax's first calls)")
    lines += goal_lines(r["goals"])
    return "\n".join(lines)


def _us(seconds: float) -> str:
    return f"{seconds * 1e6:.1f} us" if seconds < 0.1 else f"{seconds:.2f} s"


def compile_cases():
    """The modules `irc bench compile` compiles: name -> (what it is, a function giving its text)."""
    from .bench_mlp import PIPELINE, mlp_module_text

    return {
        "ode": ("ode (primal, ad.grad, ad.jvp of the gradient)", ode_module_text),
        "mlp": ("mlp (primal, ad.grad, ad.jvp of the gradient on tensors; bufferized, gemm kernels and loops)",
                mlp_module_text),
    }


def run_compile_benchmark(repeat: int = 5, opt_level: int = 3) -> Dict[str, object]:
    """JIT compile time of each benchmark's module: cold, and loaded from the disk cache.
    The cold time includes making the module's text (parsing, AD); the cached one parses
    the text, checks the cache and loads the object code."""
    import irc
    from irc.backends.llvm import cache, jit

    cases = {}
    for name, (what, make_text) in compile_cases().items():
        cold, cached = [], []
        for i in range(repeat):
            jit.clear_memory_cache()
            t0 = time.perf_counter()
            text = make_text()
            irc.compile(text, opt_level=opt_level, disk_cache=False)
            cold.append(time.perf_counter() - t0)
            jit.clear_memory_cache()
            irc.compile(text, opt_level=opt_level, disk_cache=True)  # make sure the entry is on disk
            jit.clear_memory_cache()
            hits = jit.stats["disk_cache_hits"]
            t0 = time.perf_counter()
            irc.compile(text, opt_level=opt_level, disk_cache=True)
            cached.append(time.perf_counter() - t0)
            if jit.stats["disk_cache_hits"] == hits:
                cached[-1] = float("nan")  # the folder is not usable: no cached figure
            _progress(f"{name} round {i + 1}/{repeat}: cold {cold[-1]:.3f} s, from the disk cache {cached[-1]:.3f} s")
        cases[name] = {"module": what, "cold_s": statistics.median(cold), "disk_cache_s": statistics.median(cached)}
    return {
        "benchmark": "compile",
        "opt_level": opt_level,
        "repeat": repeat,
        "cases": cases,
        "cache_folder": cache.folder(),
    }


def format_compile_table(r) -> str:
    lines = [
        f"irc bench compile: JIT compile time, -O{r['opt_level']}, median of {r['repeat']} (shared machine: noisy); "
        f"disk cache in {r['cache_folder']}",
        f"  {'module':<90}{'cold':>9}{'cached':>9}",
    ]
    for case in r["cases"].values():
        lines.append(f"  {case['module']:<90}{case['cold_s']:8.3f}s{case['disk_cache_s']:8.3f}s")
    lines.append("  (cold: the module's text made (parse, AD), translated, optimized, loaded; cached: parsed, "
                 "the object code loaded from disk)")
    return "\n".join(lines)


def main(args) -> int:
    """`irc bench ode` / `irc bench compile` / `irc bench mlp`."""
    if args.which == "mlp":
        from .bench_mlp import main as mlp_main

        return mlp_main(args)
    if args.which == "ode":
        result = run_ode_benchmark(budget_s=float(getattr(args, "budget", 1.0)))
        print(json.dumps(result, indent=2) if args.json else format_ode_table(result))
        return 0
    result = run_compile_benchmark(repeat=int(args.repeat))
    print(json.dumps(result, indent=2) if args.json else format_compile_table(result))
    return 0
