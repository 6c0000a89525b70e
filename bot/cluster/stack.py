"""Start the production profile's processes on this machine and keep them running.

nginx → Rasa replicas (PostgreSQL tracker store, Redis lock store) → nginx → action server replicas;
the relay publishes what the replicas commit to RabbitMQ, the consumer writes it to the console's
store. Which of these run here is CLUSTER_ROLES (bot/cluster/settings.py).
"""
import os
import subprocess
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Dict, Iterator, List, Optional

from sqlalchemy.engine import make_url

from bot.channels.credentials import write_credentials
from bot.channels.widget_secret import persistent_secret
from bot.cluster.nginx import nginx_command, write_config
from bot.cluster.postgres import ensure_database, table_exists
from bot.cluster.settings import ClusterSettings
from bot.paths import ROOT
from bot.stack import actions_command, rasa_command, stop_process, wait_until

ENDPOINTS = "endpoints.cluster.yml"
ACTION_TOKEN = "ACTION_SERVER_TOKEN"  # checked by bot/cli/action_server.py, sent by ENDPOINTS


@dataclass
class Service:
    name: str
    command: List[str]
    env: Dict[str, str]
    log: Path
    health: Optional[str] = None  # URL answering 2xx once ready
    ready: Optional[Callable[[], bool]] = None  # or a check that is true once ready
    process: Optional[subprocess.Popen] = None

    def start(self) -> None:
        self.process = subprocess.Popen(self.command, cwd=ROOT, env=self.env,
                                        stdout=self.log.open("ab"), stderr=subprocess.STDOUT)

    def wait_ready(self, timeout: float = 60) -> None:
        if self.health:
            wait_until(self.health, self.process, self.name, self.log)
        deadline = time.monotonic() + timeout
        while self.ready and not self.ready():
            if not self.alive or time.monotonic() > deadline:
                raise RuntimeError(f"{self.name} did not start; see {self.log}")
            time.sleep(0.2)

    @property
    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None


@dataclass
class Cluster:
    settings: ClusterSettings
    services: List[Service] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.settings.port}"

    def service(self, name: str) -> Service:
        return next(s for s in self.services if s.name == name)

    def pids(self) -> Dict[str, int]:
        return {s.name: s.process.pid for s in self.services if s.alive}

    def restart_dead(self) -> List[str]:
        """Start again every process that has exited; their names."""
        dead = [s for s in self.services if not s.alive]
        for service in dead:
            service.start()
        return [s.name for s in dead]


def plan(settings: ClusterSettings, log_dir: Path, api_token: Optional[str] = None,
         cors: Optional[List[str]] = None) -> List[Service]:
    """The processes this machine runs, in start order."""
    env = {**os.environ, **settings.as_env(), **settings.rasa_env()}
    # every replica signs and checks the web widget's sessions with the same secret
    env.setdefault("WIDGET_SECRET", persistent_secret(ROOT / "var" / "widget_secret"))
    # the action servers answer only the replicas: they send it (endpoints.cluster.yml)
    if not env.get(ACTION_TOKEN):
        env[ACTION_TOKEN] = persistent_secret(ROOT / "var" / "action_server_token")
    services: List[Service] = []
    if "actions" in settings.roles:
        for i in range(settings.action_replicas):
            port = settings.action_port + i
            log = log_dir / f"actions-{i + 1}.log"
            services.append(Service(f"actions-{i + 1}",
                                    actions_command(port, settings.bind, require_token=True), env,
                                    log, f"http://127.0.0.1:{port}/health"))
    if "relay" in settings.roles:
        services.append(Service("relay", [sys.executable, "-m", "bot.cluster.relay"], env,
                                log_dir / "relay.log"))
    if "consumer" in settings.roles:
        services.append(Service("consumer", [sys.executable, "-m", "bot.cluster.consumer"], env,
                                log_dir / "consumer.log",
                                ready=lambda: table_exists(settings.console_url(), "events")))
    if "alerts" in settings.roles:  # on the console's store, where its call-back queue is
        console = settings.console_url().render_as_string(hide_password=False)
        services.append(Service("alerts", [sys.executable, "-m", "bot.alerts"],
                                dict(env, TRACKER_STORE="postgres", TRACKER_DB_URL=console),
                                log_dir / "alerts.log"))
    if "retention" in settings.roles and settings.retention_days > 0:
        services.append(Service("retention", [sys.executable, "-m", "bot.cluster.retention"], env,
                                log_dir / "retention.log"))
    if "rasa" in settings.roles:
        origins = cors or [f"http://localhost:{settings.port}", f"http://127.0.0.1:{settings.port}"]
        rasa_env = dict(env, CORS_ORIGINS=",".join(origins))
        # the profile's own file: the REST webhook only behind REST_TOKEN (or CLUSTER_OPEN_REST)
        credentials = write_credentials(log_dir.parent / "credentials.yml",
                                        rest=settings.rest_enabled)
        for i in range(settings.replicas):
            port = settings.rasa_port + i
            services.append(Service(
                f"rasa-{i + 1}",
                rasa_command(port, api_token, origins, endpoints=ENDPOINTS, interface=settings.bind,
                             credentials=credentials),
                rasa_env, log_dir / f"rasa-{i + 1}.log", f"http://127.0.0.1:{port}/"))
    if "nginx" in settings.roles:
        config = write_config(settings, log_dir.parent / "nginx", log_dir)
        services.append(Service("nginx", nginx_command(config), env, log_dir / "nginx.log"))
    return services


@contextmanager
def running_cluster(settings: Optional[ClusterSettings] = None, run_dir: Optional[Path] = None,
                    api_token: Optional[str] = None, cors: Optional[List[str]] = None
                    ) -> Iterator[Cluster]:
    """Yield a ready cluster (every local process answering); stop all of it on exit."""
    settings = settings or ClusterSettings.from_env()
    log_dir = Path(run_dir or ROOT / "var" / "cluster") / "log"
    log_dir.mkdir(parents=True, exist_ok=True)
    if "rasa" in settings.roles:  # two replicas must not race to create it
        ensure_database(make_url(settings.tracker_db_url))
    cluster = Cluster(settings, plan(settings, log_dir, api_token, cors))
    try:
        for service in cluster.services:
            service.start()
        for service in cluster.services:
            service.wait_ready()
        if "nginx" in settings.roles:
            wait_until(f"{cluster.url}/", cluster.service("nginx").process, "nginx",
                       cluster.service("nginx").log)
        yield cluster
    finally:
        for service in reversed(cluster.services):
            if service.process is not None:
                stop_process(service.process)
