"""Twilio SMS and WhatsApp: signed webhooks, buttons as numbered options, complete long texts.

Rasa's `TwilioInput` accepts any POST to its webhook, so anyone who knows the URL could talk in
a client's name (the sender is just the `From` field). `SignedTwilioInput` refuses, with 403,
every request whose `X-Twilio-Signature` is missing or wrong. The signature is Twilio's documented
one (HMAC-SHA1, keyed with the auth token, of the full URL Twilio called followed by each POST
parameter name and value in sorted order, base64; empty parameters count too), checked with
the twilio package's `RequestValidator`. Behind a proxy or tunnel the URL the server sees is not
the one Twilio signed, so the public base URL comes from the `webhook_url` credential
(TWILIO_WEBHOOK_URL).

SMS and WhatsApp have no buttons. `NumberedOptionsOutput` appends a bot message's buttons to its
text ("Reply 1 for Heat or ice?, 2 for Stretches or 3 for When to get help."), and the input maps a
reply of "2" back to the second option's payload. The options offered are not stored anywhere
new: they are read back from the conversation's tracker (the bot messages since the client's last
message, which carry their buttons), so the mapping survives a restart and works for several
server processes sharing one tracker store. Numbers continue across the messages of one turn, so a
number is never ambiguous. A message that itself asks for a number ("from 0 to 10") labels its
options A, B, C instead, so "3" stays an answer on the scale.

Twilio refuses a body over 1600 characters, which would drop a long referral entirely: each bot
message is sent as one body (Twilio joins the SMS segments), and a longer one is split at line
breaks into parts marked "(1/2)", "(2/2)". Nothing is truncated.

Nothing is sent to Twilio during a turn: the replies go to the outbox once the client's message is
stored (bot/channels/inbound.py), and the delivery worker sends them with retries
(bot/channels/delivery.py; `TwilioSender`), so an unreachable Twilio API costs no message. The
webhook answers 204 once the message is accepted (or was accepted before: Twilio's retries carry
the same MessageSid) and 503 when it could not be: a 2xx would tell Twilio it arrived. Twilio
retries a failed webhook as its connection overrides say (a retry policy on the webhook URL) and
shows the error in its console's debugger either way. `api_url` (TWILIO_API_URL) points the
sender at another Messages API base URL (tests: a local stand-in).
"""
import logging
import re
from functools import partial
from typing import Any, Awaitable, Callable, Dict, Iterable, List, Optional, Text, Tuple
from urllib.parse import parse_qs, urlsplit

from rasa.core.channels.channel import OutputChannel, UserMessage
from rasa.core.channels.twilio import TwilioInput, TwilioOutput
from rasa.shared.core.events import Event
from rasa.shared.exceptions import RasaException
from sanic import Blueprint, Sanic, response
from sanic.request import Request, RequestParameters
from sanic.response import HTTPResponse
from twilio.base.exceptions import TwilioRestException
from twilio.http.http_client import TwilioHttpClient
from twilio.request_validator import RequestValidator
from twilio.rest import Client

from bot.channels.delivery import SEND_TIMEOUT_S, Enqueued, PermanentFailure, Replies, attach, in_thread
from bot.channels.identity import PlatformOutput, conversation_id, namespaced
from bot.channels.inbound import accept_turn, referring_early
from bot.channels.outbox import UsesOutbox
from bot.channels.text import split_text
from bot.turn import bot_messages_this_turn

logger = logging.getLogger(__name__)

MAX_BODY = 1600  # Twilio's limit for one message body (SMS and WhatsApp)
SIGNATURE_HEADER = "X-Twilio-Signature"

# A message that asks for a number on a scale: its options get letters, not numbers.
_ASKS_FOR_NUMBER = re.compile(r"\b0\b[^.?!\n]{0,40}?\bto\s+10\b|\bout of (?:10|ten)\b",
                              re.IGNORECASE)
# A reply that picks an option: "2", "2.", "(2)", "#2", "option 2", "b".
_OPTION_REPLY = re.compile(r"\s*(?:option\s*)?[#(]?\s*([0-9]{1,2}|[A-Za-z])\s*[.)]?\s*",
                           re.IGNORECASE)


class OptionNumbering:
    """Labels the options of one turn: numbers run on across its messages, letters likewise."""

    def __init__(self) -> None:
        self.numbers = 0
        self.letters = 0

    def labels(self, text: Optional[Text], count: int) -> List[str]:
        if _ASKS_FOR_NUMBER.search(text or ""):
            start, self.letters = self.letters, self.letters + count
            return [chr(ord("A") + i) if i < 26 else str(i) for i in range(start, start + count)]
        start, self.numbers = self.numbers, self.numbers + count
        return [str(i + 1) for i in range(start, start + count)]


