"""A call-back from the clinic, and the clinic's alerts, over real HTTP (issue 17, points 2 and 3).

The real assistant (Rasa server, action server and the alert watcher `python -m bot.alerts`, as
`make run` starts them) is pointed at a local SMTP server and a local webhook receiver
(tests/e2e/alert_sinks.py). The webhook refuses its first two deliveries, so every webhook alert
shows the retries. The clinic is open all day in these tests' settings (a copy of
settings/clinic.yml), so a call-back is promised "within 2 hours"; outside hours is
tests/actions/test_callback_request.py.
"""
import email
import email.policy
import os
import re
import secrets
import time

import pytest
import yaml
from sqlalchemy import create_engine, select

from bot.paths import ROOT
from bot.review.schema import alerts, callbacks
from bot.stack import running_assistant
from tests.conftest import Client
from tests.e2e.alert_sinks import SmtpSink, WebhookReceiver, random_port, wait_for
from tests.e2e.support import Chat, buttons_of, describe, text_of

CONSOLE = "https://console.calmmuscle.example"
NUMBER = "07700 900123"
ALERT_WAIT_S = 60  # "within a minute"


@pytest.fixture(scope="module")
def setup(tmp_path_factory):
    """The assistant with its alerts going to local servers; yields (client, smtp, webhook, db)."""
    folder = tmp_path_factory.mktemp("callback")
    settings = yaml.safe_load((ROOT / "settings" / "clinic.yml").read_text())
    settings["opening_hours"] = {day: "00:00-24:00" for day in settings["opening_hours"]}
    (folder / "clinic.yml").write_text(yaml.safe_dump(settings, allow_unicode=True))
    with SmtpSink() as smtp, WebhookReceiver(fail_first=2) as webhook:
        env = {"CLINIC_SETTINGS": str(folder / "clinic.yml"), "ALERT_SMTP_HOST": "127.0.0.1",
               "ALERT_SMTP_PORT": str(smtp.port), "ALERT_SMTP_STARTTLS": "0",
               "ALERT_EMAIL_TO": "duty@calmmuscle.example", "ALERT_WEBHOOK_URL": webhook.url,
               "ALERT_CONSOLE_URL": CONSOLE, "ALERT_BACKOFF_S": "0.5"}
        saved = {k: os.environ.get(k) for k in env}
        os.environ.update(env)
        token = secrets.token_urlsafe(16)
        database = folder / "tracker.db"
        try:
            with running_assistant(port=random_port(), api_token=token, tracker_db=database,
                                   log_dir=folder / "logs") as url:
                engine = create_engine(f"sqlite:///{database}")
                yield Client(url, token), smtp, webhook, engine, folder
        finally:
            for key, value in saved.items():
                if value is None:
                    os.environ.pop(key, None)
                else:
                    os.environ[key] = value


def _mail(message: dict) -> str:
    """Subject and body of a message the SMTP server received, decoded (quoted-printable)."""
    parsed = email.message_from_string(message["data"], policy=email.policy.default)
    return parsed["Subject"] + "\n" + parsed.get_content()


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def _stored_callbacks(engine, sender):
    with engine.connect() as connection:
        return connection.execute(select(callbacks).where(callbacks.c.sender_id == sender)).all()


def _alerts(engine, sender):
    with engine.connect() as connection:
        return connection.execute(select(alerts).where(alerts.c.sender_id == sender)).all()


def _conversation_link(engine, sender) -> str:
    with engine.connect() as connection:
        key = connection.exec_driver_sql(
            "SELECT min(id) FROM events WHERE sender_id = ?", (sender,)).scalar()
    return f"{CONSOLE}/conversations/{key}"


def test_a_call_back_with_the_number_given_at_once(setup):
    client, smtp, webhook, engine, folder = setup
    chat = Chat(client)
    asked = chat.say(f"can someone call me back? my number is {NUMBER}")
    assert "is that ok" in text_of(asked), describe(asked)
    assert [b["title"] for b in buttons_of(asked)] == ["Yes, call me", "No thanks"]
    done = chat.say("yes")
    said = text_of(done)
    assert "will call you on the number ending •••• ••• 123 within 2 hours" in said, describe(done)
    assert "in an emergency call 999" in said
    assert "900123" not in _digits(said)  # the number is never said back whole
    assert chat.active_loop() is None

    # the request is stored whole, for staff
    assert wait_for(lambda: _stored_callbacks(engine, chat.sender), ALERT_WAIT_S)
    stored = _stored_callbacks(engine, chat.sender)
    assert [(r.phone, r.within_hours, r.done_at) for r in stored] == [("07700900123", True, None)]

    # the clinic is told by e-mail and webhook, with links and nothing the client said
    link = _conversation_link(engine, chat.sender)
    assert wait_for(lambda: any(link in _mail(m) for m in smtp.messages), ALERT_WAIT_S)
    assert wait_for(lambda: any(link in b["text"] for b in webhook.bodies), ALERT_WAIT_S)
    mail = next(m for m in smtp.messages if link in _mail(m))
    hook = next(b for b in webhook.bodies if link in b["text"])
    for text in (_mail(mail), hook["text"]):
        assert "call-back" in text.lower() and f"{CONSOLE}/callbacks" in text
        assert "900123" not in _digits(text) and "call me back" not in text
    assert mail["to"] == ["duty@calmmuscle.example"]
    assert set(hook) == {"text"}  # Slack-compatible
    sent = {r.channel: r for r in _alerts(engine, chat.sender)}
    assert sent["email"].state == "sent" and sent["webhook"].state == "sent"

    # the number is masked in every log the servers wrote
    for log in (folder / "logs").glob("*.log"):
        assert "900123" not in _digits(log.read_text(errors="replace")), log.name


