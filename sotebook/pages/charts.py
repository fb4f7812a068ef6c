"""Charts for the book: a few Altair chart builders and `show`, which turns a chart into a figure.

`show` draws the chart at build time, as static SVG (vl-convert, offline), at the widths of the book's
column on a phone, a tablet and a desktop, and returns a figure whose HTML holds those drawings as
`data:` URIs in a `<picture>`: the notebook stays self-contained, and the reader's browser runs no
chart JavaScript at all. The site's build moves each drawing into a file of its own
(`sotebook.site.chart_files`). Output is deterministic (ids from `chart_id`, nothing random, no timestamps),
so strict nbval compares the stored SVG byte for byte.

    from sotebook.pages import charts
    chart = charts.bar(words, visits, x="visits", y="service", x_title="Visits in 2024")
    charts.show(words, chart, chart_id="visits-2024", title="Visits by service, 2024",
                alt="Bar chart: health stations had the most visits in 2024, 1.4 million.",
                source="Annual review 2024", data=visits)
"""
from __future__ import annotations

import base64
import contextlib
import html
import json
import math
import numbers
import os
import re
import sys
import tempfile
import textwrap
import urllib.parse
from dataclasses import dataclass

import altair
import pandas as pd

from sotebook.pages import numbers as number_grammar
from sotebook.pages import text
from sotebook.pages import theme
from sotebook.pages.words import Words

altair.theme.enable(theme.THEME_NAME)

NUMBER_FORMAT = ",.0f"
CHART_ID_PATTERN = re.compile(r"[a-z0-9][a-z0-9_-]*")
# d3's number format for each edition, as vl-convert ships it (offline): grouping and decimal mark as in
# the prose (1 679 689 and 22,1 in Finnish and Swedish, with a no-break space; there is no sv-FI, and
# sv-SE formats numbers alike). d3 writes negatives with U+2212, as sotebook.pages.text does.
D3_LOCALES = {"en": "en-GB", "fi": "fi-FI", "sv": "sv-SE"}
# The widths (CSS px) each chart is drawn at, widest first, and the viewports each is for: the width of a
# chart in the theme's article column (the figure less its padding), measured in Chromium on the built
# book. A phone 390 px wide gives 342; a tablet (576 to 959 px, no sidebar) 528 to 879, so 528, its
# narrowest; a desktop (960 px and wider, with the sidebar) 608 to 879, 672 at 1280 px. A column narrower
# than its drawing (a 320 px phone, a 1200 px window) scales it down a little; a wider one leaves a margin.
CHART_WIDTHS = (("(min-width: 960px)", 672), ("(min-width: 576px)", 528), (None, 342))
# vega-lite's one compile note that does not mean a broken chart: a bar chart with a height per bar
# keeps that height instead of fitting one. Any other warning fails the chart (ChartError).
HARMLESS_WARNINGS = ('Dropping "fit-y" because spec has discrete height',)
# A drawn data mark: a vega mark group of the data (role-mark) that holds at least one element.
_DRAWN_MARK = re.compile(r'<g class="mark-[a-z]+ role-mark[^"]*"[^>]*>(?!</g>)')
_SVG_SIZE = re.compile(r'<svg[^>]* width="(\d+(?:\.\d+)?)" height="(\d+(?:\.\d+)?)"')


class ChartError(Exception):
    """A chart that cannot be drawn as it should; the message names it and says why."""


DIRECTIONS = ("up", "down", "same")  # the keys of chart.direction.* in the words files
DIRECTION_COLOURS = (theme.BUS, theme.BRICK, theme.BLACK_90)
BAR_STEP = 34  # px per bar row: one line of label plus room
LINE_HEIGHT = 16  # px per extra line of a wrapped category label


def field(name) -> str:
    """A column name as vega-lite reads a field: '.', '[' and ']' escaped, so a column named
    'Milj. euroa' is one field, not a nested one."""
    return re.sub(r"([.\[\]\\])", r"\\\1", str(name))


