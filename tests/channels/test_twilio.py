"""Twilio SMS and WhatsApp: Twilio's signed form posts to /webhooks/twilio/webhook and
/webhooks/twilio_whatsapp/webhook of a running server; the replies are the Messages API requests
the twilio client would make (To, From, Body), i.e. the texts the client's phone would show."""
import asyncio
import random
import time
from types import SimpleNamespace
from typing import Dict, List, Optional

import pytest
import requests
from rasa.shared.core.events import ActionExecuted, BotUttered, UserUttered
from twilio.request_validator import RequestValidator

from bot.channels.twilio_signed import (
    NumberedOptionsOutput,
    SignedTwilioInput,
    offered_options,
    option_label,
    options_sentence,
    sms_parts,
)
from tests.channels.platform_server import SECRETS, longest_referral, platforms, words  # noqa: F401 (platforms is a fixture)

SMS = "/webhooks/twilio/webhook"
WHATSAPP = "/webhooks/twilio_whatsapp/webhook"
PUBLIC = SECRETS["TWILIO_WEBHOOK_URL"]
GREETING_OPTIONS = ("Reply 1 for I have a spasm now, 2 for Heat or ice?, 3 for Stretches or "
                    "4 for Prevent cramps.")


def new_phone() -> str:
    return f"+4477009{random.randint(10000, 99999)}"


def inbound(sender: str, body: str, path: str = SMS) -> Dict[str, str]:
    """The form fields Twilio posts for an incoming SMS / WhatsApp message."""
    to = SECRETS["TWILIO_WHATSAPP_NUMBER"] if path == WHATSAPP else SECRETS["TWILIO_NUMBER"]
    sid = "SM" + "".join(random.choice("0123456789abcdef") for _ in range(32))
    fields = {
        "ToCountry": "GB", "ToState": "", "SmsMessageSid": sid, "NumMedia": "0", "ToCity": "",
        "FromZip": "", "SmsSid": sid, "FromState": "", "SmsStatus": "received", "FromCity": "",
        "Body": body, "FromCountry": "GB", "To": to, "ToZip": "", "NumSegments": "1",
        "MessageSid": sid, "AccountSid": SECRETS["TWILIO_ACCOUNT_SID"], "From": sender,
        "ApiVersion": "2010-04-01"}
    if path == WHATSAPP:
        fields.update(ProfileName="Sam", WaId=sender.split("+")[-1], MessageType="text")
    return fields


def sign(url: str, fields: Dict[str, str], token: str = SECRETS["TWILIO_AUTH_TOKEN"]) -> str:
    return RequestValidator(token).compute_signature(url, fields)


def post(platforms, fields: Dict[str, str], path: str = SMS,
         signature: Optional[str] = None) -> requests.Response:
    headers = {"X-Twilio-Signature": sign(PUBLIC + path, fields) if signature is None
               else signature}
    if signature == "":
        headers = {}
    return requests.post(platforms.url + path, data=fields, headers=headers, timeout=60)


def say(platforms, sender: str, body: str, path: str = SMS) -> List[str]:
    """The bodies the client receives for one message."""
    before = len(platforms.outbox.of("twilio", To=sender))
    response = post(platforms, inbound(sender, body, path), path)
    assert response.status_code == 204, response.text
    sent = platforms.outbox.wait_for("twilio", lambda items: len(items) > before, To=sender)
    return [item["Body"] for item in sent[before:]]


# --- over the running server -----------------------------------------------------------------

def test_sms_question_gets_the_heat_or_ice_answer(platforms):
    phone = new_phone()
    bodies = say(platforms, phone, "is ice good for a cramp?")
    assert len(bodies) == 1  # one SMS per bot message, "\n\n" kept inside it
    assert "Ice for fresh pain, swelling or inflammation" in bodies[0]
    assert "Heat for ongoing tightness" in bodies[0]
    assert bodies[0].endswith("Reply 1 for Self-massage, 2 for Stretches or 3 for When to get help.")
    sent = platforms.outbox.of("twilio", To=phone)[-1]
    assert sent["From"] == SECRETS["TWILIO_NUMBER"]
    assert f"/Accounts/{SECRETS['TWILIO_ACCOUNT_SID']}/Messages.json" in sent["url"]


