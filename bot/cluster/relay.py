"""The event broker's publisher: every event the replicas commit, in order, to RabbitMQ.

The Rasa replicas write each turn to the tracker store's `events` table in PostgreSQL and nothing
else (bot/cluster/tracker_store.py). That table is the outbox: this process reads what they
committed and publishes it to the deployment's fanout exchange, which feeds the console's store
(bot/cluster/consumer.py). A committed turn is published even if its replica dies right after,
and no turn waits for RabbitMQ.

Nothing is skipped: each row carries the id of the transaction that wrote it (column
`clinic_txid`, added here). Every RELAY_EVERY_S the relay takes the rows after its position that
belong to transactions older than any still running (no row can appear before them any more), at
most BATCH, publishes them as one persistent message, and saves its position once RabbitMQ has
confirmed it. A crash in between publishes those rows again; the consumer keeps each event once. A
transaction left open anywhere on the server (e.g. a long report) holds the console back, not
loses anything. One relay publishes at a time (a PostgreSQL advisory lock); another one waits
and takes over when it goes.

A message is `{"turns": [{"sender_id": ..., "events": [event, ...]}, ...]}`, the events as stored.

    python -m bot.cluster.relay     # settings from the environment: bot/cluster/settings.py
"""
import asyncio
import json
import logging
from itertools import groupby
from typing import List, Optional, Sequence, Tuple

import aio_pika
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Connection, Engine, Row

from bot.cluster.consumer import declare
from bot.cluster.postgres import ensure_database, table_exists
from bot.cluster.service import pause, run_until_stopped
from bot.cluster.settings import ClusterSettings

logger = logging.getLogger(__name__)
BATCH = 1000  # rows per message (about 1 MB)
RELAY_EVERY_S = 0.25  # the console is at most about this much later than with a publish per turn
STANDBY_S = 1.0  # how often a waiting relay tries to take over
PUBLISH_TIMEOUT_S = 10
LOCK = 7_305_001  # advisory lock key: the relay that publishes

_SCHEMA = [
    "SET LOCAL lock_timeout = '5s'",  # not queue the replicas' writes behind it for long
    "ALTER TABLE events ADD COLUMN IF NOT EXISTS clinic_txid bigint NOT NULL"
    " DEFAULT (pg_current_xact_id()::text::bigint)",
    "CREATE INDEX IF NOT EXISTS events_clinic_txid ON events (clinic_txid, id)",
    "CREATE TABLE IF NOT EXISTS clinic_relay_position (id int PRIMARY KEY CHECK (id = 1),"
    " txid bigint NOT NULL, event_id bigint NOT NULL)",
    "INSERT INTO clinic_relay_position VALUES (1, 0, 0) ON CONFLICT DO NOTHING",
]
_NEXT = text("""SELECT id, sender_id, data, clinic_txid FROM events
WHERE clinic_txid >= :txid AND (clinic_txid, id) > (:txid, :event_id)
  AND clinic_txid < pg_snapshot_xmin(pg_current_snapshot())::text::bigint
ORDER BY clinic_txid, id LIMIT :limit""")
Position = Tuple[int, int]  # (transaction, event id) of the last row published


def ensure_outbox(engine: Engine) -> None:
    """The transaction column on Rasa's `events` table and the relay's position, once (whichever
    relay comes first; the table is locked only then). Rows written before the column get the
    transaction that adds it."""
    with engine.begin() as connection:
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": LOCK + 1})
        if connection.execute(text("SELECT 1 FROM information_schema.columns WHERE table_name = "
                                   "'events' AND column_name = 'clinic_txid'")).first():
            return
        for statement in _SCHEMA:
            connection.execute(text(statement))


def position(connection: Connection) -> Position:
    txid, event_id = connection.execute(
        text("SELECT txid, event_id FROM clinic_relay_position WHERE id = 1")).one()
    return txid, event_id


def save_position(connection: Connection, at: Position) -> None:
    connection.execute(text("UPDATE clinic_relay_position SET txid = :txid, event_id = :event_id "
                            "WHERE id = 1"), {"txid": at[0], "event_id": at[1]})


def next_rows(connection: Connection, after: Position, limit: int = BATCH) -> List[Row]:
    """Committed rows after `after`, in the order their transactions wrote them, none of which a
    transaction still running could precede."""
    return connection.execute(_NEXT, {"txid": after[0], "event_id": after[1], "limit": limit}).all()


def message_body(rows: Sequence[Row]) -> bytes:
    """The rows as one message, a turn per run of rows of one conversation and transaction."""
    turns = [f'{{"sender_id": {json.dumps(sender)}, "events": [{", ".join(row.data for row in run)}]}}'
             for (_, sender), run in groupby(rows, key=lambda row: (row.clinic_txid, row.sender_id))]
    return f'{{"turns": [{", ".join(turns)}]}}'.encode()


async def relay(settings: ClusterSettings, stop: asyncio.Event,
                ready: Optional[asyncio.Event] = None) -> None:
    """Publish committed events until `stop` is set, while holding the relay lock."""
    url = settings.tracker_url()
    ensure_database(url)
    while not (stop.is_set() or table_exists(url, "events")):  # Rasa creates it
        await pause(stop, STANDBY_S)
    if stop.is_set():
        return
    engine = create_engine(url, isolation_level="AUTOCOMMIT", future=True, pool_size=2)
    broker = await aio_pika.connect_robust(settings.rabbitmq_url)
    try:
        ensure_outbox(engine)
        channel = await broker.channel()  # publisher confirms
        await declare(channel, settings)  # the queue exists before anything is published
        exchange = await channel.get_exchange(settings.rabbitmq_exchange)
        with engine.connect() as lock:
            if ready:
                ready.set()
            while not (stop.is_set() or lock.execute(
                    text("SELECT pg_try_advisory_lock(:key)"), {"key": LOCK}).scalar()):
                await pause(stop, STANDBY_S)
            if not stop.is_set():
                logger.info("publishing %s's events to %s", url.database, settings.rabbitmq_exchange)
                with engine.connect() as connection:
                    await _publish_until(stop, connection, exchange)
    finally:
        await broker.close()
        engine.dispose()


async def _publish_until(stop: asyncio.Event, connection: Connection,
                         exchange: aio_pika.abc.AbstractExchange) -> None:
    """From the saved position on: publish each batch, then save where it ended."""
    at = position(connection)
    while not stop.is_set():
        rows = next_rows(connection, at)
        if rows:
            await asyncio.wait_for(exchange.publish(aio_pika.Message(
                message_body(rows), delivery_mode=aio_pika.DeliveryMode.PERSISTENT), ""),
                PUBLISH_TIMEOUT_S)
            at = rows[-1].clinic_txid, rows[-1].id
            save_position(connection, at)
        if len(rows) < BATCH:
            await pause(stop, RELAY_EVERY_S)


def main() -> None:
    run_until_stopped(relay)


if __name__ == "__main__":
    main()
