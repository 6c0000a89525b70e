"""The clinic console's store, fed by the event broker: RabbitMQ → `events` in CONSOLE_DB_URL.

The relay publishes every event the Rasa replicas commit to RabbitMQ (bot/cluster/relay.py). This
consumer writes them to a table of the same shape as Rasa's own `events` table, so the review console
(`make review` with TRACKER_DB_URL set to the console's database) reads it unchanged. Messages are
acknowledged only after their rows are committed, and each row carries a hash of the event's identity
(conversation, type, timestamp, name, text, value) so that an event delivered twice (RabbitMQ
delivers at least once; the relay publishes again what it had not recorded as published) is stored once.

Every call to RabbitMQ is given up after BROKER_TIMEOUT_S, and the consumer then exits (`make
cluster` starts it again; what it had not acknowledged is delivered again). Without it, a broker that
stopped answering, or a reconnection that never completed (aio_pika's robust channel waits for it
without end), left the consumer waiting for good: alive, and the console no longer fed
(`make test-chaos`, RabbitMQ stopped and started under load).

    python -m bot.cluster.consumer     # settings from the environment: bot/cluster/settings.py
"""
import asyncio
import hashlib
import json
import logging
from contextlib import suppress
from typing import Any, Awaitable, Dict, List, Optional, TypeVar

import aio_pika
from sqlalchemy import Column, MetaData, String, create_engine
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.engine import URL, Engine

from bot.cluster.postgres import ensure_database
from bot.cluster.service import pause, run_until_stopped
from bot.cluster.settings import ClusterSettings
from bot.review.schema import events_table

logger = logging.getLogger(__name__)
BATCH = 500
BATCH_WAIT_S = 0.25  # the console is at most about this late; fewer, larger commits
TAKE_TIMEOUT_S = 2.0
BROKER_TIMEOUT_S = 10.0
T = TypeVar("T")

STORE = MetaData()
console_events = events_table(STORE, Column("event_hash", String(64), nullable=False, unique=True))


def event_rows(body: bytes) -> List[Dict[str, Any]]:
    """The `events` rows of one broker message (the relay's turns, a turn, or one event as Rasa's
    brokers send it), as Rasa's SQL tracker store would write them; nothing for anything else."""
    try:
        message = json.loads(body)
    except ValueError:
        return []
    turns = message.get("turns") if isinstance(message, dict) else None
    return [row for turn in (turns if isinstance(turns, list) else [message])
            for row in _turn_rows(turn)]


def _turn_rows(turn: Any) -> List[Dict[str, Any]]:
    if not isinstance(turn, dict) or not turn.get("sender_id"):
        return []
    turn = dict(turn)
    sender_id = str(turn.pop("sender_id"))
    events = turn.get("events") if "events" in turn else [turn]
    if not isinstance(events, list):
        return []
    return [_row(sender_id, event) for event in events if isinstance(event, dict) and event.get("event")]


def _identity(sender_id: str, event: Dict[str, Any]) -> str:
    """Equal for the same event published twice (from memory, then again from the database)."""
    key = [sender_id, event.get("event"), repr(event.get("timestamp")), event.get("name"),
           event.get("text"), event.get("value")]
    return hashlib.sha256(json.dumps(key, sort_keys=True, default=str).encode()).hexdigest()


def _row(sender_id: str, event: Dict[str, Any]) -> Dict[str, Any]:
    intent = (event.get("parse_data") or {}).get("intent") or {}
    data = json.dumps(event)
    return {
        "sender_id": sender_id,
        "type_name": event["event"],
        "timestamp": event.get("timestamp"),
        "intent_name": intent.get("name") if isinstance(intent, dict) else None,
        "action_name": event.get("name"),
        "data": data,
        "event_hash": _identity(sender_id, event),
    }


def open_store(url: URL) -> Engine:
    """An engine on the console's database, created (with its table) if it does not exist yet."""
    ensure_database(url)
    engine = create_engine(url, future=True, pool_recycle=300)  # one connection, no ping per batch
    STORE.create_all(engine)
    return engine


