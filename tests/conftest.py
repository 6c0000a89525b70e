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
