"""Translation of irc IR to LLVM IR (llvmlite.ir): the driver and the
`translate_to_llvm` interface each dialect implements.

Each op's translation is a small function registered beside the others of
its dialect (backends/llvm/arith.py, math.py, func.py, scf.py, ad.py)::

    @translate_to_llvm.register(AddFOp)
    def _(t, op, args):
        return [t.b.fadd(args[0], args[1], flags=t.fastmath(op))]

A rule gets the `FunctionTranslation` `t` (its `b` is the llvmlite IRBuilder
at the current position) and the LLVM values of the operands, and returns
the LLVM values of the results.  Terminators return `Terminator(values)`;
ops with regions call `t.emit_block(block, args)`, which translates a
region's single block in place and returns what its terminator yields.
The driver names no op: a new dialect lowers by registering its rules.  The
NVPTX path reuses the same rules with its own `ModuleTranslation` subclass
(math through libdevice instead of libm).

Run-time errors the interpreter raises (division by zero, a float out of an
integer's range, popping an empty tape ...) become a status: the failing
site stores its code in the module's status word and execution continues
with a harmless value; each exported entry returns the status, and the JIT
raises the interpreter's message at the op's location (see docs/backend.md).
"""

from __future__ import annotations

from typing import Dict, List, Optional, Sequence, Tuple

import llvmlite.ir as ll

from irc.core import Block, Operation, Value
from irc.diagnostics import DiagnosticError, error
from irc.functions import FunctionLike
from irc.interfaces import rule_interface
from irc.types import FloatType, FunctionType, IndexType, IntegerType, MemRefType, Type

from .bf16 import round_to_bf16

translate_to_llvm = rule_interface(
    "translate_to_llvm", "fn(t: FunctionTranslation, op, args: list of llvmlite values) -> list of values or Terminator"
)

indexed_access = rule_interface(
    "llvm_indexed_access",
    "fn(op) -> (memref operand, index operands): an access the backend bounds-checks; an innermost "
    "scf.for checks the whole range of such accesses once and runs an unchecked copy when they fit",
)

translate_module_op = rule_interface(
    "translate_module_op_to_llvm",
    "an object with declare(mt, op) and define(mt, op): a module-level op in two phases "
    "(every FunctionLike op without a rule of its own is translated as a function)",
)

# Symbols of the generated code: internal definitions get a prefix so that a user's
# function named `sin` or `malloc` never captures a C library call.
IMPL_PREFIX = "_irc_fn_"
ENTRY_PREFIX = "_irc_entry_"
STATUS_GLOBAL = "_irc_status"
MAX_ERROR_VALUES = 32  # the most values one run-time error message names (a rank-15 index and shape)
MAX_CALL_DEPTH = 500  # kept below the interpreter's 10,000: compiled frames live on the caller's native stack

I8, I32, I64 = ll.IntType(8), ll.IntType(32), ll.IntType(64)
PTR = ll.PointerType()


class Terminator:
    """Returned by a terminator's rule: the region yields `values`."""

    __slots__ = ("values",)

    def __init__(self, values):
        self.values = list(values)


class TranslationError(DiagnosticError):
    """IR the LLVM backend cannot translate (an unsupported op or type), located at its op."""


def unsupported(op: Operation, message: str) -> TranslationError:
    """A located diagnostic for what the backend does not translate."""
    return TranslationError(error(f"'{op.op_name}' op {message}", op.location).diagnostics)


def llvm_type(t: Type, op: Optional[Operation] = None) -> ll.Type:
    """The LLVM type of a scalar irc type (index is 64 bits, tapes are pointers)."""
    if isinstance(t, FloatType):
        if t.name == "f64":
            return ll.DoubleType()
        if t.name == "f32":
            return ll.FloatType()
        if t.name == "f16":
            return ll.HalfType()
        if t.name == "bf16":  # a float holding a bf16 value (backends/llvm/bf16.py)
            return ll.FloatType()
    elif isinstance(t, IndexType):
        return I64
    elif isinstance(t, IntegerType):
        if t.width <= 64:
            return ll.IntType(t.width)
    elif getattr(t, "type_name", None) == "ad.tape":
        return PTR
    elif isinstance(t, MemRefType):
        from .memref import descriptor_type

        return descriptor_type(t, op)
    where = f"'{op.op_name}' op " if op is not None else ""
    raise TranslationError(
        error(f"{where}uses type {t}, which the LLVM backend does not support", op.location if op else None).diagnostics
    )


