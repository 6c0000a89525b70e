"""`make cluster`: the production profile in the foreground until Ctrl-C; a process that dies is restarted.

Settings come from the environment (bot/cluster/settings.py); logs go to var/cluster/log/.
"""
import os
import signal
import threading

from bot.cluster.settings import ClusterSettings
from bot.cluster.stack import running_cluster

CHECK_EVERY_S = 2


def describe(settings: ClusterSettings, url: str) -> str:
    rasa = ", ".join(settings.rasa_addresses())
    actions = ", ".join(settings.action_addresses())
    rest = "REST off: set REST_TOKEN"
    if settings.rest_enabled:
        rest = f"REST {url}/webhooks/rest/webhook" + ("" if settings.rest_token else " without a token")
    return (f"\nThe production profile is running ({', '.join(settings.roles)} on this machine).\n"
            f"  Clients: {url} ({rest}, widget {url}/chat)\n"
            f"  Rasa replicas (nginx least_conn; socket.io sticky): {rasa}\n"
            f"  Action servers (nginx :{settings.action_proxy_port}): {actions}\n"
            f"  Tracker store: {settings.tracker_db_url}\n"
            f"  Lock store: {settings.redis_url}  Event broker: queue {settings.rabbitmq_queue}\n"
            f"  Console store: {settings.console_db_url} "
            f"(review it: TRACKER_STORE=postgres TRACKER_DB_URL=<that> make review)\n"
            f"  Logs: var/cluster/log/  Stop: Ctrl-C\n")


def main() -> None:
    stop = threading.Event()
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    settings = ClusterSettings.from_env()
    print(f"Starting {settings.replicas} Rasa and {settings.action_replicas} action replicas "
          "(about 30 s)...", flush=True)
    with running_cluster(settings, api_token=os.environ.get("BOT_API_TOKEN") or None) as cluster:
        print(describe(settings, cluster.url), flush=True)
        while not stop.wait(CHECK_EVERY_S):
            for name in cluster.restart_dead():
                print(f"{name} had stopped: restarted (see var/cluster/log/{name}.log)", flush=True)
    print("Stopped.")


if __name__ == "__main__":
    main()
