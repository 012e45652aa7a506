"""Loading plugins, and blaming them for their own failures.

A plugin is a Python file (`--load-plugin FILE.py`) or an installed package's
`irc.plugins` entry point.  Whatever it does wrong is reported as the
plugin's error, naming it, with exit code 1 and no traceback:

- raising anything while loading (any `BaseException` but Ctrl-C);
- registering a dialect, op, type, attribute or pass under a name irc (or an
  earlier plugin) already uses: the error names both, and the first
  registration stays in force;
- an op whose assembly format string is malformed;
- raising later, from one of its rules, passes or verifiers (`plugin_failure`
  finds the plugin's frame in the traceback).
"""

from __future__ import annotations

import os
import re
import traceback
from typing import Dict, List, Optional


class PluginError(Exception):
    """A plugin failed: a one-line error naming the plugin."""


# module name -> how to name the plugin in messages
PLUGIN_MODULES: Dict[str, str] = {}


def load_plugin_file(path: str) -> None:
    """Import a Python file that registers dialects and passes."""
    from irc.context import default_context

    if not os.path.isfile(path):
        raise PluginError(f"cannot load plugin '{path}': no such file")
    what = f"plugin '{path}'"
    # the module name Context.load_plugin gives a plugin of the default context
    PLUGIN_MODULES["irc_plugin_" + re.sub(r"\W", "_", os.path.splitext(os.path.basename(path))[0])] = what
    with _registrations_checked(what):
        module = _call_plugin(f"cannot load {what}", default_context().load_plugin, path)
    PLUGIN_MODULES[module.__name__] = what


def load_entry_point_plugins() -> None:
    """Installed packages register through the `irc.plugins` entry-point group."""
    from importlib.metadata import entry_points

    try:
        eps = entry_points(group="irc.plugins")
    except TypeError:  # Python < 3.10
        eps = entry_points().get("irc.plugins", [])
    for ep in eps:
        what = f"plugin '{ep.name}' (entry point {getattr(ep, 'value', ep.name)})"
        PLUGIN_MODULES[getattr(ep, "module", None) or ep.name] = what
        with _registrations_checked(what):
            obj = _call_plugin(f"cannot load {what}", ep.load)
            if callable(obj):
                _call_plugin(f"cannot load {what}", obj)


def _call_plugin(failure: str, fn, *args):
    try:
        return fn(*args)
    except (KeyboardInterrupt, PluginError):
        raise
    except BaseException as e:  # a broken plugin is reported, not a traceback
        if os.environ.get("IRC_DEBUG"):
            raise
        raise PluginError(f"{failure}: {type(e).__name__}: {e}") from None


class _registrations_checked:
    """Context manager: the registries may only grow while a plugin loads."""

    def __init__(self, plugin: str):
        self.plugin = plugin

    def __enter__(self):
        self.before = [(kind, table, dict(table)) for kind, table in _registries()]
        return self

    def __exit__(self, exc_type, exc, tb):
        try:
            if exc_type is None:
                self._check()
        except PluginError:
            self._roll_back()
            raise
        if exc_type is not None:
            self._roll_back()
        return False

    def _check(self) -> None:
        clashes: List[str] = []
        for kind, table, before in self.before:
            for key, old in before.items():
                new = table.get(key)
                if new is not old and _origin(new) != _origin(old):
                    clashes.append(f"{kind} '{key}' (already registered by {_describe(old)})")
        if clashes:
            raise PluginError(f"{self.plugin} reuses the name of " + "; ".join(clashes))
        for kind, table, before in self.before:
            if kind == "op":
                for key in table.keys() - before.keys():
                    _check_format(self.plugin, table[key])

    def _roll_back(self) -> None:
        """A rejected plugin leaves nothing behind: irc's own registrations stay in force."""
        for _kind, table, before in self.before:
            table.clear()
            table.update(before)


def _registries():
    from irc.dialects import load_all
    from irc.opdef import ATTRS, DIALECTS, OPS, TYPES
    from irc.passes.pass_manager import PASSES, load_passes

    from irc.custom_directives import DIRECTIVES

    load_all()  # builtin names are taken before any plugin runs
    load_passes()
    return [("dialect", DIALECTS), ("op", OPS), ("type", TYPES), ("attribute", ATTRS), ("pass", PASSES),
            ("directive", DIRECTIVES)]


def _origin(obj) -> Optional[str]:
    """The module that defined a registered class, or a dialect's ops (a reloaded plugin replaces itself)."""
    if isinstance(obj, type):
        return obj.__module__
    ops = getattr(obj, "ops", None)
    return next(iter(ops.values())).__module__ if ops else None


def _describe(obj) -> str:
    module = _origin(obj)
    return PLUGIN_MODULES.get(module, module or "irc")


def _check_format(plugin: str, cls) -> None:
    from irc.assembly_format import syntax_of

    try:
        syntax_of(cls)
    except (ValueError, KeyError, TypeError) as e:
        raise PluginError(f"{plugin}: op '{getattr(cls, 'name', cls)}' has a malformed assembly format: {e}") from None


def plugin_failure(exc: BaseException) -> Optional[str]:
    """If a plugin's code raised `exc`, one line naming the plugin and where; else None."""
    frames = traceback.extract_tb(exc.__traceback__)
    tb = exc.__traceback__
    modules = []
    while tb is not None:
        modules.append(tb.tb_frame.f_globals.get("__name__"))
        tb = tb.tb_next
    for frame, module in reversed(list(zip(frames, modules))):
        if module in PLUGIN_MODULES:
            return (f"{PLUGIN_MODULES[module]} failed: {type(exc).__name__}: {exc} "
                    f"(in {frame.name}, {os.path.basename(frame.filename)}:{frame.lineno})")
    return None
