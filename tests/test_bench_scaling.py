"""Smoke test of `irc bench scaling` at a tiny n: the shape of its output, never its timings."""

from __future__ import annotations

import json

import pytest

from irc.parser import parse_module
from irc.tools.bench_scaling import CASES, format_table, growth_per_doubling
from irc.tools.main import main


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name.split(":")[0] + ":" + c.generate.__name__)
def test_each_generated_case_parses_and_verifies(case):
    parse_module(case.generate(7), "case.mlir")


def test_growth_per_doubling_is_the_geometric_mean_of_the_ratios():
    assert growth_per_doubling([1.0, 2.0, 4.0]) == pytest.approx(2.0)
    assert growth_per_doubling([1.0, 4.0, 16.0]) == pytest.approx(4.0)
    assert growth_per_doubling([1.0, None, 4.0]) is None


def test_bench_scaling_reports_every_case_at_three_sizes(capsys):
    assert main(["bench", "scaling", "--n", "10", "--json"]) == 0
    captured = capsys.readouterr()
    result = json.loads(captured.out)
    assert result["n"] == 10
    assert [row["case"] for row in result["cases"]] == [c.name for c in CASES]
    for row, case in zip(result["cases"], CASES):
        assert row["sizes"] == [max(1, int(10 * case.scale * k)) for k in (1, 2, 4)]
        assert len(row["irc_s"]) == 3 and all(t > 0 for t in row["irc_s"])
        assert row["irc_growth"] > 0
        if result["mlir_opt"] is None or case.mlir_opt_flags is None:
            assert row["mlir_opt_s"] == []
        else:
            assert row["mlir_opt_error"] is not None or len(row["mlir_opt_s"]) == 3
    table = format_table(result)
    assert "growth" in table and all(c.name in table for c in CASES)
    if result["mlir_opt"] is None:
        assert "mlir-opt: not installed" in table


def test_bench_scaling_runs_only_the_selected_cases(capsys):
    assert main(["bench", "scaling", "--n", "4", "--case", "cse", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert [row["case"] for row in result["cases"]] == [c.name for c in CASES if "cse" in c.name]


def test_bench_scaling_rejects_a_bad_n(capsys):
    assert main(["bench", "scaling", "--n", "0"]) == 1
    assert "irc: error:" in capsys.readouterr().err
