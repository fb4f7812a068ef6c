"""The editorial plan: what a kind of page shows and in which order, read from notebooks/<template>.plan.yml
beside its template (which metrics lead a year's sections, head their tables and tell its story, which
charts a section has, the home page's key figures, the trends and background pages' lists).

The plan is neither data (data/clean/ describes the figures; a metric's category is data) nor words
(words/<lang>/ says it): an editor changes it without a dataset release and without touching code.
Each plan is a pydantic model; a bad plan fails with the file, the key path and the value, before the
build executes anything (sotebook/site/build.py) and in the tests (tests/pages/test_plan.py).
"""
from __future__ import annotations

import csv
import re
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal

import yaml
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError, ValidationInfo

from sotebook.pages import yaml_maps
from sotebook.pages.parameters import template_cells
from sotebook.pages.spec import BuildError
from sotebook.paths import CLEAN, NOTEBOOKS, relative

HEADLINE_ROWS = 8  # a headline table carries the story; the full list is in a collapsed block
METRICS_FILE = "data/clean/metrics.csv"
_CHART_CALL = re.compile(r"\bchapter\.(\w+)_chart\(")


class PlanError(BuildError):
    """A plan file is unreadable, or names a metric, key or section the book does not have."""


def _known_metric(value: str, info: ValidationInfo) -> str:
    metrics = (info.context or {}).get("metrics")
    if metrics is not None and value not in metrics:
        raise ValueError(f"{value!r} is not a metric of {METRICS_FILE}")
    return value


def _unique(values: list[str]) -> list[str]:
    twice = sorted({v for v in values if values.count(v) > 1})
    if twice:
        raise ValueError(f"{', '.join(map(repr, twice))} listed twice")
    return values


MetricId = Annotated[str, AfterValidator(_known_metric)]
Metrics = Annotated[list[MetricId], AfterValidator(_unique)]
Chart = Literal["change", "visits", "parts", "nps", "programme", "agency"]


class _Plan(BaseModel):
    model_config = ConfigDict(extra="forbid")


class YearSection(_Plan):
    id: str  # a metric category (data/clean/metrics.csv); the section shows that category's figures
    lead: Metrics = []
    headline: Annotated[Metrics, Field(max_length=HEADLINE_ROWS)] = []
    charts: Annotated[list[Chart], AfterValidator(_unique)] = []


class YearPlan(_Plan):
    sections: list[YearSection]
    story: Metrics
    visits_chart: Metrics
    change_sections: Annotated[list[str], AfterValidator(_unique)]

    @property
    def section_ids(self) -> list[str]:
        return [s.id for s in self.sections]

    def section(self, section_id: str) -> YearSection:
        return next(s for s in self.sections if s.id == section_id)


class HomePlan(_Plan):
    key_figures: Metrics


class TrendsPlan(_Plan):
    eservices: Metrics
    per_resident: Metrics


class BackgroundPlan(_Plan):
    workforce: Metrics


MODELS: dict[str, type[_Plan]] = {"year": YearPlan, "home": HomePlan, "trends": TrendsPlan, "background": BackgroundPlan}


# Which module reads each plan (through year(), home(), trends(), background() below): a notebook whose code
# runs that module depends on the plan (sotebook/site/fingerprint.py); tests/pages/test_plan.py holds the list
# to the calls the modules make.
READERS = {"year": "sotebook.pages.year_chapter", "home": "sotebook.pages.home",
           "trends": "sotebook.pages.trends", "background": "sotebook.pages.background"}


def plan_path(template: str) -> Path:
    """The plan file beside a template: notebooks/year.md -> notebooks/year.plan.yml."""
    return NOTEBOOKS / f"{template}.plan.yml"




def clean_metrics(path: Path = CLEAN / "metrics.csv") -> dict[str, str]:
    """Every metric of the clean dataset, with its category."""
    with path.open(encoding="utf-8", newline="") as handle:
        return {row["metric_id"]: row["category"] for row in csv.DictReader(handle)}


def _key_path(loc: tuple) -> str:
    """('sections', 2, 'headline', 4) -> 'sections[2].headline[4]'."""
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _message(error: dict) -> str:
    where = _key_path(error["loc"]) or "(top)"
    if error["type"] == "extra_forbidden":
        return f"{where}: unknown key {error['loc'][-1]!r} (its value: {error['input']!r})"
    if error["type"] == "missing":
        return f"{where}: missing key"
    if error["type"] == "value_error":
        return f"{where}: {error['ctx']['error']}"
    return f"{where}: {error['input']!r}: {error['msg']}"


