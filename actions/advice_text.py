"""Building advice messages from the knowledge files: stretches, cautions and the outcome slots."""
from typing import Any, Dict, List, Optional

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet

from actions.knowledge import knowledge
from bot.triage.rules import level_rank


def body_part(tracker: Tracker) -> Optional[str]:
    """The area the client just named, else the one from their assessment."""
    named = [e["value"] for e in tracker.latest_message.get("entities", [])
             if e.get("entity") == "body_part"]
    area = named[0] if named else tracker.get_slot("spasm_area")
    return area if area in knowledge()["stretches"] else None


def stretch_text(area: str) -> str:
    stretch = knowledge()["stretches"][area]
    steps = "\n".join(f"{i}. {step}" for i, step in enumerate(stretch["steps"], 1))
    return f"{stretch['name']}:\n{steps}\n{stretch['hold']}\n{stretch['avoid']}"


def cautions(tracker: Tracker) -> List[str]:
    """One line per flagged code that changes self-care: caution codes and referral codes."""
    k = knowledge()
    lines = []
    for code in tracker.get_slot("red_flags") or []:
        if code in k["cautions"]:
            lines.append(k["cautions"][code]["text"].strip())
        elif code in k["red_flags"].codes and level_rank(k["red_flags"].codes[code].level) > 1:
            meanwhile = k["red_flags"].codes[code].meanwhile.format_map(k["settings"])
            if meanwhile:
                lines.append(meanwhile)
    return [line for i, line in enumerate(lines) if line not in lines[:i]]


def with_cautions(tracker: Tracker, text: str) -> str:
    """The advice, the client's cautions, and the one-line safety note."""
    notes = cautions(tracker)
    parts = [text.strip()]
    if notes:
        parts.append("Please note: " + " ".join(notes))
    parts.append(knowledge()["safety_note"])
    return "\n\n".join(parts)


def outcome_events(tracker: Tracker, topics: List[str]) -> List[SlotSet]:
    """advice_topics gains the topics; triage_level becomes self_care if nothing set it yet."""
    events = []
    known = tracker.get_slot("advice_topics") or []
    merged = known + [t for t in topics if t not in known]
    if merged != known:
        events.append(SlotSet("advice_topics", merged))
    if topics and not tracker.get_slot("triage_level"):
        events.append(SlotSet("triage_level", "self_care"))
    return events


def buttons(entry: Dict[str, Any]) -> List[Dict[str, str]]:
    return [{"title": b["title"], "payload": b["payload"]} for b in entry.get("buttons", [])]
