"""Passes: the pass manager, the greedy rewrite driver, the general clean-up
passes (canonicalize, cse, dce, symbol-dce, inline, loop-invariant-code-motion)
and, in `irc.passes.ad`, the differentiation transforms."""

from .pass_manager import (  # noqa: F401
    PASSES,
    Pass,
    PassManager,
    PassOption,
    create_pass,
    load_passes,
    parse_pipeline,
    register_pass,
    run_pipeline,
)
