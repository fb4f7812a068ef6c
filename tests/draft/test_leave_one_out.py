"""Must show 1: drafting each annual review with the labels of the other sources only (and the metric
dictionary's), the draft holds >= 95% of its committed figures with the right value and section and
proposes the right metric first for >= 85% of them. `python -m sotebook.draft evaluate` prints the figures."""
import pytest

from sotebook.draft.evaluate import leave_one_out
from sotebook.draft.source import find_source
from sotebook.paths import RAW

from conftest import REVIEW_2024, REVIEW_2025


@pytest.mark.parametrize("text", [REVIEW_2024, REVIEW_2025], ids=["annual_review_2024", "annual_review_2025"])
def test_the_draft_holds_the_committed_figures_and_proposes_their_metrics(text):
    result = leave_one_out(find_source(text, RAW), RAW)
    misses = "\n  ".join(result.misses)
    assert result.figures >= 100, result  # every primary row is counted, none left out
    assert result.held_share >= 0.95, f"{result}\n  {misses}"
    assert result.metric_share >= 0.85, f"{result}\n  {misses}"


def test_the_draft_does_not_read_the_sources_own_transcription(raw):
    """The leave-one-out is honest: the draft of a source is the same whether its own transcription
    exists or not (it is not among the labels matched against)."""
    from sotebook.draft.compose import draft_source

    source = find_source(REVIEW_2025, raw)
    with_own = [d.row for d in draft_source(source, raw)]
    (raw / "annual_review_2025.csv").unlink()
    assert [d.row for d in draft_source(source, raw)] == with_own
