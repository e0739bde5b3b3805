"""What the user asks of a booklet: scope, edition, approvals, print options, and its kind.

`ApprovalsInfo` is what the approvals page prints: the council resolution and the people who
sign. Until the plan's approval record exists (planner_core.lifecycle, another branch), it
comes from fields typed in the booklet dialog or on the command line."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

KINDS = ("plan", "budget-album")
KIND_LABELS = {"plan": "دفترچه برنامه", "budget-album": "آلبوم بودجه"}


@dataclass
class Signatory:
    role: str  # «تهیه‌کننده», «بررسی‌کننده», «تصویب‌کننده»…
    name: str = ""
    position: str = ""  # سمت

    def __post_init__(self) -> None:
        from planner_core.text import normalize_text

        self.role, self.name, self.position = (normalize_text(v) for v in (self.role, self.name, self.position))


@dataclass
class ApprovalsInfo:
    resolution_number: str = ""  # شماره مصوبه شورا
    resolution_date: date | None = None
    approved_by_body: str = ""  # the approving body, e.g. «شورای اسلامی شهر اصفهان»
    signatories: list[Signatory] = field(default_factory=list)
    fingerprint: str = ""  # SHA-256 of the approved revision's plan document (`main.py verify` recomputes it)

    def __post_init__(self) -> None:
        from planner_core.text import normalize_text

        self.resolution_number = normalize_text(self.resolution_number)
        self.approved_by_body = normalize_text(self.approved_by_body)

    def has_resolution(self) -> bool:
        return bool(self.resolution_number or self.resolution_date or self.approved_by_body)

    @classmethod
    def from_names(cls, prepared_by: str = "", reviewed_by: str = "", approved_by: str = "",
                   **resolution) -> ApprovalsInfo:
        return cls(signatories=[Signatory("تهیه‌کننده", prepared_by), Signatory("بررسی‌کننده", reviewed_by),
                                Signatory("تصویب‌کننده", approved_by)], **resolution)


@dataclass
class BookletOptions:
    plan_code: str | None = None  # None: the document's first plan
    axis: str | None = None  # a node's full_code ("2", "2-1", "2-1-3-1"): only that subtree
    unit: str | None = None  # org unit code or name: only nodes it is responsible for (+ ancestors)
    year: int | None = None  # only that fiscal year's targets, actuals and allocations
    edition_date: date | None = None  # None: today
    logo_path: Path | None = None
    prepared_by: str = ""
    reviewed_by: str = ""
    approved_by: str = ""
    approvals: ApprovalsInfo | None = None  # None: from the three names above
    kind: str = "plan"  # plan | budget-album
    crop_marks: bool = False  # crop marks and a 3 mm bleed around the cover, for the print shop
    pdfa: bool = False  # PDF/A-2b for archives (sRGB output intent, XMP metadata)
    album_size: str = "A4"  # budget album: A4 or A3, landscape

    def __post_init__(self) -> None:
        # Names typed for the approvals page are user text like any other: one normaliser.
        from planner_core.text import normalize_text

        for name in ("prepared_by", "reviewed_by", "approved_by"):
            setattr(self, name, normalize_text(getattr(self, name)))
        if self.kind not in KINDS:
            raise ValueError(f"نوع سند «{self.kind}» شناخته نیست؛ یکی از {'، '.join(KINDS)}.")
        if self.kind == "budget-album" and self.year is None:
            raise ValueError("برای آلبوم بودجه سال مالی را بدهید (--year).")
        if self.album_size not in ("A4", "A3"):
            raise ValueError(f"اندازه کاغذ «{self.album_size}» پشتیبانی نمی‌شود؛ A4 یا A3.")

    def approvals_info(self) -> ApprovalsInfo:
        if self.approvals is not None:
            return self.approvals
        return ApprovalsInfo.from_names(self.prepared_by, self.reviewed_by, self.approved_by)
