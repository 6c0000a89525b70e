"""Slack and Telegram on the outbox, as Twilio and Messenger are (test_platform_outage.py): against
a real `rasa run` (the trained model, a real action server, SQLite tracker store and outbox) with
Slack and Telegram configured, their APIs a local stand-in (tests/channels/platform_api.py) that
answers 503/502 or works.

Before, Rasa's Slack channel answered Slack 200 at once and ran the turn in the background, and
its Telegram channel sent each reply from inside the turn and answered "success" whatever
happened: a Web API or Bot API that was down lost the replies, a turn the tracker store could not
keep was lost with the platform told it had arrived, and a platform's retry ran a second turn.
"""
import json
from typing import Any, Dict, Iterator

import pytest
import requests

from bot.channels.identity import conversation_id
from tests.channels.platform_api import PlatformAPI
from tests.channels.platform_server import SECRETS
from tests.channels.test_platform_outage import ANSWER, QUESTION, Assistant, running, wait
from tests.channels.test_slack import WEBHOOK as SLACK
from tests.channels.test_slack import dm_event, signed, slack_id
from tests.channels.test_telegram import SECRET, message_update, new_chat
from tests.channels.test_telegram import WEBHOOK as TELEGRAM


class SlackTelegramAssistant(Assistant):
    """The outage tests' assistant with Slack and Telegram instead of Twilio and Messenger."""

    def env(self, action_port: int) -> Dict[str, str]:
        env = {k: v for k, v in super().env(action_port).items()
               if not k.startswith(("TWILIO_", "FACEBOOK_"))}
        env.update({k: v for k, v in SECRETS.items() if k.startswith(("SLACK_", "TELEGRAM_"))})
        env.update(SLACK_API_URL=self.api.url, TELEGRAM_API_URL=self.api.url)
        return env

    def start(self) -> "SlackTelegramAssistant":
        self.api.start()  # Telegram's webhook is registered (and its bot named) at startup
        super().start()
        return self

    def slack(self, event: Dict[str, Any]) -> requests.Response:
        body = json.dumps(event).encode()
        return requests.post(self.url + SLACK, data=body, timeout=60,
                             headers=signed(body, "application/json"))

    def telegram(self, update: Dict[str, Any]) -> requests.Response:
        return requests.post(self.url + TELEGRAM, json=update, headers=SECRET, timeout=60)


@pytest.fixture(scope="module")
def assistant(tmp_path_factory) -> Iterator[SlackTelegramAssistant]:
    yield from running(lambda: SlackTelegramAssistant(tmp_path_factory.mktemp("slack_telegram_outage")))


@pytest.fixture
def api(assistant) -> Iterator[PlatformAPI]:
    """The platforms' API, working unless a test says otherwise."""
    yield assistant.api
    assistant.api.down = False
    assistant.api.answers.clear()


def test_slack_message_is_stored_and_answered_once_the_api_is_back(assistant, api):
    api.down = True  # Slack's Web API answers 503
    user, channel = slack_id("U"), slack_id("D")
    event = dm_event(user, channel, QUESTION)
    response = assistant.slack(event)
    assert response.status_code == 200, response.text

    conversation = conversation_id("slack", user)
    [said] = assistant.said(conversation, "user")
    assert (said["text"], said["message_id"]) == (QUESTION, event["event_id"])
    assert any(ANSWER in e["text"] for e in assistant.said(conversation, "bot"))
    wait(lambda: len(api.received("slack", channel)) >= 2, what="tried while down")
    queued = assistant.queued("slack", channel)
    assert queued and {r["state"] for r in queued} == {"pending"}
    texts = [json.loads(r["payload"])["text"] for r in queued]

    failed_attempts = len(api.received("slack", channel))
    api.down = False  # back
    wait(lambda: not assistant.queued("slack", channel), what="the outbox emptied")
    delivered = api.received("slack", channel)[failed_attempts:]
    assert [r["text"] for r in delivered] == texts  # each once, in order
    assert ANSWER in " ".join(texts) and all("as_user" not in r for r in delivered)


def test_telegram_message_is_stored_and_answered_once_the_api_is_back(assistant, api):
    chat = new_chat()
    api.answers[str(chat)] = (502, {"ok": False, "error_code": 502, "description": "Bad Gateway"})
    update = message_update(chat, QUESTION)
    response = assistant.telegram(update)
    assert (response.status_code, response.text) == (200, "success")

    conversation = conversation_id("telegram", chat)
    [said] = assistant.said(conversation, "user")
    assert (said["text"], said["message_id"]) == (QUESTION, str(update["update_id"]))
    assert any(ANSWER in e["text"] for e in assistant.said(conversation, "bot"))
    wait(lambda: len(api.received("telegram", str(chat))) >= 2, what="tried while down")
    queued = assistant.queued("telegram", str(chat))
    assert queued and {r["state"] for r in queued} == {"pending"}
    texts = [json.loads(r["payload"])["data"]["text"] for r in queued]

    failed_attempts = len(api.received("telegram", str(chat)))
    del api.answers[str(chat)]  # back
    wait(lambda: not assistant.queued("telegram", str(chat)), what="the outbox emptied")
    delivered = api.received("telegram", str(chat))[failed_attempts:]
    assert [r["text"] for r in delivered] == texts and ANSWER in " ".join(texts)


def test_a_slack_or_telegram_message_sent_again_runs_one_turn(assistant, api):
    user, channel, chat = slack_id("U"), slack_id("D"), new_chat()
    event, update = dm_event(user, channel, QUESTION), message_update(chat, QUESTION)
    assert [assistant.slack(event).status_code for _ in range(2)] == [200, 200]
    assert [assistant.telegram(update).status_code for _ in range(2)] == [200, 200]
    for conversation, to, platform in ((conversation_id("slack", user), channel, "slack"),
                                       (conversation_id("telegram", chat), str(chat), "telegram")):
        assert [e["text"] for e in assistant.said(conversation, "user")] == [QUESTION]
        wait(lambda platform=platform, to=to: not assistant.queued(platform, to), what="the outbox emptied")
        assert len(api.received(platform, to)) == len(assistant.said(conversation, "bot"))


def test_a_slack_or_telegram_message_the_tracker_store_cannot_keep_is_refused(assistant, api):
    user, channel, chat = slack_id("U"), slack_id("D"), new_chat()
    event, update = dm_event(user, channel, QUESTION), message_update(chat, QUESTION)
    away = assistant.tracker_db.with_name("tracker.db.away")
    assistant.tracker_db.rename(away)
    assistant.tracker_db.mkdir()  # the tracker store's database cannot be opened
    try:
        assert assistant.slack(event).status_code == 503
        assert assistant.telegram(update).status_code == 503
        assert not assistant.queued("slack", channel)
        assert not assistant.queued("telegram", str(chat))
    finally:
        assistant.tracker_db.rmdir()
        away.rename(assistant.tracker_db)

    # the platforms send the same messages again
    assert assistant.slack(event).status_code == 200
    assert assistant.telegram(update).status_code == 200
    for conversation in (conversation_id("slack", user), conversation_id("telegram", chat)):
        assert [e["text"] for e in assistant.said(conversation, "user")] == [QUESTION]
    wait(lambda: api.received("slack", channel) and api.received("telegram", str(chat)),
         what="the answers")
