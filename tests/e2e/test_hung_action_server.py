"""A hung action server (it accepts connections and never answers) costs a turn seconds, not minutes.

Rasa 3.6 waits 5 minutes for a custom action while it holds the conversation's lock: a plain question
got nothing after 60 s and was not stored, and a red flag sent next in the same conversation waited
about a minute for the lock. bot/remote_action_fallback.py gives a turn's custom actions
ACTION_TIMEOUT_S in all (the shipped default here), then says it cannot answer now. An assistant is
started with, on its action port, a TCP server that accepts and never answers (or, for the last
test, nothing at all: connection refused). The bounds are generous (the budget plus BOUND_MARGIN_S,
for a shared 2-core machine); before the fix each of them was passed by far.

An emergency sent in the same conversation while a turn waits for the hung server is referred at
once (bot/channels/early_referral.py), over REST and over the widget's socket.io: the tests show it
by order, not by time (the referral is there while the waiting turn has not ended), then wait for
both turns to be stored. Before that fix it came after the waiting turn's "try again" reply.
"""
import asyncio
import secrets
import socket
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Dict, List

import pytest
import requests
import socketio

from bot import remote_action_fallback
from bot.stack import free_port, running_assistant

from .support import REFERRAL_REASON, Chat, describe, settings, text_of

QUESTION = "should I use heat or ice?"
RED_FLAG = "my back is in spasm and I've lost control of my bladder"
STROKE = "my face has dropped on one side and I can't lift my arm"
CANNOT_ANSWER = "can't look that up right now"
BUDGET_S = remote_action_fallback.DEFAULT_BUDGET_S
BOUND_MARGIN_S = 10.0  # Rasa's own work on a busy machine, and its lock store's 1 s retry
CLIENT_TIMEOUT_S = 45.0  # before the fix: a read timeout here, instead of a reply


class HungActionServer:
    """Accepts TCP connections on `port` and never answers them (nor closes them) until stopped."""

    def __init__(self, port: int) -> None:
        self.listener = socket.create_server(("127.0.0.1", port))
        self.listener.settimeout(0.1)
        self.connections: List[socket.socket] = []
        self.called = threading.Event()
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self) -> None:
        while not self.stopped.is_set():
            try:
                connection, _ = self.listener.accept()
            except socket.timeout:
                continue
            self.connections.append(connection)
            self.called.set()

    def stop(self) -> None:
        self.stopped.set()
        self.thread.join()
        for connection in [*self.connections, self.listener]:
            connection.close()


class _Client:
    def __init__(self, url: str, token: str) -> None:
        self.url, self.token = url, token

    def tracker(self, sender: str) -> Dict[str, Any]:
        response = requests.get(f"{self.url}/conversations/{sender}/tracker",
                                params={"token": self.token}, timeout=30)
        response.raise_for_status()
        return response.json()


@pytest.fixture(scope="module")
def action_port() -> int:
    return free_port()


@pytest.fixture(scope="module")
def assistant(tmp_path_factory, action_port):
    """An assistant whose action endpoint is `action_port`, where each test puts what it needs. It
    runs with the shipped budget (ACTION_TIMEOUT_S unset), the one the bounds are computed from."""
    token = secrets.token_urlsafe(16)
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv(remote_action_fallback.BUDGET_ENV, raising=False)
        with running_assistant(port=free_port(), api_token=token, with_actions=False,
                               action_port=action_port,
                               log_dir=tmp_path_factory.mktemp("hung-actions")) as url:
            yield _Client(url, token)


@pytest.fixture
def hung(action_port):
    server = HungActionServer(action_port)
    yield server
    server.stop()


def _told_cannot_answer(messages: List[Dict[str, Any]]) -> None:
    reply = text_of(messages)
    assert CANNOT_ANSWER in reply and "try again" in reply, describe(messages)


