"""A client is told when the action server cannot answer, instead of getting no reply at all.

Rasa 3.6 logs a custom action that failed (action server down, an HTTP error, a malformed response)
as run with no events and goes on: the client's question got nothing back. Here such an action says
`utter_cannot_answer_now`, a domain response (it needs no action server), once per turn. Form
validation actions are left to Rasa: the form's own rules decide what a failed validation means.
Referrals never depend on this: TriagePolicy answers red flags from the domain before any custom
action runs. Installed with the model's policies (bot/policies/__init__.py).
"""
import logging
from typing import Any, List

from rasa.core.actions.action import ActionBotResponse, ActionExecutionRejection, RemoteAction
from rasa.shared.core.events import Event

from bot.turn import bot_messages_this_turn

logger = logging.getLogger(__name__)
UNAVAILABLE = "utter_cannot_answer_now"

_run_remote = RemoteAction.run


def _said_this_turn(tracker: Any) -> bool:
    return any(message.metadata.get("utter_action") == UNAVAILABLE
               for message in bot_messages_this_turn(tracker.events))


async def _run_or_say_unavailable(self: RemoteAction, output_channel: Any, nlg: Any, tracker: Any,
                                  domain: Any) -> List[Event]:
    try:
        return await _run_remote(self, output_channel, nlg, tracker, domain)
    except ActionExecutionRejection:
        raise
    except Exception:
        if self.name().startswith("validate_"):
            raise
        logger.exception("custom action %s failed; the client is told it cannot be answered now",
                         self.name())
        if _said_this_turn(tracker):
            return []
        return await ActionBotResponse(UNAVAILABLE).run(output_channel, nlg, tracker, domain)


def install() -> None:
    RemoteAction.run = _run_or_say_unavailable
