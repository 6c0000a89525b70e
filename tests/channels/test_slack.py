"""Slack: signed Events API and interactivity posts to /webhooks/slack/webhook of a running server;
the replies are the chat.postMessage calls the Slack client would make (what the channel shows)."""
import asyncio
import hashlib
import hmac
import json
import random
import string
import time
from typing import Any, Dict, List, Optional
from urllib.parse import urlencode

import pytest
import requests

from bot.channels.slack_complete import CompleteSlackBot
from tests.channels.platform_server import SECRETS, longest_referral, platforms, words  # noqa: F401 (platforms is a fixture)

WEBHOOK = "/webhooks/slack/webhook"


def slack_id(prefix: str) -> str:
    return prefix + "".join(random.choice(string.ascii_uppercase + string.digits) for _ in range(10))


def signed(body: bytes, content_type: str, secret: str = SECRETS["SLACK_SIGNING_SECRET"],
           timestamp: Optional[int] = None) -> Dict[str, str]:
    """Slack's request signing: v0=HMAC-SHA256(signing secret, 'v0:<timestamp>:<body>')."""
    stamp = str(int(time.time()) if timestamp is None else timestamp)
    digest = hmac.new(secret.encode(), f"v0:{stamp}:".encode() + body, hashlib.sha256).hexdigest()
    return {"Content-Type": content_type, "X-Slack-Request-Timestamp": stamp,
            "X-Slack-Signature": f"v0={digest}"}


def dm_event(user: str, channel: str, text: str) -> Dict[str, Any]:
    """A direct message to the app, as the Events API posts it."""
    ts = f"{time.time():.6f}"
    return {"token": "verification-token-unused", "team_id": "T0CLINIC1", "api_app_id": "A0BOT0001",
            "event": {"client_msg_id": "b9b6b4c4-0d0e-4c2f-8b5e-3a1f0c0e9d11", "type": "message",
                      "text": text, "user": user, "ts": ts, "team": "T0CLINIC1",
                      "channel": channel, "event_ts": ts, "channel_type": "im"},
            "type": "event_callback", "event_id": slack_id("Ev"), "event_time": int(time.time()),
            "authorizations": [{"enterprise_id": None, "team_id": "T0CLINIC1",
                                "user_id": "U0BOTUSER", "is_bot": True}]}


def button_click(user: str, channel: str, title: str, payload: str) -> Dict[str, Any]:
    """A click on a button of a bot message (interactivity: block_actions)."""
    ts = f"{time.time():.6f}"
    return {"type": "block_actions", "user": {"id": user, "username": "sam", "team_id": "T0CLINIC1"},
            "api_app_id": "A0BOT0001", "container": {"type": "message", "message_ts": ts,
                                                     "channel_id": channel, "is_ephemeral": False},
            "trigger_id": "1.2.3", "team": {"id": "T0CLINIC1", "domain": "clinic"},
            "channel": {"id": channel, "name": "directmessage"},
            "message": {"type": "message", "text": "Hi!", "user": "U0BOTUSER", "ts": ts},
            "actions": [{"type": "button", "action_id": "x1", "block_id": "b1",
                         "text": {"type": "plain_text", "text": title}, "value": payload,
                         "action_ts": ts}]}


def post_event(platforms, event: Dict[str, Any], headers: Optional[Dict[str, str]] = None,
               ) -> requests.Response:
    body = json.dumps(event).encode()
    return requests.post(platforms.url + WEBHOOK, data=body, timeout=60,
                         headers=signed(body, "application/json") if headers is None else headers)


def posts(platforms, channel: str, count: int = 1) -> List[Dict[str, Any]]:
    return platforms.outbox.wait_for("slack", lambda items: len(items) >= count,
                                     method="chat.postMessage", channel=channel)


def say(platforms, user: str, channel: str, text: str) -> List[Dict[str, Any]]:
    before = len(platforms.outbox.of("slack", channel=channel))
    response = post_event(platforms, dm_event(user, channel, text))
    assert response.status_code == 200, response.text
    return posts(platforms, channel, before + 1)[before:]


def button_values(message: Dict[str, Any]) -> List[str]:
    return [e["value"] for b in message.get("blocks", []) if b["type"] == "actions"
            for e in b["elements"]]


