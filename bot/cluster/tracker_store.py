"""Rasa's SQL tracker store for the production profile: commit, then publish with the broker's confirm.

Rasa 3.6's SQLTrackerStore.save() reads the whole conversation back from the database to find the
events to publish, publishes them in the background (lost if the replica dies before they go out),
then writes them. This store finds the new events once, commits them, then publishes them in order
and waits for RabbitMQ to confirm each before the client is answered. A turn whose replica died after
the commit is published again when the client retries it (bot/channels/rest.py), and the console's
consumer ignores events it already holds.
"""
import asyncio
import json
from typing import Any, Iterable, List

from rasa.core.brokers.broker import EventBroker
from rasa.core.brokers.pika import PikaEventBroker
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import Event
from rasa.shared.core.trackers import DialogueStateTracker


async def publish_events(broker: EventBroker, sender_id: str, events: Iterable[Event]) -> None:
    """Publish `events` in order; with RabbitMQ, return once the broker has confirmed them all."""
    bodies = [{"sender_id": sender_id, **event.as_dict()} for event in events]
    if not isinstance(broker, PikaEventBroker):
        for body in bodies:
            broker.publish(body)
        return
    # PikaEventBroker.publish() does not wait; its _publish() awaits the confirm (channels confirm
    # by default). Tasks start in creation order, so the messages are sent in order.
    await asyncio.gather(*[asyncio.ensure_future(broker._publish(body)) for body in bodies])


class BrokeredSQLTrackerStore(SQLTrackerStore):
    async def save(self, tracker: DialogueStateTracker) -> None:
        with self.session_scope() as session:
            new_events: List[Event] = list(self._additional_events(session, tracker))
            for event in new_events:
                session.add(self._row(tracker.sender_id, event))
            session.commit()
        if self.event_broker is not None and new_events:
            await publish_events(self.event_broker, tracker.sender_id, new_events)

    def _row(self, sender_id: str, event: Event) -> Any:
        """The `events` row of one event, as SQLTrackerStore writes it."""
        data = event.as_dict()
        return self.SQLEvent(
            sender_id=sender_id, type_name=event.type_name, timestamp=data.get("timestamp"),
            intent_name=data.get("parse_data", {}).get("intent", {}).get("name"),
            action_name=data.get("name"), data=json.dumps(data))
