"""One measured load window: the load generator's warm-up, then the measured seconds with CPU
snapshots (bot/bench/cpu.py) at their start and end."""
import threading
from typing import Any, Callable, Dict, Optional, Sequence, Tuple

import uvloop  # the load generator's own CPU competes with the servers: keep it low

from bot.bench.cpu import cpu_between, cpu_snapshot
from bot.bench.load import LoadResult, run_load


def measured_load(url: str, scripts: Sequence[Sequence[str]], clients: int, duration_s: float,
                  warmup_s: float, trees: Dict[str, int], timeout_s: float = 30.0,
                  at_start: Optional[Callable[[], None]] = None) -> Tuple[LoadResult, Dict[str, Any]]:
    """run_load, and the CPU of `trees` ({name: pid}) between the end of the warm-up and the end of
    the load; `at_start` is called when the measured window opens."""
    window: Dict[str, Any] = {}

    def open_window() -> None:
        window["cpu"] = cpu_snapshot(trees)
        if at_start:
            at_start()

    timer = threading.Timer(warmup_s, open_window)
    timer.daemon = True
    timer.start()
    try:
        result = uvloop.run(run_load(url, scripts, clients, duration_s, timeout_s=timeout_s,
                                     warmup_s=warmup_s))
    finally:
        timer.cancel()
    end = cpu_snapshot(trees)
    return result, cpu_between(window.get("cpu", end), end, result.messages)
