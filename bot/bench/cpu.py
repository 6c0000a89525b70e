"""CPU time from /proc (Linux only): of the whole machine, of a process and of a process tree, and where
it went between two snapshots. Seconds of all cores; exited children count once they are waited for."""
import os
import time
from pathlib import Path
from typing import Any, Dict, Optional, Sequence

from bot.bench.memory import PROC, descendants, process_table

CLK_TCK = os.sysconf("SC_CLK_TCK")
SERVICES = {"postgres": "postgres", "rabbitmq": "beam.smp", "redis": "redis-server"}  # name: comm


def machine_cpu_s(stat: Path = PROC / "stat") -> Dict[str, float]:
    """CPU seconds of all cores since boot: busy (user, nice, system, irq, softirq, steal) and idle
    (idle, iowait)."""
    fields = [int(v) for v in stat.read_text().splitlines()[0].split()[1:]]
    user, nice, system, idle, iowait, irq, softirq, steal = (fields + [0] * 8)[:8]
    return {"busy": (user + nice + system + irq + softirq + steal) / CLK_TCK,
            "idle": (idle + iowait) / CLK_TCK}


def process_cpu_s(pid: int, children: bool = True) -> float:
    """utime + stime of `pid` in seconds; with `children` also the CPU time of its children that have
    exited and been waited for (cutime + cstime). 0.0 for a process that is gone."""
    try:
        stat = (PROC / str(pid) / "stat").read_text()
    except OSError:
        return 0.0
    fields = stat.rsplit(")", 1)[1].split()  # fields[0] is field 3 (state) of proc(5)
    ticks = int(fields[11]) + int(fields[12])
    if children:
        ticks += int(fields[13]) + int(fields[14])
    return ticks / CLK_TCK


def tree_cpu_s(pid: int) -> float:
    """CPU seconds of `pid` and every process below it, exited (waited-for) descendants included."""
    return sum(process_cpu_s(p) for p in [pid, *descendants(pid)])


def service_pids() -> Dict[str, int]:
    """{name: pid} of the root process of PostgreSQL, RabbitMQ and Redis, where they run here."""
    comms = process_table()
    found = {}
    for name, comm in SERVICES.items():
        roots = [pid for pid, (c, parent) in comms.items()
                 if c == comm and comms.get(parent, ("", 0))[0] != comm]
        if roots:
            found[name] = min(roots)
    return found


def cpu_snapshot(trees: Dict[str, int]) -> Dict[str, Any]:
    """Now: the machine's CPU seconds, every tree's and this process's own."""
    return {"at": time.monotonic(), "machine": machine_cpu_s(),
            "processes": {**{name: tree_cpu_s(pid) for name, pid in trees.items()},
                          "bench": process_cpu_s(os.getpid(), children=False)}}


def cpu_between(start: Dict[str, Any], end: Dict[str, Any], messages: int = 0) -> Dict[str, Any]:
    """Where the CPU went between two snapshots: machine busy and idle seconds, utilisation (of all
    cores), seconds per process, `other_s` (busy time of everything not listed: other users of the
    machine) and busy CPU milliseconds per message."""
    processes = {name: max(0.0, end["processes"][name] - start["processes"].get(name, 0.0))
                 for name in end["processes"]}
    return _cpu(end["at"] - start["at"], end["machine"]["busy"] - start["machine"]["busy"],
                end["machine"]["idle"] - start["machine"]["idle"], processes, messages)


def cpu_sum(windows: Sequence[Dict[str, Any]], messages: int = 0) -> Dict[str, Any]:
    """cpu_between() of several measured windows taken together (`messages` in all of them)."""
    processes: Dict[str, float] = {}
    for window in windows:
        for name, seconds in window["processes_s"].items():
            processes[name] = processes.get(name, 0.0) + seconds
    return _cpu(*(sum(w[key] for w in windows) for key in ("wall_s", "machine_busy_s", "machine_idle_s")),
                processes, messages)


def _cpu(wall: float, busy: float, idle: float, processes: Dict[str, float],
         messages: int) -> Dict[str, Any]:
    return {
        "wall_s": round(wall, 2),
        "machine_busy_s": round(busy, 2),
        "machine_idle_s": round(idle, 2),
        "machine_util": round(busy / (busy + idle), 3) if busy + idle > 0 else None,
        "processes_s": {name: round(seconds, 2) for name, seconds in processes.items()},
        "other_s": round(busy - sum(processes.values()), 2),
        "busy_ms_per_msg": round(busy * 1000 / messages, 1) if messages else None,
    }


def util_now(seconds: float = 1.0) -> Optional[float]:
    """How busy all cores are over the next `seconds`."""
    start = machine_cpu_s()
    time.sleep(seconds)
    end = machine_cpu_s()
    busy, idle = end["busy"] - start["busy"], end["idle"] - start["idle"]
    return round(busy / (busy + idle), 3) if busy + idle > 0 else None
