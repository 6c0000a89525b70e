"""What every channel does with a message that has no words, or too many, on the running server
with every channel (tests/channels/platform_server.py), over real HTTP and socket.io.

- An empty message (nothing, blanks, or only invisible characters) gets the REST channel's
  "I didn't get any text" on the web widget too (it used to get no answer at all: the widget
  waited for a reply that never came) and on REST also when it is made of invisible characters;
  the conversation is left as it was.
- A message over the REST channel's 5,000 characters, on Twilio (SMS), Messenger, Slack and
  Telegram: the REST channel's "too long" reply, and its first part read, so a red flag written
  at its start is referred (bot/channels/inbound.py). Before, the platforms read any length.
- The same on REST and the web widget, which used to refuse such a message whole (a red flag at
  its start was not referred); a body far beyond the limit is still refused by the HTTP server
  (413) or socket.io (the socket closed) before it is parsed.
"""
import asyncio
import json
import socket
from typing import Any, Callable, Dict, List, Tuple

import pytest
import requests
from hypothesis import given, settings
from hypothesis import strategies as st

from bot import request_limit
from bot.channels.rest import EMPTY_REPLY, LONG_REPLY, MAX_MESSAGE_CHARS
from bot.channels.text import is_blank, leading_part
from tests.channels.platform_server import platforms  # noqa: F401 (a fixture)
from tests.channels.test_channel_identity import REST, TOKEN, Widget, rest, user_texts
from tests.channels.test_facebook import event as messenger_event
from tests.channels.test_facebook import new_psid, page_update, text_of
from tests.channels.test_facebook import post as messenger_post
from tests.channels.test_slack import dm_event, post_event, slack_id
from tests.channels.test_telegram import message_update, new_chat
from tests.channels.test_telegram import post as telegram_post
from tests.channels.test_twilio import inbound, new_phone
from tests.channels.test_twilio import post as twilio_post

RED_FLAG = "my leg is cramping and now i cant breathe properly"
EMERGENCY = "Please call 999 now"
QUESTION = "is ice good for a cramp?"
EMPTY = {"nothing": "", "blanks": "  \n\t ", "zero-width": "\u200b\u200d\ufeff\u2060",
         "fillers": "\u3164 \u2800\ufe0f", "direction marks": "\u200e\u200f\u202e"}


FUZZ = settings(deadline=None, derandomize=True, database=None, max_examples=300)


# --- the text helpers (no server) ---------------------------------------------------------------

@FUZZ
@given(st.text(max_size=400), st.integers(min_value=1, max_value=300))
def test_the_part_read_of_a_message_is_its_beginning_within_the_limit(text, limit):
    part = leading_part(text, limit)
    assert text.startswith(part) and len(part) <= limit
    if len(text) <= limit:
        assert part == text


def test_the_part_read_ends_at_a_word_boundary():
    assert leading_part("call 999 now please", 13) == "call 999 now"
    assert leading_part("x" * 20, 8) == "x" * 8  # one long word: cut hard


@FUZZ
@given(st.text(), st.characters(whitelist_categories=("L", "N", "P", "S")), st.text())
def test_a_message_with_a_letter_digit_or_sign_is_not_blank(before, visible, after):
    if visible not in "\u115f\u1160\u3164\uffa0\u2800":  # fillers: letters that show nothing
        assert not is_blank(before + visible + after)


@pytest.mark.parametrize("text", list(EMPTY.values()), ids=list(EMPTY))
def test_blank_messages_are_blank(text):
    assert is_blank(text)


# --- empty messages: the web widget -----------------------------------------------------------

class RecordingWidget(Widget):
    """The identity tests' widget client, also keeping what the bot says."""

    def __init__(self, url: str) -> None:
        super().__init__(url)
        self.bots: List[Dict[str, Any]] = []
        self.sio.on("bot_uttered", self.bots.append)

    async def say_and_hear(self, message: Any) -> List[str]:
        bots, turns = len(self.bots), self.turns
        await self.sio.emit("user_uttered", message)
        await self.until(lambda: self.turns > turns, "the end of the turn")
        return [b.get("text", "") for b in self.bots[bots:]]


