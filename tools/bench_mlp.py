"""`irc bench mlp`: a two-layer perceptron, and matmul loops against BLAS.

The model: ``L = sum(tanh(W2 @ tanh(W1 @ x + b1) + b2))`` with W1, W2
256x256, x 256x64, b1, b2 of 256 (added to every column), float32.  Three
tasks: the primal, the gradient with respect to (W1, b1, W2, b2), and a
Hessian-vector product in a random direction (forward over reverse).

Tools in the same run:

- irc: the model in tensor IR (``linalg.broadcast``/``matmul``/``tanh``/
  ``reduce``), differentiated on tensors (``ad.grad``, and ``ad.jvp`` of the
  gradient), inlined and canonicalized on tensors, bufferized with function
  boundaries (``--one-shot-bufferize``), its matrix products made blas ops
  (``--convert-linalg-to-blas``: irc's gemm kernel or OpenBLAS, an overwriting
  gemm where the output was a fresh zero), rid of buffers only dropped results
  needed (``--remove-dead-buffers``), the rest lowered to loops whose float
  reductions may be reassociated, as jax's are
  (``--convert-linalg-to-loops{reassociate-reductions=true}``), and compiled by
  the LLVM backend at -O3; its results are checked against numpy's;
- numpy (the gradient and the HVP written by hand), ``jax.jit`` and PyTorch
  (eager autograd) when installed (``pip install 'irc[bench]'``).

``matmul``: the 256x256 @ 256x64 float32 product as an irc loop nest over
memrefs compiled at -O3 for the host CPU (i-k-j order, so LLVM's loop
vectorizer works along contiguous rows), as ``linalg.matmul`` through
``--convert-linalg-to-blas`` (a ``blas.gemm``) compiled to irc's own kernel
(``IRC_GEMM=kernel``) and to a call of numpy's OpenBLAS (``IRC_GEMM=blas``),
against that OpenBLAS called directly (``scipy_cblas_sgemm64_``) and
``numpy.matmul``: what decided that matmul-like ops become blas ops and which
lowering they get (``python -m irc.tools.bench_gemm`` measures more shapes).

Medians of many calls after a warm-up; compile (or trace) time apart.
Progress goes to stderr; ``--json`` prints one JSON object.  Timings on a
shared machine are noisy: compare the ratios, taken in the same run.
"""

from __future__ import annotations

import ctypes
import json
import os
import sys
import time
from typing import Callable, Dict, Optional

from .bench_compiled import _measure, _progress, _ratio, _t, _us, goal_lines, measure_peer, missing_peer

N, BATCH = 256, 64


def model_inputs(seed: int = 0):
    """(W1, b1, W2, b2, x) and an HVP direction of the same shapes, float32."""
    import numpy as np

    rng = np.random.default_rng(seed)

    def draw(*shape, scale=1.0):
        return (rng.standard_normal(shape) * scale).astype(np.float32)

    params = [draw(N, N, scale=N ** -0.5), draw(N), draw(N, N, scale=N ** -0.5), draw(N)]
    x = draw(N, BATCH)
    direction = [draw(*p.shape) for p in params]
    return params, x, direction


# -- numpy ---------------------------------------------------------------------------------


def numpy_tasks(params, x, v) -> Dict[str, Callable]:
    """Primal, gradient and HVP written out in numpy (the derivatives by hand)."""
    import numpy as np

    W1, b1, W2, b2 = params
    VW1, Vb1, VW2, Vb2 = v

    def primal():
        h = np.tanh(W1 @ x + b1[:, None])
        return np.tanh(W2 @ h + b2[:, None]).sum()

    def grad():
        h = np.tanh(W1 @ x + b1[:, None])
        y = np.tanh(W2 @ h + b2[:, None])
        g2 = 1 - y * y
        g1 = (W2.T @ g2) * (1 - h * h)
        return g1 @ x.T, g1.sum(1), g2 @ h.T, g2.sum(1)

    def hvp():
        h = np.tanh(W1 @ x + b1[:, None])
        dh = (1 - h * h) * (VW1 @ x + Vb1[:, None])
        y = np.tanh(W2 @ h + b2[:, None])
        dy = (1 - y * y) * (VW2 @ h + W2 @ dh + Vb2[:, None])
        g2, dg2 = 1 - y * y, -2 * y * dy
        gh = W2.T @ g2
        dgh = VW2.T @ g2 + W2.T @ dg2
        dg1 = dgh * (1 - h * h) - 2 * gh * h * dh
        return dg1 @ x.T, dg1.sum(1), dg2 @ h.T + g2 @ dh.T, dg2.sum(1)

    return {"primal": primal, "gradient": grad, "hvp": hvp}


