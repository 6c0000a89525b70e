"""actions/assessment.py: the assessment form's slot extraction, the personal advice and the questions.

Trackers are built as the action server receives them (tests/conftest.py make_tracker); expected
texts come from domain.yml (the questions), knowledge/assessment.yml, stretches.yml, triggers.yml and answers.yml.
"""
import asyncio

import pytest
from rasa.shared.core.domain import Domain
from rasa_sdk.executor import CollectingDispatcher

from actions.advice_text import fill
from actions.assessment import SKIPPED, ActionPersonalAdvice, ValidateAssessmentForm, personal_advice
from bot.knowledge_files import read_yaml
from tests.conftest import make_tracker

FORM = "assessment_form"
SLOTS = ["spasm_area", "spasm_onset", "spasm_activity", "spasm_severity", "medical_history"]
ASSESSMENT = read_yaml("knowledge/assessment.yml")
RED_FLAGS = read_yaml("knowledge/red_flags.yml")["codes"]
STRETCHES = read_yaml("knowledge/stretches.yml")["stretches"]
TRIGGERS = read_yaml("knowledge/triggers.yml")["triggers"]
ANSWERS_FILE = read_yaml("knowledge/answers.yml")
CAUTIONS = read_yaml("knowledge/cautions.yml")["cautions"]


def advice_of(slots):
    """personal_advice's parts as the client reads them, and the topics they give."""
    parts = personal_advice(slots)
    return {"texts": [fill(text) for _, text in parts],
            "topics": list(dict.fromkeys(t for topics, _ in parts for t in topics))}


def body_part(value, start=0, end=1):
    return [{"entity": "body_part", "value": value, "start": start, "end": end}]


def extract_all(tracker):
    """What every extract_<slot> method returns for this message, merged."""
    form = ValidateAssessmentForm()
    filled = {}
    for slot in SLOTS:
        found = asyncio.run(getattr(form, f"extract_{slot}")(CollectingDispatcher(), tracker, {}))
        assert set(found) <= {slot}, f"extract_{slot} filled {found}"
        filled.update(found)
    return filled


def answering(slot, text, intent="inform", entities=None, **slots):
    return make_tracker(text=text, intent=intent, entities=entities,
                        slots={"requested_slot": slot, **slots}, active_loop=FORM)


def run(action, tracker):
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, tracker, {}))
    return dispatcher.messages, events


# --- ValidateAssessmentForm: the first message pre-fills what it already says --------------------------
def test_first_message_prefills_area_and_onset():
    tracker = make_tracker(text="my calf keeps cramping since yesterday", intent="report_spasm",
                           entities=body_part("calf", 3, 7), active_loop=FORM)
    assert extract_all(tracker) == {
        "spasm_area": "calf",
        "spasm_onset": "my calf keeps cramping since yesterday",
    }


def test_first_message_prefills_the_trigger_it_names():
    text = "I got a cramp in my hamstring while running this morning"
    tracker = make_tracker(text=text, intent="report_spasm", entities=body_part("hamstring"),
                           active_loop=FORM)
    assert extract_all(tracker) == {"spasm_area": "hamstring", "spasm_onset": text,
                                    "spasm_activity": text}


def test_first_message_without_details_prefills_nothing():
    tracker = make_tracker(text="I keep getting cramps", intent="report_spasm", active_loop=FORM)
    assert extract_all(tracker) == {}


def test_first_message_with_no_clear_trigger_does_not_answer_the_trigger_question():
    tracker = make_tracker(text="my neck just happened to seize up", intent="report_spasm",
                           entities=body_part("neck"), active_loop=FORM)
    assert "spasm_activity" not in extract_all(tracker)


# --- ValidateAssessmentForm: an answer fills the question asked ---------------------------------------------
@pytest.mark.parametrize("slot, answer", [
    ("spasm_onset", "about 3 weeks ago"),
    ("spasm_activity", "I was at my desk all day"),
    ("spasm_severity", "about a 6"),
    ("medical_history", "none of these apply"),
    ("spasm_area", "my knee"),
])
def test_an_answer_fills_only_the_requested_slot(slot, answer):
    assert extract_all(answering(slot, answer)) == {slot: answer}


def test_area_answer_fills_the_canonical_body_part():
    tracker = answering("spasm_area", "the back of my leg", entities=body_part("calf", 4, 18))
    assert extract_all(tracker) == {"spasm_area": "calf"}


