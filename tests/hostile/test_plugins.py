"""A plugin's mistakes are the plugin's errors: named, one line, exit 1, no
traceback, and irc's own registrations stay in force."""

from __future__ import annotations

import textwrap

import pytest

from hostile import SQUARE, assert_cli_error, irc, write

OP_HEADER = """
from irc.opdef import AnyType, Dialect, Op, Operand, Result
from irc.interpreter import interpret
"""

def _op(dialect: str, cls: str, name: str, fmt: str = "$input attr-dict `:` type($output)", register=True) -> str:
    """Plugin source declaring op `name` in the dialect object `dialect`."""
    decorator = f"@{dialect}.op" if register else ""
    return f'''
{decorator}
class {cls}(Op):
    """A plugin op."""
    name = "{name}"
    operand_defs = (Operand("input", AnyType),)
    result_defs = (Result("output", AnyType),)
    format = "{fmt}"
'''


PLUGINS = {
    "op_clash": (OP_HEADER + 'd = Dialect("mine2", "x")\n' + _op("d", "Clash", "arith.addf", register=False)
                 + 'from irc.opdef import OPS\nOPS["arith.addf"] = Clash\n',
                 "op 'arith.addf' (already registered by irc.dialects.arith)"),
    "dialect_clash": (OP_HEADER + 'd = Dialect("arith", "a second arith")\n' + _op("d", "Mine", "arith.mine"),
                      "dialect 'arith' (already registered by irc.dialects.arith)"),
    "pass_clash": ("""
from irc.passes import Pass, register_pass

@register_pass
class FakeCSE(Pass):
    '''Claims the name cse.'''
    name = "cse"
    summary = "not the real cse"

    def run(self, op):
        pass
""", "pass 'cse' (already registered by irc.passes.cse)"),
    "bad_format": (OP_HEADER + 'd = Dialect("badfmt", "x")\n' + _op("d", "Bad", "badfmt.op", "$input `:` type($nothere)"),
                   "op 'badfmt.op' has a malformed assembly format"),
    "raises_on_load": ("raise RuntimeError('plugin exploded')\n", "RuntimeError: plugin exploded"),
    "base_exception_on_load": ("class Boom(BaseException):\n    pass\n\nraise Boom('out of the blue')\n",
                               "Boom: out of the blue"),
    "exits_on_load": ("import sys\nsys.exit(3)\n", "SystemExit: 3"),
}


@pytest.mark.parametrize("case", sorted(PLUGINS))
def test_plugin_mistake_is_named(tmp_path, case):
    text, message = PLUGINS[case]
    plugin = write(tmp_path, f"{case}.py", textwrap.dedent(text))
    src = write(tmp_path, "in.mlir", SQUARE)
    code, _, err = irc(["opt", src, "--load-plugin", plugin, "--cse"])
    assert code == 1
    assert_cli_error(err, f"plugin '{plugin}'")
    assert_cli_error(err, message)


def test_builtin_op_survives_a_clashing_plugin(tmp_path):
    text, _ = PLUGINS["dialect_clash"]
    plugin = write(tmp_path, "dialect_clash.py", textwrap.dedent(text))
    src = write(tmp_path, "in.mlir", SQUARE)
    irc(["opt", src, "--load-plugin", plugin])
    code, out, err = irc(["opt", src, "--cse"])
    assert code == 0, err
    assert "arith.mulf" in out


RUNTIME = OP_HEADER + """
from irc.passes import Pass, register_pass
from irc.traits import Pure

d = Dialect("{name}", "a plugin whose rules fail")

class Boom(BaseException):
    pass

@d.op
class BoomOp(Op):
    '''Its interpreter rule raises.'''
    name = "{name}.op"
    operand_defs = (Operand("input", AnyType),)
    result_defs = (Result("output", AnyType),)
    format = "$input attr-dict `:` type($output)"

@interpret.register(BoomOp)
def _run_boom(interp, op, args):
    raise {exception}("the rule failed")

@register_pass
class BoomPass(Pass):
    '''A pass that raises.'''
    name = "{name}-pass"
    summary = "raises"

    def run(self, op):
        raise {exception}("the pass failed")
"""

BOOM_PROGRAM = """func.func @f(%x: f64) -> f64 {
  %0 = boom.op %x : f64
  return %0 : f64
}
"""


@pytest.mark.parametrize("exception", ["ValueError", "Boom", "SystemExit"])
@pytest.mark.parametrize("command", ["run", "pass"])
def test_plugin_failing_at_run_time_is_named(tmp_path, exception, command):
    name = f"boom{exception.lower()}{command}"  # every plugin its own names: they stay registered in-process
    plugin = write(tmp_path, f"{name}.py", RUNTIME.format(exception=exception, name=name))
    src = write(tmp_path, "in.mlir", BOOM_PROGRAM.replace("boom.op", f"{name}.op"))
    if command == "run":
        argv = ["run", src, "--entry", "f", "--arg", "1.0", "--load-plugin", plugin]
        where = "in _run_boom"
    else:
        argv = ["opt", src, "--load-plugin", plugin, f"--{name}-pass"]
        where = "in run"
    code, _, err = irc(argv)
    assert code == 1, err
    assert_cli_error(err, f"plugin '{plugin}' failed: ")
    assert_cli_error(err, where)


def test_python_warnings_do_not_leak(tmp_path):
    plugin = write(tmp_path, "warns.py", textwrap.dedent("""
        import warnings
        from irc.passes import Pass, register_pass

        @register_pass
        class Warns(Pass):
            '''A pass that warns.'''
            name = "warns"
            summary = "issues a Python warning"

            def run(self, op):
                warnings.warn("a Python warning", RuntimeWarning)
    """))
    src = write(tmp_path, "in.mlir", SQUARE)
    code, out, err = irc(["opt", src, "--load-plugin", plugin, "--warns"])
    assert code == 0, err
    assert err == ""
