"""Telegram with Telegram's webhook secret token, and complete long texts.

Rasa's `TelegramInput` takes any POST to its webhook: the only check it makes (`getMe`, on every
request) proves that the configured token belongs to the configured bot name, not that the
request came from Telegram. `SecretTokenTelegramInput` registers the webhook with a
`secret_token` (Bot API `setWebhook`); Telegram then sends it in the
`X-Telegram-Bot-Api-Secret-Token` header of every update, and requests without it are refused
with 403. The same goes for the `/set_webhook` route, which otherwise lets anyone re-register the
webhook (without the secret, which would lock Telegram out).

Also: `getMe` is asked once and remembered, not on every message; a text over Telegram's 4096
limit is split instead of rejected; a button whose payload is over the 64 bytes Telegram allows as
callback data is left out (the text still goes) instead of making Telegram refuse the whole
message; buttons are stacked vertically so long titles stay readable; a tapped button is
acknowledged (`answerCallbackQuery`) so the client's button stops spinning; an update without a
message (a member joining, say) is acknowledged instead of failing in Rasa's handler; the commands
`/start` (every chat's first message) and `/help` are read as a greeting and "what can you do?"
instead of unknown intents. `api_url`
(TELEGRAM_API_URL) points the bot at a self-hosted Bot API server or, in tests, a local stub.

Stored first, then answered, as Twilio and Messenger are (bot/channels/inbound.py): Rasa's channel
answered Telegram "success" even when the turn failed, and sent each reply from inside the turn, so
a Bot API that was down lost the replies (or the whole turn). Now a turn's Bot API requests
(`TelegramRequests`) go to the outbox once the tracker store holds the message, and the delivery
worker sends them with retries (bot/channels/delivery.py; `TelegramSender`). The webhook answers
200 once the update is accepted (or was before: Telegram's retries carry the same `update_id`) and
503 otherwise, so Telegram sends it again. The bot's name (`getMe`, checked against `verify`) is
asked at startup with the webhook registration, so a message never waits for the Bot API. A tapped
button's `answerCallbackQuery` (it only stops the spinner) is still sent at once.
"""
import asyncio
import copy
import hmac
import json
import logging
import re
from typing import Any, Awaitable, Callable, Dict, List, Optional, Text, Tuple

from aiogram.bot.api import TELEGRAM_PRODUCTION, TelegramAPIServer
from aiogram.types import Update
from aiogram.utils.exceptions import BadRequest, MigrateToChat, NotFound, TelegramAPIError, Unauthorized
from rasa.core.channels.channel import OutputChannel, UserMessage
from rasa.core.channels.telegram import TelegramInput, TelegramOutput
from rasa.shared.constants import INTENT_MESSAGE_PREFIX
from rasa.shared.core.constants import USER_INTENT_RESTART
from rasa.shared.exceptions import RasaException
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels.delivery import Enqueued, PermanentFailure, Replies, attach
from bot.channels.identity import PlatformOutput, namespaced
from bot.channels.inbound import accept_turn, referring_early
from bot.channels.outbox import UsesOutbox
from bot.channels.text import split_text

logger = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
SECRET_TOKEN = re.compile(r"[A-Za-z0-9_-]{16,256}")  # Telegram allows 1-256 of these; we want 16+
MAX_TEXT = 4000  # Telegram: 4096 characters after entity parsing; keep a margin
MAX_CALLBACK_DATA = 64  # bytes
COMMANDS = {"/start": "hello", "/help": "what can you do?"}  # Rasa's /restart stays a restart
RESTART = INTENT_MESSAGE_PREFIX + USER_INTENT_RESTART
# The Bot API's answers that no retry can change: a bad request (chat not found, a blocked or
# deleted user), a chat that moved; anything else (network, 5xx, 429) is tried again.
FINAL_ERRORS = (BadRequest, Unauthorized, NotFound, MigrateToChat)


