"""Conversations as the console shows and exports them, masked unless revealed.

The single place where client text leaves the database: pages, the JSON API and the exports all go
through `summary` and `detail`, which mask e-mails, phone numbers, postcodes, street addresses,
dates of birth and names (bot.review.pii) unless `reveal` is asked by someone with the
`reveal_pii` permission.
"""
from datetime import datetime
from typing import Any, Dict, List, Optional
from zoneinfo import ZoneInfo

from bot.review.annotations import Annotations
from bot.review.conversations import Conversation
from bot.review.filters import Row, rows_of
from bot.review.pii import mask_identifier

FIRST_MESSAGE_CHARS = 200


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
        "red_flags": list(c.red_flags),
        "advice_topics": list(c.advice_topics),
        "knowledge_version": c.knowledge_version,
        "escalations": len(c.escalations),
        "client_messages": len(c.client_texts),
        "first_message": show(first)[:FIRST_MESSAGE_CHARS],
        "reviewed": notes.reviewed,
        "reviewed_by": notes.reviewed_by,
        "reviewed_at": when(notes.reviewed_at, zone),
        "tags": notes.tag_names,
    }


def _dated(items: List[Dict[str, Any]], zone: ZoneInfo, key: str = "created_at") -> List[Dict]:
    return [{**item, key: when(item[key], zone)} for item in items]


def detail(row: Row, zone: ZoneInfo, reveal: bool = False) -> Dict[str, Any]:
    """The whole conversation: transcript, escalations, what staff added."""
    c, notes = row.conversation, row.annotations
    show = (lambda text: text) if reveal else row.masker
    record = summary(row, zone, reveal)
    record.pop("first_message")
    record["messages"] = [
        {"at": when(m.at, zone), "sender": m.sender,
         "text": show(m.text) if m.sender == "client" else m.text, "intent": m.intent}
        for m in c.messages]
    record["escalations"] = [
        {"at": when(e.at, zone), "level": e.level, "previous": e.previous, "codes": e.codes,
         "reason": e.reason, "trigger": show(e.trigger)}
        for e in c.escalations]
    record["tags"] = _dated(notes.tags, zone)
    record["notes"] = _dated(notes.notes, zone)
    return record


def row_for(conversation: Conversation, annotations: Annotations) -> Row:
    """A Row for one conversation (the detail page reads one, not a list)."""
    return rows_of([conversation], {conversation.sender_id: annotations})[0]
