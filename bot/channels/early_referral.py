"""An emergency is referred at once, even while its conversation waits for a slow turn.

Rasa runs the turns of one conversation one at a time (its lock store), so a red flag sent while an
earlier turn of the same conversation waits for the action server waited behind it: up to
ACTION_TIMEOUT_S (bot/remote_action_fallback.py), and the referral came late. Here a channel's
message handler, `EarlyReferrals.wrap(on_new_message)` (the REST and web-widget channels), does
this when a message arrives:

- The conversation's lock is free (the usual case): nothing changes, the turn runs now.
- The lock is held (a turn of this conversation is running or queued): the message is read and the
  next action predicted as its turn would, on a copy of the stored conversation, with Rasa's own
  parts (`MessageProcessor.parse_message`: the NLU graph with the project's red-flag detector;
  `predict_next_with_tracker_if_should`: the policies, TriagePolicy first; the response through
  `Action.run` and the output channel's `send_response`, as the processor sends it). If that is
  an emergency referral (`utter_escalate_emergency*`), it is sent to the client now, and the
  message's turn is left to run in the background when the lock frees: stored as always, with its
  referral in the tracker. The handler returns, so the REST request is answered with the referral
  and the widget gets `bot_turn_end`. Anything else (no emergency, a prediction that fails) is left
  to the normal turn: nothing is sent early.
- Until that turn has ended, the conversation has an open referral, and every message's output
  channel is guarded (`GuardedOutput`): the referred turn does not send its referral again, and
  turns queued before it (the one waiting for the action server) send nothing more, since what
  they would say ("try again in a few minutes", self-care advice, the form's next question) would
  contradict a referral to the emergency services. They are stored as Rasa ran them; the review
  console shows what they would have said (logged as withheld). A REST request whose turn is
  silenced this way is answered with what it had said before the referral, often `[]`.

The early referral reads the conversation as stored, without the turns still running (the lock
holder's message is not stored yet): in the rare case that one of those changes the referral
(it named a red flag itself), the stored referral names what the client had said so far and the
one sent early the latest message's. One referral is early per conversation at a time; a second
red flag while it is open waits for its turn as before. The open referrals are this process's: a
turn of the same conversation running on another replica (the production profile; widget
sessions are sticky, REST requests are not) is not silenced. A REST retry (`message_id`) of a
message referred early, sent before its turn is stored, runs again behind it, as any message whose
turn is not stored yet.

The platform channels (Twilio SMS and WhatsApp, Messenger, Slack, Telegram) store a message before
anything is sent and answer their webhook only once its turn is stored (bot/channels/inbound.py);
their outputs put what the bot says into the turn's replies, written to the outbox when the turn
is stored. They wrap their handler with `send_now` (bot/channels/inbound.py: `referring_early`):
the referral goes through the message's own output (same formatting, same numbering of options)
and `send_now` moves it into the outbox at once and wakes the delivery worker; the message's turn
then runs in the webhook request, as every platform turn does, so the platform is answered once it
is stored. A turn that an early referral overtook (`GuardedOutput.overtaken`: it was running or
queued in the conversation when the referral opened) sends nothing at all, not even what it said
before the referral: that is still in its replies, and would reach the client after the referral.
"""
import asyncio
import logging
from dataclasses import dataclass
from typing import Any, Awaitable, Callable, Dict, List, Optional, Set, Text

from rasa.core.channels.channel import OutputChannel, UserMessage
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.events import ActionExecuted, BotUttered, UserUttered

logger = logging.getLogger(__name__)

EMERGENCY_REFERRALS = ("utter_escalate_emergency", "utter_escalate_emergency_ambulance")
Handler = Callable[[UserMessage], Awaitable[Any]]
SendNow = Callable[[OutputChannel], Awaitable[None]]  # what an output holds back, sent now


@dataclass
class Referral:
    """A referral sent early: its response, and the output channel of the message it answered."""
    action: Text
    owner: Any


def withheld(referral: Optional[Referral], output: Any, message: Dict[Text, Any]) -> bool:
    """Whether a bot message of a turn is held back: while a referral is open, every message of the
    other turns (they ran or waited before it, and would contradict it) and the referred turn's own
    copy of the referral."""
    if referral is None:
        return False
    return output is not referral.owner or message.get("utter_action") == referral.action


