"""The book's language editions on the site: a switcher on every page, `hreflang` links and a description in
the edition's language in its head, a plain chooser page at the site's root, and at each edition's root an
accessible page that forwards to its front page.

A Sphinx extension (listed in `_config.yml`): each edition is its own Sphinx build in its own language
under /<lang>/ of the site, with the same page names, so a page's twin in another edition is found by
its name. Links are relative, so the site works from `file://` as well as on a web server.
"""
from __future__ import annotations

import html
import os
import re
import shutil
from functools import lru_cache
from pathlib import Path

from sotebook.pages.words import DEFAULT_LANGUAGE, Words, edition, languages
from sotebook.paths import ROOT


def site_url() -> str:
    """The site's address on the web ('https://example.github.io/book/'), from SOTEBOOK_SITE_URL, or ''.

    The head's `hreflang` alternates need it: search engines (and Lighthouse's SEO audit) take only fully
    qualified addresses there, so without it the pages have none and the visible switcher alone links the
    editions (the build must not guess where the site will be published)."""
    url = os.environ.get("SOTEBOOK_SITE_URL", "").strip()
    return url if not url or url.endswith("/") else url + "/"


def alternate_links(path_of) -> str:
    """`<link rel="alternate" hreflang>` for every edition, `path_of(lang)` being its page's path in the site;
    empty when the site's address is unknown (see site_url)."""
    base = site_url()
    if not base:
        return ""
    from sotebook.pages.spec import read_spec

    return "".join(f'\n<link rel="alternate" hreflang="{e.lang}" href="{html.escape(base + path_of(e.lang))}" />'
                   for e in read_spec().editions)


def twin_href(pagename: str, lang: str) -> str:
    """The same page in edition `lang`, relative to page `pagename` ('book/year_2025') of another edition."""
    return "../" * (pagename.count("/") + 1) + f"{lang}/{pagename}.html"


@lru_cache(maxsize=1)
def _chapter_patterns() -> list[tuple[re.Pattern, str]]:
    """Each chapter's page name as a pattern ('year_{year}' -> year_(?P<year>\\d+)) and its template."""
    from sotebook.pages.spec import read_spec

    patterns = []
    for chapter in read_spec().chapters:
        pattern = re.sub(r"\\\{(\w+)\\\}", lambda m: f"(?P<{m.group(1)}>\\d+)", re.escape(chapter.output))
        patterns.append((re.compile(pattern), chapter.template))
    return patterns


def site_words(language: str | None) -> Words:
    """The words of a Sphinx build's edition (its `language`), or the default edition's for a language
    the book has no words for."""
    return edition(language if language in languages() else DEFAULT_LANGUAGE)


def page_description(words: Words, pagename: str) -> str:
    """The page's description in the edition's language: `page.<template>.description` of the
    chapter it was made from (with the chapter's parameters, `{year}` of a year chapter), of a page written
    by hand (`page.glossary.description`) or of the search page; the site's for any other page."""
    name = pagename.rsplit("/", 1)[-1]
    for pattern, template in _chapter_patterns():
        match = pattern.fullmatch(name)
        if match and words.has(f"page.{template}.description"):
            # the page's parameters, as the words check allows them: the output name's and its edition
            return words.say(f"page.{template}.description", **match.groupdict(), lang=words.lang)
    if words.has(f"page.{name}.description"):
        return words.say(f"page.{name}.description")
    return words.say("site.description")


def _page_context(app, pagename, templatename, context, doctree) -> None:
    current = app.config.language
    editions = [{"lang": e["lang"], "name": e["name"], "href": twin_href(pagename, e["lang"]),
                 "current": e["lang"] == current} for e in app.config.sotebook_editions]
    words = site_words(current)
    context["sotebook_editions"] = editions
    context["sotebook_editions_label"] = words.say("site.editions_label")
    links = alternate_links(lambda lang: f"{lang}/{pagename}.html")
    description = f'\n<meta name="description" content="{html.escape(page_description(words, pagename))}" />'
    context["metatags"] = context.get("metatags", "") + description + links


