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

from bot.channels.identity import namespaced
from bot.channels.text import clip, split_text

logger = logging.getLogger(__name__)

MAX_SECTION = 2900  # section block text: 3000
MAX_BUTTONS = 25  # elements of one actions block
MAX_TITLE = 75  # button text


class CompleteSlackBot(SlackBot):
    async def _post_message(self, channel: Text, **kwargs: Any) -> None:
        kwargs.pop("as_user", None)
        await super()._post_message(channel, **kwargs)

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


class CompleteSlackInput(SlackInput):
    @classmethod
    def name(cls) -> Text:
        return "slack"

    def get_output_channel(self, channel: Optional[Text] = None,
                           thread_id: Optional[Text] = None) -> OutputChannel:
        return CompleteSlackBot(self.slack_token, channel or self.slack_channel, thread_id,
                                self.proxy)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        on_new_message = namespaced(self.name(), on_new_message)  # conversation "slack:<user>"
        webhook = super().blueprint(on_new_message)

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
