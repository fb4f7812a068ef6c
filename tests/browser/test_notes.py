"""Every number opens its note (sotebook/pages/notes.py), in a real browser: by mouse and by keyboard (Enter
opens it, Escape closes it and leaves the focus on the number), with the passage of the source in its own
language and the number marked; the note fits the screen and does not cover its number; axe finds nothing
serious with a note open."""
from __future__ import annotations

import re
from contextlib import contextmanager
from pathlib import Path

import pytest

from browser_harness import AXE_JS, AXE_TAGS, DESKTOP, FAILING_IMPACTS, PHONE, goto, open_page, require_build

EDITIONS = ("fi", "sv", "en")
PAGE = "{lang}/book/year_2025.html"
SITE = Path(__file__).resolve().parents[2] / "_build" / "html"

NOTE_FACTS = """button => {
  const pop = document.getElementById(button.getAttribute('popovertarget'));
  const open = pop.matches(':popover-open');
  const q = pop.querySelector('q');
  const b = button.getBoundingClientRect(), p = pop.getBoundingClientRect();
  return {open, quoteLang: q ? (q.closest('[lang]') || document.documentElement).getAttribute('lang') : null,
          marked: q && q.querySelector('mark') ? q.querySelector('mark').textContent : null,
          text: pop.textContent, overlaps: !(p.bottom <= b.top || p.top >= b.bottom || p.right <= b.left || p.left >= b.right),
          left: p.left, right: p.right, top: p.top, bottom: p.bottom, vw: innerWidth, vh: innerHeight};
}"""


@contextmanager
def year_page(browser, server, lang, viewport=DESKTOP):
    """The edition's 2025 chapter in a page of its own, closed after the test."""
    require_build(PAGE.format(lang=lang))
    page = open_page(browser, server, viewport)
    try:
        goto(page, server, PAGE.format(lang=lang))
        yield page
    finally:
        page.context.close()


def _first_passage_button(page):
    """The first number of the main points whose note quotes a passage (a figure, not a reason's mark)."""
    for button in page.query_selector_all(".sotebook-main-points button.sotebook-fig:not(.sotebook-fig--mark)"):
        if page.evaluate("b => !!document.getElementById(b.getAttribute('popovertarget')).querySelector('q')", button):
            return button
    raise AssertionError("no number in the main points opens a note with a passage")


@pytest.mark.parametrize("lang", EDITIONS)
@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_a_number_opens_its_note_by_mouse(browser, server, lang, viewport):
    with year_page(browser, server, lang, viewport) as page:
        button = _first_passage_button(page)
        button.scroll_into_view_if_needed()
        button.click()
        facts = page.evaluate(NOTE_FACTS, button)
        assert facts["open"], f"{lang}: clicking {button.inner_text()!r} did not open its note"
        assert facts["marked"] and any(ch.isdigit() for ch in facts["marked"]), \
            f"{lang}: the note of {button.inner_text()!r} marks no number in its passage: {facts['text'][:200]}"
        assert facts["quoteLang"] in ("sv", "en"), f"{lang}: the passage has no language: {facts['quoteLang']}"
        assert not facts["overlaps"], f"{lang} @ {viewport['width']}: the note covers its number"
        assert facts["left"] >= 0 and facts["right"] <= facts["vw"] + 0.5, \
            f"{lang} @ {viewport['width']}: the note runs off the screen ({facts['left']:.0f}–{facts['right']:.0f} of {facts['vw']})"
        page.mouse.click(2, facts["vh"] - 2)  # a tap outside closes it
        assert not page.evaluate(NOTE_FACTS, button)["open"], f"{lang}: a click outside left the note open"


@pytest.mark.parametrize("lang", EDITIONS)
def test_a_number_opens_its_note_by_keyboard_and_escape_returns_focus(browser, server, lang):
    with year_page(browser, server, lang, DESKTOP) as page:
        button = _first_passage_button(page)
        button.focus()
        page.keyboard.press("Enter")
        assert page.evaluate(NOTE_FACTS, button)["open"], f"{lang}: Enter did not open the note"
        page.keyboard.press("Escape")
        assert not page.evaluate(NOTE_FACTS, button)["open"], f"{lang}: Escape did not close the note"
        assert page.evaluate("b => document.activeElement === b", button), f"{lang}: Escape did not leave the focus on the number"


@pytest.mark.parametrize("lang", EDITIONS)
def test_every_number_of_the_main_points_story_and_headline_tables_opens_a_note(browser, server, lang):
    """Each button's popover exists, and every number of a headline table is a button."""
    with year_page(browser, server, lang, DESKTOP) as page:
        missing = page.evaluate("""() => [...document.querySelectorAll('button.sotebook-fig')]
            .filter(b => !document.getElementById(b.getAttribute('popovertarget'))).map(b => b.textContent)""")
        assert not missing, f"{lang}: numbers whose note is missing: {missing}"
        plain = page.evaluate("""() => [...document.querySelectorAll('.cell_output .sotebook-table__table:not(details *) td.sotebook-num')]
            .filter(td => /\\d/.test(td.textContent) && !td.querySelector('button.sotebook-fig')).map(td => td.textContent)""")
        assert not plain, f"{lang}: headline-table numbers that open no note: {plain[:5]}"
        story = page.evaluate("""() => [...document.querySelectorAll('.sotebook-main-points, .sotebook-main-points ~ p.sotebook-prose')]
            .length""")
        assert story > 1, f"{lang}: no main points and story on the page"


@pytest.mark.parametrize("lang", EDITIONS)
def test_axe_finds_nothing_serious_with_a_note_open(browser, server, lang):
    with year_page(browser, server, lang, PHONE) as page:
        button = _first_passage_button(page)
        button.click()
        page.add_script_tag(path=str(AXE_JS))
        violations = page.evaluate("""tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})
                                  .then(r => r.violations)""", AXE_TAGS)
        serious = [f"{v['id']} ({v['impact']}): {v['nodes'][0]['target']}" for v in violations if v["impact"] in FAILING_IMPACTS]
        assert not serious, f"{lang} with a note open: {serious}"


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_no_note_of_the_built_site_names_the_same_source_twice_in_a_row(lang):
    """Every note list item of the edition's pages: between two mentions of one source, another source."""
    require_build(PAGE.format(lang=lang))
    pages = sorted((SITE / lang).rglob("*.html"))
    source = re.compile(r'<span class="sotebook-note__source">(.*?)</span>(?=\s*(?:<span class="sotebook-note__|</li>|$))', re.S)
    for page in pages:
        for item in re.findall(r'<li id="[^"]*-n"[^>]*>(.*?)</li>', page.read_text(encoding="utf-8"), re.S):
            named = source.findall(item)
            repeated = [a for a, b in zip(named, named[1:]) if a == b]
            assert not repeated, f"{page.relative_to(SITE)}: a note names {repeated[0]!r} twice in a row"
