"""Fail-safe: the referrals work with the action server down, and nothing goes unanswered.

A second assistant is started without its action server (a different setup from the session
fixture). TriagePolicy answers red flags with domain responses, so a referral, its reason, what not to
do meanwhile and the emergency number must still reach the client, and the outcome slots must be set.
The assessment form needs the action server, so a mid-form finding can't happen here; a finding
after a plain question (whose answer needed the action server) can. A question or a report whose
answer needs the action server is told it cannot be answered now (bot/remote_action_fallback.py).
"""
import secrets
import uuid

import pytest
import requests

from bot.stack import free_port, running_assistant

from .support import REFERRAL_REASON, describe, settings, text_of


class _Client:
    def __init__(self, url: str, token: str) -> None:
        self.url, self.token = url, token

    def say(self, sender: str, text: str):
        response = requests.post(f"{self.url}/webhooks/rest/webhook",
                                 json={"sender": sender, "message": text}, timeout=60)
        return response

    def slots(self, sender: str):
        response = requests.get(f"{self.url}/conversations/{sender}/tracker",
                                params={"token": self.token}, timeout=30)
        response.raise_for_status()
        return response.json()["slots"]


@pytest.fixture(scope="module")
def without_actions(tmp_path_factory):
    token = secrets.token_urlsafe(16)
    logs = tmp_path_factory.mktemp("no-actions")
    with running_assistant(port=free_port(), api_token=token, with_actions=False,
                           log_dir=logs) as url:
        yield _Client(url, token)


def _referral(response, level_words: str, reason: str, meanwhile: str, number_key: str):
    assert response.status_code == 200, f"HTTP {response.status_code}: {response.text[:300]}"
    messages = response.json()
    reply = text_of(messages)
    where = describe(messages)
    assert level_words in reply, f"no referral:\n    {where}"
    assert REFERRAL_REASON in reply and reason in reply, f"no reason:\n    {where}"
    assert meanwhile in reply, f"no 'meanwhile':\n    {where}"
    number = settings()[number_key].lower()
    assert number in reply, f"{number_key} {number!r} missing:\n    {where}"


def test_red_flag_without_action_server_gets_the_full_referral(without_actions):
    sender = uuid.uuid4().hex
    response = without_actions.say(sender, "my calf is swollen and I'm really short of breath")
    _referral(response, "now for an ambulance", "breathlessness",
              "don't massage, rub or stretch your legs", "emergency_number")
    reply = text_of(response.json())
    assert "blood clot" in reply, describe(response.json())
    slots = without_actions.slots(sender)
    assert {"pe_signs", "dvt_signs"} <= set(slots.get("red_flags") or []), slots
    assert slots.get("triage_level") == "emergency_ambulance", slots


@pytest.mark.parametrize("first", ["should I use heat or ice?", "I have a muscle spasm"],
                         ids=["after-a-question", "after-a-report"])
def test_red_flag_after_a_turn_that_needed_the_action_server(without_actions, first):
    sender = uuid.uuid4().hex
    without_actions.say(sender, first)  # its answer needs the action server: not checked here
    response = without_actions.say(sender, "my back is in spasm and I've lost control of my bladder")
    _referral(response, "go to a&e (the emergency department) now", "bladder or bowel changes",
              "don't have massage or manipulation of your back", "emergency_number")
    slots = without_actions.slots(sender)
    assert "cauda_equina" in (slots.get("red_flags") or []), slots
    assert slots.get("triage_level") == "emergency", slots


def test_consultation_referral_without_action_server(without_actions):
    sender = uuid.uuid4().hex
    response = without_actions.say(sender, "my left calf keeps cramping and it's swollen and warm")
    _referral(response, "see a doctor within 24 hours", "blood clot",
              "don't massage, rub or stretch that leg", "urgent_line")
    slots = without_actions.slots(sender)
    assert "dvt_signs" in (slots.get("red_flags") or []), slots
    assert slots.get("triage_level") == "consultation_24", slots


def test_self_harm_without_action_server_includes_the_crisis_line(without_actions):
    sender = uuid.uuid4().hex
    response = without_actions.say(sender, "I want to end my life")
    _referral(response, "immediate danger", "ending your life",
              "you don't have to go through this alone", "crisis_line")
    assert settings()["emergency_number"] in text_of(response.json())


@pytest.mark.parametrize("first", ["should I use heat or ice?", "how much water should I drink?"])
def test_a_question_is_told_it_cannot_be_answered_now(without_actions, first):
    response = without_actions.say(uuid.uuid4().hex, first)
    assert response.status_code == 200
    reply = text_of(response.json())
    assert "can't look that up right now" in reply and "try again" in reply, describe(response.json())


def test_a_report_gets_one_apology_and_no_question_it_could_not_read(without_actions):
    # the assessment's answers are read by the action server: it does not start without one
    response = without_actions.say(uuid.uuid4().hex, "I have a muscle spasm")
    messages = response.json()
    assert len(messages) == 1 and "can't look that up right now" in messages[0]["text"], \
        describe(messages)
