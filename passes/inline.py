"""`inline`: replace call ops by a copy of the callee's body.

Calls and functions are whatever implements the `CallLike` and
`FunctionLike` interfaces (``func.call``/``func.func``, a plugin's own), so
a new function dialect is inlined without editing this pass.  A call is
inlined when its callee has a single-block body ending in a ReturnLike
terminator and is not part of a cycle of the call graph (direct or mutual recursion
is left alone: strongly connected components by Tarjan's algorithm).
Callees are processed before their callers, so a chain a→b→c collapses in
one run.  Inlined ops keep their location wrapped in a CallSiteLoc naming
the call.  Private callees left without references are erased afterwards
(option `remove-dead-callees`).
"""

from __future__ import annotations

from typing import Dict, List, Optional, Set

from irc.core import Operation
from irc.dominance import post_order
from irc.functions import CallLike, FunctionLike, enclosing_function, resolve_callee
from irc.location import CallSiteLoc, UnknownLoc
from irc.symbols import nearest_symbol_table, symbol_uses
from irc.traits import ReturnLike, SymbolTable

from .pass_manager import Pass, PassOption, register_pass
from .symbol_dce import is_private


def _calls_in(op: Operation) -> List[Operation]:
    return [o for o in op.walk() if CallLike.implemented_by(o)]


def _functions_in(op: Operation) -> List[Operation]:
    return [o for o in op.walk() if FunctionLike.implemented_by(o)]


def recursive_functions(functions: List[Operation]) -> Set[Operation]:
    """Functions on a cycle of the call graph (Tarjan's strongly connected components)."""
    edges: Dict[Operation, List[Operation]] = {}
    for f in functions:
        targets = []
        for call in _calls_in(f):
            callee = resolve_callee(call)
            if callee is not None:
                targets.append(callee)
        edges[f] = targets
    index: Dict[Operation, int] = {}
    low: Dict[Operation, int] = {}
    on_stack: Set[Operation] = set()
    stack: List[Operation] = []
    recursive: Set[Operation] = set()
    counter = [0]

    def strongconnect(root: Operation) -> None:
        # iterative Tarjan, so deep call chains cannot overflow Python's stack
        work = [(root, iter(edges.get(root, ())))]
        index[root] = low[root] = counter[0]
        counter[0] += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            v, it = work[-1]
            w = next(it, None)
            if w is not None:
                if w is v:
                    recursive.add(v)
                if w not in index:
                    index[w] = low[w] = counter[0]
                    counter[0] += 1
                    stack.append(w)
                    on_stack.add(w)
                    work.append((w, iter(edges.get(w, ()))))
                elif w in on_stack:
                    low[v] = min(low[v], index[w])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[v])
            if low[v] == index[v]:
                component = []
                while True:
                    w = stack.pop()
                    on_stack.discard(w)
                    component.append(w)
                    if w is v:
                        break
                if len(component) > 1:
                    recursive.update(component)

    for f in functions:
        if f not in index:
            strongconnect(f)
    return recursive


def why_not_inlinable(call: Operation, callee: Optional[Operation], recursive: Set[Operation]) -> Optional[str]:
    """None if `call` can be inlined, else the reason it is left alone."""
    if callee is None:
        return "callee is not a function"
    function = FunctionLike.of(callee)
    if function.is_declaration():
        return "callee has no body"
    if len(function.body().blocks) != 1:
        return "callee has several blocks (only single-block bodies are inlined)"
    if callee in recursive:
        return "callee is recursive"
    if callee.is_ancestor_of(call):
        return "call is inside its own callee"
    term = function.return_op()
    if term is None or ReturnLike not in term.traits:
        return "callee body does not end in a return"
    return None


def inline_call(call: Operation, callee: Operation) -> None:
    """Clone `callee`'s body before `call`, map its arguments to the call's
    operands, and replace the call's results by the returned values."""
    body = FunctionLike.of(callee).entry_block()
    mapping = {arg: v for arg, v in zip(body.arguments, CallLike.of(call).call_operands())}
    block = call.parent
    call_loc = call.location
    term = body.last_op
    new_ops = []
    for op in body.ops:
        if op is term:
            break
        new = op.clone(mapping)
        new_ops.append(new)
        if not isinstance(call_loc, UnknownLoc):
            for nested in new.walk():
                nested.location = CallSiteLoc(nested.location, call_loc)
        block.insert_before(call, new)
    returned = [mapping.get(v, v) for v in term.operands]
    cloned = {r for op in new_ops for r in op.results}
    for r, v in zip(call.results, returned):
        # a value made by this inlining is known to the caller's reader by the call's name
        if r.name_hint is not None and (v.name_hint is None or v in cloned):
            v.name_hint = r.name_hint
        r.replace_all_uses_with(v)
    call.erase()


def inline_calls(
    module: Operation, remove_dead_callees: bool = True, max_rounds: int = 64, skipped: Optional[list] = None
) -> int:
    """Inline every inlinable call under `module`; the number inlined.

    `skipped`, when given, receives (call, reason) for each call left alone.
    """
    # the call graph spans the whole symbol table even when `module` is one function
    table = module if module.has_trait(SymbolTable) else nearest_symbol_table(module) or module
    recursive = recursive_functions(_functions_in(table))
    functions = _functions_in(module)
    inlined_callees: Set[Operation] = set()
    count = 0
    # callees first: process functions in post-order of the (acyclic part of the) call graph
    order: List[Operation] = []
    seen: Set[Operation] = set()

    def callees(f: Operation):
        return [c for c in (resolve_callee(call) for call in _calls_in(f)) if c is not None]

    for f in functions:
        if f not in seen:
            order.extend(post_order(f, callees, seen))
    # only rewrite inside `module` (a nested pipeline hands us one function at a time)
    containers = [g for g in order if module.is_ancestor_of(g)]
    noted = {c for c, _ in skipped} if skipped is not None else set()  # a set: many skipped calls stay linear
    module_is_function = FunctionLike.implemented_by(module)
    if not module_is_function:
        containers.append(module)  # calls outside any function too
    for container in containers:
        for _ in range(max_rounds):
            progress = False
            for call in _calls_in(container):
                if container is module and not module_is_function and enclosing_function(call) is not None:
                    continue
                if call.parent is None:
                    continue
                callee = resolve_callee(call)
                reason = why_not_inlinable(call, callee, recursive)
                if reason is None:
                    inline_call(call, callee)
                    inlined_callees.add(callee)
                    count += 1
                    progress = True
                elif skipped is not None and call not in noted:
                    noted.add(call)
                    skipped.append((call, reason))
            if not progress:
                break
    # erasing symbols is only ours to do when we run on their symbol table, not on a sibling function
    if remove_dead_callees and inlined_callees and module.has_trait(SymbolTable):
        referenced = {ref.root for _op, _k, ref in symbol_uses(table)}
        for f in inlined_callees:
            if is_private(f) and FunctionLike.of(f).sym_name() not in referenced and f.parent is not None:
                f.erase()
    return count


@register_pass
class Inline(Pass):
    """Inline calls of single-block, non-recursive functions."""

    name = "inline"
    summary = "Inline calls of functions with a single-block body"
    anchor = None
    options = (
        PassOption("remove-dead-callees", bool, True, "erase private callees left without references"),
    )

    def run(self, op: Operation) -> None:
        self.skipped = []  # (call, reason): why a call was left alone
        self.num_inlined = inline_calls(op, self.opts["remove-dead-callees"], skipped=self.skipped)