def turn_in_progress(lock_store: Any, conversation: Text) -> bool:
    """Whether a turn of `conversation` holds its lock or waits for it. A lock store that cannot be
    asked (Redis away) counts as free: the message then takes its turn as usual."""
    try:
        return bool(lock_store.is_someone_waiting(conversation))
    except Exception as error:
        logger.warning("could not ask the lock store about %s (%s): no early referral",
                       conversation, error)
        return False


class GuardedOutput(OutputChannel):
    """A message's output channel, which holds back what `withheld` says while its conversation has
    an open referral; everything else is the wrapped channel's."""

    def __init__(self, output: OutputChannel, conversation: Text,
                 referrals: "EarlyReferrals") -> None:
        self.output = output
        self.conversation = conversation
        self.referrals = referrals
        self.overtaken: Optional[Referral] = None  # the referral opened while this turn ran

    def __getattr__(self, name: str) -> Any:
        if name in ("output", "conversation", "referrals", "overtaken"):  # not set yet (copying)
            raise AttributeError(name)
        return getattr(self.output, name)

    def name(self) -> Text:  # type: ignore[override]  # the instance's: channel-specific responses
        return self.output.name()

    async def send_response(self, recipient_id: Text, message: Dict[Text, Any]) -> None:
        if withheld(self.referrals.open_referral(self.conversation), self, message):
            logger.warning("conversation %s: %s stored but not sent: an emergency referral was "
                           "sent before it", self.conversation,
                           message.get("utter_action") or "a message")
            return
        await self.output.send_response(recipient_id, message)

    # the processor sends every bot message through send_response; direct calls go straight through
    async def send_text_message(self, recipient_id: Text, text: Text, **kwargs: Any) -> None:
        await self.output.send_text_message(recipient_id, text, **kwargs)

    async def send_text_with_buttons(self, recipient_id: Text, text: Text,
                                     buttons: List[Dict[Text, Any]], **kwargs: Any) -> None:
        await self.output.send_text_with_buttons(recipient_id, text, buttons, **kwargs)

    async def send_custom_json(self, recipient_id: Text, json_message: Dict[Text, Any],
                               **kwargs: Any) -> None:
        await self.output.send_custom_json(recipient_id, json_message, **kwargs)


