"""What staff add to a conversation (reviewed flag, notes, tags) and the access log.

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

from bot.review.schema import access_log, notes, reviews, tags

TAG = re.compile(r"^[a-z0-9][a-z0-9 _-]{0,39}$")
MAX_NOTE = 5000


@dataclass
class Annotations:
    reviewed_by: Optional[str] = None
    reviewed_at: Optional[float] = None
    tags: List[dict] = field(default_factory=list)   # tag, author, created_at
    notes: List[dict] = field(default_factory=list)  # text, author, created_at

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
    return result


def recent_access(engine: Engine, sender_id: Optional[str] = None, limit: int = 200) -> List[dict]:
    """The newest access-log entries (of one conversation, if given)."""
    query = select(access_log).order_by(access_log.c.id.desc()).limit(limit)
    if sender_id:
        query = query.where(access_log.c.sender_id == sender_id)
    with engine.connect() as connection:
        return [dict(row._mapping) for row in connection.execute(query)]
