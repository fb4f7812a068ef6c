"""Numbers and phrases formatted for readers, in the language `words` speaks.

The digits come from Babel's locale data (en: 1,375,195 and 2.9; fi and sv: 1 375 195 and 2,9);
the words around them ("million", "days", "more than") come from words/<lang>/common.yml.
Negative numbers take the minus sign U+2212 in prose and in charts alike.
"""
from __future__ import annotations

import math

from babel.numbers import format_decimal

from sotebook.data.parse import MINUS, format_number
from sotebook.pages import words

LOCALES = {"en": "en_GB", "fi": "fi_FI", "sv": "sv_FI"}


def _locale() -> str:
    return LOCALES.get(words.language(), words.language())


def number(value, decimals: int | None = None) -> str:
    """1375195 -> '1,375,195'; 2.9 -> '2.9'. Decimals default to what the value needs (at most 2)."""
    return format_number(value, decimals, _locale())


def decimal_mark() -> str:
    """The edition's decimal mark: '.' in English, ',' in Finnish and Swedish."""
    return format_decimal(0.5, locale=_locale())[1]


def signed(value, decimals: int | None = None) -> str:
    """A change with its sign: +6, −2.5."""
    text = number(value, decimals)
    return text if text.startswith(MINUS) or round(float(value), decimals or 0) == 0 else "+" + text


def percent(value, decimals: int | None = None) -> str:
    return words.say("number.percent", value=number(value, decimals))


def euros(value) -> str:
    """Euros at a reader's scale: '€1.79 billion', '€68 million', '€23.0 million'."""
    value = float(value)
    for scale, key in ((1e9, "number.euros_billion"), (1e6, "number.euros_million")):
        if abs(value) >= scale:
            return words.say(key, value=number(round(value / scale, 2)))
    return words.say("number.euros", value=number(value))


def value_with_unit(value, unit: str) -> str:
    """A value in its metric's unit, as a reader reads it."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return words.say("number.missing")
    if unit == "eur":
        return euros(value)
    if unit == "percent":
        return percent(value)
    if unit in ("days", "minutes", "years"):
        return words.say(f"unit.{unit}_{'one' if float(value) == 1 else 'other'}", value=number(value))
    if unit in ("mwh", "tonnes", "t_co2e"):
        return words.say(f"unit.{unit}", value=number(value))
    if abs(float(value)) >= 10_000_000:  # 24,700,000 contacts read better as 24.7 million
        return words.say("number.million", value=number(round(float(value) / 1e6, 2)))
    return number(value)


def qualified(reading: str, qualifier: str) -> str:
    """'69' with 'over' -> 'more than 69'; no qualifier leaves it as it is."""
    return words.say(f"qualifier.{qualifier}", value=reading) if qualifier else reading