def _stored(chat: Chat) -> List[tuple]:
    """The conversation as stored: (who, text) of every user and bot event, oldest first."""
    return [(event["event"], event.get("text")) for event in chat.tracker()["events"]
            if event["event"] in ("user", "bot")]


def _is_emergency_referral(messages: List[Dict[str, Any]]) -> None:
    reply = text_of(messages)
    assert "go to a&e (the emergency department) now" in reply, describe(messages)
    assert REFERRAL_REASON in reply and "bladder or bowel changes" in reply, describe(messages)
    assert "don't have massage or manipulation of your back" in reply, describe(messages)
    assert settings()["emergency_number"].lower() in reply, describe(messages)


def test_a_question_is_told_it_cannot_be_answered_within_the_budget_and_stored(assistant, hung):
    chat = Chat(assistant)
    messages, seconds = chat.say_timed(QUESTION, timeout=CLIENT_TIMEOUT_S)
    assert hung.called.is_set(), "the turn never reached the hung action server"
    _told_cannot_answer(messages)
    assert seconds < BUDGET_S + BOUND_MARGIN_S, f"answered after {seconds:.1f} s"
    stored = _stored(chat)
    assert ("user", QUESTION) in stored, stored
    assert stored[-1][0] == "bot" and CANNOT_ANSWER in stored[-1][1].lower(), stored


def _is_999_referral(text: str) -> None:
    assert REFERRAL_REASON in text and f"call {settings()['emergency_number']}" in text, text


def _settled(chat: Chat, *users: str) -> List[Dict[str, Any]]:
    """The stored events once the conversation holds `users` and the last one's turn is over
    (a turn is stored when it ends: here after the hung turn ahead of it). A wait, not a bound."""
    for _ in range(int(CLIENT_TIMEOUT_S / 0.25)):
        events = chat.tracker()["events"]
        said = [e["text"] for e in events if e["event"] == "user"]
        if said == list(users) and events[-1]["event"] == "action" \
                and events[-1]["name"] == "action_listen":
            return events
        time.sleep(0.25)
    raise AssertionError(f"the conversation never held both turns: {_stored(chat)}")


def _referred_once(events: List[Dict[str, Any]], received: List[str]) -> None:
    """The stored emergency turn: one referral, the one the client got, and the outcome slots."""
    referrals = [e for e in events if e["event"] == "bot" and REFERRAL_REASON in e["text"].lower()]
    assert len(referrals) == 1, referrals
    assert referrals[0]["metadata"].get("utter_action") == "utter_escalate_emergency_ambulance"
    assert "\n\n".join(received) == referrals[0]["text"], (received, referrals[0]["text"])
    slots = {e["name"]: e["value"] for e in events if e["event"] == "slot"}
    assert slots.get("triage_level") == "emergency_ambulance", slots
    assert "stroke_signs" in (slots.get("red_flags") or []), slots


def test_a_red_flag_sent_while_a_turn_waits_for_the_hung_server_is_referred_before_it_ends(
        assistant, hung):
    chat = Chat(assistant)
    with ThreadPoolExecutor(max_workers=1) as pool:
        first = pool.submit(chat.say_timed, QUESTION, CLIENT_TIMEOUT_S)
        assert hung.called.wait(CLIENT_TIMEOUT_S), "the question never reached the action server"
        # the question's turn now holds the conversation's lock, waiting for the action server
        referral, _ = chat.say_timed(STROKE, timeout=CLIENT_TIMEOUT_S)
        question_still_waiting = not first.done()
        question_reply, _ = first.result()
    _is_999_referral(text_of(referral))
    assert question_still_waiting, "the referral came only once the hung turn had ended"
    # nothing after the referral contradicts it ("try again in a few minutes", self-care advice)
    assert question_reply == [], describe(question_reply)
    events = _settled(chat, QUESTION, STROKE)
    _referred_once(events, [m["text"] for m in referral])


