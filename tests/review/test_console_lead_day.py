"""A clinic lead's day (issue 17), end to end in a real headless Chromium, on real services.

The clinic's database (SQLite, written by Rasa's own tracker store) holds the seeded conversations
of review_seed.clinic and, from the last few minutes, a client referred to 999 (after a message the
NLU misread) and a client who asked for a call-back. Three real servers run: the review console
(`python -m bot.review.server`), the alert watcher (`python -m bot.alerts`, as bot/stack.py starts
it) and a local SMTP server (tests/e2e/alert_sinks.py's SmtpSink) that receives its e-mails.

The emergency's alert e-mail arrives with nothing but a link to the conversation; the lead follows
it (signing in on the way), finds that conversation at the top of the work queue, corrects the
misread message, tags it, notes the call and marks it reviewed; she sees the call-back request and
that every alert was delivered, and on her phone marks the call-back done. `make export-reviews`
then writes her correction. The walk is console_lead_day.js; screenshots go to docs/screenshots/
(console-desktop-lead-*.png, console-phone-lead-*.png).
"""
import asyncio
import re
import subprocess
import time
from contextlib import contextmanager
from email import message_from_string, policy
from pathlib import Path
from typing import Iterator, List

import pytest
import yaml
from rasa.shared.core.slots import TextSlot
from rasa.shared.core.trackers import DialogueStateTracker
from review_seed import SLOTS, Seeded, Turn, clinic, save, tracker_store
from review_support import SCREENSHOTS, add_users, browser_walk, console_env, running_console, sqlite_url
from sqlalchemy import select

from bot.paths import ROOT
from bot.review.database import connect
from bot.review.schema import alerts, callbacks
from bot.stack import start_alerts, stop_process
from bot.triage import rules as triage_rules
from tests.e2e.alert_sinks import SmtpSink, wait_for

HERE = ROOT / "tests" / "review"
DUTY = "duty@clinic.example"
MISREAD = "my calves keep cramping after my runs"  # NLU: ask_hydration; the lead: report_spasm
NUMBER = "07700 900789"
# what the clients said or are called: none of it may leave in an alert
CLIENT_DETAILS = ("Grace", "Hill", "calves", "chest", "breathe", "07700", "900789", "call me",
                  "grace-web", "caller-web")
SHOTS = ("console-desktop-lead-queue.png", "console-desktop-lead-conversation.png",
         "console-desktop-lead-callbacks.png", "console-phone-lead-queue.png",
         "console-phone-lead-conversation.png", "console-phone-lead-callbacks.png",
         "console-phone-lead-callback-done.png")
CALLBACK_SLOTS = [TextSlot(name, mappings=[]) for name in ("callback_phone", "callback_consent")]


def this_morning(now: float) -> List[Seeded]:
    """Written after the clinic's history, minutes ago: what the watcher alerts on."""
    return [
        Seeded("grace-web", now - 300, channel="socketio", turns=[
            Turn("hi, I'm Grace Hill", "greet", ["Hi! I'm the clinic's assistant."]),
            Turn(MISREAD, "ask_hydration", ["About 2 litres of water a day helps."]),
            Turn("now I have crushing chest pain and I can't breathe", bot=[],
                 slots={"red_flags": ["pe_signs"], "triage_level": "emergency_ambulance"},
                 referral="emergency_ambulance", mentioned="breathlessness or chest pain"),
        ]),
        Seeded("caller-web", now - 120, channel="socketio", turns=[
            Turn(f"can someone call me back? my number is {NUMBER}", "request_callback",
                 ["Someone from the clinic will call you on the number ending 789."],
                 slots={"callback_phone": NUMBER.replace(" ", ""), "callback_consent": "yes"},
                 actions=["action_request_callback"]),
        ]),
    ]


