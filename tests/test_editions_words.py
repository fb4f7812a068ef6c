"""Every edition has every message of the English one, non-empty, with the same placeholders."""
import pytest

from sotebook.pages import words

OTHER = [lang for lang in words.languages() if lang != words.DEFAULT_LANGUAGE]


def test_the_book_has_words_for_finnish_swedish_and_english():
    assert {"fi", "sv", "en"} <= set(words.languages())


@pytest.mark.parametrize("language", OTHER)
def test_every_message_exists_with_the_same_placeholders(language):
    problems = words.catalog_problems(language)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("language", OTHER)
def test_the_check_fails_on_a_removed_an_emptied_and_a_changed_message(language):
    other = dict(words.catalog(language))
    other.pop("page.year.title")
    other["page.year.brief"] = " "
    other["lead.nps"] = other["lead.nps"].replace("{change}", "")
    problems = words.compare(words.catalog("en"), other, f"words/{language}/")
    assert any("lacks 'page.year.title'" in p for p in problems)
    assert any("'page.year.brief' is empty" in p for p in problems)
    assert any("'lead.nps' uses" in p for p in problems)
