"""Telegram: Bot API updates posted to /webhooks/telegram/webhook of a running server; the replies
are what the local Bot API stub received (sendMessage), as a Telegram client would show them."""
import asyncio
import json
import random
import time
from typing import Any, Dict, List, Optional

import pytest
import requests

from bot.channels.telegram_secret import SECRET_HEADER, CompleteTelegramOutput
from tests.channels.platform_server import SECRETS, TELEGRAM_BOT, longest_referral, platforms, words  # noqa: F401 (platforms is a fixture)

WEBHOOK = "/webhooks/telegram/webhook"
SECRET = {SECRET_HEADER: SECRETS["TELEGRAM_SECRET_TOKEN"]}


def new_chat() -> int:
    return random.randint(10 ** 8, 10 ** 9)


def message_update(chat_id: int, text: str) -> Dict[str, Any]:
    """A private-chat text message, as Telegram posts it to a webhook."""
    now = int(time.time())
    user = {"id": chat_id, "is_bot": False, "first_name": "Sam", "language_code": "en"}
    return {"update_id": random.randint(1, 10 ** 9), "message": {
        "message_id": random.randint(1, 10 ** 6), "from": user,
        "chat": {"id": chat_id, "first_name": "Sam", "type": "private"},
        "date": now, "text": text}}


def button_update(chat_id: int, payload: str) -> Dict[str, Any]:
    """A tap on an inline keyboard button (callback query) under one of the bot's messages."""
    user = {"id": chat_id, "is_bot": False, "first_name": "Sam"}
    return {"update_id": random.randint(1, 10 ** 9), "callback_query": {
        "id": str(random.randint(10 ** 15, 10 ** 16)), "from": user,
        "message": {"message_id": 7, "date": int(time.time()), "text": "Hi!",
                    "from": {"id": 123456, "is_bot": True, "first_name": "Clinic",
                             "username": TELEGRAM_BOT},
                    "chat": {"id": chat_id, "first_name": "Sam", "type": "private"}},
        "chat_instance": "-1", "data": payload}}


def post(platforms, update: Dict[str, Any], headers: Optional[Dict[str, str]] = None,
         path: str = WEBHOOK) -> requests.Response:
    return requests.post(platforms.url + path, json=update,
                         headers=SECRET if headers is None else headers, timeout=60)


def replies(platforms, chat_id: int) -> List[Dict[str, Any]]:
    return platforms.outbox.wait_for("telegram", bool, method="sendMessage", chat_id=str(chat_id))


def say(platforms, chat_id: int, text: str) -> List[Dict[str, Any]]:
    before = len(platforms.outbox.of("telegram", method="sendMessage", chat_id=str(chat_id)))
    response = post(platforms, message_update(chat_id, text))
    assert response.status_code == 200 and response.text == "success", response.text
    return platforms.outbox.wait_for("telegram", lambda items: len(items) > before,
                                     method="sendMessage", chat_id=str(chat_id))[before:]


def keyboard(message: Dict[str, Any]) -> List[Dict[str, str]]:
    markup = json.loads(message.get("reply_markup") or "{}")
    return [button for row in markup.get("inline_keyboard", []) for button in row]


def test_webhook_is_registered_with_the_secret_token(platforms):
    calls = platforms.outbox.of("telegram", method="setWebhook")
    assert calls, "setWebhook was not called at startup"
    assert calls[0]["url"] == SECRETS["TELEGRAM_WEBHOOK_URL"]
    assert calls[0]["secret_token"] == SECRETS["TELEGRAM_SECRET_TOKEN"]
    assert calls[0]["token"] == SECRETS["TELEGRAM_ACCESS_TOKEN"]


def test_self_care_question_gets_the_heat_or_ice_answer(platforms):
    chat = new_chat()
    sent = say(platforms, chat, "is ice good for a cramp?")
    text = "\n".join(m["text"] for m in sent)
    assert "Ice for fresh pain, swelling or inflammation" in text
    assert "Heat for ongoing tightness" in text
    assert [b["text"] for b in keyboard(sent[-1])] == ["Self-massage", "Stretches",
                                                       "When to get help"]


def test_red_flag_gets_the_complete_referral(platforms):
    chat = new_chat()
    sent = say(platforms, chat, "my leg is cramping and now i cant breathe properly")
    text = "\n".join(m["text"] for m in sent)
    referral = platforms.slot(str(chat), "triage_message")
    assert referral and "999" in referral
    assert "🚨 " + referral in text  # every word of it, in one message
    assert "Please call 999 now" in text
    assert [b["callback_data"] for b in keyboard(sent[-1])] == [
        "I've been seen by a paramedic or a doctor"]


