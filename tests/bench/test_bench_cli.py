"""`make bench`'s command line: arguments, and main() printing and writing the results. No server is
started here."""
import json
import signal
from collections import Counter

import pytest

from bot.bench.load import LoadResult
from bot.bench.report import ONE, STOCK, TWO
from bot.cli import bench
from tests.bench.synthetic_results import results


def test_arguments_and_bench_duration():
    args = bench.parse_args([], env={})
    assert args.duration == 50 and args.rounds == 5 and args.clients == [1, 10, 50] and list(args.targets) == list(bench.TARGETS)
    assert not args.check and args.out is None
    assert bench.parse_args([], env={"BENCH_DURATION": "10"}).duration == 10
    args = bench.parse_args(["--duration", "5", "--clients", "2,4", "--targets", "ours_2_replicas,stock",
                             "--check"], env={"BENCH_DURATION": "10"})
    assert args.duration == 5 and args.clients == [2, 4] and args.targets == [STOCK, TWO] and args.check
    for bad in (["--clients", "0"], ["--targets", "nope"], ["--duration", "0"]):
        with pytest.raises(SystemExit):
            bench.parse_args(bad, env={})


def test_the_targets_take_turns_every_other_round_reversed():
    assert bench.window_order([ONE, TWO], 3) == [ONE, TWO, TWO, ONE, ONE, TWO]
    assert bench.window_order([ONE, TWO], 1) == [ONE, TWO]
    assert bench.window_order([STOCK], 2) == [STOCK, STOCK]
    assert bench.parse_args([], env={"BENCH_ROUNDS": "4"}).rounds == 4
    with pytest.raises(SystemExit):
        bench.parse_args(["--rounds", "0"], env={})


def test_windows_of_a_level_are_taken_together():
    def window(latencies, rss, busy, sender):
        load = LoadResult(clients=2, duration_s=10.0, latencies_s=latencies, conversations=1,
                          error_kinds=Counter(timeout=1), sent={sender: ["hi"]})
        cpu = {"wall_s": 10.0, "machine_busy_s": busy, "machine_idle_s": 20.0 - busy,
               "processes_s": {"rasa-1": busy / 2}}
        return load, {"memory_mb": {"rasa-1": rss, "nginx": 10.0}, "cpu": cpu}

    result, level = bench.combine([window([0.01] * 300, 700.0, 15.0, "a"),
                                   window([0.03] * 100, 710.0, 5.0, "b")])
    assert result.senders == ["a", "b"]
    assert level["messages"] == 400 and level["msgs_per_s"] == 20.0
    assert level["windows_msgs_per_s"] == [30.0, 10.0]
    assert level["errors"] == 2 and level["conversations"] == 2
    assert level["latency_ms"]["p50"] == 10.0 and level["latency_ms"]["p95"] == 30.0
    assert level["memory_mb"] == {"rasa-1": 710.0, "nginx": 10.0}
    assert level["cpu"]["machine_util"] == 0.5 and level["cpu"]["busy_ms_per_msg"] == 50.0


@pytest.mark.parametrize("check, synthetic, code", [
    ([], results(two_rate=40.0), 0),  # a missed target fails only with --check
    (["--check"], results(two_rate=40.0), 1),
    (["--check"], results(), 0),
])
def test_main_prints_json_last_writes_it_and_exits(tmp_path, monkeypatch, capsys, check, synthetic,
                                                   code):
    def fake_run(args):
        report = {"environment": {"cpu_count": 2}, "results": synthetic}
        report["ratios"], report["targets"] = bench.ratios_and_targets(synthetic, args.clients)
        return report

    monkeypatch.setattr(bench, "run", fake_run)
    monkeypatch.setattr(bench, "RESULTS", tmp_path / "results.json")
    assert bench.main(["--out", str(tmp_path / "out.json"), *check]) == code
    printed = json.loads(capsys.readouterr().out.splitlines()[-1])
    assert printed == json.loads((tmp_path / "results.json").read_text())
    assert printed == json.loads((tmp_path / "out.json").read_text())
    assert printed["targets"]["two_replicas_1_7x"] is (synthetic[TWO]["levels"]["50"]["msgs_per_s"] > 50)
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler  # handlers restored
