"""The outbox and its delivery worker on a real SQLite file, sending over real HTTP to a local
stand-in for Twilio's, Messenger's, Slack's and Telegram's APIs: retries with backoff, a bounded
number of attempts then `failed` (and an error for staff), a refusal failed at once, order within
a conversation, and the platform message ids that keep a retried client message from running
twice."""
import asyncio
import logging
import time
from typing import Callable, Iterator, List

import pytest
from aiogram.bot.api import TelegramAPIServer

from bot.channels.delivery import Delivery
from bot.channels.facebook_complete import MessengerSender
from bot.channels.outbox import BUSY, DUPLICATE, FAILED, NEW, PENDING, Item, Outbox, OutboxSettings
from bot.channels.slack_complete import SlackSender
from bot.channels.telegram_secret import CompleteTelegramOutput, TelegramSender
from bot.channels.twilio_signed import TwilioSender
from tests.channels.platform_api import (  # noqa: F401 (real_clients is a fixture)
    MESSENGER_UNAVAILABLE_USER,
    SLACK_CHANNEL_NOT_FOUND,
    SLACK_DOWN,
    TELEGRAM_CHAT_NOT_FOUND,
    TELEGRAM_DOWN,
    TWILIO_DOWN,
    TWILIO_INVALID_NUMBER,
    PlatformAPI,
    real_clients,
)

FROM = "+441610000000"


@pytest.fixture
def api(real_clients) -> Iterator[PlatformAPI]:
    api = PlatformAPI().start()
    yield api
    api.stop()


def make_outbox(tmp_path, attempts: int = 3) -> Outbox:
    return Outbox(OutboxSettings.from_env({
        "OUTBOX_DB": str(tmp_path / "outbox.db"), "OUTBOX_MAX_ATTEMPTS": str(attempts),
        "OUTBOX_BACKOFF_S": "0.05", "OUTBOX_BACKOFF_MAX_S": "0.2"}))


def sms(to: str, body: str) -> Item:
    return Item(to, {"to": to, "from_": FROM, "body": body}, time.time())


def deliver_until(outbox: Outbox, condition: Callable[[], bool], *, api_url: str,
                  timeout: float = 30) -> None:
    """Run a delivery worker (Twilio, Messenger, Slack and Telegram senders) until `condition`
    holds."""
    async def run() -> None:
        telegram = CompleteTelegramOutput("123456:telegram-token",
                                          TelegramAPIServer.from_base(api_url))
        delivery = Delivery(outbox)
        delivery.register("twilio", TwilioSender("AC" + "0" * 32, "token", api_url))
        delivery.register("facebook", MessengerSender("page-token", api_url))
        delivery.register("slack", SlackSender("xoxb-token", api_url))
        delivery.register("telegram", TelegramSender(telegram))
        delivery.start()
        try:
            deadline = time.monotonic() + timeout
            while not condition():
                assert time.monotonic() < deadline, f"not within {timeout} s: {outbox.rows()}"
                await asyncio.sleep(0.05)
        finally:
            await delivery.stop()
            await telegram.session.close()

    asyncio.run(run())


def states(outbox: Outbox) -> List[str]:
    return [row["state"] for row in outbox.rows()]


def test_a_delivery_that_keeps_failing_stops_after_max_attempts_and_is_marked_failed(
        tmp_path, api, caplog):
    outbox = make_outbox(tmp_path, attempts=3)
    api.down = True
    outbox.accept("twilio", "SM1", [sms("+447700900001", "Heat for ongoing tightness")])
    with caplog.at_level(logging.WARNING, logger="bot.channels.delivery"):
        deliver_until(outbox, lambda: states(outbox) == [FAILED], api_url=api.url)
        time.sleep(0.3)  # a worker that went on would try again within this
    assert len(api.received("twilio", "+447700900001")) == 3
    [row] = outbox.rows(FAILED)
    assert row["attempts"] == 3 and "503" in row["last_error"]
    given_up = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert len(given_up) == 1 and f"message {row['id']} " in given_up[0].getMessage()
    assert "+447700900001" not in given_up[0].getMessage()  # staff look it up by id
    assert outbox.take(["twilio"], 10, 60) == []  # nothing left to send


def test_a_message_the_api_refuses_for_good_is_failed_at_once(tmp_path, api):
    outbox = make_outbox(tmp_path, attempts=5)
    api.answers["+10000000000"] = TWILIO_INVALID_NUMBER
    api.answers["1234"] = MESSENGER_UNAVAILABLE_USER
    outbox.accept("twilio", "SM2", [sms("+10000000000", "hello")])
    outbox.accept("facebook", "m_2", [Item("1234", {"recipient": "1234", "message": {
        "text": "hello"}, "messaging_type": "RESPONSE"}, time.time())])
    deliver_until(outbox, lambda: states(outbox) == [FAILED, FAILED], api_url=api.url)
    assert len(api.received("twilio", "+10000000000")) == 1
    assert len(api.received("facebook", "1234")) == 1
    assert [row["attempts"] for row in outbox.rows(FAILED)] == [1, 1]


def slack_post(channel: str, text: str) -> Item:
    return Item(channel, {"channel": channel, "text": text, "type": "mrkdwn"}, time.time())


def telegram_message(chat: str, text: str) -> Item:
    return Item(chat, {"method": "sendMessage", "data": {"chat_id": chat, "text": text}},
                time.time())


