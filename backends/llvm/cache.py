"""Compiled code on disk, in the user's private cache folder.

The folder is ``$XDG_CACHE_HOME/irc/llvm`` or ``~/.cache/irc/llvm``, created
0700; it is used only when the current user owns it and nobody else can
write it (DESIGN.md section 10: never a shared, world-writable place).  An
entry is object code (``KEY.o``) and plain JSON metadata (``KEY.json``):
nothing is unpickled.  Entries are written to a temporary name and renamed,
so a reader never sees half a file.
"""

from __future__ import annotations

import json
import os
import stat
import tempfile
from pathlib import Path
from typing import Optional, Tuple


def private_cache_folder(*parts: str) -> Optional[Path]:
    """The per-user cache folder (made 0700 if missing), or None where it is not private."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    folder = Path(base, "irc", *parts)
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        for p in [Path(base, "irc"), *[Path(base, "irc", *parts[: i + 1]) for i in range(len(parts))]]:
            st = p.lstat()
            if not stat.S_ISDIR(st.st_mode) or st.st_uid != os.getuid() or st.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
                return None
    except OSError:
        return None
    return folder


def load(key: str) -> Optional[Tuple[bytes, dict]]:
    """The object code and metadata stored under `key`, or None."""
    folder = private_cache_folder("llvm")
    if folder is None:
        return None
    try:
        obj = (folder / f"{key}.o").read_bytes()
        meta = json.loads((folder / f"{key}.json").read_text())
    except (OSError, ValueError):
        return None
    if meta.get("key") != key or meta.get("size") != len(obj):
        return None
    return obj, meta


def store(key: str, obj: bytes, meta: dict) -> None:
    """Store object code and metadata under `key` (silently skipped if the folder is not usable)."""
    folder = private_cache_folder("llvm")
    if folder is None:
        return
    meta = dict(meta, key=key, size=len(obj))
    for suffix, data in ((".o", obj), (".json", json.dumps(meta).encode())):
        try:
            fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{key}", suffix=suffix)
            with os.fdopen(fd, "wb") as f:
                f.write(data)
            os.replace(tmp, folder / f"{key}{suffix}")
        except OSError:
            return
