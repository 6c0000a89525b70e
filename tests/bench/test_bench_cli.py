"""`make bench`'s pure parts: ratios and targets from synthetic results, CPU time from /proc, the event
stores' comparison (on SQLite), arguments, scratch cluster settings. No server is started here."""
import json
import os
import signal
import socket
import subprocess
import sys
import time

import pytest
from sqlalchemy import create_engine, insert

from bot.bench.cluster import event_counts, free_ports, scratch_settings, user_texts_of
from bot.cli import bench
from bot.cli.bench import ONE, STOCK, TWO
from bot.review.schema import events


def level(p50, rate, errors=0, memory=None, lost=None, missing=0):
    summary = {"msgs_per_s": rate, "errors": errors, "empty_replies": 0, "error_kinds": {},
               "latency_ms": {"p50": p50, "p95": p50 and p50 * 2, "p99": p50 and p50 * 3},
               "memory_mb": memory or {},
               "cpu": {"machine_util": 0.5, "wall_s": 10.0, "other_s": 4.0}}
    if lost is not None:
        summary["store_check"] = {"lost_events": lost, "missing_messages": missing}
    return summary


def results(stock_p50=20.0, one_p50=18.0, one_rate=30.0, two_rate=55.0, two_errors=0, lost=0,
            missing=0, stock_mb=1100.0, ours_mb=700.0):
    return {
        STOCK: {"levels": {c: level(stock_p50 * n, 40.0, memory={"rasa": stock_mb})
                           for c, n in (("1", 1), ("10", 10), ("50", 50))}},
        ONE: {"levels": {c: level(one_p50 * n, one_rate, memory={"rasa-1": ours_mb, "actions-1": 120},
                                  lost=0) for c, n in (("1", 1), ("10", 10), ("50", 50))}},
        TWO: {"levels": {
            "1": level(15.0, 60.0, memory={"rasa-1": 650, "rasa-2": ours_mb - 10}, lost=0),
            "10": level(150.0, two_rate, memory={"rasa-1": 650, "rasa-2": ours_mb - 10}, lost=0),
            "50": level(700.0, two_rate, errors=two_errors, lost=lost, missing=missing,
                        memory={"rasa-1": 650, "rasa-2": ours_mb - 10, "nginx": 5000}),
        }},
    }


def test_ratios_from_synthetic_results():
    ratios, targets = bench.ratios_and_targets(results(), [1, 10, 50])
    assert ratios["p50_ours_1_replica_over_stock"] == {"1": 0.9, "10": 0.9, "50": 0.9}
    assert ratios["msgs_per_s_2_replicas_over_1"] == {"1": 2.0, "10": 1.833, "50": 1.833}
    # only Rasa processes count: not the actions' or nginx's memory
    assert ratios["rasa_peak_rss_mb"] == {"stock": 1100.0, "ours_max": 700.0, ONE: 700.0, TWO: 690}
    assert ratios["memory_ours_rasa_over_stock_rasa"] == round(700 / 1100, 3)
    assert ratios["lowest_clients"] == 1 and ratios["highest_clients"] == 50
    assert targets == {"p50_not_worse_than_stock": True, "two_replicas_1_7x": True,
                       "no_errors_no_lost_events_at_50": True, "memory_within_1_2x": True}
    assert bench.missed(targets) == []


