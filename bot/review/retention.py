"""Delete conversations older than N days: tracker events and the console's rows about them.

    python -m bot.review.retention --days N [--dry-run]

A conversation is older than N days when its newest event is: one still going on is kept whole.
Its events, reviewed flag, notes, tags and access-log entries are deleted in one transaction, and
the run is recorded in review_retention_log (when, by whom, the cutoff and how much was deleted).
"""
import argparse
import getpass
import sys
import time
from dataclasses import dataclass
from typing import List, Optional

from sqlalchemy import Table, delete, func, insert, inspect, select
from sqlalchemy.engine import Connection, Engine

from bot.review.database import connect
from bot.review.schema import PER_CONVERSATION, create_console_tables, events, retention_log

DAY_S = 24 * 3600
CHUNK = 500  # sender ids per DELETE ... IN (...)


@dataclass
class Purge:
    cutoff: float
    conversations: int
    events: int
    console_rows: int


def expired_senders(connection: Connection, cutoff: float) -> List[str]:
    query = (select(events.c.sender_id).group_by(events.c.sender_id)
             .having(func.max(events.c.timestamp) < cutoff))
    return [row.sender_id for row in connection.execute(query)]


def _remove(connection: Connection, table: Table, senders: List[str], dry_run: bool) -> int:
    """Delete the rows of `senders` from `table` (or only count them); how many."""
    where = table.c.sender_id.in_(senders)
    if dry_run:
        return connection.execute(select(func.count()).select_from(table).where(where)).scalar_one()
    return connection.execute(delete(table).where(where)).rowcount


def purge(engine: Engine, days: int, run_by: str, dry_run: bool = False,
          now: Optional[float] = None) -> Purge:
    """Delete (or with dry_run only count) what is older than `days`; record a real run."""
    if days < 1:
        raise ValueError("--days must be at least 1")
    create_console_tables(engine)
    now = time.time() if now is None else now
    cutoff = now - days * DAY_S
    result = Purge(cutoff, 0, 0, 0)
    has_events = inspect(engine).has_table("events")
    with engine.begin() as connection:
        senders = expired_senders(connection, cutoff) if has_events else []
        result.conversations = len(senders)
        for start in range(0, len(senders), CHUNK):
            chunk = senders[start:start + CHUNK]
            result.events += _remove(connection, events, chunk, dry_run)
            for table in PER_CONVERSATION:
                result.console_rows += _remove(connection, table, chunk, dry_run)
        if not dry_run:
            connection.execute(insert(retention_log).values(
                ran_at=now, run_by=run_by, days=days, cutoff=cutoff,
                conversations=result.conversations, events=result.events,
                console_rows=result.console_rows))
    return result


def history(engine: Engine, limit: int = 50) -> List[dict]:
    """The newest retention runs."""
    create_console_tables(engine)
    with engine.connect() as connection:
        rows = connection.execute(select(retention_log).order_by(retention_log.c.id.desc())
                                  .limit(limit))
        return [dict(row._mapping) for row in rows]


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.review.retention", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--days", type=int, required=True, help="keep the last N days")
    parser.add_argument("--dry-run", action="store_true", help="count, delete nothing")
    args = parser.parse_args(argv)
    try:
        result = purge(connect(), args.days, getpass.getuser(), args.dry_run)
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    verb = "would delete" if args.dry_run else "deleted"
    print(f"retention --days {args.days}: {verb} {result.conversations} conversations "
          f"({result.events} events, {result.console_rows} console rows) last active before "
          f"{time.strftime('%Y-%m-%d %H:%M:%S UTC', time.gmtime(result.cutoff))}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
