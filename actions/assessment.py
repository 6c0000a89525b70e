"""The assessment form (AS1, AS3, AS4, AS5, CI2, CI3) and the advice that fits its answers."""
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import memory, reading
from actions.advice_text import Part, advised_messages, buttons, entry_parts, outcome_events, stretch_text
from actions.knowledge import knowledge
from bot.questions import looks_like_question

SKIPPED = "skipped"
FOLLOW_UP = "follow_up"  # "so which one should I use?": answered by action_follow_up, not an answer
# Messages that are not answers to the question asked: the form lets other rules answer them.
# Anything else counts as an answer, even when the classifier is unsure what it is ("dancing").
SURE = 0.6
NOT_AN_ANSWER = {"stop", "goodbye", "request_human", "request_callback", "bot_challenge",
                 "ask_capabilities", "non_english", "confirm_safe"}


def _intent(tracker: Tracker) -> Optional[str]:
    return tracker.latest_message.get("intent", {}).get("name")


def _named_area(tracker: Tracker) -> Optional[str]:
    areas = [e["value"] for e in tracker.latest_message.get("entities", [])
             if e.get("entity") == "body_part"]
    return areas[0] if areas else None


class ValidateAssessmentForm(FormValidationAction):
    """Takes each answer as the client wrote it; `skip` leaves a question unanswered.

    Whatever the client has said in this conversation fills its slot, asked or not (actions/memory.py):
    at the form's start from every message of the session, afterwards from each new message. An
    answer that says other items and nothing this question's rules can read is not taken as this
    answer ("about 6 out of 10" when asked when it started fills the severity, not the onset).
    """

    def name(self) -> Text:
        return "validate_assessment_form"

    def _answer(self, slot: str, tracker: Tracker) -> Dict[Text, Any]:
        intent = _intent(tracker)
        if tracker.get_slot("requested_slot") != slot:
            return self._remembered(slot, tracker)
        if intent == "skip":
            return {slot: SKIPPED}
        text = tracker.latest_message.get("text")
        confidence = tracker.latest_message.get("intent", {}).get("confidence", 0)
        asking = ((intent or "").startswith("ask_") or intent == FOLLOW_UP) and (
            looks_like_question(text) or _requests_instead(slot, tracker, confidence))
        if intent == "stop" or (intent in NOT_AN_ANSWER and confidence >= SURE) or asking:
            return {}
        said = memory.said_in(tracker.latest_message)
        if slot in said:
            return {slot: said[slot]}
        if said and not _readable(slot, text):
            return {}
        return {slot: text}

    @staticmethod
    def _first_message(tracker: Tracker) -> bool:
        return tracker.get_slot("requested_slot") is None

    def _remembered(self, slot: str, tracker: Tracker) -> Dict[Text, Any]:
        """The slot from what was said without being asked: the whole session at the form's start,
        the latest message afterwards. A slot already filled keeps its value."""
        if tracker.get_slot(slot) is not None:
            return {}
        if self._first_message(tracker):
            said = memory.remembered(tracker)
        else:
            said = memory.said_in(tracker.latest_message)
        return {slot: said[slot]} if slot in said else {}

    async def extract_spasm_area(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                 domain: DomainDict) -> Dict[Text, Any]:
        area = _named_area(tracker)
        if area and (self._first_message(tracker) or tracker.get_slot("requested_slot") == "spasm_area"):
            return {"spasm_area": area}
        return self._answer("spasm_area", tracker)

    async def extract_spasm_onset(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                  domain: DomainDict) -> Dict[Text, Any]:
        text = tracker.latest_message.get("text")
        if self._first_message(tracker):
            known = reading.has_explicit_time(text) and reading.onset_kind(
                text, knowledge()["assessment"]["onset"])
            return {"spasm_onset": text} if known else self._remembered("spasm_onset", tracker)
        return self._answer("spasm_onset", tracker)

    async def extract_spasm_activity(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                     domain: DomainDict) -> Dict[Text, Any]:
        text = tracker.latest_message.get("text")
        if self._first_message(tracker):
            known = reading.trigger_key(text, knowledge()["triggers"])
            if known and known != "unknown":
                return {"spasm_activity": text}
            return self._remembered("spasm_activity", tracker)
        return self._answer("spasm_activity", tracker)

    async def extract_spasm_severity(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                     domain: DomainDict) -> Dict[Text, Any]:
        return self._answer("spasm_severity", tracker)

    async def extract_medical_history(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                      domain: DomainDict) -> Dict[Text, Any]:
        if tracker.get_slot("requested_slot") != "medical_history":
            return {}
        return self._answer("medical_history", tracker)


