"""Peak resident memory of named processes while something runs, read from /proc (Linux only).

A thread samples VmRSS every `interval_s`; with `include_children` a process's figure is the sum over
it and all its descendants (shared pages count once per process, as `ps` shows them). The result
also takes in the root process's VmHWM, the kernel's own peak RSS, which catches spikes between
samples. Sizes are MiB (reported as MB). A process that has exited simply stops adding samples.
"""
import os
import threading
from pathlib import Path
from types import TracebackType
from typing import Dict, List, Optional, Tuple, Type

PROC = Path("/proc")


def _status_kb(pid: int) -> Tuple[int, int]:
    """(VmRSS, VmHWM) of `pid` in kB; (0, 0) for a process that is gone (or a zombie)."""
    rss = hwm = 0
    try:
        lines = (PROC / str(pid) / "status").read_text().splitlines()
    except OSError:
        return 0, 0
    for line in lines:
        if line.startswith("VmRSS:"):
            rss = int(line.split()[1])
        elif line.startswith("VmHWM:"):
            hwm = int(line.split()[1])
    return rss, hwm


def process_table() -> Dict[int, Tuple[str, int]]:
    """pid -> (command name, parent pid) of every process now running."""
    table = {}
    for entry in os.scandir(PROC):
        if entry.name.isdigit():
            try:
                stat = (PROC / entry.name / "stat").read_text()
            except OSError:
                continue
            comm = stat[stat.index("(") + 1:stat.rindex(")")]
            table[int(entry.name)] = (comm, int(stat.rsplit(")", 1)[1].split()[1]))
    return table


def descendants(pid: int) -> List[int]:
    """Every process below `pid` in the process tree (children, their children, ...)."""
    children: Dict[int, List[int]] = {}
    for child, (_, parent) in process_table().items():
        children.setdefault(parent, []).append(child)
    found, todo = [], list(children.get(pid, []))
    while todo:
        child = todo.pop()
        found.append(child)
        todo.extend(children.get(child, []))
    return found


class PeakMemory:
    """Peak RSS per name of {name: pid}; `with PeakMemory(pids) as peaks: ...` then `peaks.peaks_mb()`,
    or start() ... stop()."""

    def __init__(self, pids: Dict[str, int], interval_s: float = 0.2,
                 include_children: bool = False) -> None:
        self.pids = dict(pids)
        self.interval_s = interval_s
        self.include_children = include_children
        self._peak_kb = {name: 0 for name in self.pids}
        self._stop = threading.Event()
        self._thread: Optional[threading.Thread] = None

    def sample(self) -> None:
        """Read every process once and keep the largest figures."""
        for name, pid in self.pids.items():
            rss, hwm = _status_kb(pid)
            if self.include_children and rss:
                rss += sum(_status_kb(child)[0] for child in descendants(pid))
            self._peak_kb[name] = max(self._peak_kb[name], rss, hwm)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.sample()
            self._stop.wait(self.interval_s)

    def start(self) -> "PeakMemory":
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="peak-memory", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> Dict[str, float]:
        """Stop sampling, take a last sample (VmHWM included) and return peaks_mb()."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
            self._thread = None
        self.sample()
        return self.peaks_mb()

    def peaks_mb(self) -> Dict[str, float]:
        """{name: peak RSS in MB}, 0.0 for a process never seen alive."""
        return {name: round(kb / 1024, 1) for name, kb in self._peak_kb.items()}

    def __enter__(self) -> "PeakMemory":
        return self.start()

    def __exit__(self, kind: Optional[Type[BaseException]], error: Optional[BaseException],
                 trace: Optional[TracebackType]) -> None:
        self.stop()
