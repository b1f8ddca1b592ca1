"""Known carriers and their tracking pages, so a delivery's mail can make its tracking code a link.

The supplier types the tracking code as the carrier gives it. A code that starts with a carrier's name
("DHL JVGL0123456789", "GLS 12345678901") is that carrier's; otherwise a code in a format only one carrier uses is
recognised (UPS 1Z..., PostNL 3S...). Any other code stays plain text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import quote


@dataclass(frozen=True)
class Carrier:
    name: str
    url: str  # the tracking page, {code} filled in
    code_format: re.Pattern[str] | None  # a format only this carrier uses, or None: recognised only by its name


CARRIERS = (
    Carrier('PostNL', 'https://jouw.postnl.nl/track-and-trace/{code}', re.compile(r'3S[A-Z0-9]{8,20}')),
    Carrier('UPS', 'https://www.ups.com/track?tracknum={code}', re.compile(r'1Z[A-Z0-9]{16}')),
    Carrier(
        'DHL', 'https://www.dhl.com/nl-en/home/tracking.html?tracking-id={code}', re.compile(r'(JVGL|JJD)\d{10,24}')
    ),
    Carrier('DPD', 'https://tracking.dpd.de/status/en_US/parcel/{code}', None),
    Carrier('GLS', 'https://gls-group.com/track/{code}', None),
)


@dataclass(frozen=True)
class Tracking:
    code: str  # the code without the carrier's name in front
    carrier: str  # '' when not known
    url: str | None  # the carrier's tracking page for it, when the carrier is known


def tracking(typed: str) -> Tracking:
    """The carrier and tracking link of a tracking code as the supplier typed it."""
    code = (typed or '').strip()
    for carrier in CARRIERS:
        named = re.match(rf'{re.escape(carrier.name)}[\s:#-]+(\S.*)', code, flags=re.IGNORECASE)
        if named:
            return _of(carrier, named.group(1).strip())
    compact = code.replace(' ', '').upper()
    for carrier in CARRIERS:
        if carrier.code_format is not None and carrier.code_format.fullmatch(compact):
            return _of(carrier, compact)
    return Tracking(code=code, carrier='', url=None)


def _of(carrier: Carrier, code: str) -> Tracking:
    return Tracking(code=code, carrier=carrier.name, url=carrier.url.format(code=quote(code, safe='')))
