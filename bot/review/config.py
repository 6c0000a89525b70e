"""The console's settings, from the environment (the database comes from bot.review.database)."""
import os
from dataclasses import dataclass
from ipaddress import IPv4Network, IPv6Network, ip_network
from typing import Mapping, Optional, Tuple, Union
from zoneinfo import ZoneInfo

Network = Union[IPv4Network, IPv6Network]


def _networks(value: str) -> Tuple[Network, ...]:
    """REVIEW_TRUSTED_PROXIES: addresses or networks, comma-separated ("127.0.0.1,10.0.0.0/8")."""
    return tuple(ip_network(item.strip(), strict=False)
                 for item in value.split(",") if item.strip())


@dataclass(frozen=True)
class Settings:
    host: str = "127.0.0.1"
    port: int = 5006
    idle_minutes: int = 30       # a session ends after this long without a request
    max_hours: int = 8           # and this long after sign-in, whatever happens
    secure_cookies: bool = False  # set when the console is served over HTTPS
    timezone: ZoneInfo = ZoneInfo("UTC")  # days in filters and charts, times shown
    # Proxies whose X-Forwarded-For and X-Forwarded-Proto are believed (bot.review.proxy); none by
    # default: then the client is the socket's peer and a forwarded header is anyone's invention.
    trusted_proxies: Tuple[Network, ...] = ()
    # Sign-in attempts allowed per window (bot.review.throttle): per user name, per client address.
    account_attempts: int = 5
    address_attempts: int = 20
    attempt_window_minutes: int = 15

    @classmethod
    def from_env(cls, env: Optional[Mapping[str, str]] = None) -> "Settings":
        env = os.environ if env is None else env
        return cls(
            host=env.get("REVIEW_HOST", cls.host),
            port=int(env.get("REVIEW_PORT", cls.port)),
            idle_minutes=int(env.get("REVIEW_SESSION_IDLE_MINUTES", cls.idle_minutes)),
            max_hours=int(env.get("REVIEW_SESSION_MAX_HOURS", cls.max_hours)),
            secure_cookies=env.get("REVIEW_SECURE_COOKIES", "") in ("1", "true", "yes"),
            timezone=ZoneInfo(env.get("REVIEW_TIMEZONE", "UTC")),
            trusted_proxies=_networks(env.get("REVIEW_TRUSTED_PROXIES", "")),
            account_attempts=int(env.get("REVIEW_SIGNIN_ACCOUNT_ATTEMPTS", cls.account_attempts)),
            address_attempts=int(env.get("REVIEW_SIGNIN_ADDRESS_ATTEMPTS", cls.address_attempts)),
            attempt_window_minutes=int(env.get("REVIEW_SIGNIN_WINDOW_MINUTES",
                                               cls.attempt_window_minutes)),
        )