def test_asking_for_a_person_offers_a_call_back(setup):
    client, *_ = setup
    chat = Chat(client)
    offered = chat.say("can I talk to a person?")
    assert "020 7946 0018" in text_of(offered), describe(offered)
    button = next(b for b in buttons_of(offered) if b["title"] == "Ask for a call-back")
    asked = chat.say(button["payload"])
    assert "is that ok" in text_of(asked), describe(asked)
    assert chat.active_loop() == "callback_form"


def test_the_number_is_asked_after_consent(setup):
    client, smtp, webhook, engine, _ = setup
    chat = Chat(client)
    assert "is that ok" in text_of(chat.say("can someone ring me?"))
    asked = chat.say("yes please")
    assert "what number should the clinic call" in text_of(asked), describe(asked)
    again = chat.say("my name is Sam")
    assert "doesn't look like a phone number" in text_of(again), describe(again)
    done = chat.say("it's 020 7946 0018")
    assert "ending •••• ••• 018 within 2 hours" in text_of(done), describe(done)
    assert wait_for(lambda: _stored_callbacks(engine, chat.sender), ALERT_WAIT_S)
    assert _stored_callbacks(engine, chat.sender)[0].phone == "02079460018"


def test_a_refusal_stores_nothing_and_gives_the_clinic_contact(setup):
    client, smtp, webhook, engine, _ = setup
    chat = Chat(client)
    chat.say(f"please ring me back on {NUMBER}")
    done = chat.say("no")
    assert "won't pass on a number" in text_of(done) and "020 7946 0018" in text_of(done)
    assert chat.slots().get("callback_phone") is None
    time.sleep(5)  # more than two polls of the watcher
    assert _stored_callbacks(engine, chat.sender) == [] and _alerts(engine, chat.sender) == []


def test_an_emergency_interrupts_the_call_back_and_alerts_the_clinic(setup):
    client, smtp, webhook, engine, _ = setup
    chat = Chat(client)
    chat.say("can someone call me back")
    asked = chat.say("yes")
    assert "what number should the clinic call" in text_of(asked), describe(asked)
    started = time.monotonic()
    referral = chat.say("I have crushing chest pain and I can't breathe")
    took = time.monotonic() - started
    said = text_of(referral)
    assert "999" in said and "what number" not in said, describe(referral)
    assert chat.active_loop() is None  # the call-back form is closed at that turn
    assert chat.slots()["triage_level"] == "emergency_ambulance"
    assert took < 5, f"the referral took {took:.1f} s"

    link = _conversation_link(engine, chat.sender)
    start = time.monotonic()
    assert wait_for(lambda: any(link in _mail(m) for m in smtp.messages), ALERT_WAIT_S)
    assert wait_for(lambda: any(link in b["text"] for b in webhook.bodies), ALERT_WAIT_S)
    assert time.monotonic() - start < ALERT_WAIT_S
    mail = next(m for m in smtp.messages if link in _mail(m))
    hook = next(b for b in webhook.bodies if link in b["text"])
    for text in (_mail(mail), hook["text"]):
        assert "emergency" in text.lower()
        assert "chest" not in text.lower() and "breathe" not in text.lower()
    assert _stored_callbacks(engine, chat.sender) == []  # no number was given: no request


def test_webhook_failures_are_retried_and_recorded(setup):
    client, smtp, webhook, engine, _ = setup
    # the receiver refused its first two deliveries: whichever alert went first was retried
    assert wait_for(lambda: webhook.refused == 2 and webhook.bodies, ALERT_WAIT_S)
    with engine.connect() as connection:
        rows = connection.execute(select(alerts).where(alerts.c.channel == "webhook")).all()
    retried = [r for r in rows if r.attempts > 1]
    assert retried and all(r.state == "sent" for r in retried)
