"""Sign-in enforcement, CSRF checks and security headers, as Sanic middleware.

Every request but the sign-in page and the stylesheet needs a live session: pages redirect to
/login, the API and exports answer 401. Every POST needs the session's CSRF token, in the form field
`csrf_token` or the `X-CSRF-Token` header (the sign-in form uses a double-submit cookie instead, as
there is no session yet). Responses are never cached and carry a strict Content-Security-Policy.
"""
import asyncio
import hmac
from typing import Optional
from urllib.parse import quote

from sanic import Request, Sanic
from sanic.response import HTTPResponse, json, redirect, text

from bot.review import accounts

SESSION_COOKIE = "review_session"
LOGIN_COOKIE = "review_login_csrf"
PUBLIC = frozenset({"/login", "/static/console.css"})
DATA_PATHS = ("/api/", "/export")  # answer JSON, also when refusing
HEADERS = {
    "Content-Security-Policy": ("default-src 'none'; style-src 'self'; img-src 'self' data:; "
                                "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}


def same_token(expected: Optional[str], given: Optional[str]) -> bool:
    return bool(expected and given) and hmac.compare_digest(expected, given)


def set_cookie(response: HTTPResponse, name: str, value: str, secure: bool, path: str = "/",
               max_age: Optional[int] = None) -> None:
    response.cookies[name] = value
    cookie = response.cookies[name]
    cookie["path"] = path
    cookie["httponly"] = True
    cookie["samesite"] = "Strict"
    if secure:
        cookie["secure"] = True
    if max_age is not None:
        cookie["max-age"] = max_age


def safe_next(target: Optional[str]) -> str:
    """Where to go after sign-in: a path of this site only."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/conversations"


def _refuse_anonymous(request: Request) -> HTTPResponse:
    if request.path.startswith(DATA_PATHS):
        return json({"error": "sign in first"}, status=401)
    if request.method != "GET":
        return text("sign in first", status=401)
    target = request.path + ("?" + request.query_string if request.query_string else "")
    return redirect("/login?next=" + quote(target, safe=""), status=303)


def install(app: Sanic) -> None:
    """Add the middleware to the console's app (app.ctx.engine, app.ctx.settings)."""

    @app.on_request
    async def require_session(request: Request) -> Optional[HTTPResponse]:
        request.ctx.user = None
        if request.path in PUBLIC:
            return None
        token = request.cookies.get(SESSION_COOKIE)
        found = token and await asyncio.to_thread(accounts.session_user, app.ctx.engine, token,
                                                  app.ctx.settings)
        if not found:
            return _refuse_anonymous(request)
        request.ctx.user, request.ctx.csrf = found
        if request.method not in ("GET", "HEAD", "OPTIONS"):
            given = request.headers.get("X-CSRF-Token") or (request.form or {}).get("csrf_token")
            if not same_token(request.ctx.csrf, given):
                return text("the form has expired or did not come from this console: reload it",
                            status=403)
        return None

    @app.on_response
    async def add_headers(request: Request, response: HTTPResponse) -> None:
        for name, value in HEADERS.items():
            response.headers.setdefault(name, value)
