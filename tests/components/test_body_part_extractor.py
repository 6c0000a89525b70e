"""BodyPartExtractor: the `body_part` entity from the lay words of knowledge/body_parts.yml.

Values are the canonical areas of docs/DESIGN-NOTES.md, which the stretch library and the form use.
"""
import pytest
import yaml
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.components.body_part_extractor import BodyPartExtractor
from bot.knowledge_files import read_yaml
from bot.paths import SPACY_PIPELINE

RESOURCE = Resource("body_part_extractor")


def config(**overrides):
    return {**BodyPartExtractor.get_default_config(), "spacy_model": str(SPACY_PIPELINE),
            **overrides}


@pytest.fixture(scope="module")
def context():
    return ExecutionContext(GraphSchema({}), "1")


@pytest.fixture(scope="module")
def extractor(tmp_path_factory, context):
    storage = LocalModelStorage(tmp_path_factory.mktemp("models"))
    BodyPartExtractor.create(config(), storage, RESOURCE, context).train(TrainingData())
    return BodyPartExtractor.load(config(), storage, RESOURCE, context)


def entities(extractor, text):
    message = Message(data={"text": text})
    extractor.process([message])
    return [e for e in message.get("entities", []) if e["entity"] == "body_part"]


def values(extractor, text):
    return [e["value"] for e in entities(extractor, text)]


@pytest.mark.parametrize("text, area", [
    ("the back of my leg keeps cramping", "calf"),
    ("my leg", "calf"),
    ("my calves", "calf"),
    ("my hammy is tight", "hamstring"),
    ("back of my thigh", "hamstring"),
    ("front of my thigh", "quadriceps"),
    ("my upper back is in knots", "shoulder"),
    ("between my shoulder blades", "shoulder"),
    ("lower back spasm", "lower_back"),
    ("my back went into spasm", "lower_back"),
    ("my toes curl up", "foot"),
    ("crick in my neck", "neck"),
    ("my glutes", "hip"),
    ("my fingers lock", "hand"),
    ("stomach cramps", "abdomen"),
])
def test_lay_words_give_the_canonical_area(extractor, text, area):
    assert values(extractor, text) == [area]


def test_entity_covers_the_words_that_name_the_area(extractor):
    text = "the back of my leg keeps cramping"
    [entity] = entities(extractor, text)
    assert text[entity["start"]:entity["end"]] == "back of my leg"
    assert entity["extractor"] == "BodyPartExtractor"


def test_two_areas_give_two_entities_with_their_offsets(extractor):
    text = "my neck and my lower back are both cramping"
    found = entities(extractor, text)
    assert [e["value"] for e in found] == ["neck", "lower_back"]
    assert [text[e["start"]:e["end"]] for e in found] == ["neck", "lower back"]


def test_offsets_are_on_the_original_text_whatever_its_case(extractor):
    text = "My CALF and my Hamstring"
    found = entities(extractor, text)
    assert [(e["value"], text[e["start"]:e["end"]]) for e in found] == [
        ("calf", "CALF"), ("hamstring", "Hamstring")]


@pytest.mark.parametrize("text", ["should I use heat or ice", "I feel awful", ""])
def test_no_area_no_entity(extractor, text):
    assert entities(extractor, text) == []


def test_keeps_entities_found_by_other_extractors(extractor):
    other = {"entity": "time", "value": "yesterday", "start": 0, "end": 9}
    message = Message(data={"text": "yesterday my calf", "entities": [other]})
    extractor.process([message])
    assert message.get("entities")[0] == other
    assert [e["value"] for e in message.get("entities")[1:]] == ["calf"]


def test_every_area_has_a_stretch():
    areas = read_yaml("knowledge/body_parts.yml")["body_parts"]
    assert set(areas) == set(read_yaml("knowledge/stretches.yml")["stretches"])


def test_loaded_model_uses_the_words_it_was_trained_with(tmp_path, context):
    words = tmp_path / "body_parts.yml"
    words.write_text(yaml.safe_dump({"body_parts": {"calf": ["calf|wadenbein"]}}))
    (tmp_path / "model").mkdir()
    storage = LocalModelStorage(tmp_path / "model")
    BodyPartExtractor.create(config(knowledge=str(words)), storage, RESOURCE, context).train(
        TrainingData())
    words.unlink()  # the trained model must not need the file any more
    loaded = BodyPartExtractor.load(config(knowledge=str(words)), storage, RESOURCE, context)
    assert values(loaded, "my wadenbein hurts") == ["calf"]
    assert values(loaded, "my neck hurts") == []


@pytest.mark.parametrize("text", ["can someone call me back?", "please ring me back on 07700 900123",
                                  "could you phone me back", "i'd like a call-back",
                                  "can the clinic ring back later"])
def test_a_call_back_names_no_body_part(extractor, text):
    """Issue 17: "back" in a call-back request is not the lower back (advice used it later)."""
    assert entities(extractor, text) == []


def test_the_back_is_still_the_back_next_to_a_call_back(extractor):
    found = entities(extractor, "my back is in spasm, can someone call me back")
    assert [(e["value"], e["start"]) for e in found] == [("lower_back", 3)]
