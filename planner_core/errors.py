"""Errors the services raise.  ``str()`` of each is a Persian sentence fit to show a planner."""

from __future__ import annotations


class PlannerError(Exception):
    """Base of every error a user may see."""


class ValidationError(PlannerError):
    """Bad input for one field.  ``field`` lets a form show the message beside that field."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


class RuleError(PlannerError):
    """A plan rule forbids the change (e.g. the plan is approved and read-only)."""


class NotFoundError(PlannerError):
    """The row the caller named is not in the store (deleted meanwhile, or a wrong code)."""


class StoreError(PlannerError):
    """The file cannot be used as a plan store (missing, not SQLite, newer schema)."""
