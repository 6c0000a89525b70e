"""The alert watcher (bot/alerts/watcher.py) on SQLite and on the PostgreSQL server of
127.0.0.1:5432, against a real local SMTP server and webhook receiver (tests/e2e/alert_sinks.py):
each referral or consented call-back is alerted once per way even when read twice or by two
watchers, a refused delivery is retried until it gets through, one that keeps failing is marked
failed, and a first start does not alert on old history."""
import asyncio
import time
import uuid

import pytest
from rasa.shared.core.events import ActionExecuted, SessionStarted, SlotSet, UserUttered
from rasa.shared.core.slots import TextSlot
from rasa.shared.core.trackers import DialogueStateTracker
from review_seed import tracker_store
from review_support import postgres_database, sqlite_url
from sqlalchemy import select

from bot.alerts import watcher
from bot.alerts.config import AlertSettings
from bot.review.database import connect
from bot.review.schema import alerts, callbacks, create_console_tables
from tests.e2e.alert_sinks import SmtpSink, WebhookReceiver

SLOTS = [TextSlot(name, mappings=[]) for name in ("callback_phone", "callback_consent")]


def _save(url: str, sender: str, at: float, action: str, slots=None) -> None:
    events = [ActionExecuted("action_session_start", timestamp=at), SessionStarted(timestamp=at),
              ActionExecuted("action_listen", timestamp=at),
              UserUttered("hello", {"name": "inform", "confidence": 1.0}, timestamp=at,
                          message_id=uuid.uuid4().hex)]
    events += [SlotSet(k, v, timestamp=at) for k, v in (slots or {}).items()]
    events.append(ActionExecuted(action, timestamp=at + 0.01))
    asyncio.run(tracker_store(url).save(DialogueStateTracker.from_events(sender, events, SLOTS)))


@pytest.fixture(params=["sqlite", "postgres"])
def database(request, tmp_path):
    if request.param == "sqlite":
        yield sqlite_url(tmp_path / "tracker.db")
    else:
        with postgres_database("clinic_test_alerts") as url:
            yield url


def test_alerts_once_retried_and_only_for_new_turns(database):
    now = time.time()
    _save(database, "old-emergency", now - 3600, "utter_escalate_emergency_ambulance")
    engine = connect(database)
    create_console_tables(engine)
    with SmtpSink(fail_first=1) as smtp, WebhookReceiver() as webhook:
        settings = AlertSettings(console_url="https://console.example", smtp_host="127.0.0.1",
                                 smtp_port=smtp.port, smtp_starttls=False,
                                 email_to=("duty@clinic.example",), webhook_url=webhook.url,
                                 backoff_s=0.01)
        assert watcher.scan(engine, settings) == 0  # first start: an hour-old referral is history
        _save(database, "new-emergency", time.time(), "utter_escalate_emergency")
        _save(database, "caller", time.time(), "action_request_callback",
              {"callback_consent": "yes", "callback_phone": "07700900123"})
        _save(database, "refused", time.time(), "action_request_callback",
              {"callback_consent": "no", "callback_phone": "07700900999"})
        assert watcher.scan(engine, settings) == 2
        assert watcher.scan(engine, settings) == 0  # read once
        assert watcher.deliver(engine, settings) == 3  # the first e-mail was refused (451)
        time.sleep(0.05)
        assert watcher.deliver(engine, settings) == 1  # its retry
        assert watcher.deliver(engine, settings) == 0  # nothing left: none sent twice
        assert len(smtp.messages) == 2 and len(webhook.bodies) == 2
    texts = [b["text"] for b in webhook.bodies]
    assert any(t.startswith("Emergency referral") for t in texts)
    assert any("https://console.example/callbacks" in t for t in texts)
    assert all("07700" not in t for t in texts)
    with engine.connect() as connection:
        rows = connection.execute(select(alerts.c.kind, alerts.c.channel, alerts.c.state,
                                         alerts.c.attempts).order_by(alerts.c.id)).all()
        stored = connection.execute(select(callbacks.c.sender_id, callbacks.c.phone)).all()
    assert sorted(rows) == [("callback", "email", "sent", 1), ("callback", "webhook", "sent", 1),
                            ("emergency", "email", "sent", 2), ("emergency", "webhook", "sent", 1)]
    assert stored == [("caller", "07700900123")]  # not the refused one


def test_an_alert_that_keeps_failing_is_marked_failed(tmp_path):
    url = sqlite_url(tmp_path / "tracker.db")
    _save(url, "x", time.time() - 10, "action_listen")  # the table exists before the first start
    engine = connect(url)
    create_console_tables(engine)
    with WebhookReceiver(fail_first=99) as webhook:
        settings = AlertSettings(webhook_url=webhook.url, backoff_s=0.01, max_attempts=3)
        watcher.scan(engine, settings)
        _save(url, "urgent", time.time(), "utter_escalate_emergency")
        assert watcher.scan(engine, settings) == 1
        for _ in range(5):
            watcher.deliver(engine, settings)
            time.sleep(0.05)
    with engine.connect() as connection:
        row = connection.execute(select(alerts)).one()
    assert (row.state, row.attempts, webhook.refused) == ("failed", 3, 3)
    assert "500" in row.last_error
