"""A client is told when the action server cannot answer, instead of getting no reply at all; and a
turn waits for the action server ACTION_TIMEOUT_S seconds at most.

Rasa 3.6 logs a custom action that failed (action server down, an HTTP error, a malformed response)
as run with no events and goes on: the client's question got nothing back. Here such an action says
`utter_cannot_answer_now`, a domain response (it needs no action server), once per turn. A form's
validation action that fails mid-form says it too, and leaves the slot asked for empty, so that the
form asks for it again (what a validation that rejects a value does): Rasa would drop the failed validation's
events and the client's answer got no reply at all (`make test-chaos`, action servers hung and
killed under load). A form that is only starting is left to Rasa, which drops it: no question is
asked whose answer could not be read (tests/e2e/test_fail_safe.py). A rejection
(ActionExecutionRejection) still reaches the form.

Rasa waits up to 5 minutes for every custom action (DEFAULT_REQUEST_TIMEOUT; endpoints.yml cannot
change it) while it holds the conversation's lock: an action server that accepted connections and
never answered left a question unanswered and unstored, and a red flag sent next in the same
conversation waiting for the lock. Here the custom actions of one client turn share one budget,
counted from the moment Rasa logged the client's message: a form validation, the form's next step
and an answer wait at most ACTION_TIMEOUT_S together (their timeouts cannot add up), and a call made
once the budget is spent fails at once, without reaching the action server; either way the action
has failed, as above. A call outside a client's turn (an action run through the HTTP API, or a custom
session start, which runs before the message is logged) has the whole budget to itself. The default
is measured (endpoints.yml).

Referrals never depend on this: TriagePolicy answers red flags from the domain before any custom
action runs. (A REST reply carries the whole turn, so a non-urgent referral followed by the answer to
a question waits for that answer: at most the budget.) Installed with the model's policies
(bot/policies/__init__.py).
"""
import asyncio
import logging
import math
import os
import time
from typing import Any, Iterable, List, Mapping, Optional

from rasa.core.actions.action import ActionBotResponse, ActionExecutionRejection, RemoteAction
from rasa.shared.core.constants import ACTION_LISTEN_NAME, REQUESTED_SLOT
from rasa.shared.core.events import ActionExecuted, Event, SlotSet, UserUttered
from rasa.shared.exceptions import RasaException

from bot.turn import bot_messages_this_turn

logger = logging.getLogger(__name__)
UNAVAILABLE = "utter_cannot_answer_now"
BUDGET_ENV = "ACTION_TIMEOUT_S"
DEFAULT_BUDGET_S = 10.0  # measured: endpoints.yml

_run_remote = RemoteAction.run
_budget_s = DEFAULT_BUDGET_S  # install() reads ACTION_TIMEOUT_S


def configured_budget(env: Optional[Mapping[str, str]] = None) -> float:
    """ACTION_TIMEOUT_S (seconds, > 0), or the default. A wrong value stops the server at start-up
    rather than leaving turns to wait 5 minutes again."""
    value = (os.environ if env is None else env).get(BUDGET_ENV, "").strip()
    if not value:
        return DEFAULT_BUDGET_S
    try:
        seconds = float(value)
    except ValueError:
        raise ValueError(f"{BUDGET_ENV} must be a number of seconds, not {value!r}") from None
    if not (seconds > 0 and math.isfinite(seconds)):
        raise ValueError(f"{BUDGET_ENV} must be more than 0 seconds, not {value!r}")
    return seconds


def turn_started_at(events: Iterable[Event]) -> Optional[float]:
    """When the client's message of the turn in progress was logged; None outside a client's turn
    (Rasa logs `action_listen` once a turn is over)."""
    for event in reversed(list(events)):
        if isinstance(event, UserUttered):
            return event.timestamp
        if isinstance(event, ActionExecuted) and event.action_name == ACTION_LISTEN_NAME:
            return None
    return None


def time_left(events: Iterable[Event], budget_s: float, now: Optional[float] = None) -> float:
    """Seconds the next custom action of this turn may take: what is left of the turn's budget (0
    once spent), never more than the budget itself (a clock set back does not extend it)."""
    started = turn_started_at(events)
    if started is None:
        return budget_s
    elapsed = (time.time() if now is None else now) - started
    return min(budget_s, max(0.0, budget_s - elapsed))


def _said_this_turn(tracker: Any) -> bool:
    return any(message.metadata.get("utter_action") == UNAVAILABLE
               for message in bot_messages_this_turn(tracker.events))


async def _run_in_time(self: RemoteAction, output_channel: Any, nlg: Any, tracker: Any,
                       domain: Any) -> List[Event]:
    """Rasa's call, cut off when the turn's budget runs out; with none left, not made at all."""
    seconds = time_left(tracker.events, _budget_s)
    if seconds <= 0:
        raise RasaException(f"custom action '{self.name()}' not called: this turn already waited "
                            f"{_budget_s:g} s for the action server ({BUDGET_ENV})")
    try:
        return await asyncio.wait_for(_run_remote(self, output_channel, nlg, tracker, domain),
                                      seconds)
    except asyncio.TimeoutError:
        raise RasaException(f"the action server did not answer custom action '{self.name()}' "
                            f"within {seconds:.1f} s ({BUDGET_ENV}={_budget_s:g})") from None


async def _run_or_say_unavailable(self: RemoteAction, output_channel: Any, nlg: Any, tracker: Any,
                                  domain: Any) -> List[Event]:
    try:
        return await _run_in_time(self, output_channel, nlg, tracker, domain)
    except ActionExecutionRejection:
        raise
    except Exception:
        if self.name().startswith("validate_") and not tracker.get_slot(REQUESTED_SLOT):
            raise  # a form only starting: Rasa drops it, so no question is asked that can't be read
        logger.exception("custom action %s failed; the client is told it cannot be answered now",
                         self.name())
        said = [] if _said_this_turn(tracker) else await ActionBotResponse(UNAVAILABLE).run(
            output_channel, nlg, tracker, domain)
        return said + (_asked_again(tracker) if self.name().startswith("validate_") else [])


def _asked_again(tracker: Any) -> List[Event]:
    """The slot the form asked for, left empty: the form asks for it again. Nothing while the form
    is only starting (no slot asked for yet)."""
    slot = tracker.get_slot(REQUESTED_SLOT)
    return [SlotSet(slot, None)] if slot else []


def install() -> None:
    global _budget_s
    _budget_s = configured_budget()
    RemoteAction.run = _run_or_say_unavailable
