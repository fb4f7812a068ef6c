"""The chart layer as a reader and as nbval see it: same input, same HTML and the same SVG bytes; the chart
drawn at each width, in the edition's number format; markup in data shows as text; a chart that warns
fails; the CSV download holds the data; the theme's colours are readable on white."""
from __future__ import annotations

import base64
import io
import re
import xml.etree.ElementTree as ET
import subprocess
import sys
import urllib.parse
from pathlib import Path

import altair as alt
import pandas as pd
import pytest
import vl_convert
from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # the package is used from the repository, not installed
    sys.path.insert(0, str(ROOT))

from sotebook.pages import charts, theme  # noqa: E402
from sotebook.pages.words import edition

EN = edition("en")  # the English edition's words, which most tests read

MARKUP = "<script>alert(1)</script> & co"


def visits() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "service": ["Health stations", MARKUP, 'Oral health, "dental" care', "Hälsostationer för äldre"],
            "visits": [1_200_000, 90_000, 650_000, 12_345],
        }
    )


def figure(data=None, **overrides):
    data = visits() if data is None else data
    arguments = dict(
        chart_id="visits-by-service",
        title=f"Visits by service {MARKUP}",
        alt=f"Bar chart: health stations had the most visits; {MARKUP} the fewest.",
        source=f"Annual review 2024 {MARKUP}",
        data=data,
    )
    arguments.update(overrides)
    return charts.show(EN, charts.bar(EN, data, x="visits", y="service"), **arguments)


SVG_NS = "{http://www.w3.org/2000/svg}"


def drawings(html: str) -> list[dict]:
    """The figure's drawings, widest first: media query, width and height attributes, and the SVG's text."""
    soup = BeautifulSoup(html, "html.parser")
    found = []
    for element in soup.select("picture source, picture img"):
        uri = element.get("srcset") or element.get("src")
        prefix = "data:image/svg+xml;base64,"
        assert uri.startswith(prefix), uri[:40]
        found.append({"media": element.get("media"), "width": int(element["width"]), "height": int(element["height"]),
                      "svg": base64.b64decode(uri[len(prefix):]).decode("utf-8")})
    return found


def svg_texts(svg: str) -> list[str]:
    """Every text the SVG draws, as a reader sees it (entities decoded; a wrapped label also line by line)."""
    root = ET.fromstring(svg)
    return ["".join(text.itertext()) for text in root.iter(f"{SVG_NS}text")] + \
        [tspan.text or "" for tspan in root.iter(f"{SVG_NS}tspan")]


def themed_config(chart=None) -> dict:
    with alt.theme.enable(theme.THEME_NAME):
        return (chart or charts.bar(EN, visits(), x="visits", y="service")).to_dict()["config"]


# --- deterministic output -------------------------------------------------------------------


def test_same_input_gives_byte_identical_html():
    first, second = figure(), figure()
    assert first._repr_html_() == second._repr_html_()
    assert repr(first) == repr(second)  # text/plain is stored and compared by nbval too


def test_same_input_gives_same_html_in_a_fresh_interpreter():
    code = (
        "import sys; sys.path.insert(0, sys.argv[1]); sys.path.insert(0, sys.argv[2]);"
        "import test_charts; sys.stdout.write(test_charts.figure()._repr_html_())"
    )
    other = subprocess.run(
        [sys.executable, "-c", code, str(ROOT), str(Path(__file__).parent)],
        capture_output=True, text=True, check=True,
    ).stdout
    assert other == figure()._repr_html_()


def test_ids_come_from_chart_id_not_chance():
    html = figure()._repr_html_()
    assert "altair-viz" not in html
    ids = re.findall(r'\bid="([^"]+)"', html)
    assert ids and all("visits-by-service" in i for i in ids), ids


def test_changed_data_changes_the_html():
    changed = visits()
    changed.loc[0, "visits"] = 1_200_001
    assert figure(changed)._repr_html_() != figure()._repr_html_()


def test_theme_enabled_elsewhere_does_not_change_output():
    expected = figure()._repr_html_()
    with alt.theme.enable("dark"):
        assert figure()._repr_html_() == expected


# --- escaping ------------------------------------------------------------------------------


def test_markup_in_labels_title_alt_and_source_is_text():
    html = figure()._repr_html_()
    soup = BeautifulSoup(html, "html.parser")
    assert not soup.find_all("script") and "<script" not in html  # no chart script, and nothing from the data
    cells = [td.get_text() for td in soup.select("details table td")]
    assert MARKUP in cells
    assert soup.select_one("table caption").get_text() == f"Visits by service {MARKUP}"
    caption = soup.figcaption.get_text()
    assert f"Visits by service {MARKUP}" in caption
    assert f"Source: Annual review 2024 {MARKUP}" in caption
    (img,) = soup.select("figure picture img")
    assert img["alt"] == f"Bar chart: health stations had the most visits; {MARKUP} the fewest."


