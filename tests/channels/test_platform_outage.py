"""A platform's API down, a platform retrying, the tracker store failing: against a real `rasa run`
(the trained model, a real action server, SQLite tracker store and outbox) with Twilio SMS and
Messenger configured, their APIs a local stand-in (tests/channels/platform_api.py) that is
unreachable, answers 503, or works.

Before the outbox, a signed Twilio message arriving while Twilio's API was unreachable was answered
204 (Twilio never retries that) and nothing was stored; Messenger answered 500 and stored nothing;
a platform's retry of a message ran a second turn; a turn the tracker store could not keep was
answered with success.
"""
import json
import os
import random
import secrets
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any, Callable, Dict, Iterator, List
from urllib.parse import quote

import pytest
import requests

from bot.channels.credentials import write_credentials
from bot.channels.identity import conversation_id
from bot.channels.outbox import Outbox, OutboxSettings
from bot.paths import ROOT
from bot.stack import free_port, start_actions, stop_process, wait_until
from tests.channels.platform_api import PlatformAPI
from tests.channels.platform_server import MODEL, SECRETS
from tests.channels.test_facebook import page_update, signature_headers, text_of
from tests.channels.test_twilio import PUBLIC, SMS, inbound, new_phone, sign

TOKEN = secrets.token_hex(16)
FACEBOOK = "/webhooks/facebook/webhook"
ANSWER = "Ice for fresh pain"  # in the answer to QUESTION
QUESTION = "is ice good for a cramp?"
ATTEMPTS = 1000  # the test's replies stay in the outbox however long it waits for them
PLATFORM_VARIABLES = ("TELEGRAM_", "SLACK_", "TWILIO_", "FACEBOOK_", "OUTBOX_", "TRACKER_")


class Assistant:
    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.api = PlatformAPI()  # its port is reserved; it listens only once started
        self.tracker_db = workdir / "tracker.db"
        self.outbox = Outbox(OutboxSettings.from_env({"OUTBOX_DB": str(workdir / "outbox.db")}))
        self.processes: List[subprocess.Popen] = []

    def env(self, action_port: int) -> Dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith(PLATFORM_VARIABLES)}
        env.update({k: v for k, v in SECRETS.items() if k.startswith(("TWILIO_", "FACEBOOK_"))})
        env.pop("TWILIO_WHATSAPP_NUMBER")
        env.update(TWILIO_API_URL=self.api.url, FACEBOOK_API_URL=self.api.url,
                   OUTBOX_DB=str(self.workdir / "outbox.db"), OUTBOX_MAX_ATTEMPTS=str(ATTEMPTS),
                   OUTBOX_BACKOFF_S="0.2", OUTBOX_BACKOFF_MAX_S="1",
                   TRACKER_DB=str(self.tracker_db),
                   ACTION_ENDPOINT_URL=f"http://127.0.0.1:{action_port}/webhook")
        return env

    def start(self) -> "Assistant":
        action_port = free_port()
        env = self.env(action_port)
        credentials = write_credentials(self.workdir / "credentials.yml", env=env, base=None)
        actions = start_actions(action_port, self.workdir / "actions.log")
        self.processes.append(actions)
        rasa, log = self.start_rasa(credentials, env)
        wait_until(f"http://127.0.0.1:{action_port}/health", actions, "action server")
        wait_until(f"{self.url}/", rasa, "Rasa server", log)
        return self

    def start_rasa(self, credentials: Path, env: Dict[str, str]):
        """`rasa run` with these channel credentials and the HTTP API behind its token."""
        log = self.workdir / "rasa.log"
        rasa = subprocess.Popen(
            [sys.executable, "-m", "bot.cli.rasa_server", "run", "--model", str(MODEL), "--port",
             str(self.port), "--interface", "127.0.0.1", "--credentials", str(credentials),
             "--endpoints", str(ROOT / "endpoints.yml"), "--enable-api", f"--auth-token={TOKEN}"],
            cwd=ROOT, env=env, stdout=log.open("ab"), stderr=subprocess.STDOUT)
        self.processes.append(rasa)
        return rasa, log

    def stop(self) -> None:
        for process in reversed(self.processes):
            stop_process(process)
        self.api.stop()

    # --- what the platforms post --------------------------------------------------------------

    def sms(self, fields: Dict[str, str]) -> requests.Response:
        return requests.post(self.url + SMS, data=fields, timeout=60,
                             headers={"X-Twilio-Signature": sign(PUBLIC + SMS, fields)})

    def messenger(self, update: Dict[str, Any]) -> requests.Response:
        body = json.dumps(update).encode()
        return requests.post(self.url + FACEBOOK, data=body, headers=signature_headers(body),
                             timeout=60)

    # --- what the assistant kept ----------------------------------------------------------------

    def conversation_url(self, conversation: str) -> str:
        path = quote(conversation, safe=":+")  # Sanic matches the path as sent, undecoded
        return f"{self.url}/conversations/{path}"

    def events(self, conversation: str) -> List[Dict[str, Any]]:
        """The stored conversation, read through Rasa's HTTP API as staff would."""
        response = requests.get(f"{self.conversation_url(conversation)}/tracker",
                                params={"token": TOKEN}, timeout=30)
        assert response.status_code == 200, response.text
        return response.json()["events"]

    def said(self, conversation: str, kind: str) -> List[Dict[str, Any]]:
        return [e for e in self.events(conversation) if e["event"] == kind]

    def queued(self, channel: str, to: str) -> List[Dict[str, Any]]:
        return [r for r in self.outbox.rows() if r["channel"] == channel and r["conversation"] == to]


