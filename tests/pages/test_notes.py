"""How a number's note is put together (sotebook/pages/notes.py): each passage quoted once, and each source
named once after the statements it supports. The notes in the browser: tests/browser/test_notes.py."""
from sotebook.pages.notes import _joined, _span

REASON_A = _span("reason", "Rents fell.")
REASON_B = _span("reason", "ICT cost less.")
PASSAGE = _span("passage", "<q>the target was <mark>100</mark></q>")
OTHER_PASSAGE = _span("passage", "<q>spending fell by <mark>47.4</mark></q>")
REVIEW = _span("source", "Annual review 2025, “The programme reached its target”.")
NEWS = _span("source", "News, 2024.")


def test_a_source_is_named_once_after_the_statements_it_supports():
    note = _joined([_span("what", "Target."), REASON_A, REVIEW, REASON_B, REVIEW, PASSAGE, REVIEW])
    assert note.count(REVIEW) == 1 and note.endswith(REVIEW)
    assert note.index(REASON_A) < note.index(REASON_B) < note.index(PASSAGE) < note.index(REVIEW)


def test_a_different_source_between_two_alike_keeps_both():
    note = _joined([REASON_A, REVIEW, REASON_B, NEWS, PASSAGE, REVIEW])
    assert note.count(REVIEW) == 2 and note.count(NEWS) == 1
    assert note.index(REVIEW) < note.index(REASON_B) < note.index(NEWS) < note.index(PASSAGE)


def test_a_passage_quoted_twice_is_quoted_once_and_its_source_kept():
    note = _joined([PASSAGE, REVIEW, OTHER_PASSAGE, NEWS, PASSAGE, REVIEW])
    assert note.count(PASSAGE) == 1 and note.count(OTHER_PASSAGE) == 1
    assert note == " ".join([PASSAGE, REVIEW, OTHER_PASSAGE, NEWS])


def test_one_passage_for_two_numbers_is_quoted_once_with_both_marked():
    """A derived figure's note quotes the sentence that gives both the later figure and the change: once,
    both numbers marked."""
    fell = _span("passage", "<q>spending fell by <mark>47.4</mark> percent to just under 19.7 million</q>")
    under = _span("passage", "<q>spending fell by 47.4 percent to just under <mark>19.7 million</mark></q>")
    note = _joined([fell, REVIEW, under, REVIEW])
    assert note == " ".join([_span("passage", "<q>spending fell by <mark>47.4</mark> percent to just under "
                                              "<mark>19.7 million</mark></q>"), REVIEW])
    assert _joined([fell, REVIEW, under, NEWS]).count("spending fell") == 2  # from two places: both quoted


def test_a_named_fact_ends_as_a_sentence_before_its_source():
    """A highlight is often a name ('Helsinki Diabetes Centre'): its note does not run into the source."""
    from sotebook.pages.notes import reason_note
    from sotebook.pages.words import edition

    note = reason_note(edition("en"), "annual_review_2024", "", "Helsinki Diabetes Centre")
    assert '<span class="sotebook-note__what">Helsinki Diabetes Centre.</span>' in note
    assert note.count("..") == 0 and reason_note(edition("en"), "annual_review_2024", "", "It opened.").count("..") == 0
