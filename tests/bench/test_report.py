"""`make bench`'s ratios, targets and table from synthetic results."""
import json

import pytest

from bot.bench.report import ONE, STOCK, TWO, missed, ratios_and_targets, table
from tests.bench.synthetic_results import results


def test_ratios_from_synthetic_results():
    ratios, targets = ratios_and_targets(results(), [1, 10, 50])
    assert ratios["p50_ours_1_replica_over_stock"] == {"1": 0.9, "10": 0.9, "50": 0.9}
    assert ratios["msgs_per_s_2_replicas_over_1"] == {"1": 2.0, "10": 1.833, "50": 1.833}
    # only Rasa processes count: not the actions' or nginx's memory
    assert ratios["rasa_peak_rss_mb"] == {"stock": 1100.0, "ours_max": 700.0, ONE: 700.0, TWO: 690}
    assert ratios["memory_ours_rasa_over_stock_rasa"] == round(700 / 1100, 3)
    assert ratios["lowest_clients"] == 1 and ratios["highest_clients"] == 50
    assert targets == {"p50_not_worse_than_stock": True, "two_replicas_1_7x": True,
                       "no_errors_no_lost_events_at_50": True, "memory_within_1_2x": True}
    assert missed(targets) == []


def test_two_replicas_over_one_round_by_round():
    synthetic = results()
    synthetic[ONE]["levels"]["50"]["windows_msgs_per_s"] = [30.0, 31.0, 29.0]
    synthetic[TWO]["levels"]["50"]["windows_msgs_per_s"] = [54.0, 55.8, 55.1]
    ratios, _ = ratios_and_targets(synthetic, [1, 10, 50])
    assert ratios["msgs_per_s_2_replicas_over_1_by_round"] == {"1": [], "10": [], "50": [1.8, 1.8, 1.9]}
    assert "by round: {'1': [], '10': [], '50': [1.8, 1.8, 1.9]}" in table(
        {"environment": {"cpu_count": 2}, "results": synthetic, "ratios": ratios, "targets": {}})


def test_the_scaling_ceiling_is_what_the_cores_allow_at_one_replicas_cost_per_message():
    synthetic = results(one_rate=30.0)
    synthetic[ONE]["levels"]["50"]["cpu"]["busy_ms_per_msg"] = 25.0  # 40 msgs/s per core
    ratios, _ = ratios_and_targets(synthetic, [1, 10, 50], cores=2)
    assert ratios["msgs_per_s_ceiling_over_1"]["50"] == round(80 / 30, 3)
    assert ratios["msgs_per_s_ceiling_over_1"]["1"] is None  # no CPU cost measured
    assert ratios_and_targets(synthetic, [1, 10, 50])[0]["msgs_per_s_ceiling_over_1"]["50"] is None


@pytest.mark.parametrize("changes, expected", [
    (dict(one_p50=20.5), ["p50_not_worse_than_stock"]),
    (dict(one_p50=20.0), []),  # equal is not worse
    (dict(two_rate=50.0), ["two_replicas_1_7x"]),  # 1.667 x
    (dict(two_rate=51.0), []),  # exactly 1.7 x
    (dict(two_errors=1), ["no_errors_no_lost_events_at_50"]),
    (dict(lost=3), ["no_errors_no_lost_events_at_50"]),
    (dict(missing=1), ["no_errors_no_lost_events_at_50"]),
    (dict(ours_mb=1400.0), ["memory_within_1_2x"]),
    (dict(ours_mb=1320.0), []),  # exactly 1.2 x
])
def test_each_target_is_missed_on_its_own(changes, expected):
    _, targets = ratios_and_targets(results(**changes), [1, 10, 50])
    assert missed(targets) == expected


def test_what_was_not_measured_is_none_and_counts_as_missed():
    partial = results()
    del partial[TWO]
    partial[STOCK] = {"error": "did not start", "levels": {}}
    ratios, targets = ratios_and_targets(partial, [1, 10, 50])
    assert ratios["p50_ours_1_replica_over_stock"] == {"1": None, "10": None, "50": None}
    assert ratios["memory_ours_rasa_over_stock_rasa"] is None
    assert set(targets.values()) == {None}
    assert missed(targets) == list(targets)


def test_no_messages_means_no_p50_ratio():
    empty = results()
    empty[ONE]["levels"]["1"]["latency_ms"]["p50"] = None
    _, targets = ratios_and_targets(empty, [1, 10, 50])
    assert targets["p50_not_worse_than_stock"] is None


def test_other_client_levels_use_the_lowest_and_highest():
    synthetic = results()
    for target in synthetic.values():
        target["levels"] = {"2": target["levels"]["1"], "20": target["levels"]["50"]}
    ratios, targets = ratios_and_targets(synthetic, [2, 20])
    assert set(ratios["msgs_per_s_2_replicas_over_1"]) == {"2", "20"}
    assert missed(targets) == []


def test_the_table_shows_every_level_and_the_targets():
    report = {"results": results(), "environment": {"cpu_count": 2}}
    report["results"][TWO]["error"] = "rasa-2 stopped"
    report["results"][TWO]["levels"] = dict(reversed(report["results"][TWO]["levels"].items()))
    report["ratios"], report["targets"] = ratios_and_targets(report["results"], [1, 10, 50])
    text = table(report)
    assert [line.split()[1] for line in text.splitlines() if line.startswith(TWO)][:3] == ["1", "10", "50"]
    assert len([line for line in text.splitlines() if line.startswith(("stock", "ours"))]) == 10
    assert "FAILED: rasa-2 stopped" in text and "met          memory_within_1_2x" in text
    assert text.splitlines()[1].split()[-3] == "20"  # other%: 4 s of 2 cores x 10 s
    json.dumps(report)  # JSON-ready