def running(make: Callable[[], "Assistant"]) -> Iterator["Assistant"]:
    """A module fixture's assistant: made once the trained model is there, started, then stopped."""
    if not MODEL.exists():
        pytest.fail(f"{MODEL} is missing: run `make train` first")
    assistant = make()
    try:
        yield assistant.start()
    finally:
        assistant.stop()


@pytest.fixture(scope="module")
def assistant(tmp_path_factory) -> Iterator[Assistant]:
    yield from running(lambda: Assistant(tmp_path_factory.mktemp("outage")))


@pytest.fixture
def api(assistant) -> Iterator[PlatformAPI]:
    """The platforms' API, not listening when a test starts (unreachable), and afterwards."""
    yield assistant.api
    assistant.api.stop()
    assistant.api.down = False
    assistant.api.answers.clear()


def wait(condition, timeout: float = 30, what: str = "") -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"not within {timeout} s: {what}"
        time.sleep(0.1)


def new_psid() -> str:
    return str(random.randint(10 ** 15, 10 ** 16))


def messenger_event(psid: str, text: str) -> Dict[str, Any]:
    return {"sender": {"id": psid}, "recipient": {"id": "107000000000001"},
            "timestamp": int(time.time() * 1000),
            "message": {"mid": "m_" + secrets.token_hex(12), "text": text}}


def test_twilio_message_is_stored_and_answered_once_the_api_is_back(assistant, api):
    phone = new_phone()
    fields = inbound(phone, QUESTION)
    response = assistant.sms(fields)  # Twilio's API: connection refused
    assert response.status_code == 204, response.text

    conversation = conversation_id("twilio", phone)
    [said] = assistant.said(conversation, "user")
    assert (said["text"], said["message_id"]) == (QUESTION, fields["MessageSid"])
    replies = [e["text"] for e in assistant.said(conversation, "bot")]
    assert any(ANSWER in reply for reply in replies)
    wait(lambda: all(r["attempts"] >= 2 for r in assistant.queued("twilio", phone)),
         what="tried and waiting for a retry")
    queued = assistant.queued("twilio", phone)
    assert [r["state"] for r in queued] == ["pending"] * len(replies)
    bodies = [json.loads(r["payload"])["body"] for r in queued]

    api.start()  # Twilio's API is back
    wait(lambda: not assistant.queued("twilio", phone), what="the outbox emptied")
    time.sleep(1)
    assert [r["Body"] for r in api.received("twilio", phone)] == bodies  # each once, in order
    assert ANSWER in bodies[0] and bodies[0].startswith(replies[0])


def test_messenger_message_is_stored_and_answered_once_the_api_is_back(assistant, api):
    api.start()
    api.down = True  # the Send API answers 503
    psid = new_psid()
    event = messenger_event(psid, QUESTION)
    response = assistant.messenger(page_update(event))
    assert (response.status_code, response.text) == (200, "success")

    conversation = conversation_id("facebook", psid)
    [said] = assistant.said(conversation, "user")
    assert (said["text"], said["message_id"]) == (QUESTION, event["message"]["mid"])
    assert any(ANSWER in e["text"] for e in assistant.said(conversation, "bot"))
    wait(lambda: len(api.received("facebook", psid)) >= 2, what="tried while down")
    queued = assistant.queued("facebook", psid)
    assert queued and {r["state"] for r in queued} == {"pending"}
    payloads = [json.loads(r["payload"]) for r in queued]
    assert payloads[0] == {"recipient": psid, "sender_action": "mark_seen"}

    failed_attempts = len(api.received("facebook", psid))
    api.down = False  # back
    wait(lambda: not assistant.queued("facebook", psid), what="the outbox emptied")
    time.sleep(1)
    delivered = api.received("facebook", psid)[failed_attempts:]
    assert [r.get("sender_action") or r["message"] for r in delivered] == [
        p.get("sender_action") or p["message"] for p in payloads]
    assert ANSWER in " ".join(text_of(r["message"]) for r in delivered[1:])


