"""Private PostgreSQL, Redis and RabbitMQ servers for a chaos run (`make test-chaos`), started here on
free ports from the Debian packages installed on this machine, and thrown away afterwards.

The chaos run stops, restarts and kills these services under load. The machine's own servers
(5432, 6379, 5672) are shared with CI and the other tests, which run right after: they must never be
stopped or left broken. A private server can really be stopped and started again, with its data on
disk kept across a restart, exactly what an operator or a crash does to the real one:

- PostgreSQL: `initdb` into a temporary directory (trust authentication, user `postgres`), then the
  `postgres` server run directly, as the `postgres` system user when this runs as root (PostgreSQL
  refuses root). A restart is a fast shutdown (SIGINT: clients are disconnected, a checkpoint is
  written), then a start on the same directory: under a second.
- Redis: `redis-server` without persistence (the lock store's tickets live seconds; a restart drops
  them, as a real restart without a dump does).
- RabbitMQ: a node of its own (`RABBITMQ_NODENAME`, ports, Mnesia and log directories, an empty
  plugin list, a config of its own so that /etc/rabbitmq's listener on 5672 is not read), registered
  with the machine's epmd. It starts in about 4 s and stops in about 3 s; durable queues and
  persistent messages survive its restart.

Every process is started in a session of its own and, on exit, stopped (then killed, by its own
process group) and its directory removed (its log copied to `log_dir` first, if given).
"""
import glob
import os
import secrets
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Dict, Iterator, List, Optional

import psycopg2

from bot.stack import free_port

START_TIMEOUT_S = 60
STOP_TIMEOUT_S = 20


def _postgres_bin(name: str) -> str:
    """A PostgreSQL server binary (Debian keeps them per version, off PATH): the newest version's."""
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"),
                   key=lambda path: int(path.split("/")[4]) if path.split("/")[4].isdigit() else 0)
    if found:
        return found[-1]
    on_path = shutil.which(name)
    if not on_path:
        raise FileNotFoundError(f"PostgreSQL's {name} is not installed (Debian: postgresql)")
    return on_path