def bench_numpy(budget_s: float) -> Dict[str, object]:
    import numpy as np

    params, x, v = model_inputs()
    return measure_peer("numpy", numpy_tasks(params, x, v), budget_s, np.__version__)


# -- jax, PyTorch ----------------------------------------------------------------------------


def bench_jax(budget_s: float) -> Dict[str, object]:
    try:
        import jax
        import jax.numpy as jnp
    except ImportError:
        return missing_peer("jax")
    params, x, v = model_inputs()
    params, x, v = [jnp.asarray(p) for p in params], jnp.asarray(x), [jnp.asarray(d) for d in v]

    def loss(W1, b1, W2, b2):
        return jnp.sum(jnp.tanh(W2 @ jnp.tanh(W1 @ x + b1[:, None]) + b2[:, None]))

    grad = jax.grad(loss, argnums=(0, 1, 2, 3))
    primal_j = jax.jit(loss)
    grad_j = jax.jit(grad)
    hvp_j = jax.jit(lambda p, d: jax.jvp(lambda *q: grad(*q), tuple(p), tuple(d))[1])
    tasks = {
        "primal": lambda: jax.block_until_ready(primal_j(*params)),
        "gradient": lambda: jax.block_until_ready(grad_j(*params)),
        "hvp": lambda: jax.block_until_ready(hvp_j(params, v)),
    }
    return measure_peer("jax.jit", tasks, budget_s, jax.__version__, traced=True)


def bench_torch(budget_s: float) -> Dict[str, object]:
    try:
        import torch
    except ImportError:
        return missing_peer("PyTorch")
    params, x, v = model_inputs()
    x = torch.from_numpy(x)
    v = [torch.from_numpy(d) for d in v]

    def fresh():
        return [torch.from_numpy(p.copy()).requires_grad_() for p in params]

    def loss(W1, b1, W2, b2):
        return torch.tanh(W2 @ torch.tanh(W1 @ x + b1[:, None]) + b2[:, None]).sum()

    def primal():
        with torch.no_grad():
            return loss(*[torch.from_numpy(p) for p in params]).item()

    def grad():
        p = fresh()
        return torch.autograd.grad(loss(*p), p)

    def hvp():
        p = fresh()
        g = torch.autograd.grad(loss(*p), p, create_graph=True)
        dot = sum((gi * vi).sum() for gi, vi in zip(g, v))
        return torch.autograd.grad(dot, p)

    return measure_peer("PyTorch (eager)", {"primal": primal, "gradient": grad, "hvp": hvp}, budget_s,
                        torch.__version__)


# -- irc --------------------------------------------------------------------------------------