def size_of(typ: ll.Type) -> int:
    """The bytes one value of LLVM type `typ` takes in memory (its ABI size on x86-64 and
    AArch64: integers round up to a power of two, structs align their fields)."""
    if isinstance(typ, ll.IntType):
        return max(1, (typ.width + 7) // 8) if typ.width <= 8 else 1 << (((typ.width + 7) // 8) - 1).bit_length()
    if isinstance(typ, ll.ArrayType):
        return typ.count * size_of(typ.element)
    if isinstance(typ, ll.LiteralStructType):
        offset, widest = 0, 1
        for field in typ.elements:
            align = _align_of(field)
            widest = max(widest, align)
            offset = (offset + align - 1) // align * align + size_of(field)
        return (offset + widest - 1) // widest * widest
    return {ll.DoubleType: 8, ll.FloatType: 4, ll.HalfType: 2}.get(type(typ), 8)


def _align_of(typ: ll.Type) -> int:
    if isinstance(typ, ll.ArrayType):
        return _align_of(typ.element)
    if isinstance(typ, ll.LiteralStructType):
        return max((_align_of(f) for f in typ.elements), default=1)
    return min(size_of(typ), 16)


def function_signature(ftype: FunctionType, op: Operation) -> ll.FunctionType:
    """The internal LLVM signature: scalars in; void, one value or a literal struct out."""
    ins = [llvm_type(t, op) for t in ftype.inputs]
    outs = [llvm_type(t, op) for t in ftype.results]
    if not outs:
        ret = ll.VoidType()
    elif len(outs) == 1:
        ret = outs[0]
    else:
        ret = ll.LiteralStructType(outs)
    return ll.FunctionType(ret, ins)


class ModuleTranslation:
    """One `builtin.module` becoming one llvmlite module.

    Holds what the function translations share: declared functions and
    intrinsics, the status word, and the table of run-time error messages
    (code i + 1 is `errors[i]`: the op's location, the interpreter's text, and how its values read).
    """

    def __init__(self, module: Operation, name: str = "irc"):
        self.source = module
        self.module = ll.Module(name=name)
        # (file, line, col) or None, and the message: plain data, stored beside cached code
        self.errors: List[Tuple[Optional[Tuple[str, int, int]], str, str]] = []
        self.functions: Dict[str, ll.Function] = {}
        self.func_ops: Dict[str, Operation] = {}
        self.globals_by_name: Dict[str, ll.GlobalVariable] = {}  # memref.global symbols
        self._helpers: Dict[str, ll.Function] = {}

    # -- symbols ---------------------------------------------------------------------
    def declare_c_function(self, name: str, ret: ll.Type, args: Sequence[ll.Type]) -> ll.Function:
        """A C library function (libm, malloc ...), declared once."""
        fn = self.module.globals.get(name)
        if fn is None:
            fn = ll.Function(self.module, ll.FunctionType(ret, list(args)), name=name)
        return fn

    def intrinsic(self, name: str, ret: ll.Type, args: Sequence[ll.Type]) -> ll.Function:
        """An LLVM intrinsic by its full mangled name (``llvm.sin.f64``)."""
        return self.declare_c_function(name, ret, args)

    def helper(self, name: str, build) -> ll.Function:
        """An internal helper function built once by `build(module_translation, name)`."""
        fn = self._helpers.get(name)
        if fn is None:
            fn = self._helpers[name] = build(self, name)
        return fn

    def _zeroed_global(self, name: str, type: ll.Type) -> ll.GlobalVariable:
        """An internal global of `type` named `name`, initialised to 0, made on first use."""
        g = self.module.globals.get(name)
        if g is None:
            g = ll.GlobalVariable(self.module, type, name=name)
            g.linkage = "internal"
            g.initializer = ll.Constant(type, None)  # zeroinitializer
        return g

    def zero_element(self, nbytes: int = 32) -> ll.GlobalVariable:
        """At least `nbytes` zero bytes that a load which must not touch memory (an empty tape's
        pop, an out-of-bounds index) reads instead: a select of the address rather than a branch,
        so no phi joins the loaded value and a failed path (LLVM keeps loop values in registers)."""
        words = max(4, (nbytes + 7) // 8)
        return self._zeroed_global(f"{STATUS_GLOBAL}_zero_{words * 8}", ll.ArrayType(I64, words))

    @property
    def status(self) -> ll.GlobalVariable:
        """The status word: 0, or the code of the first run-time error since the last entry."""
        return self._zeroed_global(STATUS_GLOBAL, I32)

    @property
    def jump_buffer(self) -> ll.GlobalVariable:
        """Where the running entry's ``_setjmp`` saved its registers (room for any libc's jmp_buf)."""
        g = self._zeroed_global(STATUS_GLOBAL + "_jump", ll.ArrayType(I64, 64))
        g.align = 16
        return g

    @property
    def entry_running(self) -> ll.GlobalVariable:
        """1 while an entry that can be unwound to (it called ``_setjmp``) runs, else 0."""
        return self._zeroed_global(STATUS_GLOBAL + "_armed", I32)

    def unwind(self, b: ll.IRBuilder) -> None:
        """Leave the compiled code at once, back to the entry that is running (a ``longjmp`` to
        its ``_setjmp``), which frees what the call still holds (allocations.py) and returns
        the recorded status: for failures after which no value is harmless (an allocation
        that returned NULL).  Both kinds of entry (the status entry, MLIR's C interface) arm it."""
        def build(mt, name):
            fn = ll.Function(mt.module, ll.FunctionType(ll.VoidType(), []), name=name)
            fn.linkage = "internal"
            fn.attributes.add("noinline")
            fn.attributes.add("cold")
            hb = ll.IRBuilder(fn.append_basic_block("entry"))
            armed = hb.icmp_unsigned("!=", hb.load(mt.entry_running), ll.Constant(I32, 0))
            with hb.if_then(armed):
                longjmp = mt.declare_c_function("longjmp", ll.VoidType(), [ll.PointerType(), I32])
                longjmp.attributes.add("noreturn")
                hb.call(longjmp, [mt.jump_buffer, ll.Constant(I32, 1)])
                hb.unreachable()
            hb.ret_void()
            return fn

        b.call(self.helper("_irc_unwind", build), [])

    @property
    def last_status(self) -> ll.GlobalVariable:
        """The status the last entry returned (what ``<module>_last_error()`` reads in C)."""
        return self._zeroed_global(STATUS_GLOBAL + "_last", I32)

    @property
    def call_depth(self) -> ll.GlobalVariable:
        """How deep recursive functions are nested now (the interpreter's call-depth limit)."""
        return self._zeroed_global(STATUS_GLOBAL + "_depth", I32)

    @property
    def status_values(self) -> ll.GlobalVariable:
        """The values the first error's message names (an index, a size, a float's bits ...),
        one 64-bit word per ``{}``; written only when an error is recorded."""
        return self._zeroed_global(STATUS_GLOBAL + "_values", ll.ArrayType(I64, MAX_ERROR_VALUES))

    def recorder(self, n: int) -> ll.Function:
        """``_irc_fail_<n>(code, word...)``: record an error with `n` values unless one is
        recorded already; one call per failing site (cold, not inlined) keeps the functions
        LLVM optimizes small."""
        def build(mt, name):
            fn = ll.Function(mt.module, ll.FunctionType(ll.VoidType(), [I32] + [I64] * n), name=name)
            fn.linkage = "internal"
            fn.attributes.add("noinline")
            fn.attributes.add("cold")
            b = ll.IRBuilder(fn.append_basic_block("entry"))
            with b.if_then(b.icmp_unsigned("==", b.load(mt.status), ll.Constant(I32, 0))):
                b.store(fn.args[0], mt.status)
                for k, word in enumerate(fn.args[1:]):
                    b.store(word, mt.status_value_address(b, k))
            b.ret_void()
            return fn

        return self.helper(f"_irc_fail_{n}", build)

    def status_value_address(self, b: ll.IRBuilder, k: int) -> ll.Value:
        """The address of status value `k`."""
        return b.gep(self.status_values, [ll.Constant(I32, 0), ll.Constant(I32, k)])

    def error_code(self, op: Operation, message: str, kinds: str = "") -> int:
        """A new run-time error code for `message` raised at `op`; `kinds` says how each of its
        ``{}`` is read from the status values ('i' a signed integer, 'f' a double's bits)."""
        flc = op.location.file_line_col() if op.location is not None else None
        where = (flc.file, flc.line, flc.col) if flc is not None else None
        self.errors.append((where, f"'{op.op_name}' op {message}", kinds))
        return len(self.errors)

    # -- driving ---------------------------------------------------------------------
    def translate(self) -> ll.Module:
        """Declare every module-level symbol first (so calls may go forward), then define them."""
        body = self.source.regions[0].blocks[0]
        rules = []
        for op in body.ops:
            rule = translate_module_op.lookup(op)
            if rule is None and FunctionLike.implemented_by(op):
                from .func import FunctionTranslationRule

                rule = FunctionTranslationRule
            if rule is None:
                raise unsupported(op, "cannot be translated to LLVM IR at module level")
            rules.append((rule, op))
        for rule, op in rules:
            rule.declare(self, op)
        for rule, op in rules:
            rule.define(self, op)
        return self.module


class FunctionTranslation:
    """The body of one func.func: the value map and the builder."""

    def __init__(self, mt: ModuleTranslation, op: Operation, fn: ll.Function):
        self.mt = mt
        self.op = op
        self.fn = fn
        self.function = FunctionLike.of(op)
        self.body_block = self.function.entry_block()
        self.values: Dict[Value, ll.Value] = {}
        # stack slots go in their own first block (LLVM promotes entry-block allocas to
        # registers); it branches to the body once the function is complete
        self._slots = fn.append_basic_block("entry")
        self._slot_builder = ll.IRBuilder(self._slots)
        self.b = ll.IRBuilder(fn.append_basic_block("body"))
        self.at_exit: List = []  # callbacks run before every `ret` (freeing tapes ...), `returned` set
        self.returned: List[ll.Value] = []  # the LLVM values the function returns (for at_exit checks)
        self.state: Dict[str, object] = {}  # per-function state of dialect rules (the tape list ...)
        self.unchecked: set = set()  # accesses proven in bounds where they are translated now (scf.for)

    def translate(self, depth_guard: bool = False) -> None:
        """Translate the body; with `depth_guard` (recursive functions) calls nested deeper
        than the interpreter's limit return zeros and record its error instead of
        overflowing the stack."""
        if depth_guard:
            self._guard_depth()
        results = self.emit_block(_single_block(self.op, self.function.body()), list(self.fn.args))
        if depth_guard:
            depth = self.mt.call_depth
            self.b.store(self.b.sub(self.b.load(depth), ll.Constant(I32, 1)), depth)
        self._slot_builder.branch(self.fn.basic_blocks[1])
        self.returned = results
        for cb in self.at_exit:
            cb(self)
        ret = self.fn.function_type.return_type
        if isinstance(ret, ll.VoidType):
            self.b.ret_void()
        elif len(results) == 1:
            self.b.ret(results[0])
        else:
            self.b.ret(self.pack(ret, results))

    def _guard_depth(self) -> None:
        b = self.b
        depth = self.mt.call_depth
        d = b.load(depth)
        too_deep = b.icmp_signed(">=", d, ll.Constant(I32, MAX_CALL_DEPTH))
        self.fail_if(too_deep, self.op, f"call depth exceeds {MAX_CALL_DEPTH} (unbounded recursion?)")
        with b.if_then(too_deep, likely=False):
            ret = self.fn.function_type.return_type
            if isinstance(ret, ll.VoidType):
                b.ret_void()
            else:
                b.ret(ll.Constant(ret, None))
        b.store(b.add(d, ll.Constant(I32, 1)), depth)

    # -- helpers for rules -------------------------------------------------------------
    def pack(self, struct_type: ll.Type, values: Sequence[ll.Value]) -> ll.Value:
        agg = ll.Constant(struct_type, ll.Undefined)
        for i, v in enumerate(values):
            agg = self.b.insert_value(agg, v, i)
        return agg

    def alloca(self, typ: ll.Type, name: str = "") -> ll.Value:
        """A stack slot in the entry block, as an opaque pointer (like every other pointer here)."""
        slot = self._slot_builder.alloca(typ, name=name)
        slot.type = PTR  # llvmlite types an alloca as a typed pointer, which its gep and store mistype
        return slot

    def entry_slot(self, typ: ll.Type, initial: ll.Value, name: str = "") -> ll.Value:
        """A stack slot holding `initial` from the function's start (before any other code)."""
        slot = self.alloca(typ, name)
        self._slot_builder.store(initial, slot)
        return slot

    def block(self, name: str) -> ll.Block:
        return self.fn.append_basic_block(name)

    def fail_if(self, condition: ll.Value, op: Operation, message: str, *values) -> None:
        """Where `condition` holds at run time, record the interpreter's error `message` at `op`.

        The status keeps the first error; execution continues (the caller
        substitutes a harmless value), and the entry reports it on return.
        `values` fill the message's ``{}`` in order, as the interpreter names
        the offending values: integers (read as signed) or floats (printed as
        Python prints them); or one callable that builds that list where the
        condition holds, so the normal path never computes them.
        """
        with self.b.if_then(condition, likely=False):
            built = values[0]() if len(values) == 1 and callable(values[0]) else list(values)
            assert message.count("{}") == len(built) <= MAX_ERROR_VALUES, message
            kinds = "".join("i" if isinstance(v.type, ll.IntType) else "f" for v in built)
            code = ll.Constant(I32, self.mt.error_code(op, message, kinds))
            if built:
                self.b.call(self.mt.recorder(len(built)), [code, *(_as_word(self.b, v) for v in built)])
            else:  # no values: inline (a call in a hot loop's cold path costs the loop registers)
                status = self.mt.status
                with self.b.if_then(self.b.icmp_unsigned("==", self.b.load(status), ll.Constant(I32, 0))):
                    self.b.store(code, status)

    def failed(self) -> ll.Value:
        """An i1: has a run-time error been recorded (loops stop early on it, as the interpreter stops)?"""
        return self.b.icmp_unsigned("!=", self.b.load(self.mt.status), ll.Constant(I32, 0))

    def emit_block(self, block: Block, args: Sequence[ll.Value]) -> List[ll.Value]:
        """Translate `block`'s ops at the builder's position; the values its terminator yields."""
        for a, v in zip(block.arguments, args):
            self.values[a] = v
        lookup = translate_to_llvm.lookup
        op = block.first_op
        while op is not None:
            rule = lookup(op)
            if rule is None:
                raise unsupported(op, "has no translation to LLVM IR")
            try:
                operands = [self.values[v] for v in op.operands]
            except KeyError:
                raise unsupported(op, "uses a value defined outside its function")
            out = rule(self, op, operands)
            if isinstance(out, Terminator):
                return out.values
            for r, v in zip(op.results, out):
                if type(r.type) is FloatType and r.type.name == "bf16" and _rounds_bf16(op):
                    v = round_to_bf16(self.b, v)
                self.values[r] = v
            op = op._next
        return []

    def emit_region(self, op: Operation, index: int, args: Sequence[ll.Value]) -> List[ll.Value]:
        """Translate region `index` of `op` (one block) in place."""
        return self.emit_block(_single_block(op, op.regions[index]), args)

    def fastmath(self, op: Operation) -> Tuple[str, ...]:
        """LLVM fast-math flags: exactly those the op's `fastmath` attribute asks for."""
        fm = op.attributes.get("fastmath")
        if fm is None:
            return ()
        names = tuple(p for p in fm.params if p != "none")
        return ("fast",) if "fast" in names else names


def _as_word(b: ll.IRBuilder, v: ll.Value) -> ll.Value:
    """A status value as a 64-bit word: an integer sign-extended, a float as its double's bits."""
    if isinstance(v.type, ll.IntType):
        return v if v.type.width == 64 else b.sext(v, I64) if v.type.width < 64 else b.trunc(v, I64)
    if not isinstance(v.type, ll.DoubleType):
        v = b.fpext(v, ll.DoubleType())
    return b.bitcast(v, I64)


def _single_block(op: Operation, region) -> Block:
    if len(region.blocks) != 1:
        raise unsupported(op, f"has a region of {len(region.blocks)} blocks; the LLVM backend translates one-block regions")
    return region.blocks[0]


def translate_module(module: Operation, name: str = "irc") -> ModuleTranslation:
    """Translate `module` (after `ad` lowering) to LLVM IR; the result's `.module` is the llvmlite module."""
    from . import dialects  # noqa: F401  (registers every dialect's rules)

    mt = ModuleTranslation(module, name)
    mt.translate()
    return mt


def _rounds_bf16(op: Operation) -> bool:
    """Whether a bf16 result of `op` is computed (an arith or math op that the interpreter
    rounds to bf16), not moved (a load, a select, a bitcast, a constant: exact already)."""
    from irc.dialects.arith import BitcastOp, ConstantOp, SelectOp

    name = op.op_name
    return (name.startswith("arith.") or name.startswith("math.")) and not isinstance(
        op, (ConstantOp, SelectOp, BitcastOp))