def test_markup_in_labels_is_text_in_every_drawing():
    for drawing in drawings(figure()._repr_html_()):
        svg = drawing["svg"]
        root = ET.fromstring(svg)  # well-formed: `<` and `&` in labels are escaped
        assert not [e for e in root.iter() if e.tag in (f"{SVG_NS}script", f"{SVG_NS}foreignObject")]
        assert "<script" not in svg and "&lt;script&gt;" in svg and "&amp; co" in svg
        lines = svg_texts(svg)  # the label wraps onto two lines
        assert "<script>alert(1)</script>" in lines and "& co" in lines, lines


def test_drawings_are_static_svg_with_nothing_to_fetch():
    for drawing in drawings(figure()._repr_html_()):
        svg = drawing["svg"]
        assert svg.startswith("<svg") and "http://" not in svg.replace("http://www.w3.org/", "")
        assert "https://" not in svg and "href=" not in svg.replace("xmlns:xlink=", "")


# --- the drawings: widths, locale, warnings -------------------------------------------------


def test_each_width_has_its_drawing_and_the_narrowest_is_the_image():
    html = figure()._repr_html_()
    found = drawings(html)
    assert [(d["media"], d["width"]) for d in found] == list(charts.CHART_WIDTHS)
    for drawing in found:
        size = re.match(r'<svg[^>]* width="([\d.]+)" height="([\d.]+)"', drawing["svg"]).groups()
        assert (drawing["width"], drawing["height"]) == tuple(round(float(v)) for v in size), "sizes match: no layout shift"
    soup = BeautifulSoup(html, "html.parser")
    assert soup.select_one("picture img").get("loading") is None, "not lazy: every chart is drawn soon after the page opens"
    assert "role" not in soup.select_one(".sotebook-figure__chart").attrs, "one image, one text alternative: the img's"


def test_a_drawing_is_the_same_bytes_when_drawn_again():
    chart = charts.line(EN, pd.DataFrame({"year": [2023, 2024, 2025], "v": [1, 2, 3]}), x="year", y="v")
    first = charts.draw_svg(EN, charts.vega_spec(chart, "x", "A line."), 358, "x")
    charts.draw_svg(EN, charts.vega_spec(chart, "x", "A line."), 688, "x")  # vl-convert keeps state between calls
    assert charts.draw_svg(EN, charts.vega_spec(chart, "x", "A line."), 358, "x") == first


@pytest.mark.parametrize("lang, thousands", [("fi", "2\u00a0000"), ("sv", "2\u00a0000"), ("en", "2,000")])
def test_numbers_on_axes_are_written_as_the_edition_writes_them(lang, thousands):
    w = edition(lang)
    assert charts.text.number(w, 2_000) == thousands  # as the prose writes it
    data = pd.DataFrame({"service": ["a", "b"], "visits": [500, 2_000]})
    texts = svg_texts(drawings(charts.show(w, charts.bar(w, data, x="visits", y="service"), chart_id="n", title="T",
                                           alt="A chart.", source="S")._repr_html_())[0]["svg"])
    assert thousands in texts, texts
    up, down = w.say("chart.direction.up"), w.say("chart.direction.down")
    changes = pd.DataFrame({"service": ["a", "b"], "change": [-20.0, 10.0], "direction": [down, up]})
    signed = svg_texts(drawings(charts.show(w, charts.change_bar(w, changes, x="change", y="service", direction="direction"),
                                            chart_id="c", title="T", alt="A chart.", source="S")._repr_html_())[0]["svg"])
    assert f"{charts.text.MINUS}20" in signed and "-20" not in signed, signed  # U+2212, as the prose


def test_a_chart_vega_lite_warns_about_fails():
    data = pd.DataFrame({"service": ["a", "b"], "visits": [1, 2]})
    chart = alt.Chart(data).mark_bar().encode(x="visits:Q", y="service:N",
                                              color=alt.Color("service:N", scale=alt.Scale(type="log")))
    with pytest.raises(charts.ChartError, match="log"):
        charts.show(EN, chart, chart_id="warns", title="T", alt="A chart.", source="S")


def test_a_chart_that_draws_no_data_fails():
    data = pd.DataFrame({"service": ["a", "b"], "visits": [1, 2]})
    chart = alt.Chart(data).mark_bar().encode(x="visit_count:Q", y="service:N")  # a field the data lacks
    with pytest.raises(charts.ChartError, match="no data mark"):
        charts.show(EN, chart, chart_id="empty", title="T", alt="A chart.", source="S")


