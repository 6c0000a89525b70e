"""Rasa's SQL tracker store for the production profile: commit, then publish the turn with a confirm.

Rasa 3.6's SQLTrackerStore.save() reads the whole conversation back from the database to find the
new events, counts the stored ones with another query, publishes each event as its own message in
the background (lost if the replica dies first), then writes them. This store knows how many events
it loaded, commits the new ones, then publishes them as one message per turn and waits for RabbitMQ's
confirm before the client is answered. A new conversation is first written with its first turn. A
turn whose replica died after the commit is published again, with the rest of the conversation,
when the client retries it (bot/channels/rest.py); the console's consumer keeps each event once.

A turn message is `{"sender_id": ..., "events": [event, ...]}` (events as Rasa serialises them, in
order); the consumer also reads Rasa's own one-event messages.
"""
import asyncio
import json
import logging
from typing import Any, Dict, Iterable, List, Optional, Text

from rasa.core.brokers.broker import EventBroker
from rasa.core.brokers.pika import PikaEventBroker
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.events import ActionExecuted, Event
from rasa.shared.core.trackers import DialogueStateTracker

logger = logging.getLogger(__name__)
PUBLISH_TIMEOUT_S = 5  # a broker outage delays no client longer (the consumer drops duplicates)
STORED = "_clinic_stored_events"  # attribute on a retrieved tracker: how many events are in the db


async def publish_events(broker: EventBroker, sender_id: str, events: Iterable[Event]) -> None:
    """Publish a turn's events; with RabbitMQ, as one persistent message, confirmed before returning."""
    serialised = [event.as_dict() for event in events]
    if not isinstance(broker, PikaEventBroker):
        for event in serialised:
            broker.publish({"sender_id": sender_id, **event})
        return
    body: Dict[str, Any] = {"sender_id": sender_id, "events": serialised}
    # Rasa's PikaEventBroker.publish() neither waits nor reports; this uses its connection and
    # message format, awaits the confirm, and leaves a failed message to Rasa's own re-publishing
    # of unpublished messages when the connection comes back.
    try:
        if broker._exchange is None:
            raise ConnectionError("not connected to RabbitMQ")
        await asyncio.wait_for(broker._exchange.publish(broker._message(body, None), ""),
                               PUBLISH_TIMEOUT_S)
    except Exception as error:  # noqa: BLE001 - the turn is stored; the broker catches up later
        logger.error("publishing %d events of a turn failed (%s); kept to publish on reconnect",
                     len(serialised), error)
        broker._unpublished_events.append(body)


def _only_opening_listen(tracker: DialogueStateTracker) -> bool:
    events = list(tracker.events)
    return (len(events) == 1 and isinstance(events[0], ActionExecuted)
            and events[0].action_name == ACTION_LISTEN_NAME)


class BrokeredSQLTrackerStore(SQLTrackerStore):
    async def retrieve(self, sender_id: Text) -> Optional[DialogueStateTracker]:
        tracker = await super().retrieve(sender_id)
        if tracker is not None:
            setattr(tracker, STORED, len(tracker.events))
        return tracker

    async def save(self, tracker: DialogueStateTracker) -> None:
        stored: Optional[int] = getattr(tracker, STORED, None)
        if stored is None and _only_opening_listen(tracker):
            # Rasa saves a new conversation's opening action_listen on its own; it is written with
            # the first turn instead, so that every turn is one commit and one published message.
            setattr(tracker, STORED, 0)
            return
        with self.session_scope() as session:
            new_events: List[Event] = (list(tracker.events)[stored:] if stored is not None
                                       else list(self._additional_events(session, tracker)))
            if new_events:  # one multi-row INSERT, not the ORM's unit of work
                session.execute(self.SQLEvent.__table__.insert(),
                                [self._row(tracker.sender_id, event) for event in new_events])
            session.commit()
        setattr(tracker, STORED, len(tracker.events))
        if self.event_broker is not None and new_events:
            await publish_events(self.event_broker, tracker.sender_id, new_events)

    @staticmethod
    def _row(sender_id: str, event: Event) -> Dict[str, Any]:
        """The `events` row of one event, as SQLTrackerStore writes it."""
        data = event.as_dict()
        return dict(
            sender_id=sender_id, type_name=event.type_name, timestamp=data.get("timestamp"),
            intent_name=data.get("parse_data", {}).get("intent", {}).get("name"),
            action_name=data.get("name"), data=json.dumps(data))
