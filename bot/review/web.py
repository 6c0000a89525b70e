"""The review console's web app (Sanic 21.12, the version Rasa 3.6 pins).

`create_app` wires the middleware of bot.review.security, the stylesheet, the error pages and the
routes of bot.review.signin (sign-in and out), bot.review.pages (list, conversation, dashboard,
audit), bot.review.api (exports and JSON API) and bot.review.handoff (call-backs), each a blueprint
reading `request.app.ctx.console` (bot.review.console), which holds what the routes share.
"""
from pathlib import Path

from sanic import Request, Sanic
from sanic.exceptions import SanicException
from sanic.response import HTTPResponse, json
from sqlalchemy.engine import Engine

from bot import request_limit
from bot.review import api, handoff, pages, security, signin
from bot.review.config import Settings
from bot.review.console import Console

HERE = Path(__file__).parent


def create_app(engine: Engine, settings: Settings) -> Sanic:
    app = Sanic("clinic_review_console")
    request_limit.limit(app)  # bodies over 1 MB: 413, unread (Sanic's default is 100 MB)
    app.ctx.engine, app.ctx.settings = engine, settings
    console = app.ctx.console = Console(engine, settings)
    security.install(app)
    app.static("/static/console.css", str(HERE / "static" / "console.css"))
    for routes in (signin, pages, api, handoff):
        app.blueprint(routes.bp)

    @app.exception(SanicException)
    async def problem(request: Request, error: SanicException) -> HTTPResponse:
        status = getattr(error, "status_code", 500)
        if request.path.startswith(security.DATA_PATHS):
            return json({"error": str(error)}, status=status)
        return console.render(request, "error.html", status=status, status_code=status,
                              message=str(error))

    return app
