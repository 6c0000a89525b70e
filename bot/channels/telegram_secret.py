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
"""
import asyncio
import hmac
import json
import logging
import re
from typing import Any, Awaitable, Callable, Dict, List, Optional, Text

from aiogram.bot.api import TELEGRAM_PRODUCTION, TelegramAPIServer
from aiogram.utils.exceptions import TelegramAPIError
from rasa.core.channels.channel import UserMessage
from rasa.core.channels.telegram import TelegramInput, TelegramOutput
from rasa.shared.exceptions import RasaException
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels.identity import namespaced
from bot.channels.text import split_text

logger = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
SECRET_TOKEN = re.compile(r"[A-Za-z0-9_-]{16,256}")  # Telegram allows 1-256 of these; we want 16+
MAX_TEXT = 4000  # Telegram: 4096 characters after entity parsing; keep a margin
MAX_CALLBACK_DATA = 64  # bytes
COMMANDS = {"/start": "hello", "/help": "what can you do?"}  # Rasa's /restart stays a restart


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


class SecretTokenTelegramInput(TelegramInput):
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
        finally:
            # The session was opened on this temporary loop: close it, the server opens its own.
            session = output._session
            if session is not None and not session.closed:
                await session.close()

    def get_output_channel(self) -> CompleteTelegramOutput:
        """One output channel, created (and the webhook registered) at startup."""
        if self._output is None:
            output = CompleteTelegramOutput(self.access_token, self.server)
            try:
                asyncio.run(self._register(output))
            except TelegramAPIError as error:
                raise RasaException(f"Failed to set channel webhook: {error}") from error
            self._output = output
        return self._output

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        on_new_message = namespaced(self.name(), on_new_message)  # conversation "telegram:<chat>"

        async def with_commands_as_text(message: UserMessage) -> Any:
            """Telegram's commands would reach Rasa as unknown intents ("/start" is the first
            message of every chat): the ones a client may send are read as what they mean."""
            command = (message.text or "").split(" ")[0].split("@")[0].lower()
            if command in COMMANDS:
                message.text = COMMANDS[command]
            return await on_new_message(message)

        webhook = super().blueprint(with_commands_as_text)
        output = self.get_output_channel()

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
