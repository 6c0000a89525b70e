"""actions/answers.py: direct answers to self-care questions, general advice and clinic contact.

The actions run as the action server runs them: a rasa-sdk Tracker in, messages on a
CollectingDispatcher and events out. Expected texts come from the knowledge files themselves.
"""
import asyncio
import re
from typing import Any, Dict, List

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.advice_text import entry_parts, fill
from actions.answers import (
    ActionAnswerQuestion,
    ActionClinicContact,
    ActionGeneralAdvice,
    ActionStartAssessment,
)
from bot.knowledge_files import read_yaml
from bot.settings import load_settings
from tests.conftest import make_tracker

ANSWERS_FILE = read_yaml("knowledge/answers.yml")
ANSWERS = ANSWERS_FILE["answers"]
SAFETY_NOTE = ANSWERS_FILE["safety_note"]
QUESTION_INTENTS = sorted(intent for intent in ANSWERS if intent != "general")
STRETCHES = read_yaml("knowledge/stretches.yml")["stretches"]
CAUTIONS = read_yaml("knowledge/cautions.yml")["cautions"]
RED_FLAGS = read_yaml("knowledge/red_flags.yml")["codes"]
SETTINGS = load_settings()
DOSE = re.compile(r"\bmg\b|\d+\s*(?:mg|milligrams?|tablets?|pills?|capsules?|g)\b", re.I)


def rendered(intent: str) -> str:
    """An answer's text as the client reads it: its parts, the numbers and facts filled in."""
    return "\n".join(fill(text) for _, text in entry_parts(ANSWERS[intent]))


def answer_topics(intent: str) -> List[str]:
    return list(dict.fromkeys(t for topics, _ in entry_parts(ANSWERS[intent]) for t in topics))


def run(action, tracker):
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, tracker, {}))
    return dispatcher.messages, events


def slot_events(events: List[Dict[str, Any]]) -> Dict[str, Any]:
    assert all(e["event"] == "slot" for e in events), events
    names = [e["name"] for e in events]
    assert len(names) == len(set(names)), f"a slot set twice: {events}"
    return {e["name"]: e["value"] for e in events}


def entry_buttons(entry):
    return [{"title": b["title"], "payload": b["payload"]} for b in entry.get("buttons", [])]


def ask(intent, entities=None, **slots):
    return make_tracker(text="question", intent=intent, entities=entities, slots=slots)


def body_part(value):
    return [{"entity": "body_part", "value": value, "start": 0, "end": 1}]


# --- action_answer_question, for every answer in the knowledge file ---------------------------------
def test_every_question_intent_in_the_domain_has_an_answer():
    # ask_capabilities is about the assistant, answered by a response, not a self-care question
    domain_intents = {i for i in read_yaml("domain.yml")["intents"]
                      if i.startswith("ask_") and i != "ask_capabilities"}
    assert domain_intents <= set(ANSWERS)


@pytest.mark.parametrize("intent", QUESTION_INTENTS)
def test_answer_is_one_message_with_the_knowledge_text_and_buttons(intent):
    messages, _ = run(ActionAnswerQuestion(), ask(intent))
    assert len(messages) == 1
    message = messages[0]
    assert message["text"].startswith(rendered(intent))
    assert message["buttons"] == entry_buttons(ANSWERS[intent])
    assert message["buttons"], "every answer offers follow-ups"


@pytest.mark.parametrize("intent", QUESTION_INTENTS)
def test_answer_always_ends_with_the_safety_note(intent):
    messages, _ = run(ActionAnswerQuestion(), ask(intent))
    assert messages[0]["text"].rstrip().endswith(SAFETY_NOTE)


@pytest.mark.parametrize("intent", QUESTION_INTENTS)
def test_answer_records_its_topics_and_self_care_level(intent):
    topics = answer_topics(intent)
    _, events = run(ActionAnswerQuestion(), ask(intent))
    slots = slot_events(events)
    if topics:
        assert slots["advice_topics"] == list(dict.fromkeys(topics))
        assert slots["triage_level"] == "self_care"
    else:
        assert "advice_topics" not in slots


@pytest.mark.parametrize("intent", [i for i in QUESTION_INTENTS if answer_topics(i)])
def test_answer_merges_topics_with_earlier_ones_without_duplicates(intent):
    earlier = ["seek_help", "hydration"]
    topics = answer_topics(intent)
    _, events = run(ActionAnswerQuestion(), ask(intent, advice_topics=earlier))
    merged = slot_events(events).get("advice_topics", earlier)
    assert merged[:len(earlier)] == earlier
    assert set(topics) <= set(merged)
    assert len(merged) == len(set(merged))
    assert set(merged) == set(earlier) | set(topics)


