"""The call-back form: the client's consent, then the number to call (issue 17, point 3).

A number given with the request ("can someone call me back? my number is 07700 900123") is taken
then, so only consent is asked. "No" (or "stop") to either question ends the form with consent
refused: action_request_callback then gives the clinic's contact instead and forgets the number.
Nothing here logs what the client typed: a number appears only in the stored request.
"""
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import FormValidationAction, Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.advice_text import fill
from actions.knowledge import knowledge
from bot.phone import find_phone

YES, NO = "yes", "no"
_YES_WORDS = {"yes", "y", "yeah", "yep", "ok", "okay", "sure", "please", "yes please", "fine",
              "go ahead", "that's ok", "thats ok", "that's fine", "yes, call me"}
_NO_WORDS = {"no", "n", "nope", "no thanks", "no thank you", "don't", "dont", "never mind"}
_DECLINING = {"deny", "stop", "goodbye"}


def _intent(tracker: Tracker) -> Optional[str]:
    return tracker.latest_message.get("intent", {}).get("name")


def _text(tracker: Tracker) -> str:
    return (tracker.latest_message.get("text") or "").strip()


def consent_in(tracker: Tracker) -> Optional[str]:
    """"yes", "no" or None: what the latest message says to "is that OK?". A number given in
    answer counts as yes (the client chose to give it)."""
    words = _text(tracker).lower().strip(" .!")
    if words in _NO_WORDS or _intent(tracker) in _DECLINING:
        return NO
    if words in _YES_WORDS or _intent(tracker) == "affirm" or find_phone(words):
        return YES
    return None


class ValidateCallbackForm(FormValidationAction):
    """Reads consent and the number; a refusal ends the form (no more slots required)."""

    def name(self) -> Text:
        return "validate_callback_form"

    async def required_slots(self, domain_slots: List[Text], dispatcher: CollectingDispatcher,
                             tracker: Tracker, domain: DomainDict) -> List[Text]:
        if tracker.slots.get("callback_consent") == NO:
            return []  # refused: the form is done, action_request_callback says what to do instead
        return domain_slots

    async def extract_callback_consent(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                       domain: DomainDict) -> Dict[Text, Any]:
        if tracker.get_slot("requested_slot") != "callback_consent":
            return {}
        answer = consent_in(tracker)
        return {"callback_consent": answer} if answer else {}

    async def extract_callback_phone(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                     domain: DomainDict) -> Dict[Text, Any]:
        asked = tracker.get_slot("requested_slot")
        number = find_phone(_text(tracker))
        if asked is None or asked == "callback_consent":  # given with the request or the consent
            return {"callback_phone": number} if number else {}
        if asked != "callback_phone":
            return {}
        if number:
            return {"callback_phone": number}
        if consent_in(tracker) == NO:
            return {"callback_consent": NO}
        dispatcher.utter_message(text=fill(knowledge()["callback"]["not_a_number"]))
        return {}
