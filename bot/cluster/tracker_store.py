"""Rasa's SQL tracker store for the production profile: a turn is one SELECT and one INSERT.

Rasa 3.6's SQLTrackerStore.save() reads the whole conversation back from the database to find the
new events, counts the stored ones with another query, then writes them through the ORM (and
publishes each event to the broker in the background, lost if the replica dies first). This store
knows how many events it loaded and writes the new ones with one multi-row INSERT; a new
conversation is first written with its first turn. Reading a conversation is one SQL statement,
prepared once per connection on PostgreSQL (the same rows as Rasa's ORM query: the latest session),
not an ORM query built and planned for every turn. The replicas publish nothing: the relay
(bot/cluster/relay.py) publishes what they commit.

A restart of PostgreSQL does not fail a turn: a read or a write that finds the database
unreachable is tried again for up to STORE_WAIT_S. A failure that outlasts it is noted for the
channel (bot/cluster/store_failures.py), which Rasa's FailSafeTrackerStore would otherwise hide, and
a conversation that could not be read is not saved over: Rasa goes on with an empty one, whose
events would be written after the stored ones as if they continued them.
"""
import asyncio
import json
import time
from typing import Any, Callable, Dict, List, Optional, Text, TypeVar

from rasa.core.tracker_store import SQLTrackerStore, create_engine_kwargs
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.events import ActionExecuted, Event, SessionStarted
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Connection
from sqlalchemy.exc import InterfaceError, OperationalError

from bot.cluster import store_failures

ONE_STATEMENT_ROWS = 1000  # psycopg2's execute_values page: more rows take several INSERTs
STORED = "_clinic_stored_events"  # attribute on a retrieved tracker: how many events are in the db
STORE_WAIT_S = 2.0  # a fast restart of PostgreSQL takes well under a second
RETRY_S = 0.1
UNREACHABLE = (OperationalError, InterfaceError)  # connection refused, closed, shutting down
T = TypeVar("T")


class NotRead(RuntimeError):
    """A turn of a conversation that could not be read: saving it would write over the stored one."""


def _new_conversation(tracker: DialogueStateTracker) -> bool:
    """Nothing but what Rasa gives a conversation it has just created (at most an action_listen)."""
    events = list(tracker.events)
    return not events or (len(events) == 1 and isinstance(events[0], ActionExecuted)
                          and events[0].action_name == ACTION_LISTEN_NAME)


# A conversation's events from its latest session_started on (all of them if it has none), in order:
# the rows of Rasa's SQLTrackerStore._event_query, as one statement. On PostgreSQL it is prepared
# once per connection: planning it cost PostgreSQL more than running it (0.26 against 0.09 ms).
_LATEST_SESSION = f"""SELECT e.data FROM events e
CROSS JOIN (SELECT max(timestamp) AS started FROM events
            WHERE sender_id = {{sender}} AND type_name = '{SessionStarted.type_name}') AS s
WHERE e.sender_id = {{sender}} AND (s.started IS NULL OR e.timestamp >= s.started)
ORDER BY e.id"""
_PREPARED = "clinic_latest_session"
_LATEST_SESSION_QUERY = text(_LATEST_SESSION.format(sender=":sender_id"))  # other databases


class ClinicSQLTrackerStore(SQLTrackerStore):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # A read is one SELECT and a turn one multi-row INSERT (atomic on its own): on connections
        # without a transaction around them, each is one round trip instead of BEGIN, statement,
        # COMMIT or ROLLBACK.
        self._statements = create_engine(self.engine.url, isolation_level="AUTOCOMMIT",
                                         **create_engine_kwargs(self.engine.url))

    async def _patiently(self, work: Callable[[], T]) -> T:
        """work(), again while the database is unreachable, for up to STORE_WAIT_S."""
        deadline = time.monotonic() + STORE_WAIT_S
        while True:
            try:
                return work()
            except UNREACHABLE:
                if time.monotonic() >= deadline:
                    raise
                await asyncio.sleep(RETRY_S)

    def _read(self, sender_id: Text) -> List[str]:
        with self._statements.connect() as connection:
            return self._latest_session(connection, sender_id)

    async def retrieve(self, sender_id: Text) -> Optional[DialogueStateTracker]:
        try:
            rows = await self._patiently(lambda: self._read(sender_id))
        except Exception as error:
            store_failures.note(error)  # Rasa's FailSafeTrackerStore goes on with no conversation
            raise
        store_failures.clear()
        if not rows or not self.domain:
            return None
        tracker = DialogueStateTracker.from_dict(sender_id, [json.loads(row) for row in rows],
                                                 self.domain.slots)
        setattr(tracker, STORED, len(tracker.events))
        return tracker

    def _latest_session(self, connection: Connection, sender_id: Text) -> List[str]:
        if connection.dialect.name != "postgresql":
            return connection.execute(_LATEST_SESSION_QUERY, {"sender_id": sender_id}).scalars().all()
        if not connection.info.get(_PREPARED):  # info lives as long as the database connection
            connection.exec_driver_sql(
                f"PREPARE {_PREPARED}(text) AS {_LATEST_SESSION.format(sender='$1')}")
            connection.info[_PREPARED] = True
        return connection.exec_driver_sql(f"EXECUTE {_PREPARED}(%(sender_id)s)",
                                          {"sender_id": sender_id}).scalars().all()

    async def save(self, tracker: DialogueStateTracker) -> None:
        if store_failures.failure():
            raise NotRead(f"conversation {tracker.sender_id} could not be read in this request; "
                          f"its turn is not saved ({store_failures.failure()})")
        try:
            await self._save(tracker)
        except Exception as error:
            store_failures.note(error)  # Rasa's FailSafeTrackerStore keeps the turn in memory only
            raise

    async def _save(self, tracker: DialogueStateTracker) -> None:
        stored: Optional[int] = getattr(tracker, STORED, None)
        if stored is None and _new_conversation(tracker):
            # Rasa saves a conversation it has just created (with or without its opening
            # action_listen) on its own; it is written with the first turn instead, so that every
            # turn is one commit.
            setattr(tracker, STORED, 0)
            return
        if stored is None:  # a tracker this store did not load (e.g. replaced over the HTTP API)
            with self.session_scope() as session:
                new_events: List[Event] = list(self._additional_events(session, tracker))
        else:
            new_events = list(tracker.events)[stored:]
        rows = [self._row(tracker.sender_id, event) for event in new_events]
        if rows:  # one multi-row INSERT (psycopg2 pages of 1,000 rows), not the ORM's unit of work
            engine = self._statements if len(rows) <= ONE_STATEMENT_ROWS else self.engine
            await self._patiently(lambda: self._insert(engine, rows))
        setattr(tracker, STORED, len(tracker.events))

    def _insert(self, engine: Any, rows: List[Dict[str, Any]]) -> None:
        with engine.begin() as connection:
            connection.execute(self.SQLEvent.__table__.insert(), rows)

    @staticmethod
    def _row(sender_id: str, event: Event) -> Dict[str, Any]:
        """The `events` row of one event, as SQLTrackerStore writes it."""
        data = event.as_dict()
        return dict(
            sender_id=sender_id, type_name=event.type_name, timestamp=data.get("timestamp"),
            intent_name=data.get("parse_data", {}).get("intent", {}).get("name"),
            action_name=data.get("name"), data=json.dumps(data))
