"""The columns of every raw and clean table, described once.

The cleaning step checks raw files against these lists, and the Frictionless descriptor of the clean
dataset (data/clean/datapackage.json) is written from them, so the documentation cannot drift from
what the code enforces.
"""
from __future__ import annotations

from sotebook.data.periods import PERIOD_KINDS

UNITS = {
    "count": "a number of things (visits, days of care, people, contracts)",
    "percent": "percentage points (0-100)",
    "eur": "euros",
    "days": "days (a duration)",
    "working_days": "working days (a duration counted in working days only)",
    "minutes": "minutes (a duration)",
    "years": "years",
    "mwh": "megawatt-hours",
    "tonnes": "metric tonnes",
    "t_co2e": "tonnes of carbon dioxide equivalent",
    "nps": "net promoter score points (-100 to +100)",
}
# Units whose values cannot be negative. 'nps' can (a score, and a change in it).
NON_NEGATIVE_UNITS = set(UNITS) - {"nps"}
BOUNDS = {"percent": (0, 100), "nps": (-100, 100)}
# Units whose values are whole numbers: a count of 12.5 visits is a transcription error.
WHOLE_UNITS = {"count"}

CATEGORIES = {
    "residents": "Residents",
    "services": "Services and client encounters",
    "rescue": "Rescue Department",
    "staff": "Staff",
    "finances": "Finances and the transformation programme",
    "procurement": "Procurement and purchases",
    "feedback": "Client feedback and participation",
    "eservices": "E-services and access",
    "sustainability": "Sustainability",
    "organisation": "Organisation",
}

PRINTINGS = ("primary", "restatement")

# name, type, description; a trailing True marks a column that may not be empty.
RAW_FIGURE_COLUMNS = [
    ("metric_id", "string", "Metric id from data/raw/metrics.csv.", True),
    ("year", "integer", "The year the figure describes.", True),
    ("period", "string", "The period the figure covers, as precisely as the source says "
     "(2024, 2024-12-31, 2023-2026, 2025-09/2025-12).", True),
    ("value_as_printed", "string", "The figure exactly as printed, with its qualifier, currency, "
     "scale word and unit.", True),
    ("label_as_printed", "string", "The label or phrase the figure stands with, in the source's language.", True),
    ("section", "string", "The section of the source, by its headings.", True),
    ("printing", "string", "'primary' for the figure's main printing in the source; 'restatement' "
     "for a repeat of it elsewhere in the same source (checked against the primary).", True),
    ("number_format", "string", "Overrides the source language's number format ('en' or 'sv') "
     "where a figure is printed in the other format.", False),
    ("note", "string", "Transcriber's note.", False),
    ("period_kind", "string", "Where the period string cannot tell: 'undated' for a figure the source gives "
     "no date for (period YYYY), 'cumulative' for a running total since a start year (period YYYY-YYYY). "
     "Empty: the kind follows from the period.", False),
    ("basis", "string", "What exactly is counted, where a metric's figures differ in it (granted, used, "
     "permanent_staff); for a stated change, its direction: 'increase' or 'decrease' (empty for a signed figure).", False),
]

