"""One detector for the triage tests: the real rule file on the real spaCy pipeline."""
import pytest

from bot.nlp import build_pipeline
from bot.triage.detector import Detector
from bot.triage.rules import load


@pytest.fixture(scope="session")
def detector() -> Detector:
    return Detector(load(), build_pipeline())
