"""A red flag sent on a messaging platform while the same conversation's previous turn waits on a
hung action server is referred at once, through the outbox: against a real `rasa run` (the trained
model, SQLite tracker store and outbox) with every platform configured (Twilio SMS and WhatsApp,
Messenger, Slack, Telegram), their APIs a local stand-in (tests/channels/platform_api.py), and on
the action port a server that accepts connections and never answers.

Before, the platforms did not refer early (bot/channels/early_referral.py served REST and socket.io
only): the red flag's turn waited for the conversation's lock, that is for the hung turn's action
budget (ACTION_TIMEOUT_S, 10 s), and its referral reached the platform's API after the hung turn's
"can't look that up right now, try again" reply. Now the referral is at the platform's API while the
hung turn's webhook request is still waiting, within REFERRAL_BOUND_S; both messages are stored (the
webhooks answer success once they are); nothing after the referral contradicts it (the hung turn's
reply is stored, not sent), and the referral is sent once.
"""
import json
import threading
import time
from typing import Any, Callable, Dict, Iterator, List, Optional

import pytest
import requests

from bot import remote_action_fallback
from bot.channels.credentials import write_credentials
from bot.channels.identity import conversation_id
from bot.stack import free_port, wait_until
from tests.channels.platform_server import SECRETS
from tests.channels.test_facebook import WEBHOOK as FACEBOOK
from tests.channels.test_facebook import page_update, signature_headers
from tests.channels.test_facebook import text_of as messenger_text
from tests.channels.test_platform_outage import Assistant, messenger_event, new_psid, running, wait
from tests.channels.test_slack import WEBHOOK as SLACK
from tests.channels.test_slack import dm_event, signed, slack_id
from tests.channels.test_telegram import SECRET, message_update, new_chat
from tests.channels.test_telegram import WEBHOOK as TELEGRAM
from tests.channels.test_twilio import PUBLIC, SMS, WHATSAPP, inbound, new_phone, sign
from tests.e2e.support import REFERRAL_REASON, settings
from tests.e2e.test_hung_action_server import HungActionServer

QUESTION = "should I use heat or ice?"  # its turn calls the action server
STROKE = "my face has dropped on one side and I can't lift my arm"
CANNOT_ANSWER = "can't look that up right now"
BUDGET_S = remote_action_fallback.DEFAULT_BUDGET_S
REFERRAL_BOUND_S = 5.0  # the referral at the platform's API after the red flag was posted (the
# chaos test holds it to 2 s; a shared 2-core machine running other tests gets some margin here)
WEBHOOK_TIMEOUT_S = 60.0


class HungAssistant(Assistant):
    """Every platform, its API the local stand-in; the action port is a hung server's."""

    def env(self, action_port: int) -> Dict[str, str]:
        env = super().env(action_port)
        env.update(SECRETS)
        env.pop("REST_TOKEN", None)
        env.update(SLACK_API_URL=self.api.url, TELEGRAM_API_URL=self.api.url)
        env.pop(remote_action_fallback.BUDGET_ENV, None)  # the shipped budget
        return env

    def start(self) -> "HungAssistant":
        self.api.start()  # Telegram's webhook is registered (and its bot named) at startup
        action_port = free_port()
        self.hung = HungActionServer(action_port)
        env = self.env(action_port)
        credentials = write_credentials(self.workdir / "credentials.yml", env=env, base=None)
        rasa, log = self.start_rasa(credentials, env)
        wait_until(f"{self.url}/", rasa, "Rasa server", log)
        return self

    def stop(self) -> None:
        super().stop()
        self.hung.stop()


@pytest.fixture(scope="module")
def assistant(tmp_path_factory) -> Iterator[HungAssistant]:
    yield from running(lambda: HungAssistant(tmp_path_factory.mktemp("platform_early_referral")))


class Platform:
    """How one platform posts a client's message, and what its API received for that client."""

    def __init__(self, name: str, assistant: HungAssistant) -> None:
        self.name, self.assistant = name, assistant
        if name in ("twilio", "twilio_whatsapp"):
            phone = new_phone()
            self.client = f"whatsapp:{phone}" if name == "twilio_whatsapp" else phone
            self.conversation, self.api_name, self.to = (
                conversation_id(name, self.client), "twilio", self.client)
        elif name == "facebook":
            self.client = new_psid()
            self.conversation, self.api_name, self.to = (
                conversation_id(name, self.client), "facebook", self.client)
        elif name == "slack":
            self.client, self.channel = slack_id("U"), slack_id("D")
            self.conversation, self.api_name, self.to = (
                conversation_id(name, self.client), "slack", self.channel)
        else:
            chat = new_chat()
            self.client = str(chat)
            self.conversation, self.api_name, self.to = (
                conversation_id(name, chat), "telegram", str(chat))

    def post(self, text: str) -> requests.Response:
        url = self.assistant.url
        if self.name in ("twilio", "twilio_whatsapp"):
            path = WHATSAPP if self.name == "twilio_whatsapp" else SMS
            fields = inbound(self.client, text, path)
            return requests.post(url + path, data=fields, timeout=WEBHOOK_TIMEOUT_S,
                                 headers={"X-Twilio-Signature": sign(PUBLIC + path, fields)})
        if self.name == "facebook":
            body = json.dumps(page_update(messenger_event(self.client, text))).encode()
            return requests.post(url + FACEBOOK, data=body, headers=signature_headers(body),
                                 timeout=WEBHOOK_TIMEOUT_S)
        if self.name == "slack":
            body = json.dumps(dm_event(self.client, self.channel, text)).encode()
            return requests.post(url + SLACK, data=body, timeout=WEBHOOK_TIMEOUT_S,
                                 headers=signed(body, "application/json"))
        return requests.post(url + TELEGRAM, json=message_update(int(self.client), text),
                             headers=SECRET, timeout=WEBHOOK_TIMEOUT_S)

    def texts(self) -> List[str]:
        """The texts the platform's API received for this client, in order."""
        received = self.assistant.api.received(self.api_name, self.to)
        if self.api_name == "twilio":
            return [r.get("Body") or "" for r in received]
        if self.api_name == "facebook":
            return [messenger_text(r["message"]) for r in received if "message" in r]
        return [r.get("text") or "" for r in received]


