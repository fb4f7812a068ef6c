"""The book's Altair theme: Helsinki Design System colours, Arial, sizes legible on a phone.

The charts are drawn at build time by vl-convert, which measures text with the fonts it finds on the
machine: Arial is not installed there, so it measures Liberation Sans, whose letters are as wide as
Arial's (fc-match maps Arial and Helvetica to it too); the browser draws the SVG's text in the reader's
Arial or Helvetica, or the same Liberation Sans. The build machine's image fixes the fonts, so CI
measures the same.

Only the four brand colours that reach 3:1 contrast against white (WCAG 1.4.11, non-text
contrast) carry information. Fog and silver are used only for gridlines and other decoration.
"""
import altair as alt

THEME_NAME = "helsinki"

# Helsinki Design System brand colours (hel.fi design system), contrast ratio on white in brackets.
BUS = "#0000bf"  # (12.0:1)
BRICK = "#bd2719"  # (6.1:1)
TRAM = "#008741"  # (4.6:1)
COAT_OF_ARMS = "#0072c6"  # (5.0:1)
SILVER = "#dedfe1"  # decoration only: gridlines
BLACK_90 = "#1a1a1a"  # text
WHITE = "#ffffff"

# Categorical order: the first two series (the common case: two years, two services) are the
# pair that stays distinct under every kind of colour-vision deficiency (dark blue against red).
# Tram green comes third; coat-of-arms blue, close to bus, last.
CATEGORY_COLOURS = [BUS, BRICK, TRAM, COAT_OF_ARMS]

FONT = "Arial, Helvetica, sans-serif"
LABEL_SIZE = 13
AXIS_TITLE_SIZE = 15
CHART_TITLE_SIZE = 18
CHART_HEIGHT = 300


@alt.theme.register(THEME_NAME, enable=False)
def helsinki_theme() -> alt.theme.ThemeConfig:
    """Helsinki Design System look. The width is the drawing's (sotebook.pages.charts.CHART_WIDTHS), axes and
    legend included ("contains": "padding")."""
    return {
        "height": CHART_HEIGHT,
        "background": WHITE,
        "autosize": {"type": "fit-x", "contains": "padding"},
        "config": {
            "font": FONT,
            "view": {"stroke": None, "continuousHeight": CHART_HEIGHT},
            "range": {"category": CATEGORY_COLOURS},
            "mark": {"color": BUS},
            "bar": {"color": BUS},
            "line": {"color": BUS, "strokeWidth": 3},
            "point": {"filled": True, "size": 80},
            "axis": {
                "labelFont": FONT,
                "labelFontSize": LABEL_SIZE,
                "labelColor": BLACK_90,
                "titleFont": FONT,
                "titleFontSize": AXIS_TITLE_SIZE,
                "titleFontWeight": "normal",
                "titleColor": BLACK_90,
                "domainColor": BLACK_90,
                "tickColor": BLACK_90,
                "gridColor": SILVER,
                "labelLimit": 220,
            },
            "legend": {
                "orient": "top",
                "direction": "vertical",
                "labelFont": FONT,
                "labelFontSize": LABEL_SIZE,
                "labelColor": BLACK_90,
                "labelLimit": 260,
                "titleFont": FONT,
                "titleFontSize": AXIS_TITLE_SIZE,
                "titleFontWeight": "normal",
                "titleColor": BLACK_90,
                "titleLimit": 300,
                "symbolSize": 120,
            },
            "title": {
                "font": FONT,
                "fontSize": CHART_TITLE_SIZE,
                "color": BLACK_90,
                "anchor": "start",
            },
            "text": {"font": FONT, "fontSize": LABEL_SIZE, "color": BLACK_90},
        },
    }
