"""Who is signing in, and over what: the socket's peer, unless that peer is a trusted proxy.

Behind a proxy (nginx: `proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for` and
`X-Forwarded-Proto $scheme`) the socket's peer is the proxy, and every client would share its
address and its sign-in budget. So the console believes X-Forwarded-For and X-Forwarded-Proto,
but only from the peers in REVIEW_TRUSTED_PROXIES: from anyone else they are whatever the client
chose to write. X-Forwarded-For is read from the right, as each proxy appends the address it saw:
the first address that is not a trusted proxy is the client (what a client writes itself stays to
its left). X-Real-IP is not read: a proxy that does not set it passes on the client's own. A proxy
that does not set X-Forwarded-Proto passes on the client's own too: a client can then at worst
make its own cookies Secure (REVIEW_SECURE_COOKIES=1 makes them Secure whatever the headers say).

An IPv6 client counts as its /64, the block one subscriber is given: counted per address, one
subscriber would have 2^64 budgets.
"""
from ipaddress import IPv4Address, IPv6Address, ip_address
from typing import Iterable, List, Optional, Union

from sanic import Request

from bot.review.config import Network

IPAddress = Union[IPv4Address, IPv6Address]
_MAX_KEY = 64  # an address that does not parse is kept as text, this long at most


def _parse(address: str) -> Optional[IPAddress]:
    """The address, an IPv4-mapped IPv6 one as IPv4 (a dual-stack socket's peers); None if it is
    not an address."""
    try:
        parsed = ip_address(address.strip().strip("[]"))
    except ValueError:
        return None
    if isinstance(parsed, IPv6Address) and parsed.ipv4_mapped:
        return parsed.ipv4_mapped
    return parsed


def _trusted(address: str, proxies: Iterable[Network]) -> bool:
    parsed = _parse(address)
    return parsed is not None and any(parsed in network for network in proxies)


def _forwarded_for(request: Request) -> List[str]:
    """Every X-Forwarded-For entry, in order (the header may come several times)."""
    values = request.headers.getall("x-forwarded-for", [])
    return [entry.strip() for value in values for entry in value.split(",") if entry.strip()]


def client_address(request: Request, proxies: Iterable[Network]) -> str:
    """The client's address (an IPv6 one as its /64) for counting sign-in attempts."""
    proxies = tuple(proxies)
    peer = request.ip
    if not _trusted(peer, proxies):
        return _key(peer)
    hops = _forwarded_for(request)
    for hop in reversed(hops):
        if not _trusted(hop, proxies):
            return _key(hop)
    return _key(hops[0] if hops else peer)  # every hop a trusted proxy: the furthest one


def _key(address: str) -> str:
    parsed = _parse(address)
    if parsed is None:
        return address[:_MAX_KEY]
    if isinstance(parsed, IPv6Address):
        return f"{IPv6Address(int(parsed) >> 64 << 64)}/64"
    return str(parsed)


def over_https(request: Request, proxies: Iterable[Network]) -> bool:
    """Whether the browser reached the console over HTTPS: TLS on the console's own socket, or a
    trusted proxy's X-Forwarded-Proto (its first value: what the outermost proxy was reached by)."""
    if request.conn_info is not None and request.conn_info.ssl:
        return True
    if not _trusted(request.ip, proxies):
        return False
    proto = request.headers.get("x-forwarded-proto") or ""
    return proto.split(",")[0].strip().lower() == "https"
