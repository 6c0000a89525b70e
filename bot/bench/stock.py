"""The baseline: Rasa's stock starter bot (`rasa init`), created once under var/bench/ and run over REST.

`rasa init --no-prompt` copies the starter project and trains it with the default (TensorFlow)
config (about 40 s on 2 cores, 1.2 GB of memory); the directory is reused while it holds a model.
"""
import os
import subprocess
import sys
from contextlib import contextmanager
from importlib.metadata import version
from pathlib import Path
from typing import Dict, Iterator, Tuple

from bot.paths import ROOT
from bot.stack import stop_process, wait_until

BENCH_DIR = ROOT / "var" / "bench"


def _rasa() -> str:
    return str(Path(sys.executable).parent / "rasa")


def _env() -> Dict[str, str]:
    return dict(os.environ, RASA_TELEMETRY_ENABLED="false", TF_CPP_MIN_LOG_LEVEL="3")


def stock_model(directory: Path) -> Path:
    """The newest model in `directory`/models; FileNotFoundError if there is none."""
    models = sorted((directory / "models").glob("*.tar.gz"), key=lambda p: p.stat().st_mtime)
    if not models:
        raise FileNotFoundError(f"no model in {directory / 'models'}")
    return models[-1]


def stock_bot_dir(base: Path = BENCH_DIR) -> Path:
    """The stock starter bot's directory (`base`/stock-<rasa version>), created and trained if it has
    no model yet; `rasa init`'s output goes to init.log there."""
    directory = base / f"stock-{version('rasa')}"
    try:
        stock_model(directory)
        return directory
    except FileNotFoundError:
        pass
    directory.mkdir(parents=True, exist_ok=True)
    with (directory / "init.log").open("ab") as log:
        subprocess.run([_rasa(), "init", "--no-prompt", "--init-dir", str(directory)], cwd=directory,
                       env=_env(), stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                       check=True)
    stock_model(directory)
    return directory


@contextmanager
def running_stock_bot(port: int, log_dir: Path) -> Iterator[Tuple[str, subprocess.Popen]]:
    """Yield (base url, process) of the stock bot served on `port` (REST channel, in-memory tracker
    store, no action server); stop it on exit."""
    directory = stock_bot_dir()
    log_dir.mkdir(parents=True, exist_ok=True)
    log = log_dir / "stock-rasa.log"
    command = [_rasa(), "run", "--model", str(stock_model(directory)), "--port", str(port),
               "--credentials", "credentials.yml"]
    process = subprocess.Popen(command, cwd=directory, env=_env(), stdin=subprocess.DEVNULL,
                               stdout=log.open("ab"), stderr=subprocess.STDOUT)
    try:
        wait_until(f"http://127.0.0.1:{port}/", process, "stock Rasa server", log)
        yield f"http://127.0.0.1:{port}", process
    finally:
        stop_process(process)
