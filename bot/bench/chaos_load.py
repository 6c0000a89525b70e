"""The chaos run's load: closed-loop REST clients that behave like the web widget when the service
fails under them, and remember every message they sent.

Each client plays conversations one after another (a fresh sender each), waiting a typing pause
between its messages. Every message carries a `message_id`; when a request fails (a connection error,
a timeout, HTTP 5xx) the client sends it again with the same id, after a short pause that grows to
RETRY_MAX_S, for up to GIVE_UP_S: what a widget does when it reconnects. The REST channel answers a
retried id from the stored turn instead of running it twice (bot/channels/rest.py). An empty reply
or a 4xx is not retried: the client was told something (nothing, or no), and that is what it got.

Red-flag messages (RED_FLAGS, emergencies in a client's own words) are mixed into the conversations;
their reply must carry a referral, which always says why ("because you mentioned ...",
bot/triage/messages.py). Times are time.monotonic() seconds.

`in_flight` plays two messages in flight in one conversation, outside the clients' cycle: a
question whose turn waits on the action servers (hung by the fault that calls it), then, HOLD_S
later, a red flag in the same conversation, which must be referred at once although the question's
turn holds the conversation (bot/channels/early_referral.py). Both are in `messages` as well.
"""
import asyncio
import itertools
import json
import random
import re
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from typing import Iterator, List, Optional, Sequence, Tuple

from bot.bench.http_client import HttpClient

RETRY_FIRST_S = 0.1
RETRY_MAX_S = 1.0
ATTEMPT_TIMEOUT_S = 30.0  # above a turn's action budget (10 s) and a dead replica's lock (20 s)
GIVE_UP_S = 120.0
THINK_S = (0.3, 0.8)  # a typing pause between one client's messages
HOLD_S = 1.0  # from a question to the red flag sent behind it: its turn is at the action server
REFERRAL = re.compile(r"because you mentioned", re.IGNORECASE)
CANNOT_ANSWER = "can't look that up right now"  # utter_cannot_answer_now (domain.yml)

# Emergencies, first person, now (CONTRACT.md: the emergency codes).
RED_FLAGS = (
    "my calf is swollen and now I'm short of breath",
    "I want to end my life",
    "I have a crushing pain in my chest spreading to my left arm",
    "my face is drooping on one side and my speech is slurred",
    "my back is in spasm and I'm numb between my legs and can't control my bladder",
)
# How a red flag comes: first thing, after a greeting, or in the middle of a self-care question.
RED_FLAG_OPENINGS: Tuple[Tuple[str, ...], ...] = ((), ("hi",), ("my calf keeps cramping",))


@dataclass
class Sent:
    """One client message: when it was first sent, how it ended, after how many attempts."""

    sender: str
    text: str
    message_id: str
    red_flag: bool
    sent_at: float
    answered_at: Optional[float] = None
    attempts: int = 0
    outcome: str = "pending"  # answered, empty_reply, refused_<status>, gave_up,
    # silenced_by_referral (an in-flight question: see InFlight.settle)
    failures: Counter = field(default_factory=Counter)  # failed attempts by kind
    replies: List[str] = field(default_factory=list)

    @property
    def answered(self) -> bool:
        return self.outcome == "answered"

    @property
    def settled(self) -> bool:
        """Answered, or (an in-flight question) silenced by the referral its conversation got."""
        return self.outcome in ("answered", "silenced_by_referral")

    @property
    def latency_s(self) -> Optional[float]:
        return None if self.answered_at is None else self.answered_at - self.sent_at

    @property
    def referred(self) -> bool:
        return self.answered and any(REFERRAL.search(text) for text in self.replies)


@dataclass
class InFlight:
    """A question and the red flag sent in its conversation while its turn was still running."""

    question: Sent
    red_flag: Sent

    @property
    def overlapped(self) -> bool:
        """Whether the red flag was sent before the question was answered."""
        return self.question.answered_at is None or self.red_flag.sent_at < self.question.answered_at

    def settle(self) -> None:
        """A question whose turn an early referral overtook is answered with what it said before
        the referral, often nothing (bot/channels/early_referral.py: nothing it would say after
        the referral is sent): its conversation's answer is the referral. That empty reply is
        `silenced_by_referral`, not a message lost."""
        if self.question.outcome == "empty_reply" and self.red_flag.referred and self.overlapped:
            self.question.outcome = "silenced_by_referral"


def chaos_conversations(scripts: Sequence[Sequence[str]], red_flags: Sequence[str] = RED_FLAGS,
                        every: int = 3) -> List[Tuple[str, ...]]:
    """`scripts` with a red-flag conversation after every `every - 1` of them, the red flags and
    their openings taken in turn."""
    flags, openings = itertools.cycle(red_flags), itertools.cycle(RED_FLAG_OPENINGS)
    mixed: List[Tuple[str, ...]] = []
    for script in scripts:
        mixed.append(tuple(script))
        if len(mixed) % every == every - 1:
            mixed.append(next(openings) + (next(flags), "ok thanks"))
    return mixed


