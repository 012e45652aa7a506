"""Importing this module registers every dialect's LLVM translation rules."""

from . import ad, arith, blas, func, math, memref, memref_views, scf, scf_more  # noqa: F401
