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

A replica that dies mid-turn leaves its ticket behind, and the turn retried on another replica
(nginx does it at once) waited for it to expire: TICKET_LOCK_LIFETIME, 20 s, for a red flag too
(`make test-chaos`, a replica killed under load). A lifetime short enough not to matter would end
tickets of turns still running (a turn may wait 10 s for the action server). Here a ticket names
its holder: the Redis connection id of a connection each replica keeps open for nothing else
(PRESENCE_EVERY_S keeps the id current). The kernel closes a dead process's connections, so
Redis knows at once that a holder is gone; a waiting turn asks Redis which holders ahead of it are
still connected (CLIENT LIST ID) and gives back the tickets of those that are not.

While Redis cannot be reached, turns go on: each replica runs a conversation's turns one at a time
under a lock of its own (an asyncio lock per conversation), and a ticket it cannot give back
expires by itself. Rasa's store fails every turn instead, so a red flag sent during a Redis restart
went unanswered until Redis was back (`make test-chaos`, bot/cli/chaos.py). Only two replicas
taking turns of one conversation at the same moment could overlap then, which a client waiting for
each answer does not do; the turns of one conversation are all stored either way.
"""
import asyncio
import json
import logging
import threading
import time
from collections import deque
from contextlib import asynccontextmanager
from typing import Any, AsyncGenerator, Dict, List, Optional, Text, Tuple

from rasa.core.lock import Ticket, TicketLock
from rasa.core.lock_store import LOCK_LIFETIME, RedisLockStore
from rasa.utils.endpoints import EndpointConfig
from redis import ConnectionPool, Redis
from redis.exceptions import RedisError, ResponseError

logger = logging.getLogger(__name__)
POLL_S = 0.1
PRESENCE_EVERY_S = 0.5

# Rasa's format: {"conversation_id": ..., "tickets": ["{\"number\": n, \"expires\": t}", ...]}, with
# the holder's connection id as "owner" in each ticket (Rasa's own store ignores it)
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
    encoded[i] = cjson.encode(cjson.encode({number = ticket.number, expires = ticket.expires,
                                            owner = ticket.owner}))
    if ticket.expires > last then last = ticket.expires end
  end
  redis.call('SET', key, '{"conversation_id": ' .. cjson.encode(conversation_id) .. ', "tickets": ['
             .. table.concat(encoded, ', ') .. ']}', 'PX', math.ceil((last - now) * 1000) + 1000)
end
"""

