"""The core's bookkeeping stays consistent under random edits: use lists
(O(1) removal), op order with gaps, symbol-table indexes, printer names.

Each property test applies a random sequence of edits and then compares the
incremental structures with ones recomputed from scratch."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

import irc
from irc.core import Block, Operation
from irc.parser import parse_module
from irc.printer import print_op
from irc.symbols import lookup_in, set_symbol_name, symbol_name, symbol_table_index, symbols_in, unique_symbol_name
from irc.types import f64


def _uses_from_scratch(values, ops):
    """value -> the sorted (id(owner), index) pairs computed from the ops' operand lists."""
    expected = {v: [] for v in values}
    for op in ops:
        for i, v in enumerate(op.operands):
            expected.setdefault(v, []).append((id(op), i))
    return {v: sorted(us) for v, us in expected.items()}


def _check_uses(values, ops):
    expected = _uses_from_scratch(values, ops)
    for v, want in expected.items():
        got = sorted((id(u.owner), u.index) for u in v.uses)
        assert got == want
        assert v.has_uses == bool(want)


edit = st.tuples(st.sampled_from(["set_operand", "set_operands", "rauw", "erase", "replace_where", "add"]),
                 st.integers(0, 1000), st.integers(0, 1000), st.integers(0, 3))


@settings(max_examples=60, deadline=None)
@given(st.lists(edit, max_size=60))
def test_use_lists_match_operands_under_random_edits(edits):
    block = Block([f64, f64, f64])
    values = list(block.arguments)
    ops = []
    for k in range(6):
        op = Operation([values[k % 3], values[(k + 1) % 3]], [f64], name="test.op")
        block.append(op)
        ops.append(op)
        values.append(op.results[0])
    for kind, a, b, c in edits:
        live = [op for op in ops if op.parent is not None]
        if kind == "add" or not live:
            op = Operation([values[a % len(values)]] * (c + 1), [f64], name="test.op")
            block.append(op)
            ops.append(op)
            values.append(op.results[0])
            continue
        op = live[a % len(live)]
        usable = [v for v in values if v.defining_op is None or v.defining_op.parent is not None]
        new = usable[b % len(usable)]
        if kind == "set_operand" and op.operands:
            op.set_operand(b % len(op.operands), new)
        elif kind == "set_operands":
            op.set_operands([new] * c)
        elif kind == "rauw":
            old = usable[a % len(usable)]
            old.replace_all_uses_with(new)
        elif kind == "replace_where":
            old = usable[a % len(usable)]
            old.replace_uses_where(new, lambda u: u.index % 2 == 0)
        elif kind == "erase":
            for r in op.results:
                for u in list(r.uses):
                    u.owner.set_operand(u.index, values[0])
            op.erase()
        _check_uses(values, [op for op in ops if op.parent is not None])


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["before", "after", "prepend", "append", "erase", "move"]),
                          st.integers(0, 1000), st.integers(0, 1000)), max_size=80))
def test_block_order_matches_list_position_under_random_inserts(edits):
    block = Block()
    for _ in range(3):
        block.append(Operation(name="test.op"))
    for kind, a, b in edits:
        ops = list(block.ops)
        if kind == "erase" and len(ops) > 1:
            ops[a % len(ops)].erase()
        elif kind == "move" and len(ops) > 1:
            op, anchor = ops[a % len(ops)], ops[b % len(ops)]
            if op is not anchor:
                op.move_before(anchor)
        elif kind == "before" and ops:
            block.insert_before(ops[a % len(ops)], Operation(name="test.op"))
        elif kind == "after" and ops:
            block.insert_after(ops[a % len(ops)], Operation(name="test.op"))
        elif kind == "prepend":
            block.prepend(Operation(name="test.op"))
        else:
            block.append(Operation(name="test.op"))
        ops = list(block.ops)
        # query in a scattered order, so that lazily numbered ops meet numbered neighbours
        for i in sorted(range(len(ops)), key=lambda i: (i * 7919 + a) % (len(ops) or 1)):
            for j in (0, len(ops) - 1, (i + b) % len(ops)):
                assert ops[i].is_before_in_block(ops[j]) == (i < j)