def test_labels_are_measured_with_arial_metrics():
    """vl-convert measures 'Arial, Helvetica, sans-serif' with Liberation Sans, Arial's metric twin: a
    label gets the room the reader's Arial needs (238.5 px at 13 px, as Chromium measures it)."""
    label = "Terveysasemien hoitajakäynnit 1 679 689"
    spec = {"data": {"values": [{"a": 1, "b": label}]}, "mark": "bar", "width": 100, "padding": 0,
            "encoding": {"x": {"field": "a", "type": "quantitative", "axis": None},
                         "y": {"field": "b", "type": "nominal", "title": None,
                               "axis": {"labelFont": theme.FONT, "labelFontSize": 13, "labelLimit": 0, "ticks": False,
                                        "labelPadding": 0, "domain": False}}}}
    offset = float(re.search(r'transform="translate\(([\d.]+),', vl_convert.vegalite_to_svg(spec)).group(1))
    assert 238 <= offset <= 240, f"labels measured {offset} px wide: is Liberation Sans (fonts-liberation) installed?"


# --- data download and table ---------------------------------------------------------------


def test_csv_link_round_trips_the_data():
    soup = BeautifulSoup(figure()._repr_html_(), "html.parser")
    link = soup.select_one("a[download]")
    assert link["download"] == "visits-by-service.csv"
    prefix = "data:text/csv;charset=utf-8,"
    assert link["href"].startswith(prefix)
    text = urllib.parse.unquote(link["href"][len(prefix):])
    pd.testing.assert_frame_equal(pd.read_csv(io.StringIO(text.lstrip("\ufeff"))), visits(), check_dtype=False)


def test_table_numbers_are_grouped_but_years_are_not():
    data = pd.DataFrame({"year": [2023, 2024], "visits": [1_679_689, 950.5]})
    html = charts.show(EN, charts.line(EN, data, x="year", y="visits"), chart_id="t", title="T", alt="A line.",
                       source="S")._repr_html_()
    cells = [td.get_text() for td in BeautifulSoup(html, "html.parser").select("td")]
    assert cells == ["2023", "1,679,689", "2024", "950.5"]


@pytest.mark.parametrize("bad", [{"chart_id": "Visits 2024"}, {"chart_id": "x\"><script>"}, {"alt": " "},
                                 {"title": ""}, {"source": ""}])
def test_show_rejects_unusable_arguments(bad):
    with pytest.raises(ValueError, match=next(iter(bad))):
        figure(**bad)


def test_show_needs_data_when_the_chart_has_none():
    layered = alt.layer(charts.bar(EN, visits(), x="visits", y="service"))
    layered.data = alt.Undefined
    with pytest.raises(TypeError, match="pass data="):
        charts.show(EN, layered, chart_id="x", title="T", alt="A chart.", source="S")


# --- theme ---------------------------------------------------------------------------------


def contrast_on_white(colour: str) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    luminance = 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)
    return 1.05 / (luminance + 0.05)


def test_theme_is_active_after_import():
    assert alt.theme.active == theme.THEME_NAME


def test_series_colours_are_the_helsinki_colours_that_read_on_white():
    config = themed_config()
    category = config["range"]["category"]
    assert category == ["#0000bf", "#bd2719", "#008741", "#0072c6"]
    assert all(contrast_on_white(c) >= 3 for c in category)  # WCAG 1.4.11 non-text contrast
    assert contrast_on_white(config["bar"]["color"]) >= 3
    for part in ("axis", "legend"):
        assert contrast_on_white(config[part]["labelColor"]) >= 4.5  # text
    assert 'fill="#0000bf"' in drawings(figure()._repr_html_())[0]["svg"]  # the bars as drawn


def test_text_is_large_enough_and_arial():
    config = themed_config()
    assert config["font"].startswith("Arial")
    assert config["axis"]["labelFontSize"] >= 12 and config["legend"]["labelFontSize"] >= 12
    assert config["axis"]["titleFontSize"] >= 15 and config["legend"]["titleFontSize"] >= 15
    assert config["title"]["fontSize"] >= 15


def test_line_series_differ_by_shape_as_well_as_colour_in_one_legend():
    data = pd.DataFrame({"year": [2023, 2024] * 2, "series": ["a", "a", "b", "b"], "value": [1, 2, 3, 4]})
    vega = vl_convert.vegalite_to_vega(charts.line(EN, data, x="year", y="value", color="series").to_dict())
    (legend,) = vega["legends"]  # one legend, not one per channel
    assert legend["fill"] == "color" and legend["shape"] == "shape"
    x_scale = next(scale for scale in vega["scales"] if scale["name"] == "x")
    assert x_scale["type"] == "point"  # years as ordinal positions, not 2,023.5


