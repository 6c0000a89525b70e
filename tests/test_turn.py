"""bot/turn.py: the assistant's messages of the turn in progress."""
from rasa.shared.core.events import ActionExecuted, BotUttered, SlotSet, UserUttered

from bot.turn import bot_messages_this_turn


def test_only_what_was_said_after_the_clients_last_message_oldest_first():
    events = [UserUttered("hi"), BotUttered("hello"), UserUttered("my calf cramps"),
              ActionExecuted("utter_ask_onset"), BotUttered("When did it start?"),
              SlotSet("requested_slot", "onset"), BotUttered("1. today 2. this week")]
    assert [m.text for m in bot_messages_this_turn(events)] == ["When did it start?",
                                                               "1. today 2. this week"]


def test_nothing_yet_said_this_turn_or_no_client_message_at_all():
    assert bot_messages_this_turn([BotUttered("hello"), UserUttered("hi")]) == []
    assert [m.text for m in bot_messages_this_turn([BotUttered("hello")])] == ["hello"]
    assert bot_messages_this_turn([]) == []
