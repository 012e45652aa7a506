"""numpy, imported the first time irc reads one of its names.

Parsing, verifying and printing IR without dense values never touches numpy,
and importing it is about a third of `irc opt`'s start-up; the interpreter,
dense attributes and constant folding use it.  Modules write
``from .lazy_numpy import np`` and use `np` as they would the module:
``np.float32``, ``isinstance(v, np.ndarray)`` (the real classes, so isinstance
checks are unchanged).  A name read at import time (``np.exp`` passed to a
table) would import numpy then: such places use `numpy_function("exp")`.
"""

from __future__ import annotations


class _LazyNumpy:
    """Stands for the numpy module: the first read of a name imports numpy."""

    def __getattr__(self, name: str):
        import numpy

        value = getattr(numpy, name)
        setattr(self, name, value)  # later reads are plain attribute reads
        return value

    def __repr__(self):
        return "<numpy, imported on first use>"


np = _LazyNumpy()


def numpy_function(name: str):
    """A function that calls ``numpy.<name>``, importing numpy when first called."""

    def call(*args, **kwargs):
        return getattr(np, name)(*args, **kwargs)

    call.__name__ = call.__qualname__ = name
    call.__doc__ = f"numpy.{name}, imported on first call."
    return call
