"""bot/triage/patterns.py: a label's Matcher runs only on messages with a word that one of its
patterns requires; that shortcut must never lose a match."""
from pathlib import Path
from typing import List

import pytest
import yaml

from bot.knowledge_files import read_yaml, resolve
from bot.paths import ROOT
from bot.triage.language import fold
from bot.triage.patterns import PhraseSet

DATA = Path(__file__).parent.parent / "data"


def messages() -> List[str]:
    cases = yaml.safe_load((DATA / "red_flag_cases.yml").read_text())
    texts = [case["text"] for section in cases.values() for case in section if "text" in case]
    texts += [turn for case in cases["conversations"] for turn in case["turns"]]
    texts += [turn for path in sorted((Path(__file__).parents[2] / "eval" / "vignettes").glob("*.yml"))
              for v in yaml.safe_load(path.read_text()) for turn in v["turns"]
              if isinstance(turn, str)]
    return texts


@pytest.mark.parametrize("which", ["concepts", "exceptions", "context"])
def test_skipping_labels_without_their_words_loses_no_match(detector, which):
    phrases: PhraseSet = getattr(detector, which)
    texts = messages()
    assert len(texts) > 500
    matched = 0
    for text in texts:
        doc = detector.nlp(text.lower())
        expected = phrases.matches(doc, phrases.labels)  # every label's Matcher
        assert phrases(doc) == expected, text
        matched += bool(expected)
    assert matched > 20  # the comparison covers real matches, not only empty ones


def test_a_label_is_tried_only_for_its_rarest_required_word(detector):
    doc = detector.nlp("my calf is red and swollen")
    labels = set(detector.concepts._candidates(doc))
    assert "CLOT" not in labels  # "a clot": not tried on every message with "a" or "my"
    assert {m.label for m in detector.concepts(doc)} <= labels


def test_no_knowledge_file_repeats_a_key():
    """A key written twice in a YAML mapping silently replaces the first (a concept's second
    `except:` block drops every phrase of the first): every knowledge file has each key once."""
    def repeated(node, where):
        if isinstance(node, yaml.MappingNode):
            keys = [k.value for k, _ in node.value]
            found = [f"{where}/{k}" for k in set(keys) if keys.count(k) > 1]
            return found + [r for k, v in node.value for r in repeated(v, f"{where}/{k.value}")]
        if isinstance(node, yaml.SequenceNode):
            return [r for item in node.value for r in repeated(item, where)]
        return []

    for path in sorted((ROOT / "knowledge").rglob("*.yml")):
        assert repeated(yaml.compose(path.read_text(encoding="utf-8")), path.name) == []


@pytest.mark.parametrize("language", ["gu", "hi", "pa", "ta"])
def test_glossary_keys_that_fold_alike_mean_the_same(language):
    """Matching folds the virama and nukta away ("શ્વાસ" is read as "શવાસ", "ज़बान" as "जबान"): two
    keys of a glossary that fold alike must give the same English, or which one is read is chance."""
    glossary = read_yaml(resolve(f"knowledge/languages/{language}.yml"))["glossary"]
    read = {}
    for key, english in glossary.items():
        assert read.setdefault(fold(str(key)), english) == english, key
