"""actions/callback_form.py: consent first, then the number; a number given with the request is
taken then; "no" ends the form; a message that is no number is asked again, never stored."""
import asyncio

from rasa_sdk.executor import CollectingDispatcher

from actions.callback_form import ValidateCallbackForm, consent_in
from bot.phone import find_phone, mask_phone
from tests.conftest import make_tracker

FORM = ValidateCallbackForm()


def extract(slot, text, intent, requested, **slots):
    tracker = make_tracker(text=text, intent=intent, slots={"requested_slot": requested, **slots})
    dispatcher = CollectingDispatcher()
    found = asyncio.run(getattr(FORM, f"extract_{slot}")(dispatcher, tracker, {}))
    return found, [m["text"] for m in dispatcher.messages]


def test_a_number_given_with_the_request_is_taken_and_consent_is_still_asked():
    text = "can someone call me back? my number is 07700 900123"
    assert extract("callback_phone", text, "request_callback", None) == (
        {"callback_phone": "07700900123"}, [])
    assert extract("callback_consent", text, "request_callback", None) == ({}, [])


def test_consent_is_yes_no_or_not_an_answer():
    def consent(text, intent="inform"):
        return consent_in(make_tracker(text=text, intent=intent))
    assert consent("yes") == "yes" and consent("Yes, call me") == "yes"
    assert consent("sure thing", "affirm") == "yes"
    assert consent("07700 900123") == "yes"  # giving the number is saying yes
    assert consent("no") == "no" and consent("actually don't bother", "deny") == "no"
    assert consent("stop", "stop") == "no"
    assert consent("what do you do with it?", "ask_capabilities") is None


def test_the_number_question_reads_a_number_or_asks_again():
    assert extract("callback_phone", "it's +44 7700 900123", "inform", "callback_phone") == (
        {"callback_phone": "+447700900123"}, [])
    found, said = extract("callback_phone", "my name is Sam", "inform", "callback_phone")
    assert found == {} and "doesn't look like a phone number" in said[0]
    assert extract("callback_phone", "no", "deny", "callback_phone") == (
        {"callback_consent": "no"}, [])


def test_a_refusal_requires_no_more_slots():
    tracker = make_tracker(slots={"callback_consent": "no"})
    slots = asyncio.run(FORM.required_slots(["callback_consent", "callback_phone"],
                                            CollectingDispatcher(), tracker, {}))
    assert slots == []


def test_numbers_are_found_in_what_people_type_and_masked():
    assert find_phone("ring me on (020) 7946-0018 please") == "02079460018"
    assert find_phone("pain 8 out of 10 since 2024, 3 days") is None
    assert mask_phone("07700900123") == "•••• ••• 123"
