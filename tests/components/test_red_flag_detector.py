"""RedFlagDetector: the red-flag and caution codes of knowledge/red_flags.yml on every message.

Created, trained and loaded the way Rasa's graph does it, so the tests also prove the rule file is
kept in the model (a trained model does not depend on the rule file on disk).
"""
import shutil

import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.components.red_flag_detector import RedFlagDetector
from bot.paths import KNOWLEDGE, SPACY_PIPELINE
from bot.policies.triage_policy import FINDINGS_KEY

RESOURCE = Resource("red_flag_detector")


def config(**overrides):
    return {**RedFlagDetector.get_default_config(), "spacy_model": str(SPACY_PIPELINE), **overrides}


@pytest.fixture(scope="module")
def storage(tmp_path_factory):
    return LocalModelStorage(tmp_path_factory.mktemp("models"))


@pytest.fixture(scope="module")
def context():
    return ExecutionContext(GraphSchema({}), "1")


@pytest.fixture(scope="module")
def detector(storage, context):
    """A detector as a trained model has it: created, trained, then loaded from model storage."""
    created = RedFlagDetector.create(config(), storage, RESOURCE, context)
    assert created.train(TrainingData()) == RESOURCE
    return RedFlagDetector.load(config(), storage, RESOURCE, context)


def triage(detector, text):
    message = Message(data={"text": text})
    assert detector.process([message]) == [message]
    return message.get(FINDINGS_KEY)


@pytest.mark.parametrize("text, code", [
    ("I can't breathe", "pe_signs"),
    ("I've got chest pain when I breathe in", "pe_signs"),
    ("my calf is swollen and red", "dvt_signs"),
    ("my left calf is hot and swollen", "dvt_signs"),
    ("I can't feel anything when I wipe", "cauda_equina"),
    ("I'm pregnant and my calves cramp at night", "pregnancy"),
    ("there's an open wound on my shin", "open_wound"),
])
def test_a_finding_sets_its_code(detector, text, code):
    assert code in triage(detector, text)["codes"]


def test_findings_have_every_field_the_policy_reads(detector):
    found = triage(detector, "I can't breathe")
    assert {"codes", "uncertain", "concepts", "mentions", "language"} <= set(found)
    assert found["language"] is None  # English
    assert found["codes"] == ["pe_signs"]
    assert "BREATHLESS" in found["concepts"]
    assert found["mentions"] and found["mentions"][0]["status"] == "affirmed"


@pytest.mark.parametrize("text", [
    "my calf is tight",
    "how do I stretch my hamstring?",
    "should I use heat or ice",
])
def test_an_ordinary_spasm_sets_no_code(detector, text):
    found = triage(detector, text)
    assert found["codes"] == [] and found["uncertain"] == []


@pytest.mark.parametrize("text, code", [
    ("not sure if my calf is swollen", "dvt_signs"),
    ("I might be pregnant", "pregnancy"),
])
def test_an_uncertain_finding_is_uncertain_not_a_code(detector, text, code):
    found = triage(detector, text)
    assert code in found["uncertain"]
    assert code not in found["codes"]


@pytest.mark.parametrize("text", [
    "no swelling in my calf",
    "my dad had a clot in his leg",
    "what are the signs of a clot?",
])
def test_negated_someone_elses_or_informational_mentions_set_no_code(detector, text):
    assert "dvt_signs" not in triage(detector, text)["codes"]


def test_concepts_are_kept_for_combining_across_turns(detector):
    # "my back" alone is no red flag, but its concept lets the policy combine it with a later turn
    found = triage(detector, "my back is in spasm")
    assert found["codes"] == []
    assert "BACK" in found["concepts"]


def test_processes_every_message_of_a_batch(detector):
    messages = [Message(data={"text": "I can't breathe"}), Message(data={"text": "my calf is tight"})]
    detector.process(messages)
    assert [m.get(FINDINGS_KEY)["codes"] for m in messages] == [["pe_signs"], []]


def test_a_message_without_text_gets_empty_findings(detector):
    message = Message(data={})
    detector.process([message])
    assert message.get(FINDINGS_KEY)["codes"] == []


def test_loaded_model_keeps_its_rules_when_the_rule_file_is_gone(tmp_path, context):
    rules = tmp_path / "red_flags.yml"
    shutil.copy(KNOWLEDGE / "red_flags.yml", rules)
    (tmp_path / "model").mkdir()
    storage = LocalModelStorage(tmp_path / "model")
    # the rules alone: the second opinion (a minute to train) is the module fixture's
    RedFlagDetector.create(config(knowledge=str(rules), second_opinion=False), storage, RESOURCE,
                           context).train(TrainingData())
    rules.unlink()
    loaded = RedFlagDetector.load(config(knowledge=str(rules)), storage, RESOURCE, context)
    assert triage(loaded, "I can't breathe")["codes"] == ["pe_signs"]


@pytest.mark.parametrize("name", ["RULES", "LEXICON"])
def test_the_knowledge_files_are_part_of_the_training_fingerprint(tmp_path, monkeypatch, name):
    from bot.triage import service

    copy = tmp_path / "knowledge.yml"
    shutil.copy(service.resolve(getattr(service, name)), copy)
    monkeypatch.setattr(service, name, str(copy))
    before = RedFlagDetector.fingerprint_addon(config())
    copy.write_text(copy.read_text() + "\n# reviewed again\n")
    assert RedFlagDetector.fingerprint_addon(config()) != before


def test_the_second_opinion_corpus_is_part_of_the_training_fingerprint():
    from bot.triage.service import knowledge_files

    assert any(p.suffix == ".jsonl" for p in knowledge_files())
