"""Which conversations the REST webhook can reach, on a running server with every channel.

SMS and WhatsApp (Twilio's signed posts) and the web widget (a socket.io client) hold
conversations; the REST webhook, behind REST_TOKEN on this server, is then asked for them by
every id a caller could try. REST must neither write them nor learn anything from them (a
continued conversation's replies carry its triage state), and its own callers are checked: the
token, the sender id, and who may have a stored turn replayed.
"""
import asyncio
import uuid
from typing import Any, Dict, List, Optional, Tuple

import pytest
import requests
import socketio
from rasa.shared.core.events import UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from tests.channels.platform_server import SECRETS, platforms  # noqa: F401 (a fixture)
from tests.channels.test_twilio import WHATSAPP, new_phone, say

REST = "/webhooks/rest/webhook"
TOKEN = SECRETS["REST_TOKEN"]
RED_FLAG = "my leg is cramping and now i cant breathe properly"
FOLLOW_UP = "show me a stretch"
REMINDER = "self-care advice isn't safe yet"  # what a conversation with a red flag answers it


def rest(platforms, sender: Any, message: str, token: Optional[str] = TOKEN,
         **extra: Any) -> requests.Response:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return requests.post(platforms.url + REST, json={"sender": sender, "message": message, **extra},
                         headers=headers, timeout=60)


def texts(response: requests.Response) -> str:
    assert response.status_code == 200, response.text
    return "\n".join(m.get("text") or "" for m in response.json())


def user_texts(tracker: Any) -> List[str]:
    return [e.text for e in tracker.events if isinstance(e, UserUttered)] if tracker else []


def assert_refused(response: requests.Response, status: int = 400) -> str:
    assert response.status_code == status, response.text
    error = response.json()["error"]
    assert isinstance(error, str) and error
    return error


# --- other channels' conversations --------------------------------------------------------------

def test_rest_cannot_write_or_read_an_sms_conversation(platforms):
    phone = new_phone()
    say(platforms, phone, RED_FLAG)
    assert platforms.tracker(phone).sender_id == f"twilio:{phone}"
    assert platforms.slot(phone, "triage_level") == "emergency_ambulance"
    # The phone number as a REST sender is a REST conversation of its own: nothing of the SMS one.
    assert REMINDER not in texts(rest(platforms, phone, FOLLOW_UP)).lower()
    own = platforms.stored(phone)
    assert user_texts(own) == [FOLLOW_UP] and not own.get_slot("red_flags")
    for claimed in (f"twilio:{phone}", f"TWILIO:{phone}", f"  twilio:{phone}"):
        assert "another channel" in assert_refused(rest(platforms, claimed, "hello"))
    assert platforms.user_texts(phone) == [RED_FLAG]


def test_rest_cannot_write_a_whatsapp_conversation(platforms):
    sender = "whatsapp:" + new_phone()
    say(platforms, sender, "hi", WHATSAPP)
    assert platforms.tracker(sender).sender_id == f"twilio:{sender}"
    for claimed in (sender, f"twilio:{sender}", "WhatsApp:" + sender.split(":")[1]):
        assert_refused(rest(platforms, claimed, "hello"))
    assert platforms.stored(sender) is None
    assert platforms.user_texts(sender) == ["hi"]


def test_rest_cannot_continue_a_conversation_begun_on_another_channel(platforms):
    """Conversations stored before namespacing kept the platform's id: REST must not reach them."""
    phone = new_phone()
    legacy = DialogueStateTracker.from_events(phone,
                                              [UserUttered(RED_FLAG, input_channel="twilio")])
    platforms.run(platforms.app.ctx.agent.tracker_store.save(legacy))
    assert_refused(rest(platforms, phone, "what should I do now?"), 403)
    assert_refused(rest(platforms, phone, "again", message_id="m-1"), 403)
    assert user_texts(platforms.stored(phone)) == [RED_FLAG]


def test_a_rest_client_cannot_claim_another_channel(platforms):
    sender = uuid.uuid4().hex
    texts(rest(platforms, sender, "hello", input_channel="twilio"))
    assert platforms.stored(sender).get_latest_input_channel() == "rest"


