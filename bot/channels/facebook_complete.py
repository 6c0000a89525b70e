"""Facebook Messenger with strict signature checks and complete messages.

Rasa's `FacebookInput` checks `X-Hub-Signature` but answers a forged request with 200 "not
validated", accepts whatever hash the header names, and its `Messenger` builds Rasa's own output
channel, which breaks escalations: a text with buttons goes out as a button template, which
Messenger caps at 640 characters (a referral naming two red flags is longer, and the Graph API
then refuses the whole message, silently), and a message with more than three buttons loses them
all. `CompleteFacebookInput` keeps Rasa's routes and message parsing and changes:

- POST /webhook: the body must carry a valid `X-Hub-Signature-256` (HMAC-SHA256 with the app
  secret; Meta sends it with every webhook) or, failing that, `X-Hub-Signature` (HMAC-SHA1);
  compared in constant time; otherwise 403 and nothing is processed. GET /webhook (Meta's
  verification) answers the challenge only for the configured verify token, else 403.
- Every messaging event of a batch is handled (Rasa's `Messenger.handle` stops after the first).
- Output: texts over 2000 characters are split; a text with buttons uses the button template only
  when it fits (640 characters, three buttons), otherwise quick replies (up to 11) on the last part
  of the complete text. Titles are cut to Messenger's 20 characters; payloads are never changed.
- Nothing is sent to the Send API during a turn: the requests go to the outbox once the client's
  message is stored (bot/channels/inbound.py) and the delivery worker sends them with retries
  (bot/channels/delivery.py; `MessengerSender`). The webhook answers 200 once every message of
  the batch is accepted (or was before: Meta's retries carry the same mid) and 503 otherwise, so
  Meta sends the batch again. "Seen" is the first request of a turn's replies; there is no
  "typing…" indicator any more: sent beside the outbox it could arrive after the reply and show
  under it. `api_url` (FACEBOOK_API_URL) points the sender at another Graph API base URL.
"""
import hashlib
import hmac
import logging
from typing import Any, Awaitable, Callable, Dict, List, Optional, Text

from fbmessenger import MessengerClient
from fbmessenger.elements import Text as FBText
from rasa.core.channels.channel import OutputChannel, UserMessage
from rasa.core.channels.facebook import FacebookInput, Messenger, MessengerBot
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels.delivery import SEND_TIMEOUT_S, Enqueued, PermanentFailure, Replies, attach, in_thread
from bot.channels.identity import PlatformOutput, namespaced
from bot.channels.inbound import Outcome, accept_turn, referring_early
from bot.channels.outbox import Outbox, UsesOutbox
from bot.channels.text import clip, split_text

logger = logging.getLogger(__name__)

MAX_TEXT = 2000
MAX_TEMPLATE_TEXT = 640
MAX_TEMPLATE_BUTTONS = 3
MAX_QUICK_REPLIES = 11  # Messenger allows 13; fbmessenger 6.0.0 refuses more than 11
MAX_TITLE = 20
# Graph API error codes worth trying again: unknown/service errors and rate limits.
TRANSIENT_ERRORS = {1, 2, 4, 17, 32, 341, 613}


def valid_signature(secret: Text, body: bytes, sha256_header: Text, sha1_header: Text) -> bool:
    """Checks `sha256=<hex>` when sent, else `sha1=<hex>`; any other form fails."""
    for header, algorithm, digest in ((sha256_header, "sha256", hashlib.sha256),
                                      (sha1_header, "sha1", hashlib.sha1)):
        if not header:
            continue
        method, _, given = header.partition("=")
        if method != algorithm or not given:
            return False
        expected = hmac.new(secret.encode("utf-8"), body, digest).hexdigest()
        return hmac.compare_digest(expected.encode("ascii"), given.strip().encode("utf-8"))
    return False


def messenger_client(page_access_token: Text, api_url: Optional[Text] = None) -> MessengerClient:
    client = MessengerClient(page_access_token)
    if api_url:
        client.graph_url = f"{api_url.rstrip('/')}/v{client.api_version}"
    return client


