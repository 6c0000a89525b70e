"""Signing in and out (/login, /logout).

The sign-in form is protected by a double-submit cookie (there is no session yet to hold a CSRF
token). Wrong passwords are logged; after accounts.MAX_FAILURES of them a name is refused for a
while. A successful sign-in starts a new session (a browser-session cookie, HttpOnly, SameSite
Strict, Secure with REVIEW_SECURE_COOKIES).
"""
import secrets
from typing import TYPE_CHECKING

from sanic import Request, Sanic
from sanic.response import HTTPResponse, redirect, text

from bot.review import accounts, annotations
from bot.review.security import LOGIN_COOKIE, SESSION_COOKIE, safe_next, same_token, set_cookie

if TYPE_CHECKING:
    from bot.review.web import Console


def register(app: Sanic, console: "Console") -> None:
    secure = console.settings.secure_cookies

    @app.get("/login")
    async def login_page(request: Request) -> HTTPResponse:
        token = request.cookies.get(LOGIN_COOKIE) or secrets.token_urlsafe(32)
        response = console.render(request, "login.html", login_csrf=token, error=None,
                                  next=safe_next(request.args.get("next")))
        set_cookie(response, LOGIN_COOKIE, token, secure, path="/login")
        return response

    @app.post("/login")
    async def login(request: Request) -> HTTPResponse:
        form = request.form or {}
        if not same_token(request.cookies.get(LOGIN_COOKIE), form.get("csrf_token")):
            return text("the sign-in form has expired: reload it", status=403)
        username = (form.get("username") or "").strip().lower()
        target = safe_next(form.get("next"))
        if await console.db(accounts.recent_failures, username) >= accounts.MAX_FAILURES:
            error, status = "Too many wrong passwords: try again in 15 minutes.", 429
        else:
            user = await console.db(accounts.authenticate, username, form.get("password") or "")
            if user:
                response = redirect(target, status=303)
                set_cookie(response, SESSION_COOKIE,
                           await console.db(accounts.start_session, user), secure)
                set_cookie(response, LOGIN_COOKIE, "", secure, path="/login", max_age=0)
                await console.db(annotations.log, user.username, "sign_in")
                return response
            await console.db(annotations.log, username[:64] or "-", "sign_in_failed")
            error, status = "Wrong user name or password.", 401
        return console.render(request, "login.html", status=status,
                              login_csrf=form.get("csrf_token"), error=error, next=target)

    @app.post("/logout")
    async def logout(request: Request) -> HTTPResponse:
        await console.db(accounts.end_session, request.cookies.get(SESSION_COOKIE))
        await console.db(annotations.log, request.ctx.user.username, "sign_out")
        response = redirect("/login", status=303)
        set_cookie(response, SESSION_COOKIE, "", secure, max_age=0)
        return response
