"""Helpers shared by the end-to-end tests: reading replies, slots and the clinic settings.

The tests talk to the real assistant (Rasa server + action server) through the `assistant` fixture
of tests/conftest.py. Expected wording is written out in the tests themselves (from
knowledge/*.yml and settings/clinic.yml as reviewed), so a wrong answer makes a test fail.
"""
import time
import uuid
from typing import Any, Dict, Iterable, List, Optional

import requests

from bot.channels.rest_token import client_headers
from bot.settings import load_settings

LEVELS = ("self_care", "consultation", "consultation_24", "emergency", "emergency_ambulance")

# Distinctive words of each assessment question (knowledge/assessment.yml).
QUESTION_WORDS = {
    "spasm_area": "which muscle or area is affected",
    "spasm_onset": "when did it start",
    "spasm_activity": "what were you doing when it started",
    "spasm_severity": "how bad is it from 0",
    "medical_history": "do any of these apply to you",
}
SAFETY_NOTE = ("if you notice swelling, redness, numbness, breathlessness, or the pain gets much "
               "worse, stop and get medical help.")
REFERRAL_REASON = "because you mentioned"
REMINDER_WORDS = "self-care advice isn't safe yet"


def settings() -> Dict[str, str]:
    """settings/clinic.yml (or CLINIC_SETTINGS), the same file the servers read."""
    return load_settings()


def level_rank(level: Optional[str]) -> int:
    return LEVELS.index(level) + 1 if level in LEVELS else 0


def text_of(messages: List[Dict[str, Any]]) -> str:
    """All bot texts of one turn, joined, lower-cased."""
    return "\n".join(m.get("text") or "" for m in messages).lower()


def buttons_of(messages: List[Dict[str, Any]]) -> List[Dict[str, str]]:
    return [b for m in messages for b in (m.get("buttons") or [])]


def questions_in(messages: List[Dict[str, Any]]) -> List[str]:
    """The assessment questions (slot names) asked in one turn, in order."""
    text = text_of(messages)
    found = [(text.find(words), slot) for slot, words in QUESTION_WORDS.items() if words in text]
    return [slot for _, slot in sorted(found)]


def describe(messages: List[Dict[str, Any]]) -> str:
    """A readable dump of a turn's messages for assertion messages."""
    if not messages:
        return "<no bot message>"
    lines = []
    for m in messages:
        line = repr(m.get("text"))
        if m.get("buttons"):
            line += f"  buttons={[b.get('title') for b in m['buttons']]}"
        lines.append(line)
    return "\n    ".join(lines)


def flags(slots: Dict[str, Any]) -> List[str]:
    return list(slots.get("red_flags") or [])


def topics(slots: Dict[str, Any]) -> List[str]:
    return list(slots.get("advice_topics") or [])


class Chat:
    """One conversation with the assistant: every turn's messages are kept for the assertions."""

    def __init__(self, client, sender: Optional[str] = None) -> None:
        self.client = client
        self.sender = sender or uuid.uuid4().hex
        self.turns: List[tuple] = []

    def say(self, text: str) -> List[Dict[str, Any]]:
        messages = self.client.say(self.sender, text)
        self.turns.append((text, messages))
        return messages

    def say_timed(self, text: str, timeout: float = 300) -> tuple:
        """Like say, but waits up to `timeout` s and returns (messages, seconds taken), so that a
        slow answer is measured (and the server is free again) instead of left running."""
        start = time.monotonic()
        response = requests.post(f"{self.client.url}/webhooks/rest/webhook", headers=client_headers(),
                                 json={"sender": self.sender, "message": text}, timeout=timeout)
        response.raise_for_status()
        messages = response.json()
        self.turns.append((text, messages))
        return messages, time.monotonic() - start

    def run(self, turns: Iterable[str]) -> List[List[Dict[str, Any]]]:
        return [self.say(t) for t in turns]

    def slots(self) -> Dict[str, Any]:
        return self.client.slots(self.sender)

    def tracker(self) -> Dict[str, Any]:
        return self.client.tracker(self.sender)

    def active_loop(self) -> Optional[str]:
        return (self.tracker().get("active_loop") or {}).get("name")

    def transcript(self) -> str:
        return "\n".join(f"  client: {t!r}\n    bot: {describe(m)}" for t, m in self.turns)


def post_raw(url: str, body: bytes, content_type: str = "application/json") -> requests.Response:
    return requests.post(f"{url}/webhooks/rest/webhook", data=body,
                         headers={"Content-Type": content_type}, timeout=60)
