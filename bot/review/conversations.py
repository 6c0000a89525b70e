"""Conversations read from the tracker store's `events` table.

A conversation is everything stored under one sender id, across sessions; its number (`key`) is the
id of its first event, so URLs never carry a sender id (which can be a phone number). The outcome
slots of CONTRACT.md are folded over all its events: `triage_level` is the highest level set,
`red_flags` and `advice_topics` the union of every value set. An escalation is each time
`triage_level` rises above self_care, with the codes that appeared in that turn and the reason the
referral gave the client.

Texts are read as the tracker keeps them, which is what the client sent: a broken emoji arrives as
a lone UTF-16 surrogate ("\\ud83d"), which no UTF-8 page, JSON document or export can carry (the
pages answered 500). They become U+FFFD, the replacement character, here, as they are read: every
page, the API and the exports show what `load` returns.
"""
import json
import re
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional

from sqlalchemy import and_, func, inspect, or_, select
from sqlalchemy.engine import Engine

from bot.review.schema import events
from bot.triage.rules import level_rank

OUTCOME_SLOTS = ("triage_level", "red_flags", "advice_topics")
# A client message the assistant did not understand: the NLU's fallback intent, or a core fallback
# action run in answer to it (config.yml's core_fallback_action_name, Rasa's default fallback).
FALLBACK_INTENT = "nlu_fallback"
FALLBACK_ACTIONS = ("utter_ask_rephrase", "action_default_fallback")
# A client asking for a person or a call-back: the domain's intents for it (intents another version
# of the domain lacks are simply never seen, and count zero).
HANDOFF_INTENTS = ("request_human", "request_callback")
READ_SLOTS = OUTCOME_SLOTS + ("knowledge_version",)  # and which knowledge answered
REFERRAL = "utter_escalate_"
_REASON = re.compile(r"because you mentioned (.+?)\.?(?:\n|$)", re.I)
_LONE_SURROGATE = re.compile(r"[\ud800-\udfff]")  # json.loads makes one character of a valid pair


@dataclass
class Message:
    at: float
    sender: str  # "client", "bot" or "session" (a new session started)
    text: str = ""
    intent: Optional[str] = None
    event_id: int = 0        # the row of `events` (what a correction points at)
    fallback: bool = False   # a client message the assistant did not understand

    @property
    def handoff(self) -> bool:
        """A client asking for a person or a call-back."""
        return self.sender == "client" and self.intent in HANDOFF_INTENTS


@dataclass
class Escalation:
    at: float
    level: str
    previous: Optional[str]
    codes: List[str]
    trigger: str = ""  # the client's message of that turn (raw: mask before showing)
    reason: str = ""   # what the referral told the client, "because you mentioned ..."


@dataclass
class Conversation:
    sender_id: str
    key: int
    started: float
    last_active: float
    channel: str = "unknown"
    triage_level: Optional[str] = None
    red_flags: List[str] = field(default_factory=list)
    advice_topics: List[str] = field(default_factory=list)
    knowledge_version: Optional[str] = None  # the clinical knowledge that answered (first turn)
    escalations: List[Escalation] = field(default_factory=list)
    messages: List[Message] = field(default_factory=list)

    @property
    def client_texts(self) -> List[str]:
        return [m.text for m in self.messages if m.sender == "client"]


def _text(data: Dict[str, Any]) -> str:
    """An event's text, showable: lone surrogates replaced by U+FFFD."""
    return _LONE_SURROGATE.sub("\ufffd", data.get("text") or "")


def _union(into: List[str], value: Any) -> None:
    for item in value if isinstance(value, list) else [value]:
        if isinstance(item, str) and item not in into:
            into.append(item)


