"""Not guessing (issue 16, point 4): a clarifying question with the likeliest topics as buttons when
the classifier is unsure, and a clear answer for pain the assistant does not help with.

Both read knowledge/clarify.yml. The threshold below which a message counts as unsure is
FallbackClassifier's in config.yml, chosen from the reliability measured in docs/confidence.md.
"""
from functools import lru_cache
from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.advice_text import fill
from bot.knowledge_files import read_yaml

FALLBACK = "nlu_fallback"
REPHRASE = "utter_ask_rephrase"


@lru_cache(maxsize=1)
def clarify_knowledge() -> Dict[str, Any]:
    return read_yaml("knowledge/clarify.yml")


def likeliest_options(tracker: Tracker) -> List[Dict[str, str]]:
    """The buttons of the likeliest intents that have one, best first: at most `max_options`, each
    at least `min_share` of the likeliest one's confidence."""
    rules = clarify_knowledge()["clarify"]
    ranking = [r for r in (tracker.latest_message.get("intent_ranking") or [])
               if r.get("name") in rules["options"]]
    if not ranking:
        return []
    top = ranking[0].get("confidence") or 0.0
    chosen = [r for r in ranking if (r.get("confidence") or 0.0) >= rules["min_share"] * top]
    return [dict(rules["options"][r["name"]]) for r in chosen[:rules["max_options"]]]


def ask_to_clarify(dispatcher: CollectingDispatcher, tracker: Tracker) -> None:
    """One question with the two or three likeliest topics as buttons, or the plain rephrase
    request when fewer than two topics are plausible."""
    rules = clarify_knowledge()["clarify"]
    options = likeliest_options(tracker)
    if len(options) < 2:
        dispatcher.utter_message(response=REPHRASE)
        return
    other = rules.get("other")
    buttons = options + ([dict(other)] if other and other not in options else [])
    dispatcher.utter_message(text=rules["question"], buttons=buttons)


class ActionClarify(Action):
    """For a message the classifier is unsure of (nlu_fallback)."""

    def name(self) -> Text:
        return "action_clarify"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        ask_to_clarify(dispatcher, tracker)
        return []


class ActionOutOfScope(Action):
    """Out of scope: pain the assistant does not help with gets where to go; anything else, the
    general "I can only help with muscle spasms and cramps" with topic buttons."""

    def name(self) -> Text:
        return "action_out_of_scope"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        kinds = [e.get("value") for e in tracker.latest_message.get("entities") or []
                 if e.get("entity") == "other_pain"]
        pain = clarify_knowledge()["other_pain"]
        if kinds and kinds[0] in pain:
            dispatcher.utter_message(text=fill(pain[kinds[0]]["text"]), buttons=[
                {"title": "Talk to the clinic", "payload": "I'd like to talk to a person"},
                {"title": "Muscle cramp tips", "payload": "what can I do myself for cramps?"}])
        else:
            dispatcher.utter_message(response="utter_out_of_scope")
        return []