def _options_of(message: Dict[Text, Any]) -> List[Dict[Text, Any]]:
    """What `OutputChannel.send_response` shows as options: quick replies first, else buttons."""
    return list(message.get("quick_replies") or message.get("buttons") or [])


def options_sentence(labels: List[str], buttons: List[Dict[Text, Any]]) -> str:
    """'Reply 1 for Heat or ice?, 2 for Stretches or 3 for When to get help.'"""
    parts = [f"{label} for {button.get('title') or button.get('payload')}"
             for label, button in zip(labels, buttons)]
    if len(parts) == 1:
        return f"Reply {parts[0]}."
    return "Reply " + ", ".join(parts[:-1]) + " or " + parts[-1] + "."


def offered_options(events: Iterable[Event]) -> Dict[str, Dict[Text, Any]]:
    """The options of the bot's messages since the client last wrote, by their shown label."""
    numbering = OptionNumbering()
    options: Dict[str, Dict[Text, Any]] = {}
    for bot in bot_messages_this_turn(events):
        buttons = _options_of(bot.data or {})
        for label, button in zip(numbering.labels(bot.text, len(buttons)), buttons):
            options[label] = button
    return options


def option_label(text: Text) -> Optional[str]:
    """The option label a reply consists of ("2", "B"), or None for any other text."""
    match = _OPTION_REPLY.fullmatch(text or "")
    return match.group(1).upper() if match else None


def sms_parts(text: Text, limit: int = MAX_BODY) -> List[str]:
    """One body when it fits; otherwise parts of at most `limit` characters marked "(i/n) "."""
    text = (text or "").strip()
    if len(text) <= limit:
        return [text] if text else []
    chunks = split_text(text, limit - len("(99/99) "))
    return [f"({i}/{len(chunks)}) {chunk}" for i, chunk in enumerate(chunks, 1)]


class NumberedOptionsOutput(TwilioOutput):
    """Twilio output for one turn: buttons as numbered options, each message complete. The Messages
    API requests go to `replies` (for the outbox), not to Twilio."""

    def __init__(self, account_sid: Optional[Text], auth_token: Optional[Text],
                 twilio_number: Optional[Text], replies: Optional[Replies] = None) -> None:
        super().__init__(account_sid, auth_token, twilio_number)
        self.numbering = OptionNumbering()
        self.replies = Replies() if replies is None else replies

    async def _send_message(self, message_data: Dict[Text, Any]) -> None:
        self.replies.put(message_data["to"], dict(message_data))

    async def send_response(self, recipient_id: Text, message: Dict[Text, Any]) -> None:
        await super().send_response(recipient_id, message)
        await self.replies.flush()

    async def send_text_message(self, recipient_id: Text, text: Text, **kwargs: Any) -> None:
        for body in sms_parts(text):
            await self._send_message({"to": recipient_id, "from_": self.twilio_number, "body": body})

    async def send_text_with_buttons(self, recipient_id: Text, text: Text,
                                     buttons: List[Dict[Text, Any]], **kwargs: Any) -> None:
        labels = self.numbering.labels(text, len(buttons))
        body = "\n\n".join(part for part in ((text or "").strip(),
                                             options_sentence(labels, buttons)) if part)
        await self.send_text_message(recipient_id, body)

    async def send_quick_replies(self, recipient_id: Text, text: Text,
                                 quick_replies: List[Dict[Text, Any]], **kwargs: Any) -> None:
        await self.send_text_with_buttons(recipient_id, text, quick_replies)


class TwilioSender:
    """Sends the outbox's Messages API requests (`messages.create` arguments) to Twilio."""

    def __init__(self, account_sid: Optional[Text], auth_token: Optional[Text],
                 api_url: Optional[Text] = None) -> None:
        self.client = Client(account_sid, auth_token,
                             http_client=TwilioHttpClient(timeout=SEND_TIMEOUT_S))
        if api_url:
            self.client.api.base_url = api_url.rstrip("/")

    async def __call__(self, payload: Dict[Text, Any]) -> None:
        try:
            await in_thread(partial(self.client.messages.create, **payload))
        except TwilioRestException as error:
            if error.status == 429 or error.status >= 500:
                raise  # busy or down: try again later
            raise PermanentFailure(f"Twilio {error.status}, error {error.code}: {error.msg}"
                                   ) from error


