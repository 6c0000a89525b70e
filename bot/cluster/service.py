"""How the production profile's long-running asyncio processes (relay, consumer) run and wait."""
import asyncio
import logging
import signal
from contextlib import suppress
from typing import Awaitable, Callable

import uvloop

from bot.cluster.settings import ClusterSettings


def run_until_stopped(serve: Callable[[ClusterSettings, asyncio.Event], Awaitable[None]]) -> None:
    """serve(settings from the environment, stop) on uvloop; SIGINT or SIGTERM sets `stop`."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    stop = asyncio.Event()

    async def run() -> None:
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        await serve(ClusterSettings.from_env(), stop)

    uvloop.run(run())


async def pause(stop: asyncio.Event, seconds: float) -> None:
    """Wait `seconds`, or less if `stop` is set meanwhile."""
    with suppress(asyncio.TimeoutError):
        await asyncio.wait_for(stop.wait(), seconds)
