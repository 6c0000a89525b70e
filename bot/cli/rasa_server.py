"""`rasa` with the clinic's patches (bot/rasa_patches.py) installed first: how every Rasa server of
the project starts (bot/stack.py, `make shell`). Arguments are Rasa's own: `python -m
bot.cli.rasa_server run --model ...`."""
import sys

from bot import rasa_patches


def main() -> None:
    installed = rasa_patches.install()
    print(f"Rasa patches installed: {', '.join(installed) or 'none'}", file=sys.stderr)
    from rasa.__main__ import main as rasa_main

    rasa_main()


if __name__ == "__main__":
    main()
