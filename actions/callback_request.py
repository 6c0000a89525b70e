"""After the call-back form: what the client is told, by the clinic's opening hours.

The request itself is this action's event in the conversation (with the `callback_phone` slot set
before it): `python -m bot.alerts` reads it from the tracker store, stores it in the console's
call-back queue (review_callbacks) and alerts the clinic. So the action server needs no database,
and a request is stored exactly when the turn that made it is.

Within opening hours (settings/clinic.yml) the client hears "within N hours"; outside them, when
the clinic opens next. The number is said masked. A refused consent gets the clinic's contact and
the number is forgotten (the slot is cleared, so no request is stored).
"""
from datetime import datetime, timezone
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.advice_text import fill
from actions.callback_form import YES
from actions.knowledge import knowledge
from bot.clinic_hours import OpeningHours, load_hours
from bot.phone import mask_phone


def confirmation(hours: OpeningHours, now: datetime, phone: str) -> str:
    """The answer to a stored request: "within N hours" when the clinic is open, else when."""
    texts = knowledge()["callback"]
    if hours.is_open(now):
        text = texts["within_hours"].replace("{hours}", str(hours.callback_within_hours))
    else:
        opening = hours.next_opening(now)
        when = opening.strftime("%A at %H:%M") if opening else "when it reopens"
        if opening and opening.date() == now.astimezone(hours.zone).date():
            when = opening.strftime("today at %H:%M")
        text = texts["outside_hours"].replace("{when}", when)
    return text.replace("{phone}", mask_phone(phone))


class ActionRequestCallback(Action):
    def name(self) -> Text:
        return "action_request_callback"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[Text, Any], now: Optional[datetime] = None) -> List[Dict[Text, Any]]:
        texts = knowledge()["callback"]
        phone = tracker.get_slot("callback_phone")
        if tracker.get_slot("callback_consent") != YES or not phone:
            dispatcher.utter_message(text=fill(texts["declined"]))
            return [SlotSet("callback_phone", None), SlotSet("callback_consent", None)]
        answer = confirmation(load_hours(), now or datetime.now(timezone.utc), phone)
        dispatcher.utter_message(text=fill(answer) + "\n" + fill(texts["safety"]))
        return [SlotSet("callback_consent", None)]  # a later request asks consent again
