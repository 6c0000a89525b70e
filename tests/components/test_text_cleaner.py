"""TextCleaner: the first NLU step replaces a message's text with `clean(text)`, so a lone UTF-16
surrogate, a NUL or other control characters cannot make spaCy raise and drop the whole turn.

Units on Messages, the NLU chain that used to raise (SpacyNLP -> SpacyTokenizer ->
RedFlagDetector), the pipeline wiring of config.yml, and the real assistant over HTTP: a damaged
message with a red flag is still referred, and the client's original text is kept in the tracker.
"""
import json
import time

import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.recipes.recipe import Recipe
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.nlu.tokenizers.spacy_tokenizer import SpacyTokenizer
from rasa.nlu.utils.spacy_utils import SpacyNLP
from rasa.shared.data import TrainingType
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from rasa.shared.utils.io import read_yaml_file

from bot.components.red_flag_detector import RedFlagDetector
from bot.components.text_cleaner import TextCleaner
from bot.paths import ROOT, SPACY_PIPELINE
from bot.policies.triage_policy import FINDINGS_KEY
from tests.e2e.support import Chat, describe, flags, post_raw, text_of

RED_FLAG = "my calf is swollen and hot and now I am short of breath"
COMPONENT = "bot.components.text_cleaner.TextCleaner"


@pytest.fixture(scope="module")
def context():
    return ExecutionContext(GraphSchema({}), "1")


@pytest.fixture(scope="module")
def storage(tmp_path_factory):
    return LocalModelStorage(tmp_path_factory.mktemp("models"))


@pytest.fixture(scope="module")
def cleaner(storage, context):
    return TextCleaner.create(TextCleaner.get_default_config(), storage, Resource("cleaner"), context)


def cleaned(cleaner, text):
    message = Message(data={"text": text})
    assert cleaner.process([message]) == [message]
    return message.get("text")


def utf8(text):
    return text.encode("utf-8")  # what spaCy does to every token; raises on a lone surrogate


# --- units ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    (RED_FLAG + "\ud83d", RED_FLAG + "\ufffd"),                 # high half of a broken emoji
    ("\ude00" + RED_FLAG, "\ufffd" + RED_FLAG),                 # low half, at the start
    ("calf\ud83d\ud83d cramp\udfff", "calf\ufffd\ufffd cramp\ufffd"),
    ("\ud800", "\ufffd"),
    ("\udfff\ud800", "\ufffd\ufffd"),                           # halves in the wrong order
], ids=["trailing-high", "leading-low", "several", "alone", "reversed-pair"])
def test_lone_surrogates_become_replacement_characters(cleaner, text, expected):
    with pytest.raises(UnicodeEncodeError):
        utf8(text)
    result = cleaned(cleaner, text)
    assert result == expected
    utf8(result)


def test_a_real_emoji_is_kept(cleaner):
    assert cleaned(cleaner, "my calf 😫") == "my calf 😫"


def test_nul_and_control_characters_become_spaces_newlines_and_tabs_stay(cleaner):
    text = "my calf\x00 is\x1b[31m swollen\x7f\x07\nand\thot\x0b\x0c\r"
    assert cleaned(cleaner, text) == "my calf  is [31m swollen  \nand\thot   "


def test_typographic_forms_become_plain_text(cleaner):
    assert cleaned(cleaner, "I\u2019m short of \uff42\uff52\uff45\uff41\uff54\uff48") == \
        "I'm short of breath"


def test_clean_text_and_messages_without_text_are_left_alone(cleaner):
    message = Message(data={"text": RED_FLAG})
    cleaner.process([message])
    assert message.get("text") is RED_FLAG
    no_text = Message(data={"intent": {"name": "greet", "confidence": 1.0}})
    cleaner.process([no_text])
    assert "text" not in no_text.data


def test_every_message_of_a_batch_is_cleaned(cleaner):
    messages = [Message(data={"text": t}) for t in ("a\ud83d", "b\x00", "c")]
    cleaner.process(messages)
    assert [m.get("text") for m in messages] == ["a\ufffd", "b ", "c"]


def test_huge_text_is_cleaned_whole_and_fast(cleaner):
    text = ("my back is stiff\x00 \ud83d " * 50_000) + RED_FLAG + "\ud83d"  # 1,000,000+ characters
    start = time.monotonic()
    result = cleaned(cleaner, text)
    assert time.monotonic() - start < 5
    assert len(result) == len(text)  # nothing cut: the red flag at the end is still there
    assert result.endswith(RED_FLAG + "\ufffd")
    assert "\x00" not in result
    utf8(result)


# --- the NLU chain that raised --------------------------------------------------------------------

@pytest.fixture(scope="module")
def nlu_chain(storage, context):
    spacy_nlp = SpacyNLP.create({**SpacyNLP.get_default_config(), "model": str(SPACY_PIPELINE)},
                                storage, Resource("spacy_nlp"), context)
    tokenizer = SpacyTokenizer.create(SpacyTokenizer.get_default_config(), storage,
                                      Resource("tokenizer"), context)
    detector = RedFlagDetector.create(
        {**RedFlagDetector.get_default_config(), "spacy_model": str(SPACY_PIPELINE)}, storage,
        Resource("red_flag_detector"), context)
    model = spacy_nlp.provide()

    def run(messages):
        messages = spacy_nlp.process(messages, model)
        return detector.process(tokenizer.process(messages))

    return run