def widget_turns(url: str, *messages: Any) -> Tuple[str, List[List[str]]]:
    """(the conversation's session id, what the bot said to each message) on a new session."""
    async def chat() -> Tuple[str, List[List[str]]]:
        widget = RecordingWidget(url)
        try:
            confirm = await widget.session()
            return (confirm["session_id"].split(".")[1],
                    [await widget.say_and_hear(message) for message in messages])
        finally:
            await widget.close()

    return asyncio.run(chat())


@pytest.mark.parametrize("damage", ["\ud83d", "\x00"], ids=["lone-surrogate", "nul"])
def test_a_damaged_red_flag_on_the_widget_is_referred_and_stored(platforms, damage):
    """Finding 1 over socket.io: a broken emoji (or a NUL) made the whole turn vanish."""
    text = RED_FLAG + damage
    session, [heard] = widget_turns(platforms.url, {"message": text})
    assert any(EMERGENCY in said for said in heard), heard
    assert user_texts(platforms.stored(f"widget:{session}")) == [text]


@pytest.mark.parametrize("text", list(EMPTY.values()), ids=list(EMPTY))
def test_an_empty_widget_message_gets_the_empty_reply_and_changes_nothing(platforms, text):
    session, heard = widget_turns(platforms.url, {"message": text})
    assert heard == [[EMPTY_REPLY]]
    assert platforms.stored(f"widget:{session}") is None  # nothing reached the assistant


def test_a_widget_message_without_text_gets_the_empty_reply(platforms):
    _, heard = widget_turns(platforms.url, {}, {"message": None}, {"message": 42})
    assert heard == [[EMPTY_REPLY]] * 3


def test_after_an_empty_widget_message_the_conversation_goes_on(platforms):
    session, heard = widget_turns(platforms.url, {"message": RED_FLAG}, {"message": "\u200b"},
                                  {"message": QUESTION})
    assert any(EMERGENCY in text for text in heard[0])
    assert heard[1] == [EMPTY_REPLY]
    assert heard[2] and EMPTY_REPLY not in heard[2]  # the red flag's reminder or the answer
    conversation = platforms.stored(f"widget:{session}")
    assert [e.text for e in conversation.events if e.type_name == "user"] == [RED_FLAG, QUESTION]
    assert conversation.get_slot("triage_level") == "emergency_ambulance"


# --- empty messages: REST -----------------------------------------------------------------------

@pytest.mark.parametrize("text", list(EMPTY.values()), ids=list(EMPTY))
def test_an_empty_rest_message_gets_the_empty_reply_and_changes_nothing(platforms, text):
    sender = slack_id("rest-")
    response = rest(platforms, sender, text)
    assert response.status_code == 200, response.text
    assert [m["text"] for m in response.json()] == [EMPTY_REPLY]
    assert platforms.stored(sender) is None


# --- over-long messages on the messaging platforms ------------------------------------------------

