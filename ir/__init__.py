"""irc: an MLIR-style compiler toolkit in Python with a differentiation dialect.

The core lives here (types, attributes, operations, the parser, printer,
verifier and interpreter); passes are in `irc.passes`, the command line in
`irc.tools`.  Typical embedding::

    import irc
    module = irc.parse_module(text)
    irc.passes.run_pipeline(module, "ad,canonicalize,cse")
    print(irc.print_op(module))

These use the default context (`irc.default_context()`); an embedder that
loads its own plugins makes its own `irc.Context()` (ir/context.py).
"""

__version__ = "0.1.0"

# `irc.Block`, `irc.IntegerAttr`, `irc.f64` ... resolve on first use (PEP 562, below):
# importing the package stays free of numpy, so the command line's start-up is
# short and Ctrl-C during it reaches the command's own handler.
_CORE_NAMES = {
    "Block": "core", "BlockArgument": "core", "Operation": "core", "OpResult": "core", "Region": "core",
    "Value": "core", "Diagnostic": "diagnostics", "DiagnosticError": "diagnostics",
    "FileLineColLoc": "location", "NameLoc": "location", "UnknownLoc": "location",
    "Context": "context", "current_context": "context", "default_context": "context",
}


def parse_module(text: str, filename: str = "<stdin>", allow_unregistered: bool = False, verify: bool = True):
    """Parse MLIR text into a verified builtin.module (in the current context)."""
    from .parser import parse_module as _parse

    return _parse(text, filename, allow_unregistered, verify)


def print_op(op, generic: bool = False, debuginfo: bool = False) -> str:
    """MLIR text of `op` (custom forms unless `generic`)."""
    from .printer import print_op as _print

    return _print(op, generic, debuginfo)


def verify(op) -> None:
    """Raise DiagnosticError if `op` is invalid."""
    from .verifier import verify as _verify

    _verify(op)


def compile(module, opt_level: int = 3, disk_cache: bool = True):
    """JIT-compile `module` with LLVM: ``irc.compile(m).f(1.0, 2.0)`` (backends/llvm/jit.py)."""
    from .backends.llvm import compile as _compile

    return _compile(module, opt_level=opt_level, disk_cache=disk_cache)


def __getattr__(name):
    # lazy submodules keep `import irc` cheap (the CLI's start-up time counts)
    import importlib

    if name in ("passes", "backends", "frontend", "tools", "dialects", "interpreter", "builder"):
        return importlib.import_module(f"{__name__}.{name}")
    if name in _CORE_NAMES:
        return getattr(importlib.import_module(f"{__name__}.{_CORE_NAMES[name]}"), name)
    if not name.startswith("_"):
        for module in ("attributes", "types"):  # their public names, as `from .attributes import *` gave
            found = getattr(importlib.import_module(f"{__name__}.{module}"), name, None)
            if found is not None and not isinstance(found, type(importlib)):
                return found
    raise AttributeError(f"module 'irc' has no attribute {name!r}")
