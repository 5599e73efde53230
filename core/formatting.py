"""Numbers and money as Swedish text: a decimal comma, thousands grouped by a no-break
space ("74 750 kr", "1 234,50"), the way the printed lists and the pages write them.

Written out by hand rather than through Django's localisation, so a PDF rendered in a
worker and a page rendered for a reader write a number the same way whatever the
active language.
"""

from decimal import Decimal

NBSP = "\u00a0"
_SWEDISH = str.maketrans({",": NBSP, ".": ","})


def plain(value) -> Decimal:
    """71.50 → 71.5 and 80.00 → 80, without normalize()'s exponent form (8E+1)."""
    value = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
    return value.quantize(Decimal(1)) if value == value.to_integral() else value.normalize()


def number(value, decimals: int | None = None) -> str:
    """'74 750', '1 234,50' (decimals=2) or, with decimals None, as many as the value has."""
    value = plain(value) if decimals is None else Decimal(value)
    if decimals is None:
        decimals = max(0, -value.as_tuple().exponent)
    return f"{value:,.{decimals}f}".translate(_SWEDISH)


def kronor(value, decimals: int = 0) -> str:
    """74750 → '74 750 kr'."""
    return f"{number(value, decimals)}{NBSP}kr"


def decimal_comma(value, decimals: int = 2) -> str:
    """'74750,00': a number as Swedish spreadsheets read it from a CSV cell (no grouping)."""
    return f"{Decimal(value):.{decimals}f}".replace(".", ",")
