"""The mark of a received plan: a bar above the tree naming its source, with «برگزیدن» to adopt it."""

from __future__ import annotations

from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

from planner_core import plans
from planner_core.errors import PlannerError
from planner_gui.context import AppContext


class ReferenceBanner(QFrame):
    """Shown only while the current plan came from another municipality (read-only reference)."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("referenceBanner")
        self.setStyleSheet("QFrame#referenceBanner { background: #fff3e0; border: 1px solid #f0b070; }")
        self.ctx = ctx
        self.label = QLabel()
        self.label.setObjectName("referenceLabel")
        self.adopt_button = QPushButton("برگزیدن به‌عنوان برنامه پیش‌نویس خودمان")
        self.adopt_button.setObjectName("adoptButton")
        self.adopt_button.clicked.connect(self.adopt)
        self.label.setWordWrap(True)
        row = QHBoxLayout(self)
        row.addWidget(self.label, 1)
        row.addWidget(self.adopt_button)
        ctx.plan_switched.connect(lambda _id: self.refresh())
        ctx.changed.connect(lambda what, _key: self.refresh() if what == "plan" else None)
        self.refresh()

    def refresh(self) -> None:
        info = None
        if self.ctx.plan_id:
            try:
                info = plans.get_plan(self.ctx.db, self.ctx.plan_id)
            except PlannerError:
                info = None
        reference = info is not None and plans.is_reference(info)
        if reference and info is not None:
            self.label.setText(f"این برنامه از «{info.source_municipality}» رسیده و فقط برای مراجعه است؛ "
                               "ویرایش آن ممکن نیست.  ")
        self.setVisible(reference)

    def adopt(self) -> int | None:
        if not self.ctx.plan_id:
            return None
        try:
            adopted = plans.adopt_plan(self.ctx.db, self.ctx.plan_id)
        except PlannerError as exc:
            self.label.setText(str(exc))
            return None
        self.ctx.changed.emit("plan", adopted.id)
        self.ctx.set_plan(adopted.id)
        return adopted.id


def install_banner(panel: QWidget, ctx: AppContext) -> ReferenceBanner:
    """Put the banner at the top of ``panel`` (the tree panel: the plan it marks is the one shown there)."""
    banner = ReferenceBanner(ctx, panel)
    layout = panel.layout()
    if layout is not None and hasattr(layout, "insertWidget"):
        layout.insertWidget(0, banner)
    return banner
