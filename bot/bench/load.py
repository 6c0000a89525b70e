"""A closed-loop load generator for the REST channel (asyncio, bot/bench/http_client.py).

Each of `clients` concurrent clients plays conversation scripts one after another, taken in order from
one shared cycle; each conversation has a fresh sender id, and each turn waits for the reply before the
next is sent. After `warmup_s` (played but not counted) the measured window of `duration_s` begins: a
message counts if it was sent inside it, and the one in flight when it ends is waited for and counted.
A conversation counts when its last turn completes inside the window without an error; an error ends
the conversation and pauses that client for ERROR_PAUSE_S, so a dead server is not spun against.
Latency is measured with time.perf_counter from sending a message to having its reply parsed.
"""
import asyncio
import itertools
import json
import math
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Dict, Iterator, List, Optional, Sequence

from bot.bench.http_client import HttpClient

ERROR_PAUSE_S = 0.1


def percentile(values: Sequence[float], pct: float) -> Optional[float]:
    """Nearest-rank percentile: the smallest value with at least pct % of the values at or below it."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(pct / 100 * len(ordered)) - 1)]


@dataclass
class LoadResult:
    """What one run measured. `duration_s` is the measured window as it ran (until the last message in
    flight was answered); `sent` maps every sender id used (warm-up included) to the messages posted."""

    clients: int
    duration_s: float = 0.0
    latencies_s: List[float] = field(default_factory=list)
    conversations: int = 0
    error_kinds: Counter = field(default_factory=Counter)
    empty_replies: int = 0
    sent: Dict[str, List[str]] = field(default_factory=dict)

    @property
    def messages(self) -> int:
        """Messages answered without an error in the measured window."""
        return len(self.latencies_s)

    @property
    def errors(self) -> int:
        return sum(self.error_kinds.values())

    @property
    def senders(self) -> List[str]:
        return list(self.sent)

    @classmethod
    def merged(cls, results: Sequence["LoadResult"]) -> "LoadResult":
        """Several measured windows of the same number of clients as one."""
        total = cls(clients=results[0].clients)
        for result in results:
            total.duration_s += result.duration_s
            total.latencies_s += result.latencies_s
            total.conversations += result.conversations
            total.error_kinds += result.error_kinds
            total.empty_replies += result.empty_replies
            total.sent.update(result.sent)
        return total

    def summary(self) -> Dict[str, Any]:
        """Counts, throughput and latency in ms (nearest-rank percentiles), JSON-ready."""
        ms = [s * 1000 for s in self.latencies_s]
        latency = {f"p{p}": percentile(ms, p) for p in (50, 95, 99)}
        latency.update(mean=sum(ms) / len(ms) if ms else None, max=max(ms) if ms else None)
        return {
            "clients": self.clients,
            "duration_s": round(self.duration_s, 2),
            "messages": self.messages,
            "conversations": self.conversations,
            "errors": self.errors,
            "error_kinds": dict(sorted(self.error_kinds.items())),
            "empty_replies": self.empty_replies,
            "msgs_per_s": round(self.messages / self.duration_s, 2) if self.duration_s else 0.0,
            "latency_ms": {k: None if v is None else round(v, 1) for k, v in latency.items()},
        }


class Failed(Exception):
    """A message that got no valid reply; the argument is the error kind."""


async def _post(http: HttpClient, sender: str, text: str, timeout_s: float) -> List[Any]:
    """The reply (a JSON list); Failed with status_<code>, timeout, connection or invalid_json."""
    try:
        status, body = await http.post_json(
            json.dumps({"sender": sender, "message": text}).encode(), timeout_s)
    except asyncio.TimeoutError:
        raise Failed("timeout") from None
    except OSError:
        raise Failed("connection") from None
    if status != 200:
        raise Failed(f"status_{status}")
    try:
        reply = json.loads(body)
    except ValueError:
        reply = None
    if not isinstance(reply, list):
        raise Failed("invalid_json")
    return reply


async def _client(webhook: str, scripts: Iterator[Sequence[str]], window_start: float,
                  deadline: float, timeout_s: float, result: LoadResult) -> None:
    http = HttpClient(webhook)
    try:
        await _play(http, scripts, window_start, deadline, timeout_s, result)
    finally:
        http.close()


async def _play(http: HttpClient, scripts: Iterator[Sequence[str]], window_start: float,
                deadline: float, timeout_s: float, result: LoadResult) -> None:
    while time.perf_counter() < deadline:
        sender = f"bench-{uuid.uuid4().hex}"
        sent = result.sent[sender] = []
        completed = True
        for text in next(scripts):
            start = time.perf_counter()
            if start >= deadline:
                completed = False
                break
            sent.append(text)
            try:
                reply = await _post(http, sender, text, timeout_s)
            except Failed as failure:
                if start >= window_start:
                    result.error_kinds[failure.args[0]] += 1
                completed = False
                await asyncio.sleep(ERROR_PAUSE_S)
                break
            if start >= window_start:
                result.latencies_s.append(time.perf_counter() - start)
                if not reply:
                    result.empty_replies += 1
        if completed and time.perf_counter() >= window_start:
            result.conversations += 1


async def run_load(url: str, scripts: Sequence[Sequence[str]], clients: int, duration_s: float,
                   timeout_s: float = 30, warmup_s: float = 2.0) -> LoadResult:
    """Play `scripts` (lists of client messages) against the REST channel at `url` with `clients`
    concurrent closed-loop clients for `warmup_s` + `duration_s` seconds; measure the last `duration_s`."""
    if not scripts or not all(scripts):
        raise ValueError("need at least one script, each with at least one message")
    result = LoadResult(clients=clients)
    shared = itertools.cycle(scripts)
    window_start = time.perf_counter() + warmup_s
    deadline = window_start + duration_s
    webhook = f"{url.rstrip('/')}/webhooks/rest/webhook"
    await asyncio.gather(*(_client(webhook, shared, window_start, deadline, timeout_s, result)
                           for _ in range(clients)))
    result.duration_s = time.perf_counter() - window_start
    return result
