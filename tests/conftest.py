"""pytest plugin: every `tests/**/*.mlir` file with `// RUN:` lines is a test.

As in LLVM's lit: `%s` is the file, `%S` its folder, `%t` a temporary path;
commands run in a shell with `irc`, `filecheck` and `not` on the PATH, and
the test passes when every RUN pipeline exits 0.
"""

from __future__ import annotations

import atexit
import os
import re
import shlex
import shutil
import subprocess
import tempfile
import sys
from pathlib import Path

import pytest
from hypothesis import settings

# CI (.ci/run sets IRC_CI=1) draws the same property-test examples on every run: a landing
# never waits on a lucky draw.  Elsewhere each run draws new ones and keeps what fails in
# .hypothesis/ (`make fuzz` and IRC_AD_EXAMPLES=... explore further).
settings.register_profile("ci", derandomize=True, database=None)
if os.environ.get("IRC_CI"):
    settings.load_profile("ci")

HERE = Path(__file__).parent

# Caches (parser tables, compiled code) go to a private temporary folder for the
# whole run, never to the machine's or the user's own cache: tests and the irc
# subprocesses they start inherit it.  Tests that check the cache set their own.
os.environ["XDG_CACHE_HOME"] = _TEST_CACHE = tempfile.mkdtemp(prefix="irc-test-cache-")
atexit.register(shutil.rmtree, _TEST_CACHE, ignore_errors=True)
BIN = Path(sys.executable).parent


@pytest.fixture(params=["interpret", "jit"])
def backend(request):
    """Run the test's programs on the reference interpreter, then compiled by LLVM (tests/execution.py)."""
    import execution

    execution.CURRENT[0] = request.param
    yield request.param
    execution.CURRENT[0] = "interpret"


def pytest_collect_file(parent, file_path):
    if file_path.suffix == ".mlir" and file_path.is_relative_to(HERE):
        text = file_path.read_text()
        if "// RUN:" in text:
            return IRFile.from_parent(parent, path=file_path)
    return None


class IRFile(pytest.File):
    def collect(self):
        yield IRTest.from_parent(self, name=self.path.name)


def run_lines(path: Path):
    lines, pending = [], ""
    for line in path.read_text().splitlines():
        m = re.match(r"\s*//\s*RUN:\s?(.*)$", line)
        if not m:
            continue
        cmd = m.group(1).rstrip()
        if cmd.endswith("\\"):
            pending += cmd[:-1] + " "
            continue
        lines.append(pending + cmd)
        pending = ""
    return lines


class IRTest(pytest.Item):
    def runtest(self):
        path = Path(self.path)
        tmp = Path(self.config._tmp_path_factory.mktemp("lit")) / path.stem
        env = dict(os.environ)
        env["PATH"] = f"{HERE / 'bin'}{os.pathsep}{BIN}{os.pathsep}{env.get('PATH', '')}"
        env.pop("PYTHONWARNINGS", None)
        for cmd in run_lines(path):
            cmd = cmd.replace("%s", shlex.quote(str(path))).replace("%S", shlex.quote(str(path.parent)))
            cmd = cmd.replace("%t", shlex.quote(str(tmp)))
            proc = subprocess.run(
                ["bash", "-o", "pipefail", "-c", cmd], capture_output=True, text=True, env=env, cwd=path.parent
            )
            if proc.returncode != 0:
                raise IRTestFailure(cmd, proc)

    def repr_failure(self, excinfo):
        if isinstance(excinfo.value, IRTestFailure):
            e = excinfo.value
            return f"RUN: {e.cmd}\nexit {e.proc.returncode}\n--- stdout\n{e.proc.stdout[-4000:]}\n--- stderr\n{e.proc.stderr[-4000:]}"
        return super().repr_failure(excinfo)

    def reportinfo(self):
        return self.path, 0, f"mlir: {self.name}"


class IRTestFailure(Exception):
    def __init__(self, cmd, proc):
        super().__init__(cmd)
        self.cmd = cmd
        self.proc = proc