ROOT_REDIRECT = """<!DOCTYPE html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="refresh" content="0; url={url}">
<link rel="canonical" href="{url}">
<title>{title}</title>
</head>
<body>
<main>
<h1>{title}</h1>
<p><a href="{url}">{go}</a>.</p>
</main>
</body>
</html>
"""


def _write_root_redirect(app, exception) -> None:
    """Write `index.html` at the edition's root (/<lang>/) as a proper page that forwards to its front page.

    sphinx-external-toc writes a bare `<meta http-equiv="Refresh">` there when the root page is
    not `index` (ours is `book/index`): no language, no title, so the site's entry page fails
    WCAG 2 (html-has-lang, document-title). It skips writing when the file exists; this hook
    runs before it and always writes, so the page is also right after incremental builds.
    """
    if exception is not None or app.builder.format != "html" or app.config.root_doc == "index":
        return
    url = html.escape(app.builder.get_target_uri(app.config.root_doc), quote=True)
    title = html.escape(app.config.html_title or app.config.project)
    words = site_words(app.config.language)
    page = ROOT_REDIRECT.format(lang=html.escape(app.config.language or "en"), url=url, title=title,
                                go=html.escape(words.say("site.go_to_front")))
    Path(app.outdir, "index.html").write_text(page, encoding="utf-8")


def setup(app):
    """Sphinx extension: the edition switcher's context and the alternate-language links of each page, and
    an accessible redirect at the edition's root."""
    app.add_config_value("sotebook_editions", [], "html")
    app.connect("html-page-context", _page_context)
    # sphinx-external-toc writes its bare redirect at build-finished with the default priority 500.
    app.connect("build-finished", _write_root_redirect, priority=400)
    return {"parallel_read_safe": True, "parallel_write_safe": True}


CHOOSER = """<!DOCTYPE html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<meta name="description" content="{description}">
<link rel="icon" href="{favicon}" type="image/svg+xml">
{alternates}
<style>
body {{ font-family: Arial, "Liberation Sans", sans-serif; color: #1a1a1a; margin: 0; padding: 2rem 1rem; font-size: 16px; line-height: 1.5; }}
main {{ max-width: 40rem; margin: 0 auto; }}
h1 {{ font-size: 1.6rem; margin: 0 0 0.5rem; }}
ul {{ list-style: none; padding: 0; margin: 1.5rem 0; }}
li {{ margin: 0 0 1.5rem; }}
a {{ color: #0000bf; font-size: 1.25rem; font-weight: bold; }}
p {{ margin: 0.25rem 0 0; }}
</style>
</head>
<body>
<main>
{headings}
<ul>
{items}
</ul>
</main>
</body>
</html>
"""


def chooser_page(editions) -> str:
    """The site's root page: the book's title in every language and a plain link to each edition."""
    first = editions[0].lang
    titles, items = [], []
    for e in editions:
        words = edition(e.lang)
        href = f"{e.lang}/book/index.html"
        heading = html.escape(words.say("site.title"))
        titles.append(f'<h1 lang="{e.lang}">{heading}</h1>' if e.lang == first else f'<p lang="{e.lang}">{heading}</p>')
        items.append(f'<li lang="{e.lang}"><a href="{href}" hreflang="{e.lang}">{html.escape(words.say("site.read_in"))}</a>'
                     f'<p>{html.escape(words.say("site.chooser_text"))}</p></li>')
    description = edition(first).say("site.description")  # in the page's language
    return CHOOSER.format(lang=first, favicon=FAVICON.name, title=" · ".join(html.escape(_title(e.lang)) for e in editions),
                          description=html.escape(description),
                          alternates=alternate_links(lambda lang: f"{lang}/book/index.html").strip(),
                          headings="\n".join(titles), items="\n".join(items))


def _title(lang: str) -> str:
    return edition(lang).say("site.short_title")


# The site's icon (every edition's pages link their own copy in _static/, _config.yml's html.favicon).
FAVICON = ROOT / "book" / "_static" / "favicon.svg"


def write_chooser(site: Path, editions) -> None:
    """The chooser page at the site's root, with the site's icon beside it."""
    (site / "index.html").write_text(chooser_page(editions), encoding="utf-8")
    shutil.copyfile(FAVICON, site / FAVICON.name)
