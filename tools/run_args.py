"""`irc run --arg`: array files read with their header checked against their
size first, and each value checked against the argument's type, so an
empty, truncated or lying `.npy`, an array given for a scalar or a value for
a type the command line cannot build (`!ad.tape<f64>`) is a one-line error.
"""

from __future__ import annotations

import os

# dtype kinds an argument array may have: booleans, integers, floats
_NUMERIC_KINDS = "biuf"


class ArgumentError(Exception):
    """A bad --arg: a one-line command-line error."""


def load_array(path: str):
    """The numpy array in the .npy file `path`, after checking that the file holds what its header says."""
    import numpy as np
    from numpy.lib import format as npy

    try:
        with open(path, "rb") as f:
            size = os.fstat(f.fileno()).st_size
            try:
                version = npy.read_magic(f)
                if version == (1, 0):
                    shape, fortran, dtype = npy.read_array_header_1_0(f)
                else:
                    shape, fortran, dtype = npy.read_array_header_2_0(f)
            except (ValueError, EOFError, SyntaxError, TypeError) as e:
                raise ArgumentError(f"could not load array argument '{path}': not a valid .npy file ({e})") from None
            if dtype.kind not in _NUMERIC_KINDS:
                raise ArgumentError(f"could not load array argument '{path}': its elements are {dtype}; "
                                    "irc takes booleans, integers or floats")
            count = 1
            for d in shape:
                count *= d
            need, have = count * dtype.itemsize, size - f.tell()
            if need != have:
                raise ArgumentError(f"could not load array argument '{path}': its header says shape {shape} of "
                                    f"{dtype} ({need} bytes), but the file holds {have} bytes of data")
            f.seek(0)
            return np.load(f, allow_pickle=False)
    except OSError as e:
        raise ArgumentError(f"could not load array argument '{path}': {e.strerror or e}") from None


def check_argument(index: int, value, t, text: str) -> None:
    """Raise ArgumentError unless --arg number `index` (`text`, parsed to `value`) can be given as a `t`."""
    import numpy as np

    from irc.types import FloatType, IndexType, IntegerType, ShapedType

    if isinstance(t, ShapedType):
        return  # shapes are checked on conversion
    if not isinstance(t, (FloatType, IntegerType, IndexType)):
        raise ArgumentError(f"--arg #{index}: argument {index} has type {t}, which cannot be given on the "
                            "command line (only numbers, booleans and arrays can)")
    if isinstance(value, np.ndarray) and value.shape != ():
        raise ArgumentError(f"--arg #{index}: argument {index} is a scalar of type {t}, but '{text}' holds "
                            f"an array of shape {value.shape}")
