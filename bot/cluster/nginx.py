"""nginx (Debian's package) as the production profile's load balancer: config and process."""
import grp
import os
import pwd
import shutil
import subprocess
from pathlib import Path
from typing import List

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from bot.cluster.settings import ClusterSettings
from bot.paths import ROOT

TEMPLATE = ROOT / "deploy" / "nginx.conf.j2"


def nginx_binary() -> str:
    found = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
    if not found:
        raise FileNotFoundError("nginx is not installed: `apt-get install nginx` (Debian's package)")
    return found


TEMP_DIRS = ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")


def worker_user() -> str:
    """Started as root, nginx's workers run as `nobody` (with its own group); else as the caller."""
    if os.geteuid() != 0:
        return ""
    return f"nobody {grp.getgrgid(pwd.getpwnam('nobody').pw_gid).gr_name}"


def prepare_dirs(run_dir: Path, user: str) -> None:
    """nginx's temporary directories, writable by its workers."""
    for name in TEMP_DIRS:
        path = run_dir / name
        path.mkdir(parents=True, exist_ok=True)
        if user:
            entry = pwd.getpwnam(user.split()[0])
            os.chown(path, entry.pw_uid, entry.pw_gid)


def render_config(settings: ClusterSettings, run_dir: Path, log_dir: Path) -> str:
    rasa = settings.rasa_addresses()
    environment = Environment(loader=FileSystemLoader(str(TEMPLATE.parent)), undefined=StrictUndefined,
                              keep_trailing_newline=True)
    return environment.get_template(TEMPLATE.name).render(
        user=worker_user(), run_dir=run_dir, log_dir=log_dir, access_log=log_dir / "nginx-access.log",
        listen=settings.bind, port=settings.port,
        action_port=settings.action_proxy_port, rasa=rasa, actions=settings.action_addresses(),
        rasa_names=[(f"rasa-{i + 1}", address) for i, address in enumerate(rasa)],
    )


def write_config(settings: ClusterSettings, run_dir: Path, log_dir: Path) -> Path:
    run_dir.mkdir(parents=True, exist_ok=True)
    log_dir.mkdir(parents=True, exist_ok=True)
    prepare_dirs(run_dir, worker_user())
    path = run_dir / "nginx.conf"
    path.write_text(render_config(settings, run_dir, log_dir), encoding="utf-8")
    check = subprocess.run([nginx_binary(), "-t", "-q", "-p", str(run_dir), "-c", str(path)],
                           capture_output=True, text=True)
    if check.returncode:
        raise RuntimeError(f"nginx rejects {path}:\n{check.stderr}")
    return path


def nginx_command(config: Path) -> List[str]:
    return [nginx_binary(), "-p", str(config.parent), "-c", str(config)]
