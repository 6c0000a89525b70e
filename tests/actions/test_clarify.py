"""actions/clarify.py: no guessing (issue 16, point 4). An unsure message gets one question with the
likeliest topics as buttons; pain the assistant does not help with gets where to go."""
import asyncio

from rasa_sdk.executor import CollectingDispatcher

from actions.advice_text import fill
from actions.clarify import ActionClarify, ActionOutOfScope
from bot.knowledge_files import read_yaml
from tests.conftest import make_tracker

CLARIFY = read_yaml("knowledge/clarify.yml")


def run(action, text, intent, ranking=(), entities=None):
    tracker = make_tracker(text=text, intent=intent, entities=entities)
    tracker.latest_message["intent_ranking"] = [{"name": n, "confidence": c} for n, c in ranking]
    dispatcher = CollectingDispatcher()
    asyncio.run(action.run(dispatcher, tracker, {}))
    return dispatcher.messages


def test_clarify_offers_the_two_or_three_likeliest_topics_as_buttons():
    messages = run(ActionClarify(), "they wake me up most nights, is that normal?", "nlu_fallback",
                   [("nlu_fallback", 0.4), ("confirm_safe", 0.29), ("ask_causes", 0.2),
                    ("ask_medication", 0.1), ("ask_prevention", 0.09), ("greet", 0.01)])
    assert messages[0]["text"] == CLARIFY["clarify"]["question"]
    titles = [b["title"] for b in messages[0]["buttons"]]
    options = CLARIFY["clarify"]["options"]
    assert titles == [options["ask_causes"]["title"], options["ask_medication"]["title"],
                      options["ask_prevention"]["title"], CLARIFY["clarify"]["other"]["title"]]


def test_clarify_leaves_out_topics_far_less_likely_than_the_first():
    messages = run(ActionClarify(), "x", "nlu_fallback",
                   [("ask_heat_ice", 0.2), ("ask_stretching", 0.15), ("ask_causes", 0.01)])
    titles = [b["title"] for b in messages[0]["buttons"]]
    assert "Why cramps happen" not in titles and len(titles) == 3


def test_clarify_with_fewer_than_two_plausible_topics_asks_to_rephrase():
    messages = run(ActionClarify(), "qwerty", "nlu_fallback", [("greet", 0.2), ("ask_causes", 0.1)])
    assert messages[0]["response"] == "utter_ask_rephrase"


def test_clarify_other_pain_gets_a_clear_scope_and_where_to_go():
    messages = run(ActionOutOfScope(), "I have period cramps", "out_of_scope",
                   entities=[{"entity": "other_pain", "value": "period", "start": 9, "end": 15}])
    text = messages[0]["text"]
    assert text == fill(CLARIFY["other_pain"]["period"]["text"])
    assert text.startswith("I help with muscle spasms and cramps")
    assert "111" in text


def test_clarify_other_out_of_scope_keeps_the_general_answer():
    messages = run(ActionOutOfScope(), "what's the weather like", "out_of_scope")
    assert messages[0]["response"] == "utter_out_of_scope"
