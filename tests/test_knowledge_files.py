"""The knowledge files read as a clinician wrote them."""
from bot.knowledge_files import knowledge_paths, load_yaml, read_yaml


def _keys(node):
    if isinstance(node, dict):
        for key, value in node.items():
            yield key
            yield from _keys(value)
    elif isinstance(node, list):
        for item in node:
            yield from _keys(item)


def test_yes_no_on_off_are_words_and_only_true_false_are_booleans():
    data = load_yaml("no: in the\nyes: yes\non: off\nflag: true\nother: False\n")
    assert data == {"no": "in the", "yes": "yes", "on": "off", "flag": True, "other": False}


def test_every_key_in_the_knowledge_files_is_text():
    for path in knowledge_paths():
        odd = [key for key in _keys(read_yaml(path)) if not isinstance(key, str)]
        assert not odd, f"{path}: keys read as {odd}; quote them"
