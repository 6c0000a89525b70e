"""A client of the cluster's nginx address: turns over REST (with the replica that answered) and trackers."""
import json
import uuid
from typing import Any, Dict, List, Optional, Tuple

import requests
from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from bot.review.schema import events

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


def event_count(engine: Engine, sender: str) -> int:
    with engine.connect() as connection:
        return connection.execute(
            select(func.count()).select_from(events).where(events.c.sender_id == sender)).scalar()


def user_texts(engine: Engine, sender: str) -> List[str]:
    """The client's messages of a conversation as stored, in order."""
    with engine.connect() as connection:
        rows = connection.execute(select(events.c.data).where(
            events.c.sender_id == sender, events.c.type_name == "user").order_by(events.c.id))
        return [json.loads(row.data).get("text") for row in rows]
