"""TriagePolicy: the deterministic safety layer of the dialogue.

Trackers are real DialogueStateTrackers over the project's domain. Each client message carries the
`triage` findings that RedFlagDetector would have added. `say` plays a turn the way Rasa's policy
ensemble applies a prediction: `events` always, `optional_events` and the action only when the
policy predicts one (another policy answers when it abstains).
"""
from typing import List, Optional

import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, ActiveLoop, Event, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.knowledge_files import knowledge_version, read_yaml
from bot.paths import ROOT
from bot.policies.triage_policy import TriagePolicy
from bot.settings import load_settings

FORM = "assessment_form"
SETTINGS = load_settings()
CODES = read_yaml("knowledge/red_flags.yml")["codes"]


@pytest.fixture(scope="module")
def domain():
    return Domain.load(str(ROOT / "domain.yml"))


@pytest.fixture(scope="module")
def context():
    return ExecutionContext(GraphSchema({}), "1")


def new_policy(path, context):
    return TriagePolicy.create({**TriagePolicy.get_default_config()}, LocalModelStorage(path),
                               Resource("triage"), context)


@pytest.fixture(scope="module")
def policy(tmp_path_factory, context):
    return new_policy(tmp_path_factory.mktemp("models"), context)


def user(text: str, intent: str = "inform", codes=(), uncertain=(), concepts=()) -> List[Event]:
    parse = {"intent": {"name": intent, "confidence": 1.0}, "entities": [], "text": text,
             "triage": {"codes": list(codes), "uncertain": list(uncertain),
                        "concepts": list(concepts), "mentions": []}}
    return [ActionExecuted("action_listen"),
            UserUttered(text, intent={"name": intent, "confidence": 1.0}, parse_data=parse)]


def tracker(domain, *events: Event, **slots) -> DialogueStateTracker:
    """A conversation past its first turn (its knowledge_version already set), unless told."""
    slots.setdefault("knowledge_version", "2026-12-01+earlier")
    history = [SlotSet(name, value) for name, value in slots.items() if value is not None]
    history += list(events)
    return DialogueStateTracker.from_events("client", history, slots=domain.slots)


def in_form(*events: Event) -> List[Event]:
    return [ActionExecuted(FORM), ActiveLoop(FORM), SlotSet("requested_slot", "spasm_onset"),
            *events]


def action_of(domain, prediction) -> Optional[str]:
    """The predicted action, or None when the policy abstains (all probabilities zero)."""
    if max(prediction.probabilities) == 0:
        return None
    return domain.action_names_or_texts[prediction.max_confidence_index]


def slot_sets(events) -> dict:
    return {e.key: e.value for e in events if isinstance(e, SlotSet)}


def say(policy, domain, conversation: DialogueStateTracker, *events: Event) -> List[str]:
    """Adds a client turn and lets the policy act until it listens or leaves the turn to others."""
    for event in events:
        conversation.update(event)
    actions = []
    for _ in range(5):
        prediction = policy.predict_action_probabilities(conversation, domain)
        for event in prediction.events:
            conversation.update(event)
        action = action_of(domain, prediction)
        if action is None or action == "action_listen":
            break
        for event in prediction.optional_events:
            conversation.update(event)
        conversation.update(ActionExecuted(action))
        actions.append(action)
    return actions


# --- escalation at a new red flag -------------------------------------------------------------------
def test_breathlessness_calls_for_an_ambulance(policy, domain):
    prediction = policy.predict_action_probabilities(
        tracker(domain, *user("I can't breathe", codes=["pe_signs"], concepts=["BREATHLESS"])), domain)
    assert action_of(domain, prediction) == "utter_escalate_emergency_ambulance"
    assert prediction.is_no_user_prediction is True
    assert slot_sets(prediction.events) == {"red_flags": ["pe_signs"],
                                            "triage_level": "emergency_ambulance"}
    message = slot_sets(prediction.optional_events)["triage_message"]
    assert SETTINGS["emergency_number"] in message
    assert CODES["pe_signs"]["mentioned"] in message
    assert "{" not in message


