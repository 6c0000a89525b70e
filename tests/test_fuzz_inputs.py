"""Property-based fuzzing (hypothesis) of what a channel may hand the assistant: any code point
(lone UTF-16 surrogates, NUL, C0/C1 control and invisible format characters included), mixed
scripts, emoji, markup and huge strings.

- `bot.triage.normalise.clean`: never raises, whatever it is given; gives text that encodes to
  UTF-8 (what spaCy needs) with no control character but newline and tab; loses nothing around
  a broken emoji; is idempotent.
- the red-flag detector (`Triage`, as tests/triage/conftest.py builds it): never raises, names only
  codes of knowledge/red_flags.yml, gives JSON the tracker can store; a red-flag sentence with
  junk before and after it (separated by white space) is still `pe_signs`.
- the TextCleaner NLU component: every message's text becomes `clean(text)`, which spaCy reads;
  training examples keep their entity offsets.

Reproducible and fast for CI: `derandomize=True` (the same examples on every run), no example
database, small `max_examples`; the whole file runs in well under 30 s.
"""
import json
import unicodedata
from functools import lru_cache

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.components.text_cleaner import TextCleaner
from bot.nlp import build_pipeline
from bot.triage.normalise import clean
from bot.triage.service import Triage, read_knowledge

FUZZ = settings(deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much,
                                       HealthCheck.data_too_large])
RED_FLAG = "my calf is swollen and hot and now I am short of breath"

# every code point, lone surrogates (category Cs) included
ANY_CHAR = st.characters(codec=None, exclude_categories=())
DAMAGE = st.sampled_from([
    "\ud83d", "\ude00", "\udfff", "\ud83d\ud83d",          # broken emoji halves
    "\x00", "\x01", "\x07", "\x1b[31m", "\x7f", "\r", "\x0b", "\x0c",  # C0 controls, DEL
    "\x85", "\x97", "\u200b", "\u200d", "\ufeff", "\u202e", "\u00ad", "\u2060",  # C1, invisible
    "\ufffd", "\u2019", "\u201c", "\uff43\uff41\uff4c\uff46", "\u0301", "\u2026",
])
OTHER_SCRIPTS = ["我的小腿抽筋了", "судорога в икре", "ふくらはぎ", "ساقي تؤلمني", "종아리", "πόνος",
                 "😫", "💪🏽", "👩\u200d⚕\ufe0f", "🇬🇧"]
WORDS = st.sampled_from(["my", "calf", "is", "swollen", "short of breath", "chest pain", "can't",
                         "no", "not", "cramp", "999", "pantorrilla", "<script>alert(1)</script>",
                         "'; DROP TABLE events; --", "{{7*7}}", *OTHER_SCRIPTS])
TEXT = st.one_of(
    st.text(ANY_CHAR, max_size=200),
    st.lists(st.one_of(ANY_CHAR, DAMAGE, WORDS, st.just(" ")), max_size=40).map("".join),
)


def no_english_letter(char: str) -> bool:
    """Junk must not spell English words ("him" makes the sentence about someone else)."""
    return not any(c.isascii() and c.isalpha() for c in unicodedata.normalize("NFKC", char))


JUNK = st.lists(st.one_of(ANY_CHAR.filter(no_english_letter), DAMAGE,
                          st.sampled_from(OTHER_SCRIPTS)), max_size=25).map("".join)
SEPARATORS = st.sampled_from([" ", "\n", "\t", "\x00", " \ud83d ", "\r\n"])


def is_plain(text: str) -> bool:
    text.encode("utf-8")  # raises on a lone surrogate
    return not any(unicodedata.category(c) == "Cc" and c not in "\n\t" and ord(c) < 0x80
                   for c in text)


@lru_cache(maxsize=1)
def _triage() -> Triage:
    return Triage.build(read_knowledge(), build_pipeline())


@pytest.fixture(scope="module")
def triage() -> "Quiet":
    return Quiet(_triage())


class Quiet:
    """The Triage under test, with a short repr for hypothesis's "Falsifying example" reports."""

    def __init__(self, triage: Triage) -> None:
        self.rules, self.detect = triage.rules, triage.detect

    def __repr__(self) -> str:
        return "Triage(knowledge/)"


@pytest.fixture(scope="module")
def cleaner(tmp_path_factory) -> TextCleaner:
    return TextCleaner.create(TextCleaner.get_default_config(),
                              LocalModelStorage(tmp_path_factory.mktemp("models")),
                              Resource("text_cleaner"), ExecutionContext(GraphSchema({}), "1"))


@pytest.fixture(scope="module")
def nlp():
    return build_pipeline()


# --- clean ------------------------------------------------------------------------------------------

@settings(FUZZ, max_examples=400)
@given(TEXT)
def test_clean_gives_plain_text_and_never_raises(text):
    result = clean(text)
    assert isinstance(result, str) and is_plain(result)
    assert not any("\ud800" <= c <= "\udfff" for c in result)


@settings(FUZZ, max_examples=100)
@given(st.one_of(st.none(), st.integers(), st.floats(allow_nan=True), st.binary(max_size=50),
                 st.booleans(), st.lists(TEXT, max_size=3), st.dictionaries(TEXT, TEXT, max_size=2)))
def test_clean_takes_anything_a_channel_may_hand_over(value):
    result = clean(value)
    assert isinstance(result, str) and is_plain(result)


