"""Conversation memory: what the client has already said about their spasm, in any turn and any order.

The assessment form asks for area, onset, activity and severity. A client often says them before
being asked ("hot or cold for my back spasm?"), several at once ("about 6 out of 10, started
yesterday") or in an earlier turn. Each message is read for every item (the vocabularies of
knowledge/conversation_memory.yml, assessment.yml, triggers.yml, and the body_part entity), so the
form fills what was said and asks only what is missing.
"""
import re
from functools import lru_cache
from typing import Any, Dict, List, Optional, Tuple

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet

from actions import reading
from actions.knowledge import knowledge
from bot.knowledge_files import read_yaml

AREA, ONSET, ACTIVITY, SEVERITY = "spasm_area", "spasm_onset", "spasm_activity", "spasm_severity"
_EXPLICIT_SCORE = re.compile(r"\b(10|[0-9])\s*(?:/|out of|outta)\s*10\b")


@lru_cache(maxsize=1)
def vocabulary() -> Dict[str, List[str]]:
    return read_yaml("knowledge/conversation_memory.yml")["memory"]


@lru_cache(maxsize=None)
def _phrases(words: Tuple[str, ...]) -> "re.Pattern[str]":
    alternatives = sorted((re.escape(w.lower()) for w in words), key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(alternatives) + r")\b")


def _says(text: str, key: str) -> bool:
    return bool(_phrases(tuple(vocabulary()[key])).search(text.lower()))


def says_onset(text: Optional[str]) -> bool:
    """The message says when the spasm started, in words the onset rules can read."""
    if not text:
        return False
    return bool(_says(text, "onset_said") and reading.onset_kind(text, knowledge()["assessment"]["onset"]))


def says_activity(text: Optional[str]) -> bool:
    """The message says what the client was doing: an activity clause ("when I lifted a box",
    "after my run"). Activity words alone are not enough: "hot or cold?" is not hot weather."""
    return bool(text) and _says(text, "activity_said")


def says_severity(text: Optional[str]) -> bool:
    """A pain score or a clear severity word, said whether or not it was asked."""
    if not text:
        return False
    return bool(_EXPLICIT_SCORE.search(text.lower()) or _says(text, "severity_said"))


def areas_in(message: Dict[str, Any]) -> List[str]:
    return [e["value"] for e in message.get("entities") or [] if e.get("entity") == "body_part"]


def said_in(message: Dict[str, Any]) -> Dict[str, str]:
    """What one client message says: slot -> the value the form keeps (area name, or the text)."""
    text = message.get("text") or ""
    found: Dict[str, str] = {}
    areas = [a for a in areas_in(message) if a in knowledge()["stretches"]]
    if areas:
        found[AREA] = areas[0]
    if says_onset(text):
        found[ONSET] = text
    if says_activity(text):
        found[ACTIVITY] = text
    if says_severity(text):
        found[SEVERITY] = text
    return found


def client_messages(tracker: Tracker) -> List[Dict[str, Any]]:
    """The client's messages of the current session, oldest first, the latest included."""
    messages: List[Dict[str, Any]] = []
    for event in tracker.events or []:
        if event.get("event") == "session_started":
            messages = []
        elif event.get("event") == "user":
            messages.append({"text": event.get("text"),
                             "entities": (event.get("parse_data") or {}).get("entities")
                             or event.get("entities") or []})
    latest = tracker.latest_message or {}
    if latest.get("text") is not None and (not messages or messages[-1]["text"] != latest.get("text")):
        messages.append({"text": latest.get("text"), "entities": latest.get("entities") or []})
    return messages


def remembered(tracker: Tracker) -> Dict[str, str]:
    """Every item the conversation has said so far; a later message wins over an earlier one."""
    found: Dict[str, str] = {}
    for message in client_messages(tracker):
        found.update(said_in(message))
    return found


def last_area(tracker: Tracker) -> Optional[str]:
    """The body area the client named most recently in this conversation."""
    for message in reversed(client_messages(tracker)):
        areas = [a for a in areas_in(message) if a in knowledge()["stretches"]]
        if areas:
            return areas[0]
    return None



FORM = "assessment_form"
FORM_SLOTS = (AREA, ONSET, ACTIVITY, SEVERITY)


def slot_events(tracker: Tracker) -> List[Any]:
    """During the assessment, the items the latest message says that are still empty, as SlotSet
    events: an action that answers a question asked mid-assessment keeps what the question told
    ("should I ice it? it only started this morning"), so the form does not ask it next."""
    if (tracker.active_loop or {}).get("name") != FORM:
        return []
    said = said_in(tracker.latest_message or {})
    return [SlotSet(slot, said[slot]) for slot in FORM_SLOTS
            if slot in said and tracker.get_slot(slot) is None]
