"""actions/callback_request.py: what a client who asked for a call-back is told (issue 17). The
clinic's opening hours (settings/clinic.yml, Europe/London) decide: within them "within N hours",
outside them when it opens next; the number is said masked; a refusal gets the clinic's contact."""
import asyncio
from datetime import datetime, timezone

from rasa_sdk.executor import CollectingDispatcher

from actions.callback_request import ActionRequestCallback
from bot.clinic_hours import load_hours
from tests.conftest import make_tracker

NUMBER = "07700900123"


def told(slots, now):
    dispatcher = CollectingDispatcher()
    events = asyncio.run(ActionRequestCallback().run(dispatcher, make_tracker(slots=slots), {},
                                                     now=now))
    return dispatcher.messages[0]["text"], events


def test_within_opening_hours_the_client_hears_within_n_hours():
    tuesday_ten = datetime(2026, 12, 8, 10, 0, tzinfo=timezone.utc)  # 10:00 in London
    text, events = told({"callback_consent": "yes", "callback_phone": NUMBER}, tuesday_ten)
    hours = load_hours().callback_within_hours
    assert f"will call you on the number ending •••• ••• 123 within {hours} hours" in text
    assert "in an emergency call 999" in text
    assert NUMBER not in text.replace(" ", "")
    assert {"event": "slot", "name": "callback_consent", "value": None, "timestamp": None} in events


def test_outside_opening_hours_the_client_hears_when_the_clinic_opens():
    saturday_evening = datetime(2026, 12, 12, 18, 0, tzinfo=timezone.utc)  # closed until Monday
    text, _ = told({"callback_consent": "yes", "callback_phone": NUMBER}, saturday_evening)
    assert "the clinic is closed now" in text.lower()
    assert "after it opens, Monday at 08:00" in text
    early_tuesday = datetime(2026, 12, 8, 6, 30, tzinfo=timezone.utc)
    text, _ = told({"callback_consent": "yes", "callback_phone": NUMBER}, early_tuesday)
    assert "after it opens, today at 08:00" in text


def test_a_refusal_gets_the_clinic_contact_and_forgets_the_number():
    now = datetime(2026, 12, 8, 10, 0, tzinfo=timezone.utc)
    text, events = told({"callback_consent": "no", "callback_phone": NUMBER}, now)
    assert "won't pass on a number" in text and "020 7946 0018" in text
    assert {"event": "slot", "name": "callback_phone", "value": None, "timestamp": None} in events
