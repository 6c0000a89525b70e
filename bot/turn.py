"""The turn in progress: what the assistant has said since the client last wrote."""
from typing import Iterable, List

from rasa.shared.core.events import BotUttered, Event, UserUttered


def bot_messages_this_turn(events: Iterable[Event]) -> List[BotUttered]:
    """The assistant's messages after the client's last one, oldest first."""
    turn: List[BotUttered] = []
    for event in reversed(list(events)):
        if isinstance(event, UserUttered):
            break
        if isinstance(event, BotUttered):
            turn.append(event)
    return turn[::-1]
