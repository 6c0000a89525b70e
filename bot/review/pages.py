"""The console's pages: the conversation list (the work queue), one conversation (and what staff
change on it: reviewed, assignee, tags, notes, corrections), the dashboard and, for leads, the audit
page.

A conversation opened from the queue keeps the queue's filters in its query string, so Previous,
Next and "Mark reviewed and open next" walk the same queue (bot.review.queue); every form carries
them back in its `queue` field.
"""
from typing import Callable, Optional
from urllib.parse import urlencode

from sanic import Blueprint, Request
from sanic.exceptions import Forbidden, SanicException
from sanic.response import HTTPResponse, redirect

from bot.channels.ratings import ratings_of_conversation
from bot.review import annotations, present, teach
from bot.review.accounts import active_usernames
from bot.review.console import of
from bot.review.dashboard import charts_of
from bot.review.filters import Filters
from bot.review.queue import place
from bot.review.retention import history
from bot.review.schema import events

PAGE_SIZE = 50

bp = Blueprint("pages")


def dated(items, zone, *keys):
    return [{**item, **{key: present.when(item[key], zone) for key in keys}} for item in items]


@bp.get("/")
async def home(request: Request) -> HTTPResponse:
    return redirect("/conversations", status=303)


@bp.get("/conversations")
async def conversation_list(request: Request) -> HTTPResponse:
    console = of(request)
    zone = console.zone
    filters, reveal, found = await console.listed(request)
    pages = max(1, -(-len(found.rows) // PAGE_SIZE))
    try:
        page = min(max(int(request.args.get("page") or 1), 1), pages)
    except ValueError:
        raise SanicException("page must be a number", status_code=400) from None
    shown = found.rows[(page - 1) * PAGE_SIZE:page * PAGE_SIZE]
    return console.render(request, "list.html", filters=filters, query=filters.query(),
                          counts=found.counts, total=len(found.rows), page=page, pages=pages,
                          rows=[present.summary(r, zone, reveal) for r in shown], reveal=reveal)


def at(key: Optional[int], filters: Filters) -> Optional[str]:
    """The page of conversation `key` in the queue the filters select."""
    if key is None:
        return None
    query = urlencode(filters.query())
    return f"/conversations/{key}" + (f"?{query}" if query else "")


@bp.get("/conversations/<key:int>")
async def conversation_page(request: Request, key: int) -> HTTPResponse:
    console = of(request)
    zone = console.zone
    reveal, filters = console.reveal(request), console.filters(request)
    row = await console.conversation(key)
    sender = row.conversation.sender_id
    await console.db(annotations.log, request.ctx.user.username,
                     "reveal" if reveal else "view", sender, f"conversation {key}")
    accesses = await console.db(annotations.recent_access, sender, 20)
    ratings = await console.db(client_ratings, sender)
    where = await console.db(place, row, filters, zone)
    intents = request.ctx.user.can("see_intents")
    return console.render(request, "conversation.html",
                          c=present.detail(row, zone, reveal, intents), reveal=reveal,
                          accesses=dated(accesses, zone, "at"), place=where,
                          ratings=dated(ratings, zone, "rated_at"),
                          previous_url=at(where.previous, filters),
                          next_url=at(where.next, filters), queue=urlencode(filters.query()),
                          staff=await console.db(active_usernames), see_intents=intents,
                          intents=teach.domain_intents())


async def change(request: Request, key: int, action: Callable[..., None],
                 *args) -> HTTPResponse:
    console = of(request)
    row = await console.conversation(key)
    filters = console.queue_filters(request.form.get("queue") or "")
    try:
        await console.db(action, row.conversation.sender_id, request.ctx.user.username, *args)
    except ValueError as error:
        raise SanicException(str(error), status_code=400) from None
    return redirect(at(key, filters), status=303)


@bp.post("/conversations/<key:int>/reviewed")
async def reviewed(request: Request, key: int) -> HTTPResponse:
    """Mark reviewed (or not); with `next=1`, then open the next unreviewed conversation of
    the queue, found before this one leaves the unreviewed ones."""
    console = of(request)
    zone = console.zone
    done = request.form.get("reviewed") != "0"
    if not (done and request.form.get("next") == "1"):
        return await change(request, key, annotations.set_reviewed, done)
    row = await console.conversation(key)
    filters = console.queue_filters(request.form.get("queue") or "")
    following = (await console.db(place, row, filters, zone)).next_unreviewed
    await console.db(annotations.set_reviewed, row.conversation.sender_id,
                     request.ctx.user.username, True)
    return redirect(at(following, filters) or "/conversations?reviewed=no", status=303)


@bp.post("/conversations/<key:int>/assign")
async def assign(request: Request, key: int) -> HTTPResponse:
    return await change(request, key, annotations.assign, request.form.get("assignee") or "")


@bp.post("/conversations/<key:int>/corrections")
async def correct(request: Request, key: int) -> HTTPResponse:
    """Staff say what one client message meant: its intent, or a missed or wrong red flag."""
    console = of(request)
    row = await console.conversation(key)
    kind = request.form.get("kind") or ""
    value = (request.form.get("value") or "").strip()
    try:
        event = int(request.form.get("event") or "")
        teach.check(kind, value)
    except ValueError as error:
        raise SanicException(str(error) if str(error) else "bad correction",
                             status_code=400) from None
    if not any(m.sender == "client" and m.event_id == event for m in row.conversation.messages):
        raise SanicException("that is not a client message of this conversation",
                             status_code=400)
    return await change(request, key, annotations.correct, event, kind, value)


@bp.post("/conversations/<key:int>/corrections/remove")
async def uncorrect(request: Request, key: int) -> HTTPResponse:
    try:
        number = int(request.form.get("id") or "")
    except ValueError:
        raise SanicException("which correction?", status_code=400) from None
    return await change(request, key, annotations.uncorrect, number)


@bp.post("/conversations/<key:int>/notes")
async def note(request: Request, key: int) -> HTTPResponse:
    return await change(request, key, annotations.add_note, request.form.get("text") or "")


@bp.post("/conversations/<key:int>/tags")
async def tag(request: Request, key: int) -> HTTPResponse:
    return await change(request, key, annotations.add_tag, request.form.get("tag") or "")


@bp.post("/conversations/<key:int>/tags/remove")
async def untag(request: Request, key: int) -> HTTPResponse:
    return await change(request, key, annotations.remove_tag, request.form.get("tag") or "")


@bp.get("/dashboard")
async def dashboard(request: Request) -> HTTPResponse:
    console = of(request)
    filters, found, numbers = await console.dashboard(request)
    return console.render(request, "dashboard.html", filters=filters, counts=found.counts,
                          stats=numbers, svg=charts_of(numbers), reveal=False)


@bp.get("/audit")
async def audit(request: Request) -> HTTPResponse:
    console = of(request)
    if not request.ctx.user.can("reveal_pii"):
        raise Forbidden("the audit page is for leads")
    accesses = await console.db(annotations.recent_access)
    runs = await console.db(history)
    return console.render(request, "audit.html", accesses=dated(accesses, console.zone, "at"),
                          runs=dated(runs, console.zone, "ran_at", "cutoff"))


def client_ratings(engine, sender: str):
    """The client's thumbs up or down on the assistant's answers (the widget stores them in the
    conversation's events: bot/channels/ratings.py), latest per answer."""
    with engine.connect() as connection:
        return ratings_of_conversation(connection, events, sender)