@pytest.mark.parametrize("intent", [i for i in QUESTION_INTENTS if answer_topics(i)])
@pytest.mark.parametrize("level", ["consultation", "emergency", "self_care"])
def test_answer_never_changes_a_level_already_set(intent, level):
    _, events = run(ActionAnswerQuestion(), ask(intent, triage_level=level))
    assert "triage_level" not in slot_events(events)


def test_answer_with_all_its_topics_known_sets_nothing_new():
    known = answer_topics("ask_heat_ice") + ["posture"]
    _, events = run(ActionAnswerQuestion(), ask("ask_heat_ice", advice_topics=known,
                                                triage_level="self_care"))
    assert events == []


def test_an_intent_without_an_answer_gets_the_general_advice():
    messages, events = run(ActionAnswerQuestion(), ask("report_spasm"))
    assert messages[0]["text"].startswith(rendered("general"))
    assert slot_events(events)["advice_topics"] == answer_topics("general")


# --- answers for the area the client names -----------------------------------------------------------
def test_stretching_for_a_named_muscle_shows_that_stretch():
    stretch = STRETCHES["hamstring"]
    messages, events = run(ActionAnswerQuestion(), ask("ask_stretching", entities=body_part("hamstring")))
    text = messages[0]["text"]
    assert stretch["name"] in text
    for step in stretch["steps"]:
        assert step in text
    assert fill(stretch.get("hold") or ANSWERS_FILE["facts"]["stretch_hold"]) in text and stretch["avoid"] in text
    assert STRETCHES["calf"]["name"] not in text
    assert "stretching" in slot_events(events)["advice_topics"]


def test_stretching_uses_the_assessed_area_when_none_is_named():
    messages, _ = run(ActionAnswerQuestion(), ask("ask_stretching", spasm_area="neck"))
    assert STRETCHES["neck"]["name"] in messages[0]["text"]


def test_the_named_area_beats_the_assessed_one():
    messages, _ = run(ActionAnswerQuestion(), ask("ask_stretching", entities=body_part("calf"),
                                                  spasm_area="neck"))
    assert STRETCHES["calf"]["name"] in messages[0]["text"]
    assert STRETCHES["neck"]["name"] not in messages[0]["text"]


def test_an_area_without_a_stretch_gets_the_general_stretching_answer():
    messages, _ = run(ActionAnswerQuestion(), ask("ask_stretching", spasm_area="my knee"))
    text = messages[0]["text"]
    assert text.startswith(rendered("ask_stretching"))
    assert not any(s["name"] in text for s in STRETCHES.values())


def test_self_massage_and_strengthening_add_the_area_specific_words():
    messages, _ = run(ActionAnswerQuestion(), ask("ask_self_massage", entities=body_part("calf")))
    assert STRETCHES["calf"]["self_massage"] in messages[0]["text"]
    messages, _ = run(ActionAnswerQuestion(), ask("ask_strengthening", entities=body_part("neck")))
    assert STRETCHES["neck"]["strengthen"] in messages[0]["text"]


def test_heat_ice_answer_does_not_depend_on_the_area():
    plain, _ = run(ActionAnswerQuestion(), ask("ask_heat_ice"))
    with_area, _ = run(ActionAnswerQuestion(), ask("ask_heat_ice", entities=body_part("calf")))
    assert plain == with_area


# --- cautions ------------------------------------------------------------------------------------------
def test_open_wound_caution_is_in_the_reply():
    messages, _ = run(ActionAnswerQuestion(), ask("ask_self_massage", red_flags=["open_wound"]))
    assert CAUTIONS["open_wound"]["text"].strip() in messages[0]["text"]
    assert messages[0]["text"].rstrip().endswith(SAFETY_NOTE)


def test_referral_code_adds_its_meanwhile_advice_with_the_clinic_numbers():
    meanwhile = RED_FLAGS["dvt_signs"]["meanwhile"].format_map(SETTINGS)
    messages, _ = run(ActionAnswerQuestion(), ask("ask_self_massage", red_flags=["dvt_signs"]))
    text = messages[0]["text"]
    assert meanwhile in text
    assert SETTINGS["emergency_number"] in text
    assert "{" not in text
    assert text.rstrip().endswith(SAFETY_NOTE)


