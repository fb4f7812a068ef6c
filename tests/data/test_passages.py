"""Each figure's passage (sotebook/data/passages.py): the sentence that states it, begun in the paragraph
before where the copy breaks it there, and never joined to a list's item or a table's cell before it."""
from sotebook.data.document import Passage
from sotebook.data.passages import locate

SECTION = ("Sustainable finances", "Transformation programme")


def doc(*texts: str) -> list[Passage]:
    return [Passage(text, line, SECTION) for line, text in enumerate(texts, start=1)]


def passage(printed: str, *texts: str) -> str:
    found, elsewhere = locate(printed, "", " > ".join(SECTION), doc(*texts))
    assert found is not None, elsewhere
    return found.passage


def test_a_sentence_the_copy_breaks_before_its_figure_is_quoted_whole():
    assert passage("€100 million", "The programme runs to 2026. We are aiming for an adjustment of",
                   "€100 million. We achieved €68 million of it.") == \
        "We are aiming for an adjustment of €100 million."


def test_a_tables_label_standing_above_its_row_is_quoted_with_it():
    assert passage("15 638", "Totalt (ordinarie, visstidsanställda)", "15 638 100 %") == \
        "Totalt (ordinarie, visstidsanställda) 15 638 100 %"


def test_an_item_or_cell_that_gives_a_figure_of_its_own_is_not_joined():
    """The copy's reading order of a table's cells does not say which row a bare '23%' belongs to."""
    assert passage("23%", "External supplier €547 million", "23%") == "23%"
    assert passage("72,200", "156,700 symptom assessments on Omaolo", "72,200 chat contacts") == "72,200 chat contacts"


def test_a_paragraph_that_ends_its_sentence_is_not_joined():
    assert passage("€68 million", "The programme balances the finances.", "€68 million was saved.") == "€68 million was saved."


def test_a_long_run_together_list_is_quoted_around_its_figure():
    """The news article's list of encounters is one 'sentence' of 82 words: its figure's passage is the
    items around it, cut where an item begins, '…' where it is cut."""
    items = " ".join(f"{n},000 visits of kind {chr(n - 3)}" for n in range(100, 120))
    quoted = passage("110,000", "Encounters:", items)
    assert quoted.startswith("… 1") and quoted.endswith(" …") and "110,000 visits of kind k" in quoted
    kept = quoted.strip("… ").split()
    assert len(kept) <= 12 * 2 + 3 and kept[0][0].isdigit() and not kept[-1][0].isdigit()


def test_a_number_the_copy_breaks_after_its_decimal_point_is_joined_but_a_year_ending_a_sentence_is_not():
    assert passage("875,000", "Encounters: 1.6 million days 1.", "4 million nurse visits 875,000 doctor visits") == \
        "Encounters: 1.6 million days 1.4 million nurse visits 875,000 doctor visits"
    assert passage("79%", "Staff worked for us at the end of 2024.", "79% would recommend us.") == "79% would recommend us."