# KEYS[1] the lock; ARGV: now, lifetime, conversation id, holder ("" if unknown). Drops expired
# tickets, issues the next number; returns {number, 1 if no live ticket is ahead of it else 0}.
_TAKE = _LUA_LOCK + """
local now = tonumber(ARGV[1])
local tickets = live_tickets(redis.call('GET', KEYS[1]), now)
local number = 0
if #tickets > 0 then number = tickets[#tickets].number + 1 end
local owner = nil
if ARGV[4] ~= '' then owner = ARGV[4] end
table.insert(tickets, {number = number, expires = now + tonumber(ARGV[2]), owner = owner})
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
        self._own: Dict[Text, Tuple[asyncio.Lock, List[int]]] = {}  # while Redis is unreachable
        self._presence: Optional[Redis] = None  # a connection of its own, made once Redis answers
        self._owner = ""  # its connection id; "" while unknown
        self._keep_presence_once()
        threading.Thread(target=self._keep_presence, name="lock-presence", daemon=True).start()

    def _keep_presence_once(self) -> None:
        try:
            if self._presence is None:
                pool = self.red.connection_pool
                self._presence = Redis(connection_pool=ConnectionPool(
                    connection_class=pool.connection_class, max_connections=1,
                    **pool.connection_kwargs), single_connection_client=True)
            self._owner = str(self._presence.client_id())
        except RedisError:  # Redis away: tickets taken meanwhile name no holder (they expire)
            self._owner = ""

    def _keep_presence(self) -> None:
        """The presence connection's id, asked again (it changes if the connection was remade)."""
        while True:
            time.sleep(PRESENCE_EVERY_S)
            self._keep_presence_once()

    def _take_ticket(self, conversation_id: Text, lifetime: float) -> Tuple[int, bool]:
        """A new ticket, and whether it may go at once (no live ticket ahead of it)."""
        number, first = self._take(keys=[self.key_prefix + conversation_id],
                                   args=[time.time(), lifetime, conversation_id, self._owner])
        return int(number), bool(first)

    def _tickets(self, conversation_id: Text) -> List[Dict[str, Any]]:
        """The conversation's unexpired tickets: number, expires and (if known) owner."""
        raw = self.red.get(self.key_prefix + conversation_id)
        tickets = [json.loads(t) for t in json.loads(raw).get("tickets", [])] if raw else []
        return [t for t in tickets if t["expires"] >= time.time()]

    def _live(self, conversation_id: Text) -> List[int]:
        """Numbers of the tickets of holders still alive; a dead holder's are given back."""
        tickets = self._tickets(conversation_id)
        gone = self._gone({str(t["owner"]) for t in tickets if t.get("owner")})
        for ticket in tickets:
            if str(ticket.get("owner")) in gone:
                logger.warning("conversation %s: ticket %s's replica is gone; given back",
                               conversation_id, ticket["number"])
                self.cleanup(conversation_id, ticket["number"])
        return [t["number"] for t in tickets if str(t.get("owner")) not in gone]

    def _gone(self, owners: set) -> set:
        """The holders among `owners` whose presence connection Redis no longer has."""
        if not owners:
            return set()
        try:
            listed = self.red.execute_command("CLIENT", "LIST", "ID", *sorted(owners))
        except ResponseError:  # a Redis before 6.2: tickets expire as in Rasa
            return set()
        if isinstance(listed, bytes):
            listed = listed.decode()
        connected = {field[3:] for line in listed.splitlines() for field in line.split()
                     if field.startswith("id=")}
        return owners - connected

    @asynccontextmanager
    async def lock(self, conversation_id: Text, lock_lifetime: float = LOCK_LIFETIME,
                   wait_time_in_seconds: float = POLL_S) -> AsyncGenerator[TicketLock, None]:
        ticket = await self._wait_for_turn(conversation_id, lock_lifetime, wait_time_in_seconds)
        number = -1 if ticket is None else ticket
        held = TicketLock(conversation_id, deque([Ticket(number, time.time() + lock_lifetime)]))
        if ticket is None:
            async with self._own_lock(conversation_id):
                yield held
            return
        try:
            yield held
        finally:
            self.cleanup(conversation_id, ticket)

    async def _wait_for_turn(self, conversation_id: Text, lock_lifetime: float,
                             wait_time_in_seconds: float) -> Optional[int]:
        """This turn's ticket once no live ticket is ahead of it; None if Redis cannot be reached."""
        ticket: Optional[int] = None
        try:
            ticket, first = self._take_ticket(conversation_id, lock_lifetime)
            while not first:
                await asyncio.sleep(min(wait_time_in_seconds, POLL_S))
                live = self._live(conversation_id)
                if ticket not in live:  # expired while waiting: queue again
                    ticket, first = self._take_ticket(conversation_id, lock_lifetime)
                else:
                    first = ticket == min(live)
            return ticket
        except RedisError as error:
            logger.warning("lock store unreachable (%s): conversation %s takes this replica's own "
                           "lock", error, conversation_id)
            if ticket is not None:
                self.cleanup(conversation_id, ticket)
            return None
        except BaseException:  # cancelled while waiting: the turn will not run
            if ticket is not None:
                self.cleanup(conversation_id, ticket)
            raise

    @asynccontextmanager
    async def _own_lock(self, conversation_id: Text) -> AsyncGenerator[None, None]:
        """One turn at a time per conversation in this replica (kept while someone holds or waits)."""
        lock, users = self._own.setdefault(conversation_id, (asyncio.Lock(), [0]))
        users[0] += 1
        try:
            async with lock:
                yield
        finally:
            users[0] -= 1
            if not users[0]:
                del self._own[conversation_id]

    def cleanup(self, conversation_id: Text, ticket_number: int) -> None:
        try:
            self._give_back(keys=[self.key_prefix + conversation_id],
                            args=[time.time(), conversation_id, ticket_number])
        except RedisError as error:  # the turn is done; its ticket expires by itself
            logger.warning("could not give back ticket %s of %s (%s)", ticket_number,
                           conversation_id, error)
