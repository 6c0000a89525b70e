"""The review console refuses a request body over 1 MB with 413 before reading it (Sanic's default
limit is 100 MB: bot/request_limit.py), over real HTTP against a running console; a form under the
limit is still read."""
import socket

import pytest
from review_support import Console, csrf_in

from bot import request_limit


def status_of_post(url: str, path: str, length: int, body: bytes, cookie: str = "") -> bytes:
    """The status line the console answers to a POST announcing `length` bytes, of which only
    `body` is sent; b"" if it answers nothing (before, it waited for the rest of the body)."""
    host, port = url.rsplit("/", 1)[-1].split(":")
    head = (f"POST {path} HTTP/1.1\r\nHost: {host}\r\n"
            f"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {length}\r\n"
            + (f"Cookie: {cookie}\r\n" if cookie else "") + "\r\n")
    with socket.create_connection((host, int(port)), timeout=10) as connection:
        connection.sendall(head.encode() + body)
        try:
            return connection.makefile("rb").readline()
        except socket.timeout:
            return b""


def test_a_body_over_1_mb_is_refused_with_413_unread(console_url):
    # the sign-in form: the one route that reads a body from anyone (the others refuse a request
    # without a signed-in session and its CSRF token first, unread)
    status = status_of_post(console_url, "/login", 2_000_000, b"csrf_token=")
    assert status.split()[1:2] == [b"413"], status


def test_a_form_under_the_limit_is_read(console_url):
    client = Console(console_url)
    token = csrf_in(client.get("/login").text)
    padding = "x" * (request_limit.DEFAULT_MAX_BYTES - 10_000)
    answer = client.post("/login", data={"csrf_token": token, "username": "nobody",
                                         "password": "wrong", "padding": padding})
    assert answer.status_code != 413, answer.status_code


def test_the_limit_is_1_mb_unless_sanic_request_max_size_says_otherwise():
    assert request_limit.max_request_bytes({}) == 1_000_000
    assert request_limit.max_request_bytes({"SANIC_REQUEST_MAX_SIZE": "2048"}) == 2048
    for wrong in ("0", "-1", "1MB"):
        with pytest.raises(ValueError):
            request_limit.max_request_bytes({"SANIC_REQUEST_MAX_SIZE": wrong})
