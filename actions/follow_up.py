"""Follow-ups answered against the conversation (issue 16, point 3): "so which one should I use? it
only started today" after "hot or cold?", "any other ones?" after a stretch, "what can I do about
it myself?" after a report.

What the message refers to is read from the conversation: the last self-care question asked, the
area named last and when it started (actions/memory.py). With nothing to refer to, the assistant
asks what the client means (actions/clarify.py) rather than guessing.
"""
from functools import lru_cache
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import memory, reading
from actions.advice_text import Part, advised, body_part, buttons, entry_parts, outcome_events
from actions.answers import answer_for
from actions.assessment import personal_advice
from actions.clarify import ask_to_clarify
from actions.knowledge import knowledge
from bot.follow_ups import follow_up_kind
from bot.knowledge_files import read_yaml

AREA_EXTRAS = {"ask_stretching": ("self_massage", "strengthen"),
               "ask_self_massage": ("strengthen",), "ask_strengthening": ("self_massage",)}
EXTRA_TOPICS = {"self_massage": "self_massage", "strengthen": "strengthening"}


@lru_cache(maxsize=1)
def follow_up_words() -> Dict[str, Any]:
    return read_yaml("knowledge/conversation_memory.yml")["follow_ups"]


def last_question(tracker: Tracker) -> Optional[str]:
    """The self-care question (ask_* intent) the client asked last, before the latest message, in
    this session; `report_spasm` when a report came after it."""
    users = []
    for event in tracker.events or []:
        if event.get("event") == "session_started":
            users = []
        elif event.get("event") == "user":
            users.append(((event.get("parse_data") or {}).get("intent") or {}).get("name") or "")
    for intent in reversed(users[:-1]):
        if intent.startswith("ask_") or intent in ("report_spasm", "inform"):
            return intent if intent.startswith("ask_") else "report_spasm"
    return None


def which_heat_or_ice(tracker: Tracker) -> List[Part]:
    """Heat or ice decided by when it started (said now or earlier), with the answer's safety line."""
    said = memory.remembered(tracker)
    onset = reading.onset_kind(said.get(memory.ONSET) or tracker.get_slot(memory.ONSET),
                               knowledge()["assessment"]["onset"])
    choice = follow_up_words()["heat_or_ice"][onset or "unknown"]
    parts = entry_parts(knowledge()["answers"]["ask_heat_ice"])
    chosen = choice["choose"]
    if chosen is None:
        return [([], choice["lead"])] + parts
    return [([], choice["lead"])] + [
        (topics if chosen in topics and len(topics) == 1 else [], text) for topics, text in parts
        if chosen in topics]


def another_for(question: str, area: Optional[str]) -> List[Part]:
    """"Any other ones?": for a named area, the area's other exercises than the one shown."""
    extras = AREA_EXTRAS.get(question)
    if not (extras and area):
        return answer_for(question, area)["parts"]
    stretch = knowledge()["stretches"][area]
    return [([], follow_up_words()["another_for_area"])] + [
        ([EXTRA_TOPICS[field]], "• " + stretch[field]) for field in extras if stretch.get(field)]


def what_else(tracker: Tracker) -> List[Part]:
    """"What can I do about it myself?": advice for what was reported, tailored to what is known."""
    said = {**memory.remembered(tracker),
            **{k: v for k, v in tracker.slots.items() if k in memory.FORM_SLOTS and v}}
    if said.get(memory.AREA) or said.get(memory.ONSET):
        return personal_advice(said)
    return answer_for("general")["parts"]


class ActionFollowUp(Action):
    def name(self) -> Text:
        return "action_follow_up"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        kind = follow_up_kind(tracker.latest_message.get("text"), follow_up_words())
        question = last_question(tracker)
        area = body_part(tracker)
        if kind == "which_one" and question in ("ask_heat_ice", "report_spasm", None):
            parts = which_heat_or_ice(tracker) if question else None
        elif kind == "which_one" or (kind == "another" and question and question.startswith("ask_")):
            parts = another_for(question, area) if kind == "another" else answer_for(question, area)["parts"]
        elif kind == "what_else" or (kind == "another" and question == "report_spasm"):
            parts = what_else(tracker)
        else:
            parts = None
        if not parts:
            ask_to_clarify(dispatcher, tracker)
            return memory.slot_events(tracker)
        text, topics = advised(tracker, parts)
        dispatcher.utter_message(text=text, buttons=buttons(knowledge()["answers"]["general"]))
        return outcome_events(tracker, topics) + memory.slot_events(tracker)