def test_buttons_are_numbered_and_a_reply_of_2_picks_the_second(platforms):
    phone = new_phone()
    greeting = say(platforms, phone, "hello")
    assert greeting[-1].endswith(GREETING_OPTIONS)
    answer = say(platforms, phone, "2")
    assert "Heat for ongoing tightness" in "\n".join(answer)
    assert platforms.user_texts(phone) == ["hello", "should I use heat or ice?"]
    chosen = [e for e in platforms.tracker(phone).events if isinstance(e, UserUttered)][-1]
    assert chosen.metadata["option"] == {"reply": "2", "title": "Heat or ice?"}
    # the answer's own options now count: 2 is "Stretches"
    say(platforms, phone, " 2. ")
    assert platforms.user_texts(phone)[-1] == "show me a stretch"


def test_a_number_is_plain_text_when_no_option_has_it(platforms):
    phone = new_phone()
    say(platforms, phone, "hello")
    say(platforms, phone, "7")  # four options were offered
    assert platforms.user_texts(phone)[-1] == "7"
    other = new_phone()
    say(platforms, other, "2")  # nothing was offered yet
    assert platforms.user_texts(other) == ["2"]


def test_options_of_a_question_on_a_0_to_10_scale_are_letters(platforms):
    """'3' answers 'how bad from 0 to 10', so it must not pick the third option (Severe 7-10)."""
    phone = new_phone()
    say(platforms, phone, "my calf keeps cramping")
    say(platforms, phone, "it started today")
    question = say(platforms, phone, "I was exercising")[-1]
    assert "from 0 (no pain) to 10" in question
    assert question.endswith("Reply A for Mild (1-3), B for Moderate (4-6) or C for Severe (7-10).")
    say(platforms, phone, "3")
    assert platforms.user_texts(phone)[-1] == "3"
    assert platforms.slot(phone, "spasm_severity") is not None


def test_letter_picks_a_lettered_option(platforms):
    phone = new_phone()
    say(platforms, phone, "my calf keeps cramping")
    say(platforms, phone, "it started today")
    say(platforms, phone, "I was exercising")
    say(platforms, phone, "b")
    assert platforms.user_texts(phone)[-1] == "it's moderate, about 5 out of 10"


def test_red_flag_gets_the_complete_referral_and_1_confirms_safety(platforms):
    phone = new_phone()
    bodies = say(platforms, phone, "my leg is cramping and now i cant breathe properly")
    referral = platforms.slot(phone, "triage_message")
    assert referral and "Please call 999 now" in referral
    assert bodies == ["🚨 " + referral + "\n\nReply 1 for I've been seen."]
    say(platforms, phone, "1")
    assert platforms.user_texts(phone)[-1] == "I've been seen by a paramedic or a doctor"


def test_whatsapp_answers_from_the_whatsapp_number_with_numbered_options(platforms):
    sender = "whatsapp:" + new_phone()
    greeting = say(platforms, sender, "hi", WHATSAPP)
    assert greeting[-1].endswith(GREETING_OPTIONS)
    assert platforms.outbox.of("twilio", To=sender)[-1]["From"] == SECRETS["TWILIO_WHATSAPP_NUMBER"]
    answer = say(platforms, sender, "2", WHATSAPP)
    assert "Heat for ongoing tightness" in "\n".join(answer)
    tracker = platforms.tracker(sender)
    assert tracker.get_latest_input_channel() == "twilio_whatsapp"


@pytest.mark.parametrize("path", [SMS, WHATSAPP])
@pytest.mark.parametrize("forgery", ["missing", "wrong token", "other URL", "tampered body"])
def test_unsigned_or_wrongly_signed_requests_are_refused(platforms, path, forgery):
    sender = ("whatsapp:" if path == WHATSAPP else "") + new_phone()
    fields = inbound(sender, "is ice good for a cramp?", path)
    signature = {
        "missing": "",
        "wrong token": sign(PUBLIC + path, fields, token="not-the-auth-token"),
        "other URL": sign("https://attacker.example" + path, fields),
        "tampered body": sign(PUBLIC + path, dict(fields, Body="hello")),
    }[forgery]
    response = post(platforms, fields, path, signature=signature)
    assert response.status_code == 403
    time.sleep(0.5)
    assert platforms.outbox.of("twilio", To=sender) == []
    assert platforms.tracker(sender) is None  # nothing reached the assistant


