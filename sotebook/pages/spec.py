"""What the book is built from: chapters.yml (the editions, the chapters and their templates'
parameters, the hand-written pages), read and checked against the templates and the words.

The site executes what this describes; the pages read it too (the home page links the chapters).
"""
from __future__ import annotations

import re
import string
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from sotebook.pages import words, yaml_maps
from sotebook.pages.words import DEFAULT_LANGUAGE, edition
from sotebook.pages.parameters import template_cells, template_parameters, template_path
from sotebook.paths import BOOK, ROOT, relative
from sotebook.errors import ProjectError

CHAPTERS_FILE = ROOT / "chapters.yml"
_SUBSTITUTION = re.compile(r"\{\{\s*([A-Za-z_]\w*)\s*\}\}")




class BuildError(ProjectError):
    """The build cannot go on; the message says why and what to do."""


class ChapterSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")
    template: str
    output: str
    parameters: dict[str, int | str] = {}
    each: Literal["year"] | None = None
    # What the chapter reads: its year and the one before ("year"), or the whole dataset ("all").
    # The fingerprint covers exactly that, so a chapter re-runs exactly when its data changes.
    reads: Literal["year", "all"] = "all"


class EditionSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")
    lang: str  # a language code with words in words/<lang>/ (fi, sv, en)
    name: str  # the language's name in itself, as the edition switcher shows it


class BookSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")
    editions: list[EditionSpec]
    chapters: list[ChapterSpec]
    pages: list[str] = []

    @property
    def languages(self) -> list[str]:
        return [e.lang for e in self.editions]


def read_template(path: Path):
    """A template as a notebook (jupytext reads the text form)."""
    import jupytext

    nb = jupytext.read(path)
    nb.metadata.pop("jupytext", None)  # the executed notebook is an .ipynb, not a paired text file
    return nb


def read_spec(path: Path = CHAPTERS_FILE) -> BookSpec:
    try:
        spec = BookSpec.model_validate(yaml_maps.load(path.read_text(encoding="utf-8")))
    except yaml.YAMLError as error:
        raise BuildError(f"{path.name}{yaml_maps.problem(error)}") from None
    except ValidationError as error:
        raise BuildError(f"{path.name} is not valid: {error}") from None
    except OSError as error:
        raise BuildError(f"cannot read {relative(path)} ({error.strerror}): it says which chapters to build") from None
    problems = edition_problems(spec, path.name)
    for number, chapter in enumerate(spec.chapters, 1):
        problems += chapter_problems(chapter, f"{path.name} chapter {number} (template {chapter.template})")
    outputs = [c.output for c in spec.chapters]
    problems += [f"{path.name}: output {o!r} is given to two chapters" for o in sorted(set(outputs)) if outputs.count(o) > 1]
    for page in spec.pages:
        for lang in spec.languages:
            if not (BOOK / lang / f"{page}.md").exists():
                problems.append(f"{path.name}: page book/{lang}/{page}.md does not exist (every edition has every page)")
    if problems:
        raise BuildError("\n".join(problems))
    return spec


def edition_problems(spec: BookSpec, where: str) -> list[str]:
    """Every edition has words, and no language is listed twice."""
    langs = spec.languages
    problems = [f"{where}: edition {lang!r} is listed twice" for lang in sorted(set(langs)) if langs.count(lang) > 1]
    have = words.languages()
    problems += [f"{where}: edition {lang!r} has no words: create words/{lang}/ (the book has words for "
                 f"{', '.join(have)})" for lang in langs if lang not in have]
    return problems or ([] if langs else [f"{where}: list at least one edition under `editions`"])


def chapter_problems(chapter: ChapterSpec, where: str) -> list[str]:
    """What is wrong with one chapter of chapters.yml, each message starting with `where`."""
    template = template_path(chapter.template)
    if not template.exists():
        return [f"{where}: template {relative(template)} does not exist"]
    takes = template_parameters(template)
    given = set(chapter.parameters) | ({"year"} if chapter.each == "year" else set()) | {"lang"}
    problems = [f"{where}: parameter {name!r} is not a parameter of {relative(template)} "
                f"(it takes {', '.join(takes) or 'none'})" for name in sorted(given - set(takes))]
    problems += [f"{where}: parameter {name!r} of {relative(template)} is not given" for name in takes if name not in given]
    for name, value in chapter.parameters.items():
        if name == "year" and not (isinstance(value, int) or str(value).isdigit() or value == "latest"):
            problems.append(f"{where}: year {value!r} must be a four-digit year or 'latest'")
    try:
        fields = {field for _, field, _, _ in string.Formatter().parse(chapter.output) if field is not None}
    except ValueError as error:
        return problems + [f"{where}: output {chapter.output!r} is not a name pattern ({error}); write e.g. year_{{year}}"]
    problems += [f"{where}: output {chapter.output!r} names {{{field}}}, which is not a parameter of this chapter"
                 for field in sorted(fields - given)]
    if chapter.each == "year" and "year" not in fields:
        problems.append(f"{where}: output {chapter.output!r} needs {{year}}: one chapter is made for every year")
    problems += [f"{where}: {relative(template)} uses {{{{ {name} }}}} in its text, which is not a parameter of this chapter"
                 for name in sorted(substitutions_used(template) - given - set(edition(DEFAULT_LANGUAGE).section(f"page.{chapter.template}")))]
    return problems


def page_parameters(spec: BookSpec) -> dict[str, set[str]]:
    """The parameters each template's page is given (what its page.<template>.* messages may use)."""
    given: dict[str, set[str]] = {}
    for chapter in spec.chapters:
        names = set(chapter.parameters) | ({"year"} if chapter.each == "year" else set()) | {"lang"}
        given[chapter.template] = given.get(chapter.template, names) & names
    return given


def substitutions_used(template: Path) -> set[str]:
    """The page-level substitutions ({{ name }}) a template's markdown cells use."""
    return {m for cell_type, _, source in template_cells(template) if cell_type == "markdown"
            for m in _SUBSTITUTION.findall(source)}