@contextmanager
def alert_watcher(database_url: str, console: str, smtp_port: int, log: Path) -> Iterator[None]:
    """`python -m bot.alerts` on the clinic's database, e-mailing the local SMTP server only."""
    env = console_env(database_url, ALERT_CONSOLE_URL=console, ALERT_SMTP_HOST="127.0.0.1",
                      ALERT_SMTP_PORT=str(smtp_port), ALERT_SMTP_STARTTLS="0",
                      ALERT_SMTP_USER="", ALERT_SMTP_PASSWORD="", ALERT_EMAIL_TO=DUTY,
                      ALERT_WEBHOOK_URL="", ALERT_POLL_S="0.5")
    process = start_alerts(env, log)
    try:
        yield
    finally:
        stop_process(process, timeout=10)


def read_mail(received: dict) -> dict:
    mail = message_from_string(received["data"], policy=policy.default)
    body = mail.get_content()
    return {"to": received["to"], "subject": mail["Subject"], "body": body,
            "raw": received["data"], "links": re.findall(r"https?://\S+", body)}


@pytest.fixture(scope="module")
def day(tmp_path_factory):
    work = tmp_path_factory.mktemp("lead-day")
    url = sqlite_url(work / "tracker.db")
    now = time.time()
    store = tracker_store(url)
    save(store, clinic(now))
    for conversation in this_morning(now):
        asyncio.run(store.save(DialogueStateTracker.from_events(
            conversation.sender, conversation.events(), SLOTS + CALLBACK_SLOTS)))
    add_users(url)
    started = time.time()
    with running_console(url, work / "console.log") as console, SmtpSink() as smtp, \
            alert_watcher(url, console, smtp.port, work / "alerts.log"):
        assert wait_for(lambda: len(smtp.messages) >= 2, 60), (work / "alerts.log").read_text()
        mails = {read_mail(m)["subject"]: read_mail(m) for m in smtp.messages}
        emergency = mails["Emergency referral by the assistant"]
        assert len(emergency["links"]) == 1, emergency["body"]
        found = browser_walk(HERE / "console_lead_day.js", {
            "url": console, "lead": "lena", "alertLink": emergency["links"][0],
            "misread": MISREAD, "intent": "report_spasm", "tag": "rang client",
            "note": "Rang the client back: the ambulance took her to A&E."}, work)
        time.sleep(1.5)  # the watcher polls on: nothing is sent twice
        found["mails"] = [read_mail(m) for m in smtp.messages]
    found.update(console=console, emergency=emergency, started=started)
    with connect(url).connect() as connection:
        found["alerts"] = [tuple(r) for r in connection.execute(
            select(alerts.c.kind, alerts.c.channel, alerts.c.state, alerts.c.attempts))]
        found["callbacks"] = [dict(r) for r in connection.execute(select(callbacks)).mappings()]
    out = work / "reviews"
    export = subprocess.run(["make", "-s", "export-reviews", f"REVIEW_EXPORT_DIR={out}"], cwd=ROOT,
                            env=console_env(url), capture_output=True, text=True, timeout=120)
    assert export.returncode == 0, export.stdout + export.stderr
    found["export"] = {"stdout": export.stdout,
                       "nlu": yaml.safe_load((out / "nlu.yml").read_text()),
                       "vignettes": (out / "vignettes.yml").read_text()}
    return found


def label(code: str) -> str:
    return triage_rules.load().codes[code].label


def test_the_emergency_alert_is_a_link_and_nothing_the_client_said(day):
    mail = day["emergency"]
    assert mail["to"] == [DUTY]
    assert mail["body"].startswith("The assistant sent a client to emergency care at ")
    [link] = mail["links"]
    assert re.fullmatch(re.escape(day["console"]) + r"/conversations/\d+", link)
    for mail in day["mails"]:  # the call-back's alert too: the queue's link, not the number
        for detail in CLIENT_DETAILS:
            assert detail not in mail["raw"], f"{detail!r} in the alert {mail['subject']!r}"
    callback = next(m for m in day["mails"] if m["subject"] == "Call-back requested")
    assert f"{day['console']}/callbacks" in callback["links"]
    # one e-mail each, none twice, none for yesterday's referral (history when the watcher started)
    assert sorted(m["subject"] for m in day["mails"]) == [
        "Call-back requested", "Emergency referral by the assistant"]
    assert sorted(day["alerts"]) == [("callback", "email", "sent", 1),
                                     ("emergency", "email", "sent", 1)]


