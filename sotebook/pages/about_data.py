"""What "About the data" says: the sources, the dataset in numbers, the metric dictionary, the series breaks,
every reconciliation check, and the release with its downloads and checksums."""
from __future__ import annotations

import hashlib
import html

import pandas as pd

from sotebook.data.dataset import BookData
from sotebook.pages import text
from sotebook.pages.figures import date_text, short_source, source_languages
from sotebook.pages.markup import HTMLBlock, table
from sotebook.pages.numbers import Count
from sotebook.pages.series import column_names, joined, label_column
from sotebook.pages.figures import without_ids
from sotebook.pages.words import Words


def _word_or_value(words: Words, prefix: str, value: str) -> str:
    """A coded value in words if the words file has it (`language.sv` -> 'Swedish'), else as it is."""
    key = f"{prefix}.{str(value).replace(' ', '_')}"
    return words.say(key) if words.has(key) else value


def sources_table(words: Words, data: BookData):
    s = data.sources
    counts = data.figures.groupby("source_id").size()
    source, original, language, kind, covers, figures, left_out = column_names(words,
        "about_data.sources", "source", "original_title", "language", "type", "covers", "figures", "not_transcribed")
    # Each document by its title in the edition's language, and beside it the title as printed.
    frame = pd.DataFrame({source: s[f"title_{words.language()}"], original: s.title,
                          language: [_word_or_value(words, "language", v) for v in s.language],
                          kind: [_word_or_value(words, "about_data.document_type", v) for v in s.document_type],
                          covers: s[words.column("covers")], figures: [int(counts.get(i, 0)) for i in s.source_id],
                          left_out: s[words.column("not_transcribed")]})
    return table(words, frame, words.say("about_data.sources.caption", count=len(s)), langs={original: list(s.language)})


def dataset_sentence(words: Words, data: BookData) -> str:
    rec = data.reconciliation
    known = int((rec.result == "known discrepancy").sum())
    return words.say("about_data.dataset_sentence", figures=Count(words, len(data.figures)),
                     metrics=Count(words, len(data.metrics)), sources=Count(words, len(data.sources)),
                     years=joined(words, data.years), checks=Count(words, len(rec)), passed=Count(words, len(rec) - known),
                     known=Count(words, known))


def dictionary_table(words: Words, data: BookData):
    m = data.metrics
    metric_id, english, finnish, swedish, unit, what = column_names(words, 
        "about_data.dictionary", "metric_id", "label_en", "label_fi", "label_sv", "unit", "description")
    frame = pd.DataFrame({metric_id: m.metric_id, english: m.label_en, finnish: m.label_fi, swedish: m.label_sv,
                          unit: [_word_or_value(words, "about_data.unit", u) for u in m.unit], what: m[words.column("description")]})
    rows = len(m)
    return table(words, frame, words.say("about_data.dictionary.caption"),
                 langs={english: ["en"] * rows, finnish: ["fi"] * rows, swedish: ["sv"] * rows})


def breaks_table(words: Words, data: BookData):
    m = data.metrics[data.metrics.series_break_year != ""]
    metric, since, why = column_names(words, "about_data.breaks", "metric", "since", "why")
    frame = pd.DataFrame({metric: m[label_column(words)], since: m.series_break_year, why: m[words.column("series_break_note")]})
    return table(words, frame, words.say("about_data.breaks.caption"))


def _check_explanations(words: Words, data: BookData, rec: pd.DataFrame) -> list[str]:
    """What each check compared: the dataset's own sentence in English; in the other editions the range
    the check allowed and, for a known discrepancy, why it stands."""
    if words.language() == words.DEFAULT_LANGUAGE:
        return [without_ids(words, data, e) for e in rec.explanation]
    allowed = [words.say("about_data.checks.allowed", low=text.number(words, float(lo)), high=text.number(words, float(hi)))
               if lo and hi else "" for lo, hi in zip(rec.expected_low, rec.expected_high)]
    return [" ".join(p for p in (a, k) if p) for a, k in zip(allowed, rec[words.column("known_explanation")])]


