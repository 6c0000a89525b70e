"""Direct answers to self-care questions (knowledge/answers.yml), general advice and clinic contact."""
from typing import Any, Dict, List, Text, Tuple

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import memory
from actions.advice_text import (
    Part,
    advised,
    body_part,
    buttons,
    entry_parts,
    fill,
    outcome_events,
    stretch_buttons,
    stretch_reply,
    stretch_text,
)
from actions.knowledge import knowledge
from actions.several_topics import several_topics_answer
from bot.questions import looks_like_question

START_ASSESSMENT = ("I'm sorry you're dealing with that. A few quick questions so my tips fit you "
                    "(you can say \"skip\" or \"stop\" any time).")
# After what to do during a spasm happening now: the questions come once it has eased.
START_AFTER_ACTIVE = ("When it has eased, a few quick questions so my tips fit you "
                      "(you can say \"skip\" or \"stop\" any time).")
ALREADY_SAID = "That's my answer just above. Would one of these help?"

ACTIVE_SPASM = "ask_active_spasm"
# Answers that change with the area the client names, and the stretch-library field they add.
AREA_SPECIFIC = {"ask_stretching": None, "ask_self_massage": "self_massage",
                 "ask_strengthening": "strengthen"}


def answer_for(intent: str, area: str = None) -> Dict[str, Any]:
    """The answer entry for an intent, as parts (topics, text), with the stretch library's words
    for the area added as a part of their own."""
    entry = dict(knowledge()["answers"].get(intent) or knowledge()["answers"]["general"])
    parts: List[Part] = entry_parts(entry)
    if area and intent == "ask_stretching":
        # the muscle is known: its stretch, first and on its own (phone-first)
        entry["parts"], entry["buttons"] = [(["stretching"], stretch_reply(area))], stretch_buttons(area)
        return entry
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
        text, reply_buttons, topics = reply(tracker, asked_intent(tracker))
        dispatcher.utter_message(text=text, buttons=reply_buttons)
        return outcome_events(tracker, topics) + memory.slot_events(tracker)


def reply(tracker: Tracker, intent: str) -> Tuple[str, List[Dict[str, str]], List[str]]:
    """(text, buttons, topics advised) answering the message: the intent's answer, or one short
    answer per topic when the message asks about several; never the previous turn's text again
    (the same stretch asked for twice shows the next one)."""
    area = body_part(tracker)
    text, reply_buttons, topics = _compose(tracker, intent, area)
    if _said_last_turn(tracker, text):
        if intent == "ask_stretching" and area:
            text, reply_buttons, topics = _compose(
                tracker, intent, knowledge()["stretches"][area]["another"])
        else:
            text = ALREADY_SAID
    return text, reply_buttons, topics


def _compose(tracker: Tracker, intent: str, area: str) -> Tuple[str, List[Dict[str, str]], List[str]]:
    entry = answer_for(intent, area)
    several = several_topics_answer(tracker, intent, entry, area)
    parts, reply_buttons = several if several else (entry["parts"], buttons(entry))
    text, topics = advised(tracker, parts)
    return text, reply_buttons, topics


def _said_last_turn(tracker: Tracker, text: str) -> bool:
    """Whether the assistant's previous turn already said this (the once-a-conversation safety
    note aside): no identical message twice in a row."""
    note = knowledge()["safety_note"]
    same = text.replace(note, "").strip()
    seen_client = 0
    for event in reversed(tracker.events or []):
        if event.get("event") == "user":
            seen_client += 1
            if seen_client == 2:
                break
        elif event.get("event") == "bot" and seen_client == 1:
            if (event.get("text") or "").replace(note, "").strip() == same:
                return True
    return False


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
        now = spasm_now(tracker)
        if now or looks_like_question(tracker.latest_message.get("text")):
            text, _, topics = reply(tracker, ACTIVE_SPASM if now else asked_intent(tracker))
            dispatcher.utter_message(text=text)
            events = outcome_events(tracker, topics)
        dispatcher.utter_message(text=START_AFTER_ACTIVE if now else START_ASSESSMENT)
        return events


def spasm_now(tracker: Tracker) -> bool:
    """A spasm happening as the client writes: what to do now comes before any question. The
    red-flag rules' `active_spasm` finding (a severe one: "my calf is cramping right now, it's
    agony"), or any spasm word with their NOW concept ("my hamstring is seizing up as we speak")."""
    findings = tracker.latest_message.get("triage") or {}
    concepts = set(findings.get("concepts") or [])
    return "active_spasm" in (findings.get("codes") or []) or {"NOW", "SPASM_WORD"} <= concepts


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


CALL_BACK = {"title": "Ask for a call-back", "payload": "please call me back"}


class ActionClinicContact(Action):
    def name(self) -> Text:
        return "action_clinic_contact"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        dispatcher.utter_message(text=fill(
            "You can reach {clinic_name} on {clinic_phone} or {clinic_email} ({clinic_hours}), "
            "or book at {clinic_booking}.\n"
            "If it's urgent, call {urgent_line}; in an emergency call {emergency_number}."),
            buttons=[CALL_BACK])  # or the clinic calls them (callback_form, issue 17)
        return []