def test_a_twilio_message_sent_again_runs_one_turn(assistant, api):
    api.start()
    phone = new_phone()
    fields = inbound(phone, QUESTION)
    statuses = [assistant.sms(fields).status_code, assistant.sms(fields).status_code]
    assert statuses == [204, 204]  # the retry is answered as accepted

    concurrently = inbound(phone, "how do I stretch my calf?")
    results: List[int] = []
    threads = [threading.Thread(target=lambda: results.append(assistant.sms(concurrently)
                                                              .status_code)) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert 204 in results and set(results) <= {204, 503}  # 503: "busy, send it again later"
    assert assistant.sms(concurrently).status_code == 204

    conversation = conversation_id("twilio", phone)
    assert [e["text"] for e in assistant.said(conversation, "user")] == [
        QUESTION, "how do I stretch my calf?"]
    turns = len(assistant.said(conversation, "bot"))
    wait(lambda: len(api.received("twilio", phone)) >= turns, what="the replies")
    time.sleep(1.5)
    assert len(api.received("twilio", phone)) == turns  # every reply once


def test_a_messenger_message_sent_again_runs_one_turn(assistant, api):
    api.start()
    psid = new_psid()
    update = page_update(messenger_event(psid, QUESTION))
    assert [assistant.messenger(update).status_code for _ in range(2)] == [200, 200]
    conversation = conversation_id("facebook", psid)
    assert [e["text"] for e in assistant.said(conversation, "user")] == [QUESTION]
    wait(lambda: not assistant.queued("facebook", psid), what="the outbox emptied")
    time.sleep(1.5)
    sent = [r for r in api.received("facebook", psid) if "message" in r]
    assert len(sent) == len(assistant.said(conversation, "bot"))


def test_a_message_the_tracker_store_cannot_keep_is_refused_so_the_platform_sends_it_again(
        assistant, api):
    api.start()
    phone, psid = new_phone(), new_psid()
    fields, update = inbound(phone, QUESTION), page_update(messenger_event(psid, QUESTION))
    away = assistant.tracker_db.with_name("tracker.db.away")
    assistant.tracker_db.rename(away)
    assistant.tracker_db.mkdir()  # the tracker store's database cannot be opened
    try:
        assert assistant.sms(fields).status_code == 503
        assert assistant.messenger(update).status_code == 503
        time.sleep(1.5)
        assert api.received("twilio", phone) == [] and api.received("facebook", psid) == []
        assert not assistant.queued("twilio", phone) and not assistant.queued("facebook", psid)
    finally:
        assistant.tracker_db.rmdir()
        away.rename(assistant.tracker_db)

    # the platforms send the same messages again
    assert assistant.sms(fields).status_code == 204
    assert assistant.messenger(update).status_code == 200
    for conversation in (conversation_id("twilio", phone), conversation_id("facebook", psid)):
        assert [e["text"] for e in assistant.said(conversation, "user")] == [QUESTION]
    wait(lambda: api.received("twilio", phone) and [
        r for r in api.received("facebook", psid) if "message" in r], what="the answers")


def test_a_message_sent_through_rasas_http_api_goes_through_the_outbox(assistant, api):
    """Rasa's HTTP API can make the bot say something on the conversation's channel
    (`output_channel=latest`): it reaches the client's number, from the outbox."""
    api.start()
    phone = new_phone()
    assert assistant.sms(inbound(phone, QUESTION)).status_code == 204
    wait(lambda: api.received("twilio", phone) and not assistant.queued("twilio", phone),
         what="the answer")
    before = len(api.received("twilio", phone))
    response = requests.post(
        f"{assistant.conversation_url(conversation_id('twilio', phone))}/trigger_intent",
        params={"token": TOKEN, "output_channel": "latest"}, json={"name": "greet"}, timeout=60)
    assert response.status_code == 200, response.text
    wait(lambda: len(api.received("twilio", phone)) > before, what="the greeting")
    assert all(r["From"] == SECRETS["TWILIO_NUMBER"] for r in api.received("twilio", phone))
