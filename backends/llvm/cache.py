"""Compiled code on disk, in irc's private per-user cache folder (ir/cache.py:
`$XDG_CACHE_HOME/irc` or `~/.cache/irc`, 0700, used only while the user owns
it and nobody else can write it, files opened without following links).

An entry is object code (``llvm-KEY.o``) and plain JSON metadata
(``llvm-KEY.json``, written second and naming the object's size): nothing is
unpickled, and a reader never trusts half an entry.
"""

from __future__ import annotations

import json
from typing import Optional, Tuple

from irc.cache import cache_folder_path, read_cache_file, write_cache_file


def folder() -> str:
    """Where entries go (for reports)."""
    return cache_folder_path()


def load(key: str) -> Optional[Tuple[bytes, dict]]:
    """The object code and metadata stored under `key`, or None."""
    meta_bytes = read_cache_file(f"llvm-{key}.json")
    if meta_bytes is None:
        return None
    obj = read_cache_file(f"llvm-{key}.o")
    try:
        meta = json.loads(meta_bytes)
    except ValueError:
        return None
    if obj is None or meta.get("key") != key or meta.get("size") != len(obj):
        return None
    return obj, meta


def store(key: str, obj: bytes, meta: dict) -> None:
    """Store object code and metadata under `key` (skipped where the folder is not private)."""
    write_cache_file(f"llvm-{key}.o", obj)
    write_cache_file(f"llvm-{key}.json", json.dumps(dict(meta, key=key, size=len(obj))).encode())