def mlp_tensor_text(n: int = N, batch: int = BATCH, dt: str = "f32") -> str:
    """The model in tensor IR (linalg.broadcast/matmul/tanh/reduce): @mlp, @mlp_grad
    (``ad.grad`` with respect to the four parameters) and @mlp_hvp (``ad.jvp`` of
    @mlp_grad: forward over reverse)."""
    W, V, X = f"tensor<{n}x{n}x{dt}>", f"tensor<{n}x{dt}>", f"tensor<{n}x{batch}x{dt}>"
    S = f"tensor<{dt}>"
    return f"""
func.func @mlp(%W1: {W}, %b1: {V}, %W2: {W}, %b2: {V}, %x: {X}) -> {dt} {{
  %e = tensor.empty() : {X}
  %bias1 = linalg.broadcast ins(%b1 : {V}) outs(%e : {X}) dimensions = [1]
  %z1 = linalg.matmul ins(%W1, %x : {W}, {X}) outs(%bias1 : {X}) -> {X}
  %h = linalg.tanh ins(%z1 : {X}) outs(%e : {X}) -> {X}
  %e2 = tensor.empty() : {X}
  %bias2 = linalg.broadcast ins(%b2 : {V}) outs(%e2 : {X}) dimensions = [1]
  %z2 = linalg.matmul ins(%W2, %h : {W}, {X}) outs(%bias2 : {X}) -> {X}
  %y = linalg.tanh ins(%z2 : {X}) outs(%e2 : {X}) -> {X}
  %zero = arith.constant 0.0 : {dt}
  %e0 = tensor.empty() : {S}
  %init = linalg.fill ins(%zero : {dt}) outs(%e0 : {S}) -> {S}
  %sum = linalg.reduce {{ arith.addf }} ins(%y : {X}) outs(%init : {S}) dimensions = [0, 1]
  %l = tensor.extract %sum[] : {S}
  return %l : {dt}
}}
func.func @mlp_grad(%W1: {W}, %b1: {V}, %W2: {W}, %b2: {V}, %x: {X}) -> ({W}, {V}, {W}, {V}) {{
  %g:4 = ad.grad @mlp(%W1, %b1, %W2, %b2, %x) {{wrt = [0, 1, 2, 3]}} : ({W}, {V}, {W}, {V}, {X}) -> ({W}, {V}, {W}, {V})
  return %g#0, %g#1, %g#2, %g#3 : {W}, {V}, {W}, {V}
}}
func.func @mlp_hvp(%W1: {W}, %b1: {V}, %W2: {W}, %b2: {V}, %x: {X}, %v1: {W}, %v2: {V}, %v3: {W}, %v4: {V}) -> ({W}, {V}, {W}, {V}) {{
  %r:8 = ad.jvp @mlp_grad(%W1, %b1, %W2, %b2, %x, %v1, %v2, %v3, %v4) {{wrt = [0, 1, 2, 3]}} : ({W}, {V}, {W}, {V}, {X}, {W}, {V}, {W}, {V}) -> ({W}, {V}, {W}, {V}, {W}, {V}, {W}, {V})
  return %r#4, %r#5, %r#6, %r#7 : {W}, {V}, {W}, {V}
}}
"""


# differentiate on tensors, inline the generated functions and simplify there (the seed
# folds, unused operands go), bufferize (function boundaries too: tensor arguments and results
# become memrefs), matmul-like ops to blas ops (overwriting fresh zeros), drop buffers only a
# dropped result needed (the HVP's gradient), the other linalg ops to loops (reductions
# reassociable), clean up
PIPELINE = ("ad,inline,symbol-dce,canonicalize,cse,one-shot-bufferize{bufferize-function-boundaries=true},"
            "convert-linalg-to-blas,remove-dead-buffers,convert-linalg-to-loops{reassociate-reductions=true},canonicalize,cse")


def mlp_module_text(n: int = N, batch: int = BATCH, dt: str = "f32") -> str:
    """The model after PIPELINE: loops over memrefs, ready for the LLVM backend."""
    import irc
    from irc.passes import run_pipeline

    module = irc.parse_module(mlp_tensor_text(n, batch, dt))
    run_pipeline(module, PIPELINE)
    return irc.print_op(module)