def _accepts(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(0.5)
        return s.connect_ex(("127.0.0.1", port)) == 0


@dataclass
class ScratchServer:
    """One server process that can be stopped, killed and started again on the same data."""

    name: str
    command: List[str]
    port: int
    home: Path
    ready: Callable[[], bool]
    env: Optional[Dict[str, str]] = None
    user: Optional[str] = None  # run as this system user (PostgreSQL under root)
    stop_signal: int = signal.SIGTERM
    process: Optional[subprocess.Popen] = None

    @property
    def log(self) -> Path:
        return self.home / f"{self.name}.log"

    @property
    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def start(self, timeout: float = START_TIMEOUT_S) -> float:
        """Start it and wait until it serves; the seconds that took."""
        started = time.monotonic()
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(self.command, env=self.env, user=self.user,
                                            stdin=subprocess.DEVNULL, stdout=log,
                                            stderr=subprocess.STDOUT, start_new_session=True)
        while not self.ready():
            if not self.alive:
                raise RuntimeError(f"{self.name} exited with {self.process.returncode}; see {self.log}")
            if time.monotonic() - started > timeout:
                raise TimeoutError(f"{self.name} did not start within {timeout} s; see {self.log}")
            time.sleep(0.05)
        return time.monotonic() - started

    def stop(self, timeout: float = STOP_TIMEOUT_S) -> float:
        """Stop it the way its operator does (its stop signal), killing it if that takes longer
        than `timeout`; the seconds it took."""
        started = time.monotonic()
        if self.alive:
            self.process.send_signal(self.stop_signal)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.kill()
        self._reap_group()
        return time.monotonic() - started

    def kill(self) -> None:
        if self.alive:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()

    def hang(self) -> None:
        """Stop every process of it (SIGSTOP): its connections stay open and nothing answers."""
        os.killpg(self.process.pid, signal.SIGSTOP)

    def resume(self) -> None:
        os.killpg(self.process.pid, signal.SIGCONT)

    def _reap_group(self) -> None:
        """What its session still runs (RabbitMQ's Erlang helpers) once the main process is gone."""
        if self.process is None:
            return
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass


def _as_postgres_user() -> Optional[str]:
    return "postgres" if os.geteuid() == 0 else None


def postgres_server(home: Path) -> ScratchServer:
    """A fresh PostgreSQL cluster in `home` (initdb now), not started."""
    user = _as_postgres_user()
    if user:
        shutil.chown(home, user)
    data = home / "data"
    subprocess.run([_postgres_bin("initdb"), "-D", str(data), "-U", "postgres", "--auth=trust",
                    "--no-sync", "-E", "UTF8", "--locale=C"], user=user, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    port = free_port()

    def ready() -> bool:
        try:
            psycopg2.connect(host="127.0.0.1", port=port, user="postgres", dbname="postgres",
                             connect_timeout=1).close()
            return True
        except psycopg2.OperationalError:
            return False

    command = [_postgres_bin("postgres"), "-D", str(data), "-p", str(port), "-k", str(home),
               "-c", "listen_addresses=127.0.0.1", "-c", "max_connections=300"]
    return ScratchServer("postgres", command, port, home, ready, user=user,
                         stop_signal=signal.SIGINT)  # SIGINT: PostgreSQL's fast shutdown


def redis_server(home: Path) -> ScratchServer:
    port = free_port()
    command = [shutil.which("redis-server") or "/usr/bin/redis-server", "--port", str(port),
               "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", str(home)]
    return ScratchServer("redis", command, port, home, lambda: _accepts(port))


def rabbitmq_server(home: Path) -> ScratchServer:
    """A RabbitMQ node of its own in `home`: its name, AMQP and distribution ports, data, logs and
    configuration; no plugins."""
    port, dist_port = free_port(), free_port()
    (home / "config.conf").write_text(f"listeners.tcp.local = 127.0.0.1:{port}\n", encoding="utf-8")
    (home / "enabled_plugins").write_text("[].\n", encoding="utf-8")
    (home / "env.conf").write_text("", encoding="utf-8")
    for sub in ("mnesia", "log", "erlang"):
        (home / sub).mkdir(exist_ok=True)
    env = {
        "PATH": os.environ.get("PATH", "/usr/sbin:/usr/bin:/sbin:/bin"),
        "HOME": str(home / "erlang"),  # its Erlang cookie
        "RABBITMQ_NODENAME": f"chaos_{secrets.token_hex(4)}@localhost",
        "RABBITMQ_NODE_PORT": str(port), "RABBITMQ_DIST_PORT": str(dist_port),
        "RABBITMQ_MNESIA_BASE": str(home / "mnesia"), "RABBITMQ_LOG_BASE": str(home / "log"),
        "RABBITMQ_CONFIG_FILE": str(home / "config.conf"),
        "RABBITMQ_ENABLED_PLUGINS_FILE": str(home / "enabled_plugins"),
        "RABBITMQ_CONF_ENV_FILE": str(home / "env.conf"),  # not /etc/rabbitmq's node name
        "ERL_EPMD_ADDRESS": "127.0.0.1",
    }
    command = [os.environ.get("RABBITMQ_SERVER_SCRIPT", "/usr/lib/rabbitmq/bin/rabbitmq-server")]
    return ScratchServer("rabbitmq", command, port, home, lambda: _accepts(port), env=env)


@dataclass
class ScratchServers:
    postgres: ScratchServer
    redis: ScratchServer
    rabbitmq: ScratchServer

    @property
    def postgres_url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.postgres.port}"

    @property
    def redis_url(self) -> str:
        return f"redis://127.0.0.1:{self.redis.port}/1"

    @property
    def rabbitmq_url(self) -> str:
        return f"amqp://guest:guest@127.0.0.1:{self.rabbitmq.port}/"

    def all(self) -> List[ScratchServer]:
        return [self.postgres, self.redis, self.rabbitmq]


@contextmanager
def scratch_server(make: Callable[[Path], ScratchServer],
                   log_dir: Optional[Path] = None) -> Iterator[ScratchServer]:
    """One server made by `make` (postgres_server, redis_server, rabbitmq_server) in a temporary
    directory, started and serving; stopped and its directory removed on exit."""
    home = Path(tempfile.mkdtemp(prefix="chaos-"))
    os.chmod(home, 0o755)  # PostgreSQL's user reaches its directory inside
    server: Optional[ScratchServer] = None
    try:
        server = make(home)
        server.start()
        yield server
    finally:
        if server is not None:
            server.stop()
            server.kill()  # one that would not stop
            if log_dir and server.log.exists():
                log_dir.mkdir(parents=True, exist_ok=True)
                shutil.copy(server.log, log_dir / server.log.name)
        shutil.rmtree(home, ignore_errors=True)


@contextmanager
def scratch_servers(log_dir: Optional[Path] = None) -> Iterator[ScratchServers]:
    """PostgreSQL, Redis and RabbitMQ of their own, started and serving; all stopped and their
    directories removed on exit."""
    with ExitStack() as stack:
        yield ScratchServers(*(stack.enter_context(scratch_server(make, log_dir))
                               for make in (postgres_server, redis_server, rabbitmq_server)))
