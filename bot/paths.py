"""Where the project's files live, relative to the repository root."""
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
KNOWLEDGE = ROOT / "knowledge"
SETTINGS = ROOT / "settings"
BUILD = ROOT / "build"
SPACY_PIPELINE = BUILD / "spacy_en"