METRIC_COLUMNS = [
    ("metric_id", "string", "Readable snake_case id used everywhere from the CSV to the charts.", True),
    ("category", "string", "Chapter section the metric belongs to.", True),
    ("unit", "string", "Unit of the value: " + "; ".join(f"{k} = {v}" for k, v in UNITS.items()) + ".", True),
    ("label_en", "string", "Label in English.", True),
    ("label_fi", "string", "Label in Finnish.", True),
    ("label_sv", "string", "Label in Swedish.", True),
    ("description", "string", "What the metric counts.", True),
    ("description_fi", "string", "What the metric counts, in Finnish.", True),
    ("description_sv", "string", "What the metric counts, in Swedish.", True),
    ("part_of", "string", "The total this metric is a part of: the parts of a total must sum to it.", False),
    ("share_numerator", "string", "For a share: the metric whose share it is.", False),
    ("share_base", "string", "For a share: the metric it is a share of.", False),
    ("change_of", "string", "For a stated change: the metric whose change from the year before it states.", False),
    ("interval_of", "string", "For an average interval in minutes: the yearly count it is derived from.", False),
    ("not_above", "string", "A metric this one cannot exceed in the same year and source.", False),
    ("series_break_year", "integer", "First year that must not be compared with the year before.", False),
    ("series_break_note", "string", "What changed at the series break.", False),
    ("series_break_note_fi", "string", "What changed at the series break, in Finnish; given exactly when series_break_note is.", False),
    ("series_break_note_sv", "string", "What changed at the series break, in Swedish; given exactly when series_break_note is.", False),
    ("role", "string", "'target' (compared with its measure, not with last year's target), 'definition' (a constant "
     "of a measure or of the organisation, never compared) or empty (a measured figure).", False),
]
ROLES = ("", "target", "definition")
# What a page shows and in which order (the sections of a year chapter, the metrics that lead them, head
# their tables, tell the story or are key figures) is the book's plan, not data: notebooks/*.plan.yml.

SOURCE_COLUMNS = [
    ("source_id", "string", "Source id.", True),
    ("title", "string", "Title of the source document, as printed.", True),
    ("title_en", "string", "The title in English: as printed for an English document, else the project's translation.", True),
    ("title_fi", "string", "The title in Finnish (the project's translation: no source is in Finnish).", True),
    ("title_sv", "string", "The title in Swedish: as printed for a Swedish document, else the project's translation.", True),
    ("language", "string", "Language of the document: 'en' or 'sv'; sets the number format.", True),
    ("publisher", "string", "Who published it.", True),
    ("publisher_fi", "string", "Who published it, in Finnish.", True),
    ("publisher_sv", "string", "Who published it, in Swedish.", True),
    ("document_type", "string", "Annual review, news article or web page.", True),
    ("document_type_fi", "string", "The kind of document, in Finnish.", True),
    ("document_type_sv", "string", "The kind of document, in Swedish.", True),
    ("covers", "string", "The years the document describes, in words.", True),
    ("covers_fi", "string", "The years the document describes, in Finnish words.", True),
    ("covers_sv", "string", "The years the document describes, in Swedish words.", True),
    ("covers_from", "integer", "The first year the document reports figures for.", True),
    ("covers_to", "integer", "The last year the document reports figures for: a figure's year must lie "
     "between covers_from and covers_to.", True),
    ("seed_file", "string", "File name of the text copy the figures were transcribed from.", True),
    ("attribution", "string", "How the source is credited.", True),
    ("attribution_fi", "string", "How the source is credited, in Finnish.", True),
    ("attribution_sv", "string", "How the source is credited, in Swedish.", True),
    ("not_transcribed", "string", "Numbers in the document deliberately not transcribed as figures, and why.", True),
    ("not_transcribed_fi", "string", "The numbers not transcribed, and why, in Finnish.", True),
    ("not_transcribed_sv", "string", "The numbers not transcribed, and why, in Swedish.", True),
]

FIGURE_COLUMNS = [
    ("source_id", "string", "Source the figure is printed in (sources.csv).", True),
    ("metric_id", "string", "Metric (metrics.csv).", True),
    ("year", "integer", "The year the figure describes.", True),
    ("period", "string", "The period the figure covers.", True),
    ("period_kind", "string", "Kind of period: " + "; ".join(f"{k} = {v}" for k, v in PERIOD_KINDS.items())
     + ". Only figures of the same kind (and the same month, season or length) are compared.", True),
    ("value", "number", "The value in the metric's unit, in base units (euros, not millions).", True),
    ("value_low", "number", "Lowest true value the printed figure allows (its rounding, widened by "
     "'under' or 'about').", True),
    ("value_high", "number", "Highest true value the printed figure allows; empty when it sets no upper "
     "bound ('over').", False),
    ("unit", "string", "Unit, from the metric dictionary.", True),
    ("basis", "string", "What exactly is counted where a metric's figures differ in it (granted, used, "
     "permanent_staff); for a stated change, 'increase' or 'decrease'. Figures of different bases are not compared.", False),
    ("qualifier", "string", "'over', 'under' or 'about' where the source qualifies the number; empty when exact as printed.", False),
    ("value_as_printed", "string", "The figure exactly as printed; empty for a derived figure.", False),
    ("label_as_printed", "string", "The label it stands with, in the source's language; empty for a derived figure.", False),
    ("section", "string", "Section of the source.", True),
    ("passage", "string", "The sentence of the source's text that states the figure, as printed (white space "
     "made single): for a table or a list in the source, its row or item; found in the text by `make data`, "
     "in the section recorded. Empty for a derived figure.", False),
    ("passage_section", "string", "The headings the passage stands under in the source's text, outermost "
     "first, joined by ' > '; empty for a derived figure and in a document without headings.", False),
    ("note", "string", "Transcriber's note.", False),
    ("derivation", "string", "For a figure no source prints but a stated change implies: how it was "
     "computed, from which printed figures. Empty for a printed figure.", False),
]

