"""The relay on the real PostgreSQL and RabbitMQ: every committed event published once and in order,
none before an older transaction still open has ended, the position kept across restarts, one
relay publishing at a time."""
import asyncio
import json
from types import SimpleNamespace
from typing import Dict, Iterator, List, Tuple

import aio_pika
import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, SessionStarted, UserUttered
from sqlalchemy import create_engine, text

from bot.bench.cluster import remove_scratch, scratch_settings
from bot.cluster import relay as relay_module
from bot.cluster.consumer import declare
from bot.cluster.postgres import ensure_database
from bot.cluster.relay import message_body, relay
from bot.cluster.tracker_store import ClinicSQLTrackerStore


@pytest.fixture
def settings() -> Iterator:
    settings = scratch_settings("clinic_relay_test")
    ensure_database(settings.tracker_url())
    yield settings
    remove_scratch(settings)


def _store(settings) -> ClinicSQLTrackerStore:
    url = settings.tracker_url()
    return ClinicSQLTrackerStore(Domain.empty(), dialect="postgresql", host=url.host, port=url.port,
                                 db=url.database, username=url.username)


async def _say(store: ClinicSQLTrackerStore, sender: str, texts: List[str]) -> None:
    """One turn per text, saved the way Rasa saves it (a new conversation starts a session)."""
    tracker = await store.retrieve(sender) or await store.create_tracker(sender)
    if not tracker.events or len(tracker.events) == 1:
        for event in (ActionExecuted("action_session_start"), SessionStarted(),
                      ActionExecuted("action_listen")):
            tracker.update(event)
        await store.save(tracker)
    for said in texts:
        tracker = await store.retrieve(sender)
        tracker.update(UserUttered(said))
        tracker.update(BotUttered(f"answer to {said}"))
        tracker.update(ActionExecuted("action_listen"))
        await store.save(tracker)


class Queue:
    """The deployment's queue, read directly (no consumer): the turns published, in order."""

    def __init__(self, settings) -> None:
        self.settings = settings
        self.turns: List[Tuple[str, List[dict]]] = []

    async def __aenter__(self) -> "Queue":
        self.connection = await aio_pika.connect(self.settings.rabbitmq_url)
        self.queue = await declare(await self.connection.channel(), self.settings)
        return self

    async def __aexit__(self, *_) -> None:
        await self.connection.close()

    async def drain(self, wait_s: float = 1.0) -> List[Tuple[str, List[dict]]]:
        """What arrived within `wait_s` (after the relay's pause), added to self.turns."""
        await asyncio.sleep(wait_s)
        new = []
        while (message := await self.queue.get(fail=False)) is not None:
            await message.ack()
            new += [(turn["sender_id"], turn["events"]) for turn in json.loads(message.body)["turns"]]
        self.turns += new
        return new


def _texts(turns) -> Dict[str, List[str]]:
    said: Dict[str, List[str]] = {}
    for sender, events in turns:
        said.setdefault(sender, []).extend(e["text"] for e in events if e["event"] == "user")
    return said


async def _running(settings):
    stop, ready = asyncio.Event(), asyncio.Event()
    task = asyncio.create_task(relay(settings, stop, ready))
    await asyncio.wait_for(ready.wait(), 30)
    return stop, task


def test_every_committed_event_is_published_once_in_order_and_the_position_survives(settings):
    async def scenario():
        store = _store(settings)
        await _say(store, "a", ["a1"])  # before the relay: the table exists, without the column
        async with Queue(settings) as queue:
            stop, task = await _running(settings)
            await asyncio.gather(_say(store, "a", ["a2", "a3"]), _say(store, "b", ["b1", "b2"]))
            await queue.drain()
            stop.set()
            await task
            assert await queue.drain() == []
            await _say(store, "b", ["b3"])  # while no relay runs
            stop, task = await _running(settings)
            await queue.drain()
            stop.set()
            await task
        with store.engine.connect() as db:
            stored = db.execute(text("SELECT sender_id, data FROM events ORDER BY id")).all()
        return queue.turns, stored

    turns, stored = asyncio.run(scenario())
    assert _texts(turns) == {"a": ["a1", "a2", "a3"], "b": ["b1", "b2", "b3"]}
    published = [(sender, json.dumps(event, sort_keys=True)) for sender, events in turns
                 for event in events]
    assert sorted(published) == sorted((s, json.dumps(json.loads(d), sort_keys=True)) for s, d in stored)
    assert len(published) == len(set(published))  # none twice, restart included


def test_a_transaction_still_open_holds_back_the_ones_after_it(settings):
    async def scenario():
        store = _store(settings)
        await _say(store, "early", ["e1"])
        engine = create_engine(settings.tracker_url(), future=True)
        async with Queue(settings) as queue:
            stop, task = await _running(settings)
            await queue.drain()
            with engine.connect() as slow:
                slow.execute(text("INSERT INTO events (sender_id, type_name, timestamp, data) "
                                  "VALUES ('slow', 'user', 1, :data)"),
                             {"data": json.dumps({"event": "user", "text": "s1", "timestamp": 1})})
                await _say(store, "fast", ["f1"])  # committed while the older one is open
                held_back = await queue.drain()
                slow.commit()
            released = await queue.drain()
            stop.set()
            await task
        engine.dispose()
        return held_back, released

    held_back, released = asyncio.run(scenario())
    assert held_back == []
    assert [sender for sender, _ in released] == ["slow", "fast", "fast"]  # in transaction order
    assert _texts(released) == {"slow": ["s1"], "fast": ["f1"]}


def test_one_relay_publishes_at_a_time_and_another_takes_over(settings, monkeypatch):
    monkeypatch.setattr(relay_module, "STANDBY_S", 0.2)

    async def scenario():
        store = _store(settings)
        await _say(store, "c", ["c0"])
        async with Queue(settings) as queue:
            first, first_task = await _running(settings)
            second, second_task = await _running(settings)
            await _say(store, "c", ["c1", "c2"])
            await queue.drain()
            first.set()
            await first_task
            await _say(store, "c", ["c3"])
            await queue.drain()
            second.set()
            await second_task
        return queue.turns

    turns = asyncio.run(scenario())
    assert _texts(turns) == {"c": ["c0", "c1", "c2", "c3"]}


def test_a_message_groups_rows_into_turns_by_conversation_and_transaction():
    rows = [SimpleNamespace(clinic_txid=7, sender_id="a", data='{"event": "user", "text": "x"}'),
            SimpleNamespace(clinic_txid=7, sender_id="a", data='{"event": "bot", "text": "y"}'),
            SimpleNamespace(clinic_txid=8, sender_id="b", data='{"event": "user", "text": "z"}'),
            SimpleNamespace(clinic_txid=9, sender_id="a", data='{"event": "user", "text": "w"}')]
    body = json.loads(message_body(rows))
    assert body == {"turns": [
        {"sender_id": "a", "events": [{"event": "user", "text": "x"}, {"event": "bot", "text": "y"}]},
        {"sender_id": "b", "events": [{"event": "user", "text": "z"}]},
        {"sender_id": "a", "events": [{"event": "user", "text": "w"}]}]}
