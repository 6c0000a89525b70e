"""A real production-profile cluster for these tests: nginx, two Rasa and two action replicas, the
PostgreSQL, Redis and RabbitMQ servers of this machine. Databases and queue have names of their own
and are removed afterwards."""
import asyncio
import secrets
import socket
from typing import Iterator

import aio_pika
import pytest
from sqlalchemy.engine import Engine, make_url

from bot.cluster.postgres import drop_database
from bot.cluster.settings import ClusterSettings
from bot.cluster.stack import Cluster, running_cluster
from bot.review.database import connect
from tests.cluster.cluster_client import ClusterClient

TOKEN = secrets.token_hex(16)


def free_ports(count: int) -> int:
    """The first of `count` consecutive free ports."""
    for base in range(21000 + secrets.randbelow(20000), 60000, 17):
        sockets = []
        try:
            for port in range(base, base + count):
                s = socket.socket()
                sockets.append(s)
                s.bind(("127.0.0.1", port))
            return base
        except OSError:
            continue
        finally:
            for s in sockets:
                s.close()
    raise RuntimeError("no free ports")


@pytest.fixture(scope="session")
def cluster(tmp_path_factory) -> Iterator[Cluster]:
    name = f"clinic_test_{secrets.token_hex(4)}"
    base = free_ports(7)
    settings = ClusterSettings.from_env(
        {}, port=base, action_proxy_port=base + 1, rasa_port=base + 2, action_port=base + 4,
        tracker_db_url=f"postgresql://postgres@127.0.0.1:5432/{name}_tracker",
        console_db_url=f"postgresql://postgres@127.0.0.1:5432/{name}_console",
        rabbitmq_queue=name, lock_lifetime_s=5)
    try:
        with running_cluster(settings, tmp_path_factory.mktemp("cluster"), api_token=TOKEN) as running:
            yield running
    finally:
        asyncio.run(_delete_queue(settings))
        drop_database(make_url(settings.tracker_db_url))
        drop_database(make_url(settings.console_db_url))


async def _delete_queue(settings: ClusterSettings) -> None:
    connection = await aio_pika.connect(settings.rabbitmq_url)
    async with connection:
        channel = await connection.channel()
        await channel.queue_delete(settings.rabbitmq_queue)


@pytest.fixture(scope="session")
def client(cluster) -> ClusterClient:
    return ClusterClient(cluster.url, TOKEN)


@pytest.fixture(scope="session")
def tracker_db(cluster) -> Engine:
    return connect(make_url(cluster.settings.tracker_db_url))


@pytest.fixture(scope="session")
def console_db(cluster) -> Engine:
    return connect(make_url(cluster.settings.console_db_url))
