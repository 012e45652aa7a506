"""The CPU backend: irc IR to LLVM IR (llvmlite), JIT-compiled or written as
object files.  See docs/backend.md.

`compile` (also `irc.compile`) imports llvmlite on first use, so
`import irc` and `irc opt` stay fast.
"""


def compile(module, opt_level: int = 3, disk_cache: bool = True):
    """JIT-compile `module`; its functions become callable attributes (see jit.py)."""
    from .jit import compile as _compile

    return _compile(module, opt_level=opt_level, disk_cache=disk_cache)


def llvm_ir(module) -> str:
    """The LLVM IR irc generates for `module` (before LLVM's optimizations)."""
    from .jit import llvm_ir as _llvm_ir

    return _llvm_ir(module)
