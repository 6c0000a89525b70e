"""A turn's events when RabbitMQ is unreachable or stalls: the client is answered anyway, and the
message waits in Rasa's queue of unpublished messages (re-published on reconnect)."""
import asyncio
import time

from rasa.core.brokers.pika import PikaEventBroker
from rasa.shared.core.events import BotUttered, UserUttered

from bot.cluster import tracker_store

TURN = [UserUttered("hi", timestamp=time.time()), BotUttered("Hello!", timestamp=time.time())]


def broker() -> PikaEventBroker:
    return PikaEventBroker(host="127.0.0.1", username="guest", password="guest", queues=["unused"])


def test_not_connected_keeps_the_turn_for_later():
    async def publish():
        pika = broker()
        await tracker_store.publish_events(pika, "c1", TURN)
        return pika

    pika = asyncio.run(publish())
    assert list(pika._unpublished_events) == [
        {"sender_id": "c1", "events": [event.as_dict() for event in TURN]}]


def test_a_stalled_broker_delays_the_turn_at_most_the_timeout(monkeypatch):
    class Stalled:
        async def publish(self, *_):
            await asyncio.sleep(60)

    async def publish():
        pika = broker()
        pika._exchange = Stalled()
        await tracker_store.publish_events(pika, "c1", TURN)
        return pika

    monkeypatch.setattr(tracker_store, "PUBLISH_TIMEOUT_S", 0.2)
    started = time.monotonic()
    pika = asyncio.run(publish())
    assert time.monotonic() - started < 2
    assert len(pika._unpublished_events) == 1


class Collecting:
    """Stands in for a broker: keeps what is published."""

    def __init__(self) -> None:
        self.published = []

    def publish(self, event) -> None:
        self.published.append(event)


def test_a_new_conversation_is_written_and_published_with_its_first_turn(tmp_path):
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.events import ActionExecuted, SessionStarted

    from bot.cluster.tracker_store import BrokeredSQLTrackerStore

    broker = Collecting()
    store = BrokeredSQLTrackerStore(Domain.empty(), dialect="sqlite", db=str(tmp_path / "t.db"),
                                    event_broker=broker)

    async def first_turn():
        tracker = await store.create_tracker("c1")  # Rasa would commit and publish action_listen
        assert await store.retrieve("c1") is None and broker.published == []
        for event in [ActionExecuted("action_session_start"), SessionStarted(),
                      ActionExecuted("action_listen"), *TURN]:
            tracker.update(event)
        await store.save(tracker)
        return await store.retrieve_full_tracker("c1")

    stored = asyncio.run(first_turn())
    names = [e["event"] for e in broker.published]
    assert names == ["action", "action", "session_started", "action", "user", "bot"]
    assert len(stored.events) == 6


def test_a_retried_turn_republishes_the_whole_conversation():
    from types import SimpleNamespace

    from rasa.shared.core.events import ActionExecuted, SessionStarted
    from rasa.shared.core.trackers import DialogueStateTracker

    from bot.channels.rest import CLIENT_ID_KEY, replay_if_stored

    events = [ActionExecuted("action_session_start"), SessionStarted(), ActionExecuted("action_listen"),
              UserUttered("hi", metadata={CLIENT_ID_KEY: "m1"}), BotUttered("Hello!")]
    tracker = DialogueStateTracker.from_events("c1", events)
    broker = Collecting()

    class Store:
        event_broker = broker

        async def retrieve(self, _):
            return tracker

        async def retrieve_full_tracker(self, _):
            return tracker

    request = SimpleNamespace(app=SimpleNamespace(ctx=SimpleNamespace(
        agent=SimpleNamespace(tracker_store=Store()))))
    reply = asyncio.run(replay_if_stored(request, "c1", "m1"))
    assert b"Hello!" in reply.body
    assert [e["event"] for e in broker.published] == ["action", "session_started", "action", "user",
                                                      "bot"]
    assert asyncio.run(replay_if_stored(request, "c1", "m2")) is None  # not stored: run it