def reconciliation_table(words: Words, data: BookData, known: bool):
    """The known discrepancies, or the checks that pass: the caption says which, so no column repeats it."""
    rec = data.reconciliation
    rec = rec[(rec.result == "known discrepancy") == known]
    labels = data.metrics.set_index("metric_id")[label_column(words)]
    check, metric, year, source, printed, why = column_names(words, 
        "about_data.checks", "check", "metric", "year", "source", "printed", "explanation")
    frame = pd.DataFrame({check: [_word_or_value(words, "about_data.check_kind", c) for c in rec.check],
                          metric: [labels[m] for m in rec.metric_id], year: rec.year,
                          source: [short_source(words, s) for s in rec.source_id], printed: rec.printed,
                          why: _check_explanations(words, data, rec)})
    languages = source_languages()
    return table(words, frame, words.say("about_data.checks.caption_known" if known else "about_data.checks.caption_pass"),
                 langs={printed: [languages.get(sid, "en") for sid in rec.source_id]})


def release_block(words: Words, downloads: str = "../data/") -> HTMLBlock:
    """For "About the data": the dataset's version, its changes since the previous release and the
    downloads with their sizes and SHA-256 checksums."""
    from sotebook.data.release import build_zip, manifest, previous_release, sha256sums

    current = manifest()
    name, data = build_zip()
    parts = [f"<p>{words.say('about_data.release.version', version=html.escape(current['version']), date=date_text(words, current['created'][:10]))}</p>",
             _release_changes(words, current, previous_release(current))]
    sums = sha256sums({name: data}).encode()
    rows = [(name, len(data), hashlib.sha256(data).hexdigest()), ("SHA256SUMS", len(sums), hashlib.sha256(sums).hexdigest())]
    head = "".join(f'<th scope="col">{html.escape(words.say(f"about_data.release.{c}"))}</th>' for c in ("file", "bytes", "sha256"))
    body = "".join(f'<tr><td><a href="{html.escape(downloads + f)}">{html.escape(f)}</a></td><td class="sotebook-num">{text.number(words, size)}</td>'
                   f'<td><code class="sotebook-checksum">{digest}</code></td></tr>' for f, size, digest in rows)
    parts.append(f'<table class="sotebook-table__table"><caption>{html.escape(words.say("about_data.release.downloads"))}</caption>'
                 f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>")
    parts.append(f"<p>{words.say('about_data.release.check')}</p>")
    return HTMLBlock("\n".join(parts))


def _release_changes(words: Words, current: dict, previous: dict | None) -> str:
    from sotebook.data.release import changed_resources, figure_changes

    if previous is None:
        return f"<p>{html.escape(words.say('about_data.release.first'))}</p>"
    changes = figure_changes(previous, current)
    tables = ", ".join(changed_resources(previous, current)) or words.say("number.missing")
    head = f"<p>{html.escape(words.say('about_data.release.since', version=previous['version'], count=text.number(words, len(changes)), tables=tables))}</p>"
    if not changes:
        return head
    labels = data_labels(words)
    frame = pd.DataFrame({words.say(f"about_data.release.{c}"): v for c, v in (
        ("metric", [labels.get(c.metric_id, c.metric_id) for c in changes]), ("year", [str(c.year) for c in changes]),
        ("source", [short_source(words, c.source_id) for c in changes]), ("before", [c.old or "–" for c in changes]),
        ("now", [c.new or "–" for c in changes]))})
    return head + table(words, frame, words.say("about_data.release.changed")).markup


def data_labels(words: Words) -> dict[str, str]:
    """Metric labels in the edition's language, by metric id, from the clean dictionary."""
    from sotebook.data.dataset import _read

    metrics = _read("metrics")
    return dict(zip(metrics.metric_id, metrics[label_column(words)]))


def columns_table(words: Words, resource: str):
    """The columns of a table of the dataset as datapackage.json lists them, each with what it holds in the
    edition's words (about_data.columns.<resource>.<column>; the descriptor's own descriptions are English)."""
    import json

    from sotebook.data.dataset import clean_folder

    descriptor = json.loads((clean_folder() / "datapackage.json").read_text(encoding="utf-8"))
    fields = next(r for r in descriptor["resources"] if r["name"] == resource)["schema"]["fields"]
    frame = pd.DataFrame({
        words.say("about_data.columns.column"): [f["name"] for f in fields],
        words.say("about_data.columns.holds"): [words.say(f"about_data.columns.{resource}.{f['name']}") for f in fields],
    })
    return table(words, frame, words.say("about_data.columns.caption", file=f"{resource}.csv"))
