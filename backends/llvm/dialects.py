"""Importing this module registers every dialect's LLVM translation rules."""

from . import ad, arith, func, math, memref, scf  # noqa: F401
