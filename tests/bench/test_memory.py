"""PeakMemory on real processes: a 200 MB allocation is seen, process trees add up, exits are handled."""
import os
import signal
import subprocess
import sys
import time

from bot.bench.memory import PeakMemory, descendants

HOLD_200_MB = "import time; block = b'x' * (200 * 2**20); print('ready', flush=True); time.sleep(60)"
PARENT_OF_200_MB = (f"import subprocess, sys; subprocess.run([sys.executable, '-c', {HOLD_200_MB!r}])")


def _started(code: str) -> subprocess.Popen:
    process = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE)
    assert process.stdout.readline() == b"ready\n"
    return process


def _stopped(process: subprocess.Popen) -> None:
    for child in descendants(process.pid):
        os.kill(child, signal.SIGKILL)
    process.kill()
    process.wait()


def test_peak_of_a_process_holding_200_mb():
    process = _started(HOLD_200_MB)
    try:
        with PeakMemory({"holder": process.pid}, interval_s=0.05) as sampler:
            time.sleep(0.3)
        assert 200 <= sampler.peaks_mb()["holder"] < 400
    finally:
        _stopped(process)


def test_children_count_only_when_asked():
    parent = _started(PARENT_OF_200_MB)
    try:
        alone = PeakMemory({"parent": parent.pid}, interval_s=0.05).start()
        tree = PeakMemory({"parent": parent.pid}, interval_s=0.05, include_children=True).start()
        time.sleep(0.3)
        assert alone.stop()["parent"] < 100
        assert 200 <= tree.stop()["parent"] < 400
    finally:
        _stopped(parent)


def test_processes_that_exit_or_never_existed_do_not_crash_it():
    short = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(0.3)"])
    missing = subprocess.Popen([sys.executable, "-c", "pass"])
    missing.wait()
    with PeakMemory({"short": short.pid, "missing": missing.pid}, interval_s=0.05) as sampler:
        short.wait()
        time.sleep(0.3)
    peaks = sampler.peaks_mb()
    assert peaks["short"] > 0
    assert peaks["missing"] == 0.0
