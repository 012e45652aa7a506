"""Run-time errors of compiled code, read back as the interpreter words them.

A failing op records the first error of a call (translation.py, `fail_if`): a
code, `ModuleTranslation.errors[code - 1]` = (the op's location, the
interpreter's message with one ``{}`` per value it names, the values' kinds),
and the values themselves, one 64-bit word each in ``_irc_status_values``
('i' a signed integer, 'f' a double's bits).

- **Python** (jit.py): each JIT module defines ``_irc_error_values()``, the
  address of the words; `format_message` fills the message exactly as the
  interpreter's f-strings print the values (floats as Python prints them).
- **C** (objects.py): each object file defines ``int32_t <module>_last_error(void)``,
  the status of its last call through either entry (0: none), and
  ``const char *<module>_last_error_message(void)``, that error as
  ``file:line:col: error: 'op' op message`` ("" after a call that succeeded;
  floats printed with ``%.17g``; a static buffer, overwritten by the next call).
  MLIR's C interface (``_mlir_ciface_``) returns no status, so this is how its
  callers learn of a failure.
"""

from __future__ import annotations

import re
import struct
from typing import Sequence

import llvmlite.ir as ll

from .translation import I32, I64, PTR, ModuleTranslation

ERROR_VALUES_ACCESSOR = "_irc_error_values"
MESSAGE_BUFFER_BYTES = 1024


def format_message(message: str, kinds: str, words: Sequence[int]) -> str:
    """`message` with its ``{}`` filled from the status `words`, read as `kinds` say."""
    parts = message.split("{}")
    out = [parts[0]]
    for kind, word, part in zip(kinds, words, parts[1:]):
        out += [str(struct.unpack("<d", struct.pack("<q", word))[0]) if kind == "f" else str(word), part]
    return "".join(out)


def add_error_values_accessor(mt: ModuleTranslation) -> None:
    """``_irc_error_values()``: where the JIT reads the values of the error a call returned."""
    fn = ll.Function(mt.module, ll.FunctionType(PTR, []), name=ERROR_VALUES_ACCESSOR)
    ll.IRBuilder(fn.append_basic_block("entry")).ret(mt.status_values)


def c_prefix(header_name: str) -> str:
    """The C identifier the error functions of an object named `header_name` start with."""
    prefix = re.sub(r"[^A-Za-z0-9_]", "_", header_name) or "irc"
    return "_" + prefix if prefix[0].isdigit() else prefix


def error_function_names(prefix: str):
    """(last error, last error's message): the names of an object's error functions."""
    return f"{prefix}_last_error", f"{prefix}_last_error_message"


def add_last_error_functions(mt: ModuleTranslation, prefix: str) -> None:
    """Define ``<prefix>_last_error`` and ``<prefix>_last_error_message`` (the module's
    docstring), after everything that records errors is translated."""
    code_name, message_name = error_function_names(prefix)
    code_fn = ll.Function(mt.module, ll.FunctionType(I32, []), name=code_name)
    cb = ll.IRBuilder(code_fn.append_basic_block("entry"))
    cb.ret(cb.load(mt.last_status))

    snprintf = mt.declare_c_function("snprintf", I32, [PTR, I64, PTR])
    snprintf.function_type.var_arg = True
    buffer = ll.GlobalVariable(mt.module, ll.ArrayType(ll.IntType(8), MESSAGE_BUFFER_BYTES),
                               name="_irc_status_message")
    buffer.linkage = "internal"
    buffer.initializer = ll.Constant(buffer.value_type, None)
    fn = ll.Function(mt.module, ll.FunctionType(PTR, []), name=message_name)
    b = ll.IRBuilder(fn.append_basic_block("entry"))
    none = fn.append_basic_block("none")
    switch = b.switch(b.load(mt.last_status), none)
    b.position_at_end(none)
    b.store(ll.Constant(ll.IntType(8), 0), b.gep(buffer, [ll.Constant(I32, 0), ll.Constant(I32, 0)]))
    b.ret(buffer)
    for code, (where, message, kinds) in enumerate(mt.errors, start=1):
        case = fn.append_basic_block(f"code{code}")
        switch.add_case(ll.Constant(I32, code), case)
        b.position_at_end(case)
        at = f"{where[0]}:{where[1]}:{where[2]}: " if where else ""
        text = (at + "error: " + message).replace("%", "%%").split("{}")
        fmt = text[0] + "".join(("%.17g" if k == "f" else "%lld") + part for k, part in zip(kinds, text[1:]))
        values = []
        for k, kind in enumerate(kinds):
            word = b.load(mt.status_value_address(b, k), typ=I64)
            values.append(b.bitcast(word, ll.DoubleType()) if kind == "f" else word)
        b.call(snprintf, [buffer, ll.Constant(I64, MESSAGE_BUFFER_BYTES), _c_string(mt, f"_irc_error_format_{code}", fmt),
                          *values])
        b.ret(buffer)


def _c_string(mt: ModuleTranslation, name: str, text: str) -> ll.GlobalVariable:
    data = bytearray(text.encode()) + b"\0"
    g = ll.GlobalVariable(mt.module, ll.ArrayType(ll.IntType(8), len(data)), name=name)
    g.linkage = "private"
    g.global_constant = True
    g.initializer = ll.Constant(g.value_type, data)
    return g
