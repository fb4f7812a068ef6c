"""A year's story as its editor wrote it: stories/<year>.<lang>.md, every number a reference to the dataset.

A story file is written text, one per year and language, in blocks:

    ::: main-points
    - One sentence a point: the number and what it means, most important to a resident first.
    :::

    ::: story
    Paragraphs.
    :::

    ::: section services
    The opening of the chapter's section `services` (an id of notebooks/year.plan.yml), in place of the
    generated one.
    :::

Every number in it is a reference to the dataset, never typed (digits only in years and dates):

    {fig}`metric`             the chapter year's figure, with its qualifier and unit: 'just under €19.7 million'
    {fig}`metric:reads`       the same with its period: '15,638 on 31 December 2025'
    {fig}`metric@2024`        the figure of another year the chapter holds (its year and the one before)
    {fig}`metric:previous`    the year before's figure
    {fig}`metric:change`      the change from the year before in words: 'up 22.1%', 'up about 5 percentage points'
    {fig}`metric:rise`        the size of a rise alone ('22.1%'), for a sentence that says the direction itself;
    {fig}`metric:fall`        the build fails when the figures moved the other way
    {fig}`metric:share=other` the figure as a share of another metric's figure of the same year: '42%'
    {fig}`metric:note`        no number, only the mark that opens the figure's note: for a figure the source
                              prints in words and the story tells in words ("half of the respondents")

A change is given only between figures that measure the same thing (sotebook/data/comparability.py).
A claim that depends on figures carries its condition; the build fails when it no longer holds:

    {check}`nps >= nps_target`     metric[@year] or a number on each side of <, <=, >, >=, ==, !=

A reason the sources give is told in the story's own words and carries its source as a note:

    {why}`explanation_id`          an explanation_id of data/clean/explanations.csv, for the chapter's years

and so does a fact of the year's highlights or of the timeline:

    {src}`highlight/service_change/1`   the highlight of the chapter's year of that kind and rank (highlights.csv)
    {src}`event/2025-05`                the event that starts then (timeline.csv); `event/2023-01-01/2` the second

Each {fig} and {why} becomes a number (or a mark) that opens its note (sotebook/pages/notes.py). Every
error names the file and line.
"""
from __future__ import annotations

import html
import operator
import re
from dataclasses import dataclass
from pathlib import Path

from markdown_it import MarkdownIt

from sotebook.data.dataset import BookData
from sotebook.errors import ProjectError
from sotebook.pages import notes as note_text
from sotebook.pages.figures import Comparison, Figure, comparisons, discrepancies
from sotebook.pages.notes import Notes
from sotebook.pages.words import Words
from sotebook.paths import ROOT, relative

