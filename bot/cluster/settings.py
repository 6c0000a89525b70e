"""The production profile's settings, from environment variables (defaults: one machine, this repo).

| variable | default | meaning |
| --- | --- | --- |
| CLUSTER_PORT | 8080 | nginx: the address clients use (REST, socket.io widget, /chat) |
| CLUSTER_REPLICAS / CLUSTER_ACTION_REPLICAS | 2 / 2 | Rasa server / action server processes started here |
| CLUSTER_RASA_PORT / CLUSTER_ACTION_PORT | 5011 / 5061 | first port of each kind (then +1 per replica) |
| CLUSTER_ACTION_PROXY_PORT | 5060 | nginx in front of the action servers (the Rasa replicas call it) |
| CLUSTER_BIND | 127.0.0.1 | address the replicas listen on (0.0.0.0 when nginx runs elsewhere) |
| CLUSTER_ROLES | nginx,rasa,actions,relay,consumer,retention,alerts | what this machine runs |
| RASA_UPSTREAMS / ACTION_UPSTREAMS | the local replicas | host:port,... that nginx balances over |
| TRACKER_DB_URL | postgresql://postgres@127.0.0.1:5432/clinic_tracker | Rasa's tracker store |
| CONSOLE_DB_URL | postgresql://postgres@127.0.0.1:5432/clinic_console | the console's store, fed by the broker |
| REDIS_URL | redis://127.0.0.1:6379/1 | Rasa's lock store |
| RABBITMQ_URL / RABBITMQ_QUEUE | amqp://guest:guest@127.0.0.1:5672/ / clinic_console_events | event broker (relay → consumer) |
| TICKET_LOCK_LIFETIME | 20 | seconds before a dead replica's lock on a conversation expires |
| RETENTION_DAYS / RETENTION_EVERY_HOURS | unset (off) / 24 | conversations older than this leave both stores (bot/cluster/retention.py) |
| OUTBOX_DB_URL (given to the replicas) | TRACKER_DB_URL | the platforms' outbox, shared by the replicas (bot/channels/outbox.py) |
| REST_TOKEN | unset | the REST webhook's token (bot/channels/rest_token.py); unset: no REST webhook |
| CLUSTER_OPEN_REST | unset | 1: serve the REST webhook without a token (anyone reaching it talks in any sender's name) |
"""
import os
from dataclasses import dataclass, field
from typing import Dict, List, Mapping, Optional
from urllib.parse import unquote, urlparse

from sqlalchemy.engine import URL, make_url

ROLES = ("nginx", "rasa", "actions", "relay", "consumer", "retention", "alerts")


def _ports(first: int, count: int) -> List[str]:
    return [f"127.0.0.1:{first + i}" for i in range(count)]


def _split(value: str) -> List[str]:
    return [item.strip() for item in value.split(",") if item.strip()]


