"""What a program on tensors goes through before a backend compiles it.

The CPU backend translates scalars and memrefs; a tensor program (a model
written with linalg, differentiated on tensors) is bufferized first, the way
`irc opt --one-shot-bufferize=bufferize-function-boundaries` would, on a copy
of the module (the backend then lowers the linalg ops on buffers: products to
BLAS calls, the rest to loops; backends/llvm/jit.py).  Before that, every tensor argument of a public
function is marked ``bufferization.writable = false``.  With function
boundaries MLIR's rule (and irc's, passes/bufferize/one_shot.py) lets a
function write into its arguments' buffers; the caller of a compiled tensor
function hands numpy arrays in as *values* (as the interpreter does), and
they must come back unchanged, so bufferization copies before such a write
instead.  A program already on memrefs is compiled as it is: its arguments
are buffers, and writing them is what it says.
"""

from __future__ import annotations

TENSOR_LOWERING = "one-shot-bufferize{bufferize-function-boundaries}"


def uses_tensors(module) -> bool:
    """Whether a value, block argument or function signature of `module` has a tensor type."""
    from irc.functions import FunctionLike
    from irc.types import TensorType

    for op in module.walk():
        if any(isinstance(v.type, TensorType) for v in op.results):
            return True
        for region in op.regions:
            for block in region.blocks:
                if any(isinstance(a.type, TensorType) for a in block.arguments):
                    return True
        fn = FunctionLike.get(op)
        if fn is not None and fn.is_declaration():
            ft = fn.function_type()
            if any(isinstance(t, TensorType) for t in (*ft.inputs, *ft.results)):
                return True
    return False


def keep_arguments(module) -> None:
    """Mark every tensor argument of `module`'s public functions ``bufferization.writable =
    false`` (keeping their other argument attributes), so that bufferization never writes
    into a caller's array."""
    from irc.attributes import ArrayAttr, DictionaryAttr, IntegerAttr
    from irc.functions import FunctionLike
    from irc.types import TensorType, i1

    for op in module.regions[0].blocks[0].ops:
        fn = FunctionLike.get(op)
        if fn is None or fn.is_declaration() or op.attributes.get("sym_visibility") is not None:
            continue
        inputs = fn.function_type().inputs
        old = op.attributes.get("arg_attrs")
        dicts = list(old.elements) if isinstance(old, ArrayAttr) else [DictionaryAttr(()) for _ in inputs]
        for k, t in enumerate(inputs):
            if isinstance(t, TensorType):
                entries = dict(dicts[k].entries)
                entries["bufferization.writable"] = IntegerAttr(0, i1)
                dicts[k] = DictionaryAttr(tuple(entries.items()))
        op.attributes["arg_attrs"] = ArrayAttr(tuple(dicts))


def lower_tensor_program(module):
    """`module` ready for a backend: itself when it has no tensors, else a bufferized copy
    (arguments kept, TENSOR_LOWERING run).  A pass failure is the located diagnostic
    of the op that could not be lowered."""
    if not uses_tensors(module):
        return module
    from irc.passes import run_pipeline

    module = module.clone()
    keep_arguments(module)
    run_pipeline(module, TENSOR_LOWERING)
    return module
