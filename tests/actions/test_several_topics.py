"""Several self-care topics asked in one message get one short reply covering each (issue 16, point 1),
phone-first answers (point 5) and what to do now before any question (point 6).

The topics come in the parse data as TopicExtractor puts them (`topics`); the texts are the knowledge
files' own (knowledge/topics.yml `brief`, answers.yml, stretches.yml), read as the client reads them.
"""
import asyncio
import itertools
from typing import Any, Dict, List

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.advice_text import entry_parts, fill
from actions.answers import (
    ALREADY_SAID,
    START_AFTER_ACTIVE,
    START_ASSESSMENT,
    ActionAnswerQuestion,
    ActionStartAssessment,
)
from bot.knowledge_files import read_yaml
from tests.conftest import make_tracker

TOPICS_FILE = read_yaml("knowledge/topics.yml")
TOPICS = TOPICS_FILE["topics"]
PAIRS = TOPICS_FILE["pairs"]
ANSWERS_FILE = read_yaml("knowledge/answers.yml")
ANSWERS = ANSWERS_FILE["answers"]
SAFETY_NOTE = ANSWERS_FILE["safety_note"]
STRETCHES = read_yaml("knowledge/stretches.yml")["stretches"]
RED_FLAGS = read_yaml("knowledge/red_flags.yml")["codes"]
CAUTIONS = read_yaml("knowledge/cautions.yml")["cautions"]
PHONE_CHARS = 600  # issue 16: at most about 600 characters per turn, unless the client asks for more


def run(action, tracker):
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, tracker, {}))
    return dispatcher.messages, events


def asking(intent: str, topics: List[str], text: str = "is it ok?", entities=None, events=None,
           triage=None, **slots):
    tracker = make_tracker(text=text, intent=intent, entities=entities, slots=slots, events=events)
    tracker.latest_message["topics"] = topics
    if triage:
        tracker.latest_message["triage"] = triage
    return tracker


def advised(events: List[Dict[str, Any]]) -> List[str]:
    return next((e["value"] for e in events if e.get("name") == "advice_topics"), [])


def brief(topic: str) -> str:
    return fill(TOPICS[topic]["brief"])


def without_note(text: str) -> str:
    return text.replace(SAFETY_NOTE, "").strip()


# --- one short reply for several topics --------------------------------------------------------------
@pytest.mark.parametrize("first, second", [p for p in itertools.combinations(TOPICS, 2)
                                           if set(p) != {"heat", "ice"}])
def test_two_topics_asked_get_one_reply_advising_both(first, second):
    messages, events = run(ActionAnswerQuestion(), asking("ask_stretching", [first, second]))
    assert len(messages) == 1
    text = messages[0]["text"]
    for topic in (first, second):
        assert topic in advised(events), (topic, text)
    assert brief(first) in text and brief(second) in text
    assert text.index(brief(first)) < text.index(brief(second)), "answered in the order asked"


@pytest.mark.parametrize("topics", list(itertools.combinations(TOPICS, 3)))
def test_three_topics_fit_a_phone_screen(topics):
    messages, events = run(ActionAnswerQuestion(), asking("ask_hydration", list(topics)))
    assert set(topics) <= set(advised(events))
    assert len(without_note(messages[0]["text"])) <= PHONE_CHARS, messages[0]["text"]


def test_each_topic_offers_more_with_a_button_that_asks_for_its_full_answer():
    messages, _ = run(ActionAnswerQuestion(), asking("ask_hydration", ["hydration", "activity"]))
    assert messages[0]["buttons"] == [TOPICS["hydration"]["more"], TOPICS["activity"]["more"]]


def test_heat_and_ice_asked_together_share_one_line_with_the_other_topic():
    messages, events = run(ActionAnswerQuestion(),
                           asking("ask_heat_ice", ["heat", "ice", "stretching"],
                                  text="is heat or ice better for a tight back, and should I stretch it?"))
    text = messages[0]["text"]
    assert fill(PAIRS[0]["brief"]) in text and brief("stretching") in text
    assert {"heat", "ice", "stretching"} <= set(advised(events))


