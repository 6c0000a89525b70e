"""The faults of a chaos run, injected into a running production profile one after another.

Each fault is done to a real process, and ends when what it hit answers again:

| fault | done how | over when |
| --- | --- | --- |
| actions_hung | SIGSTOP every action server replica for HANG_S (longer than a turn's action budget), then SIGCONT; meanwhile `while_hung` (bot/cli/chaos.py: questions waiting on them, each with a red flag behind it in its conversation) | a question through nginx is answered by an action server again |
| actions_killed | SIGKILL every action server replica; the supervisor starts them again | the same |
| postgres_restarted | the tracker store's and console's PostgreSQL: fast shutdown, then started again | it accepts connections |
| redis_stopped | the lock store's Redis stopped (SIGTERM) for DOWN_S, then started (empty) | it accepts connections |
| rabbitmq_stopped | the broker's RabbitMQ node stopped for DOWN_S, then started | it accepts connections |
| replica_killed | SIGKILL a Rasa replica (mid-turns: nginx retries them on the other); the supervisor starts it again | it answers HTTP again |

PostgreSQL, Redis and RabbitMQ are this run's own servers (bot/bench/scratch_servers.py), never the
machine's shared ones. Times are time.monotonic() seconds.
"""
import signal
import threading
import time
import uuid
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, List, Optional

import requests

from bot.bench.chaos_load import CANNOT_ANSWER
from bot.bench.scratch_servers import ScratchServer, ScratchServers
from bot.cluster.stack import Cluster, Service

HANG_S = 12.0  # ACTION_TIMEOUT_S is 10: turns waiting on the hung servers run out of budget
DOWN_S = 3.0
ACTIONS_QUESTION = "what's the clinic number"  # answered by action_clinic_contact
RECOVERY_TIMEOUT_S = 150.0  # a Rasa replica loads its model again on a busy machine


@dataclass
class Fault:
    name: str
    started_at: float
    lifted_at: Optional[float] = None  # the process continued / the service started again
    recovered_at: Optional[float] = None  # what it hit answers again
    details: Dict[str, Any] = field(default_factory=dict)

    def as_dict(self, origin: float) -> Dict[str, Any]:
        at = lambda t: None if t is None else round(t - origin, 2)  # noqa: E731
        return {"fault": self.name, "started_s": at(self.started_at), "lifted_s": at(self.lifted_at),
                "recovered_s": at(self.recovered_at), **self.details}


def _answers(url: str) -> bool:
    try:
        return requests.get(url, timeout=2).ok
    except requests.RequestException:
        return False


def _wait(check: Callable[[], bool], what: str, every_s: float = 0.1,
          timeout: float = RECOVERY_TIMEOUT_S) -> float:
    """When `check()` first held (asked every `every_s`)."""
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise TimeoutError(f"{what} did not recover within {timeout} s")
        time.sleep(every_s)
    return time.monotonic()


class Faults:
    """The faults, on `cluster` and `servers`; `done` lists each one as it ended."""

    def __init__(self, cluster: Cluster, servers: ScratchServers,
                 note: Callable[[str], None] = lambda text: None,
                 while_hung: Optional[Callable[[], Any]] = None) -> None:
        self.cluster, self.servers, self.note = cluster, servers, note
        self.while_hung = while_hung  # run in a thread of its own while the action servers hang
        self.done: List[Fault] = []

    def _actions(self) -> List[Service]:
        return [s for s in self.cluster.services if s.name.startswith("actions-")]

    def _actions_answer(self) -> bool:
        """A question that needs the action servers, through nginx, is answered by them (not
        "can't answer now": nginx also counts an action server as down for 5 s after a failure)."""
        try:
            replies = requests.post(f"{self.cluster.url}/webhooks/rest/webhook", timeout=30, json={
                "sender": f"chaos-probe-{uuid.uuid4().hex}", "message": ACTIONS_QUESTION}).json()
        except (requests.RequestException, ValueError):
            return False
        said = " ".join(str(r.get("text")) for r in replies if isinstance(r, dict))
        return bool(replies) and CANNOT_ANSWER not in said

    def _begin(self, name: str, text: str) -> Fault:
        self.note(f"fault {name}: {text}")
        fault = Fault(name, time.monotonic())
        self.done.append(fault)
        return fault

    def actions_hung(self, seconds: float = HANG_S) -> Fault:
        actions = self._actions()
        fault = self._begin("actions_hung", f"SIGSTOP {len(actions)} action servers for {seconds:g} s")
        for service in actions:
            service.process.send_signal(signal.SIGSTOP)
        during = None
        if self.while_hung is not None:
            during = threading.Thread(target=self.while_hung, name="while-hung")
            during.start()
        time.sleep(seconds)
        for service in actions:
            service.process.send_signal(signal.SIGCONT)
        fault.lifted_at = time.monotonic()
        if during is not None:
            during.join()
        fault.recovered_at = _wait(self._actions_answer, "the action servers", every_s=0.5)
        fault.details["hung_s"] = seconds
        return fault

    def actions_killed(self) -> Fault:
        actions = self._actions()
        fault = self._begin("actions_killed", f"SIGKILL {len(actions)} action servers")
        for service in actions:
            victim = service.process
            victim.send_signal(signal.SIGKILL)
            victim.wait()
        fault.lifted_at = time.monotonic()  # the supervisor starts them again
        fault.recovered_at = _wait(self._actions_answer, "the action servers", every_s=0.5)
        return fault

    def _down_and_up(self, name: str, server: ScratchServer, down_s: float) -> Fault:
        fault = self._begin(name, f"stop {server.name}" + (f", {down_s:g} s down" if down_s else ""))
        fault.details["stop_s"] = round(server.stop(), 2)
        time.sleep(down_s)
        fault.lifted_at = time.monotonic()
        fault.details["start_s"] = round(server.start(), 2)
        fault.recovered_at = time.monotonic()
        return fault

    def postgres_restarted(self) -> Fault:
        return self._down_and_up("postgres_restarted", self.servers.postgres, 0)

    def redis_stopped(self, seconds: float = DOWN_S) -> Fault:
        return self._down_and_up("redis_stopped", self.servers.redis, seconds)

    def rabbitmq_stopped(self, seconds: float = DOWN_S) -> Fault:
        return self._down_and_up("rabbitmq_stopped", self.servers.rabbitmq, seconds)

    def replica_killed(self, name: str = "rasa-1") -> Fault:
        replica = self.cluster.service(name)
        fault = self._begin("replica_killed", f"SIGKILL {name}")
        victim = replica.process
        victim.send_signal(signal.SIGKILL)
        victim.wait()
        fault.lifted_at = time.monotonic()  # the supervisor starts it again
        fault.recovered_at = _wait(lambda: replica.alive and _answers(replica.health), name)
        fault.details["replica"] = name
        return fault
