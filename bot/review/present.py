"""Conversations as the console shows and exports them, masked unless revealed.

The single place where client text leaves the database: pages, the JSON API and the exports all go
through `summary` and `detail`, which mask e-mails, phone numbers, postcodes, street addresses,
dates of birth and names (bot.review.pii) unless `reveal` is asked by someone with the
`reveal_pii` permission.

Codes and levels are shown by the plain-language `label` knowledge/red_flags.yml gives them (the code
itself stays in the data, for tools). The intent the NLU gave each client message is included only
`with_intents` (the admin role's `see_intents`): staff read it as a judgement it is not.
"""
from datetime import datetime
from functools import lru_cache
from typing import Any, Dict, List, Optional, Tuple
from zoneinfo import ZoneInfo

from bot.review.annotations import Annotations
from bot.review.conversations import Conversation
from bot.review.filters import Row, rows_of
from bot.review.pii import mask_identifier
from bot.triage import rules as triage_rules

FIRST_MESSAGE_CHARS = 200


@lru_cache(maxsize=1)
def _labels() -> Tuple[Dict[str, str], Dict[str, str]]:
    """(level -> label, code -> label) from the red-flag rules; a missing label is the name."""
    rules = triage_rules.load()
    levels = {name: str((spec or {}).get("label") or name) for name, spec in rules.levels.items()}
    codes = {name: code.label or name for name, code in rules.codes.items()}
    return levels, codes


def level_label(level: Optional[str]) -> str:
    """A triage level as staff read it ("Ambulance now"); no level is "No level"."""
    if not level or level == "none":
        return "No level"
    return _labels()[0].get(level, level)


def flag_label(code: str) -> str:
    """A red-flag or caution code as staff read it ("Signs of a stroke (...)")."""
    return _labels()[1].get(code, code)


def when(timestamp: Optional[float], zone: ZoneInfo) -> Optional[str]:
    """ISO 8601 in the console's time zone, to the second."""
    if timestamp is None:
        return None
    return datetime.fromtimestamp(timestamp, zone).isoformat(timespec="seconds")


def summary(row: Row, zone: ZoneInfo, reveal: bool = False) -> Dict[str, Any]:
    """One line of the list and of the CSV export."""
    c, notes = row.conversation, row.annotations
    show = (lambda text: text) if reveal else row.masker
    first = next(iter(c.client_texts), "")
    return {
        "conversation": c.key,
        "sender": c.sender_id if reveal else mask_identifier(c.sender_id),
        "channel": c.channel,
        "started": when(c.started, zone),
        "last_active": when(c.last_active, zone),
        "triage_level": c.triage_level,
        "triage_level_label": level_label(c.triage_level),
        "red_flags": list(c.red_flags),
        "red_flag_labels": [flag_label(code) for code in c.red_flags],
        "advice_topics": list(c.advice_topics),
        "knowledge_version": c.knowledge_version,
        "escalations": len(c.escalations),
        "client_messages": len(c.client_texts),
        "first_message": show(first)[:FIRST_MESSAGE_CHARS],
        "reviewed": notes.reviewed,
        "reviewed_by": notes.reviewed_by,
        "reviewed_at": when(notes.reviewed_at, zone),
        "tags": notes.tag_names,
        "assignee": notes.assignee,
    }


def _dated(items: List[Dict[str, Any]], zone: ZoneInfo, key: str = "created_at") -> List[Dict]:
    return [{**item, key: when(item[key], zone)} for item in items]


def _corrections(items: List[Dict[str, Any]], zone: ZoneInfo) -> List[Dict[str, Any]]:
    return [{**item, "created_at": when(item["created_at"], zone),
             "label": flag_label(item["value"]) if item["kind"] != "intent" else item["value"]}
            for item in items]


def detail(row: Row, zone: ZoneInfo, reveal: bool = False,
           with_intents: bool = False) -> Dict[str, Any]:
    """The whole conversation: transcript, escalations, what staff added (corrections with the
    message they are about)."""
    c, notes = row.conversation, row.annotations
    show = (lambda text: text) if reveal else row.masker
    record = summary(row, zone, reveal)
    record.pop("first_message")
    corrected = _corrections(notes.corrections, zone)
    record["messages"] = [
        {"at": when(m.at, zone), "sender": m.sender,
         "text": show(m.text) if m.sender == "client" else m.text,
         "intent": m.intent if with_intents else None, "event": m.event_id,
         "fallback": m.fallback,
         "corrections": [k for k in corrected
                         if m.sender == "client" and k["event_id"] == m.event_id]}
        for m in c.messages]
    record["escalations"] = [
        {"at": when(e.at, zone), "level": e.level, "level_label": level_label(e.level),
         "previous": e.previous, "codes": e.codes, "code_labels": [flag_label(x) for x in e.codes],
         "reason": e.reason, "trigger": show(e.trigger)}
        for e in c.escalations]
    record["tags"] = _dated(notes.tags, zone)
    record["notes"] = _dated(notes.notes, zone)
    record["corrections"] = corrected
    return record


def row_for(conversation: Conversation, annotations: Annotations) -> Row:
    """A Row for one conversation (the detail page reads one, not a list)."""
    return rows_of([conversation], {conversation.sender_id: annotations})[0]
