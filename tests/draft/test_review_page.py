"""The review page: every proposed row beside its passage, the number marked, lowest score first; the
text escaped; nothing fetched from elsewhere; figures that match no metric listed as candidates."""
import re

from draftcopy import add_source, run

TEXT = """Hållbar tillväxt
Vi hade 461 miljöstödpersoner <script>alert("x")</script> och körde 12 345 kilometer med cykel.

Kundupplevelsen förbättrades ytterligare
Rekommendationsindex för vår service var 71. Det är en <b>bra</b> siffra för oss alla.
"""


def test_the_review_page_shows_each_row_beside_its_passage(capsys, raw, tmp_path):
    text = tmp_path / "tiny_2026.txt"
    text.write_text(TEXT, encoding="utf-8")
    add_source(raw, "tiny_2026", like="annual_review_2025", covers_from="2026", covers_to="2026", seed_file=text.name)
    code, out, err = run(capsys, "--raw", raw, "draft", text)
    assert code == 0, err
    page = (raw / "drafts" / "tiny_2026.html").read_text(encoding="utf-8")

    assert "<script" not in page and "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page) and "@import" not in page
    marked = re.findall(r"<mark>(.*?)</mark>", page)
    assert {"461", "12 345", "71"} <= set(marked), marked
    scores = [float(s) for s in re.findall(r'<td class="score">([\d.]+)</td>', page)]
    assert len(scores) == 3 and scores == sorted(scores)
    candidates = page.split("Candidates for new metrics")[1].split("Proposed rows")[0]
    assert "<mark>12 345</mark>" in candidates  # cycled kilometres: no metric of the dictionary
    assert "<mark>461</mark>" not in candidates  # environmental support persons: a metric
    assert "1 candidates for new metrics" in out or "candidates for new metrics" in out
