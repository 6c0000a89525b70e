"""The clinic's changes to Rasa's internals, in one place, installed only where a Rasa server starts
(bot/cli/rasa_server.py), never as a side effect of importing a component: `rasa train`, `rasa test`
and `rasa data validate` run Rasa's own code.

Two patches, each in its own module with its parity tests:
- `speedups` (bot/rasa_speedups.py): how fast, never what (tests/test_rasa_speedups.py).
- `action_fallback` (bot/remote_action_fallback.py): changes behaviour on purpose: a custom action
  whose server is down or slow gives the client a reply instead of silence (safety standard: a client
  is never left without an answer; tests/test_remote_action_fallback.py, tests/e2e/test_fail_safe.py).

They replace private methods of Rasa 3.6, so they refuse to install on any Rasa but the pinned one:
an upgrade must re-run their tests and move PINNED_RASA. RASA_PATCHES chooses them (docs/reference.md):
unset or "all" for both, "none" for stock Rasa, or a comma-separated list.
"""
import os
from typing import Callable, Dict, List, Optional

from rasa.version import __version__ as RASA_VERSION

PINNED_RASA = "3.6.21"  # requirements.lock


def _speedups() -> None:
    from bot import rasa_speedups

    rasa_speedups.install()


def _action_fallback() -> None:
    from bot import remote_action_fallback

    remote_action_fallback.install()


PATCHES: Dict[str, Callable[[], None]] = {"speedups": _speedups, "action_fallback": _action_fallback}


class WrongRasa(RuntimeError):
    """The installed Rasa is not the one the patches were written and tested against."""


def chosen(setting: Optional[str] = None) -> List[str]:
    """The patches RASA_PATCHES names, in a fixed order; an unknown name is an error, not a no-op."""
    value = (os.environ.get("RASA_PATCHES", "all") if setting is None else setting).strip().lower()
    if value in ("", "all"):
        return list(PATCHES)
    if value == "none":
        return []
    names = [name.strip() for name in value.split(",") if name.strip()]
    unknown = sorted(set(names) - set(PATCHES))
    if unknown:
        raise ValueError(f"RASA_PATCHES names unknown patches {unknown}; known: {sorted(PATCHES)}")
    return [name for name in PATCHES if name in names]


def install(setting: Optional[str] = None, rasa_version: str = RASA_VERSION) -> List[str]:
    """Installs the chosen patches and returns their names; refuses on a Rasa other than PINNED_RASA."""
    names = chosen(setting)
    if names and rasa_version != PINNED_RASA:
        raise WrongRasa(f"the Rasa patches {names} were written for Rasa {PINNED_RASA}, not "
                        f"{rasa_version}: re-run their tests and update PINNED_RASA, or set RASA_PATCHES=none")
    for name in names:
        PATCHES[name]()
    return names
