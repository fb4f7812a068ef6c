# The two commands a newcomer needs:  make book   (install, validate data, execute, build HTML)
#                                     make test   (every test: data, notebooks, browser, accessibility)
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
YEARS ?=
LANGS ?=

.PHONY: book data notebooks html pdf print check test release verify serve bench browser-deps search-deps clean help draft accept-draft chapter
# A step that fails leaves no target behind, so the next make runs it again (the steps write
# their targets only on success, so this never deletes a good one).
.DELETE_ON_ERROR:

help:
	@echo "make book    build the three editions into _build/html (YEARS=\"2024 2025\", LANGS=fi to execute only those)"
	@echo "make test    run every test"
	@echo "make check   the fast tier: the tests that need no browser and no book build (data, words, plans, imports)"
	@echo "make pdf     the book, then one PDF per edition into _build/pdf and the site (_build/html/<lang>/pdf)"
	@echo "make data    rebuild and validate data/clean from data/raw"
	@echo "make release write the versioned dataset zip and SHA256SUMS to dist/"
	@echo "make draft SOURCE=<text>         draft a new source's transcription into data/raw/drafts/"
	@echo "make accept-draft SOURCE=<text>  move the reviewed draft's rows into data/raw/<source_id>.csv"
	@echo "make chapter TEMPLATE=year YEAR=2024 LANG=sv  rerun one chapter into _build/chapters/ (no arguments: every template's parameters)"
	@echo "make chapter TEMPLATE=all YEAR=2024 LANG=all  several chapters in one command (a comma list or all), one kernel server"
	@echo "make serve   serve _build/html on http://127.0.0.1:8000"
	@echo "make bench   run the build benchmark"

# The virtual environment, re-made whenever requirements.txt changes. The .pth file puts the
# project's package on the path without a build step. uv (pinned here, from PyPI) installs the pinned
# requirements: the same packages as pip (their `pip freeze` is the same), in a sixth of its time on two
# cores (benchmarks/README.md, "Installing the requirements"). --compile-bytecode, as pip does: where
# PYTHONDONTWRITEBYTECODE is set (it is on this project's machines) nothing compiled on import is kept, and
# every process compiles every module it imports again (pandas 1.2 s instead of 0.3 s). Where uv itself
# cannot be installed, pip installs the requirements, as it did before.
UV_VERSION := 0.13.8
$(STAMP): requirements.txt
	$(PYTHON) -m venv $(VENV)
	if $(PY) -m pip install --disable-pip-version-check --quiet uv==$(UV_VERSION); then \
	  $(VENV)/bin/uv pip install --python $(PY) --quiet --compile-bytecode -r requirements.txt; \
	else \
	  echo "make: uv $(UV_VERSION) could not be installed; pip installs the requirements" >&2; \
	  $(PY) -m pip install --disable-pip-version-check --quiet -r requirements.txt; \
	fi
	echo "$(CURDIR)" > "$$($(PY) -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')/sotebook-project.pth"
	touch $@

# Each step is a file target, so a rebuild skips what did not change; the steps themselves also
# skip work (the book step re-executes only notebooks whose fingerprint changed). The book step
# executes and builds aside and swaps the notebooks and the site in only when both passed, so a
# failed build leaves the last good book in place and the next `make book` simply tries again.
# Drafts (data/raw/drafts/, make draft) are working files, never inputs of the data step.
RAW := $(shell find data/raw -path data/raw/drafts -prune -o -name '*.csv' -print 2>/dev/null)
# The changelog holds the dataset's version; the descriptor records the source documents' hashes.
CLEAN_INPUTS := $(RAW) data/CHANGELOG.md $(wildcard ../shared/seeds/*) $(wildcard sotebook/paths.py sotebook/data/*.py)
# The folders themselves too: a file deleted from them changes nothing else make can see.
HTML_INPUTS := _config.yml chapters.yml book/. $(wildcard book/*/.  book/*/*.ipynb book/*/*.md book/_static/*.css book/_static/print.js book/_templates/*.html locales/*/LC_MESSAGES/*.po) \
	$(wildcard sotebook/*.py sotebook/*/*.py) \
	$(wildcard book/_templates/*/*.html book/_static/*.svg) $(wildcard words/*/*.yml)
