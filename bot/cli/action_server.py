"""The action server: rasa_sdk's own app, listening on loopback unless told otherwise, and in the
production profile answering only whoever presents the shared token.

`rasa run actions` (rasa-sdk 3.6) listens on 0.0.0.0 (SANIC_HOST is its only knob) and answers
anyone: whoever reaches its port runs the clinic's actions with a tracker of their making, and
reads what they answer. Here the SDK's app (`rasa_sdk.endpoint.create_app`, its public factory,
with its plugins) is started on `--host` (127.0.0.1 by default) and, with `--require-token`,
refuses every request but /health that lacks `Authorization: Bearer <ACTION_SERVER_TOKEN>`
(compared in constant time). The token is read from the environment, never the command line
(which `ps` shows); the Rasa replicas send it from endpoints.cluster.yml. /health stays open: it
says nothing but "ok", and health checks carry no secret.

    python -m bot.cli.action_server --actions actions --port 5055 [--host H] [--require-token]
"""
import argparse
import hashlib
import hmac
import logging
import os
from typing import List, Optional

from rasa_sdk import utils
from rasa_sdk.constants import APPLICATION_ROOT_LOGGER_NAME
from rasa_sdk.endpoint import create_app, create_argument_parser, create_ssl_context
from rasa_sdk.plugin import plugin_manager
from sanic import Request, Sanic
from sanic.response import HTTPResponse, json

TOKEN_ENV = "ACTION_SERVER_TOKEN"
DEFAULT_HOST = "127.0.0.1"
OPEN_PATHS = frozenset({"/health"})
logger = logging.getLogger(__name__)


def _digest(value: str) -> bytes:
    """What compare_digest compares: it takes only ASCII text, and a header may hold anything."""
    return hashlib.sha256(value.encode("utf-8", "surrogateescape")).digest()


def require_token(app: Sanic, token: str) -> None:
    """Refuse (401) every request but OPEN_PATHS without `Authorization: Bearer <token>`."""
    expected = _digest(f"Bearer {token}")

    @app.on_request
    async def check_token(request: Request) -> Optional[HTTPResponse]:
        if request.path in OPEN_PATHS:
            return None
        if hmac.compare_digest(_digest(request.headers.get("authorization") or ""), expected):
            return None
        return json({"error": "this action server needs its token"}, status=401)


def parser() -> argparse.ArgumentParser:
    """rasa_sdk's own options (port, actions, TLS, logging), and where to listen and the token."""
    arguments = create_argument_parser()
    arguments.add_argument("--host", default=DEFAULT_HOST,
                           help="address to listen on (default 127.0.0.1: this machine only)")
    arguments.add_argument("--require-token", action="store_true",
                           help=f"refuse requests without the bearer token in ${TOKEN_ENV}")
    return arguments


def build(args: argparse.Namespace) -> Sanic:
    """The SDK's app for `args`, with its plugins, behind the token if asked."""
    app = create_app(args.actions or "actions", cors_origins=args.cors,
                     auto_reload=args.auto_reload)
    plugin_manager().hook.attach_sanic_app_extensions(app=app)
    if args.require_token:
        token = os.environ.get(TOKEN_ENV, "").strip()
        if not token:
            raise SystemExit(f"--require-token: set {TOKEN_ENV}")
        require_token(app, token)
    return app


def main(argv: Optional[List[str]] = None) -> None:
    args = parser().parse_args(argv)
    utils.configure_colored_logging(args.loglevel)
    utils.configure_file_logging(logging.getLogger(APPLICATION_ROOT_LOGGER_NAME), args.log_file,
                                 args.loglevel, args.logging_config_file)
    utils.update_sanic_log_level()
    app = build(args)
    ssl = create_ssl_context(args.ssl_certificate, args.ssl_keyfile, args.ssl_password)
    logger.info("Action server on %s://%s:%s%s", "https" if ssl else "http", args.host, args.port,
                " (token required)" if args.require_token else "")
    app.run(args.host, args.port, ssl=ssl, workers=utils.number_of_sanic_workers())


if __name__ == "__main__":
    main()