def test_every_caution_and_referral_code_shows_once():
    flags = ["open_wound", "pregnancy", "dvt_signs", "neuro_symptoms"]
    messages, _ = run(ActionAnswerQuestion(), ask("ask_stretching", red_flags=flags))
    text = messages[0]["text"]
    for code in ("open_wound", "pregnancy"):
        assert text.count(CAUTIONS[code]["text"].strip()) == 1
    for code in ("dvt_signs", "neuro_symptoms"):
        assert text.count(RED_FLAGS[code]["meanwhile"].format_map(SETTINGS)) == 1


def test_no_cautions_without_flags():
    messages, _ = run(ActionAnswerQuestion(), ask("ask_hydration"))
    assert "Please note" not in messages[0]["text"]
    assert not any(c["text"].strip() in messages[0]["text"] for c in CAUTIONS.values())


# --- medicines --------------------------------------------------------------------------------------------
@pytest.mark.parametrize("red_flags", [None, ["medication_related"], ["pregnancy", "vascular_condition"]])
def test_medication_answer_never_gives_a_dose(red_flags):
    messages, _ = run(ActionAnswerQuestion(), ask("ask_medication", red_flags=red_flags))
    text = messages[0]["text"]
    assert not DOSE.search(text), text
    assert "pharmacist" in text.lower() or "gp" in text.lower()


@pytest.mark.parametrize("intent", QUESTION_INTENTS + ["general"])
def test_no_answer_gives_a_dose(intent):
    assert not DOSE.search(rendered(intent))


# --- action_start_assessment ----------------------------------------------------------------------------
def report(text, ranking):
    tracker = make_tracker(text=text, intent="report_spasm", entities=body_part("calf"))
    tracker.latest_message["intent_ranking"] = [{"name": n, "confidence": c} for n, c in ranking]
    return tracker


def test_a_report_that_also_asks_gets_the_answer_before_the_questions():
    messages, events = run(ActionStartAssessment(), report(
        "my calf keeps cramping, should I use ice?",
        [("report_spasm", 0.7), ("ask_heat_ice", 0.2), ("ask_stretching", 0.1)]))
    assert len(messages) == 2
    assert messages[0]["text"].startswith(rendered("ask_heat_ice"))
    assert messages[0]["text"].rstrip().endswith(SAFETY_NOTE)
    assert "questions" in messages[1]["text"]
    assert set(answer_topics("ask_heat_ice")) <= set(slot_events(events)["advice_topics"])


def test_a_plain_report_goes_straight_to_the_questions():
    messages, events = run(ActionStartAssessment(), report(
        "my calf keeps cramping", [("report_spasm", 0.9), ("ask_heat_ice", 0.1)]))
    assert len(messages) == 1
    assert "questions" in messages[0]["text"]
    assert events == []


# --- action_clinic_contact ----------------------------------------------------------------------------------
def test_clinic_contact_gives_the_clinic_phone_and_emergency_number():
    clinic = read_yaml("settings/clinic.yml")
    messages, events = run(ActionClinicContact(), make_tracker(text="can I speak to someone",
                                                               intent="request_human"))
    assert len(messages) == 1
    text = messages[0]["text"]
    assert clinic["clinic_phone"] in text
    assert clinic["clinic_booking"] in text
    assert str(clinic["emergency_number"]) in text
    assert messages[0]["buttons"] == [{"title": "Ask for a call-back",
                                       "payload": "please call me back"}]
    assert events == []


# --- action_general_advice --------------------------------------------------------------------------------------
def test_general_advice_gives_the_basics_and_records_their_topics():
    general = ANSWERS["general"]
    messages, events = run(ActionGeneralAdvice(), make_tracker(text="stop", intent="stop"))
    assert len(messages) == 1
    assert rendered("general") in messages[0]["text"]
    assert messages[0]["buttons"] == entry_buttons(general)
    assert messages[0]["text"].rstrip().endswith(SAFETY_NOTE)
    slots = slot_events(events)
    assert slots["advice_topics"] == answer_topics("general")
    assert slots["triage_level"] == "self_care"


def test_general_advice_keeps_a_higher_level_and_shows_cautions_before_the_advice():
    messages, events = run(ActionGeneralAdvice(), make_tracker(
        text="stop", intent="stop",
        slots={"triage_level": "consultation", "red_flags": ["recent_surgery"],
               "advice_topics": ["posture"]}))
    text = messages[0]["text"]
    caution = CAUTIONS["recent_surgery"]["text"].strip()
    assert caution in text
    assert text.index(caution) < text.index(fill(ANSWERS["general"]["parts"][0]["text"]))
    slots = slot_events(events)
    assert "triage_level" not in slots
    forbidden = set(RED_FLAGS["recent_surgery"]["forbids"])
    assert slots["advice_topics"] == ["posture"] + [t for t in answer_topics("general")
                                                   if t not in forbidden]