def event_id(event: Dict[Text, Any]) -> Optional[Text]:
    """Messenger's id of a messaging event: its message's (or postback's) mid; for a postback of an
    older API version, without one, the sender and the timestamp (the same in a retry)."""
    for kind in ("message", "postback"):
        mid = (event.get(kind) or {}).get("mid")
        if mid:
            return str(mid)
    sender, timestamp = (event.get("sender") or {}).get("id"), event.get("timestamp")
    return f"{sender}:{timestamp}" if sender and timestamp else None


class SendAPIRequests:
    """Stands where Rasa's MessengerBot expects fbmessenger's client: each Send API request is
    put into `replies` (for the outbox) instead of being sent."""

    def __init__(self, replies: Replies) -> None:
        self.replies = replies

    def send(self, payload: Dict[Text, Any], recipient_id: Text,
             messaging_type: Text = "RESPONSE", **_: Any) -> None:
        self.replies.put(recipient_id, {"recipient": recipient_id, "message": payload,
                                        "messaging_type": messaging_type})

    def send_action(self, sender_action: Text, recipient_id: Text, **_: Any) -> None:
        self.replies.put(recipient_id, {"recipient": recipient_id, "sender_action": sender_action})


class MessengerSender:
    """Sends the outbox's Send API requests to Messenger."""

    def __init__(self, page_access_token: Text, api_url: Optional[Text] = None) -> None:
        self.client = messenger_client(page_access_token, api_url)

    async def __call__(self, payload: Dict[Text, Any]) -> None:
        if "sender_action" in payload:
            result = await in_thread(self.client.send_action, payload["sender_action"],
                                     payload["recipient"], SEND_TIMEOUT_S)
        else:
            # a body that is not JSON (a proxy's error page) raises ValueError: tried again
            result = await in_thread(self.client.send, payload["message"], payload["recipient"],
                                     payload.get("messaging_type") or "RESPONSE", "REGULAR",
                                     SEND_TIMEOUT_S)
        error = result.get("error") if isinstance(result, dict) else None
        if not error:
            return
        code = error.get("code") if isinstance(error, dict) else None
        reason = f"Messenger error {code}: {error.get('message') if code else error}"
        if code is None or code in TRANSIENT_ERRORS or error.get("is_transient"):
            raise RuntimeError(reason)
        raise PermanentFailure(reason)


class CompleteMessengerBot(MessengerBot):
    """Messenger output for one turn (or, with `Enqueued`, for Rasa's HTTP API): every Send API
    request goes to `replies`, for the outbox."""

    def __init__(self, replies: Optional[Replies] = None) -> None:
        self.replies = Replies() if replies is None else replies
        super().__init__(SendAPIRequests(self.replies))

    async def send_response(self, recipient_id: Text, message: Dict[Text, Any]) -> None:
        await super().send_response(recipient_id, message)
        await self.replies.flush()

    def _send_text(self, recipient_id: Text, text: Text, quick_replies: Any = None) -> None:
        self.send(recipient_id, FBText(text=text, quick_replies=quick_replies))

    async def send_text_message(self, recipient_id: Text, text: Text, **kwargs: Any) -> None:
        for part in text.strip().split("\n\n"):
            for chunk in split_text(part, MAX_TEXT):
                self._send_text(recipient_id, chunk)

    async def send_text_with_buttons(self, recipient_id: Text, text: Text,
                                     buttons: List[Dict[Text, Any]], **kwargs: Any) -> None:
        text = (text or "").strip()
        if len(buttons) <= MAX_TEMPLATE_BUTTONS and 0 < len(text) <= MAX_TEMPLATE_TEXT:
            template_buttons = [
                {"type": b.get("type", "postback"), "title": clip(str(b["title"]), MAX_TITLE),
                 "payload": b["payload"]} for b in buttons]
            payload = {"attachment": {"type": "template", "payload": {
                "template_type": "button", "text": text, "buttons": template_buttons}}}
            self.messenger_client.send(payload, recipient_id, "RESPONSE")
            return
        await self.send_quick_replies(recipient_id, text, buttons)

    async def send_quick_replies(self, recipient_id: Text, text: Text,
                                 quick_replies: List[Dict[Text, Any]], **kwargs: Any) -> None:
        chunks = split_text(text, MAX_TEXT) or ["…"]
        for chunk in chunks[:-1]:
            self._send_text(recipient_id, chunk)
        if len(quick_replies) > MAX_QUICK_REPLIES:
            logger.warning("Messenger shows %d quick replies at most; %d left out",
                           MAX_QUICK_REPLIES, len(quick_replies) - MAX_QUICK_REPLIES)
        replies = self._convert_to_quick_reply([
            {"title": clip(str(q["title"]), MAX_TITLE), "payload": q["payload"],
             "content_type": q.get("content_type")}
            for q in quick_replies[:MAX_QUICK_REPLIES]])
        self._send_text(recipient_id, chunks[-1], replies if quick_replies else None)


