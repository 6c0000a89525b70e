"""The call-back queue and undelivered alerts in the console (issue 17), over HTTP.

A clinic database written by Rasa's own tracker store holds a conversation that asked for a
call-back (the `callback_phone` slot, then action_request_callback, as the assistant stores them)
and one referred to 999. The alert watcher's own functions (bot/alerts/watcher.py) read them,
store the request and try the alerts, with a webhook that is refused for good (connection refused
on a closed port): the console then shows the number to call, lets staff mark it done, and lists
the failed alerts with their error. The transcript view keeps the number masked.
"""
import asyncio
import socket
import time
import uuid

import pytest
from rasa.shared.core.events import ActionExecuted, BotUttered, SessionStarted, SlotSet, UserUttered
from rasa.shared.core.slots import TextSlot
from rasa.shared.core.trackers import DialogueStateTracker
from review_seed import tracker_store
from review_support import Console, add_users, running_console, sqlite_url
from sqlalchemy import select

from bot.alerts import watcher
from bot.alerts.config import AlertSettings
from bot.review.database import connect
from bot.review.schema import access_log, alerts, callbacks, create_console_tables

NUMBER = "07700 900456"


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _conversation(sender: str, started: float, client: str, slots: dict, action: str, bot: str):
    t = started
    events = [ActionExecuted("action_session_start", timestamp=t), SessionStarted(timestamp=t),
              ActionExecuted("action_listen", timestamp=t),
              UserUttered(client, {"name": "request_callback", "confidence": 0.9}, timestamp=t + 1,
                          input_channel="rest", message_id=uuid.uuid4().hex)]
    events += [SlotSet(name, value, timestamp=t + 1.01) for name, value in slots.items()]
    events += [ActionExecuted(action, timestamp=t + 1.02), BotUttered(bot, timestamp=t + 1.03),
               ActionExecuted("action_listen", timestamp=t + 1.1)]
    slot_types = [TextSlot(name, mappings=[]) for name in ("callback_phone", "callback_consent",
                                                           "triage_level")]
    return DialogueStateTracker.from_events(sender, events, slot_types)


@pytest.fixture(scope="module")
def handoff(tmp_path_factory):
    """(console url, engine): the database with one call-back and one emergency, alerts tried."""
    folder = tmp_path_factory.mktemp("handoff")
    url = sqlite_url(folder / "tracker.db")
    store = tracker_store(url)
    now = time.time()
    asyncio.run(store.save(_conversation(
        "caller-1", now - 60, f"can someone call me back? my number is {NUMBER}",
        {"callback_phone": "07700900456", "callback_consent": "yes"}, "action_request_callback",
        "Someone will call you on the number ending •••• ••• 456 within 2 hours.")))
    asyncio.run(store.save(_conversation(
        "urgent-1", now - 30, "crushing chest pain", {"triage_level": "emergency_ambulance"},
        "utter_escalate_emergency_ambulance", "🚨 Call 999 now.")))
    add_users(url)
    engine = connect(url)
    create_console_tables(engine)
    settings = AlertSettings(webhook_url=f"http://127.0.0.1:{_closed_port()}/hook",
                             backoff_s=0.01, max_attempts=2)
    assert watcher.scan(engine, settings) == 2
    assert watcher.deliver(engine, settings) == 0  # refused: retried after the backoff
    time.sleep(0.05)
    assert watcher.deliver(engine, settings) == 0  # refused again: failed for good
    with running_console(url, folder / "console.log") as console:
        yield console, engine


def _signed_in(url: str, name: str = "sam") -> Console:
    client = Console(url)
    assert client.sign_in(name).status_code == 303
    return client


def test_the_queue_needs_a_signed_in_user(handoff):
    url, _ = handoff
    anonymous = Console(url)
    assert anonymous.get("/callbacks").status_code == 303
    assert anonymous.post("/callbacks/1/done", data={"csrf_token": "x"}).status_code == 401


def test_staff_see_the_number_to_call_and_mark_it_done(handoff):
    url, engine = handoff
    staff = _signed_in(url)
    page = staff.get("/callbacks")
    assert page.status_code == 200
    assert '<strong id="open-count">1</strong>' in page.text
    assert 'href="tel:07700900456"' in page.text  # the stored request: the number whole
    assert "within opening hours" in page.text or "after opening" in page.text
    with engine.connect() as connection:
        request_id = connection.execute(select(callbacks.c.id)).scalar_one()
    # a form without the session's CSRF token is refused
    assert staff.post(f"/callbacks/{request_id}/done", data={}).status_code == 403
    done = staff.post(f"/callbacks/{request_id}/done", data={"csrf_token": staff.csrf()})
    assert done.status_code == 303 and done.headers["Location"] == "/callbacks"
    page = staff.get("/callbacks").text
    assert '<strong id="open-count">0</strong>' in page and "No call-back waiting." in page
    assert "Done recently" in page and '<td data-label="Done by">sam</td>' in page
    assert "tel:07700900456" not in page  # a done request no longer shows the number
    with engine.connect() as connection:
        row = connection.execute(select(callbacks)).one()
        logged = connection.execute(select(access_log.c.action).where(
            access_log.c.action.in_(["callbacks", "callback_done"]))).scalars().all()
    assert row.done_by == "sam" and row.done_at is not None
    assert "callbacks" in logged and "callback_done" in logged


def test_failed_alerts_are_listed_with_their_error(handoff):
    url, engine = handoff
    page = _signed_in(url).get("/callbacks").text
    section = page[page.index('id="alerts-failed"'):]
    assert section.count('class="alert-failed"') == 2  # the call-back's and the emergency's
    assert "emergency" in section and "callback" in section and "ConnectionError" in section
    with engine.connect() as connection:
        states = connection.execute(select(alerts.c.state, alerts.c.attempts)).all()
    assert states == [("failed", 2), ("failed", 2)]


def test_the_transcript_keeps_the_number_masked(handoff):
    url, engine = handoff
    staff = _signed_in(url)
    listed = staff.get("/api/conversations").json()["conversations"]
    key = next(c["conversation"] for c in listed if c["first_message"].startswith("can someone"))
    page = staff.get(f"/conversations/{key}").text
    assert "can someone call me back" in page
    assert "900456" not in page.replace(" ", "")