def readable_title(words: Words, column: str) -> str:
    """`health_station_visits` -> `Health station visits`."""
    words = str(column).replace("_", " ").strip()
    return words[:1].upper() + words[1:]


def _wrapped_label_expr(width: int) -> str:
    """A vega expression that wraps an axis label into lines of at most `width` characters.

    Vega draws an array label as several lines; the data keeps its full labels.
    """
    return (
        "split(trim(replace(datum.label, "
        f"regexp('(.{{1,{width}}})(\\\\s+|$)', 'g'), '$1\\n')), '\\n')"
    )


def _label_lines(labels, width: int) -> int:
    """How many lines the longest wrapped label needs (sizes the bar rows)."""
    return max((len(textwrap.wrap(str(label), width)) or 1 for label in labels), default=1)


def _trimmed(number_format: str) -> str:
    """An axis keeps the tooltip's format without trailing zeros: '+.1f' -> '+.1~f' ('+10', '+12.5')."""
    return re.sub(r"(\.\d+)([a-z])$", r"\1~\2", number_format) if "~" not in number_format else number_format


def _million_label_expr(words: Words, largest: float) -> str:
    """A vega expression that labels an axis in millions in the form each number takes: 1000000 -> '1 miljoona',
    1500000 -> '1,5 miljoonaa' (the words' `number.million_one`/`_other`). The axis prints millions to one
    decimal, so Babel's plural rules decide each such number up to the axis's end (a little past the data's
    largest value, where vega may put its last tick); the expression looks the label's number up in them."""
    forms = number_grammar.plural_forms(words, "number.million")
    tenths = range(1, int(math.ceil(largest / 1e5 * 1.5)) + 11)
    special: dict[str, list[float]] = {}
    for k in tenths:
        category = number_grammar.plural_category(words, k / 10)
        if category != "other":
            special.setdefault(category, []).append(k / 10 if k % 10 else k // 10)
    shown = "format(datum.value / 1e6, ',.1~f')"
    millions = "round(datum.value / 1e5) / 10"

    def label(category: str) -> str:
        before, _, after = forms[category].partition("{value}")
        return f"{json.dumps(before)} + {shown} + {json.dumps(after)}"
    expression = label("other")
    for category, values in sorted(special.items()):
        expression = f"indexof({json.dumps(values)}, {millions}) >= 0 ? {label(category)} : ({expression})"
    return f"datum.value == 0 ? '0' : {expression}"


def _number_axis(words: Words, values, number_format: str, **options) -> altair.Axis:
    """A quantitative axis readers can read: large counts in millions ('1.5 million', not '1,500,000')."""
    largest = pd.to_numeric(pd.Series(values), errors="coerce").abs().max()
    if pd.notna(largest) and largest >= 1_000_000:
        return altair.Axis(labelExpr=_million_label_expr(words, float(largest)), **options)
    if number_format.startswith("+"):  # a signed axis still labels zero '0', not '+0'
        return altair.Axis(labelExpr=f"datum.value == 0 ? '0' : format(datum.value, {json.dumps(_trimmed(number_format))})",
                           **options)
    return altair.Axis(format=_trimmed(number_format), **options)


def _value_axis(words: Words, x: str, title: str, number_format: str, values=()) -> altair.X:
    """The quantitative axis of a horizontal bar chart."""
    return altair.X(field(x), type="quantitative", title=title, axis=_number_axis(words, values, number_format, tickCount=4))


def _category_axis(y: str, sort, label_width: int) -> altair.Y:
    """The category axis of a horizontal bar chart: no title, labels wrapped to `label_width`."""
    return altair.Y(field(y), type="nominal", sort=sort,
                    axis=altair.Axis(title=None, labelExpr=_wrapped_label_expr(label_width), labelLimit=0))


def bar(words: Words, 
    df: pd.DataFrame,
    x: str,
    y: str,
    *,
    x_title: str | None = None,
    y_title: str | None = None,
    number_format: str = NUMBER_FORMAT,
    sort: str | list | None = "-x",
    label_width: int = 22,
) -> altair.Chart:
    """Horizontal bars: one bar per category in `y` (nominal), length from `x` (quantitative).

    Long category labels wrap onto several lines so they stay readable on a phone. The category
    axis has no title (the labels say it); `y_title` names the category in the tooltip.
    `sort="-x"` puts the largest bar on top; pass None to keep the data order.
    """
    x_title = x_title or readable_title(words, x)
    y_title = y_title or readable_title(words, y)
    lines = _label_lines(df[y], label_width)
    return (
        altair.Chart(df)
        .mark_bar()
        .encode(
            x=_value_axis(words, x, x_title, number_format, df[x]),
            y=_category_axis(y, sort, label_width),
            tooltip=[
                altair.Tooltip(field(y), type="nominal", title=y_title),
                altair.Tooltip(field(x), type="quantitative", title=x_title, format=number_format),
            ],
        )
        .properties(height=altair.Step(BAR_STEP + LINE_HEIGHT * (lines - 1)))
    )


def grouped_bar(words: Words, 
    df: pd.DataFrame,
    x: str,
    y: str,
    color: str,
    *,
    x_title: str | None = None,
    y_title: str | None = None,
    color_title: str | None = None,
    number_format: str = NUMBER_FORMAT,
    label_width: int = 22,
) -> altair.Chart:
    """Horizontal grouped bars: per category in `y`, one bar per group in `color` (e.g. year)."""
    x_title = x_title or readable_title(words, x)
    y_title = y_title or readable_title(words, y)
    color_title = color_title or readable_title(words, color)
    lines = _label_lines(df[y], label_width)
    groups = df[color].nunique()
    # One category row: room for its wrapped label and for `groups` bars of about 18 px.
    row = max(BAR_STEP + LINE_HEIGHT * (lines - 1), 18 * groups + 12)
    return (
        altair.Chart(df)
        .mark_bar()
        .encode(
            x=_value_axis(words, x, x_title, number_format, df[x]),
            y=_category_axis(y, None, label_width),
            yOffset=altair.YOffset(color, type="nominal", sort=None),
            color=altair.Color(field(color), type="nominal", title=color_title, sort=None),
            tooltip=[
                altair.Tooltip(field(y), type="nominal", title=y_title),
                altair.Tooltip(field(color), type="nominal", title=color_title),
                altair.Tooltip(field(x), type="quantitative", title=x_title, format=number_format),
            ],
        )
        # The step is per category row ("position"); vega-lite's default with yOffset is per bar.
        .properties(height=altair.Step(row, **{"for": "position"}))
    )


def direction(words: Words, change: float) -> str:
    """'Up' or 'Down' (or 'No change') in the book's language, for a chart coloured by direction."""
    key = "up" if change > 0 else ("down" if change < 0 else "same")
    return words.say(f"chart.direction.{key}")


def change_bar(words: Words, 
    df: pd.DataFrame,
    x: str,
    y: str,
    *,
    direction: str = "Direction",
    number_format: str = "+.1f",
    x_title: str | None = None,
    label_width: int = 22,
) -> altair.Chart:
    """Horizontal bars of changes, largest rise on top, coloured by the direction of the change.

    `df[direction]` holds the direction in the book's language (`words.say("chart.direction.up")`,
    `...down`, `...same`); rises are bus blue, falls brick red, a pair that stays apart under every
    kind of colour-vision deficiency. A legend names the colours; a rule marks zero.
    """
    x_title = x_title or readable_title(words, x)
    domain = [words.say(f"chart.direction.{key}") for key in DIRECTIONS]
    unknown = sorted(set(df[direction]) - set(domain))
    if unknown:
        raise ValueError(f"change_bar(words): column {direction!r} holds {unknown}; expected values of {domain}")
    present = [value for value in domain if value in set(df[direction])]
    colours = [colour for value, colour in zip(domain, DIRECTION_COLOURS) if value in present]
    lines = _label_lines(df[y], label_width)
    bars = altair.Chart(df).mark_bar().encode(
        x=_value_axis(words, x, x_title, number_format, df[x]),
        y=_category_axis(y, "-x", label_width),
        # 'Up', 'Down' name themselves: the legend needs no title ('Direction' says nothing)
        color=altair.Color(field(direction), type="nominal", title=None,
                           scale=altair.Scale(domain=present, range=colours)),
        tooltip=[
            altair.Tooltip(field(y), type="nominal", title=readable_title(words, y)),
            altair.Tooltip(field(x), type="quantitative", title=x_title, format=number_format),
        ],
    )
    # The zero rule is decoration (aria=False): the bars and the caption say what it marks.
    zero = (altair.Chart(df).transform_aggregate(rows="count()")
            .mark_rule(color=theme.BLACK_90, aria=False).encode(x=altair.datum(0)))
    return altair.layer(bars, zero).properties(height=altair.Step(BAR_STEP + LINE_HEIGHT * (lines - 1)))


def line(words: Words, 
    df: pd.DataFrame,
    x: str,
    y: str,
    color: str | None = None,
    *,
    x_title: str | None = None,
    y_title: str | None = None,
    color_title: str | None = None,
    number_format: str = NUMBER_FORMAT,
    zero: bool = True,
) -> altair.Chart:
    """Series over years: `x` is the year (drawn as ordinal), `y` the value, `color` the series.

    Every point is marked (we have only two or three years); several series differ by colour
    and by marker shape, in the plot and in the one legend, so they stay apart without colour vision.
    """
    x_title = x_title or readable_title(words, x)
    y_title = y_title or readable_title(words, y)
    base = altair.Chart(df).encode(
        x=altair.X(field(x), type="ordinal", title=x_title, axis=altair.Axis(labelAngle=0)),
        y=altair.Y(field(y), type="quantitative", title=y_title, scale=altair.Scale(zero=zero),
                   axis=_number_axis(words, df[y], number_format, tickCount=5)),
    )
    tooltip = [
        altair.Tooltip(field(x), type="ordinal", title=x_title),
        altair.Tooltip(field(y), type="quantitative", title=y_title, format=number_format),
    ]
    if color is None:
        return base.mark_line(point=True).encode(tooltip=tooltip)
    color_title = color_title or readable_title(words, color)
    tooltip.insert(0, altair.Tooltip(field(color), type="nominal", title=color_title))
    # The lines take their colour through `stroke` (no legend) and the points through `color`
    # and `shape`: vega-lite then draws one legend showing colour and shape together. (With
    # `color` on both layers it draws two legends, one per channel.) Both scales use the same
    # palette and order, so line and points match.
    lines = base.mark_line().encode(stroke=altair.Stroke(field(color), type="nominal", sort=None, legend=None))
    # The legend's entries name the series themselves: no title over them ('Series' says nothing).
    points = base.mark_point(filled=True, opacity=1).encode(
        color=altair.Color(field(color), type="nominal", title=None, sort=None),
        shape=altair.Shape(field(color), type="nominal", title=None, sort=None),
        tooltip=tooltip,
    )
    return altair.layer(lines, points)


# ---------------------------------------------------------------------------------------------
# The figure: chart + caption + source + CSV + data table, as deterministic HTML.


@dataclass(frozen=True)
class Figure:
    """A chart ready for the page. Jupyter and myst-nb display it through `_repr_html_`."""

    chart_id: str
    title: str
    html: str

    def _repr_html_(self) -> str:
        return self.html

    def __repr__(self) -> str:  # the default repr holds a memory address: nbval would see it change
        return f"Figure(chart_id={self.chart_id!r}, title={self.title!r})"


# The vega-lite version altair writes specs for ("6.4"): vl-convert compiles with that one, not its newest.
VEGALITE_VERSION = ".".join(altair.SCHEMA_VERSION.lstrip("v").split(".")[:2])


@contextlib.contextmanager
def _stderr_captured():
    """Collect what is written to file descriptor 2 meanwhile: vl-convert prints its warnings there, from
    Rust, past Python's sys.stderr. The list it yields holds the text once the block has ended."""
    captured: list[str] = []
    sys.stderr.flush()
    saved = os.dup(2)
    with tempfile.TemporaryFile() as sink:
        os.dup2(sink.fileno(), 2)
        try:
            yield captured
        finally:
            sys.stderr.flush()
            os.dup2(saved, 2)
            os.close(saved)
            sink.seek(0)
            captured.append(sink.read().decode("utf-8", "replace"))


def _warnings(printed: list[str]) -> list[str]:
    return [line.strip() for line in "".join(printed).splitlines()
            if line.strip() and not any(harmless in line for harmless in HARMLESS_WARNINGS)]


def vega_spec(chart: altair.TopLevelMixin, chart_id: str, alt: str) -> dict:
    """The chart as a vega spec, with the book's theme, its text alternative as description, and the
    widest width. A vega-lite warning (an encoding it had to drop or change) is a ChartError."""
    import vl_convert

    # The theme is applied inside `to_dict`; enabling it here keeps output the same whatever theme a
    # notebook enabled since.
    with altair.theme.enable(theme.THEME_NAME):
        spec = chart.properties(description=alt, width=CHART_WIDTHS[0][1]).to_dict()
    with _stderr_captured() as printed:
        vega = vl_convert.vegalite_to_vega(spec, vl_version=VEGALITE_VERSION, show_warnings=True)
    problems = _warnings(printed)
    if problems:
        raise ChartError(f"chart {chart_id!r}: vega-lite warns: {'; '.join(problems)}")
    return vega


def draw_svg(words: Words, vega: dict, width: int, chart_id: str) -> str:
    """The chart drawn as SVG `width` px wide, numbers in the edition's format. A chart that warns, or
    draws no data mark (a field the data lacks), is a ChartError."""
    import vl_convert

    locale = D3_LOCALES.get(words.language())
    with _stderr_captured() as printed:
        svg = vl_convert.vega_to_svg({**vega, "width": width}, format_locale=locale)
    problems = _warnings(printed)
    if problems:
        raise ChartError(f"chart {chart_id!r} at {width} px: vega warns: {'; '.join(problems)}")
    if not _DRAWN_MARK.search(svg):
        raise ChartError(f"chart {chart_id!r} at {width} px draws no data mark "
                         "(does the data have the fields the encoding names?)")
    if "NaN" in svg:
        raise ChartError(f"chart {chart_id!r} at {width} px places a mark at NaN (a value that is not a number?)")
    return svg


def svg_size(svg: str) -> tuple[int, int]:
    """An SVG's width and height in whole px, for the image's width and height attributes."""
    match = _SVG_SIZE.match(svg)
    if not match:
        raise ChartError("vl-convert wrote an SVG without a width and height")
    return tuple(int(float(value) + 0.999) for value in match.groups())


def svg_data_uri(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def picture_html(words: Words, chart: altair.TopLevelMixin, chart_id: str, alt: str) -> str:
    """The chart drawn at every width of CHART_WIDTHS, as a <picture> that lets the browser take the one
    for its viewport: width and height given, so the page does not shift when it arrives; not lazy, so
    every chart is drawn soon after the page opens. The text alternative is the image's alt."""
    vega = vega_spec(chart, chart_id, alt)
    lines = []
    for media, width in CHART_WIDTHS:
        svg = draw_svg(words, vega, width, chart_id)
        w, h = svg_size(svg)
        if media:
            lines.append(f'<source media="{media}" srcset="{svg_data_uri(svg)}" width="{w}" height="{h}">')
        else:
            lines.append(f'<img class="sotebook-figure__image" src="{svg_data_uri(svg)}" alt="{html.escape(alt)}" '
                         f'width="{w}" height="{h}" decoding="async">')
    return "<picture>\n" + "\n".join(lines) + "\n</picture>"


def csv_data_uri(data: pd.DataFrame) -> str:
    """The data as a self-contained `data:` URI. A BOM lets spreadsheet programs read it as UTF-8;
    text cells that a spreadsheet would run as formulas are neutralised (sotebook.data.publish)."""
    from sotebook.data.publish import neutralise_frame

    text = "\ufeff" + neutralise_frame(data).to_csv(index=False, lineterminator="\n")
    return "data:text/csv;charset=utf-8," + urllib.parse.quote(text, safe="")


def _format_number(words: Words, value, year_column: bool = False) -> str:
    """Table numbers as the book's other tables write them (7,995 beside 12,116; 7 995 in Finnish); a column
    of years (2024) stays as years are written."""
    if pd.isna(value):
        return "–"
    if year_column:
        return str(int(value))
    if isinstance(value, numbers.Integral) or float(value).is_integer():
        return text.number(words, int(value))
    return text.number(words, value, _decimals(value))


def _decimals(value: float) -> int:
    """As many decimals as the value has, at most two (a change of 22.1, a share of 0.45)."""
    return next(d for d in (1, 2) if round(value, d) == round(value, 6)) if round(value, 2) == round(value, 6) else 2


def _is_year_column(values: pd.Series) -> bool:
    numbers_ = pd.to_numeric(values, errors="coerce").dropna()
    return not numbers_.empty and bool(((numbers_ % 1 == 0) & numbers_.between(1900, 2100)).all())


def data_table_html(words: Words, data: pd.DataFrame, caption: str) -> str:
    """The data as an HTML table with a caption and readable column headers; every cell escaped."""
    formatters = {
        readable_title(words, column): (lambda value, y=_is_year_column(data[column]): _format_number(words, value, y))
        for column in data.columns
        if pd.api.types.is_numeric_dtype(data[column]) and not pd.api.types.is_bool_dtype(data[column])
    }
    data = data.rename(columns=lambda column: readable_title(words, column))
    table = data.to_html(index=False, border=0, escape=True, na_rep="–", formatters=formatters,
                         classes="sotebook-figure__table", justify="left")
    opening, rest = table.split(">", 1)
    return _label_cells(f"{opening}>\n  <caption>{html.escape(caption)}</caption>{rest}", list(data.columns))


def _label_cells(table: str, headers: list[str]) -> str:
    """Give each body cell its column's name (data-label), which a phone shows beside the value."""
    cells = iter(())

    def label(match: re.Match) -> str:
        nonlocal cells
        if match.group(0) == "<tr>":
            cells = iter(headers)
            return "<tr>"
        return f'<td data-label="{html.escape(str(next(cells, "")))}">'

    head, _, body = table.partition("<tbody>")
    return head + "<tbody>" + re.sub(r"<tr>|<td>", label, body) if body else table


def _check_text(name: str, value: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"show(words): `{name}` must be a non-empty string, got {value!r}")
    return value.strip()


def show(words: Words, 
    chart: altair.TopLevelMixin,
    *,
    chart_id: str,
    title: str,
    alt: str,
    source: str,
    data: pd.DataFrame | None = None,
    table: pd.DataFrame | None = None,
) -> Figure:
    """Make the figure for `chart`: the chart drawn as SVG, a caption with title, text alternative and
    source, a CSV download and the data as a table.

    chart_id: unique on the page, lowercase letters, digits, `-` and `_`; the HTML ids derive from it.
    alt: one sentence saying what the chart shows (its text alternative).
    data: the table readers can download and read; defaults to the chart's own data.
    table: the data as the page's table shows it, where a column needs the precision the text gives it (a
        change of −2.0%, not −2); defaults to `data`. The download keeps `data`'s plain numbers.
    """
    if not isinstance(chart_id, str) or not CHART_ID_PATTERN.fullmatch(chart_id):
        raise ValueError(
            f"show(words): chart_id {chart_id!r} must be lowercase letters, digits, '-' or '_' "
            "(it becomes an HTML id and the CSV file name)"
        )
    title = _check_text("title", title)
    alt = _check_text("alt", alt)
    source = _check_text("source", source)
    if data is None:
        data = chart.data if isinstance(chart.data, pd.DataFrame) else None
    if not isinstance(data, pd.DataFrame):
        raise TypeError(f"show(words): chart {chart_id!r} has no DataFrame of its own; pass data=<the DataFrame>")

    chart_box_id = f"sotebook-chart-{chart_id}"
    table_title = words.say("chart.data_table", title=title)
    esc = html.escape
    figure = f"""<figure class="sotebook-figure" id="figure-{chart_id}">
<div class="sotebook-figure__chart" id="{chart_box_id}">
{picture_html(words, chart, chart_id, alt)}
</div>
<figcaption class="sotebook-figure__caption" style="text-align: left;">
<p class="sotebook-figure__title"><strong>{esc(title)}</strong></p>
<p class="sotebook-figure__alt">{esc(alt)}</p>
<p class="sotebook-figure__source">{esc(words.say("chart.source", source=source))}</p>
<p class="sotebook-figure__download"><a href="{esc(csv_data_uri(data))}" download="{chart_id}.csv">{esc(words.say(f"chart.download_{number_grammar.plural_category(words, len(data))}", rows=len(data)))}</a></p>
<details class="sotebook-figure__data">
<summary>{esc(table_title)}</summary>
<div class="sotebook-figure__table-scroll" role="region" aria-label="{esc(table_title)}" tabindex="0" style="overflow-x: auto;">
{data_table_html(words, data if table is None else table, title)}
</div>
</details>
</figcaption>
</figure>"""
    return Figure(chart_id=chart_id, title=title, html=figure)


def against_target(words: Words,
    df: pd.DataFrame,
    x: str,
    y: str,
    kind: str,
    *,
    label: str,
    target: str | None = None,
    target_kind: str | None = None,
    x_title: str | None = None,
    number_format: str = NUMBER_FORMAT,
    domain_max: float | None = None,
    kinds: list[str] | None = None,
    short_label: str | None = None,
    label_width: int = 22,
) -> altair.Chart:
    """A measure by row (a year, a period) as horizontal bars in data order, each bar's value written at its
    end (`label`: the value as the text gives it), and a target drawn as a target: a black line across the
    row of the figure it is set for (`target`, empty where a row has none), never a bar of the same kind.

    `kind` names each bar in the legend (the measure; or, in a colour of its own, a figure worked out from
    another source's stated change rather than printed); `target_kind` names the line. One legend holds
    both, in the order of `kinds` (default: as the rows first name them), the first in bus blue. Where a
    row's target stands beyond its bar, the value is written inside the bar, as `short_label` gives it (the
    number in the axis's unit, '68'), so that it fits. A row without a figure is left out by the caller: a
    missing year is absent, not zero.
    """
    x_title = x_title or readable_title(words, x)
    frame = df.copy()
    kinds = [k for k in (kinds or dict.fromkeys(frame[kind])) if k in set(frame[kind])]
    colours = [BAR_KINDS[min(i, len(BAR_KINDS) - 1)] for i in range(len(kinds))]
    has_target = target is not None and frame[target].notna().any()
    if has_target:
        kinds.append(target_kind or readable_title(words, target))
        colours.append(theme.BLACK_90)
    # Each value is written just past the end of its bar or of its row's target line, whichever is further out.
    reach = frame[[x, target]].max(axis=1) if has_target else frame[x]
    frame["_label_at"] = reach
    largest = float(reach.max())
    # A value is written past the end of its bar, or inside the bar in white where the row's target line
    # stands beyond the bar (the value written past the line would read as the target's).
    inside = frame[target] > frame[x] if has_target else pd.Series(False, index=frame.index)
    # Room past the longest bar for its value, written out, in the narrowest drawing (a phone's): the plot
    # there is about PHONE_PLOT px wide and a character of the labels about LABEL_CHAR px.
    room = min(LABEL_CHAR * max((len(str(v)) for v in frame[label][~inside]), default=0) + 12, PHONE_PLOT * 0.6)
    domain = [0, domain_max if domain_max is not None else largest * max(1.15, PHONE_PLOT / (PHONE_PLOT - room))]
    lines = _label_lines(frame[y], label_width)
    scale = altair.Scale(domain=kinds, range=colours)
    axis = altair.X(field(x), type="quantitative", title=x_title, scale=altair.Scale(domain=domain, nice=False),
                    axis=_number_axis(words, domain, number_format, tickCount=4))
    row = _category_axis(y, None, label_width)
    base = altair.Chart(frame)
    # The legend draws a bar's kind as a square and the target as the upright line it is on the chart.
    target_name = json.dumps(kinds[-1]) if has_target else "null"
    legend = altair.Legend(
        symbolType=altair.ExprRef(expr=f"datum.value === {target_name} ? 'M0,-1L0,1' : 'square'"),
        symbolStrokeColor=altair.ExprRef(expr=f"datum.value === {target_name} ? '{theme.BLACK_90}' : null"),
        symbolStrokeWidth=3)
    bars = base.mark_bar(size=BAR_STEP - 14).encode(
        x=axis, y=row,
        color=altair.Color(field(kind), type="nominal", title=None, scale=scale, sort=None, legend=legend),
        tooltip=[altair.Tooltip(field(y), type="nominal", title=readable_title(words, y)),
                 altair.Tooltip(field(label), type="nominal", title=x_title)],
    )
    layers = [bars]
    if (~inside).any():
        layers.append(altair.Chart(frame[~inside]).mark_text(align="left", baseline="middle", dx=6).encode(
            x=altair.X("_label_at", type="quantitative", scale=altair.Scale(domain=domain, nice=False)), y=row,
            text=altair.Text(field(label), type="nominal")))
    if inside.any():
        short_label = short_label or label
        layers.append(altair.Chart(frame[inside]).mark_text(align="right", baseline="middle", dx=-6, color=theme.WHITE).encode(
            x=altair.X(field(x), type="quantitative", scale=altair.Scale(domain=domain, nice=False)), y=row,
            text=altair.Text(field(short_label), type="nominal")))
    if has_target:
        marked = frame[frame[target].notna()].assign(_target_kind=kinds[-1])
        # The line stands out past the bar, on a white edge, so it shows across a bar of any colour.
        edge = altair.Chart(marked).mark_tick(thickness=7, size=BAR_STEP - 2, opacity=1, color=theme.WHITE, aria=False).encode(
            x=altair.X(field(target), type="quantitative", scale=altair.Scale(domain=domain, nice=False)), y=row)
        layers.append(edge)
        ticks = altair.Chart(marked).mark_tick(thickness=3, size=BAR_STEP - 2, opacity=1).encode(
            x=altair.X(field(target), type="quantitative", scale=altair.Scale(domain=domain, nice=False)), y=row,
            color=altair.Color("_target_kind", type="nominal", title=None, scale=scale, sort=None, legend=legend),
            tooltip=[altair.Tooltip(field(y), type="nominal", title=readable_title(words, y)),
                     altair.Tooltip(field(target), type="quantitative", title=kinds[-1], format=number_format)])
        layers.append(ticks)
    return altair.layer(*layers).properties(height=altair.Step(BAR_STEP + LINE_HEIGHT * (lines - 1)))


PHONE_PLOT = CHART_WIDTHS[-1][1] - 70  # px: the narrowest drawing less its category labels
LABEL_CHAR = 7  # px: a character of a value label at LABEL_SIZE, about

# The colours of against_target's bars, in the order their kinds first appear: the measure as printed in
# bus blue, a figure worked out rather than printed in the lighter coat-of-arms blue.
BAR_KINDS = (theme.BUS, theme.COAT_OF_ARMS)
