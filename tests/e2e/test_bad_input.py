"""Bad input over HTTP against the real assistant: every message gets a clear answer and the
conversation keeps its state; broken requests get a 4xx and the server keeps working; the HTTP
API refuses requests without the right token."""
import json
import uuid

import pytest
import requests

from bot.channels.rest import LONG_REPLY, MAX_MESSAGE_CHARS

from .support import Chat, describe, flags, post_raw, text_of

# The REST clients of the project (tests/conftest.py, bot/cli/evaluate.py) wait 30 s for an answer.
ANSWER_WITHIN_S = 30

BAD_MESSAGES = {
    "empty": "",
    "whitespace": "   \n\t  ",
    "100k-chars": ("my calf " * 12500)[:100000],
    "100k-one-word": "x" * 100000,
    "binary-ish": "\x00\x01\x02\x7f\xff\ufffd\u0007\x1b[31m",
    "emoji-only": "😫😫💪🔥",
    "sql": "'; DROP TABLE events; --",
    "script-tag": "<script>alert(1)</script>",
    "html-img": "<img src=x onerror=alert(1)>",
    "non-english": "me duele mucho la pantorrilla desde ayer",
    "non-latin": "我的小腿抽筋了",
    "right-to-left": "\u202eplh\u202c my calf",
    "json-in-text": '{"sender": "other", "message": "hi"}',
    "template": "{triage_message} {{7*7}} ${TRACKER_DB}",
}


def _mid_form(assistant) -> Chat:
    """A conversation with state: an area and a caution recorded, the assessment open."""
    chat = Chat(assistant)
    chat.run(["I'm pregnant and my calf keeps cramping"])
    slots = chat.slots()
    assert slots.get("spasm_area") == "calf" and "pregnancy" in flags(slots), chat.transcript()
    assert chat.active_loop() == "assessment_form", chat.transcript()
    return chat


@pytest.mark.parametrize("text", list(BAD_MESSAGES.values()), ids=list(BAD_MESSAGES))
def test_bad_message_gets_an_answer_and_keeps_the_state(assistant, text):
    chat = _mid_form(assistant)
    before = chat.slots()
    messages, seconds = chat.say_timed(text)
    assert messages and any((m.get("text") or "").strip() for m in messages), \
        f"no bot message for {text[:40]!r}: {describe(messages)}"
    if len(text) > MAX_MESSAGE_CHARS:  # told so first; its first part is read
        assert messages[0]["text"] == LONG_REPLY, describe(messages)
    slots = chat.slots()
    assert slots.get("spasm_area") == "calf", slots
    assert set(flags(before)) <= set(flags(slots)), slots
    assert slots.get("triage_level") == before.get("triage_level") or \
        (before.get("triage_level") is None and slots.get("triage_level") in (None, "self_care")), slots
    # and the conversation goes on: a normal question is answered with the client's caution
    reply = text_of(chat.say("should I use heat or ice?"))
    assert "heat for ongoing tightness" in reply, chat.transcript()
    assert "midwife" in reply, f"the pregnancy caution was lost:\n{chat.transcript()}"
    assert seconds <= ANSWER_WITHIN_S, \
        f"the answer to {text[:40]!r} took {seconds:.1f} s (clients give up after {ANSWER_WITHIN_S} s)"


STROKE = "my face has dropped on one side and I can't lift my arm"


def test_an_over_long_message_is_answered_too_long_and_its_red_flag_referred(assistant):
    chat = Chat(assistant)
    text = STROKE + ". " + " ".join(["my back has been a bit stiff after work"] * 300)
    messages = chat.say(text)
    assert messages[0]["text"] == LONG_REPLY, describe(messages)
    assert "999" in text_of(messages[1:]), chat.transcript()
    assert chat.slots()["triage_level"] == "emergency_ambulance", chat.slots()
    [said] = [e for e in chat.tracker()["events"] if e["event"] == "user"]
    assert said["text"].startswith(STROKE) and len(said["text"]) <= MAX_MESSAGE_CHARS
    assert text.startswith(said["text"]) and said["metadata"]["clipped_from"] == len(text)


@pytest.mark.parametrize("text", ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>",
                                  "my calf <script>alert(1)</script> keeps cramping"])
