"""Sign-in attempts, limited per user name and per client address, counted before the password is
checked.

Counting wrong passwords after checking them let 40 guesses sent at once all be checked before the
first failure was written. Here an attempt takes a place in its name's and its address's budgets
first, each in one conditional UPDATE (`attempts < limit`), which the database applies to one row
at a time: of N attempts sent at once at most `limit` get through, in any number of threads or
console processes, on SQLite as on PostgreSQL (the console's database, the one they all share).
Whoever is refused is told when to come back (Retry-After). A right password gives its place back:
what stays counted is wrong passwords and attempts still being checked.

A budget is a fixed window: the first attempt after a window has ended starts a new one. Each
counter is its own transaction holding a single row, so two attempts never wait on each other in
a cycle; a place taken for the address and then refused for the name is given back.
"""
import math
import time
from dataclasses import dataclass
from typing import List, Optional, Tuple

from sqlalchemy import case, delete, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import OperationalError

from bot.review.schema import sign_in_attempts as attempts_table

t = attempts_table.c


@dataclass(frozen=True)
class Limits:
    """From the console's settings (REVIEW_SIGNIN_*: bot.review.config)."""
    account: int     # attempts per user name and window
    address: int     # attempts per client address and window (an office shares one)
    window_s: float


def keys(username: str, address: str, limits: Limits) -> List[Tuple[str, int]]:
    """The budgets an attempt takes a place in, the address's first: (key, limit)."""
    return [(f"address:{address[:64]}", limits.address),
            (f"account:{username[:64]}", limits.account)]


def _bump(connection: Connection, key: str, limit: int, now: float, window_s: float) -> bool:
    """Take a place in `key`'s budget if there is one left, or a new window has begun."""
    ended = t.window_start <= now - window_s
    taken = connection.execute(
        update(attempts_table).where(t.key == key, or_(ended, t.attempts < limit)).values(
            attempts=case((ended, 1), else_=t.attempts + 1),
            window_start=case((ended, now), else_=t.window_start)))
    return taken.rowcount == 1


def _create(connection: Connection, key: str, now: float) -> bool:
    """The first attempt of `key`: its row, with this attempt counted; False if it exists."""
    insert = postgresql.insert if connection.dialect.name == "postgresql" else sqlite.insert
    created = connection.execute(
        insert(attempts_table).values(key=key, window_start=now, attempts=1)
        .on_conflict_do_nothing(index_elements=["key"]))
    return created.rowcount == 1


def _take(engine: Engine, key: str, limit: int, now: float, window_s: float) -> bool:
    with engine.begin() as connection:
        return (_bump(connection, key, limit, now, window_s) or _create(connection, key, now)
                # created by an attempt at the same moment: counted like any other
                or _bump(connection, key, limit, now, window_s))


def give_back(engine: Engine, key: str) -> None:
    with engine.begin() as connection:
        connection.execute(update(attempts_table).where(t.key == key, t.attempts > 0)
                           .values(attempts=t.attempts - 1))


def _wait(engine: Engine, key: str, now: float, window_s: float) -> int:
    """Whole seconds until `key`'s window ends: 1 to the window's length (another process may have
    begun it a moment after this attempt's `now`)."""
    with engine.connect() as connection:
        start = connection.execute(select(t.window_start).where(t.key == key)).scalar()
    left = (start if start is not None else now) + window_s - now
    return min(math.ceil(window_s), max(1, math.ceil(left)))


def admit(engine: Engine, username: str, address: str, limits: Limits,
          now: Optional[float] = None) -> Optional[int]:
    """Count an attempt to sign in as `username` from `address`: None if it may go on to the
    password check, else the seconds to wait before trying again (and it is not counted)."""
    now = time.time() if now is None else now
    taken: List[str] = []
    for key, limit in keys(username, address, limits):
        if not _take(engine, key, limit, now, limits.window_s):
            for earlier in taken:
                give_back(engine, earlier)
            return _wait(engine, key, now, limits.window_s)
        taken.append(key)
    return None


def succeeded(engine: Engine, username: str, address: str, limits: Limits) -> None:
    """A right password: its place in both budgets is given back."""
    for key, _ in keys(username, address, limits):
        give_back(engine, key)


def forget_ended(engine: Engine, limits: Limits, now: Optional[float] = None) -> int:
    """Delete the counters whose window has ended (they would count from 1 again anyway); how many.
    Names and addresses that tried once would otherwise stay for ever. Housekeeping: should the
    database refuse it (another console process deleting the same rows), that one does it."""
    now = time.time() if now is None else now
    try:
        with engine.begin() as connection:
            return connection.execute(delete(attempts_table).where(
                t.window_start <= now - limits.window_s)).rowcount
    except OperationalError:
        return 0
