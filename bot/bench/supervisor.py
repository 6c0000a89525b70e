"""What `make cluster` does for a process that dies (bot/cli/cluster.py), in a thread: start it again.

A chaos run kills processes and stops the services under the relay and the consumer, which exit when
their server goes away; in production `make cluster` restarts them, checking every CHECK_EVERY_S. The
chaos run is judged with the same supervision, and every restart is recorded.
"""
import threading
import time
from typing import List, Tuple

from bot.cli.cluster import CHECK_EVERY_S
from bot.cluster.stack import Cluster


class Supervisor(threading.Thread):
    def __init__(self, cluster: Cluster, every_s: float = CHECK_EVERY_S) -> None:
        super().__init__(name="supervisor", daemon=True)
        self.cluster, self.every_s = cluster, every_s
        self.halt = threading.Event()
        self.restarts: List[Tuple[str, float]] = []  # (process, time.monotonic())

    def run(self) -> None:
        while not self.halt.wait(self.every_s):
            for name in self.cluster.restart_dead():
                self.restarts.append((name, time.monotonic()))

    def stop(self) -> None:
        self.halt.set()
        self.join()
