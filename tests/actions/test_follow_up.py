"""actions/follow_up.py: follow-ups answered against the conversation (issue 16, point 3).

Trackers carry the earlier turns as `user` events with the intent and entities the NLU gave them.
"""
import asyncio

from rasa_sdk.executor import CollectingDispatcher

from actions.follow_up import ActionFollowUp, last_question
from bot.knowledge_files import read_yaml
from tests.conftest import make_tracker

STRETCHES = read_yaml("knowledge/stretches.yml")["stretches"]
CLARIFY = read_yaml("knowledge/clarify.yml")["clarify"]


def user(text, intent, entities=None):
    return {"event": "user", "text": text,
            "parse_data": {"intent": {"name": intent}, "entities": entities or []}}


def area(value):
    return [{"entity": "body_part", "value": value, "start": 0, "end": 1}]


def follow_up(text, earlier, ranking=None, **slots):
    """The action's replies and events for `text` after the earlier (text, intent, entities) turns."""
    events = [user(*turn) for turn in earlier] + [user(text, "follow_up")]
    tracker = make_tracker(text=text, intent="follow_up", events=events, slots=slots)
    tracker.latest_message["intent_ranking"] = ranking or []
    dispatcher = CollectingDispatcher()
    result = asyncio.run(ActionFollowUp().run(dispatcher, tracker, {}))
    texts = "\n".join(m.get("text") or "" for m in dispatcher.messages)
    topics = [e["value"] for e in result if e.get("name") == "advice_topics"]
    return texts, (topics[0] if topics else []), dispatcher.messages, result


def test_follow_up_last_question_skips_the_latest_message_and_resets_with_the_session():
    events = [user("heat or ice?", "ask_heat_ice"), {"event": "session_started"},
              user("show me a stretch", "ask_stretching"), user("any other ones?", "follow_up")]
    tracker = make_tracker(text="any other ones?", intent="follow_up", events=events)
    assert last_question(tracker) == "ask_stretching"


def test_follow_up_which_one_after_heat_or_ice_uses_the_onset_said_now():
    texts, topics, _, _ = follow_up("so which one should I use? it only started today",
                                    [("hot or cold for my back spasm?", "ask_heat_ice", area("lower_back"))])
    assert topics == ["ice"]
    assert "ice is the one" in texts.lower()
    assert "heat for ongoing tightness" not in texts.lower()


def test_follow_up_which_one_uses_an_onset_said_in_an_earlier_turn():
    texts, topics, _, _ = follow_up("ok so which one?", [
        ("my back has been tight for months", "report_spasm", area("lower_back")),
        ("heat or ice?", "ask_heat_ice")])
    assert topics == ["heat"]


def test_follow_up_which_one_without_an_onset_asks_when_it_started():
    texts, topics, _, _ = follow_up("which one?", [("heat or ice?", "ask_heat_ice")])
    assert "when did it start" in texts.lower()
    assert set(topics) == {"heat", "ice"}


def test_follow_up_another_after_a_stretch_gives_that_muscles_other_exercises():
    texts, topics, _, _ = follow_up("any other ones?", [
        ("cramps in my calves", "report_spasm", area("calf")),
        ("show me a stretch", "ask_stretching")])
    assert STRETCHES["calf"]["strengthen"] in texts
    assert STRETCHES["calf"]["self_massage"] in texts
    assert "strengthening" in topics


def test_follow_up_what_else_after_a_report_gives_advice_for_that_report():
    texts, topics, _, _ = follow_up("what can I do about it myself?", [
        ("my calf has been cramping since yesterday", "report_spasm", area("calf"))])
    assert STRETCHES["calf"]["name"] in texts
    assert "ice" in topics


def test_follow_up_with_nothing_to_refer_to_asks_what_they_mean():
    _, topics, messages, _ = follow_up("which one?", [], ranking=[
        {"name": "follow_up", "confidence": 1.0}, {"name": "ask_heat_ice", "confidence": 0.3},
        {"name": "ask_stretching", "confidence": 0.2}])
    assert topics == []
    assert messages[0]["text"] == CLARIFY["question"]
    titles = [b["title"] for b in messages[0]["buttons"]]
    assert titles[:2] == ["Heat or ice?", "Stretches"]


def test_follow_up_during_the_assessment_keeps_the_onset_it_says():
    events = [user("my back is in spasm", "report_spasm", area("lower_back")),
              user("heat or ice?", "ask_heat_ice"),
              user("so which one? it started this morning", "follow_up")]
    tracker = make_tracker(text="so which one? it started this morning", intent="follow_up",
                           events=events, slots={"spasm_area": "lower_back",
                                                 "requested_slot": "spasm_onset"},
                           active_loop="assessment_form")
    result = asyncio.run(ActionFollowUp().run(CollectingDispatcher(), tracker, {}))
    assert {"event": "slot", "timestamp": None, "name": "spasm_onset",
            "value": "so which one? it started this morning"} in result
