"""A client of the cluster's nginx address: turns over REST (with the replica that answered) and trackers."""
import uuid
from typing import Any, Dict, List, Optional, Tuple

import requests

from bot.bench.cluster import event_count, user_texts  # noqa: F401 - the tests import them from here

TIMEOUT_S = 60


class ClusterClient:
    def __init__(self, url: str, token: str) -> None:
        self.url, self.token = url, token
        self.http = requests.Session()

    @staticmethod
    def new_sender() -> str:
        return f"cluster-{uuid.uuid4().hex[:12]}"

    def say(self, sender: str, text: str, message_id: Optional[str] = None
            ) -> Tuple[List[Dict[str, Any]], str]:
        """The replies to one message and the name of the replica that answered."""
        body = {"sender": sender, "message": text}
        if message_id:
            body["message_id"] = message_id
        response = self.http.post(f"{self.url}/webhooks/rest/webhook", json=body, timeout=TIMEOUT_S)
        response.raise_for_status()
        return response.json(), response.headers.get("X-Replica", "")

    def tracker(self, sender: str) -> Dict[str, Any]:
        response = self.http.get(f"{self.url}/conversations/{sender}/tracker",
                                 params={"token": self.token}, timeout=TIMEOUT_S)
        response.raise_for_status()
        return response.json()


def texts(replies: List[Dict[str, Any]]) -> str:
    return "\n".join(r.get("text") or "" for r in replies).lower()