def test_self_harm_referral_gives_the_crisis_line(policy, domain):
    prediction = policy.predict_action_probabilities(
        tracker(domain, *user("I want to end it all", codes=["self_harm"])), domain)
    assert action_of(domain, prediction) == "utter_escalate_emergency_ambulance"
    assert SETTINGS["crisis_line"] in slot_sets(prediction.optional_events)["triage_message"]


@pytest.mark.parametrize("code, level", [
    ("pe_signs", "emergency_ambulance"),
    ("cauda_equina", "emergency"),
])
def test_emergency_interrupts_the_assessment_form(policy, domain, code, level):
    prediction = policy.predict_action_probabilities(
        tracker(domain, *in_form(*user("it started yesterday", codes=[code]))), domain)
    assert action_of(domain, prediction) == f"utter_escalate_{level}"
    deactivated = [e for e in prediction.optional_events if isinstance(e, ActiveLoop)]
    assert len(deactivated) == 1 and deactivated[0].name is None
    assert slot_sets(prediction.optional_events)["requested_slot"] is None


def test_consultation_referral_lets_the_form_carry_on(policy, domain):
    prediction = policy.predict_action_probabilities(
        tracker(domain, *in_form(*user("I had surgery last month", codes=["recent_surgery"]))), domain)
    assert action_of(domain, prediction) == "utter_escalate_consultation"
    assert not [e for e in prediction.optional_events if isinstance(e, ActiveLoop)]
    assert "requested_slot" not in slot_sets(prediction.optional_events)
    assert slot_sets(prediction.events) == {"red_flags": ["recent_surgery"],
                                            "triage_level": "consultation"}


def test_the_highest_level_of_several_codes_is_reached(policy, domain):
    prediction = policy.predict_action_probabilities(tracker(domain, *user(
        "my calf is swollen and I'm short of breath", codes=["dvt_signs", "pe_signs"])), domain)
    assert action_of(domain, prediction) == "utter_escalate_emergency_ambulance"
    assert slot_sets(prediction.events)["triage_level"] == "emergency_ambulance"
    message = slot_sets(prediction.optional_events)["triage_message"]
    assert CODES["dvt_signs"]["mentioned"] in message and CODES["pe_signs"]["mentioned"] in message


def test_a_caution_only_code_is_recorded_without_interrupting(policy, domain):
    prediction = policy.predict_action_probabilities(
        tracker(domain, *user("there's a cut on my calf", codes=["open_wound"])), domain)
    assert max(prediction.probabilities) == 0
    assert prediction.is_no_user_prediction is False
    assert slot_sets(prediction.events) == {"red_flags": ["open_wound"], "triage_level": "self_care"}


def test_an_ordinary_message_changes_nothing(policy, domain):
    prediction = policy.predict_action_probabilities(
        tracker(domain, *user("my calf is tight", concepts=["LEG"])), domain)
    assert max(prediction.probabilities) == 0
    assert prediction.events == [] and prediction.optional_events == []


def test_the_level_never_goes_down(policy, domain):
    conversation = tracker(domain, *user("I had surgery 3 weeks ago", codes=["recent_surgery"]),
                           triage_level="emergency", red_flags=["cauda_equina"])
    prediction = policy.predict_action_probabilities(conversation, domain)
    events = slot_sets(prediction.events)
    assert "triage_level" not in events
    assert sorted(events["red_flags"]) == ["cauda_equina", "recent_surgery"]
    assert "triage_level" not in slot_sets(prediction.optional_events)
    say(policy, domain, conversation)
    assert conversation.get_slot("triage_level") == "emergency"


# --- over a conversation --------------------------------------------------------------------------------
def test_a_code_is_escalated_once(policy, domain):
    conversation = tracker(domain)
    assert say(policy, domain, conversation, *user("my calf is swollen and red", codes=["dvt_signs"])) \
        == ["utter_escalate_consultation_24"]
    assert say(policy, domain, conversation, *user("ok", intent="affirm")) == []
    assert say(policy, domain, conversation, *user("it's still swollen", codes=["dvt_signs"])) == []
    assert conversation.get_slot("red_flags") == ["dvt_signs"]
    assert conversation.get_slot("triage_level") == "consultation_24"


