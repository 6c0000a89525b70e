"""Shared fixtures: a real assistant over HTTP, and trackers for action tests built from JSON-like dicts."""
import secrets
import uuid
from pathlib import Path
from typing import Any, Dict, List, Optional

import pytest
import requests
from rasa_sdk import Tracker

from bot.channels.rest_token import client_headers
from bot.stack import free_port, running_assistant

HERE = Path(__file__).parent

# What tests need beyond the venv and the spaCy build (the markers of pyproject.toml), by folder and
# by module under tests/; `make test-fast` runs everything else. "model": loads, serves or trains a
# Rasa model; "services": the machine's PostgreSQL, Redis or RabbitMQ; "browser": Chromium and web/dist;
# "slow": seconds each, though it needs nothing (`make test-unit` runs them all).
NEEDS = {
    "test_fuzz_inputs.py": ("slow",),
    "test_clinical_report.py": ("slow",),
    "test_rasa_patches.py": ("slow",),
    "channels/test_outbox.py": ("slow",),
    "triage/test_patterns.py": ("slow",),
    "bench/test_chaos.py": ("slow",),
    "bench/test_cpu.py": ("slow",),  # burns and measures CPU time
    "bench/test_memory.py": ("slow",),  # holds and measures memory
    "test_action_server.py": ("slow",),  # starts action servers
    "web": ("model", "browser"),
    "cluster": ("model", "services"),
    "e2e": ("model",),
    "channels/test_channel_identity.py": ("model",),
    "channels/test_credentials.py": ("model",),
    "channels/test_early_referral.py": ("services",),
    "channels/test_facebook.py": ("model",),
    "channels/test_inbound_text.py": ("model",),
    "channels/test_platform_early_referral.py": ("model",),
    "channels/test_platform_outage.py": ("model",),
    "channels/test_slack.py": ("model",),
    "channels/test_slack_telegram_outage.py": ("model",),
    "channels/test_telegram.py": ("model",),
    "channels/test_twilio.py": ("model",),
    "components/test_red_flag_detector.py": ("model",),  # trains a small pipeline (a minute)
    "components/test_text_cleaner.py": ("model",),
    "policies/test_triage_policy.py": ("model",),  # trains and loads the policy
    "bench/test_load.py": ("model",),
    "review/test_alert_watcher.py": ("services",),
    "review/test_console_browser.py": ("model", "browser"),
    "review/test_console_lead_day.py": ("model", "browser", "services"),
    "review/test_console_postgres_restart.py": ("model", "services"),
    "review/test_console_retention.py": ("services",),
    "review/test_console_throttle.py": ("services",),
    "test_rasa_speedups.py": ("model",),
    "test_stack.py": ("model",),
}


def pytest_collection_modifyitems(items) -> None:
    for item in items:
        where = Path(str(item.fspath)).resolve().relative_to(HERE.resolve()).as_posix()
        needs = set(NEEDS.get(where.split("/")[0], ())) | set(NEEDS.get(where, ()))
        if "assistant" in getattr(item, "fixturenames", ()):
            needs.add("model")
        for mark in sorted(needs):
            item.add_marker(mark)


class Client:
    """Talks to a running assistant like a client would: the REST channel, then the tracker API."""

    def __init__(self, url: str, token: str) -> None:
        self.url = url
        self.token = token

    @staticmethod
    def new_sender() -> str:
        return uuid.uuid4().hex

    def say(self, sender: str, text: str) -> List[Dict[str, Any]]:
        response = requests.post(f"{self.url}/webhooks/rest/webhook", headers=client_headers(),
                                 json={"sender": sender, "message": text}, timeout=30)
        response.raise_for_status()
        return response.json()

    def texts(self, sender: str, text: str) -> str:
        """All bot texts of one turn, joined, lower-cased."""
        return "\n".join(m.get("text", "") for m in self.say(sender, text)).lower()

    def conversation(self, *turns: str) -> str:
        sender = self.new_sender()
        for turn in turns:
            self.say(sender, turn)
        return sender

    def tracker(self, sender: str) -> Dict[str, Any]:
        response = requests.get(f"{self.url}/conversations/{sender}/tracker",
                                params={"token": self.token}, timeout=30)
        response.raise_for_status()
        return response.json()

    def slots(self, sender: str) -> Dict[str, Any]:
        return self.tracker(sender)["slots"]


@pytest.fixture(scope="session")
def assistant(tmp_path_factory) -> Client:
    """The trained assistant (models/assistant.tar.gz) with its action server, on free ports."""
    token = secrets.token_urlsafe(16)
    logs = tmp_path_factory.mktemp("assistant")
    with running_assistant(port=free_port(), api_token=token, log_dir=logs) as url:
        yield Client(url, token)


def make_tracker(
    text: str = "",
    intent: Optional[str] = None,
    entities: Optional[List[Dict[str, Any]]] = None,
    slots: Optional[Dict[str, Any]] = None,
    active_loop: Optional[str] = None,
    events: Optional[List[Dict[str, Any]]] = None,
) -> Tracker:
    """A rasa-sdk Tracker as the action server receives it, for one latest client message."""
    latest = {"text": text, "intent": {"name": intent, "confidence": 1.0},
              "entities": entities or []}
    return Tracker(
        sender_id="test", slots=dict(slots or {}), latest_message=latest, events=list(events or []),
        paused=False, followup_action=None,
        active_loop={"name": active_loop} if active_loop else {}, latest_action_name="action_listen",
    )
