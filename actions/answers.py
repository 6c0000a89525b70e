"""Direct answers to self-care questions (knowledge/answers.yml), general advice and clinic contact."""
from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.advice_text import (Part, advised, body_part, buttons, entry_parts, fill,
                                 outcome_events, stretch_text)
from actions import memory
from actions.knowledge import knowledge
from bot.questions import looks_like_question

START_ASSESSMENT = ("I'm sorry you're dealing with that. A few quick questions so my tips fit you "
                    "(you can say \"skip\" or \"stop\" any time).")

ACTIVE_SPASM = "ask_active_spasm"
# Answers that change with the area the client names, and the stretch-library field they add.
AREA_SPECIFIC = {"ask_stretching": None, "ask_self_massage": "self_massage",
                 "ask_strengthening": "strengthen"}


def answer_for(intent: str, area: str = None) -> Dict[str, Any]:
    """The answer entry for an intent, as parts (topics, text), with the stretch library's words
    for the area added as a part of their own."""
    entry = dict(knowledge()["answers"].get(intent) or knowledge()["answers"]["general"])
    parts: List[Part] = entry_parts(entry)
    if area and intent in AREA_SPECIFIC:
        field = AREA_SPECIFIC[intent]
        extra = stretch_text(area) if field is None else knowledge()["stretches"][area][field]
        topic = "stretching" if field is None else ("self_massage" if field == "self_massage"
                                                     else "strengthening")
        parts.append(([topic], "\n" + extra))
    entry["parts"] = parts
    return entry


class ActionAnswerQuestion(Action):
    def name(self) -> Text:
        return "action_answer_question"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        entry = answer_for(asked_intent(tracker), body_part(tracker))
        text, topics = advised(tracker, entry["parts"])
        dispatcher.utter_message(text=text, buttons=buttons(entry))
        return outcome_events(tracker, topics) + memory.slot_events(tracker)


def asked_intent(tracker: Tracker) -> str:
    """The self-care question the message asks: the best-ranked ask_* intent ("general" if none).

    The "what to do during a spasm right now" answer needs the spasm to be happening now (the
    red-flag rules' NOW concept): "my calves cramp a lot, am I overdoing it?" gets the next answer.
    """
    message = tracker.latest_message
    now = "NOW" in (message.get("triage") or {}).get("concepts", ["NOW"])
    ranking = [message.get("intent") or {}] + (message.get("intent_ranking") or [])
    asked = [r["name"] for r in ranking if (r.get("name") or "").startswith("ask_")
             and (now or r["name"] != ACTIVE_SPASM)]
    return asked[0] if asked else "general"


class ActionStartAssessment(Action):
    """Before the assessment: answers a question asked with the report, so advice never waits."""

    def name(self) -> Text:
        return "action_start_assessment"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        events = []
        if looks_like_question(tracker.latest_message.get("text")):
            entry = answer_for(asked_intent(tracker), body_part(tracker))
            text, topics = advised(tracker, entry["parts"])
            dispatcher.utter_message(text=text)
            events = outcome_events(tracker, topics)
        dispatcher.utter_message(text=START_ASSESSMENT)
        return events


class ActionGeneralAdvice(Action):
    """When the client leaves the assessment: the protocol's self-care in brief (SC1-SC6)."""

    def name(self) -> Text:
        return "action_general_advice"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        entry = answer_for("general")
        text, topics = advised(tracker, entry["parts"],
                               lead="No problem, here are the basics that help most people.")
        dispatcher.utter_message(text=text, buttons=buttons(entry))
        return outcome_events(tracker, topics)


class ActionClinicContact(Action):
    def name(self) -> Text:
        return "action_clinic_contact"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        dispatcher.utter_message(text=fill(
            "You can reach {clinic_name} on {clinic_phone} or {clinic_email} ({clinic_hours}), "
            "or book at {clinic_booking}.\n"
            "If it's urgent, call {urgent_line}; in an emergency call {emergency_number}."))
        return []
