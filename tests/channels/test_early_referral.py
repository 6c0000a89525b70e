"""The parts of bot/channels/early_referral.py that need no running server: which messages are held
back while a referral is open, and when a conversation counts as busy (Rasa's real lock stores).
The whole path, over REST and socket.io with a hung action server: tests/e2e/test_hung_action_server.py.
"""
import asyncio
import uuid
from typing import Any, Dict, List

import pytest
from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.lock_store import InMemoryLockStore, RedisLockStore
from rasa.utils.endpoints import EndpointConfig

from bot.channels.early_referral import EarlyReferrals, GuardedOutput, Referral, turn_in_progress, withheld
from bot.cluster.lock_store import ClinicRedisLockStore
from bot.stack import free_port

REFERRAL = "utter_escalate_emergency_ambulance"


def _message(text: str, action: str = "utter_answer") -> Dict[str, Any]:
    return {"text": text, "utter_action": action}


def test_nothing_is_withheld_without_an_open_referral():
    assert not withheld(None, object(), _message("use heat"))


def test_an_open_referral_holds_back_the_other_turns_and_its_own_turns_repeat_of_it():
    referred, waiting = object(), object()
    referral = Referral(REFERRAL, referred)
    assert withheld(referral, waiting, _message("try again in a few minutes"))
    assert withheld(referral, waiting, _message("call 999", REFERRAL))
    assert withheld(referral, referred, _message("call 999", REFERRAL))
    assert not withheld(referral, referred, _message("and call the clinic later"))


def test_guarded_outputs_send_nothing_that_follows_and_contradicts_a_referral():
    referrals = EarlyReferrals()
    waiting_client, referred_client = CollectingOutputChannel(), CollectingOutputChannel()
    waiting = GuardedOutput(waiting_client, "x", referrals)
    referred = GuardedOutput(referred_client, "x", referrals)
    other = GuardedOutput(CollectingOutputChannel(), "y", referrals)

    async def turns() -> None:
        await waiting.send_response("x", _message("before the red flag"))
        referral = Referral(REFERRAL, referred)
        assert referrals.open("x", referral)
        await waiting.send_response("x", _message("try again in a few minutes"))
        await referred.send_response("x", _message("call 999", REFERRAL))
        await other.send_response("y", _message("another conversation"))
        referrals.close("x", referral)
        await waiting.send_response("x", _message("after the referred turn"))

    asyncio.run(turns())
    assert _texts(waiting_client) == ["before the red flag", "after the referred turn"]
    assert _texts(referred_client) == []
    assert _texts(other.output) == ["another conversation"]
    assert referred.name() == "collector"  # channel-specific responses still see the channel


def test_one_referral_is_open_per_conversation_and_closing_an_old_one_keeps_the_new():
    referrals = EarlyReferrals()
    first, second = Referral(REFERRAL, object()), Referral(REFERRAL, object())
    assert referrals.open("x", first)
    assert not referrals.open("x", second)
    referrals.close("x", second)
    assert referrals.open_referral("x") is first
    referrals.close("x", first)
    assert referrals.open("x", second) and referrals.open_referral("x") is second


def test_turns_running_when_a_referral_opens_are_overtaken_and_later_ones_are_not():
    """A platform turn that was running or queued when an early referral opened sends nothing
    (bot/channels/inbound.py): what it said before the referral is still in its replies."""
    referrals = EarlyReferrals()
    waiting = GuardedOutput(CollectingOutputChannel(), "x", referrals)
    referred = GuardedOutput(CollectingOutputChannel(), "x", referrals)
    elsewhere = GuardedOutput(CollectingOutputChannel(), "y", referrals)
    for turn in (waiting, referred, elsewhere):
        referrals.begin(turn)
    referral = Referral(REFERRAL, referred)
    assert referrals.open("x", referral)
    later = GuardedOutput(CollectingOutputChannel(), "x", referrals)
    referrals.begin(later)
    assert waiting.overtaken is referral
    assert referred.overtaken is None and elsewhere.overtaken is None and later.overtaken is None
    for turn in (waiting, referred, elsewhere, later):
        referrals.end(turn)
    referrals.close("x", referral)
    assert referrals._turns == {}  # nothing kept once the turns have ended


def _redis_lock_store() -> ClinicRedisLockStore:
    """The production profile's lock store, on the real Redis (keys of this test only)."""
    return ClinicRedisLockStore(EndpointConfig(url="127.0.0.1", port=6379, db=1,
                                               key_prefix=f"early-{uuid.uuid4().hex}"))


@pytest.mark.parametrize("make_store", [InMemoryLockStore, _redis_lock_store],
                         ids=["in-memory", "redis"])
def test_a_conversation_is_busy_while_a_turn_holds_or_waits_for_its_lock(make_store):
    store = make_store()

    async def check() -> List[bool]:
        seen = [turn_in_progress(store, "x")]
        async with store.lock("x"):
            seen += [turn_in_progress(store, "x"), turn_in_progress(store, "y")]
        return seen + [turn_in_progress(store, "x")]

    assert asyncio.run(check()) == [False, True, False, False]


def test_a_lock_store_that_cannot_be_reached_counts_as_free():
    # nothing listens on this port: the message then takes its turn as usual
    store = RedisLockStore(host="127.0.0.1", port=free_port(), socket_timeout=1)
    assert turn_in_progress(store, "x") is False


def test_without_a_running_agent_a_message_goes_to_its_turn_with_a_guarded_output():
    handled: List[UserMessage] = []

    async def on_new_message(message: UserMessage) -> str:
        handled.append(message)
        await message.output_channel.send_response(message.sender_id, _message("hello"))
        return "done"

    client = CollectingOutputChannel()
    handle = EarlyReferrals().wrap(lambda: None, on_new_message)
    assert asyncio.run(handle(UserMessage("hi", client, "x"))) == "done"
    assert isinstance(handled[0].output_channel, GuardedOutput)
    assert _texts(client) == ["hello"]


def _texts(output: CollectingOutputChannel) -> List[str]:
    return [message.get("text") for message in output.messages]