def read(kind: str, path: Path | None = None, metrics: dict[str, str] | None = None) -> _Plan:
    """A plan, validated: every metric id a metric of the clean dataset, listed once; PlanError else."""
    path = path or plan_path(kind)
    metrics = clean_metrics() if metrics is None else metrics
    rel = relative(path)
    try:
        tree = yaml_maps.load(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise PlanError(f"cannot read {rel} ({error.strerror}): it says what the {kind} pages show") from None
    except yaml.YAMLError as error:
        raise PlanError(f"{rel}{yaml_maps.problem(error)}") from None
    try:
        plan = MODELS[kind].model_validate(tree, context={"metrics": metrics})
    except ValidationError as error:
        raise PlanError("\n".join(f"{rel}: {_message(e)}" for e in error.errors())) from None
    problems = _year_problems(plan, metrics) if isinstance(plan, YearPlan) else []
    if problems:
        raise PlanError("\n".join(f"{rel}: {p}" for p in problems))
    return plan


def _year_problems(plan: YearPlan, metrics: dict[str, str]) -> list[str]:
    """A section is a category of metrics; its lead and headline metrics are of that category."""
    categories = set(metrics.values())
    ids = plan.section_ids
    problems = [f"sections: {s!r} listed twice" for s in sorted({s for s in ids if ids.count(s) > 1})]
    for n, section in enumerate(plan.sections):
        if section.id not in categories:
            problems.append(f"sections[{n}].id: {section.id!r} is not a category of {METRICS_FILE} "
                            f"({', '.join(sorted(categories))})")
            continue
        for key in ("lead", "headline"):
            problems += [f"sections[{n}].{key}[{i}]: {m!r} is a metric of category {metrics[m]!r}, not {section.id!r}"
                         for i, m in enumerate(getattr(section, key)) if metrics[m] != section.id]
    problems += [f"change_sections[{i}]: {s!r} is not a section of this plan" for i, s in enumerate(plan.change_sections)
                 if s not in ids]
    return problems


@lru_cache(maxsize=None)
def _cached(kind: str) -> _Plan:
    return read(kind)


def year() -> YearPlan:
    return _cached("year")


def home() -> HomePlan:
    return _cached("home")


def trends() -> TrendsPlan:
    return _cached("trends")


def background() -> BackgroundPlan:
    return _cached("background")


def template_sections(template: Path) -> list[tuple[str, bool, list[str]]]:
    """The section blocks of a year template in order: (id, whether its markdown has the `{{ h_<id> }}`
    heading, the charts its cells draw in order)."""
    blocks: dict[str, tuple[bool, list[str]]] = {}
    for cell_type, tags, source in template_cells(template):
        for tag in tags:
            if tag.startswith("section-"):
                section = tag[len("section-"):]
                heading, charts = blocks.setdefault(section, (False, []))
                if cell_type == "markdown":
                    heading = heading or bool(re.search(r"\{\{\s*h_" + re.escape(section) + r"\s*\}\}", source))
                charts += [name for name in _CHART_CALL.findall(source) if cell_type == "code"]
                blocks[section] = (heading, charts)
    return [(s, heading, charts) for s, (heading, charts) in blocks.items()]


def template_problems(plan: YearPlan, plan_file: Path, template: Path) -> list[str]:
    """The template's section blocks are the plan's sections, in its order, each with its heading and charts."""
    found = template_sections(template)
    rel, where = relative(plan_file), relative(template)
    ids = [s for s, _, _ in found]
    if ids != plan.section_ids:
        return [f"{rel}: sections {plan.section_ids} do not match the section blocks of {where} (the `section-<id>` "
                f"tags, in order): {ids}; put the sections in the same order in both"]
    problems = [f"{where}: the block of section {s!r} has no heading {{{{ h_{s} }}}}" for s, heading, _ in found if not heading]
    for n, (section, (s, _, charts)) in enumerate(zip(plan.sections, found)):
        if charts != section.charts:
            problems.append(f"{rel}: sections[{n}].charts: {section.charts} but the block of section {s!r} in {where} "
                            f"draws {charts}")
    return problems


def problems(notebooks: Path = NOTEBOOKS, metrics: dict[str, str] | None = None) -> list[str]:
    """Every plan beside a template, read and checked against the dataset and (the year's) its template."""
    metrics = clean_metrics() if metrics is None else metrics
    found = []
    for kind in MODELS:
        path = notebooks / f"{kind}.plan.yml"
        try:
            plan = read(kind, path, metrics)
        except PlanError as error:
            found += str(error).splitlines()
            continue
        if isinstance(plan, YearPlan):
            found += template_problems(plan, path, notebooks / f"{kind}.md")
    return found


def check(notebooks: Path = NOTEBOOKS) -> None:
    """PlanError naming every problem of every plan: the build runs this before executing anything."""
    found = problems(notebooks)
    if found:
        raise PlanError("\n".join(found))