class CompleteTelegramOutput(TelegramOutput):
    def __init__(self, access_token: Optional[Text],
                 server: TelegramAPIServer = TELEGRAM_PRODUCTION) -> None:
        super().__init__(access_token)
        self.server = server
        self._me: Any = None

    async def get_me(self) -> Any:
        if self._me is None:
            self._me = await super().get_me()
        return self._me

    async def send_text_message(self, recipient_id: Text, text: Text, **kwargs: Any) -> None:
        for part in text.strip().split("\n\n"):
            for chunk in split_text(part, MAX_TEXT):
                await self.send_message(recipient_id, chunk)

    async def send_text_with_buttons(self, recipient_id: Text, text: Text,
                                     buttons: List[Dict[Text, Any]],
                                     button_type: Optional[Text] = "vertical",
                                     **kwargs: Any) -> None:
        chunks = split_text(text, MAX_TEXT) or ["…"]
        for chunk in chunks[:-1]:
            await self.send_message(recipient_id, chunk)
        usable = [b for b in buttons
                  if len(str(b.get("payload", "")).encode("utf-8")) <= MAX_CALLBACK_DATA]
        if len(usable) < len(buttons):
            logger.warning("Left out %d Telegram button(s) whose payload is over %d bytes",
                           len(buttons) - len(usable), MAX_CALLBACK_DATA)
        if not usable:
            await self.send_message(recipient_id, chunks[-1])
            return
        await super().send_text_with_buttons(recipient_id, chunks[-1], usable,
                                             button_type=button_type, **kwargs)


class TelegramRequests(CompleteTelegramOutput):
    """Telegram output for one turn (or, with `Enqueued`, for Rasa's HTTP API): each Bot API
    request the output would make (`sendMessage` with its keyboard, ...) goes to `replies`, for
    the outbox, as the method and its form fields."""

    def __init__(self, access_token: Optional[Text],
                 server: TelegramAPIServer = TELEGRAM_PRODUCTION,
                 replies: Optional[Replies] = None) -> None:
        super().__init__(access_token, server)
        self.replies = Replies() if replies is None else replies

    def for_turn(self, replies: Replies) -> "TelegramRequests":
        """A copy writing to `replies`: building an aiogram Bot takes about 30 ms (an SSL
        context each), too much for every message."""
        turn = copy.copy(self)
        turn.replies = replies
        return turn

    async def request(self, method: Text, data: Optional[Dict] = None,
                      files: Optional[Dict] = None, **_: Any) -> Any:
        if files:
            raise ValueError(f"Telegram {method} with a file upload cannot wait in the outbox")
        data = dict(data or {})
        self.replies.put(str(data.get("chat_id", "")), {"method": method, "data": data})
        return {}  # what aiogram builds its (unused) result from

    async def send_response(self, recipient_id: Text, message: Dict[Text, Any]) -> None:
        await super().send_response(recipient_id, message)
        await self.replies.flush()


class TelegramSender:
    """Sends the outbox's Bot API requests with the channel's bot (its session lives on the
    server's event loop, where the delivery worker runs)."""

    def __init__(self, bot: CompleteTelegramOutput) -> None:
        self.bot = bot

    async def __call__(self, payload: Dict[Text, Any]) -> None:
        try:
            await self.bot.request(payload["method"], payload.get("data") or {})
        except FINAL_ERRORS as error:
            raise PermanentFailure(f"Telegram {payload['method']}: {error}") from error


def update_text(update: Update) -> Tuple[Optional[Text], Optional[Any]]:
    """(what the client said, their chat id) as Rasa's channel reads an update: a tapped
    button's payload, an edited message's new text, a message's text or location; (None, None)
    for anything else (a photo, a sticker)."""
    if update.callback_query is not None:
        message, text = update.callback_query.message, update.callback_query.data
    elif update.edited_message is not None:
        message, text = update.edited_message, update.edited_message.text
    elif update.message is not None and update.message.text is not None:
        message, text = update.message, update.message.text.replace("/bot", "")
    elif update.message is not None and update.message.location is not None:
        message, location = update.message, update.message.location
        text = '{{"lng":{0}, "lat":{1}}}'.format(location.longitude, location.latitude)
    else:
        return None, None
    if text is None or message is None or message.chat is None:
        return None, None
    return text, message.chat.id


