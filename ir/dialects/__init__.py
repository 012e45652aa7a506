"""The dialects shipped with irc.  `load_all()` registers every one of them."""

import importlib

BUILTIN_DIALECTS = ("builtin", "func", "arith", "math", "scf", "memref", "memref_views", "memref_globals", "tensor",
                    "tensor_shapes", "tensor_regions", "tensor_parallel", "linalg", "linalg_conv", "ad", "bufferization",
                    "blas")
# derivative rules live beside their dialects; they are loaded after all dialects
DERIVATIVE_RULES = (
    "func_derivatives",
    "arith_derivatives",
    "math_derivatives",
    "scf_derivatives",
    "scf_index_switch_derivatives",
    "linalg_derivatives",
    "memref_derivatives",
    "linalg_conv_derivatives",
    "linalg_buffer_derivatives",
    # bufferization models (ir/bufferizable.py), beside their dialects
    "tensor_bufferize",
    "scf_bufferize",
    "scf_parallel_bufferize",
    "func_bufferize",
    "arith_bufferize",
    "ad_bufferize",
    "linalg_bufferize",
)
_loaded = []


def load_all() -> None:
    """Import every shipped dialect module (registration happens on import)."""
    if _loaded:
        return
    for name in BUILTIN_DIALECTS + DERIVATIVE_RULES:
        try:
            importlib.import_module(f"{__name__}.{name}")
        except ModuleNotFoundError as e:
            if e.name != f"{__name__}.{name}":
                raise
    _loaded.append(True)
