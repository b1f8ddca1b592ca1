"""VAT and totals: what an order or a current order comes to, per VAT rate and in all, in integer cents.

Prices are excluding VAT. VAT is reckoned per rate over the lines at that rate: the rate times the sum of their
line totals, rounded half up to whole cents once per rate (never per line, so ten lines of 0.05 at 21 % give
0.11 VAT, not 0.10). The total including VAT is the subtotal plus the VAT of every rate. A VAT-exempt customer
(export, reverse charge) is charged none: its totals carry no VAT lines and the reason instead.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class VatAmount:
    rate_bp: int  # hundredths of a percent: 2100 = 21 %
    base_cents: int  # the line totals at this rate, excluding VAT
    vat_cents: int


@dataclass(frozen=True)
class Totals:
    subtotal_cents: int  # excluding VAT
    vat: tuple[VatAmount, ...] = field(default=())  # one per rate, highest rate first; none when exempt
    vat_cents: int = 0
    total_cents: int = 0  # including VAT
    vat_exempt_reason: str = ''


def half_up(numerator: int, denominator: int) -> int:
    """numerator / denominator rounded to the nearest whole number, halves away from zero (2.5 -> 3, -2.5 -> -3)."""
    assert denominator > 0
    whole, rest = divmod(abs(numerator), denominator)
    rounded = whole + (2 * rest >= denominator)
    return rounded if numerator >= 0 else -rounded


def vat_of(base_cents: int, rate_bp: int) -> int:
    """The VAT on an amount at a rate, rounded half up to whole cents."""
    return half_up(base_cents * rate_bp, 10_000)


def totals(lines: Iterable[tuple[int, int]], *, vat_exempt_reason: str = '') -> Totals:
    """The totals of lines given as (VAT rate in hundredths of a percent, line total excluding VAT)."""
    by_rate: dict[int, int] = {}
    for rate_bp, net_cents in lines:
        by_rate[rate_bp] = by_rate.get(rate_bp, 0) + net_cents
    subtotal = sum(by_rate.values())
    if vat_exempt_reason:
        return Totals(subtotal_cents=subtotal, total_cents=subtotal, vat_exempt_reason=vat_exempt_reason)
    amounts = tuple(
        VatAmount(rate_bp=rate, base_cents=base, vat_cents=vat_of(base, rate))
        for rate, base in sorted(by_rate.items(), reverse=True)
    )
    vat = sum(amount.vat_cents for amount in amounts)
    return Totals(subtotal_cents=subtotal, vat=amounts, vat_cents=vat, total_cents=subtotal + vat)
