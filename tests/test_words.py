"""The book's words live in words/<lang>/, not in Python: every message the code and templates ask for
exists, and no sentence of the book is written in the package."""
import ast
import re

import pytest

from sotebook.pages import words
from sotebook.paths import NOTEBOOKS, ROOT
from sotebook.pages.words import edition

EN = edition("en")  # the English edition's words, which most tests read

PACKAGE = ROOT / "sotebook"


def _said_keys():
    """Every literal key the package passes to words.say / words.has."""
    keys = set()
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in ("say", "has")
                    and node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
                keys.add((str(path.relative_to(PACKAGE)), node.args[0].value))
    return sorted(keys)


@pytest.mark.parametrize("module,key", _said_keys())
def test_every_message_the_code_asks_for_exists(module, key):
    assert key in words.catalog("en"), f"sotebook/{module} asks for {key!r}, which words/en/ lacks"


@pytest.mark.parametrize("template", sorted(p.stem for p in NOTEBOOKS.glob("*.md")))
def test_every_substitution_a_template_uses_exists(template):
    used = set(re.findall(r"\{\{\s*(\w+)\s*\}\}", (NOTEBOOKS / f"{template}.md").read_text(encoding="utf-8")))
    given = set(EN.page_substitutions(template, {"year": 2025, "lang": "en"}))
    assert used <= given, f"notebooks/{template}.md uses {sorted(used - given)}, which words/en/ does not define"


def _book_strings(tree):
    """String constants that could be book text: not docstrings, not in raise or assert statements."""
    skipped = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Raise, ast.Assert)):
            skipped |= {id(n) for n in ast.walk(node)}
        if isinstance(node, (ast.FunctionDef, ast.ClassDef, ast.Module)) and ast.get_docstring(node) is not None:
            skipped.add(id(node.body[0].value))
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skipped:
            yield node


ENGLISH = re.compile(r"\b(the|of|and|was|were|is|are|in|from|to|by)\b", re.I)
PAGE_MODULES = ["pages/year_chapter.py", "pages/figures.py", "pages/markup.py", "pages/home.py", "pages/trends.py",
                "pages/background.py", "pages/about_data.py", "pages/series.py", "pages/charts.py", "pages/text.py"]


@pytest.mark.parametrize("module", PAGE_MODULES)
def test_no_sentence_of_the_book_is_written_in_python(module):
    """A constant of three or more words with English function words is a sentence in the wrong place."""
    found = [f"line {n.lineno}: {n.value!r}" for n in _book_strings(ast.parse((PACKAGE / module).read_text(encoding="utf-8")))
             if len(re.findall(r"[A-Za-z]{2,}", n.value)) >= 3 and ENGLISH.search(n.value)
             and not n.value.lstrip().startswith(("<", "(function", "split(", "data:"))]
    assert not found, f"sotebook/{module} holds book text; move it to words/en/:\n" + "\n".join(found)


def test_a_missing_message_names_the_language_folder_and_key():
    with pytest.raises(words.WordsError, match=r"words/en/ has no message 'no\.such\.key'"):
        EN.say("no.such.key")


def test_a_message_whose_placeholder_the_code_does_not_give_is_refused():
    with pytest.raises(words.WordsError, match="needs year"):
        EN.say("page.year.title")
