"""sotebook/site/assets.py: the theme's stylesheet without Font Awesome, every script deferred, the icons as SVG."""
from __future__ import annotations

import pytest
from sphinx.builders.html._assets import _CascadingStyleSheet, _JavaScript

from sotebook.site import assets

THEME_LIKE = """@charset "UTF-8";
/*!
 * Bootstrap  v5.3.3 (https://getbootstrap.com/)
 */:root{--bs-blue:#0d6efd}.btn{color:red}
/*!
 * Font Awesome Free 6.5.2 by @fontawesome - https://fontawesome.com
 */.fa{font-family:var(--fa-style-family,"Font Awesome 6 Free")}.fa-bars:before{content:"\\f0c9"}.fa-flip-horizontal.fa-flip-vertical{transform:scale(-1)}
@keyframes fa-spin{0%{transform:rotate(0)}to{transform:rotate(1turn)}}
@media (prefers-reduced-motion:reduce){.fa-spin{animation:none}}
@media (min-width:960px){.fa-lg{font-size:2em}.bd-sidebar{width:20%}}
:host,:root{--fa-font-solid:normal 900 1em/1 "Font Awesome 6 Free"}@font-face{font-family:Font Awesome\\ 6 Free;src:url(../vendor/fontawesome/webfonts/fa-solid-900.woff2) format("woff2")}
#pst-back-to-top .fa-arrow-up{margin:0}a.reference.download:before{content:var(--pst-icon-download);font:var(--fa-font-solid)}
.x{content:"}{"}
"""


def test_trim_keeps_the_theme_and_drops_font_awesome():
    trimmed = assets.trim_font_awesome(THEME_LIKE)
    assert "Font Awesome" not in trimmed and "fa-solid-900" not in trimmed and "fa-spin" not in trimmed
    assert ".fa-bars" not in trimmed and ".fa-flip" not in trimmed and "--fa-font-solid:" not in trimmed
    assert "prefers-reduced-motion" not in trimmed, "an @media block emptied of Font Awesome goes too"
    for kept in ("Bootstrap  v5.3.3", ".btn{color:red}", "@media (min-width:960px){.bd-sidebar{width:20%}}",
                 "#pst-back-to-top .fa-arrow-up{margin:0}", "a.reference.download:before", '.x{content:"}{"}',
                 '@charset "UTF-8";'):
        assert kept in trimmed, f"{kept!r} was lost"


def test_trim_is_stable():
    once = assets.trim_font_awesome(THEME_LIKE)
    assert assets.trim_font_awesome(once) == once


def test_icon_css_overrides_every_font_icon_the_theme_draws():
    css = assets.icon_css()
    assert "a.reference.download:before" in css and "mask:" in css and 'content:""!important' in css
    assert "Font Awesome" not in css and "%3C" not in css  # the SVG is quoted, not percent-encoded whole


def test_icon_is_hidden_inline_svg():
    svg = str(assets.icon("bars"))
    assert svg.startswith("<svg") and 'aria-hidden="true"' in svg and 'focusable="false"' in svg
    with pytest.raises(KeyError):
        assets.icon("no-such-icon")


def test_scripts_are_deferred_and_inline_snippets_become_modules():
    scripts = [_JavaScript("_static/doctools.js", priority=200),
               _JavaScript("_static/a.js", priority=500, **{"async": "async"}),
               _JavaScript(None, priority=500, body="DOCUMENTATION_OPTIONS.pagename = 'x';")]
    out = assets.page_scripts(scripts)
    assert [s.attributes.get("defer") for s in out[:2]] == ["defer", "defer"] and "async" not in out[1].attributes
    assert out[2].attributes["type"] == "module" and out[2].filename is None
    with pytest.raises(ValueError, match="declares a global"):
        assets.page_scripts([_JavaScript(None, body="let toggleHintShow = 'x';")])


def test_a_page_keeps_only_the_stylesheets_its_body_uses():
    files = [_CascadingStyleSheet("_static/pygments.css"), _CascadingStyleSheet("_static/mystnb.abc.css"),
             _CascadingStyleSheet("_static/sotebook.css")]
    names = [str(c.filename) for c in assets.page_css(files, '<p class="plain">text</p>')]
    assert names == ["_static/basic.css", "_static/styles/pydata-sphinx-theme.css", "_static/sotebook.css"]
    names = [str(c.filename) for c in assets.page_css(files, '<div class="cell"><div class="highlight">')]
    assert "_static/pygments.css" in names and "_static/mystnb.abc.css" in names


def test_column_names_stand_once_per_table():
    body = ('<table class="sotebook-table__table"><thead><tr><th scope="col">Measure</th><th scope="col">2025</th>'
            '<th scope="col">Change</th></tr></thead><tbody>'
            '<tr><th scope="row">Visits</th><td data-label="2025" class="sotebook-num">1</td><td data-label="Change &amp; &quot;why&quot;">up</td></tr>'
            '<tr><th scope="row">Calls</th><td data-label="2025" class="sotebook-num">2</td><td data-label="Change &amp; &quot;why&quot;">down</td></tr>'
            '</tbody></table>')
    compact, css = assets.compact_labels(body)
    assert "data-label" not in compact and '<table id="sotebook-table-1" class="sotebook-table__table">' in compact
    assert '<td class="sotebook-num">1</td>' in compact and "<th scope=\"row\">Calls</th>" in compact
    assert css == ('#sotebook-table-1 td:nth-child(2){--sotebook-label:"2025: "} '
                   '#sotebook-table-1 td:nth-child(3){--sotebook-label:"Change & \\"why\\": "}')


def test_a_table_whose_rows_label_different_columns_keeps_its_labels():
    body = ('<table><tbody><tr><td data-label="A">1</td><td data-label="B">2</td></tr>'
            '<tr><td data-label="A">1</td><td>no label</td></tr></tbody></table>')
    assert assets.compact_labels(body) == (body, "")


def test_the_translations_load_before_the_scripts_that_show_words():
    """sphinx_highlight.js writes "Hide Search Matches" when it runs: the edition's catalog must be there."""
    from sphinx.builders.html._assets import _JavaScript

    files = ["_static/documentation_options.js", "_static/doctools.js", "_static/sphinx_highlight.js",
             "_static/scripts/sphinx-book-theme.js", "_static/translations.js", "_static/print.js"]
    given = [_JavaScript(f, priority=200 if f.endswith(("options.js", "doctools.js", "highlight.js")) else 500) for f in files]
    # as Sphinx renders them: sorted by priority, stably, after the page's context
    order = [str(js.filename) for js in sorted(assets.page_scripts(given), key=lambda js: js.priority)]
    assert order.index("_static/translations.js") < order.index("_static/sphinx_highlight.js")
    assert order.index("_static/doctools.js") < order.index("_static/translations.js"), order
