"""No tracebacks: mutated versions of the test corpus never crash `irc`.

Every IR file of the test corpus (`tests/**/*.mlir` and `examples/*.mlir`,
split on `// -----`) seeds a deterministic mutator that truncates it,
shuffles or drops lines, deletes, duplicates or swaps tokens, and flips,
inserts or deletes bytes.  Each variant goes through `irc opt` (and, when it
parses, through `irc opt` again, the clean-up passes, the passes of its RUN
lines and `irc run --entry <first function>`),
in-process through `irc.tools.main.main`.  Every run must exit 0, or exit 1
with a located diagnostic (`<stdin>:LINE:COL: error: ...`) or a CLI message
(`irc: error: ...`) on stderr: never a traceback, never exit code 2 (an
internal error).  What irc accepts it prints canonically: irc(irc(x)) == irc(x).

The number of inputs is set by the environment:

    IRC_FUZZ_EXAMPLES=3000   inputs in all (default 3000, split over the shards)
    IRC_FUZZ_SEED=0          seed of the mutator (default 0)

`make fuzz` runs 10^5 inputs (`IRC_FUZZ_EXAMPLES=100000 pytest tests/test_fuzz.py`,
add `-n auto` to use every core).  A failure prints the offending input, the
command, and the seed and index that reproduce it.
"""

from __future__ import annotations

import contextlib
import difflib
import io
import os
import random
import re
import shlex
import signal
import sys
from pathlib import Path
from typing import List, NamedTuple, Optional, Tuple

import pytest

from irc.tools.main import main as irc_main, split_chunks

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = int(os.environ.get("IRC_FUZZ_EXAMPLES", "3000"))
SEED = int(os.environ.get("IRC_FUZZ_SEED", "0"))
SHARDS = 8
# A mutated program may legitimately loop for a long time; parsing never should.
RUN_TIME_LIMIT_S = 2.0
OPT_TIME_LIMIT_S = 20.0
CLEANUP_PASSES = ("canonicalize", "cse", "dce", "symbol-dce", "inline", "loop-invariant-code-motion")

_LOCATED = re.compile(r"^<stdin>:(\d+):(\d+): error: ", re.M)
_CLI_ERROR = re.compile(r"^irc: error: ", re.M)
_TOKEN = re.compile(
    r'"(?:[^"\\\n]|\\.)*"'  # strings
    r"|[%^@#!][\w$.\-]*(?::\d+)?"  # values, blocks, symbols, attribute/type names
    r"|-?0x[0-9a-fA-F]+|-?\d+(?:\.\d*)?(?:[eE][-+]?\d+)?"  # numbers
    r"|[A-Za-z_][\w$.]*"  # keywords, op names, types
    r"|->|\S"  # punctuation
)
_INTERESTING = list('%^@#!"{}()<>[]:,=-.?x0123456789\\') + ["\x00", "\n", "é", "\u2028", "f64", "i1", "index"]


# ----------------------------------------------------------------------------
# the corpus


def _corpus_files() -> List[Path]:
    files = sorted((ROOT / "tests").rglob("*.mlir")) + sorted((ROOT / "examples").glob("*.mlir"))
    return [f for f in files if "fuzz" not in f.parts]


def _strip_comment_lines(text: str) -> str:
    """Full-line comments (RUN, CHECK, expected-*) are noise to the mutator."""
    return "\n".join(line for line in text.split("\n") if not line.lstrip().startswith("//"))


_DROPPED_FLAGS = {"--verify-diagnostics", "--split-input-file", "--help", "--timing", "--mlir-timing"}


