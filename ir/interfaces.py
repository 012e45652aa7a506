"""Interfaces: contracts of methods that ops and types implement (MLIR's op
and type interfaces, with external models).

An interface is a class that declares methods, with defaults where a sensible
one exists and `required` where none does::

    class LoopLike(OpInterface):
        interface_name = "LoopLikeOpInterface"

        @required
        def loop_regions(self, op) -> List[Region]: ...

        def induction_vars(self, op) -> List[Value]:
            return []

A *model* is a subclass that fills the methods in for one kind of op; it is
attached from outside the op's class (MLIR's external models), so a dialect
file, a plugin or another package can make an existing op implement an
interface without touching its declaration::

    @LoopLike.implement(ForOp)        # or LoopLike.attach(ForOp, ForLoop())
    class ForLoop(LoopLike):
        def loop_regions(self, op):
            return [op.body]

A pass asks the interface, never the op's class::

    if LoopLike.implemented_by(op):
        for region in LoopLike.of(op).loop_regions():
            ...

`of(op)` binds the model to the op (every method gets `op` for you);
`model(op)` is the unbound model (or None).  Type interfaces work the same
way on type classes (`TangentSpace.of(f64).zero(...)`).

Single-function registries (an interpreter rule, a derivative rule) are
interfaces with one method, made by `rule_interface`: ``interpret.register(
AddFOp)`` attaches a model holding the function, ``interpret.lookup(op)``
returns it.  Attachments are per class and process-wide (a class belongs to
one dialect, and a plugin's classes are its own).
"""

from __future__ import annotations

import functools
from typing import Any, Callable, Dict, Optional

__all__ = [
    "Interface",
    "OpInterface",
    "TypeInterface",
    "RuleInterface",
    "rule_interface",
    "required",
    "InterfaceError",
]


class InterfaceError(TypeError):
    """An interface was asked of an op or type that does not implement it, or a model
    leaves a required method out."""


def required(fn: Callable) -> Callable:
    """Mark an interface method that every model must define (it has no default)."""

    @functools.wraps(fn)
    def missing(self, *args, **kwargs):
        raise InterfaceError(f"{type(self).__name__} does not define '{fn.__name__}', "
                             f"which {self.interface_name} requires")

    missing.__required__ = True
    return missing


class _Bound:
    """An interface model bound to one op or type: ``LoopLike.of(op).loop_regions()``."""

    __slots__ = ("model", "target")

    def __init__(self, model, target):
        self.model = model
        self.target = target

    def __getattr__(self, name):
        attr = getattr(self.model, name)
        if callable(attr):
            return functools.partial(attr, self.target)
        return attr

    def __repr__(self) -> str:
        return f"<{type(self.model).__name__} of {self.target!r}>"


# bumped by every attach/detach of any interface: caches that depend on several
# interfaces (a rule interface's defaults ask CallLike) check it
_GENERATION = [0]


_REQUIRED: Dict[type, List[str]] = {}


def _required_names(model_class: type) -> List[str]:
    """The methods `model_class` leaves required (still marked `__required__`); `dir` once per class,
    not once per attach (dialects attach hundreds of models at import)."""
    names = _REQUIRED.get(model_class)
    if names is None:
        names = _REQUIRED[model_class] = [
            n for n in dir(model_class) if getattr(getattr(model_class, n, None), "__required__", False)
        ]
    return names


class Interface:
    """Base of op and type interfaces; see the module docstring.

    A class that sets `interface_name` in its own body declares a new
    interface (and gets its own registry of models); a subclass that does
    not is a model of the interface it derives from.
    """

    interface_name = ""
    _models: Dict[Any, "Interface"]
    _cache: Dict[type, Optional["Interface"]]

    def __init_subclass__(cls, **kw):
        super().__init_subclass__(**kw)
        if "interface_name" in cls.__dict__:
            cls._models = {}
            cls._cache = {}
            cls._interface = cls

    # -- attaching models ------------------------------------------------------------
    @classmethod
    def attach(cls, target, model=None) -> None:
        """Make `target` (a class, or for op interfaces an op name) implement this
        interface through `model` (a model class or instance; default: the
        interface itself, i.e. all defaults)."""
        if model is None:
            model = cls
        if isinstance(model, type):
            model = model()
        if not isinstance(model, cls):
            raise InterfaceError(f"{type(model).__name__} is not a model of {cls.interface_name}")
        missing = [n for n in _required_names(type(model)) if getattr(getattr(model, n, None), "__required__", False)]
        if missing:
            raise InterfaceError(
                f"{type(model).__name__} does not define {', '.join(missing)}, which {cls.interface_name} requires"
            )
        cls._models[target] = model
        cls._cache.clear()
        _GENERATION[0] += 1

    @classmethod
    def implement(cls, *targets):
        """Class decorator: attach the decorated model to every target."""

        def deco(model_cls):
            model = model_cls()
            for t in targets:
                cls.attach(t, model)
            return model_cls

        return deco

    @classmethod
    def detach(cls, target) -> None:
        """Undo `attach` (tests and plugins that unload)."""
        cls._models.pop(target, None)
        cls._cache.clear()
        _GENERATION[0] += 1

    # -- asking ----------------------------------------------------------------------
    @classmethod
    def model(cls, obj) -> Optional["Interface"]:
        """The model `obj` (an op or a type) implements this interface with, or None."""
        key = type(obj)
        try:
            found = cls._cache[key]
        except KeyError:
            found = cls._find(obj, key)
            if cls._cacheable(obj):
                cls._cache[key] = found
        if found is None:
            return cls._fallback(obj)
        return found

    @classmethod
    def _find(cls, obj, key) -> Optional["Interface"]:
        models = cls._models
        for k in key.__mro__:
            m = models.get(k)
            if m is not None:
                return m
        return None

    @classmethod
    def _cacheable(cls, obj) -> bool:
        return True

    @classmethod
    def _fallback(cls, obj) -> Optional["Interface"]:
        """A model derived from something other than an attachment (traits); None by default."""
        return None

    @classmethod
    def implemented_by(cls, obj) -> bool:
        """Whether `obj` (an op or a type) implements this interface."""
        return cls.model(obj) is not None

    @classmethod
    def get(cls, obj):
        """`obj`'s model bound to it, or None when it does not implement the interface."""
        m = cls.model(obj)
        return None if m is None else _Bound(m, obj)

    @classmethod
    def of(cls, obj):
        """`obj`'s model bound to it; InterfaceError when it does not implement the interface."""
        m = cls.model(obj)
        if m is None:
            what = getattr(obj, "op_name", None) or str(obj)
            raise InterfaceError(f"'{what}' does not implement {cls.interface_name}")
        return _Bound(m, obj)


