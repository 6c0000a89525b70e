"""Start and stop the assistant: the action server and the Rasa server, as child processes.

`running_assistant()` is used by `make run` (bot.cli.run), the vignette evaluation and the tests that
talk to a real server over HTTP. Conversations go to SQLite (`tracker_db`) unless
TRACKER_STORE=postgres chooses the PostgreSQL profile (endpoints.postgres.yml, bot/review/database.py).
"""
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Dict, Iterator, List, Optional

import requests

from bot.channels.credentials import write_credentials
from bot.paths import ROOT
from bot.review.database import endpoints_file, tracker_store_env

MODELS = ROOT / "models"
STARTUP_TIMEOUT_S = 240


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def latest_model() -> Path:
    models = sorted(MODELS.glob("*.tar.gz"), key=lambda p: p.stat().st_mtime)
    if not models:
        raise FileNotFoundError("no trained model in models/: run `make train` first")
    return models[-1]


def _bin(name: str) -> str:
    return str(Path(sys.executable).parent / name)


def wait_until(url: str, process: subprocess.Popen, name: str, log: Optional[Path] = None,
               timeout: float = STARTUP_TIMEOUT_S) -> None:
    """Wait until `url` answers 2xx; fail at once if the process exits."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{name} exited with {process.returncode}; see {log}")
        try:
            if requests.get(url, timeout=2).ok:
                return
        except requests.RequestException:
            pass
        time.sleep(0.5)
    raise TimeoutError(f"{name} did not answer {url} within {timeout} s; see {log}")


def stop_process(process: subprocess.Popen, timeout: float = 15) -> None:
    """Ctrl-C, then kill if it has not stopped within `timeout` seconds."""
    if process.poll() is None:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def actions_command(port: int, host: str = "127.0.0.1", require_token: bool = False) -> List[str]:
    """The action server (bot/cli/action_server.py): on this machine only unless `host` says
    otherwise; with `require_token`, only for requests carrying ACTION_SERVER_TOKEN."""
    command = [sys.executable, "-m", "bot.cli.action_server", "--actions", "actions",
               "--port", str(port), "--host", host]
    return command + (["--require-token"] if require_token else [])


def start_actions(port: int, log: Path) -> subprocess.Popen:
    return subprocess.Popen(actions_command(port), cwd=ROOT, stdout=log.open("ab"),
                            stderr=subprocess.STDOUT)


def start_alerts(env: Dict[str, str], log: Path) -> subprocess.Popen:
    """The alert watcher (bot/alerts/): reads what the assistant stores, never part of a turn."""
    return subprocess.Popen([sys.executable, "-m", "bot.alerts"], cwd=ROOT, env=env,
                            stdout=log.open("ab"), stderr=subprocess.STDOUT)


def rasa_command(port: int, api_token: Optional[str], cors: List[str],
                 endpoints: Optional[str] = None, interface: str = "0.0.0.0",
                 credentials: Optional[Path] = None) -> List[str]:
    command = [sys.executable, "-m", "bot.cli.rasa_server", "run", "--model", str(latest_model()), "--port", str(port),
               "--interface", interface,
               # credentials.yml + the messaging platforms configured in the environment
               "--credentials", str(credentials or write_credentials()),
               "--endpoints", endpoints or endpoints_file()]
    if api_token:
        # `--auth-token=X`, not `--auth-token X`: a token that starts with "-" (1 in 64 of
        # `secrets.token_urlsafe`) would otherwise be read as an option and rasa would exit 2.
        command += ["--enable-api", f"--auth-token={api_token}"]
    for origin in cors:
        command += ["--cors", origin]
    return command


@contextmanager
def running_assistant(
    port: int = 5005,
    api_token: Optional[str] = None,
    tracker_db: Optional[Path] = None,
    action_port: Optional[int] = None,
    cors: Optional[List[str]] = None,
    log_dir: Optional[Path] = None,
    with_actions: bool = True,
) -> Iterator[str]:
    """Yield the base URL of a ready assistant; stop both servers on exit."""
    log_dir = Path(log_dir or tempfile.mkdtemp(prefix="assistant-logs-"))
    log_dir.mkdir(parents=True, exist_ok=True)
    tracker_db = Path(tracker_db or log_dir / "tracker.db")
    action_port = action_port or free_port()
    env: Dict[str, str] = dict(
        os.environ,
        ACTION_ENDPOINT_URL=f"http://127.0.0.1:{action_port}/webhook",
        TRACKER_DB=str(tracker_db),
        **tracker_store_env(),
    )
    if cors:  # the web widget's socket.io channel allows the same origins
        env["CORS_ORIGINS"] = ",".join(cors)
    processes: List[subprocess.Popen] = []
    try:
        if with_actions:
            actions_log = log_dir / "actions.log"
            processes.append(start_actions(action_port, actions_log))
        processes.append(start_alerts(env, log_dir / "alerts.log"))
        rasa_log = log_dir / "rasa.log"
        rasa = subprocess.Popen(rasa_command(port, api_token, cors or []), cwd=ROOT, env=env,
                                stdout=rasa_log.open("ab"), stderr=subprocess.STDOUT)
        processes.append(rasa)
        if with_actions:
            wait_until(f"http://127.0.0.1:{action_port}/health", processes[0], "action server",
                        actions_log)
        wait_until(f"http://127.0.0.1:{port}/", rasa, "Rasa server", rasa_log)
        yield f"http://127.0.0.1:{port}"
    finally:
        for process in reversed(processes):
            stop_process(process)
