"""The built site names the dataset's release on every page and serves its downloads with their checksums."""
import hashlib
import subprocess

import pytest
from bs4 import BeautifulSoup

from sotebook.data import release
from sotebook.pages.spec import read_spec
from sotebook.paths import BUILD_HTML
from sotebook.pages.words import edition

EN = edition("en")  # the English edition's words, which most tests read

EDITIONS = read_spec().languages


@pytest.fixture(scope="module")
def pages():
    if not (BUILD_HTML / "index.html").exists():
        pytest.fail("_build/html is missing: run `make book` (make test builds it first)", pytrace=False)
    return sorted(BUILD_HTML.glob("*/book/*.html"))


def test_every_page_footer_names_the_dataset_version(pages):
    version = release.current_release().version
    assert {p.parent.parent.name for p in pages} == set(EDITIONS)
    for path in pages:
        footer = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser").select_one(".extra_footer")
        assert footer is not None, f"{path} has no dataset footer"
        w = edition(path.parent.parent.name)
        said = w.say("about_data.footer", version=version, date="DATE").split("DATE")[0]
        assert said in footer.get_text(), f"{path}: the footer should say {said!r} in the edition's language"


@pytest.mark.parametrize("lang", EDITIONS)
def test_about_the_data_links_the_release_zip_with_its_checksum(pages, lang):
    name, data = release.build_zip()
    soup = BeautifulSoup((BUILD_HTML / lang / "book" / "about_data.html").read_text(encoding="utf-8"), "html.parser")
    link = soup.find("a", string=name)
    assert link is not None and link["href"] == f"../data/{name}"
    row = link.find_parent("tr").get_text()
    assert hashlib.sha256(data).hexdigest() in row
    served = (BUILD_HTML / lang / "book" / link["href"]).resolve()
    assert served.read_bytes() == data, "the site's zip must be the bytes `make release` writes"
    subprocess.run(["sha256sum", "-c", "SHA256SUMS"], cwd=served.parent, check=True, capture_output=True)
