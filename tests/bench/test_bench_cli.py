"""`make bench`'s command line: arguments, and main() printing and writing the results. No server is
started here."""
import json
import signal

import pytest

from bot.bench.report import ONE, STOCK, TWO
from bot.cli import bench
from tests.bench.synthetic_results import results


def test_arguments_and_bench_duration():
    args = bench.parse_args([], env={})
    assert args.duration == 30 and args.clients == [1, 10, 50] and list(args.targets) == list(bench.TARGETS)
    assert not args.check and args.out is None
    assert bench.parse_args([], env={"BENCH_DURATION": "10"}).duration == 10
    args = bench.parse_args(["--duration", "5", "--clients", "2,4", "--targets", "ours_2_replicas,stock",
                             "--check"], env={"BENCH_DURATION": "10"})
    assert args.duration == 5 and args.clients == [2, 4] and args.targets == [STOCK, TWO] and args.check
    for bad in (["--clients", "0"], ["--targets", "nope"], ["--duration", "0"]):
        with pytest.raises(SystemExit):
            bench.parse_args(bad, env={})


def test_the_compared_levels_run_back_to_back():
    assert bench.level_order(ONE, [10, 1, 50]) == [1, 10, 50]
    assert bench.level_order(TWO, [10, 1, 50]) == [50, 10, 1]


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
