"""Errors the services raise.  ``str()`` of each is a Persian sentence fit to show a planner."""

from __future__ import annotations


class PlannerError(Exception):
    """Base of every error a user may see.  ``str()`` is Persian; ``english`` is the short
    English half the command line adds for scripts and non-Persian readers."""

    english = "cannot be done"


class ValidationError(PlannerError):
    """Bad input for one field.  ``field`` lets a form show the message beside that field."""

    english = "invalid value"

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


class RuleError(PlannerError):
    """A plan rule forbids the change (e.g. the plan is approved and read-only)."""

    english = "not allowed by the plan rules"


class NotFoundError(PlannerError):
    """The row the caller named is not in the store (deleted meanwhile, or a wrong code)."""

    english = "not found"


class StoreError(PlannerError):
    """The file cannot be used as a plan store (missing, not SQLite, newer schema)."""

    def __init__(self, persian: str, english: str) -> None:
        super().__init__(persian)
        self.english = english
