"""Sign-in attempts are limited per user name and per client address, and counted before the
password is checked (bot.review.throttle): attempts sent at once, over real HTTP, to real console
processes sharing a database (SQLite and PostgreSQL). Client addresses and HTTPS come from
X-Forwarded-For and X-Forwarded-Proto only when a trusted proxy sends them (bot.review.proxy), and
then cookies are Secure."""
import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from typing import Dict, Iterator, List

import pytest
import requests
from review_support import PASSWORD, Console, add_users, postgres_database, running_console, sqlite_url
from sqlalchemy import func, select

from bot.review import throttle
from bot.review.database import connect
from bot.review.schema import access_log, create_console_tables

WRONG = "not the password at all"
PROXY = {"REVIEW_TRUSTED_PROXIES": "127.0.0.1"}  # the tests' requests come as from nginx


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request, tmp_path) -> Iterator[str]:
    """An empty clinic database with the accounts sam and lena."""
    if request.param == "sqlite":
        url = sqlite_url(tmp_path / "tracker.db")
        add_users(url)
        yield url
    else:
        with postgres_database("clinic_test_throttle") as url:
            add_users(url)
            yield url


def consoles(stack: ExitStack, url: str, log_dir, count: int = 1, **env: str) -> List[str]:
    """`count` console processes on the database at `url`; their base URLs."""
    return [stack.enter_context(running_console(url, log_dir / f"console-{i}.log", **env))
            for i in range(count)]


def at_once(bases: List[str], attempts: List[Dict]) -> List[requests.Response]:
    """Each attempt (username, password, headers) on its own connection, all sent at the same
    moment, spread over the console processes `bases`."""
    clients = [Console(bases[i % len(bases)]) for i in range(len(attempts))]
    tokens = [client.get("/login").cookies["review_login_csrf"] for client in clients]
    start = threading.Barrier(len(attempts))

    def attempt(i: int) -> requests.Response:
        data = {"csrf_token": tokens[i], "username": attempts[i]["username"],
                "password": attempts[i].get("password", WRONG), "next": "/conversations"}
        start.wait()
        return clients[i].post("/login", data=data, headers=attempts[i].get("headers", {}))

    with ThreadPoolExecutor(len(attempts)) as pool:
        return list(pool.map(attempt, range(len(attempts))))


def statuses(responses: List[requests.Response]) -> Dict[int, int]:
    return dict(Counter(response.status_code for response in responses))


def failures_logged(url: str, username: str) -> int:
    """Wrong passwords the access log holds for `username`: the passwords that were checked."""
    engine = connect(url)
    try:
        with engine.connect() as connection:
            return connection.execute(select(func.count()).select_from(access_log).where(
                access_log.c.action == "sign_in_failed",
                access_log.c.username == username)).scalar()
    finally:
        engine.dispose()


def refused_properly(response: requests.Response) -> bool:
    """429, told when to come back (within the 15-minute window), and not signed in."""
    return (response.status_code == 429 and 1 <= int(response.headers["Retry-After"]) <= 15 * 60
            and "Too many sign-in attempts" in response.text
            and "review_session" not in response.cookies)


def test_forty_wrong_passwords_at_once_for_one_account_check_only_five(database, tmp_path):
    """Counted after the fact, all 40 were checked (the lockout came after them all)."""
    with ExitStack() as stack:
        bases = consoles(stack, database, tmp_path, count=2, REVIEW_SIGNIN_ADDRESS_ATTEMPTS="1000")
        responses = at_once(bases, [{"username": "sam"}] * 40)
        assert statuses(responses) == {401: 5, 429: 35}
        assert all(refused_properly(r) for r in responses if r.status_code == 429)
        assert failures_logged(database, "sam") == 5
        assert refused_properly(Console(bases[0]).sign_in("sam"))  # the right one, too, for now
        assert Console(bases[1]).sign_in("lena").status_code == 303  # other names are not locked


def test_one_address_trying_many_names_at_once_checks_only_its_budget(tmp_path):
    """Twenty names from one client behind the proxy (an IPv6 client varies its address within its
    /64) at once: six checked. What a client writes into X-Forwarded-For itself stays left of what
    the proxy appended, and does not get it a new budget; another client has its own."""
    url = sqlite_url(tmp_path / "tracker.db")
    add_users(url)
    with ExitStack() as stack:
        base, = consoles(stack, url, tmp_path, REVIEW_SIGNIN_ADDRESS_ATTEMPTS="6", **PROXY)
        spray = [{"username": f"guess{i}", "headers": {"X-Forwarded-For": f"2001:db8:7:7::{i:x}"}}
                 for i in range(20)]
        assert statuses(at_once([base], spray)) == {401: 6, 429: 14}
        forged, = at_once([base], [{"username": "sam", "password": PASSWORD, "headers": {
            "X-Forwarded-For": "198.51.100.9, 2001:db8:7:7::99"}}])
        assert refused_properly(forged)
        other, = at_once([base], [{"username": "sam", "password": PASSWORD,
                                   "headers": {"X-Forwarded-For": "198.51.100.9"}}])
        assert other.status_code == 303