def run_line_flags(text: str) -> Tuple[List[str], List[List[str]]]:
    """(flags every run needs, the pass flags of each `irc opt` RUN line) of a corpus file."""
    base, pass_sets = [], []
    for line in text.split("\n"):
        m = re.match(r"\s*//\s*RUN:\s*(?:not\s+)?irc\s+opt\s+(.*)$", line)
        if not m:
            continue
        try:
            words = shlex.split(m.group(1).split("|", 1)[0])
        except ValueError:
            continue
        if "--load-plugin" in words or any(w.startswith("--load-plugin=") for w in words):
            continue  # re-importing a plugin per input would rebuild the grammar each time
        flags, skip = [], False
        for w in words:
            if skip:
                skip = False
            elif w == "-o":
                skip = True
            elif w == "--allow-unregistered-dialect":
                base = [w]
            elif w.startswith("-") and w not in _DROPPED_FLAGS and not w.startswith("--print-ir"):
                flags.append(w)
        if flags and flags not in pass_sets:
            pass_sets.append(flags)
    return base, pass_sets


class Seed(NamedTuple):
    """One corpus chunk and the flags its file's RUN lines use."""

    name: str
    text: str
    base_flags: List[str]
    pass_sets: List[List[str]]


_CORPUS: Optional[List[Seed]] = None


def corpus() -> List[Seed]:
    """A seed for every `// -----` chunk of every corpus file."""
    global _CORPUS
    if _CORPUS is None:
        seeds = []
        for path in _corpus_files():
            try:
                text = path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                continue
            base, pass_sets = run_line_flags(text)
            for i, (_, chunk) in enumerate(split_chunks(text)):
                body = _strip_comment_lines(chunk)
                if body.strip():
                    seeds.append(Seed(f"{path.relative_to(ROOT)}#{i}", body, base, pass_sets))
        _CORPUS = seeds
    return _CORPUS


# ----------------------------------------------------------------------------
# the mutator


def _tokens(text: str) -> List[Tuple[int, int]]:
    return [m.span() for m in _TOKEN.finditer(text)]


def truncate(rng: random.Random, text: str, pool) -> str:
    return text[: rng.randrange(len(text) + 1)]


def shuffle_lines(rng: random.Random, text: str, pool) -> str:
    lines = text.split("\n")
    if rng.random() < 0.3:
        rng.shuffle(lines)
    else:
        for _ in range(rng.randint(1, 3)):
            i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
            lines[i], lines[j] = lines[j], lines[i]
    return "\n".join(lines)


def drop_or_duplicate_line(rng: random.Random, text: str, pool) -> str:
    lines = text.split("\n")
    i = rng.randrange(len(lines))
    if rng.random() < 0.5:
        del lines[i]
    else:
        lines.insert(rng.randrange(len(lines) + 1), lines[i])
    return "\n".join(lines)


def delete_tokens(rng: random.Random, text: str, pool) -> str:
    spans = _tokens(text)
    for _ in range(rng.randint(1, 3)):
        if not spans:
            break
        a, b = spans.pop(rng.randrange(len(spans)))
        text = text[:a] + " " * (b - a) + text[b:]  # keep the other spans valid
    return text


def duplicate_token(rng: random.Random, text: str, pool) -> str:
    spans = _tokens(text)
    if not spans:
        return text
    a, b = rng.choice(spans)
    return text[:b] + " " + text[a:b] + text[b:]


def replace_token(rng: random.Random, text: str, pool) -> str:
    """Swap a token for one from another corpus chunk: wrong types, names, ops."""
    spans = _tokens(text)
    if not spans:
        return text
    donor = rng.choice(pool)
    donor_spans = _tokens(donor)
    if not donor_spans:
        return text
    a, b = rng.choice(spans)
    c, d = rng.choice(donor_spans)
    return text[:a] + donor[c:d] + text[b:]


def mutate_bytes(rng: random.Random, text: str, pool) -> str:
    chars = list(text)
    for _ in range(rng.randint(1, 4)):
        i = rng.randrange(len(chars) + 1)
        kind = rng.random()
        if kind < 0.4 and i < len(chars):
            chars[i] = rng.choice(_INTERESTING) if rng.random() < 0.7 else chr(rng.randrange(32, 127))
        elif kind < 0.7:
            chars.insert(i, rng.choice(_INTERESTING))
        elif i < len(chars):
            del chars[i]
    return "".join(chars)