class Widget:
    """A socket.io client of the web widget: every `bot_uttered` text, in the order received."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.sio = socketio.AsyncClient(reconnection=False)
        self.said: List[str] = []
        self.turn_ends = 0
        self.session = ""
        self.sio.on("bot_uttered", lambda data: self.said.append(data.get("text") or ""))
        self.sio.on("bot_turn_end", lambda _: setattr(self, "turn_ends", self.turn_ends + 1))
        self.sio.on("session_confirm", self._confirmed)

    def _confirmed(self, data: Dict[str, Any]) -> None:
        self.session = data["session_id"].split(".")[1]

    async def until(self, condition, what: str) -> None:
        for _ in range(int(CLIENT_TIMEOUT_S / 0.05)):
            if condition():
                return
            await asyncio.sleep(0.05)
        raise AssertionError(f"waited in vain for {what}; received {self.said}")

    async def start(self) -> str:
        """The conversation id of a new widget session."""
        await self.sio.connect(self.url, transports=["polling"], wait_timeout=30)
        await self.sio.emit("session_request", {})
        await self.until(lambda: self.session, "session_confirm")
        return f"widget:{self.session}"

    async def say(self, text: str) -> None:
        await self.sio.emit("user_uttered", {"message": text})

    async def close(self) -> None:
        await self.sio.eio.disconnect(abort=True)


def test_a_red_flag_sent_on_the_widget_while_a_turn_waits_for_the_hung_server_is_referred_first(
        assistant, hung):
    async def chat() -> tuple:
        widget = Widget(assistant.url)
        try:
            conversation = await widget.start()
            await widget.say(QUESTION)
            await widget.until(hung.called.is_set, "the question to reach the action server")
            await widget.say(STROKE)
            def referred() -> bool:
                return any(REFERRAL_REASON in text.lower() for text in widget.said)

            await widget.until(referred, "the referral")
            before = list(widget.said)
            await widget.until(lambda: widget.turn_ends == 2, "the end of both turns")
            return conversation, before, widget.said
        finally:
            await widget.close()

    conversation, before_referral, said = asyncio.run(chat())
    assert not any(CANNOT_ANSWER in text.lower() for text in before_referral), before_referral
    _is_999_referral("\n".join(said).lower())
    # nothing after the referral contradicts it: the hung turn's reply is not sent after it
    assert not any(CANNOT_ANSWER in text.lower() for text in said), said
    events = _settled(Chat(assistant, conversation), QUESTION, STROKE)
    referral = [text for text in said if text.strip()]
    _referred_once(events, referral)


def test_a_report_waits_for_the_hung_server_once_however_many_actions_its_turn_runs(assistant, hung):
    # starting the assessment runs custom actions one after another (the form, its validation)
    chat = Chat(assistant)
    messages, seconds = chat.say_timed("I have a muscle spasm", timeout=CLIENT_TIMEOUT_S)
    assert hung.called.is_set(), "the turn never reached the hung action server"
    assert len(hung.connections) == 1, f"{len(hung.connections)} calls reached the hung server"
    _told_cannot_answer(messages)
    assert seconds < BUDGET_S + BOUND_MARGIN_S, f"answered after {seconds:.1f} s"


def test_with_the_action_server_gone_a_question_and_a_red_flag_are_answered_at_once(assistant):
    # nothing listens on the action port now: connections are refused, no timeout is waited for
    chat = Chat(assistant)
    messages, seconds = chat.say_timed(QUESTION, timeout=CLIENT_TIMEOUT_S)
    _told_cannot_answer(messages)
    assert seconds < BUDGET_S, f"answered after {seconds:.1f} s"
    referral, seconds = chat.say_timed(RED_FLAG, timeout=CLIENT_TIMEOUT_S)
    _is_emergency_referral(referral)
    assert seconds < BUDGET_S, f"referred after {seconds:.1f} s"
    assert [text for who, text in _stored(chat) if who == "user"] == [QUESTION, RED_FLAG]
