"""CPU time from /proc: of this process, of the machine, of process trees, between snapshots."""
import os
import subprocess
import sys
import time

import pytest

from bot.bench.cpu import (
    cpu_between,
    cpu_snapshot,
    cpu_sum,
    machine_cpu_s,
    process_cpu_s,
    service_pids,
    tree_cpu_s,
)


def burn(seconds: float) -> None:
    end = time.process_time() + seconds
    while time.process_time() < end:
        pass


def test_this_process_cpu_time_grows_with_work():
    before = process_cpu_s(os.getpid(), children=False)
    burn(0.5)
    after = process_cpu_s(os.getpid(), children=False)
    assert 0.4 <= after - before <= 1.0


def test_the_machine_counts_this_process_busy_time():
    start, wall = machine_cpu_s(), time.monotonic()
    burn(0.5)
    end, wall = machine_cpu_s(), time.monotonic() - wall
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
        assert process_cpu_s(child.pid) >= 0.4
        assert tree_cpu_s(os.getpid()) - process_cpu_s(os.getpid()) >= 0.4  # live
    finally:
        child.kill()
        child.wait()
    # waited for: now in this process's cutime + cstime, not in its own time
    assert process_cpu_s(os.getpid()) - process_cpu_s(os.getpid(), children=False) >= 0.4


def test_a_process_that_is_gone_has_no_cpu_time():
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    assert process_cpu_s(gone.pid) == 0.0


def test_cpu_between_two_snapshots():
    start = {"at": 10.0, "machine": {"busy": 100.0, "idle": 50.0},
             "processes": {"rasa-1": 5.0, "bench": 1.0}}
    end = {"at": 20.0, "machine": {"busy": 115.0, "idle": 55.0},
           "processes": {"rasa-1": 13.0, "bench": 2.0, "redis": 0.5}}
    cpu = cpu_between(start, end, messages=300)
    assert cpu == {"wall_s": 10.0, "machine_busy_s": 15.0, "machine_idle_s": 5.0, "machine_util": 0.75,
                   "processes_s": {"rasa-1": 8.0, "bench": 1.0, "redis": 0.5}, "other_s": 5.5,
                   "busy_ms_per_msg": 50.0}
    assert cpu_between(start, end)["busy_ms_per_msg"] is None


def test_windows_taken_together():
    first = {"wall_s": 10.0, "machine_busy_s": 15.0, "machine_idle_s": 5.0, "machine_util": 0.75,
             "processes_s": {"rasa-1": 8.0, "bench": 1.0}, "other_s": 6.0, "busy_ms_per_msg": 50.0}
    second = {"wall_s": 10.0, "machine_busy_s": 5.0, "machine_idle_s": 15.0, "machine_util": 0.25,
              "processes_s": {"rasa-1": 2.0, "redis": 0.5}, "other_s": 2.5, "busy_ms_per_msg": 50.0}
    assert cpu_sum([first, second], messages=400) == {
        "wall_s": 20.0, "machine_busy_s": 20.0, "machine_idle_s": 20.0, "machine_util": 0.5,
        "processes_s": {"rasa-1": 10.0, "bench": 1.0, "redis": 0.5}, "other_s": 8.5,
        "busy_ms_per_msg": 50.0}
    assert cpu_sum([first], messages=300) == {**first, "busy_ms_per_msg": 50.0}


def test_a_snapshot_names_every_tree_and_this_process():
    snapshot = cpu_snapshot({"me": os.getpid()})
    assert set(snapshot["processes"]) == {"me", "bench"}
    assert snapshot["processes"]["me"] >= snapshot["processes"]["bench"] > 0
    assert set(service_pids()) <= {"postgres", "rabbitmq", "redis"}
