"""Numbers and phrases formatted for readers (English house style: 1,375,195; €1.79 billion; 24%)."""
from __future__ import annotations

from decimal import Decimal
import math


def number(value, decimals: int | None = None) -> str:
    """1375195 -> '1,375,195'; 2.9 -> '2.9'. Decimals default to what the value needs (at most 2)."""
    value = float(value)
    if decimals is None:
        decimals = 0 if float(value).is_integer() else (1 if round(value, 1) == round(value, 2) else 2)
    text = f"{abs(value):,.{decimals}f}"
    return ("−" if value < 0 and float(text.replace(",", "")) != 0 else "") + text


def euros(value) -> str:
    """Euros at a reader's scale: 1790000000 -> '€1.79 billion', 68000000 -> '€68 million', 23001000 -> '€23.0 million'."""
    value = float(value)
    for scale, word in ((1e9, "billion"), (1e6, "million")):
        if abs(value) >= scale:
            return f"€{number(round(value / scale, 2))} {word}"
    return f"€{number(value)}"


def percent(value, decimals: int | None = None) -> str:
    return f"{number(value, decimals)}%"


def signed(value, decimals: int | None = None) -> str:
    """A change with its sign: +6, −2.5."""
    text = number(value, decimals)
    return text if text.startswith("−") or float(value) == 0 else "+" + text


def value_with_unit(value, unit: str) -> str:
    """A value in its metric's unit, as a reader reads it."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if unit == "eur":
        return euros(value)
    if unit == "percent":
        return percent(value)
    if unit in ("days", "minutes", "years"):
        return f"{number(value)} {unit if float(value) != 1 else unit[:-1]}"
    if unit == "mwh":
        return f"{number(value)} MWh"
    if unit == "tonnes":
        return f"{number(value)} tonnes"
    if unit == "t_co2e":
        return f"{number(value)} t CO₂e"
    if abs(float(value)) >= 10_000_000:  # 24,700,000 contacts read better as 24.7 million
        return f"{number(round(float(value) / 1e6, 2))} million"
    return number(value)


def decimal_text(value: Decimal) -> str:
    """A Decimal for an explanation in the reconciliation report."""
    return number(float(value))
