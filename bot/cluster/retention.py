"""The production profile's retention: conversations older than RETENTION_DAYS leave both stores.

    python -m bot.cluster.retention     # settings from the environment: bot/cluster/settings.py

At start and then every RETENTION_EVERY_HOURS, `bot.review.retention.purge` runs on Rasa's tracker
store and on the console's store (each records its runs in its own review_retention_log, shown on
the console's audit page). A store that cannot be reached is logged and tried again next time.
`make cluster` starts it when RETENTION_DAYS is set, on the machine whose CLUSTER_ROLES include
`retention`.
"""
import logging
import signal
import threading
from typing import Dict, Optional

from sqlalchemy.engine import make_url

from bot.cluster.settings import ClusterSettings
from bot.review.database import connect
from bot.review.retention import Purge, purge

logger = logging.getLogger(__name__)
RUN_BY = "cluster retention"


def run_once(settings: ClusterSettings) -> Dict[str, Optional[Purge]]:
    """One purge of each store: what it deleted, or None where it failed (logged)."""
    done: Dict[str, Optional[Purge]] = {}
    for store, url in (("tracker", settings.tracker_db_url), ("console", settings.console_db_url)):
        engine = connect(make_url(url))
        try:
            done[store] = result = purge(engine, settings.retention_days, RUN_BY)
            logger.info("%s store: deleted %d conversations (%d events, %d console rows)", store,
                        result.conversations, result.events, result.console_rows)
        except Exception:  # noqa: BLE001 - the other store and the next run still go ahead
            logger.exception("retention on the %s store failed; tried again next time", store)
            done[store] = None
        finally:
            engine.dispose()
    return done


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    settings = ClusterSettings.from_env()
    if settings.retention_days < 1:
        raise SystemExit("RETENTION_DAYS is not set: nothing to do")
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    logger.info("keeping %d days, a run every %g hours", settings.retention_days,
                settings.retention_every_hours)
    while not stop.is_set():
        run_once(settings)
        stop.wait(settings.retention_every_hours * 3600)


if __name__ == "__main__":
    main()
