"""irc's private per-user cache folder (today: the parser's LALR tables).

A cache read from a folder that another local user can write is an attack:
whoever plants a file there decides what the next `irc` run loads (lark's own
`cache=True` pickles into the shared temp folder under a predictable name, so
a planted pickle runs code as the next user, root included).  So irc keeps its
caches in `$XDG_CACHE_HOME/irc` (or `~/.cache/irc`), created 0700, and uses
that folder only while it is a real directory owned by the effective user and
writable by nobody else; files in it are read only when they are regular
files with the same owner and no group/world write bit.  Every check is made
on an open descriptor (`O_NOFOLLOW`, `fstat`, `dir_fd`-relative opens), so a
path swapped between the check and the use is not followed.  A folder that
fails the checks costs speed, not correctness: irc runs without a cache and
says so once on stderr.  Cache files hold plain data (`marshal`), never pickles.
"""

from __future__ import annotations

import os
import stat
import sys
import time
from typing import Optional

_FOLDER_NAME = "irc"
_STALE_AFTER_S = 30 * 24 * 3600  # unused cache files older than this are removed when a new one is written
_warned = False


def cache_folder_path() -> str:
    """Where irc's cache folder is: `$XDG_CACHE_HOME/irc`, else `~/.cache/irc`."""
    base = os.environ.get("XDG_CACHE_HOME", "")
    if not os.path.isabs(base):  # the XDG spec: a relative value is ignored
        base = os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, _FOLDER_NAME)


def _warn_once(message: str) -> None:
    global _warned
    if not _warned:
        _warned = True
        print(f"irc: warning: {message}; running without a parser cache", file=sys.stderr)


def _why_not_private(st: os.stat_result, what: str) -> Optional[str]:
    """Why a folder or file with status `st` must not be trusted, or None."""
    if st.st_uid != os.geteuid():
        return f"{what} is owned by another user (uid {st.st_uid})"
    if st.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        return f"{what} is writable by group or others (mode {stat.S_IMODE(st.st_mode):o})"
    return None


def _open_folder() -> Optional[int]:
    """A descriptor of the private cache folder (made if missing), or None when it is not safe."""
    path = cache_folder_path()
    try:
        os.makedirs(os.path.dirname(path), mode=0o700, exist_ok=True)
        try:
            os.mkdir(path, 0o700)
        except FileExistsError:
            pass
        fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
    except OSError as e:  # unwritable home, a symlink in place of the folder, ...
        _warn_once(f"cannot use the cache folder {path} ({e.strerror or e})")
        return None
    problem = _why_not_private(os.fstat(fd), f"the cache folder {path}")
    if problem:
        os.close(fd)
        _warn_once(problem)
        return None
    return fd


def read_cache_file(name: str) -> Optional[bytes]:
    """The bytes of cache file `name`, or None if it is missing or not safe to trust."""
    folder = _open_folder()
    if folder is None:
        return None
    try:
        fd = os.open(name, os.O_RDONLY | os.O_NOFOLLOW, dir_fd=folder)
    except OSError:
        os.close(folder)
        return None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode) or _why_not_private(st, name):
            return None
        with os.fdopen(fd, "rb", closefd=False) as f:
            return f.read()
    except OSError:
        return None
    finally:
        os.close(fd)
        os.close(folder)


def write_cache_file(name: str, data: bytes) -> None:
    """Store `data` as cache file `name` (atomically, mode 0600); failures only cost speed."""
    folder = _open_folder()
    if folder is None:
        return
    tmp = f".{name}.{os.getpid()}.tmp"
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600, dir_fd=folder)
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, name, src_dir_fd=folder, dst_dir_fd=folder)
        _remove_stale_files(folder, keep=name)
    except OSError:
        try:
            os.unlink(tmp, dir_fd=folder)
        except OSError:
            pass
    finally:
        os.close(folder)


def _remove_stale_files(folder: int, keep: str) -> None:
    """Each grammar (each set of loaded plugins) has its own table; old ones are dropped."""
    now = time.time()
    for entry in os.scandir(folder):
        if entry.name != keep and entry.is_file(follow_symlinks=False):
            try:
                if now - entry.stat(follow_symlinks=False).st_atime > _STALE_AFTER_S:
                    os.unlink(entry.name, dir_fd=folder)
            except OSError:
                pass
