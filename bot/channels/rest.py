"""The REST channel (POST /webhooks/rest/webhook) with input checks Rasa's own channel lacks.

A body that is not a JSON object with a string `message` gets HTTP 400 instead of a server error.
An empty message (or one of blanks or invisible characters only) gets a clear answer from the
channel itself and leaves the conversation untouched. A message longer than MAX_MESSAGE_CHARS gets
the "too long" reply first, and its first part is read as the turn (cut at a word boundary, stored
with `clipped_from`, its whole length, in its metadata), as on every other channel: refusing it
whole would drop a red flag written at its start. A body far beyond that (over the server's
REQUEST_MAX_SIZE, 1 MB: bot/request_limit.py, set by this channel; 256 KB behind the production
profile's nginx) is refused with 413 before it is read.

Who a REST client is (see also bot/channels/identity.py and bot/channels/rest_token.py):

- With REST_TOKEN set (or `token:` under the channel in credentials.yml), every POST needs it
  (`Authorization: Bearer …` or `?token=`): 401 otherwise, before anything else is looked at.
- The `sender` is the conversation's id (CONTRACT.md). It must be a non-empty string (or number)
  of at most MAX_SENDER_CHARS characters without control characters, and outside the namespaces
  of the other channels (`widget:`, `twilio:`, `whatsapp:`, ...): HTTP 400 with a JSON `error`
  otherwise, the conversation untouched. A sender naming a conversation that a client began on
  another channel (ids stored before namespacing) is refused with 403 the same way. The
  `input_channel` a client puts in the body is ignored: a REST message is always `rest`'s.

A client that may send a message twice (a retry after a dropped connection; nginx retrying a turn on
another replica when one dies) gives it a `message_id`: the id is kept in the message's metadata and
a message whose id the conversation already holds is answered with that turn's stored replies
instead of being run again. A replay is answered only to the same caller, which for REST means the
same request again: the same `sender` (the conversation holding the id), the same message text as
stored with that id, and, when REST_TOKEN is set, a valid token (a request without one never gets
this far). The token is shared by everything allowed to call, so it names no caller finer than
that; without REST_TOKEN nothing authenticates a caller at all, and the message text is what binds
a message id to whoever sent it: someone who learns a sender and a message id but not the message
cannot read the stored answer. A message id already used with another text is refused with 409,
and neither answered from the store nor run.

A turn that fails is answered 503 with Retry-After, never 200: a turn that raised (Rasa's channel
answers 200 with whatever was said before the error, often nothing) and one whose conversation the
production tracker store could not read or save (Rasa's FailSafeTrackerStore hides that and the
turn is answered as if stored: bot/cluster/store_failures.py). A client answered 200 does not send
again, and the turn was lost. On 503 nginx tries the other replica and the client sends the message
again with its `message_id`: the retry runs the turn, or, if the failure came after the turn was
stored, gets its stored replies. Found by `make test-chaos` (bot/cli/chaos.py), PostgreSQL
restarted and Redis stopped under load.

An emergency sent while another turn of the same conversation is still running (waiting for a hung
action server) is answered at once with its referral, its turn stored when that turn is done
(bot/channels/early_referral.py).
"""
import logging
import re
import unicodedata
from contextvars import ContextVar
from typing import Any, Awaitable, Callable, Dict, List, Optional, Text

from rasa.core.channels.channel import InputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from rasa.shared.core.events import BotUttered, Event, UserUttered
from sanic import Blueprint, response
from sanic.exceptions import InvalidUsage
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels.early_referral import REFERRALS
from bot.channels.identity import reserved_namespace
from bot.channels.rest_token import configured_token, presented_token, token_matches
from bot.channels.text import is_blank, leading_part
from bot.cluster import store_failures
from bot.request_limit import limit_on_start

logger = logging.getLogger(__name__)

MAX_MESSAGE_CHARS = 5_000
EMPTY_REPLY = "I didn't get any text. Please type your question, or tap one of the options."
CLIPPED_FROM_KEY = "clipped_from"