def test_body_part_named_in_a_later_answer_does_not_overwrite_the_area():
    tracker = answering("spasm_onset", "my calf started yesterday", entities=body_part("calf"),
                        spasm_area="hamstring")
    assert extract_all(tracker) == {"spasm_onset": "my calf started yesterday"}


@pytest.mark.parametrize("slot", SLOTS)
def test_skip_fills_the_requested_slot_with_skipped(slot):
    assert extract_all(answering(slot, "skip", intent="skip")) == {slot: SKIPPED}


@pytest.mark.parametrize("intent, text", [
    ("ask_heat_ice", "should I use heat or ice?"),
    ("ask_medication", "can I take ibuprofen?"),
    ("stop", "stop asking me questions"),
    ("request_human", "can I talk to a person"),
    ("confirm_safe", "I've been seen by a doctor"),
])
@pytest.mark.parametrize("slot", ["spasm_onset", "spasm_severity"])
def test_questions_and_stop_are_not_answers(slot, intent, text):
    assert extract_all(answering(slot, text, intent=intent)) == {}


@pytest.mark.parametrize("intent, text", [
    ("nlu_fallback", "dancing"),               # the classifier is unsure, it is still the answer
    ("ask_heat_ice", "sitting in a hot bath"),  # sounds like a topic, but asks nothing
])
def test_an_unclear_or_topical_answer_still_answers_the_question(intent, text):
    assert extract_all(answering("spasm_activity", text, intent=intent)) == {"spasm_activity": text}


# --- personal_advice --------------------------------------------------------------------------------------
def test_acute_onset_advises_ice_not_heat():
    advice = advice_of({"spasm_onset": "it started today"})
    assert "ice" in advice["topics"] and "heat" not in advice["topics"]
    assert "ice" in advice["texts"][0].lower()


def test_chronic_onset_advises_heat_not_ice():
    advice = advice_of({"spasm_onset": "on and off for months"})
    assert "heat" in advice["topics"] and "ice" not in advice["topics"]
    assert "heat" in advice["texts"][0].lower()


@pytest.mark.parametrize("onset, kind", [("it started today", "acute"), ("on and off for months", "chronic"),
                                         ("dunno", "unknown")])
def test_the_advice_is_the_clinicians_sentence_from_knowledge(onset, kind):
    """knowledge/assessment.yml `advice`, word for word: a clinician changes it there, not in Python."""
    said = ASSESSMENT["advice"]["by_onset"][kind]
    assert personal_advice({"spasm_onset": onset})[0] == (said["topics"], said["text"])
    severe = advice_of({"spasm_onset": onset, "spasm_severity": "9"})
    assert severe["texts"][-1] == ASSESSMENT["advice"]["seek_help"]["text"]


@pytest.mark.parametrize("onset", [None, SKIPPED, "dunno"])
def test_unknown_onset_offers_heat_and_ice(onset):
    advice = advice_of({"spasm_onset": onset})
    assert {"heat", "ice"} <= set(advice["topics"])


def test_area_with_a_stretch_gets_that_stretch_and_self_massage():
    stretch = STRETCHES["calf"]
    advice = advice_of({"spasm_area": "calf"})
    assert {"stretching", "self_massage"} <= set(advice["topics"])
    text = "\n".join(advice["texts"])
    assert stretch["name"] in text
    assert all(step in text for step in stretch["steps"])
    assert stretch["self_massage"] in text


@pytest.mark.parametrize("area", [None, SKIPPED, "my knee"])
def test_unknown_area_still_gets_stretching_advice(area):
    advice = advice_of({"spasm_area": area})
    assert "stretching" in advice["topics"]
    assert "self_massage" not in advice["topics"]
    assert fill(ANSWERS_FILE["answers"]["ask_stretching"]["text"]) in advice["texts"]
    assert not any(s["name"] in "\n".join(advice["texts"]) for s in STRETCHES.values())


def test_exercise_trigger_gives_exercise_prevention():
    advice = advice_of({"spasm_activity": "I was running"})
    assert set(TRIGGERS["exercise"]["topics"]) <= set(advice["topics"])
    assert any(TRIGGERS["exercise"]["text"].strip() in t for t in advice["texts"])
    assert not any(TRIGGERS["unknown"]["text"].strip() in t for t in advice["texts"])


def test_desk_trigger_adds_posture():
    advice = advice_of({"spasm_activity": "sitting at my laptop"})
    assert "posture" in advice["topics"]
    assert any(TRIGGERS["desk"]["text"].strip() in t for t in advice["texts"])


