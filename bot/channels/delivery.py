"""Sending the outbox: a worker in every server process, with retries and backoff.

The platform channels' output channels no longer call a platform's API: what the bot says is put
into a `Replies` (in memory, for the webhook turn that is running; bot/channels/inbound.py writes
it to the outbox once the turn is stored) or `Enqueued` (written to the outbox after each bot
message: Rasa's HTTP API sending through a channel outside any turn). Nothing is sent before the
outbox holds it, so a platform API that is down or slow never costs a turn.

`Delivery` runs in the Rasa server's event loop, started by each platform channel's blueprint
(`attach`: Sanic's after_server_start / before_server_stop listeners; one worker per process
whatever the number of channels). It takes what is due (bot/channels/outbox.py: in order per
conversation, one row per conversation at a time, each leased to this process) and calls the
channel's sender, at most BATCH at once (different conversations). A sender raises
`PermanentFailure` when the platform refused the request for good (an invalid number, a user who
cannot be reached): the row is marked failed at once. Any other error (connection refused, timeout,
5xx, rate limit) is retried after OUTBOX_BACKOFF_S, doubled each time up to OUTBOX_BACKOFF_MAX_S,
until OUTBOX_MAX_ATTEMPTS attempts; then the row is marked failed. Failing rows are logged as
errors with their outbox id (not the client's number), for staff: `python -m bot.channels.outbox
failed` lists them.

A turn's commit wakes the worker (`Delivery.of(app).wake()`); otherwise it looks every POLL_S,
which is when retries fall due and when rows written by another replica are seen.
"""
import asyncio
import logging
import time
from functools import partial
from typing import Any, Awaitable, Callable, Dict, List, Optional

from sanic import Blueprint, Sanic

from bot.channels.outbox import Item, Outbox, Taken

logger = logging.getLogger(__name__)

BATCH = 16  # rows sent at once (each of a different conversation)
POLL_S = 0.5
SEND_TIMEOUT_S = 15.0  # per platform request; well under LEASE_S
LEASE_S = 60.0  # a row taken by a process that dies is sent by another after this
STOP_WAIT_S = SEND_TIMEOUT_S + 5  # on shutdown, what is being sent is let finish (not sent twice)
PRUNE_EVERY_S = 3600.0
MAX_PAUSE_S = 30.0  # after errors of the outbox's own database

Sender = Callable[[Dict[str, Any]], Awaitable[None]]


class PermanentFailure(Exception):
    """The platform refused the request for good: trying again cannot help."""


async def in_thread(function: Callable[..., Any], *args: Any) -> Any:
    """The outbox's database calls and the platforms' synchronous clients, off the event loop."""
    return await asyncio.get_running_loop().run_in_executor(None, partial(function, *args))


class Replies:
    """What one webhook turn says, in memory until the turn is stored (then written to the outbox
    in the transaction that accepts the client's message)."""

    def __init__(self) -> None:
        self.items: List[Item] = []

    def put(self, conversation: str, payload: Dict[str, Any]) -> None:
        self.items.append(Item(str(conversation), payload, time.time()))

    async def flush(self) -> None:
        """Called after each bot message; a turn's replies wait for the end of the turn."""


class Enqueued(Replies):
    """Written to the outbox after each bot message: what Rasa's HTTP API sends through a channel
    (`output_channel=latest`), outside any client turn."""

    def __init__(self, outbox: Outbox, channel: str) -> None:
        super().__init__()
        self.outbox = outbox
        self.channel = channel

    async def flush(self) -> None:
        items, self.items = self.items, []
        if items:
            await in_thread(self.outbox.enqueue, self.channel, items)