@pytest.mark.parametrize("text, decision, topic", [
    ("it only started this morning, heat or ice? and can I stretch?", "acute", "ice"),
    ("it's been tight for weeks, heat or ice? and can I stretch?", "chronic", "heat"),
])
def test_heat_or_ice_decides_first_when_the_message_says_how_long(text, decision, topic):
    messages, events = run(ActionAnswerQuestion(), asking("ask_heat_ice", ["heat", "ice", "stretching"],
                                                          text=text))
    assert messages[0]["text"].startswith(fill(PAIRS[0][decision]["brief"]))
    assert topic in advised(events)


def test_the_classified_questions_topic_is_answered_when_the_words_missed_it():
    messages, events = run(ActionAnswerQuestion(), asking("ask_hydration", ["stretching"]))
    assert {"hydration", "stretching"} <= set(advised(events))
    assert brief("hydration") in messages[0]["text"]


def test_an_answer_about_no_topic_stays_whole_and_the_other_topic_follows():
    messages, events = run(ActionAnswerQuestion(), asking("ask_causes", ["stretching"]))
    text = messages[0]["text"]
    assert text.startswith(ANSWERS["ask_causes"]["text"].strip())
    assert brief("stretching") in text
    assert "stretching" in advised(events)


@pytest.mark.parametrize("intent, topics", [("ask_heat_ice", ["heat"]), ("ask_hydration", ["hydration"]),
                                            ("ask_causes", ["hydration", "posture"])])
def test_topics_the_answer_already_covers_get_the_usual_answer(intent, topics):
    messages, _ = run(ActionAnswerQuestion(), asking(intent, topics))
    first = entry_parts(ANSWERS[intent])[0][1]
    assert messages[0]["text"].startswith(fill(first))


# --- what the findings allow, among several topics ---------------------------------------------------
def forbidding_code(topic: str) -> str:
    return next(code for code, spec in RED_FLAGS.items() if topic in (spec.get("forbids") or []))


@pytest.mark.parametrize("forbidden", ["heat", "stretching", "self_massage", "activity"])
def test_a_forbidden_topic_among_several_is_replaced_by_the_reason_first(forbidden):
    code = forbidding_code(forbidden)
    other = "hydration"
    messages, events = run(ActionAnswerQuestion(),
                           asking("ask_hydration", [forbidden, other], red_flags=[code]))
    text = messages[0]["text"]
    assert text.startswith("Please note: Because you mentioned"), text
    assert brief(forbidden) not in text
    assert forbidden not in advised(events)
    assert other in advised(events) and brief(other) in text


def test_heat_forbidden_keeps_ice_when_both_are_asked_with_another_topic():
    code = next(c for c, spec in RED_FLAGS.items() if "heat" in (spec.get("forbids") or [])
                and "stretching" not in (spec.get("forbids") or []))
    messages, events = run(ActionAnswerQuestion(), asking("ask_heat_ice", ["heat", "ice", "stretching"],
                                                          red_flags=[code]))
    text = messages[0]["text"]
    assert "heat" not in advised(events) and {"ice", "stretching"} <= set(advised(events))
    assert brief("ice") in text and fill(PAIRS[0]["brief"]) not in text


# --- stretches: the muscle's own, and never the same one twice in a row --------------------------------
@pytest.mark.parametrize("area", sorted(STRETCHES))
def test_a_muscles_stretch_comes_first_and_on_its_own(area):
    messages, events = run(ActionAnswerQuestion(), asking(
        "ask_stretching", [], entities=[{"entity": "body_part", "value": area}]))
    text = messages[0]["text"]
    assert text.startswith(f"{STRETCHES[area]['name']} (for the {STRETCHES[area]['label']})")
    assert ANSWERS["ask_stretching"]["text"].splitlines()[0] not in text, "no general preamble"
    assert len(without_note(text)) <= PHONE_CHARS + 20, "about 600 characters"
    assert "stretching" in advised(events)