def too_long_reply(limit: int) -> str:
    """The answer to a message over a channel's limit, sent before its first part is read."""
    return (f"That message is longer than I can read ({limit:,} characters at most). "
            "Please send it in shorter parts. If you have a worrying symptom, say it first.")


LONG_REPLY = too_long_reply(MAX_MESSAGE_CHARS)


MESSAGE_ID = re.compile(r"^[A-Za-z0-9._:-]{1,100}$")
CLIENT_ID_KEY = "client_message_id"
MAX_SENDER_CHARS = 128
OTHER_CHANNEL = ("`sender` {sender!r} names another channel's conversation: REST cannot read or "
                 "write it. Choose another id.")
TRY_AGAIN = ("The message could not be handled just now. Send it again, with the same `message_id`: "
             "it is answered once.")
RETRY_AFTER_S = 1
_TURN_FAILED: ContextVar[bool] = ContextVar("clinic_rest_turn_failed", default=False)  # per request


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


def sender_problem(sender: Any) -> Optional[str]:
    """Why `sender` cannot be a REST conversation id, or None if it can."""
    if isinstance(sender, bool) or not isinstance(sender, (str, int)) or not str(sender).strip():
        return "`sender` must be a non-empty string."
    sender = str(sender)
    if len(sender) > MAX_SENDER_CHARS:
        return f"`sender` must be at most {MAX_SENDER_CHARS} characters (it has {len(sender):,})."
    if any(unicodedata.category(c) in ("Cc", "Cs") for c in sender):
        return "`sender` must not contain control characters."
    if reserved_namespace(sender):
        return OTHER_CHANNEL.format(sender=sender)
    return None


def part_read(text: str, limit: int = MAX_MESSAGE_CHARS) -> str:
    """What the assistant reads of a message: all of it (as Rasa strips it) up to `limit`
    characters, else its first part ended at a word boundary."""
    return leading_part(text.strip(), limit)


async def read_within_limit(message: UserMessage, limit: int = MAX_MESSAGE_CHARS) -> None:
    """An over-long message keeps its first part only, and its output says so first: every
    channel reads a red flag written at the start of a long message instead of refusing it."""
    text = message.text or ""
    if len(text) <= limit:
        return
    logger.info("A %s message of %d characters (over %d) was read in part and answered "
                "'too long'", message.input_channel, len(text), limit)
    message.text = part_read(text, limit)
    message.metadata = {**(message.metadata or {}), CLIPPED_FROM_KEY: len(text)}
    if message.output_channel is not None:
        await message.output_channel.send_text_message(message.sender_id, too_long_reply(limit))


def refusal(status: int, error: str, **headers: str) -> HTTPResponse:
    """A refused request, explained: `{"error": ...}`."""
    return response.json({"error": error}, status=status, headers=headers or None)


def try_again() -> HTTPResponse:
    """A turn that failed: the client may send the same message again."""
    return refusal(503, TRY_AGAIN, **{"Retry-After": str(RETRY_AFTER_S)})


def foreign_channel(events: List[Event]) -> Optional[str]:
    """The channel other than REST a stored conversation's client wrote on, if any."""
    return next((e.input_channel for e in events if isinstance(e, UserUttered)
                 and e.input_channel not in (None, "rest")), None)


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
    """The bot's messages of a turn, as the REST channel sent them: after the "too long" reply
    (sent by the channel, not stored as the bot's) when the message was read in part."""
    first = turn[0] if turn else None
    clipped = isinstance(first, UserUttered) and (first.metadata or {}).get(CLIPPED_FROM_KEY)
    notice = [{"recipient_id": sender, "text": LONG_REPLY}] if clipped else []
    return notice + [{"recipient_id": sender, "text": event.text,
                      **{key: value for key, value in (event.data or {}).items() if value}}
                     for event in turn if isinstance(event, BotUttered)]


