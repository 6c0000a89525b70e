"""HttpClient against a real aiohttp server: keep-alive, chunked bodies, closed connections, timeouts."""
import asyncio

import pytest
from aiohttp import web

from bot.bench.http_client import HttpClient
from bot.stack import free_port
from tests.bench.stub_server import serve


def _run(handler, client_steps):
    async def main():
        runner, url = await serve("/hook", handler)
        client = HttpClient(f"{url}/hook")
        try:
            return await client_steps(client)
        finally:
            client.close()
            await runner.cleanup()
    return asyncio.run(main())


def test_posts_json_and_keeps_the_connection():
    peers = []

    async def echo(request):
        peers.append(request.transport.get_extra_info("peername"))
        return web.json_response({"got": await request.json(), "type": request.content_type})

    async def steps(client):
        return [await client.post_json(b'{"n": %d}' % n, 5) for n in range(3)]

    replies = _run(echo, steps)
    assert replies == [(200, b'{"got": {"n": %d}, "type": "application/json"}' % n) for n in range(3)]
    assert len(set(peers)) == 1  # one connection for all three


def test_reads_chunked_bodies_and_reports_the_status():
    async def chunked(request):
        response = web.StreamResponse(status=503)
        response.enable_chunked_encoding()
        await response.prepare(request)
        for part in (b"[{", b'"text": ', b'"hi"}]'):
            await response.write(part)
        await response.write_eof()
        return response

    async def steps(client):
        return await client.post_json(b"{}", 5)

    assert _run(chunked, steps) == (503, b'[{"text": "hi"}]')


def test_reconnects_after_the_server_closes_the_connection():
    peers = []

    async def closing(request):
        peers.append(request.transport.get_extra_info("peername"))
        return web.Response(text="[]", headers={"Connection": "close"})

    async def steps(client):
        return [await client.post_json(b"{}", 5) for _ in range(3)]

    assert _run(closing, steps) == [(200, b"[]")] * 3
    assert len(set(peers)) == 3


def test_a_slow_reply_times_out_and_the_next_request_works():
    async def sometimes_slow(request):
        if (await request.json()).get("slow"):
            await asyncio.sleep(2)
        return web.json_response([])

    async def steps(client):
        with pytest.raises(asyncio.TimeoutError):
            await client.post_json(b'{"slow": true}', 0.2)
        return await client.post_json(b"{}", 5)

    assert _run(sometimes_slow, steps) == (200, b"[]")


def test_a_refused_connection_is_an_os_error():
    async def main():
        with pytest.raises(OSError):
            await HttpClient(f"http://127.0.0.1:{free_port()}/hook").post_json(b"{}", 1)
    asyncio.run(main())


def test_a_connection_dropped_before_the_reply_is_an_os_error_and_the_next_request_reconnects():
    async def drop_first(request):
        if (await request.json()).get("drop"):
            request.transport.close()
            await asyncio.sleep(1)
        return web.json_response([])

    async def steps(client):
        with pytest.raises(OSError):
            await client.post_json(b'{"drop": true}', 5)
        return await client.post_json(b"{}", 5)

    assert _run(drop_first, steps) == (200, b"[]")