def test_long_bar_labels_wrap_instead_of_being_cut():
    data = pd.DataFrame({"service": ["Oral health care for children, young people and adults", "Dental"],
                         "visits": [650_000, 10]})
    svg = vl_convert.vegalite_to_svg(charts.bar(EN, data, x="visits", y="service").properties(width=300).to_dict())
    label_lines = re.findall(r"<tspan[^>]*>([^<]*)</tspan>", svg)
    assert "children, young people" in label_lines and "and adults" in label_lines, label_lines
    assert "…" not in svg


def test_grouped_bar_rows_hold_their_bars_and_labels():
    data = pd.DataFrame({"department": ["Hospital, Rehabilitation and Care Services"] * 2 + ["Rescue"] * 2,
                         "year": [2023, 2024] * 2, "staff": [5800, 5700, 700, 720]})
    vega = vl_convert.vegalite_to_vega(charts.grouped_bar(EN, data, x="staff", y="department", color="year").to_dict())
    step = next(signal["value"] for signal in vega["signals"] if signal["name"] == "y_step")
    assert 2 * 18 <= step <= 80  # one row per department (two bars, three label lines), not per bar


# --- charts of changes and readable axes ----------------------------------------------------


def changes() -> pd.DataFrame:
    up, down = EN.say("chart.direction.up"), EN.say("chart.direction.down")
    return pd.DataFrame({"service": ["Dental care", "Home care", "Maisa"], "change": [-20.1, -4.2, 49.5],
                         "direction": [down, down, up]})


def test_change_bar_colours_rises_and_falls_apart_with_a_legend():
    vega = vl_convert.vegalite_to_vega(charts.change_bar(EN, changes(), x="change", y="service", direction="direction").to_dict())
    color = next(scale for scale in vega["scales"] if scale["name"] == "color")
    assert color["domain"] == [EN.say("chart.direction.up"), EN.say("chart.direction.down")]
    assert color["range"] == [theme.BUS, theme.BRICK]
    assert all(contrast_on_white(c) >= 3 for c in color["range"])
    assert [legend["fill"] for legend in vega["legends"]] == ["color"]


def test_change_bar_puts_the_largest_rise_on_top():
    svg = vl_convert.vegalite_to_svg(charts.change_bar(EN, changes(), x="change", y="service", direction="direction")
                                     .properties(width=300).to_dict())
    labels = re.findall(r"<text[^>]*>([^<]*)</text>", svg)
    order = [label for label in labels if label in {"Dental care", "Home care", "Maisa"}]
    assert order == ["Maisa", "Home care", "Dental care"], order


def test_change_bar_rejects_a_direction_the_words_do_not_have():
    data = changes().assign(direction=["up", "down", "down"])
    with pytest.raises(ValueError, match="direction"):
        charts.change_bar(EN, data, x="change", y="service", direction="direction")


def test_change_bar_tooltip_keeps_the_exact_signed_value():
    spec = charts.change_bar(EN, changes(), x="change", y="service", direction="direction").to_dict()
    (tooltip,) = [t for t in spec["layer"][0]["encoding"]["tooltip"] if t["field"] == "change"]
    assert tooltip["format"] == "+.1f"


def test_axes_show_large_counts_in_millions_and_zero_as_zero():
    data = pd.DataFrame({"service": ["Maisa", "Omaolo"], "contacts": [24_700_000, 156_700]})
    svg = vl_convert.vegalite_to_svg(charts.bar(EN, data, x="contacts", y="service").properties(width=400).to_dict())
    labels = re.findall(r"<text[^>]*>([^<]*)</text>", svg)
    assert "0" in labels and any(label.endswith(" million") for label in labels), labels
    assert not any(re.fullmatch(r"[\d,]{8,}", label) for label in labels), labels
    signed = vl_convert.vegalite_to_svg(charts.change_bar(EN, changes(), x="change", y="service", direction="direction")
                                        .properties(width=400).to_dict())
    ticks = re.findall(r"<text[^>]*>([^<]*)</text>", signed)
    assert "0" in ticks and "+0" not in ticks, ticks


def test_line_chart_starts_at_zero_by_default():
    data = pd.DataFrame({"year": [2023, 2024, 2025], "score": [58, 64, 69]})
    vega = vl_convert.vegalite_to_vega(charts.line(EN, data, x="year", y="score").to_dict())
    y_scale = next(scale for scale in vega["scales"] if scale["name"] == "y")
    assert y_scale.get("zero", True) is True


def test_table_cells_carry_their_column_name_for_phones():
    html = charts.data_table_html(EN, pd.DataFrame({"service": [MARKUP], "change": ["+5%"]}), "Changes")
    cells = BeautifulSoup(html, "html.parser").select("tbody td")
    assert [cell["data-label"] for cell in cells] == ["Service", "Change"]
    assert cells[0].get_text() == MARKUP
