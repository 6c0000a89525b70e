"""The action server (bot/cli/action_server.py) as bot.stack starts it: on this machine only, and
with --require-token answering nothing but /health without the token. Real processes, real HTTP."""
import fcntl
import os
import socket
import struct
import subprocess
from contextlib import contextmanager
from typing import Dict, Iterator, List, Optional

import pytest
import requests

from bot.paths import ROOT
from bot.stack import actions_command, free_port, start_actions, stop_process, wait_until

SIOCGIFADDR = 0x8915  # Linux: an interface's IPv4 address


def non_loopback_addresses() -> List[str]:
    """This machine's IPv4 addresses other than 127.x (what another machine would connect to)."""
    found = []
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        for _, name in socket.if_nameindex():
            try:
                answer = fcntl.ioctl(probe.fileno(), SIOCGIFADDR,
                                     struct.pack("256s", name[:15].encode()))
            except OSError:  # no IPv4 address on that interface
                continue
            address = socket.inet_ntoa(answer[20:24])
            if not address.startswith("127."):
                found.append(address)
    return found


def answers(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=2):
            return True
    except OSError:
        return False


@contextmanager
def action_server(tmp_path, command: List[str], env: Optional[Dict[str, str]] = None
                  ) -> Iterator[str]:
    port = int(command[command.index("--port") + 1])
    log = tmp_path / "actions.log"
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log.open("ab"),
                               stderr=subprocess.STDOUT)
    try:
        wait_until(f"http://127.0.0.1:{port}/health", process, "action server", log, timeout=60)
        yield f"http://127.0.0.1:{port}"
    finally:
        stop_process(process)


def test_the_action_server_listens_on_this_machine_only(tmp_path):
    """`rasa run actions` listened on 0.0.0.0: anyone reaching the machine ran the actions."""
    others = non_loopback_addresses()
    if not others:
        pytest.skip("this machine has no address but loopback")
    port = free_port()
    process = start_actions(port, tmp_path / "actions.log")
    try:
        wait_until(f"http://127.0.0.1:{port}/health", process, "action server",
                   tmp_path / "actions.log", timeout=60)
        assert requests.get(f"http://127.0.0.1:{port}/actions", timeout=10).ok
        assert not [address for address in others if answers(address, port)], others
    finally:
        stop_process(process)


def test_with_require_token_only_the_token_is_answered(tmp_path):
    token = "-" + "t0ken" * 8  # a leading dash, as secrets.token_urlsafe gives one time in 64
    env = dict(os.environ, ACTION_SERVER_TOKEN=token)
    with action_server(tmp_path, actions_command(free_port(), require_token=True), env) as url:
        assert requests.get(f"{url}/health", timeout=10).ok  # health checks carry no secret
        for headers in ({}, {"Authorization": f"Bearer {token}x"}, {"Authorization": token},
                        {"Authorization": "Bearer \u00e9"}):
            assert requests.get(f"{url}/actions", headers=headers, timeout=10).status_code == 401
            refused = requests.post(f"{url}/webhook", headers=headers, json={}, timeout=10)
            assert refused.status_code == 401, headers
        listed = requests.get(f"{url}/actions", headers={"Authorization": f"Bearer {token}"},
                              timeout=10)
        assert listed.ok and {"name": "action_clinic_contact"} in listed.json()


def test_require_token_without_a_token_refuses_to_start(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "ACTION_SERVER_TOKEN"}
    done = subprocess.run(actions_command(free_port(), require_token=True), cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode != 0 and "ACTION_SERVER_TOKEN" in done.stderr
