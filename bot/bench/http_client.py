"""A lean HTTP/1.1 client for the load generator: one keep-alive connection per closed-loop client.

The load generator shares the machine with what it measures, so its own CPU per message counts
against the servers: aiohttp's client spent about 0.5 ms a message on this work, this one (asyncio
protocol + httptools, the C parser Sanic uses) about a third of that. It sends one request at a time
and reconnects when the server closes the connection.
"""
import asyncio
from typing import List, Optional, Tuple
from urllib.parse import urlsplit

import httptools


class _Exchange(asyncio.Protocol):
    """One connection; `reply` is set to (status, body) when a response has been read."""

    def __init__(self) -> None:
        self.transport: Optional[asyncio.Transport] = None
        self.parser = httptools.HttpResponseParser(self)
        self.reply: Optional[asyncio.Future] = None
        self.body: List[bytes] = []

    @property
    def open(self) -> bool:
        return self.transport is not None and not self.transport.is_closing()

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]

    def data_received(self, data: bytes) -> None:
        try:
            self.parser.feed_data(data)
        except httptools.HttpParserError as error:
            self._fail(ConnectionError(f"bad HTTP response: {error}"))

    def connection_lost(self, exc: Optional[Exception]) -> None:
        self._fail(ConnectionError("connection closed"))

    # httptools callbacks
    def on_body(self, body: bytes) -> None:
        self.body.append(body)

    def on_message_complete(self) -> None:
        if not self.parser.should_keep_alive():
            self.transport.close()
        if self.reply and not self.reply.done():
            self.reply.set_result((self.parser.get_status_code(), b"".join(self.body)))

    def _fail(self, error: Exception) -> None:
        if self.transport:
            self.transport.close()
        if self.reply and not self.reply.done():
            self.reply.set_exception(error)


class HttpClient:
    """POSTs JSON bodies to one URL over one connection, one request at a time."""

    def __init__(self, url: str) -> None:
        parts = urlsplit(url)
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 80
        self.head = (f"POST {parts.path or '/'} HTTP/1.1\r\nHost: {parts.netloc}\r\n"
                     "Content-Type: application/json\r\nContent-Length: ").encode()
        self.exchange: Optional[_Exchange] = None

    async def post_json(self, body: bytes, timeout_s: float) -> Tuple[int, bytes]:
        """(status, body) of the response; asyncio.TimeoutError, or OSError when the connection fails."""
        loop = asyncio.get_running_loop()
        if self.exchange is None or not self.exchange.open:
            _, self.exchange = await loop.create_connection(_Exchange, self.host, self.port)
        exchange = self.exchange
        exchange.reply, exchange.body = loop.create_future(), []
        exchange.transport.write(b"%s%d\r\n\r\n%s" % (self.head, len(body), body))
        try:
            return await asyncio.wait_for(exchange.reply, timeout_s)
        except asyncio.TimeoutError:
            self.close()
            raise

    def close(self) -> None:
        if self.exchange and self.exchange.transport:
            self.exchange.transport.close()
        self.exchange = None
