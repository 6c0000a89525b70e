"""Slack through Rasa's connector, with complete messages and all of a message's buttons.

Rasa's `SlackInput` checks `X-Slack-Signature` (HMAC-SHA256 of `v0:timestamp:body` with the
signing secret, timestamps within five minutes) and answers 400 otherwise; that stays as it is.
`CompleteSlackInput` changes what goes out and one setup detail:

- A text with buttons is a section block, which Slack caps at 3000 characters: a longer text is
  split into plain messages first, so a long referral is never refused.
- Rasa drops every button of a message with more than five (an old Slack limit); an actions block
  takes 25, so the assessment's six options are kept.
- `as_user` is not sent: Slack apps with bot tokens (every app created today) get
  `invalid_arguments` for it, and the bot posts as itself without it.
- The Events API URL check (`url_verification`) is answered with the plain challenge, as Slack's
  documentation asks (Rasa answers it JSON-encoded). It is signed like any event and checked.
- Stored first, then answered, as Twilio and Messenger are (bot/channels/inbound.py): Rasa ran
  the turn in a background task after answering Slack 200, so a turn that failed, or a Web API
  that was down, lost the message with Slack told it had arrived. Now the turn runs inside the
  request; its chat.postMessage calls go to the outbox once the tracker store holds the message,
  and the delivery worker sends them with retries (bot/channels/delivery.py; `SlackSender`). The
  webhook answers 200 once the message is accepted (or was before: Slack's retries carry the
  same `event_id`) and 503 otherwise, so Slack sends it again (it retries three times, the last
  about five minutes later). Rasa's habit of answering Slack's timeout retries with "no retry"
  is dropped: a retry is answered by the outbox's record of the event instead (accepted: 200;
  still being handled: 503, try later). `api_url` (SLACK_API_URL) points the sender at another
  Web API base URL (tests: a local stand-in).
"""
import json
import logging
from http import HTTPStatus
from typing import Any, Awaitable, Callable, Dict, List, Optional, Text

from rasa.core.channels.channel import OutputChannel, UserMessage
from rasa.core.channels.slack import SlackBot, SlackInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.channels.delivery import SEND_TIMEOUT_S, Enqueued, PermanentFailure, Replies, attach
from bot.channels.identity import PlatformOutput, namespaced
from bot.channels.inbound import accept_turn, referring_early
from bot.channels.outbox import UsesOutbox
from bot.channels.text import clip, split_text

logger = logging.getLogger(__name__)

MAX_SECTION = 2900  # section block text: 3000
MAX_BUTTONS = 25  # elements of one actions block
MAX_TITLE = 75  # button text
DEFAULT_API_URL = "https://slack.com/api/"
# Web API errors worth trying again (with HTTP 429 and 5xx); any other error is final.
TRANSIENT_ERRORS = {"ratelimited", "internal_error", "fatal_error", "service_unavailable",
                    "request_timeout"}


class CompleteSlackBot(SlackBot):
    """Slack output for one turn (or, with `Enqueued`, for Rasa's HTTP API): every
    chat.postMessage request goes to `replies`, for the outbox, not to Slack."""

    def __init__(self, token: Text, slack_channel: Optional[Text] = None,
                 thread_id: Optional[Text] = None, proxy: Optional[Text] = None,
                 replies: Optional[Replies] = None) -> None:
        super().__init__(token, slack_channel, thread_id, proxy)
        self.replies = Replies() if replies is None else replies

    async def _post_message(self, channel: Text, **kwargs: Any) -> None:
        kwargs.pop("as_user", None)
        if self.thread_id:
            kwargs["thread_ts"] = self.thread_id
        self.replies.put(channel, {"channel": channel, **kwargs})

    async def send_response(self, recipient_id: Text, message: Dict[Text, Any]) -> None:
        await super().send_response(recipient_id, message)
        await self.replies.flush()

    async def send_text_with_buttons(self, recipient_id: Text, text: Text,
                                     buttons: List[Dict[Text, Any]], **kwargs: Any) -> None:
        recipient = self.slack_channel or recipient_id
        chunks = split_text(text, MAX_SECTION) or ["…"]
        for chunk in chunks[:-1]:
            await self.send_text_message(recipient_id, chunk)
        if len(buttons) > MAX_BUTTONS:
            logger.warning("Slack shows %d buttons at most; %d left out", MAX_BUTTONS,
                           len(buttons) - MAX_BUTTONS)
        blocks: List[Dict[Text, Any]] = [
            {"type": "section", "text": {"type": "plain_text", "text": chunks[-1]}}]
        if buttons:
            blocks.append({"type": "actions", "elements": [
                {"type": "button",
                 "text": {"type": "plain_text", "text": clip(str(b["title"]), MAX_TITLE)},
                 "value": b["payload"]}
                for b in buttons[:MAX_BUTTONS]]})
        await self._post_message(channel=recipient, text=chunks[-1], blocks=blocks)


