"""TriagePolicy: the deterministic safety layer of the dialogue.

At every client turn it combines the red-flag findings of the whole conversation (set on each
message by RedFlagDetector) and:
- keeps the outcome slots `red_flags` and `triage_level` up to date (they never go down), whoever
  answers the turn;
- when a new code needs a referral, answers with the domain response for the level reached,
  interrupting any form (a response, not a custom action, so it works with the action server down);
- asks one direct question when a finding is uncertain ("not sure if it's swollen");
- after an emergency referral, keeps reminding instead of giving self-care advice until the client
  says they have been seen or are safe.
"""
import json
import re
from typing import Any, Dict, List, Optional, Text

from rasa.core.policies.policy import Policy, PolicyPrediction, SupportedData
from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.core.constants import ACTION_LISTEN_NAME, REQUESTED_SLOT
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActiveLoop, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.knowledge_files import fingerprint, read_yaml
from bot.settings import load_settings, settings_path
from bot.triage import rules as triage_rules
from bot.triage.conversation import TriageState, assess
from bot.triage.messages import TriageMessages

FINDINGS_KEY = "triage"
ESCALATE = "utter_escalate_{level}"
CHECK = "utter_check_flag"
REMINDER = "utter_triage_reminder"
NOTED = "utter_triage_noted"
OWN_RESPONSES = {CHECK, REMINDER, NOTED} | {
    ESCALATE.format(level=level) for level in triage_rules.LEVELS[1:]
}
_YES = re.compile(r"^\s*(y|yes|yeah|yea|yep|yup|ya|aye|it is|i am|i do|i have|correct|true)\b", re.I)
_NO = re.compile(r"^\s*(n|no|nope|nah|not really|it isn't|it's not|i'm not|i don't|i haven't)\b", re.I)


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT, is_trainable=True
)
class TriagePolicy(Policy):
    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {
            "priority": 10,
            "rules": "knowledge/red_flags.yml",
            "affirm_intent": "affirm",
            "deny_intent": "deny",
            "safe_intent": "confirm_safe",
            "allowed_after_emergency": [
                "goodbye", "thank", "bot_challenge", "request_human", "confirm_safe",
            ],
        }

    @classmethod
    def fingerprint_addon(cls, config: Dict[str, Any]) -> Optional[str]:
        return fingerprint([config["rules"], settings_path()])

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
        self.knowledge = knowledge or {
            "rules": read_yaml(config["rules"]),
            "settings": load_settings(),
        }
        self.rules = triage_rules.parse(self.knowledge["rules"])
        self.messages = TriageMessages(self.rules, self.knowledge["settings"])

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
        state, confirmed, answered_check = self._assess(tracker)
        events = self._slot_events(tracker, state, answered_check)
        latest_action = tracker.latest_action_name
        if latest_action in OWN_RESPONSES:
            if tracker.active_loop_name:
                return self._abstain(domain, events)  # the form asks its next question
            return self._predict(domain, ACTION_LISTEN_NAME, events)
        if latest_action != ACTION_LISTEN_NAME or not tracker.latest_message:
            return self._abstain(domain, events)
        return self._at_user_turn(tracker, domain, state, confirmed, events)

    def _at_user_turn(self, tracker, domain, state: TriageState, confirmed, events):
        intent = (tracker.latest_message.intent or {}).get("name")
        if state.escalating:
            return self._escalate(tracker, domain, state, state.escalating, events)
        if confirmed:
            return self._predict(domain, NOTED, events, [SlotSet("triage_message",
                                                                 self.messages.noted(confirmed))])
        asked = set(tracker.get_slot("flags_asked") or [])
        unasked = [code for code in state.uncertain if code not in asked]
        if unasked:
            code = unasked[0]
            return self._predict(domain, CHECK, events, [
                SlotSet("pending_flag", code),
                SlotSet("flags_asked", sorted(asked | {code})),
                SlotSet("triage_message", self.messages.question(code)),
            ])
        urgent = triage_rules.level_rank(state.level) >= triage_rules.level_rank("emergency")
        if (urgent and not self._safe(tracker, intent)
                and intent not in self.config["allowed_after_emergency"]):
            referred = [c for c in state.codes if self.rules.codes[c].level == state.level]
            return self._predict(domain, REMINDER, events, [
                SlotSet("triage_message", self.messages.reminder(state.level, referred))
            ])
        return self._abstain(domain, events)

    def _escalate(self, tracker, domain, state: TriageState, codes: List[str], events):
        optional = [SlotSet("triage_message", self.messages.referral(state.level, codes))]
        if tracker.active_loop_name and triage_rules.level_rank(state.level) > 2:
            optional += [ActiveLoop(None), SlotSet(REQUESTED_SLOT, None)]
        return self._predict(domain, ESCALATE.format(level=state.level), events, optional)

    # --- state ------------------------------------------------------------------------------
    def _assess(self, tracker: DialogueStateTracker):
        """The triage state, any code the client just confirmed, and whether a check was answered."""
        findings = [
            e.parse_data.get(FINDINGS_KEY, {})
            for e in tracker.applied_events() if isinstance(e, UserUttered)
        ]
        pending = tracker.get_slot("pending_flag")
        confirmed: List[str] = []
        answered = False
        if pending and tracker.latest_action_name == ACTION_LISTEN_NAME and tracker.latest_message:
            answer = self._yes_no(tracker)
            answered = True
            if answer:
                confirmed = [pending]
        state = assess(self.rules, findings, tracker.get_slot("red_flags"),
                       tracker.get_slot("triage_level"), confirmed)
        return state, [c for c in confirmed if c not in state.escalating], answered

    def _yes_no(self, tracker: DialogueStateTracker) -> Optional[bool]:
        intent = (tracker.latest_message.intent or {}).get("name")
        text = tracker.latest_message.text or ""
        if intent == self.config["deny_intent"] or _NO.match(text):
            return False
        if intent == self.config["affirm_intent"] or _YES.match(text):
            return True
        return None

    def _safe(self, tracker: DialogueStateTracker, intent: Optional[str]) -> bool:
        return bool(tracker.get_slot("safe_confirmed")) or intent == self.config["safe_intent"]

    def _slot_events(self, tracker, state: TriageState, answered_check: bool) -> List[SlotSet]:
        wanted = {"red_flags": state.codes or None, "triage_level": state.level}
        if answered_check:
            wanted["pending_flag"] = None
        intent = (tracker.latest_message.intent or {}).get("name") if tracker.latest_message else None
        if intent == self.config["safe_intent"]:
            wanted["safe_confirmed"] = True
        return [SlotSet(name, value) for name, value in wanted.items()
                if tracker.get_slot(name) != value]

    # --- predictions --------------------------------------------------------------------------
    def _predict(self, domain, action: str, events, optional=None) -> PolicyPrediction:
        probabilities = self._default_predictions(domain)
        probabilities[domain.index_for_action(action)] = 1.0
        return self._prediction(probabilities, events=events, optional_events=optional or [],
                                is_no_user_prediction=True)

    def _abstain(self, domain, events) -> PolicyPrediction:
        return self._prediction(self._default_predictions(domain), events=events)
