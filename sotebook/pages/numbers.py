"""The grammar of numbers in each edition: a unit's singular or plural, a range, a date range, and a small
count in running text. Each function takes the edition's `Words` first and returns text ready for a page.

Which of these a sentence needs:

- a count in running text ("viisi uutta palvelua", "five new services"): `count_in_text(words, 5)`, or, to let
  each language's message choose the form, `Count(words, 5)` as the placeholder's value: the message writes
  `{count}`, or `{count:elative}` in Finnish ("viidestä lähteestä"), `{count:neuter}` in Swedish ("ett mått");
- a sentence whose words follow the count ("One new service opened" / "5 new services opened"):
  `say_count(words, "story.new_services", n)`, with `_one`/`_other` messages and `{count}` in them;
- a unit whose form follows the number ("1 miljoona", "2,5 miljoonaa"; "1 dag", "2 dagar"):
  `with_unit(words, value, "unit.days")`, which picks the message `unit.days_one` or `unit.days_other`
  by the language's plural rules (CLDR, through Babel), never by `n == 1`;
- a range of numbers ("4–6", signed "+16 – +35"; English "4 to 6"): `number_range(words, low, high)`;
- a range of dates ("syys–joulukuu 2025", "september–december 2025", "2023–2025"):
  `date_range(words, "2025-09", "2025-12")`.

The style followed, for each edition:

- **Finnish**: Kielitoimiston ohjepankki. Small numbers, one to ten, are written in words in running text
  (numbers in tables, with units and in comparisons stay digits); a range takes an en dash without spaces
  ("4–6", "2023–2025"), and spaces round it when an end carries a sign ("+4 – +6") or is more than one word
  ("1. kesäkuuta 2025 – 31. toukokuuta 2029"); months of one year share the year and the first month drops
  its "-kuu" ("syys–joulukuu 2025").
- **Swedish**: Språkrådet's Svenska skrivregler and the Institute for the Languages of Finland: small
  numbers, here one to ten as in the Finnish edition (the guides give "up to twelve" as a common limit),
  in words in running text; an en dash in a range ("4–6", "september–december 2025"), spaced when an end
  carries a sign or is more than one word.
- **English**: the UK Office for National Statistics' style: one to nine in words in running text, "to"
  in a range of numbers in text ("4 to 6"), an en dash between years and months ("2023–2025",
  "September–December 2025").

Spelled-out numbers come from ICU's rule-based number format (PyICU), which also has the Finnish cases
("viidessä", `count_in_text(words, 5, form="inessive")`) and the Swedish neuter ("ett", `form="neuter"`).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from babel import Locale

from sotebook.data.parse import MINUS, format_number
from sotebook.errors import ProjectError
from sotebook.pages.words import Words

# Babel's and ICU's locale for each edition: Finland's Finnish and Swedish, British English (en_FI would
# format like Finnish).
LOCALES = {"en": "en_GB", "fi": "fi_FI", "sv": "sv_FI"}
# The largest count written in words in running text, per the style each edition follows (see above).
SPELLED_OUT_UP_TO = {"fi": 10, "sv": 10, "en": 9}


class NumberGrammarError(ProjectError):
    """A number cannot be written as asked (an unknown spelled-out form, a date that is not one)."""


def locale_of(words: Words) -> str:
    """The edition's Babel locale: 'fi_FI', 'sv_FI', 'en_GB'."""
    return LOCALES.get(words.language(), words.language())


def _digits(words: Words, value, decimals: int | None = None) -> str:
    return format_number(value, decimals, locale_of(words))


def plural_category(words: Words, value, decimals: int | None = None) -> str:
    """The CLDR plural category of a number as the edition prints it ('one', 'other', ...), from Babel's
    plural rules: Finnish 1 -> 'one', 1,5 -> 'other'; a number printed with decimals ('1,0') is 'other'."""
    printed = re.sub(r"\s", "", _digits(words, value, decimals)).replace(MINUS, "-")
    mark = format_number(0.5, 1, locale_of(words))[1]  # the edition's decimal mark: '.' or ','
    plain = printed.replace("." if mark == "," else ",", "").replace(mark, ".")
    return Locale.parse(locale_of(words)).plural_form(Decimal(plain))


def with_unit(words: Words, value, key: str, decimals: int | None = None, **fields) -> str:
    """A number and its unit in the form the number takes: `with_unit(words, 1, "unit.days")` says the
    message `unit.days_one` ("1 päivä"), `with_unit(words, 2.5, "number.million")` `number.million_other`
    ("2,5 miljoonaa"). The words give one message per plural category of the language, `{value}` the number."""
    category = plural_category(words, value, decimals)
    return words.say(f"{key}_{category}", value=_digits(words, value, decimals), **fields)


def plural_forms(words: Words, key: str) -> dict[str, str]:
    """Each plural category's message of `key` with `{value}` left in it: {'one': '{value} miljoona', ...}.
    For a chart, whose labels are written when it is drawn (charts.py)."""
    return {category: words.say(f"{key}_{category}", value="{value}")
            for category in Locale.parse(locale_of(words)).plural_form.tags | {"other"}}


@lru_cache(maxsize=None)
def _spellout(locale: str):
    import icu

    return icu.RuleBasedNumberFormat(icu.URBNFRuleSetTag.SPELLOUT, icu.Locale(locale))