class _Folder:
    """Folds one sender's events, in id order, into a Conversation."""

    def __init__(self, conversation: Conversation) -> None:
        self.c = conversation
        self.flags_at_turn: List[str] = []
        self.trigger = ""
        self.last_client: Optional[Message] = None

    def add(self, type_name: str, at: float, intent: Optional[str], data: Dict[str, Any],
            event_id: int = 0, action: Optional[str] = None) -> None:
        c = self.c
        if type_name == "user":
            self.trigger = _text(data)
            self.flags_at_turn = list(c.red_flags)
            if c.channel == "unknown" and data.get("input_channel"):
                c.channel = data["input_channel"]
            c.messages.append(Message(at, "client", self.trigger, intent, event_id,
                                      fallback=intent == FALLBACK_INTENT))
            self.last_client = c.messages[-1]
        elif type_name == "action":
            if action in FALLBACK_ACTIONS and self.last_client is not None:
                self.last_client.fallback = True
        elif type_name == "bot":
            text = _text(data)
            c.messages.append(Message(at, "bot", text))
            utterance = (data.get("metadata") or {}).get("utter_action") or ""
            reason = _REASON.search(text)
            if utterance.startswith(REFERRAL) and reason and c.escalations:
                c.escalations[-1].reason = c.escalations[-1].reason or reason.group(0).strip()
        elif type_name == "session_started":
            c.messages.append(Message(at, "session"))
        elif type_name == "slot":
            self._slot(at, data.get("name"), data.get("value"))

    def _slot(self, at: float, name: Optional[str], value: Any) -> None:
        c = self.c
        if name == "red_flags":
            _union(c.red_flags, value)
        elif name == "advice_topics":
            _union(c.advice_topics, value)
        elif name == "knowledge_version" and value and not c.knowledge_version:
            c.knowledge_version = str(value)
        elif name == "triage_level" and level_rank(value) > level_rank(c.triage_level):
            if level_rank(value) > level_rank("self_care"):
                codes = [code for code in c.red_flags if code not in self.flags_at_turn]
                c.escalations.append(Escalation(at, value, c.triage_level, codes, self.trigger))
            c.triage_level = value


def _bounds(started_from: Optional[float], started_until: Optional[float], key: Optional[int]):
    """One row per conversation: sender id, key, first and last event time."""
    query = (select(events.c.sender_id, func.min(events.c.id).label("key"),
                    func.min(events.c.timestamp).label("started"),
                    func.max(events.c.timestamp).label("last_active"))
             .group_by(events.c.sender_id))
    if started_from is not None:
        query = query.having(func.min(events.c.timestamp) >= started_from)
    if started_until is not None:
        query = query.having(func.min(events.c.timestamp) < started_until)
    if key is not None:
        owner = select(events.c.sender_id).where(events.c.id == key).scalar_subquery()
        query = query.where(events.c.sender_id == owner).having(func.min(events.c.id) == key)
    return query


def load(engine: Engine, *, started_from: Optional[float] = None,
         started_until: Optional[float] = None, key: Optional[int] = None,
         with_bot: bool = False) -> List[Conversation]:
    """Conversations started in [started_from, started_until) (epoch seconds), or the one with
    `key`. Bot messages (and so referral reasons) only `with_bot`: lists do without them."""
    if not inspect(engine).has_table("events"):
        return []  # the assistant has not stored anything yet
    bounds = _bounds(started_from, started_until, key).subquery()
    kinds = [events.c.type_name.in_(["user", "session_started"] + (["bot"] if with_bot else [])),
             and_(events.c.type_name == "slot", events.c.action_name.in_(READ_SLOTS)),
             and_(events.c.type_name == "action", events.c.action_name.in_(FALLBACK_ACTIONS))]
    rows = select(events.c.id, events.c.sender_id, events.c.type_name, events.c.timestamp,
                  events.c.intent_name, events.c.action_name, events.c.data).where(
        events.c.sender_id.in_(select(bounds.c.sender_id)), or_(*kinds)).order_by(events.c.id)
    with engine.connect() as connection:
        folders = {row.sender_id: _Folder(Conversation(row.sender_id, row.key, row.started,
                                                        row.last_active))
                   for row in connection.execute(select(bounds))}
        for row in connection.execute(rows):
            folder = folders.get(row.sender_id)  # None: a conversation begun since the first query
            if folder:
                folder.add(row.type_name, row.timestamp, row.intent_name,
                           json.loads(row.data or "{}"), row.id, row.action_name)
    return [folder.c for folder in folders.values()]


def find(engine: Engine, key: int) -> Optional[Conversation]:
    """One conversation with its whole transcript, or None."""
    found = load(engine, key=key, with_bot=True)
    return found[0] if found else None

