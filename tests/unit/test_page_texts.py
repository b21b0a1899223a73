"""The shopper pages' words live in one module per concept; together they behave as one dictionary."""

import ast
import inspect
from collections import Counter

from comptoir.web import texts


def _keys_written_in(part) -> list[str]:
    """The keys as written in the module's source: a key repeated inside one dict literal is seen too
    (Python would silently keep the last one)."""
    tree = ast.parse(inspect.getsource(part))
    return [key.value for node in ast.walk(tree) if isinstance(node, ast.Dict)
            for key in node.keys if isinstance(key, ast.Constant)]


def test_no_key_is_defined_twice_across_the_parts():
    counts = Counter(key for part in texts.PARTS for key in _keys_written_in(part))
    assert [key for key, count in counts.items() if count > 1] == []
    assert sum(counts.values()) == len(texts.TEXTS)


def test_every_key_has_an_english_and_a_french_word():
    assert [key for key, pair in texts.TEXTS.items()
            if len(pair) != 2 or not all(isinstance(word, str) and word for word in pair)] == []


def test_the_lookup_gathers_every_part_in_each_language():
    assert texts.texts("en")["repair"] == "Repair"
    assert texts.texts("fr")["repair"] == "Réparation"
    assert texts.texts("fr")["go_home"] == "Retour à la boutique"  # layout part
    assert texts.texts("en")["reset_title"] == "Choose a new password"  # e-mail links part


def test_a_missing_key_shows_itself():
    assert texts.texts("fr")["no_such_key"] == "no_such_key"