def test_signature_over_the_internal_url_is_refused_when_a_public_url_is_set(platforms):
    """Behind a proxy Twilio signs the public URL; the URL the server sees does not count."""
    phone = new_phone()
    fields = inbound(phone, "hello")
    response = post(platforms, fields, signature=sign(platforms.url + SMS, fields))
    assert response.status_code == 403


# --- the pieces ------------------------------------------------------------------------------

def test_longest_possible_referral_is_split_into_marked_parts_not_cut():
    referral = longest_referral()
    phone = new_phone()
    output = NumberedOptionsOutput(SECRETS["TWILIO_ACCOUNT_SID"], SECRETS["TWILIO_AUTH_TOKEN"],
                                   SECRETS["TWILIO_NUMBER"])
    buttons = [{"title": "I've been seen", "payload": "I've been seen by a paramedic or a doctor"}]
    asyncio.run(output.send_text_with_buttons(phone, referral, buttons))
    bodies = [item.payload["body"] for item in output.replies.items]  # for the outbox, in order
    assert {item.conversation for item in output.replies.items} == {phone}
    n = len(bodies)
    assert n >= 2 and all(len(b) <= 1600 for b in bodies)
    assert bodies[0].startswith(f"(1/{n}) " + referral.splitlines()[0][:30])
    assert all(b.startswith(f"({i}/{n}) ") for i, b in enumerate(bodies, start=1))
    joined = " ".join(b.split(" ", 1)[1] for b in bodies)
    assert words(joined) == words(referral + " Reply 1 for I've been seen.")


def test_sms_parts():
    assert sms_parts("short") == ["short"]
    parts = sms_parts("line of text\n" * 300)
    assert all(len(p) <= 1600 for p in parts) and len(parts) == 3
    assert [p[:6] for p in parts] == ["(1/3) ", "(2/3) ", "(3/3) "]


def test_option_labels_and_replies():
    assert options_sentence(["1"], [{"title": "Yes"}]) == "Reply 1 for Yes."
    assert options_sentence(["1", "2"], [{"title": "Yes"}, {"title": "No"}]) == (
        "Reply 1 for Yes or 2 for No.")
    assert [option_label(t) for t in ("2", " 2. ", "(3)", "#4", "option 5", "b", "B)")] == [
        "2", "2", "3", "4", "5", "B", "B"]
    assert [option_label(t) for t in ("2 days", "ok", "12345", "", "2 or 3")] == [None] * 5


def test_offered_options_number_on_across_one_turn_and_reset_after_the_client_writes():
    def bot(text: str, *titles: str) -> BotUttered:
        return BotUttered(text, {"buttons": [{"title": t, "payload": t.lower()} for t in titles]})

    events = [UserUttered("hi"), bot("Pick one", "A1", "A2"), UserUttered("2"),
              bot("First", "X", "Y"), ActionExecuted("action_listen"), bot("Second", "Z"),
              bot("From 0 to 10, how bad?", "Mild", "Severe")]
    options = offered_options(events)
    assert {k: v["title"] for k, v in options.items()} == {
        "1": "X", "2": "Y", "3": "Z", "A": "Mild", "B": "Severe"}
    assert offered_options(events + [UserUttered("3")]) == {}


@pytest.mark.parametrize("configured, expected", [
    ("https://bot.example.org", "https://bot.example.org/webhooks/twilio/webhook?x=1"),
    ("https://bot.example.org/", "https://bot.example.org/webhooks/twilio/webhook?x=1"),
    ("https://example.org/bot/webhooks/twilio/webhook",
     "https://example.org/bot/webhooks/twilio/webhook?x=1"),
    (None, "http://127.0.0.1:5005/webhooks/twilio/webhook?x=1"),
])
def test_public_url(configured, expected):
    channel = SignedTwilioInput("AC1", "token", "+441610000000", webhook_url=configured)
    request = SimpleNamespace(path="/webhooks/twilio/webhook", query_string="x=1",
                              url="http://127.0.0.1:5005/webhooks/twilio/webhook?x=1")
    assert channel.public_url(request) == expected


def test_the_channel_cannot_run_without_an_auth_token():
    from rasa.shared.exceptions import RasaException

    with pytest.raises(RasaException):
        SignedTwilioInput.from_credentials({"account_sid": "AC1", "twilio_number": "+1555"})