STORIES = ROOT / "stories"
ROLE = re.compile(r"\{(fig|check|why|src)\}`([^`]*)`")
BLOCK_START = re.compile(r"^:::\s*([\w-]+)(?:\s+([\w-]+))?\s*$")
BLOCK_END = re.compile(r"^:::\s*$")
FIG = re.compile(r"^(?P<metric>[a-z0-9_]+)(?:@(?P<year>\d{4}))?(?::(?P<what>[a-z]+)(?:=(?P<arg>[a-z0-9_]+))?)?$")
WHATS = {"value", "reads", "previous", "change", "rise", "fall", "share", "note"}
CHECK = re.compile(r"^\s*(?P<left>[\w@.]+)\s*(?P<op><=|>=|==|!=|<|>)\s*(?P<right>[\w@.]+)\s*$")
OPERATORS = {"<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge, "==": operator.eq, "!=": operator.ne}
# What a story may type as digits: years and dates ('2025', '2023–2026', '31 December', '31. joulukuuta', '1.1.2025').
DATE_DIGITS = re.compile(r"(?<![\d,.])(?:\d{1,2}\.\d{1,2}\.\d{4}|\d{1,2}\.?\s+(?:[A-Za-zÅÄÖåäö]+)|(?:19|20)\d{2}(?:[–-](?:19|20)?\d{2})?)(?![\d,.]?\d)")
MONTHS = re.compile(r"^(january|february|march|april|may|june|july|august|september|october|november|december|"
                    r"tammikuu|helmikuu|maaliskuu|huhtikuu|toukokuu|kesäkuu|heinäkuu|elokuu|syyskuu|lokakuu|marraskuu|joulukuu|"
                    r"januari|februari|mars|april|maj|juni|juli|augusti|september|oktober|november|december)", re.I)
BLOCKS = ("main-points", "story", "section")
# Names with digits in them, which a story may type: the disease's name is not a number.
NAMES = re.compile(r"\b(?:covid|COVID)-19\b")
COMMENT = re.compile(r"<!--.*?-->", re.S)


class StoryError(ProjectError):
    """A story file that cannot be told: the file, the line and what is wrong."""


@dataclass
class Block:
    kind: str  # main-points, story, section
    name: str  # the section's id for a section block
    text: str
    line: int  # where its text starts in the file (1-based)


def path(year: int, lang: str) -> Path:
    return STORIES / f"{year}.{lang}.md"


def exists(year: int, lang: str) -> bool:
    return path(year, lang).is_file()


def read_blocks(file: Path) -> list[Block]:
    """The file's blocks, in order; anything outside a block but blank lines and comments is an error."""
    blocks: list[Block] = []
    current: tuple[str, str, int, list[str]] | None = None
    for number, line in enumerate(_without_comments(file), start=1):
        if current is None:
            start = BLOCK_START.match(line)
            if start:
                kind, name = start.group(1), start.group(2) or ""
                if kind not in BLOCKS:
                    raise StoryError(f"{relative(file)}, line {number}: unknown block '{kind}' (the blocks are "
                                     f"{', '.join(BLOCKS)})")
                if (kind == "section") != bool(name):
                    raise StoryError(f"{relative(file)}, line {number}: "
                                     + ("a section block names its section: '::: section services'" if kind == "section"
                                        else f"'::: {kind}' takes no name"))
                current = (kind, name, number + 1, [])
            elif line.strip():
                raise StoryError(f"{relative(file)}, line {number}: text outside a block; a story's text stands "
                                 f"inside '::: main-points', '::: story' or '::: section <id>' ... ':::'")
            continue
        if BLOCK_END.match(line):
            kind, name, first, lines = current
            blocks.append(Block(kind, name, "\n".join(lines), first))
            current = None
        else:
            current[3].append(line)
    if current is not None:
        raise StoryError(f"{relative(file)}, line {current[2] - 1}: the block '{current[0]}' is not closed with ':::'")
    seen: set[tuple[str, str]] = set()
    for block in blocks:
        if (block.kind, block.name) in seen:
            raise StoryError(f"{relative(file)}, line {block.line - 1}: a second '{block.kind} {block.name}'".rstrip() + " block")
        seen.add((block.kind, block.name))
    return blocks


def _without_comments(file: Path) -> list[str]:
    """The file's lines, comments blanked (their lines kept, so line numbers stay right)."""
    text = COMMENT.sub(lambda m: "\n" * m.group(0).count("\n"), file.read_text(encoding="utf-8"))
    return text.splitlines()


def typed_digits(file: Path) -> list[str]:
    """Digits typed in a story outside its references, years, dates and names: each as 'file, line N: …'."""
    found = []
    for number, line in enumerate(_without_comments(file), start=1):
        rest = NAMES.sub("", ROLE.sub("", line))
        rest = DATE_DIGITS.sub(lambda m: "" if _is_date(m.group(0)) else m.group(0), rest)
        for digits in re.finditer(r"\d+", rest):
            found.append(f'{relative(file)}, line {number}: the digits "{digits.group(0)}" are typed; a number in a '
                         f'story is a {{fig}} reference (only years and dates are typed)')
    return found


def _is_date(text: str) -> bool:
    if re.fullmatch(r"\d{1,2}\.\d{1,2}\.\d{4}", text) or re.fullmatch(r"(?:19|20)\d{2}(?:[–-](?:19|20)?\d{2})?", text):
        return True
    word = re.sub(r"^\d{1,2}\.?\s+", "", text)
    return bool(MONTHS.match(word))


# --- telling a story --------------------------------------------------------------------------------

class Teller:
    """Turns a story's blocks into HTML for one chapter: its year, its edition, its dataset slice."""

    def __init__(self, words: Words, data: BookData, year: int, notes: Notes, file: Path):
        self.words, self.data, self.year, self.notes, self.file = words, data, year, notes, file
        self.metrics = set(data.metrics.metric_id)

    def where(self, line: int) -> str:
        return f"{relative(self.file)}, line {line}"

    def comparison(self, metric: str, year: int, line: int, role: str) -> Comparison:
        if metric not in self.metrics:
            raise StoryError(f"{self.where(line)}: {role}: no metric '{metric}' in data/clean/metrics.csv")
        if year not in self.data.years:
            raise StoryError(f"{self.where(line)}: {role}: the chapter on {self.year} reads the years "
                             f"{', '.join(map(str, self.data.years))}, not {year}")
        found = [c for c in comparisons(self.words, self.data, year) if c.metric_id == metric]
        if not found:
            raise StoryError(f"{self.where(line)}: {role}: the dataset has no figure of '{metric}' for {year}")
        return found[0]

    def inputs(self, figure: Figure) -> list[Figure]:
        return inputs(self.data, figure)

    def fig(self, spec: str, line: int) -> str:
        role = f"{{fig}}`{spec}`"
        match = FIG.match(spec.strip())
        if not match:
            raise StoryError(f"{self.where(line)}: {role}: write metric, metric@year or metric:what "
                             f"(what: {', '.join(sorted(WHATS))})")
        metric, what, arg = match.group("metric"), match.group("what") or "value", match.group("arg")
        if what not in WHATS or (what == "share") != bool(arg):
            raise StoryError(f"{self.where(line)}: {role}: unknown '{what}'; write one of {', '.join(sorted(WHATS))}"
                             if what not in WHATS else f"{self.where(line)}: {role}: write share=<metric> for a share")
        year = int(match.group("year") or self.year)
        c = self.comparison(metric, year, line, role)
        if what in ("value", "reads", "note"):
            shown = {"value": spelled(self.words, c) or c.number(), "reads": c.reads(),
                     "note": self.words.say("note.reason_mark")}[what]
            return self.notes.add(html.escape(shown), mark=what == "note", body=note_text.figure_note(
                self.words, c, c.now, self.inputs(c.now), reasons(self.words, self.data, c),
                discrepancies(self.words, self.data, c.metric_id, c.year)))
        if what == "previous":
            if c.then is None:
                raise StoryError(f"{self.where(line)}: {role}: the dataset has no figure of '{metric}' for {year - 1}")
            return self.notes.add(html.escape(c.number(c.then)), note_text.figure_note(self.words, c, c.then, self.inputs(c.then)))
        if what == "share":
            total = self.comparison(arg, year, line, role)
            share = c.now.value / total.now.value * 100
            from sotebook.pages import text
            shown = text.percent(self.words, round(share))
            body = note_text.share_note(self.words, c, total, shown, self.inputs(c.now), self.inputs(total.now))
            return self.notes.add(html.escape(shown), body)
        # a change
        if c.then is None:
            raise StoryError(f"{self.where(line)}: {role}: the dataset has no figure of '{metric}' for {year - 1} to "
                             f"compare with")
        if not c.verdict.comparable:
            raise StoryError(f"{self.where(line)}: {role}: the {year - 1} and {year} figures of '{metric}' measure "
                             f"different things and cannot be compared ({c.verdict.reason}: "
                             f"{self.words.say(f'reason.{c.verdict.reason}')})")
        shown = c.shown
        if shown is None:
            raise StoryError(f"{self.where(line)}: {role}: no change can be given for '{metric}' ({year - 1}–{year})")
        if what in ("rise", "fall"):
            if shown.kind in ("same", "either") or shown.direction != ("up" if what == "rise" else "down"):
                raise StoryError(f"{self.where(line)}: {role}: the story says the figure {'rose' if what == 'rise' else 'fell'}, "
                                 f"but from {year - 1} to {year} it shows {shown.cell(self.words)}")
            text_ = shown.amount(self.words)
        else:
            text_ = shown.words(self.words)
        body = note_text.change_note(self.words, c, self.inputs(c.then), unexplained(self.data, c),
                                     reasons(self.words, self.data, c))
        return self.notes.add(html.escape(text_), body)

    def value(self, side: str, line: int, condition: str) -> float:
        side = side.strip()
        if re.fullmatch(r"-?\d+(?:\.\d+)?", side):
            return float(side)
        metric, _, year = side.partition("@")
        return self.comparison(metric, int(year) if year else self.year, line, f"{{check}}`{condition}`").now.value

    def check(self, condition: str, line: int) -> str:
        match = CHECK.match(condition)
        if not match:
            raise StoryError(f"{self.where(line)}: {{check}}`{condition}`: write 'metric OP metric' or 'metric OP "
                             f"number' with OP one of {' '.join(OPERATORS)}")
        left = self.value(match.group("left"), line, condition)
        right = self.value(match.group("right"), line, condition)
        if not OPERATORS[match.group("op")](left, right):
            raise StoryError(f"{self.where(line)}: the claim's condition {condition} no longer holds "
                             f"({match.group('left')} is {left:g}, {match.group('right')} is {right:g}): "
                             f"rewrite the sentence it guards")
        return ""

    def why(self, explanation_id: str, line: int) -> str:
        rows = self.data.facts.get("explanations")
        row = rows[rows.explanation_id == explanation_id] if rows is not None else None
        if row is None or row.empty:
            raise StoryError(f"{self.where(line)}: {{why}}`{explanation_id}`: no explanation_id '{explanation_id}' "
                             f"for {', '.join(map(str, self.data.years))} in data/clean/explanations.csv")
        r = row.iloc[0]
        from sotebook.pages import explanation_words

        statement = self.words.say(explanation_words.key(explanation_id))
        body = note_text.reason_note(self.words, r.source_id, r.section, statement)
        return self.notes.add(html.escape(self.words.say("note.reason_mark")), body, mark=True)

    def src(self, spec: str, line: int) -> str:
        role = f"{{src}}`{spec}`"
        parts = spec.strip().split("/")
        if parts[0] == "highlight" and len(parts) == 3:
            rows = self.data.facts["highlights"]
            rows = rows[(rows.year == str(self.year)) & (rows.kind == parts[1]) & (rows["rank"] == parts[2])]
        elif parts[0] == "event" and len(parts) in (2, 3):
            rows = self.data.facts["timeline"]
            rows = rows[rows.start == parts[1]]
            if len(parts) == 3 and parts[2].isdigit():
                rows = rows.iloc[int(parts[2]) - 1:int(parts[2])]
        else:
            raise StoryError(f"{self.where(line)}: {role}: write highlight/<kind>/<rank> or event/<start>[/<n>]")
        if rows.empty:
            raise StoryError(f"{self.where(line)}: {role}: no such {parts[0]} for {self.year} in data/clean/"
                             f"{'highlights' if parts[0] == 'highlight' else 'timeline'}.csv")
        r = rows.iloc[0]
        statement = r[self.words.column("highlight" if parts[0] == "highlight" else "event")]
        body = note_text.reason_note(self.words, r.source_id, r.section, statement)
        return self.notes.add(html.escape(self.words.say("note.reason_mark")), body, mark=True)

    def render(self, block: Block) -> str:
        """A block's Markdown as HTML, each reference replaced by its number and note."""
        pieces: list[str] = []

        def replace(match: re.Match) -> str:
            line = block.line + block.text.count("\n", 0, match.start())
            kind, spec = match.group(1), match.group(2)
            pieces.append({"fig": self.fig, "check": self.check, "why": self.why, "src": self.src}[kind](spec, line))
            return f"\ue010{len(pieces) - 1}\ue011"

        marked = ROLE.sub(replace, block.text)
        rendered = MarkdownIt("commonmark", {"html": False, "typographer": False}).render(marked)
        # A button is an inline block, before and after which a line may break: a reason's or a fact's raised
        # mark ('source') would stand alone at the start of a phone's line, and so would the comma or full stop
        # after a number. So the numbers and marks written one after another, the text they are written onto
        # (the word a mark follows) and the punctuation after them are one unbreakable piece.
        marks = {i for i, piece in enumerate(pieces) if "sotebook-fig--mark" in piece}

        def unbreakable(m: re.Match) -> str:
            lead, run, tail = m.groups()
            ids = [int(i) for i in PLACED.findall(run)]
            if not tail and not any(i in marks for i in ids):
                return m.group(0)
            return f'<span class="sotebook-nobreak">{lead}{run}{tail}</span>'

        rendered = re.sub("([^\\s<>\ue010\ue011]*)((?:\ue010\\d+\ue011)+)([,.;:!?)]*)", unbreakable, rendered)
        rendered = PLACED.sub(lambda m: pieces[int(m.group(1))], rendered)
        rendered = re.sub(r"\s*(?=</(?:p|li)>)", "", rendered).replace(" </p>", "</p>")
        return rendered.replace("<p>", '<p class="sotebook-prose">').replace("<ul>", '<ul class="sotebook-prose">').strip()


# A reference's place in a block's text while it is rendered (Story.render).
PLACED = re.compile("\ue010(\\d+)\ue011")


def inputs(data: BookData, figure: Figure) -> list[Figure]:
    """The figures a derived figure was worked out from: the same metric's next year, and the change a
    source states for it (the metric whose change_of it is)."""
    if not figure.derivation:
        return []
    best = data.best
    changes = set(data.metrics[data.metrics.change_of == figure.metric_id].metric_id)
    rows = best[(best.year == figure.year + 1) & (best.metric_id.isin(changes | {figure.metric_id}))]
    return [Figure.of(r) for r in rows.itertuples()]


def spelled(words: Words, c: Comparison) -> str:
    """A small count in running text, written out ('three') up to the edition's limit
    (numbers.count_in_text); '' for any other figure (tables keep digits)."""
    from sotebook.pages import numbers

    value = c.now.value
    if c.unit != "count" or c.now.qualifier or c.now.derivation or not float(value).is_integer() or not 1 <= value <= 10:
        return ""
    spelled = numbers.count_in_text(words, int(value))
    return "" if spelled.isdigit() else spelled


LARGE_CHANGE = 10.0  # percent: a change this large that no source explains says so in its note


def unexplained(data: BookData, c: Comparison) -> bool:
    """A large change in a comparable count for which the sources give no reason."""
    change = c.percent_change
    if change is None or abs(change) < LARGE_CHANGE:
        return False
    reasons = data.facts.get("explanations")
    return reasons is None or not ((reasons.metric_id == c.metric_id) & (reasons.year == str(c.year))).any()


def reasons(words: Words, data: BookData, c: Comparison) -> list[note_text.Reason]:
    """The reasons the sources give for a metric's figure of the year, in the book's words, with their sources."""
    from sotebook.pages import explanation_words

    rows = data.facts.get("explanations")
    if rows is None or rows.empty:
        return []
    rows = rows[(rows.metric_id == c.metric_id) & (rows.year == str(c.year))]
    return [(words.say(explanation_words.key(r.explanation_id)), r.source_id, r.section) for r in rows.itertuples()]


def blocks(year: int, lang: str) -> dict[tuple[str, str], Block]:
    return {(b.kind, b.name): b for b in read_blocks(path(year, lang))} if exists(year, lang) else {}


def check_story(words: Words, data: BookData, year: int, sections: list[str]) -> list[str]:
    """Every problem of a year's story file in this edition, each with file and line ([] for none or no file)."""
    if not exists(year, words.language()):
        return []
    file = path(year, words.language())
    problems = typed_digits(file)
    try:
        found = read_blocks(file)
    except StoryError as error:
        return problems + [str(error)]
    teller = Teller(words, data, year, Notes(words, "check"), file)
    for block in found:
        if block.kind == "section" and block.name not in sections:
            problems.append(f"{relative(file)}, line {block.line - 1}: no section '{block.name}' in "
                            f"notebooks/year.plan.yml (the sections are {', '.join(sections)})")
            continue
        try:
            teller.render(block)
        except StoryError as error:
            problems.append(str(error))
    if not any(b.kind == "main-points" for b in found):
        problems.append(f"{relative(file)}: no '::: main-points' block: a chapter opens with its main points")
    return problems


def check_all(languages: list[str], years: list[int]) -> None:
    """Every story file, before the book executes anything: each names a year the dataset holds and an
    edition of chapters.yml, and tells its year without a problem (`check_story`). Raises StoryError
    listing every problem, each with its file and line."""
    from sotebook.data.dataset import load
    from sotebook.pages import year_chapter
    from sotebook.pages.words import edition

    problems = []
    for file in sorted(STORIES.glob("*.md")) if STORIES.is_dir() else []:
        match = re.fullmatch(r"(\d{4})\.([a-z]{2})\.md", file.name)
        if not match:
            problems.append(f"{relative(file)}: a story file is named <year>.<lang>.md, e.g. 2025.fi.md")
        elif int(match.group(1)) not in years:
            problems.append(f"{relative(file)}: the dataset holds no figures for {match.group(1)} "
                            f"(it holds {', '.join(map(str, years))})")
        elif match.group(2) not in languages:
            problems.append(f"{relative(file)}: '{match.group(2)}' is not an edition of chapters.yml "
                            f"({', '.join(languages)})")
    sections = year_chapter.sections()
    for year in years:
        if any(exists(year, lang) for lang in languages):
            data = load(year)
            for lang in languages:
                problems += check_story(edition(lang), data, year, sections)
    if problems:
        raise StoryError("the story files cannot be told:\n  " + "\n  ".join(problems))
