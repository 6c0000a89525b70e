"""The outbox: what the assistant sends to a messaging platform, kept until the platform took it.

Calling a platform's API inside a Rasa turn tied the conversation to that API: with Twilio's API
unreachable the send raised, the turn was aborted before the tracker store saved it, and the
webhook still answered 204, so Twilio never retried and the client's message was lost (Messenger
answered 500 and stored nothing either). Now a turn's replies are written here, in the same
transaction that marks the client's message accepted, once the turn is stored
(bot/channels/inbound.py); a worker in each server process sends them (bot/channels/delivery.py).

Two tables, created on first use:

- `clinic_outbox`: one row per platform request (a message, or a Messenger sender action), with the
  platform's conversation (phone number, page-scoped id) as written to the API, the time the bot
  produced it, the request as JSON, the attempts made and when the next one is due. A row is
  deleted once the platform accepted it (no copy of what was said stays here: the tracker has it);
  a row that failed for good stays, state `failed`, for staff (`python -m bot.channels.outbox`)
  for OUTBOX_KEEP_HOURS.
- `clinic_inbound`: the platform's id of every client message accepted (Twilio MessageSid,
  Messenger mid), so a platform's retry of a message already accepted is answered without running
  the turn again. A message being handled holds its id with a short lease, so a retry arriving
  meanwhile is told to come back later instead of running a second turn.

Where the tables live:

- default profile (one Rasa process): a SQLite file, OUTBOX_DB (default var/outbox.db).
- production profile (bot/cluster/, several replicas): PostgreSQL, OUTBOX_DB_URL, which the
  cluster sets to the tracker store's database. Not a RabbitMQ queue: what the outbox has to
  guarantee is a database's job. The message id has to be unique across replicas (a unique key),
  and a turn's replies have to become sendable in the same commit that records its message as
  accepted (a broker cannot share a transaction with it). Messages of one conversation must go out
  in order while an earlier one waits for a retry, which a queue can only do by blocking everything
  behind it or by re-queueing out of order; here a row is sent only when no earlier row of its
  conversation is pending, and a retry is just a later `next_attempt_at`. Replicas take rows with
  SELECT ... FOR UPDATE SKIP LOCKED and a conditional UPDATE that leases them, so one replica sends
  each row; a replica that dies holding one lets it go when the lease expires and another sends it
  (that request may then reach the platform twice: the only case where a message is sent twice).
"""
import json
import os
import secrets
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, Iterable, List, Mapping, Optional, Sequence

from sqlalchemy import (
    Column,
    Float,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    and_,
    create_engine,
    delete,
    event,
    exists,
    func,
    or_,
    select,
    text,
    update,
)
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import URL, Engine, make_url

from bot.paths import ROOT

DEFAULT_SQLITE = ROOT / "var" / "outbox.db"
PENDING, FAILED = "pending", "failed"
RUNNING, ACCEPTED = "running", "accepted"
NEW, DUPLICATE, BUSY = "new", "duplicate", "busy"  # what claim_inbound() finds
SCHEMA_LOCK = 7_305_101  # PostgreSQL advisory lock: one replica creates the tables