_NUMBER = re.compile(r"(?<![\w%#^@.])-?(?:0x[0-9a-fA-F]+|\d+(?:\.\d*)?(?:[eE][-+]?\d+)?)(?![\w.])")
_INTERESTING_NUMBERS = [
    "0", "1", "-1", "2", "63", "64", "255", "-128", "2147483647", "-2147483648", "9223372036854775807",
    "18446744073709551616", "0.0", "-0.0", "1.0e308", "1.0e-320", "3.4028235e38", "0x7FF8000000000000",
    "0x7FF0000000000000", "0xFFFFFFFF", "1e999", "nan",
    "1000000000", "-1e5", "9" * 5000,  # absurd widths, negative exponents, past Python's int/str digit limit
]
_TYPES = ["f16", "bf16", "f32", "f64", "i1", "i8", "i32", "i64", "index", "tensor<2xf64>", "vector<4xf32>", "none",
          "i99999999", "!ad.tape<f64>"]
# attribute values of every kind, for attributes that expect one kind (wrt = [unit], width = "s" ...)
_ATTRIBUTE_VALUES = ["unit", "[unit]", "[[0]]", "[@f]", "@f", '"s"', "[]", "[0, 0]", "[-1]", "1000000000",
                     "-1", "1.5", "true", "dense<1.0> : tensor<2xf64>", "{a = 1}", "f64", "[" * 65 + "0" + "]" * 65]


def replace_number(rng: random.Random, text: str, pool) -> str:
    """Integers and floats at the edges: zero divisors, huge shifts, overflow, NaN."""
    spans = [m.span() for m in _NUMBER.finditer(text)]
    if not spans:
        return text
    a, b = rng.choice(spans)
    return text[:a] + rng.choice(_INTERESTING_NUMBERS) + text[b:]


def swap_value_use(rng: random.Random, text: str, pool) -> str:
    """Use another SSA value of the same text: type mismatches, dominance, cycles."""
    spans = [m.span() for m in re.finditer(r"%[\w$.\-]+(?:#\d+)?", text)]
    if len(spans) < 2:
        return text
    a, b = rng.choice(spans)
    c, d = rng.choice(spans)
    return text[:a] + text[c:d] + text[b:]


def replace_type(rng: random.Random, text: str, pool) -> str:
    spans = [m.span() for m in re.finditer(r"\b(?:f16|bf16|f32|f64|i\d+|index)\b", text)]
    if not spans:
        return text
    a, b = rng.choice(spans)
    return text[:a] + rng.choice(_TYPES) + text[b:]


def replace_attribute_value(rng: random.Random, text: str, pool) -> str:
    """An attribute of the wrong kind: `wrt = [unit]`, `width = "s"`, `ad.jvp_rule = [0]` ..."""
    spans = [m.span(1) for m in re.finditer(r"[{,]\s*[\w.]+\s*=\s*([^,{}]+)", text)]
    if not spans:
        return text
    a, b = rng.choice(spans)
    return text[:a] + rng.choice(_ATTRIBUTE_VALUES) + text[b:]


MUTATORS = [
    truncate,
    shuffle_lines,
    drop_or_duplicate_line,
    delete_tokens,
    duplicate_token,
    replace_token,
    mutate_bytes,
    replace_number,
    swap_value_use,
    replace_type,
    replace_attribute_value,
]


def make_input(index: int) -> Tuple[Seed, str, str]:
    """(seed, mutator names, mutated text) of input `index`; deterministic."""
    pool = corpus()
    rng = random.Random(f"{SEED}:{index}")
    seed = rng.choice(pool)
    text = seed.text
    applied = []
    for _ in range(rng.choice((1, 1, 1, 2, 3))):
        if not text:
            break
        mutator = rng.choice(MUTATORS)
        text = mutator(rng, text, [s.text for s in pool])
        applied.append(mutator.__name__)
    return seed, "+".join(applied), text


# ----------------------------------------------------------------------------
# running irc in-process


class _TimeLimit(BaseException):
    """Raised by the alarm; a BaseException so irc's own `except Exception` cannot swallow it."""


def _on_alarm(signum, frame):
    raise _TimeLimit()


