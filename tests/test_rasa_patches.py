"""bot.rasa_patches: Rasa's internals are changed only where a server starts, only on the pinned Rasa,
and only the patches RASA_PATCHES names."""
import json
import subprocess
import sys

import pytest

from bot import rasa_patches
from bot.paths import ROOT

# Every function a patch replaces, as "module:Class.attribute".
PATCHED = ["rasa.core.actions.action:RemoteAction.run",
           "rasa.core.actions.action:RemoteAction._validate_action_result",
           "rasa.engine.runner.dask:DaskGraphRunner.run",
           "rasa.nlu.classifiers.logistic_regression_classifier:LogisticRegressionClassifier.process"]

_OWNERS = """
import importlib, json, sys
import yaml
config = yaml.safe_load(open("config.yml"))
for part in config["pipeline"] + config["policies"]:  # every custom component the model loads
    if "." in part["name"]:
        importlib.import_module(part["name"].rsplit(".", 1)[0])
{install}
owners = {{}}
for spec in json.loads(sys.argv[1]):
    module, attribute = spec.split(":")
    owner, name = attribute.split(".")
    function = getattr(getattr(importlib.import_module(module), owner), name)
    owners[spec] = "bot" if "/bot/" in function.__code__.co_filename else "rasa"  # wraps() copies names
print(json.dumps(owners))
"""


def owners_after(install: str = "") -> dict:
    """In a fresh interpreter: the module each patched function comes from, after importing every
    custom component of config.yml (as `rasa train` does) and then running `install`."""
    done = subprocess.run([sys.executable, "-c", _OWNERS.format(install=install), json.dumps(PATCHED)],
                          cwd=ROOT, capture_output=True, text=True, timeout=300, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_loading_the_components_changes_nothing_in_rasa_so_training_runs_stock_rasa():
    assert set(owners_after().values()) == {"rasa"}


def test_a_server_start_installs_every_patch():
    owners = owners_after("from bot import rasa_patches; rasa_patches.install('all')")
    assert set(owners.values()) == {"bot"}, owners


@pytest.mark.parametrize("setting, expected", [
    ("", ["speedups", "action_fallback"]), ("all", ["speedups", "action_fallback"]), ("none", []),
    ("action_fallback", ["action_fallback"]), (" Action_Fallback , speedups", ["speedups", "action_fallback"]),
])
def test_the_setting_chooses_the_patches(setting, expected):
    assert rasa_patches.chosen(setting) == expected


def test_an_unknown_patch_name_is_an_error_not_silence():
    with pytest.raises(ValueError, match="speedup"):
        rasa_patches.chosen("speedup")


def test_the_patches_refuse_any_rasa_but_the_pinned_one():
    with pytest.raises(rasa_patches.WrongRasa, match="3.7.0"):
        rasa_patches.install("all", rasa_version="3.7.0")
    assert rasa_patches.install("none", rasa_version="3.7.0") == []  # stock Rasa needs no pin


def test_the_pin_is_the_lock_files():
    assert f"rasa=={rasa_patches.PINNED_RASA}\n" in (ROOT / "requirements.lock").read_text()
