"""What staff add to a conversation (reviewed flag, notes, tags, assignee, corrections) and the
access log.

All of it lives in the console's review_* tables, never in tracker events, with who and when. Every
action is also written to the access log: who opened (`view`), revealed, exported, reviewed, noted
or tagged which conversation, and sign-ins.
"""
import re
import time
from dataclasses import dataclass, field
from typing import Dict, List, Optional

from sqlalchemy import delete, insert, select
from sqlalchemy.engine import Connection, Engine

from bot.review.schema import access_log, assignments, corrections, notes, reviews, tags

TAG = re.compile(r"^[a-z0-9][a-z0-9 _-]{0,39}$")
MAX_NOTE = 5000
CORRECTION_KINDS = ("intent", "missed_flag", "wrong_flag")


@dataclass
class Annotations:
    reviewed_by: Optional[str] = None
    reviewed_at: Optional[float] = None
    tags: List[dict] = field(default_factory=list)   # tag, author, created_at
    notes: List[dict] = field(default_factory=list)  # text, author, created_at
    assignee: Optional[str] = None
    assigned_by: Optional[str] = None
    # id, event_id, kind, value, author, created_at
    corrections: List[dict] = field(default_factory=list)

    @property
    def reviewed(self) -> bool:
        return self.reviewed_by is not None

    @property
    def tag_names(self) -> List[str]:
        return [t["tag"] for t in self.tags]


def _log(connection: Connection, username: str, action: str, sender_id: Optional[str],
         detail: Optional[str]) -> None:
    connection.execute(insert(access_log).values(at=time.time(), username=username, action=action,
                                                 sender_id=sender_id, detail=detail))


def log(engine: Engine, username: str, action: str, sender_id: Optional[str] = None,
        detail: Optional[str] = None) -> None:
    with engine.begin() as connection:
        _log(connection, username, action, sender_id, detail)


def set_reviewed(engine: Engine, sender_id: str, username: str, reviewed: bool) -> None:
    with engine.begin() as connection:
        connection.execute(delete(reviews).where(reviews.c.sender_id == sender_id))
        if reviewed:
            connection.execute(insert(reviews).values(sender_id=sender_id, reviewed_by=username,
                                                      reviewed_at=time.time()))
        _log(connection, username, "review" if reviewed else "unreview", sender_id, None)


def add_note(engine: Engine, sender_id: str, username: str, text: str) -> None:
    text = text.strip()
    if not text or len(text) > MAX_NOTE:
        raise ValueError(f"a note has 1 to {MAX_NOTE} characters")
    with engine.begin() as connection:
        connection.execute(insert(notes).values(sender_id=sender_id, author=username,
                                                created_at=time.time(), text=text))
        _log(connection, username, "note", sender_id, None)


def normalise_tag(tag: str) -> str:
    tag = " ".join(tag.lower().split())
    if not TAG.match(tag):
        raise ValueError("a tag has 1 to 40 letters, digits, spaces, - or _")
    return tag


def add_tag(engine: Engine, sender_id: str, username: str, tag: str) -> None:
    tag = normalise_tag(tag)
    with engine.begin() as connection:
        exists = connection.execute(select(tags.c.id).where(
            tags.c.sender_id == sender_id, tags.c.tag == tag)).first()
        if not exists:
            connection.execute(insert(tags).values(sender_id=sender_id, tag=tag, author=username,
                                                   created_at=time.time()))
            _log(connection, username, "tag", sender_id, tag)


def remove_tag(engine: Engine, sender_id: str, username: str, tag: str) -> None:
    with engine.begin() as connection:
        connection.execute(delete(tags).where(tags.c.sender_id == sender_id, tags.c.tag == tag))
        _log(connection, username, "untag", sender_id, tag)


