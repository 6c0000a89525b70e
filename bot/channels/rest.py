"""The REST channel (POST /webhooks/rest/webhook) with input checks Rasa's own channel lacks.

A body that is not a JSON object with a string `message` gets HTTP 400 instead of a server error.
An empty message, or one longer than MAX_MESSAGE_CHARS, gets a clear answer from the channel itself
and leaves the conversation untouched.
"""
from typing import Any, Awaitable, Callable, Dict, Optional, Text

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, response
from sanic.exceptions import InvalidUsage
from sanic.request import Request

MAX_MESSAGE_CHARS = 5_000
EMPTY_REPLY = "I didn't get any text. Please type your question, or tap one of the options."
LONG_REPLY = (f"That message is longer than I can read ({MAX_MESSAGE_CHARS:,} characters at most). "
              "Please send it in shorter parts. If you have a worrying symptom, say it first.")


def _body(request: Request) -> Dict[str, Any]:
    try:
        body = request.json
    except Exception:  # Sanic raises its own error type for invalid JSON
        body = None
    if not isinstance(body, dict) or not isinstance(body.get("message", ""), str):
        raise InvalidUsage("The body must be a JSON object: {\"sender\": ..., \"message\": \"...\"}.")
    return body


class ClinicRestInput(RestInput):
    @classmethod
    def name(cls) -> Text:
        return "rest"

    async def _extract_sender(self, request: Request) -> Optional[Text]:
        sender = _body(request).get("sender")
        if not isinstance(sender, (str, int)) or not str(sender).strip():
            raise InvalidUsage("`sender` must be a non-empty string.")
        return str(sender)

    def _extract_message(self, req: Request) -> Optional[Text]:
        return _body(req).get("message", "")

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        rest = super().blueprint(on_new_message)

        @rest.middleware("request")
        async def answer_unreadable_messages(request: Request):
            if request.method != "POST" or not request.path.endswith("/webhook"):
                return None
            body = _body(request)
            text = body.get("message", "")
            reply = None
            if not text.strip():
                reply = EMPTY_REPLY
            elif len(text) > MAX_MESSAGE_CHARS:
                reply = LONG_REPLY
            if reply:
                return response.json([{"recipient_id": str(body.get("sender")), "text": reply}])
            return None

        return rest