def bench_irc(budget_s: float) -> Dict[str, object]:
    """irc: the tensor program through PIPELINE, compiled by the LLVM backend at -O3."""
    import irc
    from irc.backends.llvm import jit

    params, x, v = model_inputs()
    jit.clear_memory_cache()
    t0 = time.perf_counter()
    compiled = irc.compile(mlp_module_text(), opt_level=3, disk_cache=False)
    compile_s = time.perf_counter() - t0
    _progress(f"irc: compiled in {compile_s:.2f} s ({PIPELINE}; LLVM -O3)")
    tasks = {"primal": lambda: compiled.mlp(*params, x), "gradient": lambda: compiled.mlp_grad(*params, x),
             "hvp": lambda: compiled.mlp_hvp(*params, x, *v)}
    out = _measure("irc", tasks, compile_s, budget_s)
    import numpy as np

    reference = numpy_tasks(params, x, v)
    out["max_rel_error"] = {
        task: max(float(np.abs(np.asarray(a) - np.asarray(b)).max() / (np.abs(np.asarray(b)).max() or 1.0))
                  for a, b in zip(_as_list(fn()), _as_list(reference[task]())))
        for task, fn in tasks.items()
    }
    out["form"] = f"tensor IR through {PIPELINE}"
    return out


def _as_list(v):
    return list(v) if isinstance(v, (list, tuple)) else [v]


# -- matmul: LLVM loop nest against OpenBLAS ------------------------------------------------


def matmul_module_text(n: int = N, k: int = N, m: int = BATCH) -> str:
    """C = A @ B over memrefs in i-k-j order (rows of B and C contiguous in the inner loop)."""
    return f"""
func.func @matmul(%A: memref<{n}x{k}xf32>, %B: memref<{k}x{m}xf32>, %C: memref<{n}x{m}xf32>) {{
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %n = arith.constant {n} : index
  %k = arith.constant {k} : index
  %m = arith.constant {m} : index
  %zero = arith.constant 0.0 : f32
  scf.for %i = %c0 to %n step %c1 {{
    scf.for %j = %c0 to %m step %c1 {{
      memref.store %zero, %C[%i, %j] : memref<{n}x{m}xf32>
    }}
    scf.for %p = %c0 to %k step %c1 {{
      %a = memref.load %A[%i, %p] : memref<{n}x{k}xf32>
      scf.for %j = %c0 to %m step %c1 {{
        %b = memref.load %B[%p, %j] : memref<{k}x{m}xf32>
        %c = memref.load %C[%i, %j] : memref<{n}x{m}xf32>
        %ab = arith.mulf %a, %b : f32
        %s = arith.addf %c, %ab : f32
        memref.store %s, %C[%i, %j] : memref<{n}x{m}xf32>
      }}
    }}
  }}
  return
}}
"""


def matmul_blas_module_text(n: int = N, k: int = N, m: int = BATCH) -> str:
    """C += A @ B as linalg.matmul on memrefs through --convert-linalg-to-blas (a blas.gemm)."""
    import irc
    from irc.passes import run_pipeline

    A, B, C = f"memref<{n}x{k}xf32>", f"memref<{k}x{m}xf32>", f"memref<{n}x{m}xf32>"
    module = irc.parse_module(f"""
func.func @matmul(%A: {A}, %B: {B}, %C: {C}) {{
  linalg.matmul ins(%A, %B : {A}, {B}) outs(%C : {C})
  return
}}""")
    run_pipeline(module, "convert-linalg-to-blas,convert-linalg-to-loops")
    return irc.print_op(module)


def _openblas_library():
    """numpy's bundled OpenBLAS, loaded (the one numpy itself and irc's blas ops call), or None."""
    from irc.backends.llvm.blas import find_blas

    found = find_blas()
    return ctypes.CDLL(found.path) if found is not None else None


def blas_threads(count: Optional[int] = None) -> Optional[int]:
    """OpenBLAS's thread count, set first when `count` is given (None: no OpenBLAS found).
    The compiled code runs on one thread, so the comparisons pin BLAS to one too."""
    lib = _openblas_library()
    if lib is None:
        return None
    for suffix in ("scipy_openblas_{}_num_threads64_", "openblas_{}_num_threads"):
        setter, getter = getattr(lib, suffix.format("set"), None), getattr(lib, suffix.format("get"), None)
        if setter is not None and getter is not None:
            if count is not None:
                setter.argtypes = [ctypes.c_int]
                setter(count)
            getter.restype = ctypes.c_int
            return getter()
    return None


