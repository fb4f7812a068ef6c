"""The home page: the latest year's story in brief, its key figures beside the year before, links to every chapter."""
from __future__ import annotations

import html

import pandas as pd

from sotebook.pages import plan
from sotebook.pages import year_chapter as chapter
from sotebook.pages.figures import Comparison, cited_sources, comparisons, planned
from sotebook.pages.markup import HTMLBlock, table
from sotebook.pages.words import Words
from sotebook.data.dataset import BookData


def story_brief(words: Words, data: BookData, year: int) -> str:
    """The first paragraphs of the latest year's generated story (Markdown), for a year with no story file."""
    paragraphs = chapter.story(words, data, year).split("\n\n")
    return "\n\n".join(paragraphs[:3])


def opening(words: Words, data: BookData, year: int) -> HTMLBlock:
    """The latest year's main points as its editor wrote them (stories/<year>.<lang>.md), every number
    opening its note; for a year with no story file, the first paragraphs of the generated story."""
    from sotebook.pages import story
    from sotebook.pages.markup import prose

    found = story.blocks(year, words.language())
    if ("main-points", "") not in found:
        return prose(story_brief(words, data, year))
    notes = chapter.page_notes(words, year)
    teller = story.Teller(words, data, year, notes, story.path(year, words.language()))
    return HTMLBlock(f'<section class="sotebook-main-points" aria-label="{html.escape(words.say("page.year.main_points"))}">'
                     f'{teller.render(found["main-points", ""])}</section>\n{notes.listing()}')


def key_figure_rows(words: Words, data: BookData, year: int) -> list[Comparison]:
    """The key figures the plan lists (notebooks/home.plan.yml) that the year has, in its order."""
    return planned(comparisons(words, data, year), plan.home().key_figures)


def key_figures(words: Words, data: BookData, year: int):
    """The plan's key figures for the year, beside the year before where the two can be compared."""
    rows = key_figure_rows(words, data, year)
    previous = str(year - 1)
    frame = pd.DataFrame({
        words.say("table.measure"): [c.label for c in rows],
        previous: [c.cell(c.then) if c.then is not None else words.say("number.missing") for c in rows],
        str(year): [c.cell() for c in rows],
        words.say("table.change"): [c.change() or words.say("number.missing") for c in rows],
    })
    block = table(words, frame, words.say("home.key_figures_caption", year=year), numeric=(previous, str(year), words.say("table.change")))
    return HTMLBlock(block.markup + "\n" + cited_sources(words, rows))


def chapter_links(words: Words, years: list[int]) -> str:
    """A Markdown list linking every chapter in chapters.yml: the years newest first, then the other
    chapters and pages (each with its `home.link_<name>` words)."""
    from sotebook.pages.spec import read_spec

    spec = read_spec()
    others = [c.output for c in spec.chapters[1:] if c.each != "year"] + spec.pages
    items = [words.say("home.link_year", year=y) for y in sorted(years, reverse=True)]
    items += [words.say(f"home.link_{name}") for name in others]
    return "\n".join(f"- {item}" for item in items)
