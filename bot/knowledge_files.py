"""Reading the project's YAML knowledge files and fingerprinting them for Rasa's training cache."""
import hashlib
from pathlib import Path
from typing import Any, Dict, Iterable, Union

import yaml

from bot.paths import ROOT


def resolve(path: Union[str, Path]) -> Path:
    """A path from config.yml, relative to the repository root unless absolute."""
    path = Path(path)
    return path if path.is_absolute() else ROOT / path


def read_yaml(path: Union[str, Path]) -> Dict[str, Any]:
    return yaml.safe_load(resolve(path).read_text(encoding="utf-8")) or {}


def fingerprint(paths: Iterable[Union[str, Path]]) -> str:
    """A hash of the files' contents, so that changing a rule file retrains what reads it."""
    digest = hashlib.sha256()
    for path in paths:
        digest.update(resolve(path).read_bytes())
    return digest.hexdigest()