def restarting_first(on_new_message: Callable[[UserMessage], Awaitable[Any]]
                     ) -> Callable[[UserMessage], Awaitable[Any]]:
    """A handler that restarts the conversation before handling its message. The update's id
    goes to that message, the last of the two: the stored conversation read back to see that it
    was accepted (bot/channels/inbound.py) begins at the restart's new session."""
    async def handle(message: UserMessage) -> Any:
        await on_new_message(UserMessage(RESTART, message.output_channel, message.sender_id,
                                         input_channel=message.input_channel,
                                         metadata=message.metadata))
        return await on_new_message(message)

    return handle


class SecretTokenTelegramInput(TelegramInput, UsesOutbox):
    @classmethod
    def name(cls) -> Text:
        return "telegram"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> "SecretTokenTelegramInput":
        if not credentials:
            cls.raise_missing_credentials_exception()
        return cls(
            credentials.get("access_token"),
            credentials.get("verify"),
            credentials.get("webhook_url"),
            secret_token=credentials.get("secret_token"),
            api_url=credentials.get("api_url") or None,
        )

    def __init__(self, access_token: Optional[Text], verify: Optional[Text],
                 webhook_url: Optional[Text], secret_token: Optional[Text],
                 api_url: Optional[Text] = None, debug_mode: bool = False) -> None:
        if not secret_token or not SECRET_TOKEN.fullmatch(secret_token):
            raise RasaException("The telegram channel needs `secret_token`: 16 to 256 characters "
                                "of A-Z, a-z, 0-9, _ and - (for example `openssl rand -hex 32`).")
        super().__init__(access_token, verify, webhook_url, debug_mode)
        self.secret_token = secret_token
        self.server = TelegramAPIServer.from_base(api_url) if api_url else TELEGRAM_PRODUCTION
        self._output: Optional[CompleteTelegramOutput] = None
        self._requests: Optional[TelegramRequests] = None

    def has_secret(self, request: Request) -> bool:
        given = request.headers.get(SECRET_HEADER, "")
        return hmac.compare_digest(given.encode("utf-8"), self.secret_token.encode("utf-8"))

    async def set_webhook(self, output: CompleteTelegramOutput) -> bool:
        """setWebhook with the secret token (aiogram 2.15 predates the `secret_token` argument)."""
        return bool(await output.request("setWebhook", {"url": self.webhook_url,
                                                        "secret_token": self.secret_token}))

    async def _register(self, output: CompleteTelegramOutput) -> None:
        try:
            await self.set_webhook(output)
            await output.get_me()  # remembered: no message waits for the Bot API
        finally:
            # The session was opened on this temporary loop: close it, the server opens its own.
            session = output._session
            if session is not None and not session.closed:
                await session.close()

    def bot(self) -> CompleteTelegramOutput:
        """The channel's bot, created (and the webhook registered) at startup: the outbox's sender,
        and what answers callback queries and /set_webhook."""
        if self._output is None:
            output = CompleteTelegramOutput(self.access_token, self.server)
            try:
                asyncio.run(self._register(output))
            except TelegramAPIError as error:
                raise RasaException(f"Failed to set channel webhook: {error}") from error
            self._output = output
        return self._output

    def turn_output(self, replies: Replies) -> TelegramRequests:
        """An output writing a turn's Bot API requests to `replies`."""
        if self._requests is None:
            self._requests = TelegramRequests(self.access_token, self.server)
        return self._requests.for_turn(replies)

    def get_output_channel(self) -> OutputChannel:
        """For Rasa's HTTP API (`output_channel=latest`, addressed by conversation id): straight
        into the outbox, to the chat's id."""
        return PlatformOutput(self.name(), self.turn_output(Enqueued(self.outbox, self.name())))

    async def is_our_bot(self, output: CompleteTelegramOutput) -> bool:
        """Whether the token is `verify`'s bot (Rasa's check; asked once, at startup)."""
        me = await output.get_me()
        return getattr(me, "username", None) == self.verify

    async def handle_update(self, request: Request, update: Update,
                            on_new_message: Callable[[UserMessage], Awaitable[Any]]
                            ) -> HTTPResponse:
        """Runs the update's turn now, answering Telegram only once it is stored."""
        text, chat_id = update_text(update)
        if text is None:
            return response.text("success")  # nothing to read
        replies = Replies()
        update_id = str(update.update_id) if update.update_id is not None else None
        if text == RESTART:  # restarted, then started again (as in Rasa's channel)
            text, on_new_message = "/start", restarting_first(on_new_message)
        message = UserMessage(text, self.turn_output(replies), chat_id, input_channel=self.name(),
                              metadata=self.get_metadata(request), message_id=update_id)
        outcome = await accept_turn(request.app, on_new_message, self.outbox, self.name(),
                                    message, replies, update_id)
        if not outcome.ok:  # not stored: Telegram sends the update again
            return response.text("The update could not be accepted; send it again", status=503)
        return response.text("success")

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        on_new_message = namespaced(self.name(), referring_early(on_new_message))  # "telegram:<chat>"

        async def with_commands_as_text(message: UserMessage) -> Any:
            """Telegram's commands would reach Rasa as unknown intents ("/start" is the first
            message of every chat): the ones a client may send are read as what they mean."""
            command = (message.text or "").split(" ")[0].split("@")[0].lower()
            if command in COMMANDS:
                message.text = COMMANDS[command]
            return await on_new_message(message)

        webhook = Blueprint("telegram_webhook", __name__)
        output = self.bot()
        attach(webhook, self.name(), self.outbox, TelegramSender(output))

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/set_webhook", methods=["GET", "POST"])
        async def set_webhook(_: Request) -> HTTPResponse:  # answered by require_secret_token
            return response.text("Invalid webhook", status=403)

        @webhook.route("/webhook", methods=["POST"])
        async def message(request: Request) -> HTTPResponse:
            if not await self.is_our_bot(output):
                logger.warning("The Telegram token is not the bot named in `verify`; ignored")
                return response.text("failed")
            return await self.handle_update(request, Update(**request.json),
                                            with_commands_as_text)

        @webhook.middleware("request")
        async def require_secret_token(request: Request) -> Optional[HTTPResponse]:
            path = request.path.rstrip("/")
            if not path.endswith(("/webhook", "/set_webhook")):
                return None  # the health route stays open
            if not self.has_secret(request):
                logger.warning("Refused a telegram request without a valid %s", SECRET_HEADER)
                return response.text(f"Missing or invalid {SECRET_HEADER}", status=403)
            if path.endswith("/set_webhook"):
                ok = await self.set_webhook(output)
                return response.text("Webhook setup successful" if ok else "Invalid webhook")
            try:
                update = json.loads(request.body or b"{}")
            except ValueError:
                return response.text("Invalid update", status=400)
            if not isinstance(update, dict) or not any(
                    update.get(kind) for kind in ("message", "edited_message", "callback_query")):
                return response.text("success")  # e.g. a member update: nothing to answer
            return None

        @webhook.middleware("response")
        async def acknowledge_button(request: Request, _: HTTPResponse) -> None:
            if request.method != "POST" or not request.path.rstrip("/").endswith("/webhook"):
                return
            try:
                query = (json.loads(request.body or b"{}") or {}).get("callback_query") or {}
                if query.get("id") and self.has_secret(request):
                    await output.answer_callback_query(query["id"])
            except Exception:  # the reply has gone already; this only stops the spinner
                logger.debug("Could not answer the callback query", exc_info=True)

        @webhook.listener("after_server_stop")
        async def close_session(*_: Any) -> None:
            session = output._session
            if session is not None and not session.closed:
                await session.close()

        return webhook
