"""Each printed format the sources use reads as the right number; anything else is refused."""
from decimal import Decimal

import pytest

from sotebook.data.parse import ParseError, canonical, parse_printed


@pytest.mark.parametrize("printed, fmt, value, qualifier, unit", [
    ("1 679 689", "sv", "1679689", "", ""),                      # Swedish thousands with spaces
    ("1\u00a0679\u00a0689", "sv", "1679689", "", ""),            # ... with non-breaking spaces
    ("1\u202f679\u202f689", "sv", "1679689", "", ""),            # ... with narrow no-break spaces
    ("1,375,195", "en", "1375195", "", ""),                      # English thousands with commas
    ("1,1 dagar", "sv", "1.1", "", "days"),                      # decimal comma and a unit word
    ("2.9", "en", "2.9", "", ""),                                # decimal point
    ("28,6 miljoner", "sv", "28600000", "", ""),                 # Swedish scale word
    ("€1.79 billion", "en", "1790000000", "", "eur"),            # currency and English scale word
    ("€412 M", "en", "412000000", "", "eur"),                    # 'M' for million
    ("1,5 mrd €", "sv", "1500000000", "", "eur"),                # 'mrd' and a trailing euro sign
    ("23 001 000 euro", "sv", "23001000", "", "eur"),
    ("84 %", "sv", "84", "", "percent"),                         # percent with a space
    ("93%", "sv", "93", "", "percent"),
    ("47,4 procent", "sv", "47.4", "", "percent"),
    ("ca 7,2 miljoner euro", "sv", "7200000", "about", "eur"),   # qualifiers
    ("något under 19,7 miljoner euro", "sv", "19700000", "under", "eur"),
    ("över 3 000", "sv", "3000", "over", ""),
    ("over 24 million", "en", "24000000", "over", ""),
    ("almost €70 million", "en", "70000000", "under", "eur"),
    ("251 566 t CO2e", "sv", "251566", "", "t_co2e"),
    ("163.3 MWh", "en", "163.3", "", "mwh"),
    ("1 h 6 min", "sv", "66", "", "minutes"),                    # a duration
    ("10:e minut", "sv", "10", "", "minutes"),                   # a Swedish ordinal
    ("fyra", "sv", "4", "", ""),                                 # number words
    ("three", "en", "3", "", ""),
    ("närmare tusen", "sv", "1000", "under", ""),
    ("Half", "en", "50", "", "percent"),
    ("+6", "en", "6", "", ""),
])
def test_printed_forms_read_as_numbers(printed, fmt, value, qualifier, unit):
    result = parse_printed(printed, fmt)
    assert canonical(result.value) == value
    assert result.qualifier == qualifier
    assert result.unit == unit


@pytest.mark.parametrize("printed, fmt, message", [
    ("1 679 68x", "sv", "unrecognised text '68x'"),        # a typo
    ("1,375,195", "sv", "not a number in Swedish format"),  # the wrong format
    ("1 375 195", "en", "unrecognised text"),               # the other wrong format
    ("12.5.3", "en", "not a number in English format"),
    ("5 apples", "en", "unrecognised text 'apples'"),
    ("", "en", "empty"),
    ("many", "en", "does not start with a number"),
    ("€5 %", "en", "names both euros and percent"),
    ("5", "de", "number format 'de'"),
])
def test_unreadable_forms_are_refused_with_a_reason(printed, fmt, message):
    with pytest.raises(ParseError, match=message):
        parse_printed(printed, fmt)


@pytest.mark.parametrize("printed, fmt, half", [
    ("1.4 million", "en", "50000"),   # one decimal of millions
    ("875,000", "en", "500"),         # rounded to thousands
    ("7,943", "en", "0.5"),           # exact
    ("80", "en", "0.5"),              # a small count is exact despite its zero
    ("€70 million", "en", "5000000"),  # a scaled amount with a zero is rounded
    ("1,1 dagar", "sv", "0.05"),
])
def test_rounding_implied_by_the_printed_form(printed, fmt, half):
    assert parse_printed(printed, fmt).half_unit == Decimal(half)


def test_canonical_form_has_no_exponent_or_trailing_zeros():
    assert canonical(Decimal("1.79") * 10**9) == "1790000000"
    assert canonical(Decimal("2.90")) == "2.9"
    assert canonical(Decimal("-0")) == "0"
