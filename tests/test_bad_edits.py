"""Bad hand edits of the book's words, the theme's catalogs and the PDF's browser: each is one message that
names the file, the line, the key and the value, raised before anything is executed or printed (issue #25)."""
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from sotebook.pages import words
from sotebook.pages.spec import BuildError, page_parameters, read_spec
from sotebook.site import catalogs, notebooks
from sotebook.paths import LOCALES, ROOT
from project_copy import replace_in as edit

SPEC = read_spec()
PAGES = page_parameters(SPEC)
CACHED = (words.raw_catalog, words.sources, words._read, words.key_lines, words.catalog, words.edition)


@pytest.fixture
def words_copy(tmp_path, monkeypatch):
    """A copy of words/ to break; the module reads it instead of the checkout's."""
    copy = shutil.copytree(words.WORDS, tmp_path / "words")
    monkeypatch.setattr(words, "WORDS", copy)
    for cached in CACHED:
        cached.cache_clear()
    yield copy
    for cached in CACHED:
        cached.cache_clear()


def problems() -> str:
    for cached in CACHED:  # the files were edited after the test read them
        cached.cache_clear()
    with pytest.raises(words.WordsError) as error:
        words.check_words(SPEC.languages, PAGES)
    return str(error.value)


def test_the_books_words_pass_the_check_make_book_runs():
    assert words.words_problems(SPEC.languages, PAGES) == []


# Class 1: a broken translation is refused before anything runs, named by file, line, key and value.
def test_a_dropped_placeholder(words_copy):
    line = edit(words_copy / "sv" / "year.yml", 'title: "År {year}"', 'title: "År"')
    err = problems()
    assert f"words/sv/year.yml line {line}, key 'page.year.title': value 'År': the placeholders differ from " \
           "words/en/ ({year}): dropped {year}" in err


def test_an_added_placeholder(words_copy):
    title = words.catalog("fi")["page.trends.title"]
    line = edit(words_copy / "fi" / "trends.yml", f'title: "{title}"', f'title: "{{year}} {title}"')
    err = problems()
    assert f"words/fi/trends.yml line {line}, key 'page.trends.title'" in err and "added {year}" in err


def test_a_message_written_as_a_list(words_copy):
    line = edit(words_copy / "sv" / "year.yml", 'brief: "Året i korthet"', 'brief: ["Året i korthet"]')
    err = problems()
    assert f"words/sv/year.yml line {line}, key 'page.year.brief': value \"['Året i korthet']\": the message is a list" in err


@pytest.mark.parametrize("empty", ['""', "", '"  "'])
def test_an_empty_heading(words_copy, empty):
    line = edit(words_copy / "sv" / "year.yml", 'brief: "Året i korthet"', f"brief: {empty}")
    err = problems()
    assert f"words/sv/year.yml line {line}, key 'page.year.brief'" in err and "the message is empty" in err


def test_a_missing_message_names_the_file_it_belongs_in(words_copy):
    edit(words_copy / "sv" / "year.yml", 'brief: "Året i korthet"', "")
    err = problems()
    assert "words/sv/year.yml, key 'page.year.brief': the message is missing (words/en/ has it)" in err
    words.edition.cache_clear()
    with pytest.raises(words.WordsError, match=r"words/sv/year\.yml has no message 'page\.year\.brief'"):
        words.edition("sv").say("page.year.brief")


def test_a_page_message_uses_only_its_pages_parameters(words_copy):
    for lang in SPEC.languages:
        title = words.catalog(lang)["page.trends.title"]
        edit(words_copy / lang / "trends.yml", f'title: "{title}"', f'title: "{{year}} {title}"')
    err = problems()
    assert "words/en/trends.yml line 6, key 'page.trends.title'" in err
    assert "uses {year}, which is not a parameter of the page trends (it has lang)" in err


def test_a_lone_brace(words_copy):
    line = edit(words_copy / "fi" / "year.yml", 'title: "Vuosi {year}"', 'title: "Vuosi {year"')
    err = problems()
    assert f"words/fi/year.yml line {line}, key 'page.year.title': value 'Vuosi {{year': has a brace" in err


def test_a_yaml_error_is_one_line_with_the_file_and_line(words_copy):
    line = edit(words_copy / "en" / "year.yml", 'brief: "', 'brief: "unclosed ')
    line = edit(words_copy / "en" / "year.yml", 'unclosed', 'unclosed": x: "')
    with pytest.raises(words.WordsError) as error:
        words.check_words(SPEC.languages, PAGES)
    message = str(error.value)
    assert "\n" not in message and "words/en/year.yml line" in message and "is not valid YAML" in message
    assert int(message.split("words/en/year.yml line ")[1].split(":")[0]) in (line, line + 1)


