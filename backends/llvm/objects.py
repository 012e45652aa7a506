"""Ahead-of-time output: LLVM IR, assembly, and object files with a C header.

`irc translate --to-obj -o f.o` writes `f.o` and `f.h`: the object defines,
for every exported function, the C entry of entries.py
(``int32_t f(double y0, double p, double *result0)``, 0 on success or an
error code the header lists) and MLIR's C interface ``_mlir_ciface_f``
(memrefs as pointers to MLIR's descriptor, declared in the header as
``irc_memref_<rank>d``), built for the host CPU as position-independent
code that `cc`, another compiler or a framework can link (with `-lm`).
Public functions are exported; generated derivatives (private, such as
`f_grad`) are exported when named with `--export`.
"""

from __future__ import annotations

import re
from typing import Iterable, List, Optional, Sequence

from irc.diagnostics import error

from irc.functions import FunctionLike

from .entries import EntrySignature, add_entry, add_mlir_ciface
from .jit import _llvm, _prepare, host_target_machine, optimize
from .runtime_errors import add_last_error_functions, c_prefix, error_function_names
from .translation import ModuleTranslation, translate_module


def exported_names(module, exports: Optional[Sequence[str]]) -> List[str]:
    """Public functions with bodies, plus those named in `exports` (checked)."""
    names = []
    defined = {}
    for op in module.regions[0].blocks[0].ops:
        if FunctionLike.implemented_by(op) and not FunctionLike.of(op).is_declaration():
            name = FunctionLike.of(op).sym_name()
            defined[name] = op
            vis = op.attributes.get("sym_visibility")
            if vis is None or getattr(vis, "value", "public") == "public":
                names.append(name)
    for name in exports or ():
        if name not in defined:
            raise error(f"--export={name}: no function '@{name}' with a body in the module "
                        f"(known: {', '.join('@' + n for n in sorted(defined)) or 'none'})")
        if name not in names:
            names.append(name)
    return names


def _build(module, opt_level: int, exports: Optional[Sequence[str]], optimized: bool = True,
           header_name: str = "irc_module"):
    module, _ = _prepare(module)
    names = exported_names(module, exports)
    mt = translate_module(module)
    entries = [add_entry(mt, name, name) for name in names]
    entries += [add_mlir_ciface(mt, name) for name in names]
    prefix = c_prefix(header_name)
    _check_c_names(mt, names, error_function_names(prefix))
    add_last_error_functions(mt, prefix)
    llvm = _llvm()
    mod = llvm.parse_assembly(str(mt.module))
    mod.verify()
    tm = host_target_machine(opt_level, for_jit=False)
    mod.triple = llvm.get_process_triple()
    mod.data_layout = str(tm.target_data)
    if optimized:
        optimize(mod, tm, opt_level)
    return mt, mod, tm, entries


def _check_c_names(mt: ModuleTranslation, names: Iterable[str], error_functions: Sequence[str]) -> None:
    """An exported name must be a C identifier, not one of the C functions the code calls and
    not one of the object's error functions."""
    called = {f.name for f in mt.module.functions if f.is_declaration}
    for name in names:
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
            raise error(f"cannot export '@{name}' to C: not a C identifier")
        if name in called:
            raise error(f"cannot export '@{name}' to C: the code calls the C function '{name}' itself")
        if name in error_functions:
            raise error(f"cannot export '@{name}' to C: the object defines '{name}' itself (its run-time "
                        "errors); name the object differently")


def llvm_ir_text(module, opt_level: int = 0, exports=None) -> str:
    """LLVM IR of the exported entries (optimized at -O`opt_level` when it is above 0)."""
    _, mod, _, _ = _build(module, opt_level, exports, optimized=opt_level > 0)
    return str(mod)


def assembly(module, opt_level: int = 3, exports=None) -> str:
    _, mod, tm, _ = _build(module, opt_level, exports)
    return tm.emit_assembly(mod)


def object_file(module, opt_level: int = 3, exports=None, header_name: str = "irc_module"):
    """(object bytes, C header text)."""
    mt, mod, tm, entries = _build(module, opt_level, exports, header_name=header_name)
    return tm.emit_object(mod), c_header(entries, mt.errors, header_name, link_notes(mod))


