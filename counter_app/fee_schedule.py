"""Fees the catalog reckons from what is counted at the counter, not as one flat amount.

Certifying a copy from its original is charged per page (Circular 226/2016/TT-BTC,
republished 2025): 2.000 đ for each of the first two pages, 1.000 đ from the
third, at most 200.000 đ a copy. The rule is the catalog's data, not a
procedure code in the program, so a province that publishes another tariff (or
another procedure charged per page) changes its catalog, not the counter:

    "fee_schedule": {"kind": "per_page",
                     "tiers": [{"from_page": 1, "vnd_per_page": 2000},
                               {"from_page": 3, "vnd_per_page": 1000}],
                     "cap_vnd": 200000}

The fee service, the fee dialog and the receipt all compute through ``amount_for``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

PER_PAGE = "per_page"
KINDS = (PER_PAGE,)
MAX_PAGES = 10_000  # a copy of more pages than this is a slip of the keyboard


@dataclass(frozen=True)
class Tier:
    from_page: int
    vnd_per_page: int


@dataclass(frozen=True)
class FeeSchedule:
    """A per-page tariff: the rate of each page is its tier's, the copy's total at most the cap."""

    kind: str
    tiers: tuple[Tier, ...]
    cap_vnd: int | None

    def amount_for(self, pages: int) -> int:
        total = 0
        for index, tier in enumerate(self.tiers):
            last = self.tiers[index + 1].from_page - 1 if index + 1 < len(self.tiers) else pages
            counted = max(0, min(pages, last) - tier.from_page + 1)
            total += counted * tier.vnd_per_page
        return min(total, self.cap_vnd) if self.cap_vnd is not None else total

    def describe(self) -> str:
        """The tariff in words, for the fee screen and the receipt."""
        parts = []
        for index, tier in enumerate(self.tiers):
            rate = f"{tier.vnd_per_page:,}".replace(",", ".") + " đ/trang"
            if index + 1 < len(self.tiers):
                parts.append(
                    f"trang {tier.from_page}-{self.tiers[index + 1].from_page - 1}: {rate}"
                )
            else:
                parts.append(f"từ trang {tier.from_page}: {rate}")
        text = "; ".join(parts)
        if self.cap_vnd is not None:
            text += "; tối đa " + f"{self.cap_vnd:,}".replace(",", ".") + " đ/bản"
        return text


def parse_schedule(raw: Any, where: str) -> tuple[FeeSchedule | None, dict[str, str]]:
    """The schedule of a catalog entry, or None with field-named errors (Vietnamese)."""
    if raw is None:
        return None, {}
    if not isinstance(raw, dict) or raw.get("kind") not in KINDS:
        return None, {where: "phải là đối tượng có kind là " + ", ".join(KINDS)}
    tiers_raw = raw.get("tiers")
    errors: dict[str, str] = {}
    tiers: list[Tier] = []
    if not isinstance(tiers_raw, list) or not tiers_raw:
        errors[f"{where}.tiers"] = "cần ít nhất một bậc {from_page, vnd_per_page}"
    else:
        for index, tier in enumerate(tiers_raw):
            valid = (
                isinstance(tier, dict)
                and isinstance(tier.get("from_page"), int)
                and isinstance(tier.get("vnd_per_page"), int)
                and tier["vnd_per_page"] >= 0
                and tier["from_page"] == (1 if index == 0 else tier["from_page"])
                and (index == 0 or tier["from_page"] > tiers[-1].from_page)
            )
            if not valid:
                errors[f"{where}.tiers[{index}]"] = (
                    "mỗi bậc có from_page (bậc đầu là 1, tăng dần) và vnd_per_page không âm"
                )
                break
            tiers.append(Tier(tier["from_page"], tier["vnd_per_page"]))
    cap = raw.get("cap_vnd")
    if cap is not None and (not isinstance(cap, int) or cap <= 0):
        errors[f"{where}.cap_vnd"] = "phải là số đồng nguyên dương"
    if errors:
        return None, errors
    return FeeSchedule(PER_PAGE, tuple(tiers), cap), {}


def schedule_of(raw: dict[str, Any] | None) -> FeeSchedule | None:
    """The stored schedule (already checked on import), or None for a flat fee."""
    schedule, errors = parse_schedule(raw, "fee_schedule")
    return None if errors else schedule
