"""Signing in and out (/login, /logout).

The sign-in form is protected by a double-submit cookie (there is no session yet to hold a CSRF
token). Every attempt first takes a place in its user name's and its client address's budgets
(bot.review.throttle), before the password is checked: past either, the answer is 429 with
Retry-After and no password is checked. Wrong passwords are logged. A successful sign-in starts a
new session (a browser-session cookie, HttpOnly, SameSite Strict; Secure with REVIEW_SECURE_COOKIES,
or when a trusted proxy says the browser came over HTTPS: bot.review.proxy).
"""
import secrets

from sanic import Blueprint, Request
from sanic.response import HTTPResponse, redirect, text

from bot.review import accounts, annotations, proxy, throttle
from bot.review.console import of
from bot.review.security import LOGIN_COOKIE, SESSION_COOKIE, safe_next, same_token, set_cookie

bp = Blueprint("signin")



def _limits(request: Request) -> throttle.Limits:
    settings = of(request).settings
    return throttle.Limits(settings.account_attempts, settings.address_attempts,
                           settings.attempt_window_minutes * 60)


def secure(request: Request) -> bool:
    settings = of(request).settings
    return settings.secure_cookies or proxy.over_https(request, settings.trusted_proxies)


@bp.get("/login")
async def login_page(request: Request) -> HTTPResponse:
    token = request.cookies.get(LOGIN_COOKIE) or secrets.token_urlsafe(32)
    response = of(request).render(request, "login.html", login_csrf=token, error=None,
                                  next=safe_next(request.args.get("next")))
    set_cookie(response, LOGIN_COOKIE, token, secure(request), path="/login")
    return response


@bp.post("/login")
async def login(request: Request) -> HTTPResponse:
    console, limits = of(request), _limits(request)
    form = request.form or {}
    if not same_token(request.cookies.get(LOGIN_COOKIE), form.get("csrf_token")):
        return text("the sign-in form has expired: reload it", status=403)
    username = (form.get("username") or "").strip().lower()
    target = safe_next(form.get("next"))
    address = proxy.client_address(request, console.settings.trusted_proxies)
    wait = await console.db(throttle.admit, username, address, limits)
    if wait:
        minutes = -(-wait // 60)
        response = console.render(
            request, "login.html", status=429, login_csrf=form.get("csrf_token"), next=target,
            error=f"Too many sign-in attempts: try again in {minutes} "
                  f"minute{'' if minutes == 1 else 's'}.")
        response.headers["Retry-After"] = str(wait)
        return response
    user = await console.db(accounts.authenticate, username, form.get("password") or "")
    if not user:
        await console.db(annotations.log, username[:64] or "-", "sign_in_failed")
        return console.render(request, "login.html", status=401, next=target,
                              login_csrf=form.get("csrf_token"),
                              error="Wrong user name or password.")
    await console.db(throttle.succeeded, username, address, limits)
    await console.db(throttle.forget_ended, limits)  # housekeeping, at a right password
    response = redirect(target, status=303)
    set_cookie(response, SESSION_COOKIE, await console.db(accounts.start_session, user),
               secure(request))
    set_cookie(response, LOGIN_COOKIE, "", secure(request), path="/login", max_age=0)
    await console.db(annotations.log, user.username, "sign_in")
    return response


@bp.post("/logout")
async def logout(request: Request) -> HTTPResponse:
    console = of(request)
    await console.db(accounts.end_session, request.cookies.get(SESSION_COOKIE))
    await console.db(annotations.log, request.ctx.user.username, "sign_out")
    response = redirect("/login", status=303)
    set_cookie(response, SESSION_COOKIE, "", secure(request), max_age=0)
    return response