# A new version re-executes About the data (it shows the release), which rebuilds the pages' footers.
BOOK_INPUTS := chapters.yml notebooks/. stories/. $(wildcard stories/*.md notebooks/*.md notebooks/*.plan.yml words/*/*.yml data/clean/*.csv sotebook/*.py sotebook/*/*.py data/releases/*.json) \
	requirements.txt LICENSE $(HTML_INPUTS)

# A stamp, not data/clean itself: an unchanged dataset keeps its timestamps (so nothing downstream
# rebuilds), and the stamp keeps a code change from re-running the data step on every make.
_build/.data: $(CLEAN_INPUTS) | $(STAMP)
	$(PY) -m sotebook.data.clean
	mkdir -p _build && touch $@

# Written by the step above whenever the dataset changed (it is rewritten as a whole).
data/clean/datapackage.json: _build/.data
	@:

_build/.book: data/clean/datapackage.json $(BOOK_INPUTS) | $(STAMP) search-deps
	$(PY) -m sotebook.site.build notebooks
	touch $@

_build/html/index.html: $(HTML_INPUTS) | $(STAMP) search-deps
	$(PY) -m sotebook.site.build html

data: $(STAMP)
	$(PY) -m sotebook.data.clean

# With YEARS or LANGS, execute those year chapters or editions now; without, whatever is out of date.
ifeq ($(strip $(YEARS)$(LANGS)),)
notebooks: _build/.book
else
notebooks: _build/.data | search-deps
	$(PY) -m sotebook.site.build notebooks --years "$(YEARS)" --langs "$(LANGS)"
endif

html: $(STAMP) search-deps
	$(PY) -m sotebook.site.build html

# Every run checks data/clean/ against the hashes in its descriptor first, even when make thinks
# everything is up to date (a deleted file changes no timestamp make looks at).
verify: $(STAMP)
	@$(PY) -m sotebook.data.release verify

book: | $(STAMP)
	@$(MAKE) --no-print-directory verify
	@$(MAKE) --no-print-directory notebooks
	@echo "The book is in _build/html (make serve to read it)."

# dist/helsinki-sote-data-<version>.zip and dist/SHA256SUMS, the same bytes on every run; records the
# release's manifest in data/releases/. The version is the newest entry of data/CHANGELOG.md.
release: data/clean/datapackage.json | $(STAMP)
	$(PY) -m sotebook.data.release

# The PDF editions, printed by Chromium from the site as built (sotebook/site/pdf.py), then the site built
# again from the same notebooks: now every page links its edition's PDF and the site carries it. A site
# built before the PDFs exist has no such link, so it never links a file that is not there.
pdf: | $(STAMP)
	@$(MAKE) --no-print-directory browser-deps
	@$(PY) -m sotebook.site.pdf --check-browser
	@$(MAKE) --no-print-directory book
	@$(MAKE) --no-print-directory print

print: $(STAMP) browser-deps
	$(PY) -m sotebook.site.pdf
	$(PY) -m sotebook.site.build html

browser-deps:
	bash tools/install_browser_deps.sh

# The Finnish edition's search reads words' base forms with Voikko: Debian's libvoikko1 and voikko-fi, if missing.
search-deps:
	@bash tools/install_search_deps.sh

# Tests read the committed notebooks as they are (nbval re-executes them to prove they are current)
# and build the HTML from them, so a stale notebook fails here instead of being silently rebuilt. The
# PDFs are printed from that site, so the browser tests also follow every page's link to them.
# To fit two cores: pytest runs on every core (pytest-xdist; TEST_WORKERS=1 for one process), and in two
# parts. While the site is built and printed (site: html, then print, in the background, its output in
# _build/test-site.log), the tests that read neither the site nor the PDFs run (TESTS_WITHOUT_SITE: the
# notebooks, the data, the builds of copies of the project); then the rest of tests/ (--ignore does not
# apply to a path given as an argument, so the second part names tests/, not book/), every worker reading
# that one site. A test file not listed runs in the second part, so a new test always finds the site. Each
# step is timed; the last line sums up, and make test fails if any step or test failed.
TEST_WORKERS ?= logical
# The fast tier (make check, under 30 s on two cores): the tests that need no browser, no built site and
# no build of a copy of the book: the dataset, parsing, words, chapters.yml, the plans, the stages' import contracts,
# the page code and the fingerprints. make test runs them again with everything else.
CHECK_TESTS := tests/data tests/draft tests/pages/test_year_chapter.py tests/pages/test_plan.py tests/pages/test_explanation_words.py tests/test_words.py tests/test_chapters_spec.py \
	tests/test_architecture.py tests/test_charts.py tests/test_overview.py tests/test_editions_words.py \
	tests/test_editions_head.py tests/test_workflows.py tests/test_assets.py tests/test_build.py tests/test_readme.py tests/test_bad_edits.py \
	tests/test_finnish_search.py tests/test_catalogs.py tests/pages/test_numbers.py tests/pages/test_notes.py tests/pages/test_sources_in_language.py tests/test_reads.py \
	tests/test_print_document.py tests/pages/test_story.py tests/test_chart_files.py
TESTS_WITHOUT_SITE := book tests/data tests/pages tests/test_build.py tests/test_chapters_spec.py tests/test_charts.py \
	tests/test_editions_words.py tests/test_failed_build.py tests/test_kernels.py tests/test_overview.py tests/test_staleness.py \
	tests/test_words.py tests/test_workflows.py tests/browser/test_browser_escaping.py tests/test_finnish_search.py tests/test_catalogs.py tests/test_reads.py tests/test_print_document.py
TEST_TIMES := _build/.test-times
MAKE_STARTED := $(shell date +%s)
# $(call timed,name,command): run the command in a subshell, append "name seconds" to $(TEST_TIMES), keep
# its exit code.
timed = (started=$$(date +%s); status=0; $(2) || status=$$?; echo "$(1) $$(( $$(date +%s) - started )) s" >> $(TEST_TIMES); exit $$status)

test: $(STAMP) browser-deps search-deps
	@mkdir -p _build && echo "setup $$(( $$(date +%s) - $(MAKE_STARTED) )) s" > $(TEST_TIMES)
	@$(call timed,verify,$(MAKE) --no-print-directory verify)
	@status=0; \
	  $(call timed,site,$(MAKE) --no-print-directory _build/html/index.html && $(MAKE) --no-print-directory print) \
	    > _build/test-site.log 2>&1 & site=$$!; \
	  echo "make test: building the site and printing its PDFs in the background (_build/test-site.log);" \
	    "meanwhile the tests that need neither"; \
	  $(call timed,tests-without-site,$(PY) -m pytest -n $(TEST_WORKERS) --durations=15 $(TESTS_WITHOUT_SITE)) || status=$$?; \
	  site_status=0; wait $$site || site_status=$$?; \
	  echo "make test: the site and its PDFs ($$([ $$site_status -eq 0 ] && echo built || echo FAILED)):"; cat _build/test-site.log; \
	  if [ $$site_status -eq 0 ]; then \
	    $(call timed,tests-of-site,$(PY) -m pytest -n $(TEST_WORKERS) --durations=15 tests $(addprefix --ignore=,$(filter tests/%,$(TESTS_WITHOUT_SITE)))) || status=$$?; \
	  else status=1; fi; \
	  echo "make test: $$([ $$status -eq 0 ] && echo passed || echo FAILED) in $$(( $$(date +%s) - $(MAKE_STARTED) )) s:" \
	    "$$(paste -sd, $(TEST_TIMES) | sed 's/,/, /g') (site alongside tests-without-site);" \
	    "load average at the end $$(cut -d' ' -f1-3 /proc/loadavg)"; \
	  exit $$status

check: $(STAMP)
	@$(MAKE) --no-print-directory verify
	$(PY) -m pytest -n $(TEST_WORKERS) -m "not slow" $(CHECK_TESTS)

# A new source's transcription, drafted from its text (listed in data/raw/sources.csv first), reviewed by a
# person in data/raw/drafts/<source_id>.csv (status: accept, change, skip; the review page beside it shows
# each row's passage), then moved into data/raw/<source_id>.csv, which make data validates. REPLACE=1
# lets draft replace a draft under review, and accept-draft an existing transcription.
DRAFT_USAGE = echo "usage: make $@ SOURCE=<path to the document's text, listed in data/raw/sources.csv>" >&2; exit 2

draft: $(if $(SOURCE),$(STAMP))
	@$(if $(SOURCE),,$(DRAFT_USAGE))
	$(PY) -m sotebook.draft draft "$(SOURCE)" $(if $(REPLACE),--replace)

accept-draft: $(if $(SOURCE),$(STAMP))
	@$(if $(SOURCE),,$(DRAFT_USAGE))
	$(PY) -m sotebook.draft accept "$(SOURCE)" $(if $(REPLACE),--replace)

# One chapter with other parameters, into _build/chapters/<template>-<values>/ (sotebook/site/chapter.py):
# `make chapter TEMPLATE=year YEAR=2024 LANG=sv [DATA=<copy of data/raw or data/clean>] [OUT=<folder>]`.
# TEMPLATE, YEAR and LANG may be a comma list or `all`: every combination, in one command.
# The command line's NAME=value words are passed on as they were given, so a misspelt one is an error, not
# silently ignored; LANG names the edition here, so the locale's LANG (which make exports) is taken back.
chapter: $(STAMP)
	@env -u LANG $(PY) -m sotebook.site.chapter $(MAKEOVERRIDES)

serve:
	$(PY) -m http.server --bind 127.0.0.1 --directory _build/html 8000

bench: $(STAMP)
	$(PY) benchmarks/bench.py

clean:
	rm -rf _build dist