def _requests_instead(slot: str, tracker: Tracker, confidence: float) -> bool:
    """A confident self-care request that says nothing this question can read ("show me a
    stretch" when asked when it started) asks for something else; it is answered, then the
    question comes again. The medical history question reads no answer this way: anything said
    there counts."""
    if slot == "medical_history" or confidence < SURE:
        return False
    if slot == "spasm_area":
        return _named_area(tracker) is None
    return not _readable(slot, tracker.latest_message.get("text"))


def _readable(slot: str, text: Optional[str]) -> bool:
    """Whether the rules for this slot's question can read anything in the answer."""
    k = knowledge()
    readers = {
        "spasm_onset": lambda: reading.onset_kind(text, k["assessment"]["onset"]),
        "spasm_activity": lambda: reading.trigger_key(text, k["triggers"]),
        "spasm_severity": lambda: (reading.severity_score(text, k["assessment"]["severity"]) is not None
                                   or reading.cannot_move(text, k["assessment"]["severity"])),
    }
    return bool(readers.get(slot, lambda: False)())


def personal_advice(slots: Dict[str, Any]) -> List[Part]:
    """The advice for a completed assessment, as parts (topics, text): one message each."""
    k = knowledge()
    answers = k["answers"]
    area = slots.get("spasm_area") if slots.get("spasm_area") in k["stretches"] else None
    onset = reading.onset_kind(slots.get("spasm_onset"), k["assessment"]["onset"])
    trigger = reading.trigger_key(slots.get("spasm_activity"), k["triggers"]) or "unknown"
    score = reading.severity_score(slots.get("spasm_severity"), k["assessment"]["severity"])
    stuck = reading.cannot_move(slots.get("spasm_severity"), k["assessment"]["severity"])

    advice = k["assessment"]["advice"]  # the sentences, as the clinician signed them off
    by_onset = advice["by_onset"][onset if onset in ("acute", "chronic") else "unknown"]
    parts: List[Part] = [(list(by_onset["topics"]), by_onset["text"])]
    if area:
        stretch = k["stretches"][area]
        parts += [(["stretching"], advice["stretch_lead"] + "\n" + stretch_text(area)),
                  (["self_massage"], advice["self_massage_lead"] + " " + stretch["self_massage"])]
    else:
        parts += entry_parts(answers["ask_stretching"])
    prevention = k["triggers"][trigger]
    parts.append((list(prevention.get("topics", [])),
                  advice["prevention_lead"] + " " + prevention["text"].strip()))
    if (score is not None and score >= k["assessment"]["severity"]["see_someone_from"]) or stuck:
        parts.append((list(advice["seek_help"]["topics"]), advice["seek_help"]["text"]))
    return parts


class ActionPersonalAdvice(Action):
    def name(self) -> Text:
        return "action_personal_advice"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        messages, topics = advised_messages(tracker, personal_advice(tracker.slots),
                                            lead=knowledge()["assessment"]["advice"]["lead"], separate=True)
        for text in messages[:-1]:
            dispatcher.utter_message(text=text)
        dispatcher.utter_message(text=messages[-1],
                                 buttons=buttons(knowledge()["answers"]["general"]))
        return outcome_events(tracker, topics)
