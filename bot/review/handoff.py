"""The call-back queue and the alerts that could not be delivered (issue 17): a page of its own,
`/callbacks`, so that the rest of the console is unchanged.

Call-back requests are stored by the alert watcher (bot/alerts/watcher.py) from the conversation's
events, with the number as the client gave it: this page is the one place where it is shown
whole (staff need it to call), and every opening of the page is in the access log. Staff mark a
request done; who and when is kept. Alerts that failed for good, or are being retried, are listed
with their last error, so that nobody mistakes silence for "no emergency".
"""
import time
from typing import Dict, List

from sanic import Blueprint, Request
from sanic.exceptions import NotFound
from sanic.response import HTTPResponse, redirect
from sqlalchemy import func, inspect, or_, select, update
from sqlalchemy.engine import Engine

from bot.review import annotations, present
from bot.review.console import of
from bot.review.schema import alerts, callbacks, events

DONE_SHOWN = 20  # requests done most recently, kept in view under the open ones
PROBLEMS_SHOWN = 50

bp = Blueprint("handoff")


def _keys(engine: Engine, senders: List[str]) -> Dict[str, int]:
    """Each conversation's number in the console (the id of its first event)."""
    if not senders or not inspect(engine).has_table("events"):
        return {}
    with engine.connect() as connection:
        rows = connection.execute(select(events.c.sender_id, func.min(events.c.id).label("key"))
                                  .where(events.c.sender_id.in_(senders))
                                  .group_by(events.c.sender_id))
        return {row.sender_id: row.key for row in rows}


def queue(engine: Engine) -> Dict[str, List[dict]]:
    """Open requests (oldest first: whoever asked first is called first), the latest done, and
    alerts that are failing or failed."""
    with engine.connect() as connection:
        open_ = connection.execute(select(callbacks).where(callbacks.c.done_at.is_(None))
                                   .order_by(callbacks.c.requested_at)).mappings().all()
        done = connection.execute(select(callbacks).where(callbacks.c.done_at.is_not(None))
                                  .order_by(callbacks.c.done_at.desc()).limit(DONE_SHOWN)
                                  ).mappings().all()
        problems = connection.execute(
            select(alerts).where(or_(alerts.c.state == "failed", alerts.c.last_error.is_not(None)))
            .order_by(alerts.c.id.desc()).limit(PROBLEMS_SHOWN)).mappings().all()
    keys = _keys(engine, sorted({r["sender_id"] for r in [*open_, *done, *problems]}))
    with_key = lambda rows: [dict(r, key=keys.get(r["sender_id"])) for r in rows]  # noqa: E731
    return {"open": with_key(open_), "done": with_key(done), "problems": with_key(problems)}


def mark_done(engine: Engine, request_id: int, username: str) -> None:
    """Mark a request done (once: a second click changes nothing) and log it."""
    with engine.begin() as connection:
        row = connection.execute(select(callbacks.c.sender_id).where(
            callbacks.c.id == request_id)).first()
        if row is None:
            raise NotFound("no such call-back request")
        connection.execute(update(callbacks).where(callbacks.c.id == request_id,
                                                   callbacks.c.done_at.is_(None))
                           .values(done_by=username, done_at=time.time()))
    annotations.log(engine, username, "callback_done", row.sender_id, f"call-back {request_id}")


def dated(rows: List[dict], zone, *names: str) -> List[dict]:
    return [{**r, **{n: present.when(r[n], zone) for n in names}} for r in rows]


@bp.get("/callbacks")
async def callback_queue(request: Request) -> HTTPResponse:
    console = of(request)
    found = await console.db(queue)
    await console.db(annotations.log, request.ctx.user.username, "callbacks", None,
                     f"{len(found['open'])} open")
    return console.render(
        request, "callbacks.html", open=dated(found["open"], console.zone, "requested_at"),
        done=dated(found["done"], console.zone, "requested_at", "done_at"),
        problems=dated(found["problems"], console.zone, "created_at", "next_attempt_at", "sent_at"))


@bp.post("/callbacks/<request_id:int>/done")
async def callback_done(request: Request, request_id: int) -> HTTPResponse:
    console = of(request)
    await console.db(mark_done, request_id, request.ctx.user.username)
    return redirect("/callbacks", status=303)
