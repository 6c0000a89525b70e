"""A real production-profile cluster for these tests: nginx, two Rasa and two action replicas, the
PostgreSQL, Redis and RabbitMQ servers of this machine. Databases and queue have names of their own
and are removed afterwards."""
import secrets
from typing import Iterator

import pytest
from sqlalchemy.engine import Engine, make_url

from bot.bench.cluster import scratch_cluster, scratch_settings
from bot.cluster.stack import Cluster
from bot.review.database import connect
from tests.cluster.cluster_client import ClusterClient

TOKEN = secrets.token_hex(16)


@pytest.fixture(scope="session")
def cluster(tmp_path_factory) -> Iterator[Cluster]:
    settings = scratch_settings("clinic_test", replicas=2, action_replicas=2, lock_lifetime_s=5)
    with scratch_cluster(settings, tmp_path_factory.mktemp("cluster"), api_token=TOKEN) as running:
        yield running


@pytest.fixture(scope="session")
def client(cluster) -> ClusterClient:
    return ClusterClient(cluster.url, TOKEN)


@pytest.fixture(scope="session")
def tracker_db(cluster) -> Engine:
    return connect(make_url(cluster.settings.tracker_db_url))


@pytest.fixture(scope="session")
def console_db(cluster) -> Engine:
    return connect(make_url(cluster.settings.console_db_url))