def test_an_earlier_code_is_known_even_if_its_slot_was_lost(policy, domain):
    # a replayed or rewound conversation: the findings are there, the slot events are not
    conversation = tracker(domain,
                           *user("my calf is swollen and red", codes=["dvt_signs"]),
                           ActionExecuted("utter_escalate_consultation_24"),
                           *user("ok", intent="affirm"),
                           *user("it's still swollen", codes=["dvt_signs"]))
    prediction = policy.predict_action_probabilities(conversation, domain)
    assert max(prediction.probabilities) == 0
    assert slot_sets(prediction.events) == {"red_flags": ["dvt_signs"],
                                            "triage_level": "consultation_24"}


def test_a_message_that_skipped_the_nlu_pipeline_is_still_checked(policy, domain):
    # a button payload or a message injected through the API has no `triage` parse data
    message = UserUttered("I can't breathe and my chest hurts",
                          intent={"name": "inform", "confidence": 1.0},
                          parse_data={"intent": {"name": "inform", "confidence": 1.0},
                                      "entities": [], "text": "I can't breathe and my chest hurts"})
    prediction = policy.predict_action_probabilities(
        tracker(domain, ActionExecuted("action_listen"), message), domain)
    assert action_of(domain, prediction) == "utter_escalate_emergency_ambulance"
    # breathless (pe_signs), and chest pain on its own reads as cardiac (CONTRACT.md: either)
    assert "pe_signs" in slot_sets(prediction.events)["red_flags"]


def test_concepts_combine_across_turns(policy, domain):
    conversation = tracker(domain)
    assert say(policy, domain, conversation,
               *user("my back is in spasm", intent="report_spasm", concepts=["BACK"])) == []
    assert conversation.get_slot("red_flags") is None
    assert say(policy, domain, conversation,
               *user("and it burns when I pee now", concepts=["URINARY_CHANGE"])) \
        == ["utter_escalate_emergency"]
    assert conversation.get_slot("red_flags") == ["cauda_equina"]
    assert conversation.get_slot("triage_level") == "emergency"


def test_a_later_code_escalates_to_a_higher_level(policy, domain):
    conversation = tracker(domain)
    say(policy, domain, conversation, *user("I had an operation last month", codes=["recent_surgery"]))
    assert conversation.get_slot("triage_level") == "consultation"
    assert say(policy, domain, conversation, *user("and now I'm coughing blood", codes=["pe_signs"])) \
        == ["utter_escalate_emergency_ambulance"]
    assert conversation.get_slot("red_flags") == ["pe_signs", "recent_surgery"]
    assert conversation.get_slot("triage_level") == "emergency_ambulance"


# --- uncertain findings: the assistant asks -----------------------------------------------------------------
def asked_about_swelling(policy, domain):
    conversation = tracker(domain)
    actions = say(policy, domain, conversation,
                  *user("not sure if my calf is swollen", uncertain=["dvt_signs"]))
    return conversation, actions


def test_an_uncertain_finding_is_asked_about(policy, domain):
    prediction = policy.predict_action_probabilities(
        tracker(domain, *user("not sure if my calf is swollen", uncertain=["dvt_signs"])), domain)
    assert action_of(domain, prediction) == "utter_check_flag"
    assert prediction.is_no_user_prediction is True
    assert prediction.events == []  # nothing is flagged yet
    assert slot_sets(prediction.optional_events) == {
        "triage_message": CODES["dvt_signs"]["question"].strip()}


def test_yes_confirms_the_flag_and_escalates(policy, domain):
    conversation, actions = asked_about_swelling(policy, domain)
    assert actions == ["utter_check_flag"]
    assert say(policy, domain, conversation, *user("yes", intent="affirm")) \
        == ["utter_escalate_consultation_24"]
    assert conversation.get_slot("red_flags") == ["dvt_signs"]
    assert conversation.get_slot("triage_level") == "consultation_24"


def test_a_typed_yes_counts_even_if_classified_otherwise(policy, domain):
    conversation, _ = asked_about_swelling(policy, domain)
    assert say(policy, domain, conversation, *user("yeah it is", intent="inform")) \
        == ["utter_escalate_consultation_24"]


def test_no_clears_the_question_without_a_flag(policy, domain):
    conversation, _ = asked_about_swelling(policy, domain)
    assert say(policy, domain, conversation, *user("no", intent="deny")) == []
    assert conversation.get_slot("red_flags") is None
    assert conversation.get_slot("triage_level") is None


