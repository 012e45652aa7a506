"""Plugins reach irc two ways: `--load-plugin FILE.py` (tests/plugins/toy.mlir)
and the `irc.plugins` entry-point group of installed packages (here)."""

import io
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import irc.tools.main as cli

TOY = Path(__file__).parent / "plugins" / "toy_plugin.py"


class _FakeEntryPoint:
    """Stands in for an installed package's `irc.plugins` entry point."""

    name = "toy"
    group = "irc.plugins"

    def load(self):
        def register():
            cli.load_plugin_file(str(TOY))

        return register


def test_entry_point_plugins_register_passes_and_ops(monkeypatch, tmp_path):
    import importlib.metadata as md

    monkeypatch.setattr(md, "entry_points", lambda group=None: [_FakeEntryPoint()] if group == "irc.plugins" else [])
    src = tmp_path / "in.mlir"
    src.write_text("func.func @f(%x: f64) -> f64 {\n  %0 = toy.identity %x : f64\n  return %0 : f64\n}\n")
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = cli.main(["opt", str(src), "--toy-erase-identity"])
    assert code == 0, err.getvalue()
    assert "toy.identity" not in out.getvalue()
    assert "return %x : f64" in out.getvalue()


def test_broken_plugin_is_a_clean_error(tmp_path):
    bad = tmp_path / "bad_plugin.py"
    bad.write_text("raise RuntimeError('plugin exploded')\n")
    err = io.StringIO()
    with redirect_stderr(err):
        code = cli.main(["opt", "--load-plugin", str(bad), "-"])
    assert code == 1
    assert "cannot load plugin" in err.getvalue() and "plugin exploded" in err.getvalue()
    assert "Traceback" not in err.getvalue()
