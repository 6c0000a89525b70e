"""The command lines bot.stack builds are read by Rasa's own argument parser as meant."""
import pytest
from rasa.__main__ import create_argument_parser

from bot import stack


@pytest.mark.parametrize("token", ["-starts-with-a-dash", "--looks-like-an-option", "plain_token"])
def test_an_api_token_is_read_whole_whatever_its_first_character(token):
    """A random `secrets.token_urlsafe` token starts with "-" one time in 64; passed as a separate
    argument Rasa's parser took it for an option and `rasa run` exited 2 (a flaky CI)."""
    command = stack.rasa_command(5005, token, ["http://localhost:8080"])
    arguments = create_argument_parser().parse_args(command[command.index("run"):])
    assert arguments.auth_token == token
    assert arguments.enable_api is True
    assert arguments.port == 5005
