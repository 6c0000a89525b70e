"""A real aiohttp server on a free port, for the load generator's and HTTP client's tests."""
from typing import Awaitable, Callable, Tuple

from aiohttp import web

from bot.stack import free_port


async def serve(path: str, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
                ) -> Tuple[web.AppRunner, str]:
    """Start serving POST `path`; the runner (cleanup() stops it) and the server's base URL."""
    app = web.Application()
    app.router.add_post(path, handler)
    runner = web.AppRunner(app)
    await runner.setup()
    port = free_port()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    return runner, f"http://127.0.0.1:{port}"
