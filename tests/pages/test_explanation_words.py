"""The dataset keeps each explanation as a sourced fact; the book tells it in each edition's words
(words/<lang>/explanations.yml): every explanation has its message in every edition, every message its explanation."""
import csv

from sotebook.data.dataset import load
from sotebook.pages import explanation_words, words
from sotebook.pages import year_chapter as chapter
from sotebook.paths import CLEAN


def test_every_explanation_is_told_in_every_edition_and_every_message_tells_one():
    assert explanation_words.problems(words.languages()) == []


def test_the_check_names_a_missing_message_and_a_message_without_its_explanation():
    ids = explanation_words.explanation_ids()
    found = explanation_words.problems(["fi"], ids[1:] + ["nps_2026_change"])
    assert found == [
        "words/fi/: no message 'explanation.nps_2026_change' tells explanation 'nps_2026_change' of data/clean/explanations.csv",
        f"words/fi/: message 'explanation.{ids[0]}' tells no explanation: data/clean/explanations.csv has no "
        f"explanation_id {ids[0]!r}",
    ]


def test_the_finnish_and_swedish_messages_are_not_the_english_left_as_it_was():
    english = words.catalog("en")
    for lang in ("fi", "sv"):
        same = [k for k in english if k.startswith(explanation_words.PREFIX) and words.catalog(lang)[k] == english[k]]
        assert same == [], f"words/{lang}/ copies the English of {same}"


def test_the_dataset_keeps_the_fact_not_the_editions_phrasing():
    with (CLEAN / "explanations.csv").open(encoding="utf-8", newline="") as handle:
        header = next(csv.reader(handle))
    assert header == ["explanation_id", "metric_id", "year", "explains", "explanation", "source_id", "section"]


def test_the_chapter_tells_an_explanation_in_the_words_not_the_datasets_statement(monkeypatch):
    data = load(2025)
    row = chapter.explanations(data, 2025).iloc[0]
    for lang in ("en", "fi"):
        monkeypatch.setitem(words.catalog(lang), explanation_words.key(row.explanation_id), f"Reworded in {lang}.")
        said = chapter.explained(words.edition(lang), data, 2025, row.metric_id, cite=False)
        assert f"Reworded in {lang}." in said
