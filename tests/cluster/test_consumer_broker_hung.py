"""The console's consumer when RabbitMQ stops answering (its processes stopped with SIGSTOP, the
connection left open): the consumer gives up and exits, to be started again by `make cluster`,
instead of waiting for good, alive, while the console falls behind (`make test-chaos` saw it wait
so after RabbitMQ was stopped and started). On a RabbitMQ node of the test's own."""
import asyncio

from bot.bench.cluster import remove_scratch, scratch_settings
from bot.bench.scratch_servers import rabbitmq_server, scratch_server
from bot.cluster import consumer

BROKER_TIMEOUT_S = 2.0


def test_a_broker_that_stops_answering_ends_the_consumer(monkeypatch):
    monkeypatch.setattr(consumer, "BROKER_TIMEOUT_S", BROKER_TIMEOUT_S, raising=False)
    with scratch_server(rabbitmq_server) as rabbitmq:
        settings = scratch_settings("clinic_consumer_hung",
                                    rabbitmq_url=f"amqp://guest:guest@127.0.0.1:{rabbitmq.port}/")

        async def scenario() -> BaseException:
            stop, ready = asyncio.Event(), asyncio.Event()
            task = asyncio.create_task(consumer.consume(settings, stop, ready))
            await asyncio.wait_for(ready.wait(), 30)
            rabbitmq.hang()
            try:
                await asyncio.wait({task}, timeout=BROKER_TIMEOUT_S + 10)
            finally:
                rabbitmq.resume()
            if not task.done():  # the broker answers again: let it stop, then fail
                stop.set()
                await asyncio.wait({task}, timeout=15)
                raise AssertionError("the consumer kept waiting for a broker that did not answer")
            return task.exception()

        try:
            error = asyncio.run(scenario())
        finally:
            remove_scratch(settings)
    assert isinstance(error, asyncio.TimeoutError), repr(error)