def test_slack_and_telegram_replies_wait_for_their_api_and_arrive_once_in_order(tmp_path, api):
    """Both platforms' APIs down (503, 502): their replies are tried again with backoff and
    arrive, each once and in order, when the APIs are back."""
    outbox = make_outbox(tmp_path, attempts=50)
    channel, chat = "D0CLINIC01", "424242"
    api.answers[channel], api.answers[chat] = SLACK_DOWN, TELEGRAM_DOWN
    outbox.accept("slack", "Ev01", [slack_post(channel, "first"), slack_post(channel, "second")])
    outbox.accept("telegram", "1001", [telegram_message(chat, "first"),
                                        telegram_message(chat, "second")])
    deliver_until(outbox, lambda: len(api.received("slack", channel)) >= 2 and len(
        api.received("telegram", chat)) >= 2, api_url=api.url)
    assert {r["text"] for r in api.received("slack", channel)} == {"first"}  # tried again
    assert {r["text"] for r in api.received("telegram", chat)} == {"first"}
    assert set(states(outbox)) == {PENDING}

    del api.answers[channel], api.answers[chat]  # back
    deliver_until(outbox, lambda: not outbox.rows(), api_url=api.url)
    for platform, to in (("slack", channel), ("telegram", chat)):
        texts = [r["text"] for r in api.received(platform, to)]
        assert texts[-2:] == ["first", "second"] and set(texts[:-2]) == {"first"}
    assert api.received("telegram", chat)[-1]["method"] == "sendMessage"


def test_a_slack_or_telegram_reply_the_api_refuses_for_good_is_failed_at_once(tmp_path, api):
    outbox = make_outbox(tmp_path, attempts=5)
    api.answers["C0GONE"], api.answers["777"] = SLACK_CHANNEL_NOT_FOUND, TELEGRAM_CHAT_NOT_FOUND
    outbox.accept("slack", "Ev02", [slack_post("C0GONE", "hello")])
    outbox.accept("telegram", "1002", [telegram_message("777", "hello")])
    deliver_until(outbox, lambda: states(outbox) == [FAILED, FAILED], api_url=api.url)
    assert len(api.received("slack", "C0GONE")) == 1 and len(api.received("telegram", "777")) == 1
    errors = [row["last_error"] for row in outbox.rows(FAILED)]
    assert "channel_not_found" in errors[0] and "chat not found" in errors[1].lower()


def test_a_conversation_keeps_its_order_while_a_message_waits_for_a_retry(tmp_path, api):
    """The API refuses one client's messages for a while (503): the next of that conversation
    waits behind the first, another conversation's go at once."""
    outbox = make_outbox(tmp_path, attempts=20)
    slow, other = "+447700900002", "+447700900003"
    api.answers[slow] = TWILIO_DOWN
    outbox.accept("twilio", "SM3", [sms(slow, "first"), sms(slow, "second"), sms(slow, "third")])
    outbox.accept("twilio", "SM4", [sms(other, "only")])

    deliver_until(outbox, lambda: api.received("twilio", other) and len(
        api.received("twilio", slow)) >= 3, api_url=api.url)
    assert {r["Body"] for r in api.received("twilio", slow)} == {"first"}  # tried again, alone
    del api.answers[slow]  # the API is back for them
    deliver_until(outbox, lambda: not outbox.rows(), api_url=api.url)
    bodies = [r["Body"] for r in api.received("twilio", slow)]
    assert bodies[-3:] == ["first", "second", "third"] and set(bodies[:-3]) == {"first"}


def test_an_unreachable_api_is_retried_until_it_answers(tmp_path, real_clients):
    """Nothing listens on the API's port at first (connection refused), then the API starts."""
    outbox = make_outbox(tmp_path, attempts=100)
    api = PlatformAPI()  # its port, closed for now
    outbox.accept("facebook", "m_5", [Item("5555", {"recipient": "5555", "message": {
        "text": "Ice for fresh pain"}, "messaging_type": "RESPONSE"}, time.time())])
    deliver_until(outbox, lambda: outbox.rows()[0]["attempts"] >= 2, api_url=api.url)
    assert outbox.rows()[0]["state"] == PENDING and "Connection" in outbox.rows()[0]["last_error"]
    api.start()
    try:
        deliver_until(outbox, lambda: not outbox.rows(), api_url=api.url)
        [sent] = api.received("facebook", "5555")
        assert sent["message"] == {"text": "Ice for fresh pain"}
    finally:
        api.stop()


def test_a_client_message_is_accepted_once(tmp_path):
    outbox = make_outbox(tmp_path)
    assert outbox.claim_inbound("twilio", "SM6", lease_s=60) == NEW
    assert outbox.claim_inbound("twilio", "SM6", lease_s=60) == BUSY  # a retry while it runs
    assert outbox.claim_inbound("facebook", "SM6", lease_s=60) == NEW  # ids are per channel
    outbox.accept("twilio", "SM6", [sms("+447700900004", "answer")])
    assert outbox.claim_inbound("twilio", "SM6", lease_s=60) == DUPLICATE
    assert len(outbox.rows(PENDING)) == 1


def test_a_message_whose_handler_died_or_failed_can_run_again(tmp_path):
    outbox = make_outbox(tmp_path)
    assert outbox.claim_inbound("twilio", "SM7", lease_s=0.1) == NEW
    time.sleep(0.2)  # the process handling it died: its claim ends with the lease
    assert outbox.claim_inbound("twilio", "SM7", lease_s=60) == NEW
    outbox.release_inbound("twilio", "SM7")  # the turn failed: not accepted
    assert outbox.claim_inbound("twilio", "SM7", lease_s=60) == NEW