class Widget:
    """A socket.io client of the web widget's channel (unbound session tokens)."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.sio = socketio.AsyncClient(reconnection=False)
        self.confirms: List[Dict[str, Any]] = []
        self.turns = 0
        self.sio.on("session_confirm", self.confirms.append)
        self.sio.on("bot_turn_end", lambda _: setattr(self, "turns", self.turns + 1))

    async def until(self, condition, what: str) -> None:
        for _ in range(600):
            if condition():
                return
            await asyncio.sleep(0.1)
        raise AssertionError(f"timed out waiting for {what}")

    async def session(self, token: Optional[str] = None) -> Dict[str, Any]:
        await self.sio.connect(self.url, transports=["polling"], wait_timeout=30)
        await self.sio.emit("session_request", {"session_id": token})
        await self.until(lambda: self.confirms, "session_confirm")
        return self.confirms[-1]

    async def close(self) -> None:
        """Say goodbye without waiting for the pending long-poll request (up to 25 s)."""
        for namespace in self.sio.namespaces:
            await self.sio._send_packet(self.sio.packet_class(socketio.packet.DISCONNECT,
                                                              namespace=namespace))
        await self.sio.eio.disconnect(abort=True)

    async def say(self, text: str) -> None:
        turns = self.turns
        await self.sio.emit("user_uttered", {"message": text})
        await self.until(lambda: self.turns > turns, "the end of the turn")


def widget_conversation(url: str, *messages: str, token: Optional[str] = None
                        ) -> Tuple[str, Dict[str, Any]]:
    """(session token, session_confirm) after saying `messages` on a (restored) widget session."""
    async def chat() -> Tuple[str, Dict[str, Any]]:
        widget = Widget(url)
        try:
            confirm = await widget.session(token)
            for message in messages:
                await widget.say(message)
            return confirm["session_id"], confirm
        finally:
            await widget.close()

    return asyncio.run(chat())


def test_rest_cannot_write_or_read_a_widget_conversation(platforms):
    token, _ = widget_conversation(platforms.url, RED_FLAG)
    session = token.split(".")[1]
    assert REMINDER not in texts(rest(platforms, session, FOLLOW_UP)).lower()
    assert user_texts(platforms.stored(session)) == [FOLLOW_UP]
    assert_refused(rest(platforms, f"widget:{session}", "hello"))
    # The widget's own conversation is as it was, and its history still comes back.
    _, confirm = widget_conversation(platforms.url, token=token)
    assert confirm["restored"] is True
    assert [h["text"] for h in confirm["history"] if h["sender"] == "user"] == [RED_FLAG]
    assert user_texts(platforms.stored(f"widget:{session}")) == [RED_FLAG]


# --- REST's own callers -----------------------------------------------------------------------

@pytest.mark.parametrize("credentials", [
    {}, {"headers": {"Authorization": "Bearer wrong-token"}},
    {"headers": {"Authorization": f"Basic {TOKEN}"}}, {"params": {"token": TOKEN[:-1]}},
], ids=["none", "wrong", "not-bearer", "wrong-query"])
def test_rest_needs_its_token(platforms, credentials):
    sender = uuid.uuid4().hex
    response = requests.post(platforms.url + REST, json={"sender": sender, "message": "hello"},
                             timeout=60, **credentials)
    assert_refused(response, 401)
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert platforms.stored(sender) is None


def test_rest_with_its_token_answers(platforms):
    sender = uuid.uuid4().hex
    assert "heat" in texts(rest(platforms, sender, "should I use heat or ice?")).lower()
    response = requests.post(platforms.url + REST, params={"token": TOKEN}, timeout=60,
                             json={"sender": sender, "message": "hello"})
    assert response.status_code == 200 and response.json()
    assert user_texts(platforms.stored(sender)) == ["should I use heat or ice?", "hello"]


def test_sender_of_128_characters_is_taken_and_129_refused(platforms):
    longest, too_long = "a" * 127 + uuid.uuid4().hex[:1], "b" * 128 + uuid.uuid4().hex[:1]
    assert texts(rest(platforms, longest, "hello"))
    assert "128 characters" in assert_refused(rest(platforms, too_long, "hello"))
    assert platforms.stored(too_long) is None


@pytest.mark.parametrize("sender", ["", "   ", None, [], {"id": 1}, True, "a\x00b", "a\nb"],
                         ids=["empty", "blank", "null", "list", "object", "bool", "nul", "newline"])
def test_unusable_sender_is_refused(platforms, sender):
    assert_refused(rest(platforms, sender, "hello"))


def test_a_stored_turn_is_replayed_only_to_the_same_request(platforms):
    sender, question = uuid.uuid4().hex, "is ice good for a cramp?"
    first = rest(platforms, sender, question, message_id="m-1")
    assert first.status_code == 200 and first.json()
    again = rest(platforms, sender, question, message_id="m-1")  # a retry: the stored answer
    assert again.json() == first.json()
    # The same id with another message, or without the token: neither stored answer nor a turn.
    assert "message_id" in assert_refused(rest(platforms, sender, "hello", message_id="m-1"), 409)
    assert_refused(rest(platforms, sender, question, token=None, message_id="m-1"), 401)
    assert user_texts(platforms.stored(sender)) == [question]