def spelled_out(words: Words, n: int, form: str = "") -> str:
    """A whole number in words, as ICU's spell-out rules for the language write it: 5 -> 'viisi', 'fem',
    'five'. `form` picks one of the language's forms: Finnish cases ('genitive', 'partitive', 'inessive',
    ...), Swedish 'neuter' ('ett') or 'reale' ('en', the default)."""
    default = {"sv": "reale"}.get(words.language(), "")
    rules = _spellout(locale_of(words))
    name = "%spellout-cardinal" + (f"-{form or default}" if form or default else "")
    names = [rules.getRuleSetName(i) for i in range(rules.getNumberOfRuleSetNames())]
    if name not in names:
        forms = sorted(n.removeprefix("%spellout-cardinal-") for n in names if n.startswith("%spellout-cardinal-"))
        raise NumberGrammarError(f"spelled-out form {form!r} is not one of the {words.language()} edition's: "
                                 f"{', '.join(forms) or 'none (leave form empty)'}")
    return rules.format(int(n), name)


def count_forms(lang: str) -> set[str]:
    """The forms `spelled_out` knows for a language, as a message names them after a colon: Finnish cases
    ('elative', 'inessive', ...), Swedish 'neuter' and 'reale'."""
    rules = _spellout(LOCALES.get(lang, lang))
    names = (rules.getRuleSetName(i) for i in range(rules.getNumberOfRuleSetNames()))
    return {n.removeprefix("%spellout-cardinal-") for n in names if n.startswith("%spellout-cardinal-")}


def count_in_text(words: Words, n, form: str = "") -> str:
    """A count in running text: in words up to the edition's limit (ten in Finnish and Swedish, nine in
    English), digits above it or for a number that is not whole. `form` as in `spelled_out`
    ("viidessä": `count_in_text(words, 5, form="inessive")`)."""
    value = float(n)
    if value.is_integer() and 1 <= value <= SPELLED_OUT_UP_TO.get(words.language(), 0):
        return spelled_out(words, int(value), form)
    return _digits(words, n)


@dataclass(frozen=True)
class Count:
    """A count as a message's placeholder value, written as `count_in_text` writes it, in the form the message
    asks for after a colon: with `count=Count(words, 5)`, "{count} palvelua" -> "viisi palvelua",
    "{count:elative} lähteestä" -> "viidestä lähteestä", Swedish "{count:neuter} mått" -> "fem mått"."""

    words: Words
    n: int

    def __format__(self, form: str) -> str:
        return count_in_text(self.words, self.n, form)

    def __str__(self) -> str:
        return count_in_text(self.words, self.n)


def say_count(words: Words, key: str, n: int, **fields) -> str:
    """The message of `key` for the plural category of `n` (`key_one`, `key_other`, by Babel's rules), with
    `{count}` the count in running text (`Count`): `say_count(words, "story.new_services", 5, new=...)` ->
    "Vuoden aikana avattiin viisi uutta palvelua; …"."""
    return words.say(f"{key}_{plural_category(words, n)}", count=Count(words, int(n)), **fields)


def number_range(words: Words, low, high, decimals: int | None = None, signed: bool = False) -> str:
    """A range of numbers: '4–6' in Finnish and Swedish, '4 to 6' in English; with signs ('+16 – +35',
    '+16 to +35') when `signed` or an end is negative, the dash then spaced. Equal ends give one number."""
    def fmt(value):
        text = _digits(words, value, decimals)
        return "+" + text if signed and not text.startswith(MINUS) and float(value) != 0 else text

    first, last = fmt(low), fmt(high)
    if first == last:
        return first
    has_sign = any(t[:1] in ("+", MINUS) for t in (first, last))
    return words.say("number.signed_range" if has_sign else "number.range", low=first, high=last)


def _date_parts(date: str) -> tuple[int, int | None, int | None]:
    try:
        parts = [int(p) for p in str(date).split("-")]
    except ValueError:
        parts = []
    if not 1 <= len(parts) <= 3:
        raise NumberGrammarError(f"date {date!r} is not a year, a month or a day (2025, 2025-09, 2025-09-01)")
    return parts[0], parts[1] if len(parts) > 1 else None, parts[2] if len(parts) > 2 else None


def date_text(words: Words, date: str) -> str:
    """'2025-02-01' -> '1 February 2025'; '2025-03' -> 'March 2025'; '2025' -> '2025'."""
    year, month, day = _date_parts(date)
    if month is None:
        return words.say("date.year", year=year)
    if day is None:
        return words.say("date.month", month=words.say(f"month.{month}"), year=year)
    return words.say("date.day", day=day, month=words.say(f"month.{month}"), year=year)


def date_range(words: Words, start: str, end: str, month_phrase: str = "date.month") -> str:
    """A range of dates in the language's short form: years '2023–2025'; months of one year share it,
    'syys–joulukuu 2025', 'september–december 2025', 'September–December 2025'; anything else its two
    dates around a spaced dash, '1. kesäkuuta 2025 – 31. toukokuuta 2029'.

    `month_phrase` is the message a month range of one year is put in, with `{month}` and `{year}`: the
    default writes it as it is; `period.month` inflects it in a Finnish sentence ('syys–joulukuussa 2025')."""
    if not end or start == end:
        if _date_parts(start)[2] is None and _date_parts(start)[1] is not None:
            year, month, _ = _date_parts(start)
            return words.say(month_phrase, month=words.say(f"month.{month}"), year=year)
        return date_text(words, start)
    (y1, m1, d1), (y2, m2, d2) = _date_parts(start), _date_parts(end)
    if m1 is None and m2 is None:
        return words.say("date.year_span", start=y1, end=y2)
    if y1 == y2 and d1 is None and d2 is None and m1 is not None and m2 is not None:
        months = words.say("date.month_span", first=words.say(f"month_span_first.{m1}"), last=words.say(f"month.{m2}"))
        return words.say(month_phrase, month=months, year=y1)
    return words.say("date.span", start=date_text(words, start), end=date_text(words, end))