def test_the_same_question_is_not_asked_twice(policy, domain):
    conversation, _ = asked_about_swelling(policy, domain)
    say(policy, domain, conversation, *user("no", intent="deny"))
    assert say(policy, domain, conversation,
               *user("maybe it's a bit puffy", uncertain=["dvt_signs"])) == []


def test_a_confirmed_caution_is_noted(policy, domain):
    conversation = tracker(domain)
    assert say(policy, domain, conversation,
               *user("I might be pregnant", uncertain=["pregnancy"])) == ["utter_check_flag"]
    assert say(policy, domain, conversation, *user("yes", intent="affirm")) == ["utter_triage_noted"]
    assert conversation.get_slot("red_flags") == ["pregnancy"]
    assert conversation.get_slot("triage_level") == "self_care"
    assert CODES["pregnancy"]["meanwhile"] in conversation.get_slot("triage_message")


# --- after an emergency ---------------------------------------------------------------------------------------
EMERGENCY = {"triage_level": "emergency_ambulance", "red_flags": ["pe_signs"]}


def test_self_care_is_withheld_until_the_client_is_safe(policy, domain):
    prediction = policy.predict_action_probabilities(tracker(
        domain, *user("what stretch can I do?", intent="ask_stretching"), **EMERGENCY), domain)
    assert action_of(domain, prediction) == "utter_triage_reminder"
    message = slot_sets(prediction.optional_events)["triage_message"]
    assert SETTINGS["emergency_number"] in message
    assert CODES["pe_signs"]["mentioned"] in message


def called_an_ambulance(policy, domain):
    conversation = tracker(domain)
    assert say(policy, domain, conversation, *user("I can't breathe", codes=["pe_signs"])) \
        == ["utter_escalate_emergency_ambulance"]
    return conversation


def test_saying_they_are_safe_stops_the_reminders(policy, domain):
    conversation = called_an_ambulance(policy, domain)
    assert say(policy, domain, conversation,
               *user("the paramedics checked me, I'm fine", intent="confirm_safe")) == []
    assert say(policy, domain, conversation,
               *user("what stretch can I do?", intent="ask_stretching")) == []
    assert conversation.get_slot("triage_level") == "emergency_ambulance"
    assert conversation.get_slot("red_flags") == ["pe_signs"]


def test_safe_needs_to_say_how(policy, domain):
    conversation = called_an_ambulance(policy, domain)
    assert say(policy, domain, conversation, *user("ok", intent="confirm_safe")) == []
    assert say(policy, domain, conversation,
               *user("what stretch can I do?", intent="ask_stretching")) == ["utter_triage_reminder"]


def test_a_new_emergency_after_being_safe_brings_the_reminders_back(policy, domain):
    conversation = called_an_ambulance(policy, domain)
    say(policy, domain, conversation, *user("I've been seen at A&E", intent="confirm_safe"))
    assert say(policy, domain, conversation,
               *user("now I can't feel anything when I wipe", codes=["cauda_equina"])) \
        == ["utter_escalate_emergency_ambulance"]
    assert say(policy, domain, conversation,
               *user("what stretch can I do?", intent="ask_stretching")) == ["utter_triage_reminder"]


@pytest.mark.parametrize("intent", ["goodbye", "thank", "request_human"])
def test_leaving_or_asking_for_a_person_is_not_blocked(policy, domain, intent):
    prediction = policy.predict_action_probabilities(
        tracker(domain, *user("ok", intent=intent), **EMERGENCY), domain)
    assert max(prediction.probabilities) == 0


def test_no_reminder_below_emergency(policy, domain):
    prediction = policy.predict_action_probabilities(tracker(
        domain, *user("what stretch can I do?", intent="ask_stretching"),
        triage_level="consultation_24", red_flags=["dvt_signs"]), domain)
    assert max(prediction.probabilities) == 0


# --- after its own responses ----------------------------------------------------------------------------------------
def test_listens_after_its_own_response(policy, domain):
    conversation = tracker(domain, *user("I can't breathe", codes=["pe_signs"]),
                           ActionExecuted("utter_escalate_emergency_ambulance"),
                           red_flags=["pe_signs"], triage_level="emergency_ambulance")
    prediction = policy.predict_action_probabilities(conversation, domain)
    assert action_of(domain, prediction) == "action_listen"
    assert prediction.events == []