class SignedTwilioInput(TwilioInput, UsesOutbox):
    """Twilio SMS webhook (/webhooks/twilio/webhook) that only accepts requests signed by Twilio."""

    @classmethod
    def name(cls) -> Text:
        return "twilio"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> "SignedTwilioInput":
        if not credentials:
            cls.raise_missing_credentials_exception()
        return cls(
            credentials.get("account_sid"),
            credentials.get("auth_token"),
            credentials.get("twilio_number"),
            webhook_url=credentials.get("webhook_url") or None,
            api_url=credentials.get("api_url") or None,
        )

    def __init__(self, account_sid: Optional[Text], auth_token: Optional[Text],
                 twilio_number: Optional[Text], webhook_url: Optional[Text] = None,
                 debug_mode: bool = False, api_url: Optional[Text] = None) -> None:
        if not auth_token:
            raise RasaException(f"The {self.name()} channel needs `auth_token` to check "
                                f"X-Twilio-Signature on every request.")
        super().__init__(account_sid, auth_token, twilio_number, debug_mode)
        self.webhook_url = webhook_url.rstrip("/") if webhook_url else None
        self.validator = RequestValidator(auth_token)
        self.api_url = api_url

    def public_url(self, request: Request) -> str:
        """The URL Twilio requested: the configured public base URL + path, else what Sanic saw."""
        query = f"?{request.query_string}" if request.query_string else ""
        if not self.webhook_url:
            return request.url
        base_path = urlsplit(self.webhook_url).path.rstrip("/")
        if base_path and base_path.endswith(request.path.rstrip("/")):
            return self.webhook_url + query  # the full webhook URL was configured
        return self.webhook_url + request.path + query

    @staticmethod
    def signed_params(request: Request) -> RequestParameters:
        """The POST parameters Twilio signed, blank ones included (Sanic's `form` drops them)."""
        if request.content_type.split(";")[0].strip() == "application/x-www-form-urlencoded":
            return RequestParameters(parse_qs(request.body.decode("utf-8"),
                                              keep_blank_values=True))
        return request.form

    def is_signed(self, request: Request) -> bool:
        signature = request.headers.get(SIGNATURE_HEADER, "")
        if not signature:
            return False
        try:
            return self.validator.validate(self.public_url(request), self.signed_params(request),
                                           signature)
        except Exception:  # malformed input never passes
            logger.exception("Could not check the Twilio signature")
            return False

    async def resolve_option(self, app: Sanic, sender: Text,
                             text: Text) -> Tuple[Text, Optional[Dict[Text, Any]]]:
        """A reply naming an offered option becomes that option's payload."""
        label = option_label(text)
        agent = getattr(app.ctx, "agent", None)
        if label is None or agent is None or agent.tracker_store is None:
            return text, None
        try:
            tracker = await agent.tracker_store.retrieve(sender)
        except Exception:
            logger.exception("Could not read the conversation to resolve option %r", text)
            return text, None
        chosen = offered_options(tracker.events if tracker else []).get(label)
        if not chosen or not chosen.get("payload"):
            return text, None
        return chosen["payload"], {"option": {"reply": text.strip(), "title": chosen.get("title")}}

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        on_new_message = namespaced(self.name(), referring_early(on_new_message))  # "twilio:<From>"
        webhook = Blueprint(f"{self.name()}_webhook", __name__)
        attach(webhook, self.name(), self.outbox,
               TwilioSender(self.account_sid, self.auth_token, self.api_url))

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        async def message(request: Request) -> HTTPResponse:
            if not self.is_signed(request):
                logger.warning("Refused a %s request without a valid %s (checked against %s)",
                               self.name(), SIGNATURE_HEADER, self.public_url(request))
                return response.text(f"Missing or invalid {SIGNATURE_HEADER}", status=403)
            sender = request.form.get("From")
            text = request.form.get("Body") or ""
            if not sender or not text.strip():
                return response.text("", status=204)  # media or location only: nothing to read
            text = text.replace("¡", "@")  # some carriers turn @ into ¡
            text, metadata = await self.resolve_option(
                request.app, conversation_id(self.name(), sender), text)
            replies = Replies()
            output = NumberedOptionsOutput(self.account_sid, self.auth_token, self.twilio_number,
                                           replies)
            sid = request.form.get("MessageSid") or request.form.get("SmsMessageSid") or None
            outcome = await accept_turn(
                request.app, on_new_message, self.outbox, self.name(),
                UserMessage(text, output, sender, input_channel=self.name(), metadata=metadata,
                            message_id=sid),
                replies, sid)
            if not outcome.ok:  # not stored: Twilio may send it again
                return response.text("The message could not be accepted; send it again",
                                     status=503)
            return response.text("", status=204)

        return webhook

    def get_output_channel(self) -> OutputChannel:
        """For Rasa's HTTP API (`output_channel=latest`, addressed by conversation id): straight
        into the outbox, to the platform's id."""
        return PlatformOutput(self.name(), NumberedOptionsOutput(
            self.account_sid, self.auth_token, self.twilio_number,
            Enqueued(self.outbox, self.name())))


class SignedTwilioWhatsAppInput(SignedTwilioInput):
    """WhatsApp through Twilio (/webhooks/twilio_whatsapp/webhook); the number is 'whatsapp:+...'."""

    @classmethod
    def name(cls) -> Text:
        return "twilio_whatsapp"
