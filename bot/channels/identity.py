"""Which conversation a client is: one namespace of conversation ids per identity provider.

Rasa keeps a conversation under the sender id its channel hands to `UserMessage`, and all channels
share one tracker store. The REST channel lets its client choose that id (CONTRACT.md: a REST
conversation keeps the `sender` it was sent with), so before namespacing anyone who knew or guessed
another channel's id could continue that conversation over REST and read its answers: a phone number
on SMS or WhatsApp, a Messenger or Telegram id, a widget session id. Therefore:

- Every other channel keeps its conversations under `<namespace>:<the platform's id>`:
  `widget:` (the web widget's server-issued session ids), `twilio:` (SMS and WhatsApp: Twilio's
  addresses `+44…` and `whatsapp:+44…`; a namespace belongs to whoever vouches for the id, and
  Twilio signs both), `facebook:`, `slack:`, `telegram:`. A channel without a namespace here
  cannot name its conversations (KeyError): a new channel must be given one.
- The REST channel refuses every sender in one of these namespaces, and the `whatsapp:` form the
  WhatsApp channel used before namespacing (`reserved_namespace`), also in other letter cases or
  widths and after leading blanks (SQLite and PostgreSQL compare ids exactly; a store that folds
  case must not match them either). So every REST sender id names a REST conversation only.
- The platforms are still addressed by their own ids: Rasa sends a reply to the conversation id,
  and `PlatformOutput` hands the channel's output the platform's id instead.

Each channel applies this in one line, `on_new_message = namespaced(self.name(), on_new_message)`
at the top of its blueprint, so every `UserMessage` it builds is namespaced on its way to Rasa.

Conversations stored before namespacing keep their old ids; they are not migrated. The client's
next message on its channel starts a new conversation under the new id (a restored widget session
shows no history, and the triage level starts unset again); the old one stays readable in the
review console until retention removes it. The REST channel refuses to continue a conversation
that a client began on another channel (bot/channels/rest.py), so the old ids are not reachable
over REST either.
"""
import unicodedata
from typing import Any, Awaitable, Callable, Dict, List, Optional, Text

from rasa.core.channels.channel import OutputChannel, UserMessage

# Rasa channel name -> namespace of its conversation ids.
NAMESPACES = {
    "socketio": "widget",
    "twilio": "twilio",
    "twilio_whatsapp": "twilio",
    "facebook": "facebook",
    "slack": "slack",
    "telegram": "telegram",
}
# Ids that only another channel ever stored: the WhatsApp channel's, before namespacing.
LEGACY_PREFIXES = ("whatsapp:",)
RESERVED_PREFIXES = tuple(sorted({f"{n}:" for n in NAMESPACES.values()})) + LEGACY_PREFIXES


def conversation_id(channel: Text, platform_id: Any) -> Text:
    """The tracker id of the conversation with `platform_id` on `channel` (a Rasa channel name)."""
    return f"{NAMESPACES[channel]}:{platform_id}"


def platform_id(channel: Text, conversation: Text) -> Text:
    """The platform's id of a conversation of `channel`; an id outside its namespace unchanged."""
    prefix = f"{NAMESPACES[channel]}:"
    return conversation[len(prefix):] if conversation.startswith(prefix) else conversation


def reserved_namespace(sender: Text) -> Optional[Text]:
    """The namespace prefix a REST sender id would reach into (`"twilio:"`), or None."""
    folded = unicodedata.normalize("NFKC", sender).lstrip().casefold()
    return next((prefix for prefix in RESERVED_PREFIXES if folded.startswith(prefix)), None)


class PlatformOutput(OutputChannel):
    """A channel's output, given the platform's recipient id instead of the conversation id.

    Everything else (the name used to pick channel-specific responses, the channel's own
    attributes) is the wrapped output's."""

    def __init__(self, channel: Text, output: OutputChannel) -> None:
        self.channel = channel
        self.output = output

    def __getattr__(self, name: str) -> Any:
        if name in ("channel", "output"):  # not set yet (copying): no endless recursion
            raise AttributeError(name)
        return getattr(self.output, name)

    def name(self) -> Text:  # type: ignore[override]  # the instance's, not the class's
        return self.output.name()

    def _to(self, recipient_id: Text) -> Text:
        return platform_id(self.channel, recipient_id)

    async def send_response(self, recipient_id: Text, message: Dict[Text, Any]) -> None:
        await self.output.send_response(self._to(recipient_id), message)

    async def send_text_message(self, recipient_id: Text, text: Text, **kwargs: Any) -> None:
        await self.output.send_text_message(self._to(recipient_id), text, **kwargs)

    async def send_image_url(self, recipient_id: Text, image: Text, **kwargs: Any) -> None:
        await self.output.send_image_url(self._to(recipient_id), image, **kwargs)

    async def send_attachment(self, recipient_id: Text, attachment: Text, **kwargs: Any) -> None:
        await self.output.send_attachment(self._to(recipient_id), attachment, **kwargs)

    async def send_text_with_buttons(self, recipient_id: Text, text: Text,
                                     buttons: List[Dict[Text, Any]], **kwargs: Any) -> None:
        await self.output.send_text_with_buttons(self._to(recipient_id), text, buttons, **kwargs)

    async def send_quick_replies(self, recipient_id: Text, text: Text,
                                 quick_replies: List[Dict[Text, Any]], **kwargs: Any) -> None:
        await self.output.send_quick_replies(self._to(recipient_id), text, quick_replies, **kwargs)

    async def send_elements(self, recipient_id: Text, elements: Any, **kwargs: Any) -> None:
        await self.output.send_elements(self._to(recipient_id), elements, **kwargs)

    async def send_custom_json(self, recipient_id: Text, json_message: Dict[Text, Any],
                               **kwargs: Any) -> None:
        await self.output.send_custom_json(self._to(recipient_id), json_message, **kwargs)


def in_namespace(channel: Text, message: UserMessage) -> UserMessage:
    """`message` kept under its conversation id, its replies addressed to the platform's id.

    Changed in place: whoever built the message and looks at it after the turn (to read the
    stored turn back, say) sees the conversation id."""
    message.sender_id = conversation_id(channel, message.sender_id)
    if message.output_channel is not None and not isinstance(message.output_channel,
                                                             PlatformOutput):
        message.output_channel = PlatformOutput(channel, message.output_channel)
    return message


def namespaced(channel: Text, on_new_message: Callable[[UserMessage], Awaitable[Any]]
               ) -> Callable[[UserMessage], Awaitable[Any]]:
    """The handler a channel gives its messages to, namespacing each on its way to Rasa."""
    async def handle(message: UserMessage) -> Any:
        return await on_new_message(in_namespace(channel, message))

    return handle