def test_unknown_trigger_gives_the_general_prevention():
    advice = advice_of({"spasm_activity": SKIPPED})
    assert any(TRIGGERS["unknown"]["text"].strip() in t for t in advice["texts"])


@pytest.mark.parametrize("severity", ["9 out of 10", "agony", "about a 7", "I can't move my neck"])
def test_severe_or_stuck_adds_when_to_get_help(severity):
    advice = advice_of({"spasm_severity": severity})
    assert "seek_help" in advice["topics"]
    assert "GP or physiotherapist" in advice["texts"][-1]


@pytest.mark.parametrize("severity", ["mild", "about a 4", "it's not bad", SKIPPED, None])
def test_mild_does_not_add_when_to_get_help(severity):
    assert "seek_help" not in advice_of({"spasm_severity": severity})["topics"]


def test_advice_topics_are_contract_topics_without_duplicates():
    topics = {"hydration", "electrolytes", "heat", "ice", "stretching", "self_massage",
              "strengthening", "activity", "posture", "massage_treatment", "seek_help",
              "active_spasm"}
    advice = advice_of({"spasm_area": "shoulder", "spasm_onset": "for weeks",
                              "spasm_activity": "lifting heavy boxes at the gym",
                              "spasm_severity": "8/10"})
    assert set(advice["topics"]) <= topics
    assert len(advice["topics"]) == len(set(advice["topics"]))


# --- ActionPersonalAdvice end to end -------------------------------------------------------------------------
COMPLETED = {"spasm_area": "calf", "spasm_onset": "since yesterday", "spasm_activity": "I was running",
             "spasm_severity": "9 out of 10", "medical_history": "none of these apply"}


def test_personal_advice_action_sends_the_advice_in_several_messages():
    messages, events = run(ActionPersonalAdvice(), make_tracker(
        text="none of these apply", intent="inform", slots=COMPLETED))
    expected = advice_of(COMPLETED)
    assert len(messages) == len(expected["texts"]) >= 3
    assert messages[0]["text"].startswith("Thanks")
    assert all(m["text"] for m in messages)
    assert all(not m["buttons"] for m in messages[:-1])
    last = messages[-1]
    assert last["buttons"] == [{"title": b["title"], "payload": b["payload"]}
                               for b in ANSWERS_FILE["answers"]["general"]["buttons"]]
    assert last["text"].rstrip().endswith(ANSWERS_FILE["safety_note"])
    text = "\n".join(m["text"] for m in messages)
    assert STRETCHES["calf"]["name"] in text
    assert {e["name"]: e["value"] for e in events} == {
        "advice_topics": expected["topics"], "triage_level": "self_care"}


def test_personal_advice_action_keeps_earlier_topics_level_and_shows_cautions_first():
    slots = {**COMPLETED, "advice_topics": ["posture"], "triage_level": "consultation",
             "red_flags": ["pregnancy", "recent_surgery"]}
    messages, events = run(ActionPersonalAdvice(), make_tracker(text="I am pregnant", intent="inform",
                                                                slots=slots))
    first = messages[0]["text"]
    assert CAUTIONS["pregnancy"]["text"].strip() in first
    assert CAUTIONS["recent_surgery"]["text"].strip() in first
    values = {e["name"]: e["value"] for e in events}
    assert "triage_level" not in values
    assert values["advice_topics"][0] == "posture"
    forbidden = set(RED_FLAGS["recent_surgery"]["forbids"]) | set(RED_FLAGS["pregnancy"]["forbids"])
    assert {"heat", "ice"} & set(values["advice_topics"])
    assert not forbidden & set(values["advice_topics"])
    assert STRETCHES["calf"]["name"] not in "\n".join(m["text"] for m in messages)


# --- the questions -------------------------------------------------------------------------------------------------
def test_every_form_slot_has_its_question_as_a_response_with_buttons():
    """The form asks with utter_ask_<slot> (no action server call); payloads are plain client text."""
    domain = read_yaml("domain.yml")
    assert set(domain["forms"][FORM]["required_slots"]) == set(SLOTS)
    assert not [a for a in Domain.from_dict(domain).user_actions if a.startswith("action_ask_")]
    for slot in SLOTS:
        (response,) = domain["responses"][f"utter_ask_{slot}"]
        assert "?" in response["text"]
        assert len(response["buttons"]) >= 3
        assert all(b["payload"] and not b["payload"].startswith("/") for b in response["buttons"])
