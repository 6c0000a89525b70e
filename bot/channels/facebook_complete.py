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
"""
import hashlib
import hmac
import logging
from typing import Any, Awaitable, Callable, Dict, List, Optional, Text

from fbmessenger.elements import Text as FBText
from rasa.core.channels.channel import OutputChannel, UserMessage
from rasa.core.channels.facebook import FacebookInput, Messenger, MessengerBot
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels.text import clip, split_text

logger = logging.getLogger(__name__)

MAX_TEXT = 2000
MAX_TEMPLATE_TEXT = 640
MAX_TEMPLATE_BUTTONS = 3
MAX_QUICK_REPLIES = 11  # Messenger allows 13; fbmessenger 6.0.0 refuses more than 11
MAX_TITLE = 20


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


class CompleteMessengerBot(MessengerBot):
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
        out_channel = CompleteMessengerBot(self.client)
        await out_channel.send_action(sender_id, sender_action="mark_seen")
        await out_channel.send_action(sender_id, sender_action="typing_on")
        try:
            await self.on_new_message(UserMessage(text, out_channel, sender_id,
                                                  input_channel=self.name(), metadata=metadata))
        except Exception:
            logger.exception("Exception when trying to handle webhook for facebook message.")
        finally:
            await out_channel.send_action(sender_id, sender_action="typing_off")


class CompleteFacebookInput(FacebookInput):
    @classmethod
    def name(cls) -> Text:
        return "facebook"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        webhook = Blueprint(f"{self.name()}_webhook", __name__)

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
            messenger = CompleteMessenger(self.fb_access_token, on_new_message)
            await messenger.handle(payload, self.get_metadata(request))
            return response.text("success")

        return webhook

    def get_output_channel(self) -> OutputChannel:
        return CompleteMessengerBot(super().get_output_channel().messenger_client)
