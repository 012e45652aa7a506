"""Smoke test of `irc bench parse` with a tiny function; timings are never asserted."""

from __future__ import annotations

import json
import re

from irc.tools.bench import format_table, generate_function
from irc.tools.main import main


def test_generated_function_has_the_requested_number_of_ops():
    text = generate_function(200)
    assert len(re.findall(r"^  %\d+ = ", text, re.M)) == 200
    assert {"arith.constant", "arith.cmpf", "arith.select", "math.tanh", "arith.divf"} <= set(
        re.findall(r"= ([a-z]+\.[a-z]+)", text)
    )


def test_generated_function_parses_and_verifies_in_irc():
    from irc.parser import parse_module

    module = parse_module(generate_function(300), "bench.mlir")
    func = next(op for op in module.walk() if op.op_name == "func.func")
    assert len(list(func.regions[0].blocks[0].ops)) == 301  # the ops and the return


def test_bench_parse_runs_and_reports_json(capsys):
    rc = main(["bench", "parse", "--ops", "40", "--repeat", "1", "--json"])
    captured = capsys.readouterr()
    assert rc == 0, captured.err
    result = json.loads(captured.out)
    assert result["ops"] == 40
    assert result["irc_in_process"]["median_s"] > 0
    assert result["irc_command"]["error"] is None and result["irc_command"]["median_s"] > 0
    xdsl = result["xdsl_opt"]
    assert xdsl["median_s"] is not None or "not installed" in xdsl["error"]
    assert "[bench]" in captured.err  # progress goes to stderr, not into the JSON
    table = format_table(result)
    assert "irc parse+verify+print (in-process)" in table and "xdsl-opt FILE" in table


def test_bench_rejects_a_bad_op_count(capsys):
    assert main(["bench", "parse", "--ops", "0"]) == 1
    assert "irc: error:" in capsys.readouterr().err
