"""The parser's cache is private: planted files are never read, unsafe folders are refused.

Each case parses in a forked child (a fresh parser, its own environment, an
audit hook that records every file opened and every class a pickle looks up),
so what it reads is seen exactly.  Where the tests run as root the child also
runs as `nobody`, and root plays the other local user who plants the files.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import sys
import tempfile

import pytest

from irc import Context, cache
from irc import parser as irc_parser

SOURCE = "func.func @f(%x: f64) -> f64 {\n  %y = arith.mulf %x, %x : f64\n  return %y : f64\n}\n"
NOBODY = 65534
AS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0

if not hasattr(os, "fork"):
    pytest.skip("the cache checks are POSIX ones (fork, uids, modes)", allow_module_level=True)


def _current_cache_file_name() -> str:
    from irc.dialects import load_all

    load_all()
    grammar = irc_parser.build_grammar(Context())[0]  # a fresh context's, as the children parse with
    return irc_parser.cache_file_name(irc_parser._cache_key(grammar))


def _parse_in_child(env: dict, watched_names=(), as_nobody: bool = False) -> dict:
    """Parse SOURCE in a forked child with `env`; report what it opened under $TMPDIR or by a watched name."""
    import hashlib  # noqa: F401  (imported before the fork: a child running as nobody cannot read root's Python)
    import io

    try:
        import lark_cython  # noqa: F401
    except ImportError:
        pass
    from irc.dialects import load_all

    load_all()
    irc_parser.build_grammar()  # its lazy imports too: nobody cannot import from root's Python
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns into pytest
        result: dict = {}
        try:
            os.close(read_end)
            if as_nobody:
                os.setgroups([])
                os.setgid(NOBODY)
                os.setuid(NOBODY)
            os.environ.update(env)
            tempfile.tempdir = None  # read $TMPDIR again
            shared = os.path.realpath(env["TMPDIR"]) + os.sep
            seen: list = []

            def audit(event, args):
                if event == "pickle.find_class":
                    seen.append(f"pickle looked up {args[0]}.{args[1]}")
                elif event == "open" and isinstance(args[0], str):
                    flags = args[2] if len(args) > 2 and isinstance(args[2], int) else 0
                    path = os.path.abspath(args[0])
                    if os.path.basename(path) in watched_names:
                        seen.append(path)
                    elif path.startswith(shared) and not flags & getattr(os, "O_DIRECTORY", 0):
                        seen.append(path)

            sys.addaudithook(audit)
            sys.stderr = io.StringIO()
            cache._warned = False
            ops = Context().parse(SOURCE, "cache-test.mlir")  # a fresh context: its parser is loaded now
            result = {"parsed": len(ops), "opened": seen, "stderr": sys.stderr.getvalue()}
        except BaseException as e:  # reported to the parent, which fails the test with it
            result = {"error": repr(e)}
        os.write(write_end, json.dumps(result).encode())
        os._exit(0)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as f:
        data = f.read()
    os.waitpid(pid, 0)
    result = json.loads(data)
    assert "error" not in result, result["error"]
    return result


@pytest.fixture
def shared_tmp():
    """A world-writable sticky folder standing in for /tmp (every user can plant files there)."""
    path = tempfile.mkdtemp(prefix="irc-shared-")
    os.chmod(path, 0o1777)
    yield path
    shutil.rmtree(path, ignore_errors=True)


def _plant_temp_caches(folder: str) -> list:
    """Files where lark's `cache=True` and irc's old table cache looked: a pickle that runs code."""
    marker = os.path.join(folder, "pwned")
    payload = b"cos\nsystem\n(S'touch " + marker.encode() + b"'\ntR."
    names = []
    for name in (".lark_cache_root_planted_3_11.tmp", ".irc_lalr_table_planted_3_11.pickle"):
        with open(os.path.join(folder, name), "wb") as f:
            f.write(payload)
        names.append(name)
    return names


def _victim_folder(shared_tmp: str, as_nobody: bool) -> str:
    """The XDG_CACHE_HOME of the user who runs irc (owned by that user)."""
    path = os.path.join(shared_tmp, "victim-cache")
    os.mkdir(path, 0o700)
    if as_nobody:
        os.chown(path, NOBODY, NOBODY)
    return path


USERS = [False] + ([True] if AS_ROOT else [])


@pytest.mark.parametrize("as_nobody", USERS, ids=lambda x: "as-nobody" if x else "as-self")
def test_planted_files_in_the_shared_temp_folder_are_never_read(shared_tmp, as_nobody):
    names = _plant_temp_caches(shared_tmp)
    cache_home = _victim_folder(shared_tmp, as_nobody)
    result = _parse_in_child({"TMPDIR": shared_tmp, "XDG_CACHE_HOME": cache_home}, names, as_nobody)
    assert result["parsed"] == 1
    assert result["opened"] == []
    assert not os.path.exists(os.path.join(shared_tmp, "pwned"))
    private = os.path.join(cache_home, "irc")
    assert stat.S_IMODE(os.stat(private).st_mode) == 0o700
    assert os.stat(private).st_uid == (NOBODY if as_nobody else os.geteuid())
    assert any(n.endswith(".marshal") for n in os.listdir(private))  # the cache went to the private folder


@pytest.mark.parametrize("as_nobody", USERS, ids=lambda x: "as-nobody" if x else "as-self")
def test_a_group_writable_cache_folder_is_refused(shared_tmp, as_nobody):
    cache_home = _victim_folder(shared_tmp, as_nobody)
    private = os.path.join(cache_home, "irc")
    os.mkdir(private)
    planted = _current_cache_file_name()
    with open(os.path.join(private, planted), "wb") as f:
        f.write(b"planted")
    if as_nobody:
        os.chown(private, NOBODY, NOBODY)
    os.chmod(private, 0o770)
    result = _parse_in_child({"TMPDIR": shared_tmp, "XDG_CACHE_HOME": cache_home}, [planted], as_nobody)
    assert result["parsed"] == 1
    assert result["opened"] == []
    assert "writable by group or others" in result["stderr"]
    assert len(result["stderr"].splitlines()) == 1
    assert os.listdir(private) == [planted]  # nothing written there either


@pytest.mark.skipif(not AS_ROOT, reason="needs root to make a folder owned by another user")
def test_a_cache_folder_owned_by_another_user_is_refused(shared_tmp):
    cache_home = _victim_folder(shared_tmp, as_nobody=True)
    private = os.path.join(cache_home, "irc")
    os.mkdir(private, 0o755)  # root's, inside nobody's folder: root is the other user here
    planted = _current_cache_file_name()
    with open(os.path.join(private, planted), "wb") as f:
        f.write(b"planted")
    result = _parse_in_child({"TMPDIR": shared_tmp, "XDG_CACHE_HOME": cache_home}, [planted], as_nobody=True)
    assert result["parsed"] == 1
    assert result["opened"] == []
    assert "owned by another user" in result["stderr"]


def test_a_damaged_cache_file_is_ignored_and_replaced(shared_tmp):
    cache_home = _victim_folder(shared_tmp, as_nobody=False)
    private = os.path.join(cache_home, "irc")
    os.mkdir(private, 0o700)
    name = _current_cache_file_name()
    with open(os.path.join(private, name), "wb") as f:
        f.write(b"\xe3damaged")
    result = _parse_in_child({"TMPDIR": shared_tmp, "XDG_CACHE_HOME": cache_home}, ())
    assert result["parsed"] == 1
    assert result["stderr"] == ""
    with open(os.path.join(private, name), "rb") as f:
        assert len(f.read()) > 1000  # rebuilt and stored again
    result = _parse_in_child({"TMPDIR": shared_tmp, "XDG_CACHE_HOME": cache_home}, ())
    assert result["parsed"] == 1


def test_cache_files_are_private_and_checked_before_reading(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    cache.write_cache_file("probe", b"data")
    path = tmp_path / "irc" / "probe"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert cache.read_cache_file("probe") == b"data"
    os.chmod(path, 0o622)
    assert cache.read_cache_file("probe") is None  # group/world-writable file: not trusted
    os.chmod(path, 0o600)
    os.symlink(path, tmp_path / "irc" / "link")
    assert cache.read_cache_file("link") is None  # symlinks are not followed


def test_a_relative_xdg_cache_home_is_ignored(monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/cache")
    assert cache.cache_folder_path() == os.path.join(os.path.expanduser("~"), ".cache", "irc")
