"""The lifecycle as one table: steps, transitions, clocks and enums agree (kip-rules §2)."""

from __future__ import annotations

from datetime import UTC, datetime

from opendata.config import Limits
from opendata.information_requests.lifecycle import (
    STEPS,
    TRANSITIONS,
    Action,
    Actor,
    StageFacts,
    Status,
    stage_of,
)
from opendata.information_requests.rules import CLOCK_RULES, ClockKind, Decision
from opendata.information_requests.steps import STEP_CODE
from opendata.visibility.rules import ExemptionBasis, InformationCategory
from opendata.web.graphql.build import build_schema


def test_every_action_has_one_step_and_every_step_its_code() -> None:
    assert sorted(step.action for step in STEPS) == sorted(Action)
    assert set(STEP_CODE) == set(Action) - {Action.FILE}


def test_transitions_are_derived_from_the_step_table() -> None:
    assert {
        (step.action, status): step.to for step in STEPS for status in step.from_states
    } == TRANSITIONS


def test_each_clock_is_started_by_some_step_and_has_a_statutory_rule() -> None:
    started = {kind for step in STEPS for kind in step.starts}
    assert started == set(ClockKind) == set(CLOCK_RULES)


def test_the_ppid_may_still_answer_and_extend_while_an_objection_runs() -> None:
    for action in (Action.ANSWER, Action.EXTEND):
        assert (action, Status.OBJECTION_FILED) in TRANSITIONS
    assert (Action.FILE_OBJECTION, Status.OBJECTION_FILED) in TRANSITIONS


def test_only_the_superior_answers_objections_and_only_the_ppid_records() -> None:
    actors = {step.action: step.actors for step in STEPS}
    assert actors[Action.ANSWER_OBJECTION] == {Actor.SUPERIOR}
    for action in (Action.ANSWER, Action.EXTEND, Action.RECORD_FULFILMENT, Action.RECORD_DISPUTE):
        assert actors[action] == {Actor.PPID}


def test_a_pending_objection_outranks_a_later_notice_in_the_stage() -> None:

    noon = datetime(2026, 4, 10, 5, tzinfo=UTC)
    facts = StageFacts(
        withdrawn=False,
        dispute_filed=False,
        dispute_decided=False,
        objection_pending=True,
        last_objection_answered_at=None,
        answered_at=noon,
        extended=False,
    )
    assert stage_of(facts) is Status.OBJECTION_FILED


def test_the_schema_registers_the_domain_enums_themselves() -> None:
    schema = build_schema(Limits())
    for graphql_name, domain_enum in (
        ("RequestStatus", Status),
        ("RequestDecision", Decision),
        ("ExemptionBasis", ExemptionBasis),
        ("InformationCategory", InformationCategory),
    ):
        definition = schema.get_type_by_name(graphql_name)
        assert definition is not None
        assert getattr(definition, "wrapped_cls", None) is domain_enum