@pytest.mark.parametrize("changes, missed", [
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
def test_each_target_is_missed_on_its_own(changes, missed):
    _, targets = bench.ratios_and_targets(results(**changes), [1, 10, 50])
    assert bench.missed(targets) == missed


def test_what_was_not_measured_is_none_and_counts_as_missed():
    partial = results()
    del partial[TWO]
    partial[STOCK] = {"error": "did not start", "levels": {}}
    ratios, targets = bench.ratios_and_targets(partial, [1, 10, 50])
    assert ratios["p50_ours_1_replica_over_stock"] == {"1": None, "10": None, "50": None}
    assert ratios["memory_ours_rasa_over_stock_rasa"] is None
    assert set(targets.values()) == {None}
    assert bench.missed(targets) == list(targets)


def test_no_messages_means_no_p50_ratio():
    empty = results()
    empty[ONE]["levels"]["1"]["latency_ms"]["p50"] = None
    _, targets = bench.ratios_and_targets(empty, [1, 10, 50])
    assert targets["p50_not_worse_than_stock"] is None


def test_other_client_levels_use_the_lowest_and_highest():
    synthetic = results()
    for target in synthetic.values():
        target["levels"] = {"2": target["levels"]["1"], "20": target["levels"]["50"]}
    ratios, targets = bench.ratios_and_targets(synthetic, [2, 20])
    assert set(ratios["msgs_per_s_2_replicas_over_1"]) == {"2", "20"}
    assert bench.missed(targets) == []


def test_the_table_shows_every_level_and_the_targets():
    report = {"results": results(), "environment": {"cpu_count": 2}}
    report["results"][TWO]["error"] = "rasa-2 stopped"
    report["ratios"], report["targets"] = bench.ratios_and_targets(report["results"], [1, 10, 50])
    text = bench.table(report)
    assert len([line for line in text.splitlines() if line.startswith(("stock", "ours"))]) == 10
    assert "FAILED: rasa-2 stopped" in text and "met          memory_within_1_2x" in text
    assert text.splitlines()[1].split()[-3] == "20"  # other%: 4 s of 2 cores x 10 s
    json.dumps(report)  # JSON-ready


# --------------------------------------------------------------------------------------------------
# CPU time
# --------------------------------------------------------------------------------------------------
def burn(seconds: float) -> None:
    end = time.process_time() + seconds
    while time.process_time() < end:
        pass


def test_this_process_cpu_time_grows_with_work():
    before = bench.process_cpu_s(os.getpid(), children=False)
    burn(0.5)
    after = bench.process_cpu_s(os.getpid(), children=False)
    assert 0.4 <= after - before <= 1.0


def test_the_machine_counts_this_process_busy_time():
    start, wall = bench.machine_cpu_s(), time.monotonic()
    burn(0.5)
    end, wall = bench.machine_cpu_s(), time.monotonic() - wall
    busy = end["busy"] - start["busy"]
    total = busy + end["idle"] - start["idle"]
    assert busy >= 0.4
    assert total == pytest.approx(wall * os.cpu_count(), rel=0.3)


def test_a_tree_includes_live_and_exited_children():
    code = "import time\nend = time.process_time() + 0.5\nwhile time.process_time() < end: pass\n" \
           "print('done', flush=True)\ntime.sleep(30)"
    child = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE)
    try:
        assert child.stdout.readline() == b"done\n"
        assert bench.process_cpu_s(child.pid) >= 0.4
        assert bench.tree_cpu_s(os.getpid()) - bench.process_cpu_s(os.getpid()) >= 0.4  # live
    finally:
        child.kill()
        child.wait()
    # waited for: now in this process's cutime + cstime, not in its own time
    assert bench.process_cpu_s(os.getpid()) - bench.process_cpu_s(os.getpid(), children=False) >= 0.4


def test_a_process_that_is_gone_has_no_cpu_time():
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    assert bench.process_cpu_s(gone.pid) == 0.0


def test_cpu_between_two_snapshots():
    start = {"at": 10.0, "machine": {"busy": 100.0, "idle": 50.0},
             "processes": {"rasa-1": 5.0, "bench": 1.0}}
    end = {"at": 20.0, "machine": {"busy": 115.0, "idle": 55.0},
           "processes": {"rasa-1": 13.0, "bench": 2.0, "redis": 0.5}}
    cpu = bench.cpu_between(start, end, messages=300)
    assert cpu == {"wall_s": 10.0, "machine_busy_s": 15.0, "machine_util": 0.75,
                   "processes_s": {"rasa-1": 8.0, "bench": 1.0, "redis": 0.5}, "other_s": 5.5,
                   "busy_ms_per_msg": 50.0}
    assert bench.cpu_between(start, end)["busy_ms_per_msg"] is None


def test_a_snapshot_names_every_tree_and_this_process():
    snapshot = bench.cpu_snapshot({"me": os.getpid()})
    assert set(snapshot["processes"]) == {"me", "bench"}
    assert snapshot["processes"]["me"] >= snapshot["processes"]["bench"] > 0
    assert set(bench.service_pids()) <= {"postgres", "rabbitmq", "redis"}


# --------------------------------------------------------------------------------------------------
# the event stores
# --------------------------------------------------------------------------------------------------
def store(path, rows):
    engine = create_engine(f"sqlite:///{path}", future=True)
    events.create(engine)
    with engine.begin() as connection:
        for sender, kind, text in rows:
            connection.execute(insert(events).values(
                sender_id=sender, type_name=kind, data=json.dumps({"event": kind, "text": text})))
    return engine


def test_stores_that_agree(tmp_path):
    rows = [("a", "user", "hi"), ("a", "bot", "hello"), ("a", "user", "cramp"), ("b", "user", "ice?")]
    tracker, console = store(tmp_path / "t.db", rows), store(tmp_path / "c.db", rows)
    check = bench.compare_stores(tracker, console, {"a": ["hi", "cramp"], "b": ["ice?"], "c": []})
    assert check == {"senders": 2, "messages_sent": 3, "tracker_events": 4, "console_events": 4,
                     "lost_events": 0, "extra_console_events": 0, "senders_differing": 0,
                     "console_caught_up_after_s": 0.0, "missing_messages": 0,
                     "unexpected_messages": 0}


def test_lost_events_and_missing_messages(tmp_path):
    tracker = store(tmp_path / "t.db", [("a", "user", "hi"), ("a", "bot", "hello"), ("b", "user", "x")])
    console = store(tmp_path / "c.db", [("a", "user", "hi"), ("b", "user", "x"), ("b", "bot", "y")])
    started = time.monotonic()
    check = bench.compare_stores(tracker, console, {"a": ["hi", "cramp"], "b": ["x", "x"]},
                                 timeout_s=0.3, poll_s=0.1)
    assert time.monotonic() - started >= 0.3
    assert check["lost_events"] == 1 and check["extra_console_events"] == 1
    assert check["senders_differing"] == 2 and check["console_caught_up_after_s"] is None
    assert check["missing_messages"] == 2 and check["unexpected_messages"] == 0


def test_counts_and_texts_of_many_senders(tmp_path):
    senders = [f"s{i}" for i in range(1200)]  # more than one IN (...) chunk
    engine = store(tmp_path / "t.db", [(s, "user", s) for s in senders[::2]])
    counts = event_counts(engine, senders)
    assert sum(counts.values()) == 600 and counts["s0"] == 1 and counts["s1"] == 0
    texts = user_texts_of(engine, senders)
    assert texts["s1198"] == ["s1198"] and texts["s1199"] == []


# --------------------------------------------------------------------------------------------------
# arguments and scratch settings
# --------------------------------------------------------------------------------------------------
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


def test_scratch_settings_have_names_and_ports_of_their_own():
    one, two = scratch_settings("clinic_bench", 1, 1), scratch_settings("clinic_bench", 2, 2)
    assert one.rabbitmq_queue != two.rabbitmq_queue and one.rabbitmq_queue.startswith("clinic_bench_")
    assert one.tracker_db_url.endswith(f"/{one.rabbitmq_queue}_tracker")
    assert one.console_db_url.endswith(f"/{one.rabbitmq_queue}_console")
    ports = [two.port, two.action_proxy_port, *(int(a.split(":")[1]) for a in two.rasa_addresses()),
             *(int(a.split(":")[1]) for a in two.action_addresses())]
    assert ports == list(range(two.port, two.port + 6))
    assert (one.replicas, one.action_replicas, two.replicas, two.action_replicas) == (1, 1, 2, 2)


def test_free_ports_are_consecutive_and_free():
    base = free_ports(5)
    for port in range(base, base + 5):
        with socket.socket() as s:
            s.bind(("127.0.0.1", port))


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