class OpInterface(Interface):
    """Base of op interfaces.  Models attach to op classes, or to op names (for
    ops whose class is defined elsewhere, or unregistered ones)."""

    @classmethod
    def _find(cls, obj, key):
        found = super()._find(obj, key)
        if found is None:
            found = cls._models.get(getattr(obj, "op_name", None))
        return found

    @classmethod
    def _cacheable(cls, obj) -> bool:
        return getattr(obj, "registered", False)  # generic ops share one class

    @classmethod
    def attach(cls, target, model=None) -> None:
        """As `Interface.attach`; `target` is an op class or an op name."""
        if not isinstance(target, (type, str)):
            raise InterfaceError(f"attach {cls.interface_name} to an op class or name, not {target!r}")
        super().attach(target, model)


class TypeInterface(Interface):
    """Base of type interfaces.  Models attach to type classes."""


class RuleInterface(OpInterface):
    """An op interface with one method, `rule`, holding a function (or any value)
    per op: the shape of "rules as data beside the op" registries.

    ``interpret.register(AddFOp)(fn)`` attaches ``RuleInterface(fn)``;
    ``interpret.lookup(op)`` returns `fn` (None when the op has none).
    """

    _defaults: list  # (predicate, model): rules for every op a predicate accepts
    _table: dict  # op class -> value, defaults included (the interpreter's hot path)

    def __init_subclass__(cls, **kw):
        super().__init_subclass__(**kw)
        if "interface_name" in cls.__dict__:
            cls._defaults = []
            cls._table = {}
            cls._table_generation = -1

    def __init__(self, rule=None):
        self.value = rule

    def rule(self, op):
        """The registered function or value."""
        return self.value

    @classmethod
    def register(cls, *ops):
        """Decorator: register the decorated function for `ops` (classes or names)."""

        def deco(fn):
            for o in ops:
                cls.attach(o, cls(fn))
            return fn

        return deco

    @classmethod
    def register_default(cls, predicate: Callable):
        """Decorator: the decorated function is the rule of every op without its own
        for which `predicate(op)` holds (``CallLike.implemented_by``: any call op)."""

        def deco(fn):
            cls._defaults.append((predicate, cls(fn)))
            _GENERATION[0] += 1
            return fn

        return deco

    @classmethod
    def _fallback(cls, op):
        for predicate, model in cls._defaults:
            if predicate(op):
                return model
        return None

    @classmethod
    def register_value(cls, op, value) -> None:
        """Register `value` for op `op` (a class or a name)."""
        cls.attach(op, cls(value))

    @classmethod
    def lookup(cls, op) -> Any:
        """The value registered for `op` (an op, an op class or a name), or None."""
        table = cls._table
        if cls._table_generation == _GENERATION[0]:
            try:
                return table[type(op)]
            except KeyError:
                pass
        else:
            table.clear()
            cls._table_generation = _GENERATION[0]
        if isinstance(op, str):
            m = cls._models.get(op)
        elif isinstance(op, type):
            m = cls._find(None, op)
            if m is None:
                m = cls._models.get(getattr(op, "name", None))
        else:
            m = cls.model(op)
            if op.registered:  # one class, one answer (generic ops share a class)
                table[type(op)] = None if m is None else m.value
        return None if m is None else m.value


def rule_interface(name: str, doc: str = "") -> type:
    """A new `RuleInterface` named `name` (``interpret``, ``ad.jvp`` ...)."""
    return type(name.replace(".", "_"), (RuleInterface,), {"interface_name": name, "__doc__": doc})
