"""The REST webhook's token (REST_TOKEN): who may talk over REST at all.

Rasa's `--auth-token` protects only its HTTP API, never `/webhooks/*` (NOTES.md), and a REST client
picks its own `sender`. With REST_TOKEN set, POST /webhooks/rest/webhook needs the token, as
`Authorization: Bearer <token>` (preferred: a query string ends up in access logs) or `?token=`
(as Rasa's HTTP API takes its own); anything else is answered 401 before the body is read. The
comparison is constant-time. The token belongs to the backend that talks to the assistant on its
users' behalf (the clinic's website, the evaluation), not to an end user.

Kept apart from the channel (no Rasa import) so that clients such as bot/cli/evaluate.py and the
tests can send the token cheaply.
"""
import hmac
import os
from typing import Dict, Mapping, Optional

ENV = "REST_TOKEN"


def configured_token(env: Optional[Mapping[str, str]] = None) -> Optional[str]:
    """REST_TOKEN from the environment, or None when unset or blank."""
    env = os.environ if env is None else env
    return (env.get(ENV) or "").strip() or None


def presented_token(headers: Mapping[str, str], args: Mapping[str, object]) -> str:
    """The token a request carries: its Bearer header, else its `token` query argument."""
    scheme, _, value = (headers.get("Authorization") or "").partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    token = args.get("token")
    if isinstance(token, list):  # Sanic's request.args holds lists
        token = token[0] if token else ""
    return token if isinstance(token, str) else ""


def token_matches(expected: str, presented: str) -> bool:
    return hmac.compare_digest(expected.encode("utf-8", "surrogatepass"),
                               presented.encode("utf-8", "surrogatepass"))


def client_headers(token: Optional[str] = None) -> Dict[str, str]:
    """Headers for a REST client: the Bearer token (given, else REST_TOKEN), or none."""
    token = token or configured_token()
    return {"Authorization": f"Bearer {token}"} if token else {}