def test_lets_the_form_ask_its_next_question_after_its_own_response(policy, domain):
    conversation = tracker(domain, *in_form(*user("I had surgery", codes=["recent_surgery"])),
                           ActionExecuted("utter_escalate_consultation"),
                           red_flags=["recent_surgery"], triage_level="consultation")
    prediction = policy.predict_action_probabilities(conversation, domain)
    assert max(prediction.probabilities) == 0


def test_abstains_after_another_policys_action(policy, domain):
    conversation = tracker(domain, *user("my calf keeps cramping", intent="report_spasm"),
                           ActionExecuted("action_start_assessment"))
    assert max(policy.predict_action_probabilities(conversation, domain).probabilities) == 0


def test_listens_after_an_answer_outside_a_form(policy, domain):
    conversation = tracker(domain, *user("should I use heat or ice", intent="ask_heat_ice"),
                           ActionExecuted("action_answer_question"))
    prediction = policy.predict_action_probabilities(conversation, domain)
    assert action_of(domain, prediction) == "action_listen"


def test_a_misread_safe_message_with_no_referral_gets_an_answer(policy, domain):
    conversation = tracker(domain, *user("I'm a nurse on my feet all day, anything I can do at home?",
                                         intent="confirm_safe"))
    prediction = policy.predict_action_probabilities(conversation, domain)
    assert action_of(domain, prediction) == "action_answer_question"


# --- model storage -----------------------------------------------------------------------------------------------------
def test_train_and_load_round_trip(tmp_path, domain, context):
    storage = LocalModelStorage(tmp_path)
    trained = TriagePolicy.create({**TriagePolicy.get_default_config()}, storage, Resource("triage"),
                                  context)
    assert trained.train([], domain) == Resource("triage")
    loaded = TriagePolicy.load({**TriagePolicy.get_default_config()}, storage, Resource("triage"),
                               context)
    prediction = loaded.predict_action_probabilities(
        tracker(domain, *user("I can't breathe", codes=["pe_signs"])), domain)
    assert action_of(domain, prediction) == "utter_escalate_emergency_ambulance"


def test_a_loaded_model_keeps_the_clinic_settings_it_was_trained_with(tmp_path, domain, context,
                                                                      monkeypatch):
    settings = tmp_path / "clinic.yml"
    settings.write_text((ROOT / "settings" / "clinic.yml").read_text().replace(
        'emergency_number: "999"', 'emergency_number: "112"'))
    monkeypatch.setenv("CLINIC_SETTINGS", str(settings))
    (tmp_path / "model").mkdir()
    storage = LocalModelStorage(tmp_path / "model")
    TriagePolicy.create({**TriagePolicy.get_default_config()}, storage, Resource("triage"),
                        context).train([], domain)
    monkeypatch.delenv("CLINIC_SETTINGS")
    loaded = TriagePolicy.load({**TriagePolicy.get_default_config()}, storage, Resource("triage"),
                               context)
    prediction = loaded.predict_action_probabilities(
        tracker(domain, *user("I can't breathe", codes=["pe_signs"])), domain)
    message = slot_sets(prediction.optional_events)["triage_message"]
    assert "call 112" in message and "999" not in message


def test_every_level_has_its_escalation_response(domain):
    for level in ("consultation", "consultation_24", "emergency", "emergency_ambulance"):
        assert f"utter_escalate_{level}" in domain.responses
    for response in ("utter_check_flag", "utter_triage_reminder", "utter_triage_noted"):
        assert "{triage_message}" in domain.responses[response][0]["text"]


def test_the_knowledge_version_is_set_once_at_the_first_turn(policy, domain):
    conversation = tracker(domain, UserUttered("hi", {"name": "greet"}), knowledge_version=None)
    prediction = policy.predict_action_probabilities(conversation, domain)
    assert slot_sets(prediction.events)["knowledge_version"] == knowledge_version()
    later = tracker(domain, UserUttered("hi", {"name": "greet"}))
    prediction = policy.predict_action_probabilities(later, domain)
    assert "knowledge_version" not in slot_sets(prediction.events)
