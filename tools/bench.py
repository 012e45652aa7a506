"""`irc bench parse`: parse + verify + print speed, irc beside xDSL in the same run
(`irc bench ode` and `irc bench compile` are in bench_compiled.py).

Generates one function of N arith/math ops (default 20,000; a realistic mix
of constants, addf/mulf/subf/divf, sin/exp/tanh and cmpf+select) and times:

- irc in-process: `parse_module` (parse and verify) then `print_op`,
  split into its parse, verify and print parts; one warm-up run excluded;
- the whole `irc opt FILE` command as a subprocess, start-up included;
- `xdsl-opt FILE` as a subprocess (parse, verify, print), when installed;
- both commands on an empty module, which is their start-up alone.

Each figure is the median of `--repeat` rounds; a round runs each tool once,
so a change in the machine's load affects all of them alike.  `--json` prints one JSON
object instead of the table.  Progress goes to stderr.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from typing import Dict, List, Optional

_BINARY = ("arith.addf", "arith.mulf", "arith.subf", "arith.divf")
_UNARY = ("math.sin", "math.exp", "math.tanh")


def generate_function(num_ops: int, seed: int = 0) -> str:
    """MLIR text of `func.func @bench` with `num_ops` arith/math ops (plus its return)."""
    rng = random.Random(seed)
    lines = ["func.func @bench(%a: f64, %b: f64) -> f64 {"]
    live = ["%a", "%b"]
    count = 0

    def pick() -> str:
        return live[-1 - rng.randrange(min(len(live), 16))]

    while count < num_ops:
        name = f"%{count}"
        kind = rng.random()
        if kind < 0.08:
            lines.append(f"  {name} = arith.constant {rng.uniform(-4, 4):.6g} : f64")
            count += 1
        elif kind < 0.70:
            lines.append(f"  {name} = {rng.choice(_BINARY)} {pick()}, {pick()} : f64")
            count += 1
        elif kind < 0.90 or count + 2 > num_ops:
            lines.append(f"  {name} = {rng.choice(_UNARY)} {pick()} : f64")
            count += 1
        else:
            x, y = pick(), pick()
            lines.append(f"  {name} = arith.cmpf olt, {x}, {y} : f64")
            lines.append(f"  %{count + 1} = arith.select {name}, {x}, {y} : f64")
            name = f"%{count + 1}"
            count += 2
        live.append(name)
    lines.append(f"  return {live[-1]} : f64")
    lines.append("}")
    return "\n".join(lines) + "\n"


def _progress(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def _median(xs: List[float]) -> float:
    return statistics.median(xs) if xs else float("nan")


class _InProcess:
    """irc's parse, verify and print of one file, timed in this process."""

    label = "irc in-process"

    def __init__(self, path: str):
        from irc.parser import parse_module
        from irc.printer import print_op
        from irc.verifier import verify

        self._fns = (parse_module, verify, print_op)
        with open(path, encoding="utf-8") as f:
            self.text = f.read()
        self.path = path
        self.runs: Dict[str, List[float]] = {"parse": [], "verify": [], "print": [], "total": []}
        self.error = None

    def run(self, record: bool = True) -> float:
        parse_module, verify, print_op = self._fns
        t0 = time.perf_counter()
        module = parse_module(self.text, self.path, verify=False)
        t1 = time.perf_counter()
        verify(module)
        t2 = time.perf_counter()
        print_op(module)
        t3 = time.perf_counter()
        if record:
            for key, dt in (("parse", t1 - t0), ("verify", t2 - t1), ("print", t3 - t2), ("total", t3 - t0)):
                self.runs[key].append(dt)
        return t3 - t0

    def summary(self) -> Dict[str, object]:
        return {
            "median_s": _median(self.runs["total"]),
            "parse_s": _median(self.runs["parse"]),
            "verify_s": _median(self.runs["verify"]),
            "print_s": _median(self.runs["print"]),
            "runs_s": self.runs["total"],
        }


