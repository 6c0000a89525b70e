"""ClinicSQLTrackerStore reads and writes the same rows as Rasa's SQLTrackerStore, on SQLite and on
the real PostgreSQL: the latest session only, every event once, in order."""
import asyncio
import secrets
from typing import Iterator

import pytest
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, SessionStarted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy.engine import make_url

from bot.cluster.postgres import drop_database, ensure_database
from bot.cluster.tracker_store import ClinicSQLTrackerStore

DOMAIN = Domain.from_dict({"slots": {"spasm_area": {"type": "text", "mappings": [{"type": "custom"}]}}})
PG = "postgresql://postgres@127.0.0.1:5432"


def session(start: float, text: str):
    return [ActionExecuted("action_session_start", timestamp=start), SessionStarted(timestamp=start),
            ActionExecuted("action_listen", timestamp=start), UserUttered(text, timestamp=start + 1),
            SlotSet("spasm_area", text, timestamp=start + 1), BotUttered(f"re: {text}", timestamp=start + 2),
            ActionExecuted("action_listen", timestamp=start + 2)]


@pytest.fixture(params=["sqlite", "postgresql"])
def stores(request, tmp_path) -> Iterator[tuple]:
    """(ours, Rasa's) on one database."""
    if request.param == "sqlite":
        kwargs = dict(dialect="sqlite", db=str(tmp_path / "events.db"))
    else:
        url = make_url(f"{PG}/clinic_store_{secrets.token_hex(4)}")
        ensure_database(url)
        kwargs = dict(dialect="postgresql", host="127.0.0.1", port=5432, db=url.database,
                      username="postgres")
    ours, rasa = ClinicSQLTrackerStore(DOMAIN, **kwargs), SQLTrackerStore(DOMAIN, **kwargs)
    yield ours, rasa
    for store in (ours, rasa):
        store.engine.dispose()
    if request.param == "postgresql":
        drop_database(url)


def events_of(tracker: DialogueStateTracker):
    return [event.as_dict() for event in tracker.events]


async def first_turns(store, sender: str, events) -> DialogueStateTracker:
    """A new conversation as Rasa's processor starts it, with `events`, saved."""
    tracker = await store.get_or_create_tracker(sender, append_action_listen=False)
    for event in events:
        tracker.update(event)
    await store.save(tracker)
    return tracker


def test_a_conversation_reads_back_as_rasa_reads_it_latest_session_only(stores):
    ours, rasa = stores

    async def run():
        await first_turns(ours, "c1", session(1000, "calf"))
        tracker = await ours.retrieve("c1")
        for event in session(5000, "back"):  # a second session: only this one is read back
            tracker.update(event)
        await ours.save(tracker)
        return await ours.retrieve("c1"), await rasa.retrieve("c1"), await rasa.retrieve_full_tracker("c1")

    mine, theirs, full = asyncio.run(run())
    assert events_of(mine) == events_of(theirs) == [e.as_dict() for e in session(5000, "back")]
    assert mine.get_slot("spasm_area") == "back"
    assert len(full.events) == 14  # every event stored exactly once


def test_a_conversation_without_a_session_start_reads_back_whole(stores):
    ours, rasa = stores
    events = session(1000, "calf")[2:]  # no action_session_start, no session_started

    async def run():
        await first_turns(ours, "c5", events)
        return await ours.retrieve("c5"), await rasa.retrieve("c5")

    mine, theirs = asyncio.run(run())
    assert events_of(mine) == events_of(theirs) == [e.as_dict() for e in events]


def test_a_new_conversation_is_not_written_before_its_first_turn(stores):
    ours, _ = stores

    async def run():
        await ours.get_or_create_tracker("c2", append_action_listen=False)  # as Rasa's processor does
        await ours.create_tracker("c3")  # with the opening action_listen
        return await ours.retrieve("c2"), await ours.retrieve("c3")

    assert asyncio.run(run()) == (None, None)


def test_a_tracker_it_did_not_load_adds_only_what_is_new(stores):
    ours, rasa = stores

    async def run():
        tracker = await first_turns(ours, "c4", session(1000, "calf"))
        replaced = DialogueStateTracker.from_dict("c4", events_of(tracker), DOMAIN.slots)  # e.g. over HTTP
        replaced.update(BotUttered("one more", timestamp=1003))
        await ours.save(replaced)
        return await rasa.retrieve("c4")

    stored = asyncio.run(run())
    assert [e.get("text") for e in events_of(stored)][-2:] == [None, "one more"]
    assert len(stored.events) == 8
