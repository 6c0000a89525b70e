"""A throw-away production-profile cluster on this machine's PostgreSQL/Redis/RabbitMQ, reads of its two
event stores and their comparison. Shared by the benchmark (bot/cli/bench.py, bot/bench/profile.py)
and the cluster tests (tests/cluster/).

A scratch cluster listens on free consecutive ports and uses databases and a queue with names of its
own (a prefix and a random suffix); on exit, Ctrl-C and errors included, its processes are stopped,
then the queue is deleted and both databases dropped.
"""
import asyncio
import json
import logging
import secrets
import socket
import time
from collections import Counter
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Dict, Iterable, Iterator, List, Optional

import aio_pika
from sqlalchemy import func, select
from sqlalchemy.engine import Engine, make_url

from bot.cluster.postgres import drop_database
from bot.cluster.settings import ClusterSettings
from bot.cluster.stack import Cluster, running_cluster
from bot.review.schema import events

logger = logging.getLogger(__name__)
CHUNK = 500  # senders per IN (...) query


def free_ports(count: int) -> int:
    """The first of `count` consecutive free ports."""
    for base in range(21000 + secrets.randbelow(20000), 60000, 17):
        sockets = []
        try:
            for port in range(base, base + count):
                s = socket.socket()
                sockets.append(s)
                s.bind(("127.0.0.1", port))
            return base
        except OSError:
            continue
        finally:
            for s in sockets:
                s.close()
    raise RuntimeError("no free ports")


def scratch_settings(prefix: str, replicas: int = 2, action_replicas: int = 2,
                     pg: str = "postgresql://postgres@127.0.0.1:5432", **overrides) -> ClusterSettings:
    """Settings on free consecutive ports (nginx, action proxy, Rasa replicas, action replicas) with
    databases `<prefix>_<hex>_tracker` / `_console`, and queue and exchange `<prefix>_<hex>` (a cluster
    sees no other's events), the REST webhook served without a token (its clients are this machine's
    tests and benchmark); the rest as defaults (not the environment), then `overrides`."""
    name = f"{prefix}_{secrets.token_hex(4)}"
    base = free_ports(2 + replicas + action_replicas)
    values = dict(port=base, action_proxy_port=base + 1, rasa_port=base + 2,
                  action_port=base + 2 + replicas, replicas=replicas, action_replicas=action_replicas,
                  tracker_db_url=f"{pg}/{name}_tracker", console_db_url=f"{pg}/{name}_console",
                  rabbitmq_queue=name, rabbitmq_exchange=name, open_rest=True)
    values.update(overrides)
    return ClusterSettings.from_env({}, **values)


async def _delete_queue(settings: ClusterSettings) -> None:
    connection = await aio_pika.connect(settings.rabbitmq_url)
    async with connection:
        channel = await connection.channel()
        await channel.queue_delete(settings.rabbitmq_queue)
        await channel.exchange_delete(settings.rabbitmq_exchange)


def remove_scratch(settings: ClusterSettings) -> List[str]:
    """Delete the queue and exchange and drop both databases; each step is tried even if another
    fails. What could not be removed (logged as warnings, not raised: this runs while another error
    may propagate)."""
    steps = [("queue and exchange", lambda: asyncio.run(_delete_queue(settings))),
             ("tracker database", lambda: drop_database(make_url(settings.tracker_db_url))),
             ("console database", lambda: drop_database(make_url(settings.console_db_url)))]
    failures = []
    for what, step in steps:
        try:
            step()
        except Exception as error:  # noqa: BLE001 - clean up as much as possible, then report
            logger.warning("could not remove the scratch %s: %s", what, error)
            failures.append(f"{what}: {error}")
    return failures


@contextmanager
def scratch_cluster(settings: ClusterSettings, run_dir: Path,
                    api_token: Optional[str] = None) -> Iterator[Cluster]:
    """running_cluster() on scratch settings; its queue and databases are removed afterwards."""
    try:
        with running_cluster(settings, run_dir, api_token=api_token) as cluster:
            yield cluster
    finally:
        remove_scratch(settings)


def event_count(engine: Engine, sender: str) -> int:
    with engine.connect() as connection:
        return connection.execute(
            select(func.count()).select_from(events).where(events.c.sender_id == sender)).scalar()


def user_texts(engine: Engine, sender: str) -> List[str]:
    """The client's messages of a conversation as stored, in order."""
    return user_texts_of(engine, [sender]).get(sender, [])


def _chunks(senders: Iterable[str]) -> Iterator[List[str]]:
    senders = list(senders)
    for start in range(0, len(senders), CHUNK):
        yield senders[start:start + CHUNK]


def event_counts(engine: Engine, senders: Iterable[str]) -> Dict[str, int]:
    """{sender: number of events stored}, 0 for a sender with none."""
    senders = list(senders)
    counts = dict.fromkeys(senders, 0)
    with engine.connect() as connection:
        for chunk in _chunks(senders):
            rows = connection.execute(
                select(events.c.sender_id, func.count()).where(events.c.sender_id.in_(chunk))
                .group_by(events.c.sender_id))
            counts.update({sender: count for sender, count in rows})
    return counts


def user_texts_of(engine: Engine, senders: Iterable[str]) -> Dict[str, List[str]]:
    """{sender: the client's messages as stored, in order}, [] for a sender with none."""
    senders = list(senders)
    texts: Dict[str, List[str]] = {sender: [] for sender in senders}
    with engine.connect() as connection:
        for chunk in _chunks(senders):
            rows = connection.execute(
                select(events.c.sender_id, events.c.data)
                .where(events.c.sender_id.in_(chunk), events.c.type_name == "user")
                .order_by(events.c.id))
            for sender, data in rows:
                texts[sender].append(json.loads(data).get("text"))
    return texts


def compare_stores(tracker: Engine, console: Engine, sent: Dict[str, List[str]],
                   timeout_s: float = 30, poll_s: float = 0.5) -> Dict[str, Any]:
    """Wait (up to `timeout_s`) until the console's store holds as many events as the tracker store
    for every sender of `sent`; then lost_events (the tracker's events the console lacks), and
    missing_messages (messages of `sent` that are not a user event in the tracker store)."""
    senders = [sender for sender, messages in sent.items() if messages]
    started = time.monotonic()
    while True:
        in_tracker, in_console = event_counts(tracker, senders), event_counts(console, senders)
        caught_up = in_tracker == in_console
        if caught_up or time.monotonic() - started >= timeout_s:
            break
        time.sleep(poll_s)
    waited = time.monotonic() - started
    stored = user_texts_of(tracker, senders)
    missing = extra = 0
    for sender in senders:
        expected, found = Counter(sent[sender]), Counter(stored[sender])
        missing += sum((expected - found).values())
        extra += sum((found - expected).values())
    return {
        "senders": len(senders),
        "messages_sent": sum(len(sent[s]) for s in senders),
        "tracker_events": sum(in_tracker.values()),
        "console_events": sum(in_console.values()),
        "lost_events": sum(max(0, in_tracker[s] - in_console[s]) for s in senders),
        "extra_console_events": sum(max(0, in_console[s] - in_tracker[s]) for s in senders),
        "senders_differing": sum(in_tracker[s] != in_console[s] for s in senders),
        "console_caught_up_after_s": round(waited, 1) if caught_up else None,
        "missing_messages": missing,
        "unexpected_messages": extra,
    }