def _replies(body: bytes) -> Optional[List[str]]:
    try:
        reply = json.loads(body)
    except ValueError:
        return None
    if not isinstance(reply, list):
        return None
    return [str(message.get("text") or "") for message in reply if isinstance(message, dict)]


class ChaosLoad:
    """`clients` closed-loop clients playing `conversations` (taken in turn from one shared cycle)
    against the REST channel at `url` until `stop` is set; `messages` holds every message sent."""

    def __init__(self, url: str, conversations: Sequence[Sequence[str]], clients: int,
                 red_flags: Sequence[str] = RED_FLAGS, think_s: Tuple[float, float] = THINK_S,
                 attempt_timeout_s: float = ATTEMPT_TIMEOUT_S, give_up_s: float = GIVE_UP_S,
                 seed: int = 0) -> None:
        if not conversations or not all(conversations):
            raise ValueError("need at least one conversation, each with at least one message")
        self.webhook = f"{url.rstrip('/')}/webhooks/rest/webhook"
        self.conversations: Iterator[Sequence[str]] = itertools.cycle(conversations)
        self.clients, self.red_flags, self.think_s = clients, set(red_flags), think_s
        self.attempt_timeout_s, self.give_up_s, self.seed = attempt_timeout_s, give_up_s, seed
        self.messages: List[Sent] = []
        self.in_flight: List[InFlight] = []

    async def run(self, stop: threading.Event) -> None:
        await asyncio.gather(*(self._client(n, stop) for n in range(self.clients)))

    async def _client(self, n: int, stop: threading.Event) -> None:
        pause = random.Random(self.seed * 1000 + n)
        http = HttpClient(self.webhook)
        try:
            await asyncio.sleep(pause.uniform(0, self.think_s[1]))  # not all at once
            while not stop.is_set():
                sender = f"chaos-{uuid.uuid4().hex}"
                for text in next(self.conversations):
                    if stop.is_set():
                        break
                    await self.send(http, sender, text)
                    await asyncio.sleep(pause.uniform(*self.think_s))
        finally:
            http.close()

    def run_in_flight(self, question: str, red_flags: Sequence[str],
                      hold_s: float = HOLD_S) -> List[InFlight]:
        """One question-then-red-flag pair per red flag, each in a conversation of its own, all at
        once, on an event loop of this thread's (called while the action servers hang)."""
        async def pairs() -> List[InFlight]:
            return list(await asyncio.gather(*(self.in_flight_pair(question, flag, hold_s)
                                               for flag in red_flags)))
        return asyncio.run(pairs())

    async def in_flight_pair(self, question: str, red_flag: str, hold_s: float = HOLD_S
                             ) -> InFlight:
        """`question`, then `red_flag` in the same conversation `hold_s` later, on connections of
        their own, the question still waiting for its answer."""
        sender = f"chaos-in-flight-{uuid.uuid4().hex}"
        first, second = HttpClient(self.webhook), HttpClient(self.webhook)
        try:
            asked = asyncio.ensure_future(self.send(first, sender, question))
            await asyncio.sleep(hold_s)
            flagged = await self.send(second, sender, red_flag)
            pair = InFlight(await asked, flagged)
            pair.settle()
        finally:
            first.close()
            second.close()
        self.in_flight.append(pair)
        return pair

    async def send(self, http: HttpClient, sender: str, text: str) -> Sent:
        """Send one message until it is answered, refused or GIVE_UP_S have passed."""
        message = Sent(sender, text, uuid.uuid4().hex, text in self.red_flags, time.monotonic())
        self.messages.append(message)
        body = json.dumps({"sender": sender, "message": text,
                           "message_id": message.message_id}).encode()
        retry_in = RETRY_FIRST_S
        while message.outcome == "pending":
            message.attempts += 1
            kind = await self._attempt(http, body, message)
            if kind is None:
                continue
            message.failures[kind] += 1
            if time.monotonic() - message.sent_at > self.give_up_s:
                message.outcome = "gave_up"
            else:
                await asyncio.sleep(retry_in)
                retry_in = min(RETRY_MAX_S, retry_in * 2)
        return message

    async def _attempt(self, http: HttpClient, body: bytes, message: Sent) -> Optional[str]:
        """One request; None once the message has an outcome, else why to send it again."""
        try:
            status, raw = await http.post_json(body, self.attempt_timeout_s)
        except asyncio.TimeoutError:
            return "timeout"
        except OSError:
            http.close()
            return "connection"
        if status >= 500:
            return f"status_{status}"
        replies = _replies(raw) if status == 200 else None
        if status != 200:
            message.outcome = f"refused_{status}"
        elif replies is None:
            return "invalid_json"
        elif not replies:
            message.outcome = "empty_reply"
        else:
            message.outcome, message.replies, message.answered_at = \
                "answered", replies, time.monotonic()
        return None
