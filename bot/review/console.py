"""What every route of the review console shares (`request.app.ctx.console`): the database, the
settings, the templates, the red-flag codes. Database work runs in threads, as SQLAlchemy 1.4 is
synchronous. The routes are blueprints (bot.review.signin, pages, api, handoff) that read it from the
app; bot.review.web builds the app."""
import asyncio
from pathlib import Path
from typing import Any, Callable
from urllib.parse import parse_qs, urlencode

from jinja2 import Environment, FileSystemLoader, select_autoescape
from sanic import Request
from sanic.exceptions import Forbidden, NotFound, SanicException
from sanic.response import HTTPResponse, html
from sqlalchemy.engine import Engine

from bot.review import annotations, present
from bot.review.config import Settings
from bot.review.conversations import find
from bot.review.dashboard import stats
from bot.review.filters import NO_LEVEL, Filters, Row, listing
from bot.review.pii import mask_identifier
from bot.triage import rules as triage_rules

HERE = Path(__file__).parent


def _templates() -> Environment:
    env = Environment(loader=FileSystemLoader(HERE / "templates"),
                      autoescape=select_autoescape(default=True), trim_blocks=True,
                      lstrip_blocks=True)
    env.filters["short"] = lambda iso: iso.replace("T", " ")[:19] if iso else ""
    env.filters["query"] = urlencode
    env.filters["mask"] = mask_identifier
    env.filters["level_name"] = present.level_label
    env.filters["flag_name"] = present.flag_label
    env.filters["flag_short"] = lambda code: present.flag_label(code).split(" (")[0]
    return env


class Console:
    """What every route needs: the database, the settings, the templates, the red-flag codes."""

    def __init__(self, engine: Engine, settings: Settings) -> None:
        self.engine = engine
        self.settings = settings
        self.zone = settings.timezone
        self.templates = _templates()
        self.red_flags = triage_rules.load().codes

    async def db(self, function: Callable, *args: Any) -> Any:
        """Run function(engine, *args) in a thread."""
        return await asyncio.to_thread(function, self.engine, *args)

    def render(self, request: Request, name: str, status: int = 200,
               **context: Any) -> HTTPResponse:
        page = self.templates.get_template(name).render(
            user=getattr(request.ctx, "user", None), csrf=getattr(request.ctx, "csrf", None),
            levels=triage_rules.LEVELS, no_level=NO_LEVEL, red_flags=self.red_flags,
            path=request.path, zone=str(self.zone), **context)
        return html(page, status=status)

    @staticmethod
    def filters(request: Request) -> Filters:
        try:
            return Filters.parse({name: values[0] for name, values in request.args.items()})
        except ValueError as error:
            raise SanicException(str(error), status_code=400) from None

    @staticmethod
    def reveal(request: Request) -> bool:
        """Whether ?reveal=1 was asked, by someone allowed to."""
        if request.args.get("reveal") != "1":
            return False
        if not request.ctx.user.can("reveal_pii"):
            raise Forbidden("revealing personal details needs the reveal_pii permission")
        return True

    @staticmethod
    def queue_filters(query: str) -> Filters:
        """The filters a form carried back (its `queue` field, a query string), checked."""
        try:
            return Filters.parse({k: v[0] for k, v in parse_qs(query or "").items()})
        except ValueError as error:
            raise SanicException(str(error), status_code=400) from None

    async def listed(self, request: Request, with_bot: bool = False):
        """(filters, reveal, found): what the request's query selects, masked unless revealed."""
        filters, reveal = self.filters(request), self.reveal(request)
        return filters, reveal, await self.db(listing, filters, self.zone, reveal, with_bot)

    async def dashboard(self, request: Request):
        """(filters, found, numbers): the dashboard's figures for the request's filters."""
        filters = self.filters(request)
        found = await self.db(listing, filters, self.zone)
        return filters, found, stats(found.rows, filters, self.zone, list(self.red_flags))

    async def conversation(self, key: int) -> Row:
        conversation = await self.db(find, key)
        if conversation is None:
            raise NotFound("no such conversation (it may have been deleted by retention)")
        notes = await self.db(annotations.of_conversation, conversation.sender_id)
        return present.row_for(conversation, notes)


def of(request: Request) -> Console:
    """The console of the app serving this request."""
    return request.app.ctx.console
