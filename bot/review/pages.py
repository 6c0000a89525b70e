"""The console's pages: the conversation list, one conversation (and what staff change on it),
the dashboard and, for leads, the audit page."""
from typing import TYPE_CHECKING, Callable

from sanic import Request, Sanic
from sanic.exceptions import Forbidden, SanicException
from sanic.response import HTTPResponse, redirect

from bot.review import annotations, present
from bot.review.dashboard import charts_of, stats
from bot.review.filters import listing
from bot.review.retention import history

PAGE_SIZE = 50

if TYPE_CHECKING:
    from bot.review.web import Console


def register(app: Sanic, console: "Console") -> None:
    zone = console.zone

    def dated(items, *keys):
        return [{**item, **{key: present.when(item[key], zone) for key in keys}} for item in items]

    @app.get("/")
    async def home(request: Request) -> HTTPResponse:
        return redirect("/conversations", status=303)

    @app.get("/conversations")
    async def conversation_list(request: Request) -> HTTPResponse:
        filters, reveal = console.filters(request), console.reveal(request)
        found = await console.db(listing, filters, zone, reveal)
        pages = max(1, -(-len(found.rows) // PAGE_SIZE))
        try:
            page = min(max(int(request.args.get("page") or 1), 1), pages)
        except ValueError:
            raise SanicException("page must be a number", status_code=400) from None
        shown = found.rows[(page - 1) * PAGE_SIZE:page * PAGE_SIZE]
        return console.render(request, "list.html", filters=filters, query=filters.query(),
                              counts=found.counts, total=len(found.rows), page=page, pages=pages,
                              rows=[present.summary(r, zone, reveal) for r in shown], reveal=reveal)

    @app.get("/conversations/<key:int>")
    async def conversation_page(request: Request, key: int) -> HTTPResponse:
        reveal = console.reveal(request)
        row = await console.conversation(key)
        sender = row.conversation.sender_id
        await console.db(annotations.log, request.ctx.user.username,
                         "reveal" if reveal else "view", sender, f"conversation {key}")
        accesses = await console.db(annotations.recent_access, sender, 20)
        return console.render(request, "conversation.html", c=present.detail(row, zone, reveal),
                              reveal=reveal, accesses=dated(accesses, "at"))

    async def change(request: Request, key: int, action: Callable[..., None],
                     *args) -> HTTPResponse:
        row = await console.conversation(key)
        try:
            await console.db(action, row.conversation.sender_id, request.ctx.user.username, *args)
        except ValueError as error:
            raise SanicException(str(error), status_code=400) from None
        return redirect(f"/conversations/{key}", status=303)

    @app.post("/conversations/<key:int>/reviewed")
    async def reviewed(request: Request, key: int) -> HTTPResponse:
        return await change(request, key, annotations.set_reviewed,
                            request.form.get("reviewed") != "0")

    @app.post("/conversations/<key:int>/notes")
    async def note(request: Request, key: int) -> HTTPResponse:
        return await change(request, key, annotations.add_note, request.form.get("text") or "")

    @app.post("/conversations/<key:int>/tags")
    async def tag(request: Request, key: int) -> HTTPResponse:
        return await change(request, key, annotations.add_tag, request.form.get("tag") or "")

    @app.post("/conversations/<key:int>/tags/remove")
    async def untag(request: Request, key: int) -> HTTPResponse:
        return await change(request, key, annotations.remove_tag, request.form.get("tag") or "")

    @app.get("/dashboard")
    async def dashboard(request: Request) -> HTTPResponse:
        filters = console.filters(request)
        found = await console.db(listing, filters, zone)
        numbers = stats(found.rows, filters, zone, list(console.red_flags))
        return console.render(request, "dashboard.html", filters=filters, counts=found.counts,
                              stats=numbers, svg=charts_of(numbers), reveal=False)

    @app.get("/audit")
    async def audit(request: Request) -> HTTPResponse:
        if not request.ctx.user.can("reveal_pii"):
            raise Forbidden("the audit page is for leads")
        accesses = await console.db(annotations.recent_access)
        runs = await console.db(history)
        return console.render(request, "audit.html", accesses=dated(accesses, "at"),
                              runs=dated(runs, "ran_at", "cutoff"))