class Delivery:
    """The worker of one server process: sends each channel's rows with that channel's sender."""

    def __init__(self, outbox: Outbox) -> None:
        self.outbox = outbox
        self.senders: Dict[str, Sender] = {}
        self._task: Optional[asyncio.Task] = None
        self._wake: Optional[asyncio.Event] = None
        self._stopping: Optional[asyncio.Event] = None

    @classmethod
    def of(cls, app: Sanic, outbox: Optional[Outbox] = None) -> "Delivery":
        """The app's worker (created by the first channel that asks)."""
        delivery = getattr(app.ctx, "clinic_delivery", None)
        if delivery is None:
            if outbox is None:
                raise RuntimeError("no outbox delivery was set up for this app")
            delivery = app.ctx.clinic_delivery = cls(outbox)
        return delivery

    def register(self, channel: str, sender: Sender) -> None:
        self.senders[channel] = sender

    def wake(self) -> None:
        if self._wake is not None:
            self._wake.set()

    def start(self) -> None:
        if self._task is None:
            self._wake, self._stopping = asyncio.Event(), asyncio.Event()
            self._task = asyncio.get_running_loop().create_task(self._run())

    async def stop(self) -> None:
        task, self._task = self._task, None
        if task is None:
            return
        self._stopping.set()
        self.wake()
        try:
            await asyncio.wait_for(task, STOP_WAIT_S)
        except asyncio.TimeoutError:
            logger.warning("outbox delivery still sending after %.0f s; stopped", STOP_WAIT_S)
        except asyncio.CancelledError:
            pass

    async def _run(self) -> None:
        errors = 0
        pruned_at = 0.0
        while not self._stopping.is_set():
            try:
                if time.monotonic() - pruned_at > PRUNE_EVERY_S:
                    await in_thread(self.outbox.prune)
                    pruned_at = time.monotonic()
                taken = await self.run_once()
                errors = 0
            except Exception:
                errors += 1
                logger.exception("Could not read or update the outbox (%s); trying again",
                                 self.outbox.engine.url.render_as_string())
                taken = 0
            if not taken:  # else a conversation's next message may be due: at once
                await self._pause(min(MAX_PAUSE_S, POLL_S * 2 ** errors) if errors else POLL_S)

    async def _pause(self, seconds: float) -> None:
        try:
            await asyncio.wait_for(self._wake.wait(), seconds)
        except asyncio.TimeoutError:
            pass
        self._wake.clear()

    async def run_once(self) -> int:
        """Send what is due now; how many rows were taken."""
        taken = await in_thread(self.outbox.take, list(self.senders), BATCH, LEASE_S)
        await asyncio.gather(*(self._send(row) for row in taken))
        return len(taken)

    async def _send(self, row: Taken) -> None:
        try:
            await asyncio.wait_for(self.senders[row.channel](row.payload), SEND_TIMEOUT_S + 5)
        except PermanentFailure as refused:
            logger.error("Outbox message %d (%s) refused by the platform, not sent: %s",
                         row.id, row.channel, refused)
            await in_thread(self.outbox.failed, row, f"refused: {refused}")
        except Exception as error:  # unreachable, timed out, 5xx, rate-limited: try again
            reason = f"{type(error).__name__}: {error}"
            if row.attempts >= self.outbox.settings.max_attempts:
                logger.error("Outbox message %d (%s) not sent after %d attempts, given up: %s",
                             row.id, row.channel, row.attempts, reason)
                await in_thread(self.outbox.failed, row, reason)
                return
            at = await in_thread(self.outbox.retry_later, row, reason)
            logger.warning("Outbox message %d (%s) not sent (attempt %d of %d), next in %.0f s: %s",
                           row.id, row.channel, row.attempts, self.outbox.settings.max_attempts,
                           at - time.time(), reason)
        else:
            await in_thread(self.outbox.delivered, row)


def attach(blueprint: Blueprint, channel: str, outbox: Outbox, sender: Sender) -> None:
    """Run the process's delivery worker, sending `channel`'s rows with `sender`, while the server
    runs (Sanic listeners on the channel's blueprint)."""

    @blueprint.listener("after_server_start")
    async def start_delivery(app: Sanic, _: Any) -> None:
        delivery = Delivery.of(app, outbox)
        delivery.register(channel, sender)
        delivery.start()

    @blueprint.listener("before_server_stop")
    async def stop_delivery(app: Sanic, _: Any) -> None:
        delivery = getattr(app.ctx, "clinic_delivery", None)
        if delivery is not None:
            await delivery.stop()