class ClinicRestInput(RestInput):
    @classmethod
    def name(cls) -> Text:
        return "rest"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> InputChannel:
        return cls(token=(credentials or {}).get("token") or configured_token())

    def __init__(self, token: Optional[Text] = None) -> None:
        self.token = token or None
        self.app: Any = None  # the server's, once it starts

    def _agent(self) -> Any:
        """The running Rasa agent; None before the server has one."""
        return getattr(getattr(self.app, "ctx", None), "agent", None)

    async def _extract_sender(self, request: Request) -> Optional[Text]:
        sender = _body(request).get("sender")
        problem = sender_problem(sender)
        if problem:  # the middleware has answered already; this only guards the route itself
            raise InvalidUsage(problem)
        return str(sender)

    def _extract_message(self, req: Request) -> Optional[Text]:
        return _body(req).get("message", "")

    def _extract_input_channel(self, req: Request) -> Text:
        return self.name()  # never the body's `input_channel`: a client cannot pose as another

    def get_metadata(self, request: Request) -> Optional[Dict[Text, Any]]:
        message_id = _body(request).get("message_id")
        return {CLIENT_ID_KEY: message_id} if message_id else None

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        # an emergency while the conversation waits for a slow turn: answered at once
        on_new_message = REFERRALS.wrap(self._agent, on_new_message)

        async def handle(message: UserMessage) -> Any:
            await read_within_limit(message)  # the "too long" reply first, then its first part
            try:
                return await on_new_message(message)
            except Exception:  # Rasa's route logs it and answers 200; failed_turn answers 503
                _TURN_FAILED.set(True)
                raise

        rest = super().blueprint(handle)

        @rest.listener("before_server_start")
        async def remember_app(app: Any, _: Any) -> None:
            self.app = app

        limit_on_start(rest)  # bodies over 1 MB: 413, unread

        @rest.middleware("response")
        async def failed_turn(request: Request, answer: HTTPResponse) -> Optional[HTTPResponse]:
            if answer.status != 200 or not (_TURN_FAILED.get() or store_failures.failure()):
                return None
            return try_again()

        @rest.middleware("request")
        async def check_request(request: Request) -> Optional[HTTPResponse]:
            if request.method != "POST" or not request.path.endswith("/webhook"):
                return None
            _TURN_FAILED.set(False)
            store_failures.clear()
            if self.token and not token_matches(
                    self.token, presented_token(request.headers, request.args)):
                return refusal(401, "This webhook needs its token: Authorization: Bearer <token>.",
                               **{"WWW-Authenticate": 'Bearer realm="rest"'})
            try:
                body = _body(request)
            except InvalidUsage as error:
                return refusal(400, str(error))
            problem = sender_problem(body.get("sender"))
            if problem:
                return refusal(400, problem)
            sender, text = str(body["sender"]), body.get("message", "")
            reply = None
            if is_blank(text):  # nothing, blanks, or only invisible characters
                reply = EMPTY_REPLY
            elif is_blank(part_read(text)):  # over-long, with nothing to read in its first part
                reply = LONG_REPLY
            if reply:
                return response.json([{"recipient_id": sender, "text": reply}])
            return await check_conversation(request, sender, text, body.get("message_id"))

        return rest


async def check_conversation(request: Request, sender: str, text: str,
                             message_id: Optional[str]) -> Optional[HTTPResponse]:
    """None to handle the message now; else the answer: a refusal, or a retry's stored replies."""
    agent = getattr(request.app.ctx, "agent", None)
    if agent is None or agent.tracker_store is None:
        return None
    tracker = await agent.tracker_store.retrieve(sender)
    if store_failures.failure():  # not None: the conversation could not be read
        return try_again()
    events = list(tracker.events) if tracker else []
    if foreign_channel(events):
        return refusal(403, OTHER_CHANNEL.format(sender=sender))
    turn = stored_turn(events, message_id) if message_id else None
    if turn is None:
        return None
    if turn[0].text != part_read(text):  # as stored: a message over the limit in part
        return refusal(409, f"`message_id` {message_id!r} was sent with another message: a "
                            f"retry must repeat the message it stands for.")
    return response.json(replies_of(turn, sender))
