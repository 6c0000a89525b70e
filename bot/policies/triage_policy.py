"""TriagePolicy: the deterministic safety layer of the dialogue.

At every client turn it combines the red-flag findings of the whole conversation (set on each
message by RedFlagDetector, or found here for a message that skipped the NLU pipeline) and:
- keeps the outcome slots `red_flags` and `triage_level` up to date (they never go down), whoever
  answers the turn;
- when a new code needs a referral, answers with the domain response for the level reached,
  interrupting any form (a response, not a custom action, so it works with the action server down);
- asks one direct question when a finding is uncertain ("not sure if it's swollen");
- after an emergency referral, keeps reminding instead of giving self-care advice until the client
  says they have been seen or assessed (a paramedic, a doctor, 111); "I'm fine" is not enough.
"""
import json
import re
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Text

from rasa.core.policies.policy import Policy, PolicyPrediction, SupportedData
from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.core.constants import ACTION_LISTEN_NAME, REQUESTED_SLOT
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, ActiveLoop, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.knowledge_files import clinical_facts, fingerprint, knowledge_paths, knowledge_version
from bot.nlp import load_pipeline
from bot.settings import load_settings, settings_path
from bot.triage import rules as triage_rules
from bot.triage.conversation import TriageState, assess
from bot.triage.messages import TriageMessages
from bot.triage.service import Triage, knowledge_files, read_knowledge

FINDINGS_KEY = "triage"
ESCALATE = "utter_escalate_{level}"
CHECK = "utter_check_flag"
REMINDER = "utter_triage_reminder"
NOTED = "utter_triage_noted"
OWN_RESPONSES = {CHECK, REMINDER, NOTED} | {
    ESCALATE.format(level=level) for level in triage_rules.LEVELS[1:]
}
_YES = re.compile(r"^\s*(y|yes|yeah|yea|yep|yup|ya|aye|it is|i am|i do|i have|correct|true)\b", re.I)
# Leaving an emergency needs a statement that someone assessed the client: a paramedic, a doctor, a
# nurse, 111 or 999 (a call handler), a hospital. "I'm fine" or "I don't need 999" is not one.
_SEEN = re.compile(
    r"\b(been|got|was|were|gotten|getting|get) (seen|checked|examined|assessed|looked at|discharged)\b"
    r"|\b(seen|checked|examined|assessed|checked over|looked at|cleared) (by|at|in)\b"
    r"|\b(paramedics?|ambulance( crew)?|doctors?|dr|gp|nurses?|a&e|hospital|111|999|consultant|"
    r"medics?|call handler) (came|come|checked|saw|has seen|have seen|examined|said|says|told|cleared|"
    r"assessed|looked|think|thinks|reckons?)\b"
    r"|\b(spoke|spoken|speaking|talked|talking) (to|with) (111|999|an? |the |my )?(doctor|gp|nurse|"
    r"paramedics?|ambulance|hospital|a&e|111|999|call handler|samaritans|crisis (line|team)|"
    r"mental health (team|nurse|line))"
    r"|\b(called|rang|phoned|ringing|calling|rung|dialled|dialed) (999|111|an ambulance|the ambulance|"
    r"for an ambulance|my gp|the gp|a doctor|the doctor)\b"
    r"|\b(at|in|back from|been to|went to|gone to|home from|out of) (the )?(a&e|a and e|hospital|"
    r"er|urgent care|walk-in|gp|doctors?'?s?)\b"
    r"|\b(discharged|all clear|given the all clear)\b", re.I)
# "I haven't been seen", "didn't call 999", "not going to hospital"
_NOT_SEEN = re.compile(
    r"\b(not|haven'?t|havent|hasn'?t|didn'?t|didnt|never|no|won'?t|wont|don'?t|dont|can'?t|cant|"
    r"refuse|rather not|no way)\b[^.!?]{0,25}\b(seen|checked|called|rang|phoned|ring|call|been|spoke|"
    r"spoken|gone|go|going|went|need|examined|assessed)\b", re.I)
_UNSURE = re.compile(r"\b(not sure|unsure|don'?t know|dunno|no idea|maybe|might be|can'?t tell|"
                     r"hard to (tell|say)|possibly|perhaps|a (little|bit)|kind of|sort of)\b", re.I)
_NO = re.compile(r"^\s*(n|no|nope|nah|not really|it isn't|it's not|i'm not|i don't|i haven't)\b", re.I)