def run_irc(argv: List[str], stdin: str, limit_s: float) -> Tuple[Optional[int], str, str]:
    """(exit code or None on time-out, stdout, stderr) of `irc ARGV` with `stdin` as input."""
    out, err = io.StringIO(), io.StringIO()
    old_stdin = sys.stdin
    sys.stdin = io.StringIO(stdin)
    use_alarm = hasattr(signal, "setitimer")
    if use_alarm:
        old_handler = signal.signal(signal.SIGALRM, _on_alarm)
        signal.setitimer(signal.ITIMER_REAL, limit_s)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                rc = irc_main(argv)
            except SystemExit as e:  # argparse --help / usage errors
                rc = e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
            except _TimeLimit:
                rc = None
    finally:
        if use_alarm:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, old_handler)
        sys.stdin = old_stdin
    return rc, out.getvalue(), err.getvalue()


def problem_with(rc: Optional[int], stderr: str, text: str) -> Optional[str]:
    """Why this outcome breaks the no-tracebacks rule, or None when it is fine."""
    if "Traceback (most recent call last)" in stderr:
        return "a Python traceback"
    if rc == 0:
        return None
    if rc != 1:
        return f"exit code {rc}"
    if _CLI_ERROR.search(stderr):
        return None
    m = _LOCATED.search(stderr)
    if m is None:
        return "exit code 1 without a located diagnostic"
    line, col = int(m.group(1)), int(m.group(2))
    if not (1 <= line <= text.count("\n") + 1 and col >= 1):
        return f"diagnostic at {line}:{col}, outside the input"
    return None


def _first_function(text: str, allow_unregistered: bool) -> Optional[Tuple[str, List[str]]]:
    """Name and `--arg` values for the first func.func with a body and scalar arguments."""
    from irc.diagnostics import DiagnosticError
    from irc.parser import parse_module
    from irc.types import FloatType, IndexType, IntegerType

    try:
        module = parse_module(text, "<stdin>", allow_unregistered=allow_unregistered)
    except (DiagnosticError, RecursionError):
        return None
    for op in module.regions[0].blocks[0].ops:
        if op.op_name != "func.func" or not op.regions or not op.regions[0].blocks:
            continue
        ftype = op.attributes["function_type"].value
        args = []
        for t in ftype.inputs:
            if isinstance(t, FloatType):
                args.append("1.5")
            elif isinstance(t, IntegerType):
                args.append("1" if t.width == 1 else "3")
            elif isinstance(t, IndexType):
                args.append("2")
            else:
                return None  # arrays need .npy files; the opt runs cover these
        return op.attributes["sym_name"].value, args
    return None


def _available_cleanup_passes() -> List[str]:
    from irc.passes.pass_manager import PASSES, load_passes

    load_passes()
    return [f"--{p}" for p in CLEANUP_PASSES if p in PASSES]


def check_input(text: str, seed: Seed, pass_sets: List[List[str]]):
    """Run every command on `text`; (argv, problem, rc, stderr) for each failing one.

    `irc opt` first; when that succeeds, `irc opt` again on its output (which
    must print the same), the clean-up passes, each of
    `pass_sets` (the seed file's own RUN-line flags) and `irc run`.
    """
    failures = []
    base = list(seed.base_flags)
    rc, printed, err = run_irc(["opt", "-", *base], text, OPT_TIME_LIMIT_S)
    why = "a time-out while parsing" if rc is None else problem_with(rc, err, text)
    if why:
        failures.append((["opt", "-", *base], why, rc, err))
    if rc != 0:
        return failures
    # what irc accepts it prints canonically: printing is a fixed point
    rc, again, err = run_irc(["opt", "-", *base], printed, OPT_TIME_LIMIT_S)
    if rc != 0 or again != printed:
        diff = "".join(difflib.unified_diff(printed.splitlines(True), again.splitlines(True), "irc(x)", "irc(irc(x))"))
        failures.append((["opt", "-", *base], "irc(irc(x)) != irc(x)", rc, f"{err}\n{diff}"))
    cleanup = _available_cleanup_passes()
    for flags in ([cleanup] if cleanup else []) + pass_sets:
        argv = ["opt", "-", *base, *flags]
        rc, _, err = run_irc(argv, text, OPT_TIME_LIMIT_S)
        why = "a time-out in the passes" if rc is None else problem_with(rc, err, text)
        if why:
            failures.append((argv, why, rc, err))
    entry = _first_function(text, bool(base))
    if entry is not None:
        name, args = entry
        # the interpreter: its loops return to Python, where the time limit's alarm can stop a
        # mutated program that loops forever (compiled code cannot be interrupted there)
        argv = ["run", "-", "--interpret", *base, "--entry", name] + [f"--arg={a}" for a in args]
        rc, _, err = run_irc(argv, text, RUN_TIME_LIMIT_S)
        why = None if rc is None else problem_with(rc, err, text)  # a long-running program is fine
        if why:
            failures.append((argv, why, rc, err))
    return failures


