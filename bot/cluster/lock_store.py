"""Rasa's Redis lock store, with a wait that survives a dead replica's ticket, atomic and in two round trips.

Rasa 3.6 waits for `now_serving == ticket`; when the replica ahead dies, its ticket expires, and if
the waiting ticket (issued a moment later, with the same lifetime) has expired too by the next
check, nothing is served and the turn waits forever (seen: a killed replica's conversation hung
until the client gave up). Here a turn goes when no live ticket is ahead of it, and a turn whose own
ticket expired while waiting takes a new one.

Rasa takes a ticket with a GET and a SET, so two replicas taking one at the same moment can both
get the same number; here taking a ticket and giving it back are each one Lua script, run by Redis
atomically: one round trip each for a turn that waits for nobody (every Redis command blocks the
replica's event loop). The lock keeps Rasa's stored format, and its key expires with its last ticket.
"""
import asyncio
import time
from collections import deque
from contextlib import asynccontextmanager
from typing import AsyncGenerator, List, Text, Tuple

from rasa.core.lock import Ticket, TicketLock
from rasa.core.lock_store import LOCK_LIFETIME, RedisLockStore
from rasa.utils.endpoints import EndpointConfig

POLL_S = 0.1

# Rasa's format: {"conversation_id": ..., "tickets": ["{\"number\": n, \"expires\": t}", ...]}
_LUA_LOCK = """
local function live_tickets(raw, now)
  local tickets = {}
  if raw then
    for _, encoded in ipairs(cjson.decode(raw).tickets or {}) do
      local ticket = cjson.decode(encoded)
      if ticket.expires >= now then table.insert(tickets, ticket) end
    end
  end
  return tickets
end

local function store(key, conversation_id, tickets, now)
  if #tickets == 0 then
    redis.call('DEL', key)
    return
  end
  local encoded, last = {}, now
  for i, ticket in ipairs(tickets) do
    encoded[i] = cjson.encode(cjson.encode({number = ticket.number, expires = ticket.expires}))
    if ticket.expires > last then last = ticket.expires end
  end
  redis.call('SET', key, '{"conversation_id": ' .. cjson.encode(conversation_id) .. ', "tickets": ['
             .. table.concat(encoded, ', ') .. ']}', 'PX', math.ceil((last - now) * 1000) + 1000)
end
"""

# KEYS[1] the lock; ARGV: now, lifetime, conversation id. Drops expired tickets, issues the next
# number; returns {number, 1 if no live ticket is ahead of it else 0}.
_TAKE = _LUA_LOCK + """
local now = tonumber(ARGV[1])
local tickets = live_tickets(redis.call('GET', KEYS[1]), now)
local number = 0
if #tickets > 0 then number = tickets[#tickets].number + 1 end
table.insert(tickets, {number = number, expires = now + tonumber(ARGV[2])})
store(KEYS[1], ARGV[3], tickets, now)
return {number, #tickets == 1 and 1 or 0}
"""

# KEYS[1] the lock; ARGV: now, conversation id, ticket number. Removes that ticket (and expired ones).
_GIVE_BACK = _LUA_LOCK + """
local now, number = tonumber(ARGV[1]), tonumber(ARGV[3])
local kept = {}
for _, ticket in ipairs(live_tickets(redis.call('GET', KEYS[1]), now)) do
  if ticket.number ~= number then table.insert(kept, ticket) end
end
store(KEYS[1], ARGV[2], kept, now)
return #kept
"""


class ClinicRedisLockStore(RedisLockStore):
    def __init__(self, endpoint_config: EndpointConfig) -> None:
        super().__init__(host=endpoint_config.url, **endpoint_config.kwargs)
        self._take = self.red.register_script(_TAKE)
        self._give_back = self.red.register_script(_GIVE_BACK)

    def _take_ticket(self, conversation_id: Text, lifetime: float) -> Tuple[int, bool]:
        """A new ticket, and whether it may go at once (no live ticket ahead of it)."""
        number, first = self._take(keys=[self.key_prefix + conversation_id],
                                   args=[time.time(), lifetime, conversation_id])
        return int(number), bool(first)

    def _live(self, conversation_id: Text) -> List[int]:
        lock = self.get_lock(conversation_id)
        return [t.number for t in lock.tickets if not t.has_expired()] if lock else []

    @asynccontextmanager
    async def lock(self, conversation_id: Text, lock_lifetime: float = LOCK_LIFETIME,
                   wait_time_in_seconds: float = POLL_S) -> AsyncGenerator[TicketLock, None]:
        ticket, first = self._take_ticket(conversation_id, lock_lifetime)
        try:
            while not first:
                await asyncio.sleep(min(wait_time_in_seconds, POLL_S))
                live = self._live(conversation_id)
                if ticket not in live:  # expired while waiting: queue again
                    ticket, first = self._take_ticket(conversation_id, lock_lifetime)
                else:
                    first = ticket == min(live)
            yield TicketLock(conversation_id, deque([Ticket(ticket, time.time() + lock_lifetime)]))
        finally:
            self.cleanup(conversation_id, ticket)

    def cleanup(self, conversation_id: Text, ticket_number: int) -> None:
        self._give_back(keys=[self.key_prefix + conversation_id],
                        args=[time.time(), conversation_id, ticket_number])
