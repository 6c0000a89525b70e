"""One detector for the triage tests: the real knowledge files (rules, lexicon) on the real spaCy
pipeline, with the normalisation the assistant applies."""
import pytest

from bot.nlp import build_pipeline
from bot.triage.service import Triage, read_knowledge


@pytest.fixture(scope="session")
def triage() -> Triage:
    return Triage.build(read_knowledge(), build_pipeline())


@pytest.fixture(scope="session")
def detector(triage):
    return triage.detector
