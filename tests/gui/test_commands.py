"""The one undo-command helper: apply before push, refusals and bugs never reach the stack."""

from __future__ import annotations

import logging

from planner_core.errors import PlannerError
from planner_gui.commands import ServiceCommand, errors, execute
from planner_gui.worker import UNEXPECTED


def steps(log: list[str], fail_on: str = "", exc: Exception | None = None):
    def step(name: str):
        def call() -> int:
            if name == fail_on:
                raise exc or PlannerError("برنامه تصویب شده است.")
            log.append(name)
            return 7
        return call
    return step("apply"), step("revert")


def test_applies_once_then_undo_and_redo_announce_the_kind(ctx):
    log: list[str] = []
    announced: list[tuple[str, int]] = []
    ctx.changed.connect(lambda kind, key: announced.append((kind, key)))
    assert execute(ctx, ServiceCommand(ctx, "گام", "indicator", *steps(log))) is None
    assert log == ["apply"] and ctx.undo_stack.count() == 1
    ctx.undo_stack.undo()
    ctx.undo_stack.redo()
    assert log == ["apply", "revert", "apply"]
    assert announced == [("indicator", 7)] * 3


def test_a_refusal_is_returned_and_shown_and_nothing_lands_on_the_stack(ctx):
    shown: list[PlannerError] = []
    failure = execute(ctx, ServiceCommand(ctx, "گام", "indicator", *steps([], "apply")), show=shown.append)
    assert str(failure) == "برنامه تصویب شده است." and shown == [failure]
    assert ctx.undo_stack.count() == 0


def test_an_unexpected_error_is_logged_and_said_in_persian(ctx, caplog):
    command = ServiceCommand(ctx, "گام", "indicator", *steps([], "apply", KeyError("bug")))
    with caplog.at_level(logging.ERROR, logger="planner_gui.commands"):
        failure = execute(ctx, command)
    assert str(failure) == UNEXPECTED and ctx.undo_stack.count() == 0
    assert "KeyError" in caplog.text  # the traceback is in the log, not in front of the planner


def test_a_failing_undo_drops_the_step_and_reports_it(ctx):
    reported: list[PlannerError] = []
    command = ServiceCommand(ctx, "گام", "indicator", *steps([], "revert"), on_error=reported.append)
    assert execute(ctx, command) is None
    ctx.undo_stack.undo()
    assert [str(e) for e in reported] == ["برنامه تصویب شده است."] and ctx.undo_stack.count() == 0


def test_without_a_sink_a_later_failure_goes_to_the_window(ctx):
    messages: list[str] = []
    errors.message.connect(messages.append)
    try:
        assert execute(ctx, ServiceCommand(ctx, "گام", "indicator", *steps([], "revert", ValueError("bug")))) is None
        ctx.undo_stack.undo()
    finally:
        errors.message.disconnect(messages.append)
    assert messages == [UNEXPECTED] and ctx.undo_stack.count() == 0


def test_node_commands_announce_only_what_they_changed(ctx, small_plan):
    from planner_gui.commands import AddNodeCommand

    ctx.set_plan(small_plan["plan"].id)
    announced: list[tuple[str, int]] = []
    ctx.changed.connect(lambda kind, key: announced.append((kind, key)))
    command = AddNodeCommand(ctx, ctx.plan_id, small_plan["axis"].id, "goal", "هدف تازه")
    assert execute(ctx, command) is None
    ctx.undo_stack.undo()
    assert announced == [("tree", small_plan["axis"].id)] * 2


def test_a_title_with_a_surrogate_half_is_refused_by_name_not_a_crash(ctx, small_plan):
    from planner_core.errors import ValidationError
    from planner_gui.commands import AddNodeCommand, quoted

    assert quoted("هدف\ud800\x0bتازه") == "«هدف\ufffd تازه»"
    plan_id = small_plan["plan"].id
    error = execute(ctx, AddNodeCommand(ctx, plan_id, small_plan["axis"].id, "goal", "هدف \ud800"))
    assert isinstance(error, ValidationError) and error.field == "title"
    assert ctx.undo_stack.count() == 0