class Posting:
    """A webhook request in a thread of its own: it waits for its turn to be stored."""

    def __init__(self, post: Callable[[], requests.Response]) -> None:
        self.response: Optional[requests.Response] = None
        self.error: Optional[BaseException] = None
        self.thread = threading.Thread(target=self._run, args=(post,), daemon=True)
        self.thread.start()

    def _run(self, post: Callable[[], requests.Response]) -> None:
        try:
            self.response = post()
        except BaseException as error:  # reported by result()
            self.error = error

    def done(self) -> bool:
        return not self.thread.is_alive()

    def result(self) -> requests.Response:
        self.thread.join(WEBHOOK_TIMEOUT_S + 5)
        if self.error is not None:
            raise self.error
        assert self.response is not None, "the webhook request never ended"
        return self.response


def referred(texts: List[str]) -> bool:
    return any(REFERRAL_REASON in text.lower() for text in texts)


def _stored_settled(assistant: HungAssistant, conversation: str,
                    users: List[str]) -> List[Dict[str, Any]]:
    """The stored events once both messages' turns are over (a wait, not a bound)."""
    deadline = time.monotonic() + WEBHOOK_TIMEOUT_S
    while True:
        events = assistant.events(conversation)
        said = [e["text"] for e in events if e["event"] == "user"]
        if said == users and events[-1]["event"] == "action" \
                and events[-1]["name"] == "action_listen":
            return events
        assert time.monotonic() < deadline, f"never held both turns: {said}"
        time.sleep(0.25)


@pytest.mark.parametrize("name", ["twilio", "twilio_whatsapp", "facebook", "slack", "telegram"])
def test_a_red_flag_sent_while_a_turn_waits_for_the_hung_server_is_referred_at_once_on_platforms(
        assistant, name):
    platform = Platform(name, assistant)
    calls = len(assistant.hung.connections)
    question = Posting(lambda: platform.post(QUESTION))
    wait(lambda: len(assistant.hung.connections) > calls, timeout=WEBHOOK_TIMEOUT_S,
         what="the question's turn to reach the hung action server")
    # the question's turn now holds the conversation's lock, waiting for the action server
    started = time.monotonic()
    red_flag = Posting(lambda: platform.post(STROKE))
    wait(lambda: referred(platform.texts()), timeout=BUDGET_S + 10, what="the referral")
    seconds = time.monotonic() - started
    question_still_waiting = not question.done()

    assert question_still_waiting, "the referral came only once the hung turn had ended"
    assert seconds < REFERRAL_BOUND_S, f"referred {seconds:.1f} s after the red flag was posted"
    texts = platform.texts()
    assert f"call {settings()['emergency_number']}" in "\n".join(texts).lower(), texts
    # both messages are accepted (stored) once their turns have run
    assert question.result().status_code in (200, 204), question.result().text
    assert red_flag.result().status_code in (200, 204), red_flag.result().text
    events = _stored_settled(assistant, platform.conversation, [QUESTION, STROKE])
    stored_bot = [e["text"] or "" for e in events if e["event"] == "bot"]
    assert any(CANNOT_ANSWER in text.lower() for text in stored_bot), stored_bot  # stored...
    referrals = [t for t in stored_bot if REFERRAL_REASON in t.lower()]
    assert len(referrals) == 1, referrals
    slots = {e["name"]: e["value"] for e in events if e["event"] == "slot"}
    assert slots.get("triage_level") == "emergency_ambulance", slots

    wait(lambda: not assistant.queued(platform.api_name, platform.to), what="the outbox emptied")
    time.sleep(1)
    sent = platform.texts()
    # ...not sent: nothing after the referral contradicts it, and the referral went once
    assert not any(CANNOT_ANSWER in text.lower() for text in sent), sent
    assert sum(REFERRAL_REASON in text.lower() for text in sent) == 1, sent
