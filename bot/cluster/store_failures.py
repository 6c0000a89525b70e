"""Whether the tracker store failed in the request being handled, for the channel that received it.

Rasa wraps every tracker store in FailSafeTrackerStore, which hides a failure: a conversation it
cannot read is handled as a new one (the turn runs without its history), and a turn it cannot save
is kept in that replica's memory only. Either way the channel answers as if all went well; a REST
client answered 200 does not send again, and the turn is lost (`make test-chaos`, PostgreSQL
restarted under load). The production store (bot/cluster/tracker_store.py) notes its failures here
and the REST channel answers such a request 503 (bot/channels/rest.py). A context variable: Sanic
handles each request in a task of its own, and the store is called inside it.
"""
from contextvars import ContextVar
from typing import Optional

_FAILURE: ContextVar[Optional[str]] = ContextVar("clinic_store_failure", default=None)


def note(error: BaseException) -> None:
    _FAILURE.set(f"{type(error).__name__}: {error}")


def clear() -> None:
    _FAILURE.set(None)


def failure() -> Optional[str]:
    """What failed in this request, if the tracker store failed."""
    return _FAILURE.get()
