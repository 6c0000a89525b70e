"""The project's spaCy pipeline: blank English, lookup lemmas, no statistical model.

`python -m bot.nlp` builds it into build/spacy_en, where Rasa's SpacyNLP and the project's
components load it from.
"""
from functools import lru_cache
from pathlib import Path
from typing import Union

import spacy
from spacy.language import Language

from bot.paths import SPACY_PIPELINE

# spacy-lookups-data's English table gives "wrong" as the lemma of "worse" and "worst", and "numb" as
# that of "number": the rules then read "talking people through their worst days" as speech gone
# wrong and "a number of" as numbness. Each of these words is its own lemma here.
OWN_LEMMA = ("worse", "worst", "number", "numbers", "kidding", "kidded")  # "jk" is "just kidding", not a child


def build_pipeline() -> Language:
    """A blank English pipeline with the lookup lemmatizer (tables from spacy-lookups-data)."""
    nlp = spacy.blank("en")
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    nlp.initialize()
    table = nlp.get_pipe("lemmatizer").lookups.get_table("lemma_lookup")
    for word in OWN_LEMMA:
        table[word] = word
    nlp.meta["name"] = "clinic_rules"
    nlp.meta["version"] = "1.0.0"
    return nlp


@lru_cache(maxsize=4)
def load_pipeline(path: Union[str, Path] = SPACY_PIPELINE) -> Language:
    """Load the saved pipeline once per process (built on the fly if it is missing)."""
    path = Path(path)
    if not (path / "meta.json").exists():
        save(path)
    return spacy.load(path)


def save(path: Path = SPACY_PIPELINE) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    build_pipeline().to_disk(path)
    return path


if __name__ == "__main__":
    print(save())