class CompleteMessenger(Messenger):
    def __init__(self, page_access_token: Text,
                 on_new_message: Callable[[UserMessage], Awaitable[Any]], app: Any,
                 outbox: Outbox) -> None:
        super().__init__(page_access_token, on_new_message)
        self.app = app
        self.outbox = outbox
        self.outcomes: List[Outcome] = []  # one per client message of the batch

    async def handle(self, payload: Dict, metadata: Optional[Dict[Text, Any]]) -> None:
        for entry in payload.get("entry") or []:
            for message in entry.get("messaging") or []:
                self.last_message = message
                if message.get("message"):
                    await self.message(message, metadata)
                elif message.get("postback"):
                    await self.postback(message, metadata)

    async def _handle_user_message(self, text: Text, sender_id: Text,
                                   metadata: Optional[Dict[Text, Any]]) -> None:
        replies = Replies()
        out_channel = CompleteMessengerBot(replies)
        await out_channel.send_action(sender_id, sender_action="mark_seen")
        mid = event_id(self.last_message)
        self.outcomes.append(await accept_turn(
            self.app, self.on_new_message, self.outbox, self.name(),
            UserMessage(text, out_channel, sender_id, input_channel=self.name(),
                        metadata=metadata, message_id=mid),
            replies, mid))


class CompleteFacebookInput(FacebookInput, UsesOutbox):
    @classmethod
    def name(cls) -> Text:
        return "facebook"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> "CompleteFacebookInput":
        if not credentials:
            cls.raise_missing_credentials_exception()
        return cls(credentials.get("verify"), credentials.get("secret"),
                   credentials.get("page-access-token"), api_url=credentials.get("api_url") or None)

    def __init__(self, fb_verify: Text, fb_secret: Text, fb_access_token: Text,
                 api_url: Optional[Text] = None) -> None:
        super().__init__(fb_verify, fb_secret, fb_access_token)
        self.api_url = api_url

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        on_new_message = namespaced(self.name(), referring_early(on_new_message))  # "facebook:<PSID>"
        webhook = Blueprint(f"{self.name()}_webhook", __name__)
        attach(webhook, self.name(), self.outbox,
               MessengerSender(self.fb_access_token, self.api_url))

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["GET"])
        async def token_verification(request: Request) -> HTTPResponse:
            given = request.args.get("hub.verify_token") or ""
            if self.fb_verify and hmac.compare_digest(given.encode("utf-8"),
                                                      self.fb_verify.encode("utf-8")):
                return response.text(request.args.get("hub.challenge") or "")
            logger.warning("Invalid fb verify token: check the webhook settings of the app")
            return response.text("failure, invalid token", status=403)

        @webhook.route("/webhook", methods=["POST"])
        async def message(request: Request) -> HTTPResponse:
            if not self.fb_secret or not valid_signature(
                    self.fb_secret, request.body,
                    request.headers.get("X-Hub-Signature-256", ""),
                    request.headers.get("X-Hub-Signature", "")):
                logger.warning("Refused a facebook request without a valid X-Hub-Signature")
                return response.text("not validated", status=403)
            payload = request.json
            if not isinstance(payload, dict):
                return response.text("invalid payload", status=400)
            messenger = CompleteMessenger(self.fb_access_token, on_new_message, request.app,
                                          self.outbox)
            await messenger.handle(payload, self.get_metadata(request))
            if not all(outcome.ok for outcome in messenger.outcomes):  # Meta sends it again
                return response.text("not accepted; send it again", status=503)
            return response.text("success")

        return webhook

    def get_output_channel(self) -> OutputChannel:
        """For Rasa's HTTP API (`output_channel=latest`, addressed by conversation id): straight
        into the outbox, to the platform's id."""
        return PlatformOutput(self.name(), CompleteMessengerBot(Enqueued(self.outbox, self.name())))