def over_long(first: str, length: int = MAX_MESSAGE_CHARS + 1_000) -> str:
    """`first`, then ordinary words up to `length` characters."""
    text = first + ". " + "my back is a bit stiff after work " * (length // 20)
    return text[:length]


def twilio_turn(platforms, text: str) -> Tuple[str, Callable[[], List[str]]]:
    phone = new_phone()
    assert twilio_post(platforms, inbound(phone, text)).status_code == 204
    return phone, lambda: [i["Body"] for i in platforms.outbox.of("twilio", To=phone)]


def messenger_turn(platforms, text: str) -> Tuple[str, Callable[[], List[str]]]:
    psid = new_psid()
    response = messenger_post(platforms, page_update(messenger_event(psid, text)))
    assert (response.status_code, response.text) == (200, "success")
    return psid, lambda: [text_of(i["message"]) for i in platforms.outbox.of(
        "facebook", recipient=psid) if "message" in i]


def slack_turn(platforms, text: str) -> Tuple[str, Callable[[], List[str]]]:
    user, channel = slack_id("U"), slack_id("D")
    assert post_event(platforms, dm_event(user, channel, text)).status_code == 200
    return user, lambda: [i["text"] for i in platforms.outbox.of(
        "slack", method="chat.postMessage", channel=channel)]


def telegram_turn(platforms, text: str) -> Tuple[str, Callable[[], List[str]]]:
    chat = new_chat()
    response = telegram_post(platforms, message_update(chat, text))
    assert (response.status_code, response.text) == (200, "success")
    return str(chat), lambda: [i["text"] for i in platforms.outbox.of(
        "telegram", method="sendMessage", chat_id=str(chat))]


PLATFORMS = {"twilio": twilio_turn, "facebook": messenger_turn, "slack": slack_turn,
             "telegram": telegram_turn}


def heard_until(condition: Callable[[str], bool], texts: Callable[[], List[str]]) -> List[str]:
    """What the client received, once `condition` holds for it joined, waited for."""
    for _ in range(600):
        received = texts()
        if condition("\n".join(received)):
            return received
        asyncio.run(asyncio.sleep(0.1))
    raise AssertionError(f"not received: {texts()}")


@pytest.mark.parametrize("platform", list(PLATFORMS))
def test_an_over_long_message_is_answered_too_long_and_its_red_flag_referred(platforms, platform):
    text = over_long(RED_FLAG)
    sender, texts = PLATFORMS[platform](platforms, text)
    received = heard_until(lambda said: EMERGENCY in said, texts)
    assert LONG_REPLY.split("\n\n")[0] in received[0]  # the client is told first
    assert platforms.slot(sender, "triage_level") == "emergency_ambulance"
    [said] = [e for e in platforms.tracker(sender).events if e.type_name == "user"]
    assert said.text.startswith(RED_FLAG) and len(said.text) <= MAX_MESSAGE_CHARS
    assert text.startswith(said.text) and said.metadata["clipped_from"] == len(text)


@pytest.mark.parametrize("platform", list(PLATFORMS))
def test_a_message_at_the_limit_is_read_whole(platforms, platform):
    text = over_long(QUESTION, MAX_MESSAGE_CHARS)
    sender, texts = PLATFORMS[platform](platforms, text)
    assert platforms.user_texts(sender) == [text]  # stored (answered once stored), whole
    received = heard_until(bool, texts)
    assert not any("longer than I can read" in r for r in received)


# --- over-long messages on REST and the web widget ------------------------------------------------

STROKE = "my face has dropped on one side and I can't lift my arm"


def assert_read_in_part(stored: Any, text: str) -> None:
    """The conversation holds the message once, as its first part, with the length received."""
    [said] = [e for e in stored.events if e.type_name == "user"]
    assert said.text.startswith(STROKE) and len(said.text) <= MAX_MESSAGE_CHARS
    assert text.startswith(said.text) and said.metadata["clipped_from"] == len(text)
    assert stored.get_slot("triage_level") == "emergency_ambulance"


def test_an_over_long_rest_message_is_answered_too_long_and_its_red_flag_referred(platforms):
    sender, text = slack_id("rest-"), over_long(STROKE)
    response = rest(platforms, sender, text)
    assert response.status_code == 200, response.text
    said = [m.get("text") or "" for m in response.json()]
    assert said[0] == LONG_REPLY  # the client is told first
    assert any("999" in s for s in said[1:]), said
    assert_read_in_part(platforms.stored(sender), text)


def test_an_over_long_rest_message_sent_again_with_its_id_gets_the_same_answer(platforms):
    sender, text = slack_id("rest-"), over_long(STROKE)
    first = rest(platforms, sender, text, message_id="long-1")
    again = rest(platforms, sender, text, message_id="long-1")
    assert again.status_code == 200, again.text
    assert again.json() == first.json() and first.json()[0]["text"] == LONG_REPLY
    assert_read_in_part(platforms.stored(sender), text)  # run once


def test_an_over_long_widget_message_is_answered_too_long_and_its_red_flag_referred(platforms):
    text = over_long(STROKE)
    session, [heard] = widget_turns(platforms.url, {"message": text})
    assert heard[0] == LONG_REPLY  # the client is told first
    assert any("999" in s for s in heard[1:]), heard
    assert_read_in_part(platforms.stored(f"widget:{session}"), text)


def test_a_message_at_the_limit_is_read_whole_on_rest_and_the_widget(platforms):
    text = over_long(QUESTION, MAX_MESSAGE_CHARS)
    sender = slack_id("rest-")
    answer = rest(platforms, sender, text)
    assert answer.status_code == 200 and LONG_REPLY not in [m.get("text") for m in answer.json()]
    session, [heard] = widget_turns(platforms.url, {"message": text})
    assert heard and LONG_REPLY not in heard
    for conversation in (sender, f"widget:{session}"):
        assert user_texts(platforms.stored(conversation)) == [text]


# --- bodies far over the limit: refused by the HTTP and socket.io servers, never parsed -----------

def post_raw(url: str, path: str, length: int, body: bytes, **headers: str) -> bytes:
    """The status line a server answers to a POST announcing a `length`-byte body, of which
    `body` is sent; b"" if it answers nothing (a server that waits for the rest, or hangs up)."""
    host, port = url.rsplit("/", 1)[-1].split(":")
    head = "".join(f"{name}: {value}\r\n" for name, value in {
        "Host": host, "Content-Type": "application/json", "Content-Length": str(length),
        **headers}.items())
    with socket.create_connection((host, int(port)), timeout=10) as connection:
        connection.sendall(f"POST {path} HTTP/1.1\r\n{head}\r\n".encode() + body)
        try:
            return connection.makefile("rb").readline()
        except socket.timeout:
            return b""


def test_a_rest_body_over_the_servers_request_limit_is_refused_unread(platforms):
    limit = platforms.app.config.REQUEST_MAX_SIZE
    assert limit == request_limit.DEFAULT_MAX_BYTES  # 1 MB, not Sanic's 100 MB (bot/request_limit.py)
    status = post_raw(platforms.url, REST, limit + 1, b'{"message": "',
                      Authorization=f"Bearer {TOKEN}")
    assert status.split()[1:2] == [b"413"], status  # answered with the body not sent


def test_request_bodies_over_1_mb_are_refused_with_413_on_every_route_of_the_rasa_server(platforms):
    """Before, a 2 MB body was read whole (Sanic's default limit is 100 MB)."""
    for path in (REST, "/webhooks/twilio/webhook", "/webhooks/slack/webhook",
                 "/webhooks/facebook/webhook", "/webhooks/telegram/webhook",
                 "/socket.io/?EIO=4&transport=polling"):
        status = post_raw(platforms.url, path, 2_000_000, b"{")
        assert status.split()[1:2] == [b"413"], (path, status)
    # a body under the limit is read: a 900 KB message gets the channel's "too long" reply
    body = json.dumps({"sender": slack_id("rest-"), "message": "word " * 180_000})
    answer = requests.post(platforms.url + REST, data=body, timeout=60,
                           headers={"Authorization": f"Bearer {TOKEN}",
                                    "Content-Type": "application/json"})
    assert answer.status_code == 200 and LONG_REPLY in [m.get("text") for m in answer.json()]


def test_a_socketio_payload_over_its_buffer_limit_is_refused_undecoded(platforms):
    opened = requests.get(f"{platforms.url}/socket.io/?EIO=4&transport=polling", timeout=30)
    handshake = json.loads(opened.text[1:])
    assert handshake["maxPayload"] <= 1_000_000  # python-engineio's max_http_buffer_size
    poll = f"/socket.io/?EIO=4&transport=polling&sid={handshake['sid']}"
    body = b"4" + b"x" * handshake["maxPayload"]
    # over the server's request limit too (1 MB, bot/request_limit.py): Sanic answers 413 before
    # the body is read, so python-engineio never decodes it (before: it read the body, then closed
    # the socket without decoding it)
    assert handshake["maxPayload"] >= platforms.app.config.REQUEST_MAX_SIZE
    assert post_raw(platforms.url, poll, len(body), body).split()[1:2] == [b"413"]
