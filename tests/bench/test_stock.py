"""The stock bot's directory is reused while it holds a model (no `rasa init`, no training here)."""
import subprocess
from importlib.metadata import version

import pytest

from bot.bench import stock


def test_a_directory_with_a_model_is_reused(tmp_path, monkeypatch):
    models = tmp_path / f"stock-{version('rasa')}" / "models"
    models.mkdir(parents=True)
    (models / "starter.tar.gz").write_bytes(b"")

    def no_init(*args, **kwargs):
        raise AssertionError("rasa init must not run")

    monkeypatch.setattr(subprocess, "run", no_init)
    assert stock.stock_bot_dir(tmp_path) == models.parent
    assert stock.stock_model(models.parent) == models / "starter.tar.gz"


def test_no_model_is_reported():
    with pytest.raises(FileNotFoundError):
        stock.stock_model(stock.BENCH_DIR / "no-such-bot")