# Class 2: words that become markup are escaped, except the messages meant to carry it.
def test_markup_in_a_heading_is_text(words_copy):
    edit(words_copy / "sv" / "year.yml", 'brief: "Året i korthet"', 'brief: "<script>alert(1)</script> *Året*"')
    subs = words.edition("sv").page_substitutions("year", {"year": 2025, "lang": "sv"})
    assert subs["brief"] == r"\<script\>alert(1)\</script\> \*Året\*"
    assert subs["how_to_read"] == words.catalog("sv")["page.year.how_to_read"], "allow-listed: kept as markup"
    assert "page.year.how_to_read" in words.MARKUP_MESSAGES


def test_every_allow_listed_message_exists():
    assert words.MARKUP_MESSAGES <= set(words.catalog("en"))


# Class 3: an error raised in a worker comes back as one line, not a worker's traceback.
def test_a_project_error_in_a_worker_becomes_a_build_error(monkeypatch):
    def fail(job, fp):
        raise words.WordsError("words/sv/year.yml line 6, key 'page.year.title': value 'År {month}': uses {month}")

    monkeypatch.setattr(notebooks, "_execute", fail)
    job = notebooks.Job(ROOT / "notebooks" / "year.md", ROOT / "book" / "sv" / "year_2025.ipynb", {"year": 2025, "lang": "sv"})
    with pytest.raises(BuildError, match=r"notebooks/year\.md with .*words/sv/year\.yml line 6, key 'page\.year\.title'"):
        notebooks.execute(job, b"fp")


# Class 4: the theme's catalogs.
@pytest.fixture
def po(tmp_path) -> Path:
    copy = shutil.copytree(LOCALES, tmp_path / "locales")
    return copy / "fi" / "LC_MESSAGES" / "sphinx.po"


def test_an_unterminated_string_in_a_catalog(po):
    line = edit(po, 'msgstr "Takaisin ylös"', 'msgstr "Takaisin ylös')
    with pytest.raises(BuildError) as error:
        catalogs.check_catalogs(["fi", "sv"], po.parents[2])
    assert f"fi/LC_MESSAGES/sphinx.po line {line}: value 'msgstr \"Takaisin ylös': is not a PO line" in str(error.value)


def test_a_misspelt_placeholder_in_a_catalog(po):
    line = edit(po, 'msgstr "© %(copyright)s."', 'msgstr "© %(copyrihgt)s."')
    with pytest.raises(BuildError) as error:
        catalogs.check_catalogs(["fi"], po.parents[2])
    assert f"fi/LC_MESSAGES/sphinx.po line {line - 1}, msgid '© Copyright %(copyright)s.': value '© %(copyrihgt)s.'" \
           in str(error.value) and "copyrihgt" in str(error.value)


def test_the_books_catalogs_pass():
    catalogs.check_catalogs(SPEC.languages)


