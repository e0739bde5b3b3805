"""Whose plan, whose budget: a file holds its own municipality's plans and budgets and those it received.

Budget codes are a shared catalogue; an annual budget (its ceilings and amendments) belongs to one
municipality, and an allocation to the municipality of its project's plan.  A plan's municipality is
its source municipality when it was received, otherwise the file's own (home) municipality.  Budgets
made before the file named its municipality (``municipality_id`` NULL) count as the home's.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from db.models import Allocation, AnnualBudget, Municipality, PlanNode, StrategicPlan


def home_id(session: Session) -> int | None:
    return session.scalars(select(Municipality.id).where(Municipality.is_home).order_by(Municipality.id)).first()


def plan_municipality_id(session: Session, plan_id: int) -> int | None:
    plan = session.get(StrategicPlan, plan_id)
    if plan is not None and plan.source_municipality_id is not None:
        return plan.source_municipality_id
    return home_id(session)


def _is_home(session: Session, municipality_id: int | None) -> tuple[bool, int | None]:
    home = home_id(session)
    return municipality_id is None or municipality_id == home, home


def budgets_of(session: Session, municipality_id: int | None = None) -> Any:
    """WHERE clause on AnnualBudget: the budgets of this municipality (default: the home's)."""
    is_home, home = _is_home(session, municipality_id)
    if is_home:
        if home is None:
            return AnnualBudget.municipality_id.is_(None)
        return or_(AnnualBudget.municipality_id == home, AnnualBudget.municipality_id.is_(None))
    return AnnualBudget.municipality_id == municipality_id


def plans_of(session: Session, municipality_id: int | None = None) -> Any:
    """WHERE clause on StrategicPlan: the plans of this municipality (default: the home's own plans)."""
    is_home, home = _is_home(session, municipality_id)
    if is_home:
        if home is None:
            return StrategicPlan.source_municipality_id.is_(None)
        return or_(StrategicPlan.source_municipality_id.is_(None), StrategicPlan.source_municipality_id == home)
    return StrategicPlan.source_municipality_id == municipality_id


def allocations_of(session: Session, municipality_id: int | None = None) -> Any:
    """WHERE clause on Allocation: allocations of projects in this municipality's plans."""
    projects = select(PlanNode.id).join(StrategicPlan, StrategicPlan.id == PlanNode.plan_id) \
        .where(plans_of(session, municipality_id))
    return Allocation.project_id.in_(projects)


def municipalities_with_budgets(session: Session) -> list[int | None]:
    """Each municipality that has a plan or a budget in the file (None: the home, also when unnamed)."""
    home = home_id(session)
    found: set[int | None] = {None}
    found.update(m for m in session.scalars(select(AnnualBudget.municipality_id).distinct()) if m != home)
    found.update(m for m in session.scalars(select(StrategicPlan.source_municipality_id).distinct()) if m != home)
    return sorted(found, key=lambda m: -1 if m is None else m)


def municipality_of_plan(db: Any, plan_id: int) -> int | None:
    """The municipality whose budgets a plan's roll-ups and findings use."""
    with db.unit() as session:
        return plan_municipality_id(session, plan_id)


@dataclass(frozen=True)
class BudgetOwner:
    """A municipality whose budgets the file holds; ``id`` None is the file's own (home) municipality."""

    id: int | None
    name: str

    @property
    def is_home(self) -> bool:
        return self.id is None


HOME_NAME = "شهرداری خودی"


def budget_owners(db: Any) -> list[BudgetOwner]:
    """The home municipality first, then each municipality a plan or budget was received from."""
    with db.unit() as session:
        home = home_id(session)
        owners = []
        for municipality_id in municipalities_with_budgets(session):
            row = session.get(Municipality, municipality_id if municipality_id is not None else home) \
                if (municipality_id is not None or home is not None) else None
            owners.append(BudgetOwner(municipality_id, row.name if row is not None else HOME_NAME))
        return owners


def plan_owner(db: Any, plan_id: int) -> int | None:
    """The municipality of a plan as ``budget_owners`` names it: None for the file's own plans."""
    with db.unit() as session:
        owner = plan_municipality_id(session, plan_id)
        return None if owner is None or owner == home_id(session) else owner