@dataclass(frozen=True)
class ClusterSettings:
    port: int = 8080
    replicas: int = 2
    action_replicas: int = 2
    rasa_port: int = 5011
    action_port: int = 5061
    action_proxy_port: int = 5060
    bind: str = "127.0.0.1"
    roles: tuple = ROLES
    rasa_upstreams: List[str] = field(default_factory=list)
    action_upstreams: List[str] = field(default_factory=list)
    tracker_db_url: str = "postgresql://postgres@127.0.0.1:5432/clinic_tracker"
    console_db_url: str = "postgresql://postgres@127.0.0.1:5432/clinic_console"
    redis_url: str = "redis://127.0.0.1:6379/1"
    rabbitmq_url: str = "amqp://guest:guest@127.0.0.1:5672/"
    rabbitmq_queue: str = "clinic_console_events"
    rabbitmq_exchange: str = "rasa-exchange"  # Rasa's default; one per deployment on a shared broker
    lock_lifetime_s: int = 20
    retention_days: int = 0  # 0: no retention process
    retention_every_hours: float = 24.0
    rest_token: str = field(default="", repr=False)  # a secret: kept out of logs
    open_rest: bool = False

    @classmethod
    def from_env(cls, env: Optional[Mapping[str, str]] = None, **overrides) -> "ClusterSettings":
        env = os.environ if env is None else env
        number = lambda name, default: int(env.get(name) or default)  # noqa: E731
        values = dict(
            port=number("CLUSTER_PORT", cls.port),
            replicas=number("CLUSTER_REPLICAS", cls.replicas),
            action_replicas=number("CLUSTER_ACTION_REPLICAS", cls.action_replicas),
            rasa_port=number("CLUSTER_RASA_PORT", cls.rasa_port),
            action_port=number("CLUSTER_ACTION_PORT", cls.action_port),
            action_proxy_port=number("CLUSTER_ACTION_PROXY_PORT", cls.action_proxy_port),
            bind=env.get("CLUSTER_BIND") or cls.bind,
            roles=tuple(_split(env.get("CLUSTER_ROLES") or ",".join(ROLES))),
            rasa_upstreams=_split(env.get("RASA_UPSTREAMS", "")),
            action_upstreams=_split(env.get("ACTION_UPSTREAMS", "")),
            tracker_db_url=env.get("TRACKER_DB_URL") or cls.tracker_db_url,
            console_db_url=env.get("CONSOLE_DB_URL") or cls.console_db_url,
            redis_url=env.get("REDIS_URL") or cls.redis_url,
            rabbitmq_url=env.get("RABBITMQ_URL") or cls.rabbitmq_url,
            rabbitmq_queue=env.get("RABBITMQ_QUEUE") or cls.rabbitmq_queue,
            rabbitmq_exchange=env.get("RABBITMQ_EXCHANGE") or cls.rabbitmq_exchange,
            lock_lifetime_s=number("TICKET_LOCK_LIFETIME", cls.lock_lifetime_s),
            retention_days=number("RETENTION_DAYS", cls.retention_days),
            retention_every_hours=float(env.get("RETENTION_EVERY_HOURS") or cls.retention_every_hours),
            rest_token=(env.get("REST_TOKEN") or "").strip(),
            open_rest=(env.get("CLUSTER_OPEN_REST") or "").strip().lower() in ("1", "true", "yes"),
        )
        values.update(overrides)
        unknown = set(values["roles"]) - set(ROLES)
        if unknown:
            raise ValueError(f"CLUSTER_ROLES: unknown {sorted(unknown)}; choose from {ROLES}")
        return cls(**values)

    def as_env(self) -> Dict[str, str]:
        """These settings as the variables from_env() reads (for the processes started here)."""
        return {
            "CLUSTER_PORT": str(self.port), "CLUSTER_REPLICAS": str(self.replicas),
            "CLUSTER_ACTION_REPLICAS": str(self.action_replicas),
            "CLUSTER_RASA_PORT": str(self.rasa_port), "CLUSTER_ACTION_PORT": str(self.action_port),
            "CLUSTER_ACTION_PROXY_PORT": str(self.action_proxy_port), "CLUSTER_BIND": self.bind,
            "CLUSTER_ROLES": ",".join(self.roles), "RASA_UPSTREAMS": ",".join(self.rasa_upstreams),
            "ACTION_UPSTREAMS": ",".join(self.action_upstreams),
            "TRACKER_DB_URL": self.tracker_db_url, "CONSOLE_DB_URL": self.console_db_url,
            "REDIS_URL": self.redis_url, "RABBITMQ_URL": self.rabbitmq_url,
            "RABBITMQ_QUEUE": self.rabbitmq_queue, "RABBITMQ_EXCHANGE": self.rabbitmq_exchange,
            "TICKET_LOCK_LIFETIME": str(self.lock_lifetime_s),
            "RETENTION_DAYS": str(self.retention_days),
            "RETENTION_EVERY_HOURS": str(self.retention_every_hours),
            "REST_TOKEN": self.rest_token, "CLUSTER_OPEN_REST": "1" if self.open_rest else "",
        }

    @property
    def rest_enabled(self) -> bool:
        """Whether the replicas serve the REST webhook: only behind REST_TOKEN, or when asked to
        serve it open. Without either, the clinic's clients are the widget and the platforms."""
        return bool(self.rest_token) or self.open_rest

    def rasa_addresses(self) -> List[str]:
        """host:port of every Rasa replica nginx balances over."""
        return self.rasa_upstreams or _ports(self.rasa_port, self.replicas)

    def action_addresses(self) -> List[str]:
        return self.action_upstreams or _ports(self.action_port, self.action_replicas)

    def rasa_env(self) -> Dict[str, str]:
        """The variables endpoints.cluster.yml reads, for every Rasa replica."""
        tracker = make_url(self.tracker_db_url)
        redis = urlparse(self.redis_url)
        return {
            "ACTION_ENDPOINT_URL": f"http://127.0.0.1:{self.action_proxy_port}/webhook",
            "TRACKER_DB_HOST": tracker.host or "127.0.0.1",
            "TRACKER_DB_PORT": str(tracker.port or 5432),
            "TRACKER_DB_NAME": tracker.database or "clinic_tracker",
            "TRACKER_DB_USER": tracker.username or "postgres",
            "TRACKER_DB_PASSWORD": tracker.password or "",
            "REDIS_HOST": redis.hostname or "127.0.0.1",
            "REDIS_PORT": str(redis.port or 6379),
            "REDIS_DB": (redis.path or "/1").strip("/") or "1",
            "REDIS_PASSWORD": unquote(redis.password or ""),
            "TICKET_LOCK_LIFETIME": str(self.lock_lifetime_s),
            # replies to Twilio and Messenger: one outbox for every replica, beside the tracker
            "OUTBOX_DB_URL": self.tracker_db_url,
        }

    def tracker_url(self) -> URL:
        return make_url(self.tracker_db_url)

    def console_url(self) -> URL:
        return make_url(self.console_db_url)