def test_a_tapped_button_sends_its_payload_and_is_acknowledged(platforms):
    chat = new_chat()
    update = button_update(chat, "should I use heat or ice?")
    response = post(platforms, update)
    assert response.status_code == 200
    text = "\n".join(m["text"] for m in replies(platforms, chat))
    assert "Heat for ongoing tightness" in text
    assert platforms.user_texts(str(chat)) == ["should I use heat or ice?"]
    answered = platforms.outbox.of("telegram", method="answerCallbackQuery")
    assert update["callback_query"]["id"] in [a["callback_query_id"] for a in answered]


@pytest.mark.parametrize("headers", [{}, {SECRET_HEADER: "not-the-secret-token"},
                                     {SECRET_HEADER: SECRETS["TELEGRAM_SECRET_TOKEN"][:-1]}],
                         ids=["missing", "wrong", "truncated"])
def test_updates_without_the_secret_token_are_refused(platforms, headers):
    chat = new_chat()
    response = post(platforms, message_update(chat, "is ice good for a cramp?"), headers=headers)
    assert response.status_code == 403
    time.sleep(1)
    assert platforms.outbox.of("telegram", chat_id=str(chat)) == []
    assert platforms.tracker(str(chat)) is None  # nothing reached the assistant


def test_set_webhook_route_needs_the_secret_token(platforms):
    before = len(platforms.outbox.of("telegram", method="setWebhook"))
    assert requests.post(platforms.url + "/webhooks/telegram/set_webhook", timeout=30
                         ).status_code == 403
    assert len(platforms.outbox.of("telegram", method="setWebhook")) == before
    response = requests.post(platforms.url + "/webhooks/telegram/set_webhook", headers=SECRET,
                             timeout=30)
    assert response.text == "Webhook setup successful"
    again = platforms.outbox.of("telegram", method="setWebhook")[before:]
    assert again and again[0]["secret_token"] == SECRETS["TELEGRAM_SECRET_TOKEN"]


def test_update_without_a_message_is_acknowledged(platforms):
    chat = new_chat()
    update = {"update_id": 5, "my_chat_member": {
        "chat": {"id": chat, "type": "private"}, "from": {"id": chat, "is_bot": False,
                                                          "first_name": "Sam"},
        "date": int(time.time()),
        "old_chat_member": {"user": {"id": 1, "is_bot": True, "first_name": "C"},
                            "status": "member"},
        "new_chat_member": {"user": {"id": 1, "is_bot": True, "first_name": "C"},
                            "status": "kicked", "until_date": 0}}}
    response = post(platforms, update)
    assert (response.status_code, response.text) == (200, "success")


def test_bot_identity_is_checked_once_not_on_every_message(platforms):
    chat = new_chat()
    say(platforms, chat, "hello")
    say(platforms, chat, "thanks")
    assert len(platforms.outbox.of("telegram", method="getMe")) == 1


def test_longest_possible_referral_arrives_whole(platforms):
    """Every red flag at once: the text fits Telegram's limit or is split, never cut."""
    from aiogram.bot.api import TelegramAPIServer

    referral = longest_referral()
    chat = new_chat()
    output = CompleteTelegramOutput(SECRETS["TELEGRAM_ACCESS_TOKEN"],
                                    TelegramAPIServer.from_base(platforms.telegram.url))

    async def send() -> None:
        await output.send_text_with_buttons(str(chat), referral * 2, [
            {"title": "I've been seen", "payload": "I've been seen by a paramedic or a doctor"},
            {"title": "Too long", "payload": "x" * 65}])
        await output.session.close()

    asyncio.run(send())
    sent = platforms.outbox.of("telegram", method="sendMessage", chat_id=str(chat))
    assert len(sent) == 2 and all(len(m["text"]) <= 4096 for m in sent)
    assert words(" ".join(m["text"] for m in sent)) == words(referral * 2)
    assert [b["callback_data"] for b in keyboard(sent[-1])] == [
        "I've been seen by a paramedic or a doctor"]  # the 65-byte payload is left out


@pytest.mark.parametrize("command, expected", [("/start", "self-care assistant"),
                                               ("/help", "I can:")])
def test_start_and_help_commands_are_answered(platforms, command, expected):
    chat = new_chat()
    update = message_update(chat, command)
    update["message"]["entities"] = [{"offset": 0, "length": len(command), "type": "bot_command"}]
    assert post(platforms, update).status_code == 200
    text = "\n".join(m["text"] for m in replies(platforms, chat))
    assert expected in text and "didn't quite get that" not in text


def test_restart_restarts_and_greets_again_in_one_accepted_update(platforms):
    chat = new_chat()
    say(platforms, chat, "my calf keeps cramping")
    update = message_update(chat, "/restart")
    for _ in range(2):  # Telegram's retry of the same update runs nothing again
        response = post(platforms, update)
        assert (response.status_code, response.text) == (200, "success")
    assert platforms.user_texts(str(chat)) == ["hello"]  # the new session
    store = platforms.app.ctx.agent.tracker_store
    everything = platforms.run(store.retrieve_full_tracker(f"telegram:{chat}"))
    assert [e.text for e in everything.events if e.type_name == "user"] == [
        "my calf keeps cramping", "/restart", "hello"]