@pytest.mark.parametrize("area", sorted(STRETCHES))
def test_another_stretch_button_names_and_asks_for_a_different_muscle(area):
    messages, _ = run(ActionAnswerQuestion(), asking(
        "ask_stretching", [], entities=[{"entity": "body_part", "value": area}]))
    another = STRETCHES[STRETCHES[area]["another"]]
    assert STRETCHES[area]["another"] != area
    assert messages[0]["buttons"][0] == {"title": f"Another stretch: {another['label']}",
                                         "payload": another["ask"]}


def previous_turn(text: str) -> List[Dict[str, Any]]:
    return [{"event": "user", "text": "earlier"}, {"event": "bot", "text": text},
            {"event": "user", "text": "now"}]


def test_the_same_stretch_asked_twice_in_a_row_shows_another_one():
    calf = [{"entity": "body_part", "value": "calf"}]
    first, _ = run(ActionAnswerQuestion(), asking("ask_stretching", [], entities=calf))
    again, _ = run(ActionAnswerQuestion(), asking("ask_stretching", [], entities=calf,
                                                  events=previous_turn(first[0]["text"])))
    assert STRETCHES[STRETCHES["calf"]["another"]]["name"] in again[0]["text"]
    assert again[0]["text"] != first[0]["text"]


def test_any_other_answer_is_never_sent_twice_in_a_row():
    first, _ = run(ActionAnswerQuestion(), asking("ask_hydration", []))
    again, _ = run(ActionAnswerQuestion(), asking("ask_hydration", [],
                                                  events=previous_turn(first[0]["text"])))
    assert again[0]["text"] == ALREADY_SAID
    assert again[0]["buttons"] == first[0]["buttons"]


# --- a spasm happening now ---------------------------------------------------------------------------
NOW = {"codes": ["active_spasm"], "concepts": ["NOW", "SPASM_WORD"]}


@pytest.mark.parametrize("intent", ["report_spasm", "ask_active_spasm", "inform"])
def test_a_spasm_happening_now_gets_what_to_do_now_before_any_question(intent):
    messages, events = run(ActionStartAssessment(), asking(
        intent, [], text="my calf is cramping right now, it's agony", triage=NOW,
        red_flags=["active_spasm"]))
    assert messages[0]["text"].startswith(entry_parts(ANSWERS["ask_active_spasm"])[0][1])
    assert messages[-1]["text"] == START_AFTER_ACTIVE
    assert "active_spasm" in advised(events)
    assert fill(CAUTIONS["active_spasm"]["text"]) not in messages[0]["text"], "said once, not twice"


def test_a_spasm_now_that_is_not_severe_also_gets_what_to_do_now_first():
    messages, _ = run(ActionStartAssessment(), asking(
        "report_spasm", [], text="my hamstring is seizing up as we speak",
        triage={"codes": [], "concepts": ["LEG", "NOW", "SPASM_WORD"]}))
    assert messages[0]["text"].startswith(entry_parts(ANSWERS["ask_active_spasm"])[0][1])
    assert messages[-1]["text"] == START_AFTER_ACTIVE


def test_a_report_with_no_spasm_now_starts_the_questions_as_before():
    messages, _ = run(ActionStartAssessment(), asking("report_spasm", [], text="my calf cramps at night"))
    assert [m["text"] for m in messages] == [START_ASSESSMENT]


def test_another_caution_is_still_said_with_the_advice_for_now():
    messages, _ = run(ActionStartAssessment(), asking(
        "report_spasm", [], text="my calf is cramping right now", triage=NOW,
        red_flags=["active_spasm", "pregnancy"]))
    assert fill(CAUTIONS["pregnancy"]["text"]) in messages[0]["text"]