class _Command:
    """A command run as a subprocess (start-up included); its output is discarded."""

    def __init__(self, label: str, argv: List[str]):
        self.label, self.argv = label, argv
        self.runs: List[float] = []
        self.error: Optional[str] = None

    def run(self, record: bool = True) -> float:
        t0 = time.perf_counter()
        proc = subprocess.run(self.argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        dt = time.perf_counter() - t0
        if proc.returncode != 0:
            self.error = f"exit code {proc.returncode}: {proc.stderr.strip()[-2000:]}"
        elif record:
            self.runs.append(dt)
        return dt

    def summary(self) -> Dict[str, object]:
        return {
            "median_s": None if self.error else _median(self.runs),
            "runs_s": self.runs,
            "command": self.argv,
            "error": self.error,
        }


def _irc_command() -> List[str]:
    found = shutil.which("irc", path=os.path.dirname(sys.executable)) or shutil.which("irc")
    return [found] if found else [sys.executable, "-m", "irc.tools.main"]


def _xdsl_opt() -> Optional[str]:
    return shutil.which("xdsl-opt", path=os.path.dirname(sys.executable)) or shutil.which("xdsl-opt")


def run_parse_benchmark(num_ops: int, repeat: int) -> Dict[str, object]:
    """Run the three timings on one generated file; the result is what `--json` prints."""
    text = generate_function(num_ops)
    with tempfile.TemporaryDirectory(prefix="irc-bench-") as tmp:
        path = os.path.join(tmp, f"bench_{num_ops}.mlir")
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        _progress(f"generated {num_ops} ops ({len(text) / 1e6:.2f} MB) in {path}")
        result: Dict[str, object] = {
            "benchmark": "parse",
            "ops": num_ops,
            "repeat": repeat,
            "bytes": len(text.encode()),
            "python": sys.version.split()[0],
            "cpus": os.cpu_count(),
        }
        in_process = _InProcess(path)
        empty = os.path.join(tmp, "empty.mlir")  # start-up alone: an empty module
        with open(empty, "w", encoding="utf-8") as f:
            f.write("module {\n}\n")
        tools = [in_process, _Command("irc opt", _irc_command() + ["opt", path])]
        startup = [_Command("irc opt (empty module)", _irc_command() + ["opt", empty])]
        xdsl_opt = _xdsl_opt()
        if xdsl_opt is not None:
            tools.append(_Command("xdsl-opt", [xdsl_opt, path]))
            startup.append(_Command("xdsl-opt (empty module)", [xdsl_opt, empty]))
        else:
            _progress("xdsl-opt: not installed, skipped")
        _progress(f"irc in-process: warm-up {in_process.run(record=False):.3f} s (grammar load, not counted)")
        # Rounds interleave the tools, so that a change in the machine's load hits all of them alike.
        for i in range(repeat):
            for tool in tools + startup:
                if tool.error is None:
                    dt = tool.run()
                    status = f"failed ({tool.error.splitlines()[0]})" if tool.error else f"{dt:.3f} s"
                    _progress(f"round {i + 1}/{repeat}: {tool.label} {status}")
        result["irc_in_process"] = tools[0].summary()
        result["irc_command"] = tools[1].summary()
        if xdsl_opt is None:
            result["xdsl_opt"] = {"median_s": None, "error": "xdsl-opt is not installed (pip install 'irc[test]')"}
        else:
            result["xdsl_opt"] = tools[2].summary()
        result["startup"] = {tool.label: tool.summary()["median_s"] for tool in startup}
    xdsl = result["xdsl_opt"]["median_s"]
    ratios = {}
    for key in ("irc_in_process", "irc_command"):
        irc = result[key]["median_s"]
        ratios[f"xdsl_opt/{key}"] = (xdsl / irc) if (xdsl and irc) else None
    result["ratios"] = ratios
    return result


def format_table(r: Dict[str, object]) -> str:
    """The human-readable table: seconds per tool and how many times faster than xdsl-opt irc is."""
    xdsl = r["xdsl_opt"]["median_s"]

    def row(label, entry, note=""):
        s = entry.get("median_s")
        if s is None:
            return f"  {label:<34} {'-':>9}   {entry.get('error') or 'failed'}"
        ratio = f"{xdsl / s:6.2f}x" if xdsl else "     -"
        return f"  {label:<34} {s:8.3f}s  {ratio}   {note}".rstrip()

    inproc = r["irc_in_process"]
    detail = f"parse {inproc['parse_s']:.3f} + verify {inproc['verify_s']:.3f} + print {inproc['print_s']:.3f}"
    lines = [
        f"irc bench parse: one function, {r['ops']} arith/math ops ({r['bytes'] / 1e6:.2f} MB), "
        f"median of {r['repeat']} run(s), {r['cpus']} CPUs, Python {r['python']}",
        f"  {'':<34} {'seconds':>9}  {'xdsl/irc':>7}",
        row("irc parse+verify+print (in-process)", inproc, detail),
        row("irc opt FILE (command)", r["irc_command"], "start-up included"),
        row("xdsl-opt FILE (command)", r["xdsl_opt"], "start-up included"),
    ]
    startup = ", ".join(f"{k} {v:.3f}s" for k, v in r.get("startup", {}).items() if v is not None)
    if startup:
        lines.append(f"  start-up alone: {startup}")
    return "\n".join(lines)


def main(args) -> int:
    """Entry point of `irc bench` (args: the argparse namespace with which, ops, repeat, json)."""
    which = getattr(args, "which", "parse") or "parse"
    if which == "scaling":
        from irc.tools import bench_scaling

        return bench_scaling.main(args)
    if which in ("ode", "compile", "mlp"):
        from irc.tools import bench_compiled

        return bench_compiled.main(args)
    if which != "parse":
        print(f"irc: error: unknown benchmark '{which}' (available: parse, scaling, ode, compile, mlp)", file=sys.stderr)
        return 1
    ops, repeat = int(args.ops), int(args.repeat)
    if ops < 1 or repeat < 1:
        print("irc: error: --ops and --repeat must be at least 1", file=sys.stderr)
        return 1
    result = run_parse_benchmark(ops, repeat)
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print(format_table(result))
    xdsl_failed = result["xdsl_opt"].get("error") is not None and _xdsl_opt() is not None
    return 1 if result["irc_command"]["error"] or xdsl_failed else 0