def test_url_verification_gets_the_plain_challenge(platforms):
    event = {"token": "x", "challenge": "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P",
             "type": "url_verification"}
    response = post_event(platforms, event)
    assert (response.status_code, response.text) == (200, event["challenge"])
    forged = post_event(platforms, event, headers={"Content-Type": "application/json"})
    assert forged.status_code == 400


def test_direct_message_gets_the_heat_or_ice_answer(platforms):
    user, channel = slack_id("U"), slack_id("D")
    sent = say(platforms, user, channel, "is ice good for a cramp?")
    text = "\n".join(m["text"] for m in sent)
    assert "Ice for fresh pain, swelling or inflammation" in text
    assert "Heat for ongoing tightness" in text
    assert button_values(sent[-1]) == ["how do I massage it myself?", "show me a stretch",
                                       "when should I see a doctor?"]
    assert all("as_user" not in m for m in sent)  # refused by Slack for bot tokens
    assert {m["token"] for m in sent} == {SECRETS["SLACK_TOKEN"]}


def test_red_flag_gets_the_complete_referral(platforms):
    user, channel = slack_id("U"), slack_id("D")
    sent = say(platforms, user, channel, "my leg is cramping and now i cant breathe properly")
    referral = platforms.slot(user, "triage_message")
    assert referral and "Please call 999 now" in referral
    section = sent[-1]["blocks"][0]["text"]["text"]
    assert section == "🚨 " + referral == sent[-1]["text"]
    assert button_values(sent[-1]) == ["I've been seen by a paramedic or a doctor"]


def test_a_clicked_button_sends_its_payload(platforms):
    user, channel = slack_id("U"), slack_id("D")
    body = urlencode({"payload": json.dumps(button_click(
        user, channel, "Heat or ice?", "should I use heat or ice?"))}).encode()
    response = requests.post(platforms.url + WEBHOOK, data=body, timeout=60,
                             headers=signed(body, "application/x-www-form-urlencoded"))
    assert response.status_code == 200
    text = "\n".join(m["text"] for m in posts(platforms, channel))
    assert "Heat for ongoing tightness" in text
    assert platforms.user_texts(user) == ["should I use heat or ice?"]


def test_a_question_with_six_options_keeps_its_buttons(platforms):
    """Rasa drops all buttons past five; the area question has six."""
    user, channel = slack_id("U"), slack_id("D")
    sent = say(platforms, user, channel, "I keep getting muscle spasms")
    sent = posts(platforms, channel, 2)
    question = [m for m in sent if "Which muscle or area" in m["text"]]
    assert question, sent
    assert button_values(question[0]) == ["my calf", "my lower back", "my neck and shoulders",
                                          "my thigh", "my foot", "skip"]


@pytest.mark.parametrize("forgery", ["missing", "wrong secret", "stale timestamp", "tampered"])
def test_unsigned_or_wrongly_signed_requests_are_refused(platforms, forgery):
    user, channel = slack_id("U"), slack_id("D")
    body = json.dumps(dm_event(user, channel, "is ice good for a cramp?")).encode()
    headers = {
        "missing": {"Content-Type": "application/json"},
        "wrong secret": signed(body, "application/json", secret="not-the-signing-secret"),
        "stale timestamp": signed(body, "application/json", timestamp=int(time.time()) - 600),
        "tampered": signed(body.replace(b"cramp", b"cramps"), "application/json"),
    }[forgery]
    response = requests.post(platforms.url + WEBHOOK, data=body, headers=headers, timeout=60)
    assert response.status_code == 400
    time.sleep(1)
    assert platforms.outbox.of("slack", channel=channel) == []
    assert platforms.tracker(user) is None


def test_longest_possible_referral_arrives_whole(platforms):
    referral = longest_referral() * 2
    channel = slack_id("D")
    output = CompleteSlackBot(SECRETS["SLACK_TOKEN"], channel)
    asyncio.run(output.send_text_with_buttons(channel, referral, [
        {"title": "I've been seen", "payload": "I've been seen by a paramedic or a doctor"}]))
    sent = [item.payload for item in output.replies.items]  # for the outbox, in order
    assert {item.conversation for item in output.replies.items} == {channel}
    assert len(sent) >= 2  # longer than one Slack message: split, not cut
    assert all(len(m["text"]) <= 3000 for m in sent)
    assert words(" ".join(m["text"] for m in sent)) == words(referral)
    assert button_values(sent[-1]) == ["I've been seen by a paramedic or a doctor"]
