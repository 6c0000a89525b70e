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
