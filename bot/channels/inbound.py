"""Accepting a client's message from a platform: stored first, then answered, each message once.

A platform webhook is answered with success only once the client's message is safe: its turn ran
and the tracker store holds it, and the turn's replies are in the outbox (bot/channels/outbox.py),
written in the same transaction that records the platform's message id as accepted. Anything
short of that (the outbox's database or Rasa's lock store down, the turn raised, the tracker store
failed: Rasa's FailSafeTrackerStore then keeps the turn in memory only and raises nothing, so the
stored conversation is read back to see the message in it) answers with the status that makes the
platform send the message again, and nothing is sent.

The platform's message id (Twilio MessageSid, Messenger mid) is the key: it is claimed before the
turn runs, so a retry of a message already accepted is answered with success without a second turn,
and a retry that arrives while the first delivery is still being handled is told to come back
(BUSY) instead of running beside it. It is also the id of the stored user message.

A message over the REST channel's limit (MAX_MESSAGE_CHARS, 5,000 characters; the platforms' own
caps are lower except Slack's, but a signed request is not trusted to respect them) gets the REST
channel's "too long" reply, and only its first part is read: cut at a word boundary, stored with
`clipped_from` (the length received) in its metadata, as on REST and socket.io
(bot/channels/rest.py: read_within_limit). Refusing it whole would drop a red flag written at its
start; read this way, the referral comes as for any message, after the reply that says the rest
was not read.

One case runs a turn twice: the tracker store saved it but the outbox's commit failed (or the
process died in between). The platform's retry then runs it again, so the client still gets an
answer; the conversation shows the message twice.
"""
import enum
import logging
from typing import Any, Awaitable, Callable, Optional

from rasa.core.channels.channel import UserMessage
from rasa.shared.core.events import UserUttered
from sanic import Sanic

from bot.channels.delivery import Delivery, Replies, in_thread
from bot.channels.outbox import BUSY, DUPLICATE, Outbox
from bot.channels.rest import read_within_limit

logger = logging.getLogger(__name__)

TURN_LEASE_S = 60.0  # a turn takes seconds (custom actions: 5 s in all); a dead process's claim ends
# then, and the platform's next retry runs the message


class Outcome(enum.Enum):
    ACCEPTED = "accepted"  # stored now; its replies are in the outbox
    DUPLICATE = "duplicate"  # accepted before: nothing done
    BUSY = "busy"  # being handled by another request right now
    FAILED = "failed"  # not stored: the platform should send it again

    @property
    def ok(self) -> bool:
        """Whether to answer the platform with success."""
        return self in (Outcome.ACCEPTED, Outcome.DUPLICATE)


async def accept_turn(app: Sanic, on_new_message: Callable[[UserMessage], Awaitable[Any]],
                      outbox: Outbox, channel: str, message: UserMessage, replies: Replies,
                      platform_id: Optional[str]) -> Outcome:
    """Run `message`'s turn (its output channel puts the replies into `replies`) unless the
    platform's message `platform_id` was accepted before; commit the replies once it is stored."""
    if platform_id is not None:
        try:
            claim = await in_thread(outbox.claim_inbound, channel, platform_id, TURN_LEASE_S)
        except Exception:
            logger.exception("Could not record a %s message in the outbox; not accepted", channel)
            return Outcome.FAILED
        if claim == DUPLICATE:
            logger.info("A %s message was sent again; it was accepted before", channel)
            return Outcome.DUPLICATE
        if claim == BUSY:
            return Outcome.BUSY
    try:
        await read_within_limit(message)
        await on_new_message(message)
        if not await is_stored(app, message):
            raise RuntimeError("the tracker store does not hold the message (see the errors above)")
        await in_thread(outbox.accept, channel, platform_id, replies.items)
    except Exception:
        logger.exception("A %s message could not be accepted; the platform will send it again",
                         channel)
        await _release(outbox, channel, platform_id)
        return Outcome.FAILED
    delivery = getattr(app.ctx, "clinic_delivery", None)
    if isinstance(delivery, Delivery):
        delivery.wake()
    return Outcome.ACCEPTED


async def is_stored(app: Sanic, message: UserMessage) -> bool:
    """Whether the tracker store's copy of the conversation has `message` (by its message id)."""
    agent = getattr(app.ctx, "agent", None)
    if agent is None or agent.tracker_store is None:
        return False
    tracker = await agent.tracker_store.retrieve(message.sender_id)
    return tracker is not None and any(
        isinstance(event, UserUttered) and event.message_id == message.message_id
        for event in reversed(tracker.events))


async def _release(outbox: Outbox, channel: str, platform_id: Optional[str]) -> None:
    if platform_id is None:
        return
    try:
        await in_thread(outbox.release_inbound, channel, platform_id)
    except Exception:  # the claim then ends with its lease
        logger.exception("Could not release a %s message's claim in the outbox", channel)
