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

An emergency sent while the same conversation's previous turn waits (on a hung action server,
say) is referred at once, as on REST and socket.io (bot/channels/early_referral.py): each channel
wraps its handler, inside its namespacing, with `referring_early`. The referral is put into the
outbox as soon as it is predicted (`_Accepting.send_now`, before the message's turn is stored) and
the delivery worker is woken; the message's turn then waits for the conversation and is stored as
always, and the webhook is answered once it is. The referral's own turn does not send it again, and
a turn it overtook (the one waiting for the action server) commits nothing to send: what it said
before or after the referral ("try again in a few minutes") would reach the client after it. Both
are stored; the review console shows what was held back. If the referred message's turn then
fails, the platform sends it again and the client may get the referral twice: a duplicate, never
a loss.

One case runs a turn twice: the tracker store saved it but the outbox's commit failed (or the
process died in between). The platform's retry then runs it again, so the client still gets an
answer; the conversation shows the message twice.
"""
import enum
import logging
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, Awaitable, Callable, Optional

from rasa.core.channels.channel import OutputChannel, UserMessage
from rasa.shared.core.events import UserUttered
from sanic import Sanic

from bot.channels.delivery import Delivery, Replies, in_thread
from bot.channels.early_referral import REFERRALS, GuardedOutput, Handler
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


@dataclass
class _Accepting:
    """The platform message being accepted in this request (its task and what it awaits)."""
    app: Sanic
    outbox: Outbox
    channel: str
    replies: Replies

    def agent(self) -> Any:
        return getattr(self.app.ctx, "agent", None)

    async def send_now(self, _: OutputChannel) -> None:
        """What the message's output has said so far (an early referral; Messenger's "seen"
        before it) into the outbox now, and sent, before the turn is stored."""
        items, self.replies.items = self.replies.items, []
        await in_thread(self.outbox.enqueue, self.channel, items)
        _wake(self.app)


_ACCEPTING: ContextVar[Optional[_Accepting]] = ContextVar("clinic_accepting", default=None)


def _accepting_agent() -> Any:
    accepting = _ACCEPTING.get()
    return accepting.agent() if accepting is not None else None


async def _send_now(output: OutputChannel) -> None:
    accepting = _ACCEPTING.get()
    if accepting is None:  # cannot happen: no agent, no early referral
        raise RuntimeError("no platform message is being accepted here")
    await accepting.send_now(output)


def referring_early(on_new_message: Handler) -> Handler:
    """A platform channel's handler (inside its namespacing: the conversation ids it sees are
    the stored ones) that refers an emergency at once while its conversation is busy, through the
    outbox. Outside `accept_turn` it only runs the turn."""
    return REFERRALS.wrap(_accepting_agent, on_new_message, send_now=_send_now)


def _wake(app: Sanic) -> None:
    delivery = getattr(app.ctx, "clinic_delivery", None)
    if isinstance(delivery, Delivery):
        delivery.wake()


def _overtaken(message: UserMessage, replies: Replies) -> None:
    """A turn an early referral overtook sends nothing (it is stored as it ran)."""
    guard = message.output_channel  # set in place by `referring_early`
    if isinstance(guard, GuardedOutput) and guard.overtaken is not None and replies.items:
        logger.warning("conversation %s: %d message(s) of a turn stored but not sent: an "
                       "emergency referral was sent while it ran", message.sender_id,
                       len(replies.items))
        replies.items = []


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
    accepting = _ACCEPTING.set(_Accepting(app, outbox, channel, replies))
    try:
        await read_within_limit(message)
        await on_new_message(message)
        _overtaken(message, replies)
        if not await is_stored(app, message):
            raise RuntimeError("the tracker store does not hold the message (see the errors above)")
        await in_thread(outbox.accept, channel, platform_id, replies.items)
    except Exception:
        logger.exception("A %s message could not be accepted; the platform will send it again",
                         channel)
        await _release(outbox, channel, platform_id)
        return Outcome.FAILED
    finally:
        _ACCEPTING.reset(accepting)
    _wake(app)
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