def assign(engine: Engine, sender_id: str, username: str, assignee: str) -> None:
    """Give the conversation to `assignee` (an active account), or to nobody if it is empty: the
    queue shows whose it is, so two people do not call the same client."""
    from bot.review.accounts import active_usernames  # accounts imports nothing of this module
    assignee = assignee.strip()
    if assignee and assignee not in active_usernames(engine):
        raise ValueError(f"no active account {assignee!r}")
    with engine.begin() as connection:
        connection.execute(delete(assignments).where(assignments.c.sender_id == sender_id))
        if assignee:
            connection.execute(insert(assignments).values(
                sender_id=sender_id, assignee=assignee, assigned_by=username,
                assigned_at=time.time()))
        _log(connection, username, "assign", sender_id, assignee or "nobody")


def correct(engine: Engine, sender_id: str, username: str, event_id: int, kind: str,
            value: str) -> None:
    """Record what the assistant should have understood in one client message. The caller checks
    that `event_id` is a client message of this conversation and `value` a known intent or code.
    An intent correction replaces the message's earlier one; flag corrections add up."""
    if kind not in CORRECTION_KINDS:
        raise ValueError(f"a correction is one of {', '.join(CORRECTION_KINDS)}")
    with engine.begin() as connection:
        same = [corrections.c.event_id == event_id, corrections.c.kind == kind]
        if kind != "intent":
            same.append(corrections.c.value == value)
        connection.execute(delete(corrections).where(*same))
        connection.execute(insert(corrections).values(
            sender_id=sender_id, event_id=event_id, kind=kind, value=value, author=username,
            created_at=time.time()))
        _log(connection, username, "correct", sender_id, f"{kind} {value}")


def uncorrect(engine: Engine, sender_id: str, username: str, correction_id: int) -> None:
    with engine.begin() as connection:
        gone = connection.execute(delete(corrections).where(
            corrections.c.id == correction_id, corrections.c.sender_id == sender_id)).rowcount
        if not gone:
            raise ValueError("no such correction in this conversation")
        _log(connection, username, "uncorrect", sender_id, str(correction_id))


def of_conversation(engine: Engine, sender_id: str) -> Annotations:
    """Reviewed flag, tags (with who and when) and notes of one conversation."""
    found = all_annotations(engine, sender_id)
    return found.get(sender_id, Annotations())


def all_annotations(engine: Engine, sender_id: Optional[str] = None) -> Dict[str, Annotations]:
    """Annotations per sender id (of one sender, if given)."""
    def rows(connection: Connection, table, order):
        query = select(table).order_by(order)
        if sender_id:
            query = query.where(table.c.sender_id == sender_id)
        return connection.execute(query)

    result: Dict[str, Annotations] = {}
    with engine.connect() as connection:
        for row in rows(connection, reviews, reviews.c.sender_id):
            entry = result.setdefault(row.sender_id, Annotations())
            entry.reviewed_by, entry.reviewed_at = row.reviewed_by, row.reviewed_at
        for row in rows(connection, tags, tags.c.tag):
            result.setdefault(row.sender_id, Annotations()).tags.append(
                {"tag": row.tag, "author": row.author, "created_at": row.created_at})
        for row in rows(connection, notes, notes.c.id):
            result.setdefault(row.sender_id, Annotations()).notes.append(
                {"author": row.author, "created_at": row.created_at, "text": row.text})
        for row in rows(connection, assignments, assignments.c.sender_id):
            entry = result.setdefault(row.sender_id, Annotations())
            entry.assignee, entry.assigned_by = row.assignee, row.assigned_by
        for row in rows(connection, corrections, corrections.c.id):
            result.setdefault(row.sender_id, Annotations()).corrections.append(
                {"id": row.id, "event_id": row.event_id, "kind": row.kind, "value": row.value,
                 "author": row.author, "created_at": row.created_at})
    return result


def recent_access(engine: Engine, sender_id: Optional[str] = None, limit: int = 200) -> List[dict]:
    """The newest access-log entries (of one conversation, if given)."""
    query = select(access_log).order_by(access_log.c.id.desc()).limit(limit)
    if sender_id:
        query = query.where(access_log.c.sender_id == sender_id)
    with engine.connect() as connection:
        return [dict(row._mapping) for row in connection.execute(query)]