@dataclass
class History:
    findings: List[Dict[str, Any]] = field(default_factory=list)
    asked: List[str] = field(default_factory=list)
    confirmed: Optional[str] = None
    safe: bool = False
    referred: bool = False


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT, is_trainable=True
)
class TriagePolicy(Policy):
    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {
            "priority": 10,
            "spacy_model": "build/spacy_en",
            "affirm_intent": "affirm",
            "deny_intent": "deny",
            "safe_intent": "confirm_safe",
            "answer_action": "action_answer_question",
            "non_english_intent": "non_english",
            "allowed_after_emergency": [
                "goodbye", "thank", "bot_challenge", "request_human", "confirm_safe",
            ],
        }

    @classmethod
    def fingerprint_addon(cls, config: Dict[str, Any]) -> Optional[str]:
        return fingerprint(knowledge_files() + knowledge_paths() + [settings_path()])

    @staticmethod
    def supported_data() -> SupportedData:
        return SupportedData.ML_AND_RULE_DATA

    def __init__(
        self,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        featurizer: Any = None,
        knowledge: Optional[Dict[str, Any]] = None,
    ) -> None:
        super().__init__(config, model_storage, resource, execution_context, featurizer)
        self.knowledge = knowledge or {**read_knowledge(), "settings": load_settings(),
                                       "facts": clinical_facts(), "version": knowledge_version()}
        # rules, normalisation and languages; the statistical second opinion lives in the NLU
        # component, whose findings every message normally carries
        self.triage = Triage.build(self.knowledge, load_pipeline(config["spacy_model"]))
        self.rules = self.triage.rules
        self.messages = TriageMessages(self.rules, {**self.knowledge["settings"],
                                                    **self.knowledge.get("facts", {})})

    def train(self, training_trackers: List[Any], domain: Domain, **kwargs: Any) -> Resource:
        with self._model_storage.write_to(self._resource) as directory:
            (directory / "knowledge.json").write_text(json.dumps(self.knowledge))
        return self._resource

    @classmethod
    def load(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> "TriagePolicy":
        with model_storage.read_from(resource) as directory:
            knowledge = json.loads((directory / "knowledge.json").read_text())
        return cls(config, model_storage, resource, execution_context, knowledge=knowledge)

    # --- prediction --------------------------------------------------------------------------
    def predict_action_probabilities(
        self,
        tracker: DialogueStateTracker,
        domain: Domain,
        rule_only_data: Optional[Dict[Text, Any]] = None,
        **kwargs: Any,
    ) -> PolicyPrediction:
        history = self._history(tracker)
        confirmed = [history.confirmed] if history.confirmed else []
        state = assess(self.rules, history.findings, tracker.get_slot("red_flags"),
                       tracker.get_slot("triage_level"), confirmed)
        if history.confirmed in state.escalating:
            history.confirmed = None  # the referral says it all
        events = self._slot_events(tracker, state, self.knowledge.get("version"))
        latest_action = tracker.latest_action_name
        if latest_action in OWN_RESPONSES:
            if tracker.active_loop_name:
                return self._abstain(domain, events)  # the form asks its next question
            if latest_action == ESCALATE.format(level="consultation") and self._asks(tracker):
                # A non-urgent referral does not leave the question unanswered.
                return self._predict(domain, self.config["answer_action"], events)
            return self._predict(domain, ACTION_LISTEN_NAME, events)
        if latest_action == self.config["answer_action"] and not tracker.active_loop_name:
            return self._predict(domain, ACTION_LISTEN_NAME, events)
        if latest_action != ACTION_LISTEN_NAME or not tracker.latest_message:
            return self._abstain(domain, events)
        return self._at_user_turn(tracker, domain, state, history, events)

    def _at_user_turn(self, tracker, domain, state: TriageState, history: "History", events):
        intent = (tracker.latest_message.intent or {}).get("name")
        if state.escalating:
            return self._escalate(tracker, domain, state, history, events)
        local = self._in_their_language(history)
        if local and intent == self.config["non_english_intent"]:
            # in their language: the assistant reads English only, and the emergency number
            return self._predict(domain, NOTED, events, [SlotSet("triage_message", local)])
        if history.confirmed:
            text = self.messages.noted(history.confirmed)
            return self._predict(domain, NOTED, events, [SlotSet("triage_message", text)])
        unasked = [code for code in state.uncertain if code not in history.asked]
        if unasked:
            text = self.messages.question(unasked[0])
            return self._predict(domain, CHECK, events, [SlotSet("triage_message", text)])
        if intent == self.config["safe_intent"] and not history.referred:
            # "I'm safe" with no referral to be safe from: the classifier misread a question.
            return self._predict(domain, self.config["answer_action"], events)
        urgent = triage_rules.level_rank(state.level) >= triage_rules.level_rank("emergency")
        if urgent and not history.safe and intent not in self.config["allowed_after_emergency"]:
            referred = [c for c in state.codes if self.rules.codes[c].level == state.level]
            text = self.messages.reminder(state.level, referred, self._said(history, referred))
            return self._predict(domain, REMINDER, events, [SlotSet("triage_message", text)])
        return self._abstain(domain, events)

    def _escalate(self, tracker, domain, state: TriageState, history: "History", events):
        """Refer at the level reached, naming the new findings and those that set the level."""
        reasons = list(dict.fromkeys(
            [c for c in state.codes if self.rules.codes[c].level == state.level]
            + state.escalating))
        text = self.messages.referral(state.level, reasons, self._said(history, reasons))
        local = self._in_their_language(history)
        optional = [SlotSet("triage_message", f"{local}\n\n{text}" if local else text)]
        emergency = triage_rules.level_rank(state.level) >= triage_rules.level_rank("emergency")
        if tracker.active_loop_name and emergency:
            optional += [ActiveLoop(None), SlotSet(REQUESTED_SLOT, None)]
        return self._predict(domain, ESCALATE.format(level=state.level), events, optional)

    # --- state ------------------------------------------------------------------------------
    def _history(self, tracker: DialogueStateTracker) -> "History":
        """What the conversation so far says, read from its events (not from slots, which a
        rewind or a test replay may lose): findings per message, check questions asked, the
        code the client just confirmed, and whether they said they are safe after an emergency."""
        history = History()
        last_action = None
        for event in tracker.applied_events():
            if isinstance(event, UserUttered):
                found = self._findings(event)
                history.findings.append(found)
                if self._emergency(found):
                    history.safe = False
                elif self._says_safe(event):
                    history.safe = True
                history.confirmed = None
                if last_action == CHECK and history.asked and self._yes_no(event):
                    history.confirmed = history.asked[-1]
                last_action = None  # only the first message after a question answers it
            elif isinstance(event, ActionExecuted):
                if event.action_name == CHECK and history.findings:
                    fresh = [c for c in history.findings[-1].get("uncertain", [])
                             if c not in history.asked]
                    history.asked += fresh[:1]
                if event.action_name != ACTION_LISTEN_NAME:
                    last_action = event.action_name
                history.referred |= (event.action_name or "").startswith("utter_escalate_")
        return history

    def _said(self, history: "History", codes: List[str]) -> Dict[str, List[str]]:
        """Per code, the concepts of its lines the client reported (in the order they said
        them), so the referral names what they said and nothing else."""
        mentions = [m for found in history.findings for m in found.get("mentions", [])
                    if m.get("status") in ("affirmed", "uncertain", "resolved")]
        said = {}
        for code in codes:
            spec = self.rules.codes[code]
            concepts = set().union(*spec.when, *spec.ask_when)
            said[code] = list(dict.fromkeys(m["concept"] for m in mentions
                                            if m["concept"] in concepts))
        return said

    def _in_their_language(self, history: "History") -> Optional[str]:
        """The reply of knowledge/languages/ for the language of the client's latest message."""
        language = (history.findings[-1] if history.findings else {}).get("language")
        if not language or not self.triage.languages:
            return None
        return self.triage.languages.reply(language, self.knowledge["settings"])

    def _emergency(self, findings: Dict[str, Any]) -> bool:
        level = self.rules.level_of(findings.get("codes", []))
        return triage_rules.level_rank(level) >= triage_rules.level_rank("emergency")

    @staticmethod
    def _asks(tracker: DialogueStateTracker) -> bool:
        return ((tracker.latest_message.intent or {}).get("name") or "").startswith("ask_")

    def _findings(self, message: UserUttered) -> Dict[str, Any]:
        """RedFlagDetector's findings; run here when a message skipped the NLU pipeline
        (a "/intent" payload, a message injected through the API, a test story)."""
        found = message.parse_data.get(FINDINGS_KEY)
        return found if found is not None else self.triage.detect(message.text or "")

    def _yes_no(self, message: UserUttered) -> bool:
        """Whether the client answered yes to a check question."""
        intent = (message.intent or {}).get("name")
        text = message.text or ""
        if _UNSURE.search(text):
            return True  # an uncertain answer never clears a flag
        if intent == self.config["deny_intent"] or _NO.match(text):
            return False
        return intent == self.config["affirm_intent"] or bool(_YES.match(text))

    @staticmethod
    def _says_safe(message: UserUttered) -> bool:
        """Whether the client says they have been seen or assessed since the emergency (whatever
        the message also asks: "the paramedics checked me, what stretch can I do?")."""
        text = message.text or ""
        return bool(_SEEN.search(text)) and not _NOT_SEEN.search(text)

    @staticmethod
    def _slot_events(tracker, state: TriageState, version: Optional[str]) -> List[SlotSet]:
        """The outcome slots, and the knowledge version once, at the conversation's first turn."""
        wanted = {"red_flags": state.codes or None, "triage_level": state.level}
        events = [SlotSet(name, value) for name, value in wanted.items()
                  if tracker.get_slot(name) != value]
        if version and not tracker.get_slot("knowledge_version"):
            events.append(SlotSet("knowledge_version", version))
        return events

    # --- predictions --------------------------------------------------------------------------
    def _predict(self, domain, action: str, events, optional=None) -> PolicyPrediction:
        probabilities = self._default_predictions(domain)
        probabilities[domain.index_for_action(action)] = 1.0
        return self._prediction(probabilities, events=events, optional_events=optional or [],
                                is_no_user_prediction=True)

    def _abstain(self, domain, events) -> PolicyPrediction:
        return self._prediction(self._default_predictions(domain), events=events)
