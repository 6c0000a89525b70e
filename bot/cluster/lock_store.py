"""Rasa's Redis lock store, with a wait that survives a dead replica's ticket.

Rasa 3.6 waits for `now_serving == ticket`; when the replica ahead dies, its ticket expires, and if
the waiting ticket (issued a moment later, with the same lifetime) has expired too by the next
check, nothing is served and the turn waits forever (seen: a killed replica's conversation hung
until the client gave up). Here a turn goes when no live ticket is ahead of it, and a turn whose own
ticket expired while waiting takes a new one.
"""
import asyncio
from contextlib import asynccontextmanager
from typing import AsyncGenerator, Text

from rasa.core.lock import TicketLock
from rasa.core.lock_store import LOCK_LIFETIME, RedisLockStore
from rasa.utils.endpoints import EndpointConfig

POLL_S = 0.1


class ClinicRedisLockStore(RedisLockStore):
    def __init__(self, endpoint_config: EndpointConfig) -> None:
        super().__init__(host=endpoint_config.url, **endpoint_config.kwargs)

    @asynccontextmanager
    async def lock(self, conversation_id: Text, lock_lifetime: float = LOCK_LIFETIME,
                   wait_time_in_seconds: float = POLL_S) -> AsyncGenerator[TicketLock, None]:
        ticket = self.issue_ticket(conversation_id, lock_lifetime)
        try:
            while True:
                lock = self.get_or_create_lock(conversation_id)
                live = [t.number for t in lock.tickets if not t.has_expired()]
                if ticket not in live:  # expired while waiting: queue again
                    ticket = self.issue_ticket(conversation_id, lock_lifetime)
                elif ticket == min(live):
                    break
                else:
                    await asyncio.sleep(min(wait_time_in_seconds, POLL_S))
            yield lock
        finally:
            self.cleanup(conversation_id, ticket)