@settings(FUZZ, max_examples=300)
@given(TEXT)
def test_clean_is_idempotent(text):
    once = clean(text)
    assert clean(once) == once


@settings(FUZZ, max_examples=300)
@given(TEXT, TEXT, st.sampled_from(["\ud83d", "\ude00", "\udbff"]))
def test_a_broken_emoji_costs_only_itself(before, after, half):
    assert clean(before + half + after) == clean(before) + "\ufffd" + clean(after)


@settings(FUZZ, max_examples=8)
@given(st.text(ANY_CHAR, min_size=1, max_size=20), st.integers(min_value=1_000, max_value=10_000))
def test_huge_text_is_cleaned_whole(chunk, copies):
    text = chunk * copies + " " + RED_FLAG + "\ud83d"
    result = clean(text)
    assert is_plain(result) and result.endswith(" " + RED_FLAG + "\ufffd")


# --- the red-flag detector --------------------------------------------------------------------------

def assert_valid(triage: Triage, findings) -> None:
    codes = set(triage.rules.codes)
    assert set(findings["codes"]) <= codes, findings["codes"]
    assert set(findings["uncertain"]) <= codes, findings["uncertain"]
    assert not set(findings["codes"]) & set(findings["uncertain"])
    assert set(findings["concepts"]) <= set(triage.rules.concepts)
    assert findings["language"] is None or isinstance(findings["language"], str)
    json.dumps(findings)  # stored with the message in the tracker


@settings(FUZZ, max_examples=300)
@given(TEXT)
def test_detector_never_raises_and_names_only_known_codes(triage, text):
    assert_valid(triage, triage.detect(text))


@settings(FUZZ, max_examples=300)
@given(JUNK, JUNK, SEPARATORS, SEPARATORS)
def test_a_red_flag_survives_junk_before_and_after_it(triage, before, after, sep1, sep2):
    findings = triage.detect(before + sep1 + RED_FLAG + sep2 + after)
    assert_valid(triage, findings)
    assert "pe_signs" in findings["codes"], findings


@settings(FUZZ, max_examples=4)
@given(st.text(ANY_CHAR, min_size=1, max_size=12), st.booleans())
def test_a_red_flag_in_a_long_message_is_found(triage, chunk, at_the_end):
    filler = (chunk + " ") * (4_000 // (len(chunk) + 1))  # up to the channels' 5,000 characters
    text = filler + "\n" + RED_FLAG + "\n" if at_the_end else RED_FLAG + "\n" + filler
    findings = triage.detect(text)
    assert_valid(triage, findings)
    assert "pe_signs" in findings["codes"], findings["codes"]


# --- the TextCleaner component ----------------------------------------------------------------------

@settings(FUZZ, max_examples=300)
@given(st.lists(TEXT, min_size=1, max_size=4))
def test_text_cleaner_gives_every_message_text_spacy_reads(cleaner, nlp, texts):
    messages = [Message(data={"text": t}) for t in texts]
    assert cleaner.process(messages) == messages
    for original, message in zip(texts, messages):
        assert message.get("text") == clean(original)
        nlp(message.get("text"))  # raised UnicodeEncodeError on a lone surrogate


# a training file is UTF-8 and Rasa hashes every example as UTF-8: no lone surrogates there
TRAINING_TEXT = st.text(st.characters(codec="utf-8", exclude_categories=()), min_size=1, max_size=80)


@settings(FUZZ, max_examples=200)
@given(TRAINING_TEXT, st.data())
def test_text_cleaner_keeps_entity_offsets_of_training_examples(cleaner, text, data):
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    entity = {"start": start, "end": end, "value": text[start:end], "entity": "body_part"}
    example = Message(data={"text": text, "intent": "report_spasm", "entities": [entity]})
    cleaner.process_training_data(TrainingData(training_examples=[example]))
    new_text, [moved] = example.get("text"), example.get("entities")
    assert is_plain(new_text)
    assert new_text == clean(text[:start]) + clean(text[start:end]) + clean(text[end:])
    assert new_text[moved["start"]:moved["end"]] == clean(text[start:end]) == moved["value"]


# --- found by this fuzzing: invisible characters glued to a rule word hid it ----------------------

@pytest.mark.parametrize("glued", ["\u200b", "\u00ad", "\ufeff", "\u2060", "\u200d", "\x97"])
def test_invisible_characters_glued_to_a_red_flag_word(triage, glued):
    assert "pe_signs" in triage.detect(RED_FLAG + glued)["codes"]


@pytest.mark.parametrize("inside", ["\u00ad", "\u200b", "\u200c", "\u2060", "\ufeff", "\u202e"])
def test_invisible_characters_inside_a_red_flag_word(triage, inside):
    """A soft hyphen or zero-width character pasted inside "breath" split it in two."""
    text = RED_FLAG.replace("breath", f"bre{inside}ath")
    assert text != RED_FLAG
    assert "pe_signs" in triage.detect(text)["codes"]


@settings(FUZZ, max_examples=300)
@given(st.text(st.characters(categories=["Cf", "Cc"]), max_size=6))
def test_no_format_or_control_character_survives_cleaning(noise):
    assert all(unicodedata.category(c) not in ("Cf",) for c in clean(f"a{noise}b"))
    assert all(c in "\n\t" or unicodedata.category(c) != "Cc" for c in clean(f"a{noise}b"))
