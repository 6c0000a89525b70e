"""Helpers for the console's tests: a console server in its own process, a signed-in HTTP client,
fresh PostgreSQL databases, and the users every test console has."""
import json
import os
import re
import secrets
import shutil
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Dict, Iterator

import pytest
import requests
from sqlalchemy.engine import make_url

from bot.cluster.postgres import drop_database, ensure_database
from bot.paths import ROOT
from bot.stack import free_port, stop_process

PASSWORD = "correct horse battery staple"
SCREENSHOTS = ROOT / "docs" / "screenshots"  # the console's, next to the widget's
USERS = {"sam": "staff", "lena": "lead"}
PG_ADMIN = os.environ.get("REVIEW_TEST_PG", "postgresql://postgres@127.0.0.1:5432/postgres")
_HIDDEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_in(page: str) -> str:
    found = _HIDDEN.search(page)
    assert found, "no CSRF token in the page"
    return found.group(1)


class Console(requests.Session):
    """A client of one console: cookies kept, redirects never followed (tests look at them)."""

    def __init__(self, url: str) -> None:
        super().__init__()
        self.url = url

    def request(self, method, path, **kwargs):  # noqa: D102 - requests' signature
        kwargs["allow_redirects"] = False
        kwargs.setdefault("timeout", 30)
        return super().request(method, self.url + path, **kwargs)

    def sign_in(self, username: str, password: str = PASSWORD) -> requests.Response:
        token = csrf_in(self.get("/login").text)
        return self.post("/login", data={"csrf_token": token, "username": username,
                                         "password": password, "next": "/conversations"})

    def csrf(self) -> str:
        """The session's CSRF token, as every form of the console carries it."""
        return csrf_in(self.get("/conversations").text)


def console_env(database_url: str, **extra: str) -> Dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TRACKER_", "REVIEW_"))}
    if database_url.startswith("postgresql"):
        env.update(TRACKER_STORE="postgres", TRACKER_DB_URL=database_url)
    else:
        env.update(TRACKER_DB=make_url(database_url).database)
    env.update(PYTHONPATH=str(ROOT), **extra)
    return env


def add_users(database_url: str) -> None:
    for name, role in USERS.items():
        done = subprocess.run([sys.executable, "-m", "bot.review.users", "add", name, "--role", role],
                              input=PASSWORD + "\n", text=True, capture_output=True, cwd=ROOT,
                              env=console_env(database_url))
        assert done.returncode == 0, done.stderr


@contextmanager
def running_console(database_url: str, log: Path, **extra: str) -> Iterator[str]:
    """`python -m bot.review.server` on a free port; yields its base URL."""
    port = free_port()
    env = console_env(database_url, REVIEW_PORT=str(port), **extra)
    with log.open("ab") as out:
        process = subprocess.Popen([sys.executable, "-m", "bot.review.server"], cwd=ROOT, env=env,
                                   stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            assert process.poll() is None, f"the console exited: {log.read_text()}"
            try:
                if requests.get(url + "/login", timeout=2).ok:
                    break
            except requests.RequestException:
                assert time.monotonic() < deadline, f"the console did not start: {log.read_text()}"
                time.sleep(0.2)
        yield url
    finally:
        stop_process(process, timeout=10)


@contextmanager
def postgres_database(prefix: str) -> Iterator[str]:
    """A new, empty PostgreSQL database named `prefix` and a random suffix (test runs on the same
    server never share one); dropped afterwards. Yields its URL."""
    url = make_url(PG_ADMIN).set(database=f"{prefix}_{secrets.token_hex(4)}")
    drop_database(url)
    ensure_database(url)
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        drop_database(url)


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


def chromium() -> str:
    """Debian's chromium (CHROMIUM overrides)."""
    found = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    if not os.path.exists(found):
        pytest.fail("Debian's chromium is not installed: apt-get install -y chromium")
    return found


def browser_walk(script: Path, config: Dict[str, object], work: Path) -> Dict[str, object]:
    """Run `node script config.json results.json` (a walk driving Chromium with playwright-core
    from web/node_modules) and return what it recorded; fails the test if the walk failed."""
    if not (ROOT / "web" / "node_modules" / "playwright-core").is_dir():
        pytest.fail("playwright-core is not installed: run `make web`")
    node = shutil.which("node")
    assert node, "node is needed to drive the browser"
    config_file, results = work / "config.json", work / "results.json"
    config_file.write_text(json.dumps({"chromium": chromium(), "screenshots": str(SCREENSHOTS),
                                       "password": PASSWORD, **config}))
    run = subprocess.run([node, str(script), str(config_file), str(results)], cwd=ROOT,
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout + run.stderr
    found = json.loads(results.read_text())
    assert found["ok"], found.get("error")
    return found