def test_the_alert_link_opens_the_conversation_after_signing_in(day):
    desk = day["desk"]
    key = day["emergency"]["links"][0].rsplit("/", 1)[1]
    assert desk["alertSignIn"] == f"/login?next=%2Fconversations%2F{key}"
    assert desk["fromAlert"]["path"] == f"/conversations/{key}"
    assert desk["fromAlert"]["level"] == "Ambulance now"


def test_the_emergency_is_at_the_top_of_the_queue(day):
    desk = day["desk"]
    key = day["emergency"]["links"][0].rsplit("/", 1)[1]
    top = desk["queue"][0]
    assert top["conversation"] == key and top["flags"] == ["pe_signs"]
    assert top["cells"][2] == "Ambulance now" and top["cells"][5] == "socketio"
    # yesterday's ambulance referral next: same level, less recent
    assert desk["queue"][1]["flags"] == ["pe_signs"] and desk["queue"][1]["conversation"] != key
    assert desk["opened"]["path"] == f"/conversations/{key}?reviewed=no"
    assert desk["opened"]["position"] == f"1 of {len(desk['queue'])}"
    assert desk["flags"] == [label("pe_signs")]
    assert "because you mentioned breathlessness or chest pain" in desk["escalations"][0]


def test_the_lead_corrects_tags_notes_and_marks_it_reviewed(day):
    desk = day["desk"]
    assert desk["corrections"] == [{"text": MISREAD, "corrections": ["Meant: report_spasm"]}]
    assert desk["tags"] == ["rang client"]
    assert desk["notes"] == ["Rang the client back: the ambulance took her to A&E."]
    assert desk["reviewedStatus"].startswith("Reviewed by lena on ")
    assert desk["queueAfterPath"] == "/conversations?reviewed=no"
    key = day["emergency"]["links"][0].rsplit("/", 1)[1]
    assert [r["conversation"] for r in desk["queueAfter"]] == [
        r["conversation"] for r in desk["queue"] if r["conversation"] != key]
    assert desk["problems"] == []


def test_the_call_back_is_listed_then_marked_done_on_the_phone(day):
    desk, phone = day["desk"], day["phone"]
    [request] = day["callbacks"]
    for page in (desk["callbacks"], phone["callbacks"]):
        assert page["open"] == "1"
        [waiting] = page["waiting"]
        assert waiting["tel"] == "tel:07700900789"  # the one page showing the number whole
        assert waiting["id"] == str(request["id"])
    # every alert got through: nothing listed as not delivered
    assert desk["callbacks"]["alertsNotDelivered"] == ["Every alert was delivered."]
    after = phone["callbacksAfter"]
    assert after["path"] == "/callbacks" and after["open"] == "0"
    assert [w["text"] for w in after["waiting"]] == ["No call-back waiting."]
    assert after["done"][0][2] == "lena"
    assert "07700900789" not in str(after)  # once done, the number is no longer shown
    assert request["done_by"] == "lena" and request["done_at"] is not None
    assert phone["problems"] == []


def test_the_correction_is_exported(day):
    assert "1 NLU examples" in day["export"]["stdout"]
    assert day["export"]["nlu"]["nlu"] == [
        {"intent": "report_spasm", "examples": f"- {MISREAD}\n"}]


def test_on_a_phone_nothing_is_wider_than_the_screen(day):
    phone = day["phone"]
    for page in ("queueWidth", "conversationWidth", "callbacksWidth", "callbacksAfterWidth"):
        scroll, screen = phone[page]
        assert scroll <= screen, f"{page}: {scroll} px wide on a {screen} px screen"
    assert phone["transcriptTop"] < phone["reviewTop"]
    # the call-back tables as cards: each value under its column's name, none under a bare ":"
    labels = phone["callbacks"]["cellLabels"] + phone["callbacksAfter"]["cellLabels"]
    assert '"Number: "' in labels and '"Done by: "' in labels
    assert '": "' not in labels, labels


def test_screenshots_saved(day):
    for name in SHOTS:
        path = SCREENSHOTS / name
        assert path.is_file() and path.stat().st_size > 10_000, name
        assert path.stat().st_mtime >= day["started"], f"{name} was not written by this run"