def test_inserting_between_two_ops_many_times_keeps_the_order():
    block = Block()
    first, last = Operation(name="test.a"), Operation(name="test.b")
    block.append(first)
    block.append(last)
    assert first.is_before_in_block(last)
    inserted = []
    for _ in range(200):
        op = block.insert_before(last, Operation(name="test.op"))
        inserted.append(op)
        assert inserted[-2 if len(inserted) > 1 else 0].is_before_in_block(op) or len(inserted) == 1
        assert op.is_before_in_block(last) and first.is_before_in_block(op)
    assert all(x.is_before_in_block(y) for x, y in zip(inserted, inserted[1:]))


def _module_with_functions(names):
    return parse_module("\n".join(f"func.func private @{n}()" for n in names))


def _index_from_scratch(module):
    first = {}
    for op in symbols_in(module):
        first.setdefault(symbol_name(op), op)
    return first


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["insert", "erase", "rename", "lookup", "unique"]),
                          st.sampled_from(["f", "g", "h", "f_1", "g_2"]), st.integers(0, 1000)), max_size=50))
def test_symbol_table_index_stays_current_under_insert_erase_rename(edits):
    module = _module_with_functions(["f", "g"])
    body = module.regions[0].blocks[0]
    symbol_table_index(module)  # built before the edits: they must keep it current
    for kind, name, k in edits:
        funcs = list(body.ops)
        if kind == "insert":
            new = parse_module(f"func.func private @{name}()").regions[0].blocks[0].first_op
            new.detach()
            if funcs:
                body.insert_after(funcs[k % len(funcs)], new)
            else:
                body.append(new)
        elif kind == "erase" and funcs:
            funcs[k % len(funcs)].erase()
        elif kind == "rename" and funcs:
            set_symbol_name(funcs[k % len(funcs)], name)
        elif kind == "unique":
            fresh = unique_symbol_name(module, name)
            assert lookup_in(module, fresh) is None
        expected = _index_from_scratch(module)
        for n in ("f", "g", "h", "f_1", "g_2"):
            assert lookup_in(module, n) is expected.get(n)
        later = sorted((symbol_name(op), id(op)) for op, _first in symbol_table_index(module).redefinitions())
        firsts = set(map(id, expected.values()))
        assert later == sorted((symbol_name(op), id(op)) for op in symbols_in(module) if id(op) not in firsts)


def test_generated_names_are_unique_without_scanning_the_module():
    module = _module_with_functions(["f_vjp"])
    body = module.regions[0].blocks[0]
    names = []
    for _ in range(5):
        name = unique_symbol_name(module, "f_vjp")
        names.append(name)
        new = parse_module(f"func.func private @{name}()").regions[0].blocks[0].first_op
        new.detach()
        body.append(new)
    assert names == ["f_vjp_1", "f_vjp_2", "f_vjp_3", "f_vjp_4", "f_vjp_5"]
    irc.verify(module)


def test_printer_names_repeated_hints_hint_0_hint_1_in_order():
    text = "func.func @f(%x: f64) -> f64 {\n" + "".join(
        f"  %v{i} = arith.addf %x, %x : f64\n" for i in range(5)) + "  return %v4 : f64\n}\n"
    module = parse_module(text)
    func = module.regions[0].blocks[0].first_op
    for op in func.regions[0].blocks[0].ops:
        for r in op.results:
            r.name_hint = "s"
    ops = list(func.regions[0].blocks[0].ops)
    ops[2].results[0].name_hint = "s_1"  # a hint that collides with a generated name
    printed = print_op(module)
    assert [line.split(" = ")[0].strip() for line in printed.splitlines() if " = " in line] == [
        "%s", "%s_0", "%s_1", "%s_2", "%s_3"]
    assert print_op(parse_module(printed)) == printed
