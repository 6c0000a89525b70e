"""Facebook Messenger: signed webhook posts (page subscription) to /webhooks/facebook/webhook of a
running server; the replies are the Send API calls the Messenger client would make."""
import asyncio
import hashlib
import hmac
import json
import random
import time
from typing import Any, Dict, List, Optional

import pytest
import requests

from bot.channels.facebook_complete import CompleteMessengerBot, valid_signature
from tests.channels.platform_server import SECRETS, longest_referral, platforms, words  # noqa: F401 (platforms is a fixture)

WEBHOOK = "/webhooks/facebook/webhook"
PAGE_ID = "107000000000001"


def new_psid() -> str:
    return str(random.randint(10 ** 15, 10 ** 16))


def event(psid: str, text: Optional[str] = None, quick_reply: Optional[str] = None,
          postback: Optional[str] = None) -> Dict[str, Any]:
    now = int(time.time() * 1000)
    item: Dict[str, Any] = {"sender": {"id": psid}, "recipient": {"id": PAGE_ID}, "timestamp": now}
    if postback is not None:
        item["postback"] = {"title": "option", "payload": postback, "mid": f"m_{now}"}
    else:
        item["message"] = {"mid": f"m_{now}{random.randint(0, 999)}", "text": text}
        if quick_reply is not None:
            item["message"]["quick_reply"] = {"payload": quick_reply}
    return item


def page_update(*items: Dict[str, Any]) -> Dict[str, Any]:
    return {"object": "page", "entry": [{"id": PAGE_ID, "time": int(time.time() * 1000),
                                         "messaging": list(items)}]}


def signature_headers(body: bytes, secret: str = SECRETS["FACEBOOK_SECRET"]) -> Dict[str, str]:
    """What Meta sends: both the SHA-256 and the legacy SHA-1 signature of the raw body."""
    key = secret.encode()
    return {"Content-Type": "application/json",
            "X-Hub-Signature-256": "sha256=" + hmac.new(key, body, hashlib.sha256).hexdigest(),
            "X-Hub-Signature": "sha1=" + hmac.new(key, body, hashlib.sha1).hexdigest()}


def post(platforms, update: Dict[str, Any], headers: Optional[Dict[str, str]] = None
         ) -> requests.Response:
    body = json.dumps(update).encode()
    return requests.post(platforms.url + WEBHOOK, data=body, timeout=60,
                         headers=signature_headers(body) if headers is None else headers)


def messages(platforms, psid: str) -> List[Dict[str, Any]]:
    return [i["message"] for i in platforms.outbox.of("facebook", recipient=psid)
            if "message" in i]


def say(platforms, psid: str, **kwargs: Any) -> List[Dict[str, Any]]:
    """The messages the client receives for one message (sent from the outbox after the webhook
    has answered: all of them once nothing new has come for a moment)."""
    before = len(messages(platforms, psid))
    response = post(platforms, page_update(event(psid, **kwargs)))
    assert (response.status_code, response.text) == (200, "success")
    platforms.outbox.wait_for("facebook", lambda items: len(
        [i for i in items if "message" in i]) > before, recipient=psid)
    return messages(platforms, psid)[before:]


def text_of(message: Dict[str, Any]) -> str:
    template = message.get("attachment", {}).get("payload", {})
    return message.get("text") or template.get("text", "")


def options_of(message: Dict[str, Any]) -> List[str]:
    template = message.get("attachment", {}).get("payload", {})
    return [b["payload"] for b in message.get("quick_replies") or template.get("buttons") or []]


def test_webhook_verification_needs_the_verify_token(platforms):
    ok = requests.get(platforms.url + WEBHOOK, timeout=30, params={
        "hub.mode": "subscribe", "hub.verify_token": SECRETS["FACEBOOK_VERIFY"],
        "hub.challenge": "1158201444"})
    assert (ok.status_code, ok.text) == (200, "1158201444")
    wrong = requests.get(platforms.url + WEBHOOK, timeout=30, params={
        "hub.mode": "subscribe", "hub.verify_token": "guess", "hub.challenge": "1158201444"})
    assert wrong.status_code == 403 and "1158201444" not in wrong.text


def test_text_message_gets_the_heat_or_ice_answer(platforms):
    psid = new_psid()
    sent = say(platforms, psid, text="is ice good for a cramp?")
    text = "\n".join(text_of(m) for m in sent)
    assert "Ice for fresh pain, swelling or inflammation" in text
    assert "Heat for ongoing tightness" in text
    assert options_of(sent[-1]) == ["how do I massage it myself?", "show me a stretch",
                                    "when should I see a doctor?"]
    sent_in_order = [i.get("action", "message") for i in platforms.outbox.of("facebook",
                                                                              recipient=psid)]
    assert sent_in_order == ["mark_seen"] + ["message"] * len(sent)  # seen, then the replies