def blas_core() -> Optional[str]:
    """The kernel family OpenBLAS chose for this CPU ("Haswell", "SkylakeX" ...), or None."""
    from irc.backends.llvm.blas import find_blas

    found = find_blas()
    return found.core() if found is not None else None


def _openblas_sgemm():
    """numpy's bundled OpenBLAS ``cblas_sgemm`` (64-bit integers), or None."""
    lib = _openblas_library()
    if lib is not None:
        for name in ("scipy_cblas_sgemm64_", "cblas_sgemm64_", "cblas_sgemm"):
            fn = getattr(lib, name, None)
            if fn is not None:
                wide = "64" in name
                i = ctypes.c_int64 if wide else ctypes.c_int
                fn.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_int, i, i, i, ctypes.c_float, ctypes.c_void_p, i,
                               ctypes.c_void_p, i, ctypes.c_float, ctypes.c_void_p, i]
                fn.restype = None
                return name, fn
    return None


def bench_matmul(budget_s: float) -> Dict[str, object]:
    """The product as irc's compiled loop nest, blas.gemm as irc's kernel and as the OpenBLAS
    call, OpenBLAS's sgemm called directly, and numpy.matmul."""
    import numpy as np

    import irc
    from irc.backends.llvm import jit

    from .bench_gemm import compile_with

    rng = np.random.default_rng(1)
    A = rng.standard_normal((N, N)).astype(np.float32)
    B = rng.standard_normal((N, BATCH)).astype(np.float32)
    C = np.empty((N, BATCH), np.float32)
    jit.clear_memory_cache()
    t0 = time.perf_counter()
    compiled = irc.compile(matmul_module_text(), opt_level=3, disk_cache=False)
    compile_s = time.perf_counter() - t0
    tasks: Dict[str, Callable] = {"irc loop nest (LLVM -O3)": lambda: compiled.matmul(A, B, C)}
    gemm_text = matmul_blas_module_text()
    through = {"kernel": compile_with("kernel", gemm_text)}
    labels = {"kernel": "irc blas.gemm -> irc kernel", "blas": "irc blas.gemm -> OpenBLAS"}
    blas = _openblas_sgemm()
    if blas is not None:
        through["blas"] = compile_with("blas", gemm_text)
    outputs = {choice: np.zeros_like(C) for choice in through}
    for choice, module in through.items():
        tasks[labels[choice]] = lambda module=module, out=outputs[choice]: module.matmul(A, B, out)
    if blas is not None:
        name, sgemm = blas
        out = np.empty_like(C)

        def call_blas():  # row-major, no transposes: out = 1 * A @ B + 0 * out
            sgemm(101, 111, 111, N, BATCH, N, 1.0, A.ctypes.data, N, B.ctypes.data, BATCH, 0.0, out.ctypes.data,
                  BATCH)

        tasks[f"OpenBLAS {name}"] = call_blas
    tasks["numpy.matmul"] = lambda: np.matmul(A, B, out=np.empty_like(C))
    result = _measure("matmul", tasks, compile_s, budget_s)
    compiled.matmul(A, B, C)
    result["max_abs_error"] = float(np.abs(C - A @ B).max())
    for choice, module in through.items():
        outputs[choice][...] = 0
        module.matmul(A, B, outputs[choice])
        result[f"max_abs_error_{choice}"] = float(np.abs(outputs[choice] - A @ B).max())
    flops = 2.0 * N * N * BATCH
    result["gflops"] = {k: flops / v["median_s"] / 1e9 for k, v in result["tasks"].items()}
    best = min(result["tasks"], key=lambda k: result["tasks"][k]["median_s"])
    result["winner"] = best
    return result


# -- the run ------------------------------------------------------------------------------------