METADATA = MetaData()
outbox_table = Table(
    "clinic_outbox", METADATA,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("channel", String(64), nullable=False),
    Column("conversation", String(255), nullable=False),
    Column("made_at", Float, nullable=False),  # when the bot said it: the order in a conversation
    Column("payload", Text, nullable=False),
    Column("state", String(16), nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("next_attempt_at", Float, nullable=False),
    Column("lease", String(32)),
    Column("lease_until", Float),
    Column("last_error", Text),
    Index("clinic_outbox_due", "state", "next_attempt_at"),
    Index("clinic_outbox_conversation", "channel", "conversation", "state", "made_at"),
)
inbound_table = Table(
    "clinic_inbound", METADATA,
    Column("channel", String(64), primary_key=True),
    Column("message_id", String(255), primary_key=True),
    Column("state", String(16), nullable=False),
    Column("lease_until", Float),
    Column("at", Float, nullable=False),
)


@dataclass(frozen=True)
class OutboxSettings:
    url: URL
    max_attempts: int = 12  # with the backoff below: the last attempt ~37 minutes after the first
    backoff_s: float = 2.0  # wait after the first failed attempt, doubled after each one
    backoff_max_s: float = 600.0
    keep_hours: float = 168.0  # failed rows and accepted message ids

    @classmethod
    def from_env(cls, env: Optional[Mapping[str, str]] = None) -> "OutboxSettings":
        env = os.environ if env is None else env
        url = (make_url(env["OUTBOX_DB_URL"]) if env.get("OUTBOX_DB_URL")
               else URL.create("sqlite", database=env.get("OUTBOX_DB") or str(DEFAULT_SQLITE)))
        return cls(url=url,
                   max_attempts=max(1, int(env.get("OUTBOX_MAX_ATTEMPTS") or cls.max_attempts)),
                   backoff_s=float(env.get("OUTBOX_BACKOFF_S") or cls.backoff_s),
                   backoff_max_s=float(env.get("OUTBOX_BACKOFF_MAX_S") or cls.backoff_max_s),
                   keep_hours=float(env.get("OUTBOX_KEEP_HOURS") or cls.keep_hours))

    def backoff(self, attempts: int) -> float:
        """Seconds to wait after `attempts` failed attempts."""
        return min(self.backoff_max_s, self.backoff_s * 2 ** max(0, attempts - 1))


@dataclass(frozen=True)
class Item:
    """One request for a platform: the conversation it belongs to and what to send."""
    conversation: str
    payload: Dict[str, Any]
    made_at: float


@dataclass(frozen=True)
class Taken:
    """A row this process holds the lease of and is sending."""
    id: int
    channel: str
    conversation: str
    payload: Dict[str, Any]
    attempts: int  # including this one
    lease: str


def _engine(url: URL) -> Engine:
    if url.get_backend_name() != "sqlite":
        return create_engine(url, future=True, pool_pre_ping=True, pool_size=2, max_overflow=4)
    if url.database:
        Path(url.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, future=True, connect_args={"timeout": 30})

    @event.listens_for(engine, "connect")
    def _wal(connection: Any, _: Any) -> None:
        # the worker reads while a webhook commits (and several Sanic workers may share the file)
        connection.execute("PRAGMA journal_mode=WAL")

    return engine


class Outbox:
    """The two tables on one database. Every method is a short blocking call: from async code, run
    it in a thread (bot/channels/delivery.py)."""

    def __init__(self, settings: OutboxSettings) -> None:
        self.settings = settings
        self.engine = _engine(settings.url)
        self._insert = (postgresql_insert if self.engine.dialect.name == "postgresql"
                        else sqlite_insert)
        self._schema_lock = threading.Lock()
        self._schema_ready = False

    def ensure_schema(self) -> None:
        """The tables, created by whichever process gets here first."""
        with self._schema_lock:
            if self._schema_ready:
                return
            with self.engine.begin() as connection:
                if self.engine.dialect.name == "postgresql":
                    connection.execute(text("SELECT pg_advisory_xact_lock(:key)"),
                                       {"key": SCHEMA_LOCK})
                METADATA.create_all(connection)
            self._schema_ready = True

    # --- client messages --------------------------------------------------------------------

    def claim_inbound(self, channel: str, message_id: str, lease_s: float) -> str:
        """NEW: this process handles the message now (a claim held `lease_s` seconds); DUPLICATE:
        it was accepted before; BUSY: another request is handling it right now."""
        self.ensure_schema()
        now = time.time()
        key = and_(inbound_table.c.channel == channel, inbound_table.c.message_id == message_id)
        with self.engine.begin() as connection:
            inserted = connection.execute(self._insert(inbound_table).values(
                channel=channel, message_id=message_id, state=RUNNING, lease_until=now + lease_s,
                at=now).on_conflict_do_nothing())
            if inserted.rowcount == 1:
                return NEW
            taken_over = connection.execute(update(inbound_table).where(
                key, inbound_table.c.state == RUNNING, inbound_table.c.lease_until < now
            ).values(lease_until=now + lease_s, at=now))  # whoever held it died
            if taken_over.rowcount == 1:
                return NEW
            state = connection.execute(select(inbound_table.c.state).where(key)).scalar()
        return DUPLICATE if state == ACCEPTED else BUSY

    def release_inbound(self, channel: str, message_id: str) -> None:
        """The message was not accepted: the platform's retry may run it."""
        self.ensure_schema()
        with self.engine.begin() as connection:
            connection.execute(delete(inbound_table).where(
                inbound_table.c.channel == channel, inbound_table.c.message_id == message_id,
                inbound_table.c.state == RUNNING))

    def accept(self, channel: str, message_id: Optional[str], items: Sequence[Item]) -> None:
        """In one transaction: the message is accepted and its replies are to be sent."""
        self.ensure_schema()
        with self.engine.begin() as connection:
            self._add(connection, channel, items)
            if message_id is not None:
                connection.execute(update(inbound_table).where(
                    inbound_table.c.channel == channel, inbound_table.c.message_id == message_id
                ).values(state=ACCEPTED, lease_until=None))

    def enqueue(self, channel: str, items: Sequence[Item]) -> None:
        """Replies that belong to no client message (sent through Rasa's HTTP API)."""
        self.ensure_schema()
        with self.engine.begin() as connection:
            self._add(connection, channel, items)

    @staticmethod
    def _add(connection: Any, channel: str, items: Sequence[Item]) -> None:
        if items:
            connection.execute(outbox_table.insert(), [dict(
                channel=channel, conversation=item.conversation, made_at=item.made_at,
                payload=json.dumps(item.payload), state=PENDING, attempts=0,
                next_attempt_at=item.made_at) for item in items])

    # --- delivery ---------------------------------------------------------------------------

    def take(self, channels: Iterable[str], limit: int, lease_s: float) -> List[Taken]:
        """Lease up to `limit` rows that are due, each the earliest pending one of its conversation
        (a later message waits while an earlier one is retried), counting the attempt."""
        self.ensure_schema()
        channels = list(channels)
        if not channels:
            return []
        now = time.time()
        o, earlier = outbox_table, outbox_table.alias("earlier")
        waits = exists().where(
            earlier.c.channel == o.c.channel, earlier.c.conversation == o.c.conversation,
            earlier.c.state == PENDING,
            or_(earlier.c.made_at < o.c.made_at,
                and_(earlier.c.made_at == o.c.made_at, earlier.c.id < o.c.id)))
        due = select(o.c.id, o.c.channel, o.c.conversation, o.c.payload, o.c.attempts).where(
            o.c.state == PENDING, o.c.channel.in_(channels), o.c.next_attempt_at <= now,
            or_(o.c.lease_until.is_(None), o.c.lease_until < now), ~waits
        ).order_by(o.c.next_attempt_at, o.c.id).limit(limit)
        if self.engine.dialect.name == "postgresql":  # replicas take different rows at once
            due = due.with_for_update(of=o, skip_locked=True)
        taken: List[Taken] = []
        with self.engine.begin() as connection:
            for row in connection.execute(due).all():
                lease = secrets.token_hex(8)
                claimed = connection.execute(update(o).where(
                    o.c.id == row.id, o.c.state == PENDING,
                    or_(o.c.lease_until.is_(None), o.c.lease_until < now)
                ).values(lease=lease, lease_until=now + lease_s, attempts=o.c.attempts + 1))
                if claimed.rowcount == 1:
                    taken.append(Taken(row.id, row.channel, row.conversation,
                                       json.loads(row.payload), row.attempts + 1, lease))
        return taken

    def delivered(self, taken: Taken) -> None:
        with self.engine.begin() as connection:
            connection.execute(delete(outbox_table).where(
                outbox_table.c.id == taken.id, outbox_table.c.lease == taken.lease))

    def retry_later(self, taken: Taken, error: str) -> float:
        """The attempt failed: the row is due again after the backoff; when that is."""
        at = time.time() + self.settings.backoff(taken.attempts)
        self._release(taken, next_attempt_at=at, last_error=error[:2000])
        return at

    def failed(self, taken: Taken, error: str) -> None:
        """No more attempts: the row stays, for staff, and no longer holds its conversation back."""
        self._release(taken, state=FAILED, last_error=error[:2000])

    def _release(self, taken: Taken, **values: Any) -> None:
        with self.engine.begin() as connection:
            connection.execute(update(outbox_table).where(
                outbox_table.c.id == taken.id, outbox_table.c.lease == taken.lease
            ).values(lease=None, lease_until=None, **values))

    def prune(self) -> None:
        """Forget accepted message ids and failed rows older than OUTBOX_KEEP_HOURS."""
        self.ensure_schema()
        before = time.time() - self.settings.keep_hours * 3600
        with self.engine.begin() as connection:
            connection.execute(delete(inbound_table).where(inbound_table.c.at < before,
                                                           inbound_table.c.state == ACCEPTED))
            connection.execute(delete(outbox_table).where(outbox_table.c.state == FAILED,
                                                          outbox_table.c.made_at < before))

    # --- for staff ----------------------------------------------------------------------------

    def counts(self) -> Dict[str, int]:
        self.ensure_schema()
        with self.engine.connect() as connection:
            rows = connection.execute(select(outbox_table.c.state, func.count())
                                      .group_by(outbox_table.c.state)).all()
        return {state: count for state, count in rows}

    def rows(self, state: Optional[str] = None) -> List[Dict[str, Any]]:
        self.ensure_schema()
        query = select(outbox_table).order_by(outbox_table.c.id)
        if state:
            query = query.where(outbox_table.c.state == state)
        with self.engine.connect() as connection:
            return [dict(row._mapping) for row in connection.execute(query)]


_shared: Dict[OutboxSettings, Outbox] = {}
_shared_lock = threading.Lock()


def shared_outbox(settings: Optional[OutboxSettings] = None) -> Outbox:
    """One Outbox (one connection pool) per database in this process, whichever channel asks."""
    settings = settings or OutboxSettings.from_env()
    with _shared_lock:
        if settings not in _shared:
            _shared[settings] = Outbox(settings)
        return _shared[settings]


class UsesOutbox:
    """For a platform channel: its outbox, read from the environment at first use (not at import,
    so that a channel built for a test or a profile sees that profile's settings)."""

    _outbox: Optional[Outbox] = None

    @property
    def outbox(self) -> Outbox:
        if self._outbox is None:
            self._outbox = shared_outbox()
        return self._outbox


def main(argv: List[str]) -> int:
    """`python -m bot.channels.outbox [failed|pending]`: counts, and the rows in that state."""
    outbox = Outbox(OutboxSettings.from_env())
    print(json.dumps(outbox.counts()))
    for row in outbox.rows(argv[0]) if argv else []:
        made = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(row["made_at"]))
        print(f"{row['id']}\t{row['channel']}\t{row['conversation']}\t{made}\t"
              f"{row['attempts']} attempt(s)\t{row['last_error'] or ''}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
