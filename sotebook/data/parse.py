"""Parse figures as the sources print them: '1 679 689', '28,6 miljoner', '€1.79 billion', 'över 3 000'.

Each source prints numbers in its own language's format. Swedish groups thousands with a space (often
a non-breaking one) and uses a decimal comma; English groups with a comma and uses a decimal point.
A printed figure may carry a qualifier ('over', 'ca', 'något under'), a currency, a scale word
('million', 'miljoner', 'mrd', 'M') and a unit ('%', 'MWh', 'dagar'). The parser returns the value in
base units (euros, not millions of euros) as an exact Decimal, the qualifier, the unit it recognised
and the rounding half-unit implied by how the number was printed, which the reconciliation uses as
its tolerance ('1.4 million' can stand for anything from 1.35 to 1.45 million).

Anything it does not recognise is an error, never a guess: a typo in a transcription must not turn
silently into a different number.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from babel.numbers import format_decimal

NUMBER_FORMATS = ("en", "sv")

# Spaces that Swedish typesetting uses as thousands separators.
_SPACES = "\u00a0\u202f\u2009\u2007 "

_NUMBER = {
    "en": r"[+\-\u2212\u2013]?(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)",
    "sv": r"[+\-\u2212\u2013]?(?:\d{1,3}(?: \d{3})+(?:,\d+)?|\d+(?:,\d+)?)",
}

# Qualifiers: what the printed number claims about the true value.
#   over    - the true value is at least this
#   under   - the true value is at most this, and close to it ('almost', 'just under')
#   about   - the true value is near this, rounding unknown
_QUALIFIERS = {
    "en": {"more than": "over", "over": "over", "almost": "under", "nearly": "under",
           "just under": "under", "about": "about", "approximately": "about", "around": "about"},
    "sv": {"över": "over", "drygt": "over", "något under": "under", "nästan": "under",
           "närmare": "under", "ca": "about", "cirka": "about", "ungefär": "about"},
}

_SCALES = {
    "thousand": 10**3, "tusen": 10**3,
    "million": 10**6, "millions": 10**6, "miljoner": 10**6, "miljon": 10**6, "milj.": 10**6, "m": 10**6,
    "billion": 10**9, "mrd": 10**9, "miljarder": 10**9, "miljard": 10**9, "bn": 10**9,
}

# Unit words and symbols, mapped to the unit ids of the metric dictionary.
_UNITS = {
    "€": "eur", "euro": "eur", "eur": "eur",
    "%": "percent", "procent": "percent", "per cent": "percent", "percent": "percent",
    "mwh": "mwh",
    "tonnes": "tonnes", "tons": "tonnes",
    "t co2e": "t_co2e",
    "days": "days", "day": "days", "dagar": "days", "dag": "days",
    "years": "years", "år": "years",
    "minutes": "minutes", "minuter": "minutes", "minut": "minutes", "min": "minutes",
}

_WORDS = {
    "en": {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
           "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "half": Decimal(50)},
    "sv": {"en": 1, "ett": 1, "två": 2, "tre": 3, "fyra": 4, "fem": 5, "sex": 6, "sju": 7, "åtta": 8,
           "nio": 9, "tio": 10, "elva": 11, "tolv": 12, "tusen": 1000, "hälften": Decimal(50)},
}
# 'half' and 'hälften' stand for 50 percent: they are only accepted for percent metrics.
_HALF = {"half", "hälften"}

_DURATION = re.compile(r"^(?P<h>\d+)\s*h\s+(?P<m>\d+)\s*min$")


class ParseError(ValueError):
    """A printed figure that does not read as a number in the stated format."""


@dataclass(frozen=True)
class Printed:
    """A printed figure, read."""

    value: Decimal  # in base units: euros, not millions of euros; percent points for shares
    qualifier: str  # '' (exact as printed), 'over', 'under' or 'about'
    unit: str  # the unit the printed text names ('eur', 'percent', ...), '' where it names none
    half_unit: Decimal  # half the rounding step the printed form implies


def _normalise(text: str) -> str:
    for space in _SPACES:
        text = text.replace(space, " ")
    return re.sub(r" +", " ", text.strip())


def _half_unit(digits: str, decimal_mark: str, scaled: bool) -> Decimal:
    """Half the rounding step of a printed number: '1.4' -> 0.05, '875,000' -> 500, '7,943' -> 0.5.

    Trailing zeros are read as rounding only where rounding is plausible: in numbers of four digits
    or more ('875,000') and in amounts with a scale word ('€70 million'). A small count such as the
    '80' experts by experience is read as exact.
    """
    if decimal_mark in digits:
        return Decimal(5) / Decimal(10) ** (len(digits.split(decimal_mark)[1]) + 1)
    whole = re.sub(r"\D", "", digits)
    if len(whole) < 4 and not scaled:
        return Decimal("0.5")
    zeros = len(whole) - len(whole.rstrip("0")) if whole.strip("0") else 0
    return Decimal(5) * Decimal(10) ** zeros / 10


def _to_decimal(digits: str, number_format: str) -> Decimal:
    sign = -1 if digits[0] in "-\u2212\u2013" else 1
    digits = digits.lstrip("+-\u2212\u2013")
    if number_format == "en":
        plain = digits.replace(",", "")
    else:
        plain = digits.replace(" ", "").replace(",", ".")
    return sign * Decimal(plain)


def _take_qualifier(text: str, number_format: str) -> tuple[str, str]:
    lowered = text.lower()
    for words in sorted(_QUALIFIERS[number_format], key=len, reverse=True):
        if lowered.startswith(words + " "):
            return _QUALIFIERS[number_format][words], text[len(words) + 1:]
    return "", text


def _read_suffix(suffix: str) -> tuple[int, str]:
    """Read an optional scale word then optional unit words after the number."""
    rest = suffix.strip().lower()
    scale = 1
    unit = ""
    first = rest.split(" ", 1)[0] if rest else ""
    if first in _SCALES:
        scale = _SCALES[first]
        rest = rest[len(first):].strip()
    if rest:
        if rest not in _UNITS:
            raise ParseError(f"unrecognised text {suffix.strip()!r} after the number")
        unit = _UNITS[rest]
    return scale, unit


def parse_printed(text: str, number_format: str) -> Printed:
    """Read one printed figure in the 'en' or 'sv' number format."""
    if number_format not in NUMBER_FORMATS:
        raise ParseError(f"number format {number_format!r} is not one of {', '.join(NUMBER_FORMATS)}")
    normal = _normalise(text)
    if not normal:
        raise ParseError("the printed value is empty")
    qualifier, rest = _take_qualifier(normal, number_format)

    duration = _DURATION.match(rest)
    if duration:
        minutes = int(duration["h"]) * 60 + int(duration["m"])
        return Printed(Decimal(minutes), qualifier, "minutes", Decimal("0.5"))

    currency = ""
    if rest.startswith("€"):
        currency, rest = "eur", rest[1:].lstrip()

    word = rest.split(" ", 1)[0].lower()
    if word in _WORDS[number_format]:
        value = Decimal(_WORDS[number_format][word])
        scale, unit = _read_suffix(rest[len(word):])
        if word in _HALF:
            unit = "percent"
        return Printed(value * scale, qualifier, unit or currency, Decimal("0.5"))

    match = re.match(_NUMBER[number_format], rest)
    if not match:
        raise ParseError(f"{text.strip()!r} does not start with a number in {_FORMAT_NAMES[number_format]}")
    digits = match.group(0)
    suffix = rest[match.end():]
    if number_format == "sv" and suffix.startswith(":e"):  # Swedish ordinal: 'var 10:e minut'
        suffix = suffix[2:]
    if suffix and not suffix.startswith(" ") and suffix[0] not in "%":
        raise ParseError(f"{text.strip()!r} is not a number in {_FORMAT_NAMES[number_format]}")
    scale, unit = _read_suffix(suffix)
    if currency and unit and unit != "eur":
        raise ParseError(f"{text.strip()!r} names both euros and {unit}")
    mark = "." if number_format == "en" else ","
    return Printed(
        value=_to_decimal(digits, number_format) * scale,
        qualifier=qualifier,
        unit=unit or currency,
        half_unit=_half_unit(digits, mark, scale > 1) * scale,
    )


_FORMAT_NAMES = {
    "en": "English format (1,234,567.8)",
    "sv": "Swedish format (1 234 567,8)",
}


def canonical(value: Decimal) -> str:
    """The one way a value is written in the clean dataset: no exponent, no trailing zeros."""
    text = format(value.normalize(), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


MINUS = "\u2212"


def format_number(value, decimals: int | None = None, locale: str = "en_GB") -> str:
    """A number as a reader of `locale` writes it: 1375195 -> '1,375,195' (en_GB), '1 375 195' (fi_FI).
    Decimals default to what the value needs (at most 2); a negative number takes the minus sign U+2212."""
    value = float(value)
    if decimals is None:
        decimals = 0 if value.is_integer() else (1 if round(value, 1) == round(value, 2) else 2)
    # Half away from zero, as readers round (−6.25 -> −6.3), not Python's half to even (-> −6.2); from the
    # shortest decimal text of the float, so 0.125 rounds as written, not as its binary value.
    rounded = float(Decimal(repr(value)).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP))
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    digits = format_decimal(Decimal(repr(abs(rounded))), format=pattern, locale=locale)
    return (MINUS if rounded < 0 else "") + digits
