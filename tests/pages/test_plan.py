"""The editorial plans beside the templates (notebooks/*.plan.yml): valid, and a bad one is named by file, key and value."""
import shutil
from pathlib import Path

import pytest
import yaml

from sotebook.data.dataset import load
from sotebook.pages import plan
from sotebook.pages import figures
from sotebook.pages import year_chapter as chapter
from sotebook.paths import CLEAN, NOTEBOOKS
from sotebook.pages.words import edition

EN = edition("en")  # the English edition's words


def test_every_plan_is_valid_and_matches_its_template():
    assert plan.problems() == []


def test_the_published_dictionary_carries_no_editorial_column():
    header = (CLEAN / "metrics.csv").read_text(encoding="utf-8").splitlines()[0].split(",")
    assert not {"lead", "headline", "key_figure", "story", "chart_visits"} & set(header)


def test_the_year_chapter_reads_its_sections_from_the_plan():
    assert chapter.sections() == [s["id"] for s in yaml.safe_load((NOTEBOOKS / "year.plan.yml").read_text())["sections"]]


@pytest.fixture
def notebooks(tmp_path) -> Path:
    """A copy of notebooks/ (templates and plans) to spoil."""
    return Path(shutil.copytree(NOTEBOOKS, tmp_path / "notebooks"))


def edit(path: Path, change) -> None:
    tree = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(tree)
    path.write_text(yaml.safe_dump(tree, sort_keys=False), encoding="utf-8")


def problems_of(notebooks: Path) -> str:
    return "\n".join(plan.problems(notebooks))


def test_a_misspelt_metric_is_named_by_file_key_and_value(notebooks):
    edit(notebooks / "year.plan.yml", lambda t: t["sections"][2]["headline"].__setitem__(4, "nurse_visitz"))
    assert "year.plan.yml: sections[2].headline[4]: 'nurse_visitz' is not a metric of data/clean/metrics.csv" \
        in problems_of(notebooks)


def test_an_unknown_key_is_named(notebooks):
    edit(notebooks / "home.plan.yml", lambda t: t.update(key_figure=["nps"]))
    assert "home.plan.yml: key_figure: unknown key 'key_figure' (its value: ['nps'])" in problems_of(notebooks)


def test_a_section_key_misspelt_is_named(notebooks):
    edit(notebooks / "year.plan.yml", lambda t: t["sections"][0].__setitem__("leads", t["sections"][0].pop("lead")))
    assert "year.plan.yml: sections[0].leads: unknown key 'leads' (its value: ['residents'])" in problems_of(notebooks)


def test_a_metric_listed_twice_is_named(notebooks):
    edit(notebooks / "trends.plan.yml", lambda t: t["eservices"].append("maisa_contacts"))
    assert "trends.plan.yml: eservices: 'maisa_contacts' listed twice" in problems_of(notebooks)


def test_a_headline_longer_than_a_table_is_named(notebooks):
    def lengthen(tree):
        services = tree["sections"][1]
        services["headline"].append("disability_services_clients")
    edit(notebooks / "year.plan.yml", lengthen)
    found = problems_of(notebooks)
    assert "year.plan.yml: sections[1].headline: [" in found and "'disability_services_clients']" in found
    assert f"at most {plan.HEADLINE_ROWS} items" in found


def test_a_metric_of_another_section_is_named(notebooks):
    edit(notebooks / "year.plan.yml", lambda t: t["sections"][0]["lead"].append("nps"))
    assert "year.plan.yml: sections[0].lead[1]: 'nps' is a metric of category 'feedback', not 'residents'" \
        in problems_of(notebooks)


def test_sections_in_another_order_than_the_templates_are_named(notebooks):
    def swap(tree):
        tree["sections"][1], tree["sections"][2] = tree["sections"][2], tree["sections"][1]
    edit(notebooks / "year.plan.yml", swap)
    found = problems_of(notebooks)
    assert "year.plan.yml: sections ['residents', 'rescue', 'services'," in found
    assert "do not match the section blocks of" in found and "year.md" in found
    assert "['residents', 'services', 'rescue'," in found


def test_a_template_section_without_its_heading_is_named(notebooks):
    template = notebooks / "year.md"
    template.write_text(template.read_text(encoding="utf-8").replace("## {{ h_rescue }}", "## Rescue"), encoding="utf-8")
    assert "the block of section 'rescue' has no heading {{ h_rescue }}" in problems_of(notebooks)


def test_a_chart_the_plan_does_not_list_is_named(notebooks):
    edit(notebooks / "year.plan.yml", lambda t: t["sections"][1].__setitem__("charts", ["visits"]))
    assert "year.plan.yml: sections[1].charts: ['visits'] but the block of section 'services'" in problems_of(notebooks)


def test_the_build_stops_at_a_bad_plan_before_executing(notebooks):
    edit(notebooks / "background.plan.yml", lambda t: t["workforce"].__setitem__(0, "staff_totl"))
    with pytest.raises(plan.PlanError, match=r"background.plan.yml: workforce\[0\]: 'staff_totl' is not a metric"):
        plan.check(notebooks)


def test_the_plans_order_is_the_order_on_the_page():
    """The key figures and a section's lead sentences follow the plan, not the dictionary."""
    data = load()
    year = data.years[-1]
    assert [c.metric_id for c in figures.planned(figures.comparisons(EN, data, year), ["nps", "residents"])] == ["nps", "residents"]
    lead = plan.year().section("services").lead
    rows = chapter.section_rows(EN, data, year, "services")
    assert [c.metric_id for c in figures.planned(rows, lead)] == [m for m in lead if m in {c.metric_id for c in rows}]


def test_every_module_that_reads_a_plan_is_its_reader():
    """The fingerprint re-executes the notebooks whose code reads a plan (plan.READERS): every call to a plan
    in the page code must be in that list, or a plan edit would leave a notebook stale."""
    import re

    from sotebook.paths import ROOT

    calls = set()
    for path in (ROOT / "sotebook" / "pages").glob("*.py"):
        module = f"sotebook.pages.{path.stem}"
        for kind in re.findall(r"\bplan\.(year|home|trends|background)\(\)", path.read_text(encoding="utf-8")):
            calls.add((kind, module))
    assert calls and calls <= set(plan.READERS.items()), sorted(calls - set(plan.READERS.items()))
    assert {kind for kind, _ in calls} == set(plan.READERS)
