"""Reading the project's YAML knowledge files and fingerprinting them for Rasa's training cache."""
import hashlib
import re
from pathlib import Path
from typing import Any, Dict, Iterable, List, Union

import yaml

from bot.paths import ROOT


def resolve(path: Union[str, Path]) -> Path:
    """A path from config.yml, relative to the repository root unless absolute."""
    path = Path(path)
    return path if path.is_absolute() else ROOT / path


class _Yaml12Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # libyaml's parser: 10x faster
    """YAML as a clinician reads it: only true/false are booleans. PyYAML follows YAML 1.1, where
    `no`, `yes`, `on` and `off` are booleans too, so the Portuguese glossary's `no: "in the"` was
    read as `False: "in the"` and "espasmo no pescoço" kept an English "no" that negated the rest.
    Parsed by libyaml where PyYAML was built with it (the glossaries hold thousands of phrases)."""


_Yaml12Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()}
_Yaml12Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))


def load_yaml(text: str) -> Any:
    """Parse YAML text with the YAML 1.2 booleans (see _Yaml12Loader)."""
    return yaml.load(text, Loader=_Yaml12Loader)  # noqa: S506 - a SafeLoader subclass


def read_yaml(path: Union[str, Path]) -> Dict[str, Any]:
    return load_yaml(resolve(path).read_text(encoding="utf-8")) or {}


def fingerprint(paths: Iterable[Union[str, Path]]) -> str:
    """A hash of the files' contents, so that changing a rule file retrains what reads it."""
    digest = hashlib.sha256()
    for path in paths:
        digest.update(resolve(path).read_bytes())
    return digest.hexdigest()


def knowledge_paths() -> List[Path]:
    """Every clinical knowledge file (knowledge/ and its subfolders)."""
    return sorted(resolve("knowledge").rglob("*.yml"))


def knowledge_version(paths: Iterable[Union[str, Path]] = ()) -> str:
    """The version of the clinical knowledge that answers a conversation: the latest sign-off
    date of its files and a short hash of their contents ("2026-12-04+3f2a1c9e"), so that any
    change, signed off or not, shows as a different version in the review console."""
    paths = list(paths) or knowledge_paths()
    dates = [str((read_yaml(p).get("meta") or {}).get("signed_off_on") or "unsigned") for p in paths]
    return f"{max(dates)}+{fingerprint(paths)[:8]}"


def clinical_facts() -> Dict[str, str]:
    """One value per clinical fact (ice and heat times, stretch hold), for every text that gives
    it: knowledge/answers.yml `facts`."""
    return {k: str(v) for k, v in (read_yaml("knowledge/answers.yml").get("facts") or {}).items()}