def test_red_flag_gets_the_complete_referral(platforms):
    psid = new_psid()
    sent = say(platforms, psid, text="my leg is cramping and now i cant breathe properly")
    referral = platforms.slot(psid, "triage_message")
    assert referral and "Please call 999 now" in referral
    assert text_of(sent[-1]) == "🚨 " + referral
    assert options_of(sent[-1]) == ["I've been seen by a paramedic or a doctor"]


def test_referral_over_the_button_template_limit_still_arrives_whole(platforms):
    """Four red flags at once: over Messenger's 640-character button template, so the full text
    goes as a message with quick replies (Rasa's template would be refused by the Send API)."""
    psid = new_psid()
    sent = say(platforms, psid, text="my chest hurts and I can't breathe, my face is drooping and "
                                     "my calf is rock hard and swollen")
    referral = platforms.slot(psid, "triage_message")
    assert len("🚨 " + referral) > 640
    assert sent[-1]["text"] == "🚨 " + referral
    assert sent[-1]["quick_replies"] == [{"content_type": "text", "title": "I've been seen",
                                          "payload": "I've been seen by a paramedic or a doctor"}]


def test_greeting_with_four_buttons_keeps_them_as_quick_replies(platforms):
    """Rasa drops every button of a message with more than three."""
    psid = new_psid()
    sent = say(platforms, psid, text="hello")
    assert options_of(sent[-1]) == ["my muscle is cramping right now", "should I use heat or ice?",
                                    "show me a stretch", "how do I stop cramps coming back?"]


@pytest.mark.parametrize("kind", ["quick_reply", "postback"])
def test_quick_reply_and_postback_send_their_payload(platforms, kind):
    psid = new_psid()
    kwargs = ({"text": "Heat or ice?", "quick_reply": "should I use heat or ice?"}
              if kind == "quick_reply" else {"postback": "should I use heat or ice?"})
    sent = say(platforms, psid, **kwargs)
    assert "Heat for ongoing tightness" in "\n".join(text_of(m) for m in sent)
    assert platforms.user_texts(psid) == ["should I use heat or ice?"]


def test_every_event_of_a_batch_is_answered(platforms):
    first, second = new_psid(), new_psid()
    response = post(platforms, page_update(event(first, text="is ice good for a cramp?"),
                                           event(second, text="hello")))
    assert response.status_code == 200
    assert platforms.user_texts(first) == ["is ice good for a cramp?"]
    assert platforms.user_texts(second) == ["hello"]
    platforms.outbox.wait_for("facebook", lambda items: any("message" in i for i in items),
                              recipient=second)


@pytest.mark.parametrize("forgery", ["missing", "wrong secret", "tampered", "md5",
                                     "sha1 right but sha256 wrong"])
def test_unsigned_or_wrongly_signed_requests_are_refused(platforms, forgery):
    psid = new_psid()
    body = json.dumps(page_update(event(psid, text="is ice good for a cramp?"))).encode()
    good = signature_headers(body)
    headers = {
        "missing": {"Content-Type": "application/json"},
        "wrong secret": signature_headers(body, secret="not-the-app-secret"),
        "tampered": signature_headers(body.replace(b"cramp", b"cramps")),
        "md5": {"Content-Type": "application/json", "X-Hub-Signature": "md5=" + hmac.new(
            SECRETS["FACEBOOK_SECRET"].encode(), body, hashlib.md5).hexdigest()},
        "sha1 right but sha256 wrong": dict(
            good, **{"X-Hub-Signature-256": "sha256=" + "0" * 64}),
    }[forgery]
    response = requests.post(platforms.url + WEBHOOK, data=body, headers=headers, timeout=60)
    assert response.status_code == 403
    time.sleep(0.5)
    assert platforms.outbox.of("facebook", recipient=psid) == []
    assert platforms.tracker(psid) is None


def test_legacy_sha1_signature_alone_is_accepted():
    body = b'{"object": "page", "entry": []}'
    sha1 = "sha1=" + hmac.new(b"s3cret", body, hashlib.sha1).hexdigest()
    assert valid_signature("s3cret", body, "", sha1)
    assert not valid_signature("s3cret", body, "", "")
    assert not valid_signature("s3cret", body, "", sha1.upper())


def test_longest_possible_referral_arrives_whole():
    referral = longest_referral()
    psid = new_psid()
    output = CompleteMessengerBot()
    asyncio.run(output.send_text_with_buttons(psid, referral, [
        {"title": "I've been seen", "payload": "I've been seen by a paramedic or a doctor"}]))
    sent = [item.payload["message"] for item in output.replies.items]  # for the outbox, in order
    assert {item.payload["recipient"] for item in output.replies.items} == {psid}
    assert len(sent) == 2 and all(len(m["text"]) <= 2000 for m in sent)
    assert words(" ".join(m["text"] for m in sent)) == words(referral)
    assert options_of(sent[-1]) == ["I've been seen by a paramedic or a doctor"]