RECONCILIATION_COLUMNS = [
    ("check_id", "string", "Stable id of the check.", True),
    ("check", "string", "Kind of check: parts_total, share, cross_source, restatement, stated_change, "
     "interval, not_above.", True),
    ("metric_id", "string", "Metric the check is about.", True),
    ("year", "integer", "Year checked.", True),
    ("source_id", "string", "Source of the checked figure.", True),
    ("compared_with", "string", "What the figure was compared with.", True),
    ("printed", "string", "The checked figure as printed.", True),
    ("expected_low", "number", "Lowest value the comparison allows.", False),
    ("expected_high", "number", "Highest value the comparison allows.", False),
    ("result", "string", "'pass' or 'known discrepancy'.", True),
    ("explanation", "string", "What was compared, and for a known discrepancy why it stands.", True),
    ("known_explanation", "string", "For a known discrepancy: why it stands (the end of explanation); empty for a pass.", False),
    ("known_explanation_fi", "string", "For a known discrepancy: why it stands, in Finnish; empty for a pass.", False),
    ("known_explanation_sv", "string", "For a known discrepancy: why it stands, in Swedish; empty for a pass.", False),
]

FACT_TABLES = {
    "headings": [
        ("source_id", "string", "Source.", True),
        ("heading", "string", "A heading of the source as printed, one level of a `section` path (the parts between ' > ').", True),
        ("heading_en", "string", "The heading in English: as printed for an English source, else the project's translation.", True),
        ("heading_fi", "string", "The heading in Finnish (the project's translation).", True),
        ("heading_sv", "string", "The heading in Swedish: as printed for a Swedish source, else the project's translation.", True),
    ],
    "timeline": [
        ("start", "string", "When the event began: YYYY, YYYY-MM or YYYY-MM-DD.", True),
        ("end", "string", "When it ended, in the same form.", True),
        ("date_as_printed", "string", "The date as the source prints it.", True),
        ("event", "string", "What happened, in the project's own words (English).", True),
        ("event_fi", "string", "The event in Finnish.", True),
        ("event_sv", "string", "The event in Swedish.", True),
        ("source_id", "string", "Source.", True),
        ("section", "string", "Section of the source.", True),
    ],
    "spearheads": [
        ("number", "integer", "Number of the spearhead in the source's list.", True),
        ("spearhead", "string", "The spearhead's name as printed (English).", True),
        ("spearhead_fi", "string", "The spearhead's name in Finnish (the English page translates a Finnish original).", True),
        ("spearhead_sv", "string", "The spearhead's name in Swedish.", True),
        ("source_id", "string", "Source.", True),
        ("section", "string", "Section of the source.", True),
    ],
    "highlights": [
        ("year", "integer", "Year.", True),
        ("kind", "string", "top_success, new_service, service_change, technology or development.", True),
        ("rank", "integer", "Order in the source's list.", True),
        ("highlight", "string", "What was achieved or launched, in the project's own words (English); names as printed.", True),
        ("highlight_fi", "string", "The highlight in Finnish.", True),
        ("highlight_sv", "string", "The highlight in Swedish.", True),
        ("source_id", "string", "Source.", True),
        ("section", "string", "Section of the source.", True),
    ],
    "departments": [
        ("department_id", "string", "Department id, as in the staff metrics.", True),
        ("name_en", "string", "Name in English.", True),
        ("name_fi", "string", "Name in Finnish.", True),
        ("name_sv", "string", "Name in Swedish.", True),
        ("head_title", "string", "Title of the department's head, as printed.", True),
        ("head", "string", "Head of the department.", True),
        ("units_en", "string", "Units of the department in English, separated by semicolons, in the order of units_sv "
         "(the project's translation of the Swedish chart).", True),
        ("units_fi", "string", "Units of the department in Finnish, separated by semicolons, in the order of units_sv "
         "(the project's translation of the Swedish chart).", True),
        ("units_sv", "string", "Units of the department in Swedish, separated by semicolons, as printed.", True),
        ("source_id", "string", "Source.", True),
        ("note", "string", "Note.", False),
    ],
    "roles": [
        ("role", "string", "Role, in English.", True),
        ("role_fi", "string", "Role in Finnish.", True),
        ("role_sv", "string", "Role in Swedish.", True),
        ("name", "string", "Person.", True),
        ("start", "string", "From (YYYY or YYYY-MM), if stated.", False),
        ("end", "string", "Until (YYYY or YYYY-MM), if stated.", False),
        ("date_as_printed", "string", "The dates as printed.", False),
        ("source_id", "string", "Source.", True),
        ("section", "string", "Section of the source.", True),
    ],
    "explanations": [
        ("explanation_id", "string", "Stable id of the explanation (<metric_id>_<year>_<explains>, with _2 for a second "
         "one); the book tells it in its own words under this id (words/<lang>/explanations.yml).", True),
        ("metric_id", "string", "The metric whose change, result or level the source explains (metrics.csv).", True),
        ("year", "integer", "The year explained.", True),
        ("explains", "string", "What is explained: 'change' (why a figure rose or fell), 'result' (what produced "
         "an outcome, or whether a target was met) or 'level' (why a figure stands where it does).", True),
        ("explanation", "string", "What the source says caused the figure or change, as one plain statement in "
         "English (the project's own words).", True),
        ("source_id", "string", "Source.", True),
        ("section", "string", "Section of the source.", True),
    ],
    "operating_models": [
        ("operating_model", "string", "Operating model, in English as printed.", True),
        ("operating_model_fi", "string", "Operating model in Finnish.", True),
        ("operating_model_sv", "string", "Operating model in Swedish.", True),
        ("service", "string", "A service the model brings together, in English as printed.", True),
        ("service_fi", "string", "The service in Finnish.", True),
        ("service_sv", "string", "The service in Swedish.", True),
        ("source_id", "string", "Source.", True),
        ("section", "string", "Section of the source.", True),
    ],
}

KNOWN_DISCREPANCY_COLUMNS = [
    ("check_id", "string", "Id of a reconciliation check that fails.", True),
    ("printed", "string", "The checked figure as printed when the discrepancy was explained.", True),
    ("expected_low", "number", "The lowest value the comparison allowed then (empty for none), "
     "as in the reconciliation report.", False),
    ("expected_high", "number", "The highest value the comparison allowed then (empty for none).", False),
    ("explanation", "string", "Why the discrepancy stands.", True),
    ("explanation_fi", "string", "Why the discrepancy stands, in Finnish.", True),
    ("explanation_sv", "string", "Why the discrepancy stands, in Swedish.", True),
]


def names(columns) -> list[str]:
    return [c[0] for c in columns]


# A transcription marks a figure printed in a heading itself with this after the heading's name.
IN_HEADING = " (heading)"


def section_headings(section: str) -> list[str]:
    """The headings of a `section` path as printed, outermost first: 'Ekonomin i balans > Förändringsprogrammet
    nådde målet' -> both; 'För ett gott liv (heading)' -> 'För ett gott liv' (the mark is the transcriber's)."""
    return [h.removesuffix(IN_HEADING) for h in (section or "").split(" > ") if h]

