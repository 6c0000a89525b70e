"""The REST channel (POST /webhooks/rest/webhook) with input checks Rasa's own channel lacks.

A body that is not a JSON object with a string `message` gets HTTP 400 instead of a server error.
An empty message, or one longer than MAX_MESSAGE_CHARS, gets a clear answer from the channel itself
and leaves the conversation untouched.

A client that may send a message twice (a retry after a dropped connection; nginx retrying a turn on
another replica when one dies) gives it a `message_id`: the id is kept in the message's metadata and
a message whose id the conversation already holds is answered with that turn's stored replies
instead of being run again.
"""
import re
from typing import Any, Awaitable, Callable, Dict, List, Optional, Text

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.rest import RestInput
from rasa.shared.core.events import BotUttered, Event, UserUttered
from sanic import Blueprint, response
from sanic.exceptions import InvalidUsage
from sanic.request import Request


MAX_MESSAGE_CHARS = 5_000
EMPTY_REPLY = "I didn't get any text. Please type your question, or tap one of the options."
LONG_REPLY = (f"That message is longer than I can read ({MAX_MESSAGE_CHARS:,} characters at most). "
              "Please send it in shorter parts. If you have a worrying symptom, say it first.")


MESSAGE_ID = re.compile(r"^[A-Za-z0-9._:-]{1,100}$")
CLIENT_ID_KEY = "client_message_id"


def _body(request: Request) -> Dict[str, Any]:
    try:
        body = request.json
    except Exception:  # Sanic raises its own error type for invalid JSON
        body = None
    if not isinstance(body, dict) or not isinstance(body.get("message", ""), str):
        raise InvalidUsage("The body must be a JSON object: {\"sender\": ..., \"message\": \"...\"}.")
    message_id = body.get("message_id")
    if message_id is not None and not (isinstance(message_id, str) and MESSAGE_ID.match(message_id)):
        raise InvalidUsage("`message_id` must be 1 to 100 letters, digits or . _ : -")
    return body


def stored_turn(events: List[Event], message_id: str) -> Optional[List[Event]]:
    """The events of the turn that the client's message `message_id` started, if stored."""
    turn: Optional[List[Event]] = None
    for event in events:
        if isinstance(event, UserUttered):
            if turn is not None:
                break
            if (event.metadata or {}).get(CLIENT_ID_KEY) == message_id:
                turn = []
        if turn is not None:
            turn.append(event)
    return turn


def replies_of(turn: List[Event], sender: str) -> List[Dict[str, Any]]:
    """The bot's messages of a turn, as the REST channel sends them."""
    return [{"recipient_id": sender, "text": event.text,
             **{key: value for key, value in (event.data or {}).items() if value}}
            for event in turn if isinstance(event, BotUttered)]


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

    def get_metadata(self, request: Request) -> Optional[Dict[Text, Any]]:
        message_id = _body(request).get("message_id")
        return {CLIENT_ID_KEY: message_id} if message_id else None

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
            if body.get("message_id"):
                return await replay_if_stored(request, str(body.get("sender")), body["message_id"])
            return None

        return rest


async def replay_if_stored(request: Request, sender: str, message_id: str):
    """The stored answer to a message already handled (a retry), else None to handle it now."""
    tracker = await request.app.ctx.agent.tracker_store.retrieve(sender)
    turn = stored_turn(list(tracker.events), message_id) if tracker else None
    return None if turn is None else response.json(replies_of(turn, sender))
