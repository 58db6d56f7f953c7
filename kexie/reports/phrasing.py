"""Numbers as work reports state them (“1.2万余人次”, “2300余人次”, “126场”), while tables
keep the exact values.

A phrase never overstates: it rounds down and says “余” (“more than”) when it has dropped
something. Under a thousand the number is exact; from a thousand to ten thousand it keeps
the hundreds (“2300余”); from ten thousand it counts in 万 with one decimal (“1.2万余”,
“107.7万余”, “8.3万” when exact), from a hundred million in 亿.
"""

from decimal import ROUND_DOWN, Decimal

WAN = 10_000
YI = 100_000_000


def _decimal_text(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return text


def approx(value) -> str:
    """The number in the register of the reports (without its unit)."""
    exact = Decimal(value)
    whole = exact.to_integral_value(rounding=ROUND_DOWN)
    if whole < 1000:
        return _decimal_text(exact) if exact != whole and exact < 100 else str(int(whole))
    if whole < WAN:
        shown = whole // 100 * 100
        return f"{int(shown)}余" if shown < exact else str(int(shown))
    base, suffix = (YI, "亿") if whole >= YI else (WAN, "万")
    shown = (exact / base).quantize(Decimal("0.1"), rounding=ROUND_DOWN)
    text = _decimal_text(shown) + suffix
    return text + "余" if shown * base < exact else text


def phrase(value, unit: str) -> str:
    """The number and its unit: “1.2万余人次”."""
    return f"{approx(value)}{unit}"
