"""The plan's life cycle: readiness, review and approval, frozen approved revisions, amendments,
snapshots, comparison, rolling forward, and reporting discipline (evidence, due dates, audit log).

The booklet prints ``approval_record(db, plan_id)`` on its approvals page.
"""

from planner_core.lifecycle.documents import fingerprint, read_package
from planner_core.lifecycle.readiness import check_readiness
from planner_core.lifecycle.workflow import (
    ApprovalRecord,
    approval_record,
    approve,
    archive,
    history,
    return_for_revision,
    revise,
    run_action,
    submit,
)

__all__ = ["ApprovalRecord", "approval_record", "approve", "archive", "check_readiness", "fingerprint",
           "history", "read_package", "return_for_revision", "revise", "run_action", "submit"]
