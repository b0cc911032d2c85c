"""Numbers in Danish, for every place that shows them: pages (ui/figures) and e-mails (views/nudges)."""

from __future__ import annotations


def danish_number(value: float, decimals: int) -> str:
    """1234.5 -> "1\u2009234,5": a decimal comma and a thin space between thousands."""
    text = f"{value:,.{decimals}f}"
    if float(text.replace(",", "")) == 0:
        text = text.lstrip("-")  # -0.04 is "0,0", not "-0,0"
    return text.replace(",", "\u2009").replace(".", ",")
