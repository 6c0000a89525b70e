"""`make profile`'s pure parts: folded stacks to inclusive and self shares, the CPU lines, arguments.
No server and no py-spy are started here."""
import pytest

from bot.bench import profile

FOLDED = """\
<module> (app.py:10);main (app.py:5);handle (rasa/core/processor.py:100);predict (rasa/core/policy.py:20) 4
<module> (app.py:10);main (app.py:5);handle (rasa/core/processor.py:120);save (rasa/core/store.py:7) 2
<module> (app.py:10);main (app.py:5);walk (tree.py:3);walk (tree.py:4);walk (tree.py:3) 1
<module> (app.py:10);main (app.py:6) 1

"""


def test_folded_stacks_give_inclusive_and_self_percentages(tmp_path):
    path = tmp_path / "profile-rasa-1.txt"
    path.write_text(FOLDED)
    stacks = profile.read_folded(path.read_text().splitlines())
    assert [samples for _, samples in stacks] == [4, 2, 1, 1]
    assert stacks[2][0] == ["<module> (app.py:10)", "main (app.py:5)", "walk (tree.py:3)",
                            "walk (tree.py:4)", "walk (tree.py:3)"]
    inclusive, own = profile.shares(stacks)
    assert inclusive == {"<module> (app.py)": 100.0, "main (app.py)": 100.0,
                         "handle (rasa/core/processor.py)": 75.0,  # two lines of it, one function
                         "predict (rasa/core/policy.py)": 50.0, "save (rasa/core/store.py)": 25.0,
                         "walk (tree.py)": 12.5}  # recursion counts once per stack
    assert own == {"predict (rasa/core/policy.py)": 50.0, "save (rasa/core/store.py)": 25.0,
                   "walk (tree.py)": 12.5, "main (app.py)": 12.5}
    assert profile.top(inclusive, 3) == [("<module> (app.py)", 100.0), ("main (app.py)", 100.0),
                                         ("handle (rasa/core/processor.py)", 75.0)]
    assert profile.top(own, 10)[-2:] == [("main (app.py)", 12.5), ("walk (tree.py)", 12.5)]


def test_no_samples_no_shares():
    assert profile.shares(profile.read_folded(["", "\n"])) == ({}, {})


@pytest.mark.parametrize("frame, function", [
    ("run (asyncio/base_events.py:603)", "run (asyncio/base_events.py)"),
    ("<lambda> (bot/x (copy).py:3)", "<lambda> (bot/x (copy).py)"),
    ("handle (rasa/core/processor.py)", "handle (rasa/core/processor.py)"),  # no line number
    ("unknown", "unknown"),
])
def test_a_frame_loses_its_line(frame, function):
    assert profile.function_of(frame) == function


def test_cpu_per_process_and_per_message():
    cpu = {"machine_busy_s": 30.0, "processes_s": {"rasa-1": 12.5, "bench": 2.0}}
    assert profile.cpu_lines(cpu, messages=500) == [
        "process        CPU s   ms/msg",
        "rasa-1         12.50     25.0",
        "bench           2.00      4.0",
        "machine        30.00     60.0"]
    assert profile.cpu_lines(cpu, messages=0)[1] == "rasa-1         12.50        -"


def test_arguments():
    args = profile.parse_args([])
    assert (args.process, args.clients, args.duration, args.warmup) == ("rasa-1", 10, 20, 5.0)
    assert profile.parse_args(["--process", "consumer", "--duration", "5"]).process == "consumer"
    for bad in (["--process", "nginx"], ["--clients", "0"], ["--duration", "1.5"]):
        with pytest.raises(SystemExit):
            profile.parse_args(bad)