def _signature(why: str, stderr: str) -> str:
    """Failures with the same cause (modulo numbers and names) are reported once."""
    tail = stderr.strip().split("\n")[-1] if stderr.strip() else ""
    return why + "|" + re.sub(r"[%@^]?[\w.]*\d[\w.]*|'[^']*'", "_", tail)


def _report(failures) -> str:
    lines = [f"{len(failures)} distinct failure(s) (IRC_FUZZ_SEED={SEED}); the first ones:"]
    for index, seed_name, mutators, text, argv, why, rc, err in failures[:5]:
        lines += [
            "",
            f"=== input #{index} (from {seed_name}, mutated by {mutators}): irc {' '.join(argv)} -> {why}",
            "--- input (reproduce: save it as repro.mlir and run `irc " + " ".join(
                "repro.mlir" if a == "-" else a for a in argv) + "`)",
            text,
            "--- stderr",
            err[-3000:],
        ]
    return "\n".join(lines)


# ----------------------------------------------------------------------------
# the tests


def test_corpus_is_not_empty():
    """The fuzzer needs seeds; an empty corpus would make the fuzz tests vacuous."""
    assert corpus(), "no IR files found under tests/ or examples/"


def test_diagnostic_checker_rejects_a_traceback():
    """The oracle itself: tracebacks, exit code 2 and unlocated errors are failures."""
    assert problem_with(2, "irc: internal error: KeyError", "x") == "exit code 2"
    assert problem_with(1, "Traceback (most recent call last):\n", "x") == "a Python traceback"
    assert problem_with(1, "<unknown>:0:0: error: boom", "x") is not None
    assert problem_with(1, "<stdin>:1:3: error: boom\n x\n  ^", "x") is None
    assert problem_with(1, "irc: error: no such file", "x") is None


@pytest.mark.parametrize("shard", range(SHARDS))
def test_mutated_corpus_gives_diagnostics_not_tracebacks(shard):
    """Mutated IR ends in exit 0 or a located `error:` with exit 1, for opt, passes and run."""
    if not corpus():
        pytest.skip("empty corpus")
    seen = {}
    for index in range(shard, EXAMPLES, SHARDS):
        seed, mutators, text = make_input(index)
        pass_sets = [seed.pass_sets[index % len(seed.pass_sets)]] if seed.pass_sets else []
        for argv, why, rc, err in check_input(text, seed, pass_sets):
            key = _signature(why, err)
            if key not in seen:
                seen[key] = (index, seed.name, mutators, text, argv, why, rc, err)
    if seen:
        pytest.fail(_report(list(seen.values())), pytrace=False)


def test_unmutated_corpus_gives_diagnostics_not_tracebacks():
    """Every corpus chunk as written (valid or a diagnostics test) passes the same oracle."""
    seen = {}
    for seed in corpus():
        for argv, why, rc, err in check_input(seed.text, seed, seed.pass_sets):
            key = _signature(why, err)
            if key not in seen:
                seen[key] = (-1, seed.name, "nothing", seed.text, argv, why, rc, err)
    if seen:
        pytest.fail(_report(list(seen.values())), pytrace=False)