def link_notes(mod) -> List[str]:
    """What the object needs at link time beyond the C library: the BLAS its blas ops call."""
    from .blas import find_blas

    lib = find_blas()
    called = sorted(f.name for f in mod.functions if f.is_declaration and lib and f.name in lib.symbols.values())
    if not called:
        return []
    return [f"Calls {', '.join(called)} ({lib.int_bits}-bit integers) of numpy's bundled OpenBLAS:",
            f"link {lib.path}", "(or an OpenBLAS built with those symbol names)."]


def _parameter(c_name: str, name: str) -> str:
    return f"{c_name}{name}" if c_name.endswith("*") else f"{c_name} {name}"


def _declaration(e: EntrySignature) -> List[str]:
    """The C declaration of an entry (and the struct of its results for MLIR's interface)."""
    params = [_parameter(a.c_name, f"arg{i}") for i, a in enumerate(e.args)]
    if not e.mlir_ciface:
        params += [f"{r.c_value} *result{i}" for i, r in enumerate(e.results)]
        return [f"int32_t {e.symbol}({', '.join(params) or 'void'});"]
    lines = []
    returned = "void"
    if len(e.results) == 1 and e.results[0].numpy_name != "memref":
        returned = e.results[0].c_name
    elif len(e.results) == 1:
        params.insert(0, f"{e.results[0].c_value} *result")
    elif e.results:
        struct = f"{e.name}_results"
        fields = " ".join(f"{r.c_value} r{i};" for i, r in enumerate(e.results))
        lines.append(f"typedef struct {{ {fields} }} {struct};")
        params.insert(0, f"{struct} *results")
    lines.append(f"{returned} {e.symbol}({', '.join(params) or 'void'});  /* MLIR's C interface: status by _last_error() */")
    return lines


def c_header(entries: Sequence[EntrySignature], errors, name: str, notes: Sequence[str] = ()) -> str:
    """A C header declaring each entry and listing the run-time error codes (and `notes`
    on what the object needs at link time)."""
    guard = re.sub(r"[^A-Za-z0-9]", "_", name).upper() + "_H"
    last_error, last_message = error_function_names(c_prefix(name))
    lines = [
        f"/* {name}: generated by irc translate --to-obj.  Each function returns 0, or the",
        " * code of the run-time error that happened (below); results go to the pointers.",
        f" * After a call of either entry (MLIR's C interface returns no status), {last_error}()",
        f" * is its status and {last_message}() the error as irc words it (\"\" if none;",
        " * a buffer the next call overwrites).  A call whose allocation failed has freed what",
        " * it allocated (its results are zeros); after any other error the results are written",
        " * as usual and memref results are the caller's to free."]
    lines += [f" * {note}" for note in notes]
    lines[-1] += " */"
    lines += [
        f"#ifndef {guard}",
        f"#define {guard}",
        "#include <stdbool.h>",
        "#include <stdint.h>",
        "#ifdef __cplusplus",
        'extern "C" {',
        "#endif",
        "",
    ]
    ranks = sorted({len(a.irc.shape) for e in entries for a in e.args + e.results if a.numpy_name == "memref"})
    for rank in ranks:  # MLIR's memref descriptor, sizes and strides in elements
        arrays = f" int64_t sizes[{rank}]; int64_t strides[{rank}];" if rank else ""
        lines.append(f"typedef struct {{ void *allocated; void *aligned; int64_t offset;{arrays} }} irc_memref_{rank}d;")
    if ranks:
        lines.append("")
    for e in entries:
        lines += _declaration(e)
    lines += [f"int32_t {last_error}(void);", f"const char *{last_message}(void);"]
    if errors:
        lines += ["", "/* run-time error codes ({} stands for a value the message names)"]
        for code, (where, message, _) in enumerate(errors, start=1):
            at = f" at {where[0]}:{where[1]}:{where[2]}" if where else ""
            lines.append(f" *   {code}: {message.replace('*/', '* /')}{at}")
        lines.append(" */")
    lines += ["", "#ifdef __cplusplus", "}", "#endif", f"#endif /* {guard} */", ""]
    return "\n".join(lines)