def test_forwarded_addresses_count_for_nothing_without_a_trusted_proxy(tmp_path):
    """In the default profile X-Forwarded-For is whatever the client wrote: every attempt counts
    for the socket's peer."""
    url = sqlite_url(tmp_path / "tracker.db")
    add_users(url)
    with ExitStack() as stack:
        bases = consoles(stack, url, tmp_path, REVIEW_SIGNIN_ADDRESS_ATTEMPTS="3")
        dodges = [{"username": f"guess{i}", "headers": {"X-Forwarded-For": f"203.0.113.{i}"}}
                  for i in range(8)]
        assert statuses(at_once(bases, dodges)) == {401: 3, 429: 5}


def test_a_right_password_gives_its_place_back(tmp_path):
    url = sqlite_url(tmp_path / "tracker.db")
    add_users(url)
    with ExitStack() as stack:
        base, = consoles(stack, url, tmp_path)
        for _ in range(8):  # more than the five a name has
            assert Console(base).sign_in("sam").status_code == 303
        for _ in range(4):
            assert Console(base).sign_in("sam", WRONG).status_code == 401
        assert Console(base).sign_in("sam").status_code == 303
        assert Console(base).sign_in("sam", WRONG).status_code == 401  # the fifth wrong one
        assert refused_properly(Console(base).sign_in("sam"))


def set_cookies(response: requests.Response) -> List[str]:
    return response.raw.headers.getlist("Set-Cookie")


def test_cookies_are_secure_behind_a_trusted_https_proxy(tmp_path):
    url = sqlite_url(tmp_path / "tracker.db")
    add_users(url)
    https = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "192.0.2.10"}
    with ExitStack() as stack:
        base, = consoles(stack, url, tmp_path, **PROXY)
        client = Console(base)
        form = client.get("/login", headers=https)
        assert all("; secure" in c.lower() for c in set_cookies(form)) and set_cookies(form)
        token = form.cookies["review_login_csrf"]  # Secure: like a browser, requests keeps it
        signed_in = client.post("/login", headers={**https, "Cookie": f"review_login_csrf={token}"},
                                data={"csrf_token": token, "username": "sam",
                                      "password": PASSWORD, "next": "/conversations"})
        assert signed_in.status_code == 303
        session = [c for c in set_cookies(signed_in) if c.startswith("review_session=")]
        assert session and "; secure" in session[0].lower()
        plain = Console(base).get("/login", headers={"X-Forwarded-Proto": "http"})
        assert not [c for c in set_cookies(plain) if "secure" in c.lower()]


def test_cookies_are_not_secure_on_plain_local_http(console_url):
    """The default profile: no trusted proxy, so a forged X-Forwarded-Proto changes nothing."""
    for headers in ({}, {"X-Forwarded-Proto": "https"}):
        client = Console(console_url)
        form = client.get("/login", headers=headers)
        signed_in = client.post("/login", headers=headers, data={
            "csrf_token": form.cookies["review_login_csrf"], "username": "lena",
            "password": PASSWORD, "next": "/conversations"})
        assert signed_in.status_code == 303
        cookies = set_cookies(form) + set_cookies(signed_in)
        assert cookies and not [c for c in cookies if "secure" in c.lower()], headers


def test_a_budget_starts_again_when_its_window_has_ended(tmp_path):
    engine = connect(sqlite_url(tmp_path / "console.db"))
    create_console_tables(engine)
    limits = throttle.Limits(account=2, address=10, window_s=900)
    assert throttle.admit(engine, "sam", "192.0.2.1", limits, now=1000) is None
    assert throttle.admit(engine, "sam", "192.0.2.1", limits, now=1001) is None
    assert throttle.admit(engine, "sam", "192.0.2.1", limits, now=1600) == 300  # Retry-After
    assert throttle.admit(engine, "sam", "192.0.2.1", limits, now=1900) is None
    assert throttle.forget_ended(engine, limits, now=2799) == 0
    assert throttle.forget_ended(engine, limits, now=2800) == 2  # the name's and the address's