# Class 5: the PDF module names an edition it does not have in one line, before it reads anything.
def test_the_pdf_module_with_an_edition_that_does_not_exist_is_one_line():
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    result = subprocess.run([sys.executable, "-m", "sotebook.site.pdf", "--langs", "de"], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    assert result.stderr == "make: --langs: value 'de': no such edition in chapters.yml (it has fi, sv, en)\n"


def _stubbed_installers(tmp_path) -> tuple[dict, Path]:
    """PATH with apt-get and sudo that only record that they were called."""
    stubs, calls = tmp_path / "stubs", tmp_path / "calls"
    stubs.mkdir()
    for name in ("apt-get", "sudo", "npm"):
        (stubs / name).write_text(f'#!/bin/sh\necho "{name} $*" >> {calls}\n', encoding="utf-8")
        (stubs / name).chmod(0o755)
    return {**os.environ, "PATH": f"{stubs}:{os.environ['PATH']}"}, calls


def test_a_wrong_browser_path_is_named_and_nothing_is_installed(tmp_path):
    env, calls = _stubbed_installers(tmp_path)
    env["CHROMIUM_PATH"] = str(tmp_path / "no-chromium")
    result = subprocess.run(["bash", "tools/install_browser_deps.sh"], cwd=ROOT, env=env, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 1
    assert f"CHROMIUM_PATH={tmp_path / 'no-chromium'} is not an executable file" in result.stderr
    assert not calls.exists(), f"installed something: {calls.read_text()}"


def test_a_browser_that_runs_is_not_reinstalled_when_a_font_is_missing(tmp_path):
    env, calls = _stubbed_installers(tmp_path)
    (tmp_path / "stubs" / "fc-list").write_text("#!/bin/sh\nexit 0\n", encoding="utf-8")  # no font installed
    (tmp_path / "stubs" / "fc-list").chmod(0o755)
    browser = tmp_path / "chromium"
    browser.write_text("#!/bin/sh\necho Chromium 1.0\n", encoding="utf-8")
    browser.chmod(0o755)
    env["CHROMIUM_PATH"] = str(browser)
    subprocess.run(["bash", "tools/install_browser_deps.sh"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    installed = calls.read_text()
    assert "fonts-liberation" in installed and "chromium" not in installed, installed


# The independent adversarial pass's findings, each a class.
def test_a_key_given_twice_in_a_words_file_names_both_lines(words_copy):
    path = words_copy / "sv" / "year.yml"
    first = edit(path, 'h_residents: "Invånare"', 'h_residents: "Invånare"\n    h_residents: "Invånarna"')
    message = problems()
    assert f"sv/year.yml line {first + 1}: key 'h_residents' is given twice (first at line {first})" in message


def test_a_message_cut_by_a_yaml_comment_is_refused(words_copy):
    line = edit(words_copy / "sv" / "year.yml", '  h_residents: "Invånare"', '  h_residents: Invånare #1 i Helsingfors')
    message = problems()
    assert f"sv/year.yml line {line}: value 'h_residents: Invånare #1 i Helsingfors'" in message and "quotes" in message


def test_markup_in_a_sentence_is_refused_before_the_build(words_copy):
    edit(words_copy / "sv" / "home.yml", "  link_year: \"", "  link_year: \"<script>alert(1)</script> ")
    message = problems()
    assert "sv/home.yml" in message and "home.link_year" in message and "<script>" in message
    assert "holds markup (< or >)" in message


def test_a_key_given_twice_in_a_plan_is_named(tmp_path):
    from sotebook.pages import plan

    path = shutil.copy(ROOT / "notebooks" / "year.plan.yml", tmp_path / "year.plan.yml")
    text = Path(path).read_text(encoding="utf-8")
    Path(path).write_text(text + "change_sections: [rescue]\n", encoding="utf-8")
    with pytest.raises(BuildError) as error:
        plan.read("year", Path(path))
    assert f"year.plan.yml line {len(text.splitlines()) + 1}: key 'change_sections' is given twice" in str(error.value)


def test_a_fuzzy_entry_in_a_catalog(po):
    line = edit(po, 'msgid "Back to top"', '#, fuzzy\nmsgid "Back to top"')
    with pytest.raises(BuildError) as error:
        catalogs.check_catalogs(["fi"], po.parents[2])
    assert f"fi/LC_MESSAGES/sphinx.po line {line + 1}, msgid 'Back to top': the entry is marked fuzzy" in str(error.value)


def test_markup_in_a_catalogs_translation(po):
    edit(po, 'msgstr "Takaisin ylös"', 'msgstr "Takaisin <b onmouseover=alert(1)>ylös</b>"')
    with pytest.raises(BuildError) as error:
        catalogs.check_catalogs(["fi"], po.parents[2])
    assert "msgid 'Back to top': value 'Takaisin <b onmouseover=alert(1)>ylös</b>': holds markup" in str(error.value)


@pytest.mark.parametrize("kind", ["a folder", "a program that does not run"])
def test_a_browser_path_that_is_not_a_browser_installs_nothing(tmp_path, kind):
    env, calls = _stubbed_installers(tmp_path)
    if kind == "a folder":
        browser = tmp_path
    else:
        browser = tmp_path / "false-browser"
        browser.write_text("#!/bin/sh\nexit 1\n", encoding="utf-8")
        browser.chmod(0o755)
    env["CHROMIUM_PATH"] = str(browser)
    result = subprocess.run(["bash", "tools/install_browser_deps.sh"], cwd=ROOT, env=env, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 1 and f"CHROMIUM_PATH={browser}" in result.stderr, result.stderr
    assert not calls.exists(), f"installed something: {calls.read_text()}"


def test_a_words_file_not_in_utf8_names_its_line(words_copy):
    """The independent pass's #6: a Latin-1 file was reported with a byte offset, not a line."""
    path = words_copy / "fi" / "common.yml"
    text = path.read_text(encoding="utf-8")
    line = next(n for n, l in enumerate(text.splitlines(), 1) if "ä" in l)
    path.write_bytes(text.encode("latin-1", errors="replace"))
    assert f"fi/common.yml line {line}: byte b'\\xe4' is not UTF-8" in problems()
