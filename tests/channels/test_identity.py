"""Conversation ids per channel (bot/channels/identity.py), without a server: the namespaces, what
the REST channel refuses, and replies still addressed to the platform's own id."""
import asyncio

import pytest
from rasa.core.channels.channel import CollectingOutputChannel, UserMessage

from bot.channels.identity import (
    NAMESPACES,
    PlatformOutput,
    conversation_id,
    namespaced,
    platform_id,
    reserved_namespace,
)


@pytest.mark.parametrize("channel, platform, conversation", [
    ("socketio", "Xy_9-session", "widget:Xy_9-session"),
    ("twilio", "+447700900123", "twilio:+447700900123"),
    ("twilio_whatsapp", "whatsapp:+447700900123", "twilio:whatsapp:+447700900123"),
    ("facebook", "1234567890123456", "facebook:1234567890123456"),
    ("slack", "U012AB3CD", "slack:U012AB3CD"),
    ("telegram", "-100123", "telegram:-100123"),
])
def test_each_channel_has_its_namespace_and_gets_its_id_back(channel, platform, conversation):
    assert conversation_id(channel, platform) == conversation
    assert platform_id(channel, conversation) == platform
    assert reserved_namespace(conversation)  # so a REST sender can never be this id


def test_a_channel_without_a_namespace_cannot_name_a_conversation():
    with pytest.raises(KeyError):
        conversation_id("rest", "me")


@pytest.mark.parametrize("sender", ["me", "+447700900123", "user:42", "widget", "widgets:1",
                                    "eval-p001", "a" * 128])
def test_ordinary_rest_senders_are_free(sender):
    assert reserved_namespace(sender) is None


@pytest.mark.parametrize("sender", ["widget:abc", "WIDGET:abc", "  twilio:+44", "Telegram:1",
                                    "ｗｉｄｇｅｔ:a", "whatsapp:+447700900123", "facebook:",
                                    "slack:U1"])
def test_other_channels_namespaces_are_reserved_in_any_case(sender):
    assert reserved_namespace(sender)


def test_every_namespace_is_reserved():
    assert all(reserved_namespace(f"{namespace}:x") for namespace in NAMESPACES.values())


def test_replies_go_to_the_platforms_id_and_the_message_to_the_conversation():
    collector = CollectingOutputChannel()
    handed = []

    async def on_new_message(message: UserMessage) -> None:
        handed.append(message)
        await message.output_channel.send_response(message.sender_id, {
            "text": "hi", "buttons": [{"title": "A", "payload": "a"}]})
        await message.output_channel.send_text_message(message.sender_id, "bye")

    message = UserMessage("hello", collector, "whatsapp:+447700900123",
                          input_channel="twilio_whatsapp")
    asyncio.run(namespaced("twilio_whatsapp", on_new_message)(message))
    assert handed[0] is message and message.sender_id == "twilio:whatsapp:+447700900123"
    assert isinstance(message.output_channel, PlatformOutput)
    assert message.output_channel.name() == "collector"  # channel-specific responses still match
    assert [m["recipient_id"] for m in collector.messages] == ["whatsapp:+447700900123"] * 2
    assert message.output_channel.messages is collector.messages  # the channel's own attributes
