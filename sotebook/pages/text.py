"""Numbers and phrases formatted for readers in an edition's language: each function takes the edition's
`Words` first.

The digits come from Babel's locale data (en: 1,375,195 and 2.9; fi and sv: 1 375 195 and 2,9);
the words around them ("million", "days", "more than") come from words/<lang>/common.yml, a unit in the
form its number takes (sotebook/pages/numbers.py: "1 miljoona", "2,5 miljoonaa").
Negative numbers take the minus sign U+2212 in prose and in charts alike.
"""
from __future__ import annotations

import math

from babel.numbers import format_decimal

from sotebook.data.parse import MINUS, format_number
from sotebook.pages.numbers import LOCALES, locale_of as _locale, with_unit
from sotebook.pages.words import Words

__all__ = ["LOCALES", "number", "decimal_mark", "signed", "percent", "euros", "value_with_unit", "qualified"]


def number(words: Words, value, decimals: int | None = None) -> str:
    """1375195 -> '1,375,195'; 2.9 -> '2.9'. Decimals default to what the value needs (at most 2)."""
    return format_number(value, decimals, _locale(words))


def decimal_mark(words: Words) -> str:
    """The edition's decimal mark: '.' in English, ',' in Finnish and Swedish."""
    return format_decimal(0.5, locale=_locale(words))[1]


def signed(words: Words, value, decimals: int | None = None) -> str:
    """A change with its sign: +6, −2.5."""
    text = number(words, value, decimals)
    return text if text.startswith(MINUS) or round(float(value), decimals or 0) == 0 else "+" + text


def percent(words: Words, value, decimals: int | None = None) -> str:
    return words.say("number.percent", value=number(words, value, decimals))


def euros(words: Words, value) -> str:
    """Euros at a reader's scale: '€1.79 billion', '€68 million', '€23.0 million'."""
    value = float(value)
    for scale, key in ((1e9, "number.euros_billion"), (1e6, "number.euros_million")):
        if abs(value) >= scale:
            return with_unit(words, round(value / scale, 2), key)
    return words.say("number.euros", value=number(words, value))


def value_with_unit(words: Words, value, unit: str) -> str:
    """A value in its metric's unit, as a reader reads it."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return words.say("number.missing")
    if unit == "eur":
        return euros(words, value)
    if unit == "percent":
        return percent(words, value)
    if unit in ("days", "working_days", "minutes", "years"):
        return with_unit(words, value, f"unit.{unit}")
    if unit in ("mwh", "tonnes", "t_co2e"):
        return words.say(f"unit.{unit}", value=number(words, value))
    if abs(float(value)) >= 10_000_000:  # 24,700,000 contacts read better as 24.7 million
        return with_unit(words, round(float(value) / 1e6, 2), "number.million")
    return number(words, value)


def qualified(words: Words, reading: str, qualifier: str) -> str:
    """'69' with 'over' -> 'more than 69'; no qualifier leaves it as it is."""
    return words.say(f"qualifier.{qualifier}", value=reading) if qualifier else reading