def store(engine: Engine, messages: List[aio_pika.abc.AbstractIncomingMessage]) -> int:
    """Insert the batch's events (duplicates ignored); the number of rows written."""
    rows = [row for message in messages for row in event_rows(message.body)]
    if not rows:
        return 0
    with engine.begin() as connection:
        result = connection.execute(
            insert(console_events).on_conflict_do_nothing(index_elements=["event_hash"]), rows)
    return result.rowcount


async def declare(channel: aio_pika.abc.AbstractChannel,
                  settings: ClusterSettings) -> aio_pika.abc.AbstractQueue:
    """The durable queue, bound to the fanout exchange the relay publishes to (whichever side starts
    first declares them)."""
    exchange = await channel.declare_exchange(settings.rabbitmq_exchange, aio_pika.ExchangeType.FANOUT)
    queue = await channel.declare_queue(settings.rabbitmq_queue, durable=True)
    await queue.bind(exchange, "")
    return queue


async def consume(settings: ClusterSettings, stop: asyncio.Event,
                  ready: Optional[asyncio.Event] = None) -> None:
    """Move events from the queue to the console's store until `stop` is set.

    Every BATCH_WAIT_S it takes what is waiting in one burst: consume with a prefetch of exactly that
    many messages, cancel once they are in, store them, acknowledge them with one ack. A message
    consumed as it arrives costs this process and RabbitMQ a wake-up each (twice the CPU at ~100
    turns a second); a burst shares them."""
    engine = open_store(settings.console_url())
    connection = await _broker(aio_pika.connect_robust(settings.rabbitmq_url))
    try:
        channel = await _broker(connection.channel())
        queue = await _broker(declare(channel, settings))
        received: asyncio.Queue = asyncio.Queue()  # filled in delivery order by the consumer callback
        if ready:
            ready.set()
        logger.info("consuming %s into %s", settings.rabbitmq_queue, settings.console_url().database)
        while not stop.is_set():
            waiting = (await _broker(queue.declare())).message_count or 0
            if waiting:
                await _take(channel, queue, min(waiting, BATCH), received)
            batch = [received.get_nowait() for _ in range(received.qsize())]
            if batch:
                await asyncio.get_running_loop().run_in_executor(None, store, engine, batch)
                # every earlier delivery is in this batch or stored
                await _broker(batch[-1].ack(multiple=True))
            if waiting < BATCH:
                await pause(stop, BATCH_WAIT_S)
    finally:
        with suppress(Exception):  # a broker that does not answer is not waited for here either
            await _broker(connection.close())
        engine.dispose()


async def _broker(call: Awaitable[T]) -> T:
    """A call to RabbitMQ; asyncio.TimeoutError after BROKER_TIMEOUT_S."""
    return await asyncio.wait_for(call, BROKER_TIMEOUT_S)


async def _take(channel: aio_pika.abc.AbstractChannel, queue: aio_pika.abc.AbstractQueue, count: int,
                received: asyncio.Queue) -> None:
    """Consume `count` waiting messages into `received`, then cancel. RabbitMQ sends no more: the
    prefetch is `count` plus the unacknowledged messages already in `received`. Waits at most
    TAKE_TIMEOUT_S (another consumer may have taken some)."""
    target = received.qsize() + count
    await _broker(channel.set_qos(prefetch_count=target))
    arrived = asyncio.Event()

    async def on_message(message: aio_pika.abc.AbstractIncomingMessage) -> None:
        received.put_nowait(message)
        if received.qsize() >= target:
            arrived.set()

    tag = await _broker(queue.consume(on_message))
    try:
        await asyncio.wait_for(arrived.wait(), TAKE_TIMEOUT_S)
    except asyncio.TimeoutError:
        logger.info("%d of %d waiting messages arrived", count - (target - received.qsize()), count)
    finally:
        await _broker(queue.cancel(tag))  # deliveries before it have all been handed to on_message


def main() -> None:
    run_until_stopped(consume)


if __name__ == "__main__":
    main()