@pytest.mark.parametrize("text", [RED_FLAG + "\ud83d", "\ude00" + RED_FLAG,
                                  RED_FLAG.replace(" hot ", " hot\x00 "),
                                  "\x1b[31m" + RED_FLAG + "\x7f\ud83d"])
def test_a_damaged_message_no_longer_breaks_the_chain_and_its_red_flag_is_found(
        cleaner, nlu_chain, text):
    if "\ud83d" in text or "\ude00" in text:
        with pytest.raises(UnicodeEncodeError):  # the bug: without the cleaner spaCy raises
            nlu_chain([Message(data={"text": text})])
    message = Message(data={"text": text})
    nlu_chain(cleaner.process([message]))
    assert {"pe_signs", "dvt_signs"} <= set(message.get(FINDINGS_KEY)["codes"])
    assert message.get("text_tokens")


# --- training data ----------------------------------------------------------------------------------

def example(text, intent="report_spasm", entities=None):
    data = {"text": text, "intent": intent}
    if entities is not None:
        data["entities"] = entities
    return Message(data=data)


def entity(text, words, value=None):
    start = text.index(words)
    return {"start": start, "end": start + len(words), "value": value or words, "entity": "body_part"}


def test_training_examples_are_cleaned_with_entity_offsets_kept(cleaner):
    # (training files are UTF-8, and Rasa's TrainingData hashes its examples as UTF-8: a lone
    # surrogate cannot be in one; other damage can)
    ellipsis = "ugh\u2026 my calf is killing me\x1b"           # "…" becomes "...": 2 longer
    wide = "my \uff43\uff41\uff4c\uff46 hurts\x00 since my calves cramped"   # full-width "calf"
    examples = [
        example(RED_FLAG + "\x00"),
        example(ellipsis, entities=[entity(ellipsis, "calf")]),
        example(wide, entities=[entity(wide, "\uff43\uff41\uff4c\uff46"),
                                entity(wide, "calves", value="calf")]),   # a synonym's value
        example("\u00bfhablas ingl\u00e9s?", intent="non_english"),
        example("my calf", entities=[{"start": 3, "end": 99, "value": "x", "entity": "body_part"}]),
    ]
    data = TrainingData(training_examples=examples)
    assert cleaner.process_training_data(data) is data
    texts = [m.get("text") for m in data.training_examples]
    assert texts == [RED_FLAG + " ", "ugh... my calf is killing me ",
                     "my calf hurts  since my calves cramped", " hablas ingl\u00e9s?", "my calf"]
    for message in data.training_examples[1:3]:
        for e in message.get("entities"):
            assert message.get("text")[e["start"]:e["end"]] in ("calf", "calves")
    assert [e["value"] for e in data.training_examples[2].get("entities")] == ["calf", "calf"]
    # offsets that do not fit the text: the example is left as it was, nothing raises
    assert data.training_examples[4].get("entities")[0]["end"] == 99


# --- the pipeline --------------------------------------------------------------------------------

def test_the_pipeline_cleans_first_at_training_and_at_prediction():
    config = read_yaml_file(ROOT / "config.yml")
    assert config["pipeline"][0]["name"] == COMPONENT
    assert config["pipeline"][1]["name"] == "SpacyNLP"
    graphs = Recipe.recipe_for_name(config.get("recipe")).graph_config_for_recipe(
        config, {}, training_type=TrainingType.BOTH)
    node = f"run_{COMPONENT}0"
    assert graphs.predict_schema.nodes[node].needs == {"messages": "nlu_message_converter"}
    assert graphs.predict_schema.nodes["run_SpacyNLP1"].needs["messages"] == node
    assert graphs.train_schema.nodes[node].fn == "process_training_data"
    assert graphs.train_schema.nodes["run_SpacyNLP1"].needs["training_data"] == node


# --- the real assistant over HTTP ----------------------------------------------------------------

@pytest.mark.parametrize("text", [RED_FLAG + "\ud83d", "\ude00" + RED_FLAG,
                                  RED_FLAG.replace(" hot ", " hot\x00 ")],
                         ids=["trailing-high-surrogate", "leading-low-surrogate", "nul"])
def test_a_damaged_red_flag_message_is_referred_and_stored(assistant, text):
    chat = Chat(assistant)
    body = json.dumps({"sender": chat.sender, "message": text}, ensure_ascii=True).encode("ascii")
    assert b"\\u" in body  # the damage travels escaped, as a browser's JSON.stringify sends it
    response = post_raw(assistant.url, body)
    assert response.status_code == 200, response.text[:300]
    messages = response.json()
    reply = text_of(messages)
    assert "999" in reply, f"no emergency referral: {describe(messages)}"
    slots = chat.slots()
    assert slots["triage_level"] == "emergency_ambulance", slots
    assert "pe_signs" in flags(slots), slots
    # the turn is stored: the client's own text as the channel delivered it, the parse of the
    # cleaned text beside it
    users = [e for e in chat.tracker()["events"] if e["event"] == "user"]
    assert [e["text"] for e in users] == [text]
    assert users[0]["parse_data"]["text"] == text.replace("\x00", " ").replace(
        "\ud83d", "\ufffd").replace("\ude00", "\ufffd")
    assert any(e["event"] == "bot" and "999" in (e.get("text") or "")
               for e in chat.tracker()["events"])