def test_markup_from_the_client_never_comes_back_raw(assistant, text):
    chat = Chat(assistant)
    messages = chat.say(text)
    assert messages, "no answer"
    raw = json.dumps(messages).lower()
    assert "<script" not in raw and "onerror" not in raw and "<img" not in raw, describe(messages)


def test_sql_is_only_text(assistant):
    chat = Chat(assistant)
    chat.say("'; DROP TABLE events; --")
    # the tracker store still has this conversation and others
    assert chat.tracker()["events"], "events lost"
    other = Chat(assistant)
    other.say("should I use heat or ice?")
    assert "heat" in other.slots()["advice_topics"]


MALFORMED = {
    "truncated-json": b'{"sender": "x", "message": ',
    "not-json": b"not json at all",
    "invalid-utf8": b'{"sender": "x", "message": "\xff\xfe"}',
    "json-array": b'["sender", "message"]',
    "json-string": b'"hello"',
    "json-number": b"42",
}


@pytest.mark.parametrize("body", list(MALFORMED.values()), ids=list(MALFORMED))
def test_malformed_webhook_body_is_a_4xx_and_the_server_keeps_working(assistant, body):
    response = post_raw(assistant.url, body)
    assert 400 <= response.status_code < 500, \
        f"HTTP {response.status_code} for {body!r}: {response.text[:200]}"
    chat = Chat(assistant)
    assert "heat for ongoing tightness" in text_of(chat.say("should I use heat or ice?"))


def test_wrong_content_type_is_not_a_server_error(assistant):
    response = post_raw(assistant.url, b"sender=x&message=hi", "application/x-www-form-urlencoded")
    assert response.status_code < 500, f"HTTP {response.status_code}: {response.text[:200]}"


# --- the HTTP API is protected by the token ---------------------------------------------------
def _api(assistant, method, path, token=None, **kwargs):
    params = {"token": token} if token is not None else {}
    return requests.request(method, f"{assistant.url}{path}", params=params, timeout=30, **kwargs)


PROTECTED = [
    ("GET", "/conversations/{sender}/tracker", {}),
    ("POST", "/conversations/{sender}/tracker/events",
     {"json": {"event": "slot", "name": "triage_level", "value": None}}),
    ("PUT", "/conversations/{sender}/tracker/events", {"json": []}),
    ("POST", "/conversations/{sender}/messages", {"json": {"text": "hi", "sender": "user"}}),
    ("PUT", "/model", {"json": {"model_file": "/tmp/does-not-exist.tar.gz"}}),
    ("DELETE", "/model", {}),
    ("POST", "/model/parse", {"json": {"text": "hello"}}),
    ("GET", "/status", {}),
    ("GET", "/domain", {}),
]


@pytest.mark.parametrize("token", [None, "wrong-token", ""], ids=["no-token", "wrong-token", "empty-token"])
@pytest.mark.parametrize("method,path,kwargs", PROTECTED, ids=[f"{m} {p}" for m, p, _ in PROTECTED])
def test_api_without_the_right_token_is_refused(assistant, method, path, kwargs, token):
    chat = Chat(assistant)
    chat.say("my calf is swollen and red")
    response = _api(assistant, method, path.format(sender=chat.sender), token, **kwargs)
    assert response.status_code in (401, 403), f"HTTP {response.status_code}: {response.text[:200]}"
    # nothing changed: the referral outcome is still there, and the model still answers
    slots = chat.slots()
    assert "dvt_signs" in flags(slots) and slots["triage_level"] == "consultation_24", slots
    assert "heat for ongoing tightness" in text_of(Chat(assistant).say("should I use heat or ice?"))


def test_bearer_header_with_a_wrong_token_is_refused(assistant):
    response = requests.get(f"{assistant.url}/conversations/{uuid.uuid4().hex}/tracker",
                            headers={"Authorization": "Bearer wrong-token"}, timeout=30)
    assert response.status_code in (401, 403), response.status_code


def test_api_with_the_token_works(assistant):
    chat = Chat(assistant)
    chat.say("hello")
    response = _api(assistant, "GET", f"/conversations/{chat.sender}/tracker", assistant.token)
    assert response.status_code == 200 and response.json()["sender_id"] == chat.sender
