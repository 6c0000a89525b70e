"""The web widget's session-signing secret for `make run`: WIDGET_SECRET, else one kept in var/.

Kept apart from the channel so that starting the servers does not import Rasa.
"""
import os
import secrets
from pathlib import Path


def persistent_secret(path: Path) -> str:
    """The secret stored at `path` (created once, readable by the owner only)."""
    path = Path(path)
    if path.is_file():
        secret = path.read_text(encoding="ascii").strip()
        if secret:
            return secret
    path.parent.mkdir(parents=True, exist_ok=True)
    secret = secrets.token_urlsafe(32)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(secret + "\n")
    return secret


def ensure_widget_secret(path: Path) -> None:
    """Set WIDGET_SECRET from `path` unless the environment already has one."""
    if not os.environ.get("WIDGET_SECRET"):
        os.environ["WIDGET_SECRET"] = persistent_secret(path)