class EarlyReferrals:
    """The open referrals of this process, per conversation, and the handler wrapper."""

    def __init__(self) -> None:
        self._open: Dict[Text, Referral] = {}
        self._running: Set["asyncio.Task[Any]"] = set()  # referred turns still to run
        self._turns: Dict[Text, List[GuardedOutput]] = {}  # per conversation, turns not ended

    def open_referral(self, conversation: Text) -> Optional[Referral]:
        return self._open.get(conversation)

    def open(self, conversation: Text, referral: Referral) -> bool:
        """Open `referral` in `conversation`; False if one is open there already. The other turns
        of the conversation not ended yet are marked as overtaken by it."""
        if conversation in self._open:
            return False
        self._open[conversation] = referral
        for turn in self._turns.get(conversation, ()):
            if turn is not referral.owner:
                turn.overtaken = referral
        return True

    def close(self, conversation: Text, referral: Referral) -> None:
        """Close `referral` (and no later one) in `conversation`."""
        if self._open.get(conversation) is referral:
            del self._open[conversation]

    def begin(self, turn: GuardedOutput) -> None:
        self._turns.setdefault(turn.conversation, []).append(turn)

    def end(self, turn: GuardedOutput) -> None:
        turns = self._turns.get(turn.conversation, [])
        if turn in turns:
            turns.remove(turn)
        if not turns:
            self._turns.pop(turn.conversation, None)

    def wrap(self, agent_of: Callable[[], Any], on_new_message: Handler,
             send_now: Optional[SendNow] = None) -> Handler:
        """`on_new_message`, referring an emergency at once when its conversation is busy.
        `agent_of` gives the running Rasa agent (None until the server has one). Without
        `send_now` (REST, the widget: the output sends at once) a referred message's turn runs in
        the background; with it (the platforms: the output holds the turn's replies until it is
        stored), `send_now(output)` sends the referral and the turn runs here."""
        async def handle(message: UserMessage) -> Any:
            output = message.output_channel
            if output is None:
                return await on_new_message(message)
            guard = GuardedOutput(output, message.sender_id, self)
            message.output_channel = guard
            self.begin(guard)
            try:
                referral = await self._refer_if_busy(agent_of(), message, output, guard, send_now)
            except BaseException:
                self.end(guard)
                raise
            if referral is not None and send_now is None:
                task = asyncio.create_task(self._finish(on_new_message, message, referral))
                self._running.add(task)
                task.add_done_callback(self._running.discard)
                return None
            try:
                return await on_new_message(message)
            finally:
                self.end(guard)
                if referral is not None:
                    self.close(message.sender_id, referral)

        return handle

    async def _finish(self, on_new_message: Handler, message: UserMessage,
                      referral: Referral) -> None:
        """The referred message's turn, run when the lock frees; the referral closes with it."""
        try:
            await on_new_message(message)
        except Exception:
            logger.exception("conversation %s: the turn of a message referred early failed; the "
                             "client has the referral", message.sender_id)
        finally:
            self.end(referral.owner)
            self.close(message.sender_id, referral)

    async def _refer_if_busy(self, agent: Any, message: UserMessage, output: OutputChannel,
                             guard: GuardedOutput,
                             send_now: Optional[SendNow] = None) -> Optional[Referral]:
        """The referral sent now, if the conversation is busy and the message is an emergency."""
        conversation = message.sender_id
        if agent is None or agent.processor is None or self.open_referral(conversation):
            return None
        if not turn_in_progress(agent.lock_store, conversation):
            return None
        try:
            events = await predicted_referral(agent, message, output)
        except Exception:
            logger.exception("conversation %s: could not tell whether a message needs an early "
                             "referral; it waits for its turn", conversation)
            return None
        referral = Referral(events[0].metadata["utter_action"], guard) if events else None
        # opened before sending (the lock holder may speak meanwhile); not if another message of
        # the conversation was referred while this one was read
        if referral is None or not self.open(conversation, referral):
            return None
        try:
            for event in events:
                await output.send_response(conversation, event.message())
            if send_now is not None:
                await send_now(output)
        except Exception:
            logger.exception("conversation %s: the early referral could not be sent; its turn "
                             "will send it", conversation)
            self.close(conversation, referral)
            for turn in self._turns.get(conversation, ()):  # not overtaken after all
                if turn.overtaken is referral:
                    turn.overtaken = None
            return None
        logger.info("conversation %s: emergency referral sent before its turn (another turn "
                    "holds the conversation)", conversation)
        return referral


async def predicted_referral(agent: Any, message: UserMessage,
                             output: OutputChannel) -> List[BotUttered]:
    """The emergency referral `message`'s turn would send first, computed on a copy of the stored
    conversation; [] if its turn would not start with one. Sends and stores nothing."""
    processor = agent.processor
    conversation = message.sender_id
    tracker = await agent.tracker_store.retrieve(conversation)
    if tracker is None:
        tracker = agent.tracker_store.init_tracker(conversation)
    if tracker.latest_action_name != ACTION_LISTEN_NAME:
        tracker.update(ActionExecuted(ACTION_LISTEN_NAME))
    parse_data = await processor.parse_message(message, tracker)
    tracker.update(UserUttered(message.text, parse_data["intent"], parse_data["entities"],
                               parse_data, input_channel=message.input_channel,
                               message_id=message.message_id, metadata=message.metadata),
                   processor.domain)
    action, prediction = processor.predict_next_with_tracker_if_should(tracker)
    if action.name() not in EMERGENCY_REFERRALS:
        return []
    tracker.update_with_events(prediction.events, processor.domain)
    events = await action.run(output, processor.nlg, tracker, processor.domain)
    return [event for event in events if isinstance(event, BotUttered)]


REFERRALS = EarlyReferrals()  # one per process: every channel's turns of a conversation share it
