"""Direct answers to self-care questions (knowledge/answers.yml), general advice and clinic contact."""
from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.advice_text import body_part, buttons, outcome_events, stretch_text, with_cautions
from actions.knowledge import knowledge

# Answers that change with the area the client names, and the stretch-library field they add.
AREA_SPECIFIC = {"ask_stretching": None, "ask_self_massage": "self_massage",
                 "ask_strengthening": "strengthen"}


def answer_for(intent: str, area: str = None) -> Dict[str, Any]:
    """The answer entry for an intent, with the stretch library's words for the area added."""
    entry = dict(knowledge()["answers"].get(intent) or knowledge()["answers"]["general"])
    if area and intent in AREA_SPECIFIC:
        field = AREA_SPECIFIC[intent]
        extra = stretch_text(area) if field is None else knowledge()["stretches"][area][field]
        entry["text"] = f"{entry['text'].strip()}\n\n{extra}"
        if field is None:
            entry["topics"] = list(dict.fromkeys(entry["topics"] + ["stretching"]))
    return entry


class ActionAnswerQuestion(Action):
    def name(self) -> Text:
        return "action_answer_question"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        intent = tracker.latest_message.get("intent", {}).get("name")
        entry = answer_for(intent, body_part(tracker))
        dispatcher.utter_message(text=with_cautions(tracker, entry["text"]), buttons=buttons(entry))
        return outcome_events(tracker, entry.get("topics", []))


class ActionGeneralAdvice(Action):
    """When the client leaves the assessment: the protocol's self-care in brief (SC1-SC6)."""

    def name(self) -> Text:
        return "action_general_advice"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        entry = answer_for("general")
        text = "No problem, here are the basics that help most people.\n" + entry["text"]
        dispatcher.utter_message(text=with_cautions(tracker, text), buttons=buttons(entry))
        return outcome_events(tracker, entry["topics"])


class ActionClinicContact(Action):
    def name(self) -> Text:
        return "action_clinic_contact"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        s = knowledge()["settings"]
        dispatcher.utter_message(text=(
            f"You can reach {s['clinic_name']} on {s['clinic_phone']} or {s['clinic_email']} "
            f"({s['clinic_hours']}), or book at {s['clinic_booking']}.\n"
            f"If it's urgent, call {s['urgent_line']}; in an emergency call {s['emergency_number']}."
        ))
        return []