class SlackSender:
    """Sends the outbox's chat.postMessage requests to Slack's Web API."""

    def __init__(self, token: Text, api_url: Optional[Text] = None,
                 proxy: Optional[Text] = None) -> None:
        base_url = (api_url.rstrip("/") + "/") if api_url else DEFAULT_API_URL
        self.client = AsyncWebClient(token, base_url=base_url, proxy=proxy,
                                     timeout=int(SEND_TIMEOUT_S))

    async def __call__(self, payload: Dict[Text, Any]) -> None:
        try:
            await self.client.chat_postMessage(**payload)
        except SlackApiError as error:
            status = getattr(error.response, "status_code", None) or 0
            code = _error_code(error)
            if status == 429 or status >= 500 or code in TRANSIENT_ERRORS:
                raise  # busy or down: try again later
            raise PermanentFailure(f"Slack {status}, error {code}") from error


def _error_code(error: SlackApiError) -> Optional[Text]:
    data = getattr(error.response, "data", None)
    return data.get("error") if isinstance(data, dict) else None


def slack_message_id(request: Request) -> Optional[Text]:
    """Slack's id of what a request carries, the same in Slack's retries: the Events API's
    `event_id`; for a click (interactivity, never retried by Slack), the user and the action's
    timestamp."""
    try:
        if request.headers.get("content-type") == "application/json":
            return str((request.json or {}).get("event_id") or "") or None
        payload = json.loads(request.form["payload"][0])
        user = (payload.get("user") or {}).get("id")
        stamp = ((payload.get("actions") or [{}])[0] or {}).get("action_ts")
        return f"{user}:{stamp}" if user and stamp else None
    except (KeyError, IndexError, TypeError, ValueError, AttributeError):
        return None


class CompleteSlackInput(SlackInput, UsesOutbox):
    @classmethod
    def name(cls) -> Text:
        return "slack"

    api_url: Optional[Text] = None  # the Web API's base URL, when not Slack's own

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> "CompleteSlackInput":
        channel = super().from_credentials(credentials)
        channel.api_url = (credentials or {}).get("api_url") or None
        return channel

    def get_output_channel(self, channel: Optional[Text] = None,
                           thread_id: Optional[Text] = None) -> OutputChannel:
        """For Rasa's HTTP API (`output_channel=latest`, addressed by conversation id): straight
        into the outbox, to the configured channel or else the user's id."""
        return PlatformOutput(self.name(), CompleteSlackBot(
            self.slack_token, channel or self.slack_channel, thread_id, self.proxy,
            Enqueued(self.outbox, self.name())))

    async def process_message(self, request: Request,
                              on_new_message: Callable[[UserMessage], Awaitable[Any]],
                              text: Text, sender_id: Optional[Text],
                              metadata: Optional[Dict]) -> Any:
        """Runs the turn now, answering Slack only once it is stored (see the module's doc)."""
        metadata = metadata or {}
        replies = Replies()
        output = CompleteSlackBot(self.slack_token, metadata.get("out_channel") or
                                  self.slack_channel,
                                  metadata.get("thread_id") if self.use_threads else None,
                                  self.proxy, replies)
        event_id = slack_message_id(request)
        outcome = await accept_turn(
            request.app, on_new_message, self.outbox, self.name(),
            UserMessage(text, output, sender_id, input_channel=self.name(), metadata=metadata,
                        message_id=event_id),
            replies, event_id)
        if not outcome.ok:  # not stored: Slack sends it again
            return response.text("The message could not be accepted; send it again",
                                 status=HTTPStatus.SERVICE_UNAVAILABLE)
        return response.text("")

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        on_new_message = namespaced(self.name(), referring_early(on_new_message))  # "slack:<user>"
        webhook = super().blueprint(on_new_message)
        attach(webhook, self.name(), self.outbox,
               SlackSender(self.slack_token, self.api_url, self.proxy))

        @webhook.middleware("request")
        async def answer_url_verification(request: Request) -> Optional[HTTPResponse]:
            if (request.method != "POST" or not request.path.rstrip("/").endswith("/webhook")
                    or request.headers.get("content-type") != "application/json"):
                return None
            try:
                event = json.loads(request.body or b"{}")
            except ValueError:
                return None
            if not isinstance(event, dict) or event.get("type") != "url_verification":
                return None
            if not self.is_request_from_slack_authentic(request):
                return response.text("Message is not properly signed with a valid "
                                     "X-Slack-Signature header", status=HTTPStatus.BAD_REQUEST)
            return response.text(str(event.get("challenge", "")))

        return webhook