def run_mlp_benchmark(budget_s: float = 1.0) -> Dict[str, object]:
    """Every tool on the mlp benchmark, and the matmul comparison; what `--json` prints."""
    result: Dict[str, object] = {
        "benchmark": "mlp",
        "shapes": {"W1": [N, N], "W2": [N, N], "x": [N, BATCH], "b1": [N], "b2": [N]},
        "dtype": "float32",
        "cpus": os.cpu_count(),
        "python": sys.version.split()[0],
        "note": "medians of repeated calls after a warm-up; compile/trace time apart; shared machines are noisy",
    }
    before = blas_threads()
    result["blas_threads"] = blas_threads(1)  # one thread, as the compiled code
    result["blas_core"] = blas_core()
    result["blas_coretype_env"] = os.environ.get("OPENBLAS_CORETYPE")
    tools = {"irc": bench_irc, "numpy": bench_numpy, "jax_jit": bench_jax, "pytorch": bench_torch}
    for name, run in tools.items():
        r = run(budget_s)
        if "error" in r:
            _progress(f"{name}: skipped ({r['error']})")
        result[name] = r
    result["matmul"] = bench_matmul(budget_s)
    if before is not None:
        blas_threads(before)
    result["goals"] = mlp_goals(result)
    return result


def mlp_goals(r) -> Dict[str, Optional[float]]:
    """The issue's goals, measured (reported, never asserted)."""
    primal, grad, hvp = _t(r, "irc", "primal"), _t(r, "irc", "gradient"), _t(r, "irc", "hvp")
    jax_grad = _t(r, "jax_jit", "gradient")
    ratio = _ratio

    return {
        "gradient / primal (goal <= 2.5)": ratio(grad, primal),
        "gradient / jax.jit gradient (goal <= 1)": ratio(grad, jax_grad),
        "hvp / gradient (goal <= 2)": ratio(hvp, grad),
    }


def format_mlp_table(r) -> str:
    """Times per tool and task, the matmul comparison, and the goals."""
    lines = [
        f"irc bench mlp: sum(tanh(W2 @ tanh(W1 @ x + b1) + b2)), W 256x256, x 256x64, float32; median per call, "
        f"{r['cpus']} CPUs (shared machine: noisy), OpenBLAS on {r.get('blas_threads') or '?'} thread(s), "
        f"{r.get('blas_core') or '?'} kernels" + (f" (OPENBLAS_CORETYPE={r['blas_coretype_env']})"
                                                 if r.get("blas_coretype_env") else ""),
        f"  {'tool':<18}{'primal':>14}{'gradient':>14}{'hvp':>14}{'compile':>10}",
    ]
    labels = {"irc": "irc (LLVM -O3)", "numpy": "numpy (by hand)", "jax_jit": "jax.jit", "pytorch": "PyTorch eager"}
    for key, label in labels.items():
        tool = r.get(key) or {}
        if "error" in tool:
            lines.append(f"  {label:<18}skipped: {tool['error']}")
            continue
        cells = [_us(_t(r, key, task)) if _t(r, key, task) else "-" for task in ("primal", "gradient", "hvp")]
        comp = tool.get("compile_s")
        lines.append(f"  {label:<18}" + "".join(c.rjust(14) for c in cells) + (f"{comp:9.2f}s" if comp else ""))
    irc_row = r.get("irc") or {}
    if "form" in irc_row:
        errors = ", ".join(f"{k} {v:.1g}" for k, v in irc_row["max_rel_error"].items())
        lines.append(f"  irc: {irc_row['form']}; max relative error against numpy: {errors}")
    mm = r["matmul"]
    lines.append(f"  matmul 256x256 @ 256x64 float32 (max |error|: loop nest {mm['max_abs_error']:.2g}, "
                 f"kernel {mm.get('max_abs_error_kernel', float('nan')):.2g}, "
                 f"OpenBLAS {mm.get('max_abs_error_blas', float('nan')):.2g}):")
    for name, timing in mm["tasks"].items():
        lines.append(f"    {name:<34}{_us(timing['median_s']):>12}  {mm['gflops'][name]:6.1f} GFLOP/s")
    lines.append(f"    fastest: {mm['winner']}")
    lines += goal_lines(r["goals"])
    return "\n".join(lines)


def main(args) -> int:
    """`irc bench mlp`."""
    result = run_mlp_benchmark(budget_s=float(getattr(args, "budget", 1.0)))
    print(json.dumps(result, indent=2) if args.json else format_mlp_table(result))
    return 0
