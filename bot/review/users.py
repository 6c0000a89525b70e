"""Manage the review console's accounts from the command line.

    python -m bot.review.users add NAME --role staff|lead|admin  # password asked, or from stdin
    python -m bot.review.users passwd NAME                 # new password, signs the user out
    python -m bot.review.users role NAME staff|lead|admin
    python -m bot.review.users disable NAME | enable NAME  # disabling signs the user out
    python -m bot.review.users list

The database is the tracker store's (TRACKER_DB, or TRACKER_STORE=postgres: bot.review.database).
"""
import argparse
import getpass
import sys
from datetime import datetime, timezone
from typing import List, Optional

from bot.review import accounts
from bot.review.database import connect
from bot.review.schema import create_console_tables


def read_password() -> str:
    """Prompted twice on a terminal; otherwise the first line of standard input."""
    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\r\n")
    password = getpass.getpass("Password: ")
    if getpass.getpass("Again: ") != password:
        raise ValueError("the passwords differ")
    return password


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.review.users", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    add = commands.add_parser("add", help="create an account")
    add.add_argument("name")
    add.add_argument("--role", choices=sorted(accounts.ROLES), required=True)
    commands.add_parser("passwd", help="set a new password").add_argument("name")
    role = commands.add_parser("role", help="change the role")
    role.add_argument("name")
    role.add_argument("role", choices=sorted(accounts.ROLES))
    commands.add_parser("disable", help="refuse sign-in, end sessions").add_argument("name")
    commands.add_parser("enable", help="allow sign-in again").add_argument("name")
    commands.add_parser("list", help="the accounts")
    args = parser.parse_args(argv)

    engine = connect()
    create_console_tables(engine)
    try:
        if args.command == "add":
            accounts.add_user(engine, args.name, read_password(), args.role)
        elif args.command == "passwd":
            accounts.set_password(engine, args.name, read_password())
        elif args.command == "role":
            accounts.set_role(engine, args.name, args.role)
        elif args.command in ("disable", "enable"):
            accounts.set_active(engine, args.name, args.command == "enable")
        else:
            for user in accounts.list_users(engine):
                created = datetime.fromtimestamp(user["created_at"], timezone.utc)
                print(f"{user['username']}\t{user['role']}\t"
                      f"{'active' if user['active'] else 'disabled'}\t{created:%Y-%m-%d}")
            return 0
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(f"{args.command}: {args.name}: done")
    return 0


if __name__ == "__main__":
    sys.exit(main())
