"""Exports of the filtered list (/export.csv, /export.json) and the JSON API (/api/...).

Same filters as the list (query string), same masking, `reveal=1` for those allowed; exports and
conversations opened through the API are written to the access log.
"""
import time
from datetime import datetime
from urllib.parse import urlencode

from sanic import Blueprint, Request
from sanic.response import HTTPResponse, json, raw

from bot.review import annotations, export, present
from bot.review.console import of
from bot.review.dashboard import as_json

bp = Blueprint("api")


async def exported(request: Request, kind: str) -> HTTPResponse:
    console = of(request)
    zone = console.zone
    filters, reveal, found = await console.listed(request, with_bot=kind == "json")
    await console.db(annotations.log, request.ctx.user.username, "export", None,
                     f"{kind}, {len(found.rows)} conversations, {urlencode(filters.query())}"
                     f"{', revealed' if reveal else ''}")
    now = datetime.fromtimestamp(time.time(), zone)
    if kind == "csv":
        body, mime = export.to_csv(found.rows, zone, reveal), "text/csv; charset=utf-8"
    else:
        body = export.to_json(found.rows, filters, zone, reveal, now.isoformat("T", "seconds"),
                              request.ctx.user.can("see_intents"))
        mime = "application/json"
    name = f"conversations-{now:%Y%m%d-%H%M%S}.{kind}"
    return raw(body.encode("utf-8"), content_type=mime,
               headers={"Content-Disposition": f'attachment; filename="{name}"'})


@bp.get("/export.csv")
async def export_csv(request: Request) -> HTTPResponse:
    return await exported(request, "csv")


@bp.get("/export.json")
async def export_json(request: Request) -> HTTPResponse:
    return await exported(request, "json")


@bp.get("/api/conversations")
async def api_list(request: Request) -> HTTPResponse:
    console = of(request)
    zone = console.zone
    filters, reveal, found = await console.listed(request)
    return json({"filters": filters.as_dict(), "total": len(found.rows), "counts": found.counts,
                 "conversations": [present.summary(r, zone, reveal) for r in found.rows]})


@bp.get("/api/conversations/<key:int>")
async def api_conversation(request: Request, key: int) -> HTTPResponse:
    console = of(request)
    zone = console.zone
    reveal = console.reveal(request)
    row = await console.conversation(key)
    await console.db(annotations.log, request.ctx.user.username,
                     "reveal" if reveal else "view", row.conversation.sender_id, f"api {key}")
    return json(present.detail(row, zone, reveal, request.ctx.user.can("see_intents")))


@bp.get("/api/dashboard")
async def api_dashboard(request: Request) -> HTTPResponse:
    _, _, numbers = await of(request).dashboard(request)
    return json(as_json(numbers))
