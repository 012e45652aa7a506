"""Importing this module registers every dialect's LLVM translation rules."""

from . import ad, arith, func, math, memref, scf, scf_more  # noqa: F401
