"""A client of the cluster's nginx address: tests/conftest.py's Client, plus turns that report the
replica that answered and carry a message_id."""
from typing import Any, Dict, List, Optional, Tuple

import requests

from bot.bench.cluster import event_count, user_texts  # noqa: F401 - the tests import them from here
from tests.conftest import Client

TIMEOUT_S = 60


class ClusterClient(Client):
    def turn(self, sender: str, text: str, message_id: Optional[str] = None
             ) -> Tuple[List[Dict[str, Any]], str]:
        """The replies to one message and the name of the replica that answered."""
        body = {"sender": sender, "message": text}
        if message_id:
            body["message_id"] = message_id
        response = requests.post(f"{self.url}/webhooks/rest/webhook", json=body, timeout=TIMEOUT_S)
        response.raise_for_status()
        return response.json(), response.headers.get("X-Replica", "")


def texts(replies: List[Dict[str, Any]]) -> str:
    return "\n".join(r.get("text") or "" for r in replies).lower()
