"""Contexts: each has its own plugins, parser and passes; the default one serves `import irc`."""

from __future__ import annotations

from pathlib import Path

import pytest

import irc
from irc import Context, DiagnosticError
from irc.passes import run_pipeline

TOY_PLUGIN = str(Path(__file__).parent / "plugins" / "toy_plugin.py")
TOY_SOURCE = """func.func @f(%x: f64) -> f64 {
  %y = toy.identity %x : f64
  return %y : f64
}
"""


@pytest.fixture(scope="module")
def toy_and_plain():
    """Two contexts: the toy plugin loaded into the first only."""
    toy, plain = Context(), Context()
    toy.load_plugin(TOY_PLUGIN)
    return toy, plain


def test_a_plugin_op_is_known_only_in_the_context_it_was_loaded_into(toy_and_plain):
    toy, plain = toy_and_plain
    module = toy.parse_module(TOY_SOURCE, "toy.mlir")
    assert "%y = toy.identity %x : f64" in toy.print_op(module)
    with pytest.raises(DiagnosticError) as err:
        plain.parse_module(TOY_SOURCE, "toy.mlir")
    (diagnostic,) = err.value.diagnostics
    assert diagnostic.message == "custom op 'toy.identity' is unknown"
    assert (diagnostic.location.file, diagnostic.location.line) == ("toy.mlir", 2)
    assert "toy.identity" in toy.ops and "toy.identity" not in plain.ops
    assert "toy" in toy.dialects and "toy" not in plain.dialects


def test_loading_a_plugin_into_a_context_leaves_the_default_context_alone():
    default = irc.default_context()
    before = dict(default.ops), dict(default.dialects), dict(default.passes)
    Context().load_plugin(TOY_PLUGIN)
    assert (default.ops, default.dialects, default.passes) == before


def test_loading_a_plugin_rebuilds_only_its_own_contexts_grammar(toy_and_plain):
    _, plain = toy_and_plain
    plain.parse_module("func.func @g() {\n  return\n}\n")
    built = plain.parser_state
    other = Context()
    before = plain.generation, irc.default_context().generation
    other.load_plugin(TOY_PLUGIN)
    assert other.generation > 0
    assert (plain.generation, irc.default_context().generation) == before
    plain.parse_module("func.func @h() {\n  return\n}\n")
    assert plain.parser_state is built  # not rebuilt


def test_a_plugin_pass_runs_only_in_its_context(toy_and_plain):
    toy, plain = toy_and_plain
    module = toy.parse_module(TOY_SOURCE, "toy.mlir")
    run_pipeline(module, "toy-erase-identity", context=toy)
    assert "toy.identity" not in toy.print_op(module)
    assert "toy-erase-identity" in toy.passes and "toy-erase-identity" not in plain.passes
    with pytest.raises(DiagnosticError, match="does not refer to a registered pass"):
        run_pipeline(plain.parse_module("func.func @g() {\n  return\n}\n"), "toy-erase-identity", context=plain)


def test_irc_own_dialects_and_passes_are_in_every_context():
    fresh = Context()
    module = fresh.parse_module("func.func @f(%x: f64) -> f64 {\n  %y = math.sin %x : f64\n  return %y : f64\n}\n")
    run_pipeline(module, "canonicalize,cse", context=fresh)
    assert "math.sin" in fresh.print_op(module)
    own = {name for name, cls in irc.default_context().ops.items() if cls.__module__.startswith("irc.")}
    assert own and own <= set(fresh.ops)


def test_activate_makes_a_context_current():
    ctx = Context()
    assert irc.current_context() is irc.default_context()
    with ctx.activate():
        assert irc.current_context() is ctx
    assert irc.current_context() is irc.default_context()


DIRECTIVE_PLUGIN = str(Path(__file__).parent / "plugins" / "directive_plugin.py")


def test_a_plugins_custom_directive_belongs_to_the_context_it_was_loaded_into():
    with_plugin, plain = Context(), Context()
    with_plugin.load_plugin(DIRECTIVE_PLUGIN)
    assert "WithOperand" in with_plugin.directives
    assert "WithOperand" not in plain.directives and "WithOperand" not in irc.default_context().directives
    assert "DynamicIndexList" in plain.directives  # irc's own directives are in every context
    module = with_plugin.parse_module("func.func @f(%x: f64) {\n  dirtest.use with %x : f64\n  return\n}\n")
    assert "dirtest.use with %x : f64" in with_plugin.print_op(module)
