"""the whole statute: notice contents, fees, fulfilment, several numbered objections, dispute
outcomes, and each request's statutory clocks as rows

Revision ID: 0005
Revises: 0003 (and needs 0002, which created the request tables)

Existing objections get a register number from their request's agency and filing year; each
running request gets its clocks from the columns that held them before.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from opendata.db.base import UtcDateTime

revision = "0005"
down_revision = "0003"
branch_labels = None
depends_on = "0002"


def upgrade() -> None:
    with op.batch_alter_table("information_requests") as batch:
        batch.add_column(sa.Column("fee_amount", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("fee_basis", sa.String(length=200), nullable=True))
        batch.add_column(sa.Column("held_by", sa.String(length=500), nullable=True))
        batch.add_column(sa.Column("expected_on", sa.Date(), nullable=True))
        batch.add_column(sa.Column("exemption_expires_on", sa.Date(), nullable=True))
        batch.add_column(sa.Column("decision_reference", sa.String(length=200), nullable=True))
        batch.add_column(sa.Column("delivered_on", sa.Date(), nullable=True))
        batch.add_column(sa.Column("delivered_form", sa.String(length=12), nullable=True))

    with op.batch_alter_table("objections") as batch:
        batch.drop_constraint("uq_objections_request_id", type_="unique")
        batch.add_column(sa.Column("agency_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("registration_year", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("sequence", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("registration_number", sa.String(length=80), nullable=True))
    _number_existing_objections()
    with op.batch_alter_table("objections") as batch:
        batch.alter_column("agency_id", existing_type=sa.Integer(), nullable=False)
        batch.alter_column("registration_year", existing_type=sa.Integer(), nullable=False)
        batch.alter_column("sequence", existing_type=sa.Integer(), nullable=False)
        batch.alter_column(
            "registration_number", existing_type=sa.String(length=80), nullable=False
        )
        batch.create_foreign_key(
            op.f("fk_objections_agency_id_agencies"), "agencies", ["agency_id"], ["id"]
        )
        batch.create_unique_constraint(
            op.f("uq_objections_registration_number"), ["registration_number"]
        )
        batch.create_index(op.f("ix_objections_request_id"), ["request_id"])

    with op.batch_alter_table("disputes") as batch:
        batch.add_column(sa.Column("summary", sa.Text(), nullable=True))
    # the outcome was free text: keep it as the summary, the outcome is now a DisputeOutcome
    op.execute("UPDATE disputes SET summary = outcome, outcome = NULL")
    with op.batch_alter_table("disputes") as batch:
        batch.alter_column(
            "outcome", existing_type=sa.Text(), type_=sa.String(length=20), nullable=True
        )

    op.create_table(
        "objection_counters",
        sa.Column("agency_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("last_sequence", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["agency_id"], ["agencies.id"], name=op.f("fk_objection_counters_agency_id_agencies")
        ),
        sa.PrimaryKeyConstraint("agency_id", "year", name=op.f("pk_objection_counters")),
    )
    op.execute(
        "INSERT INTO objection_counters (agency_id, year, last_sequence) "
        "SELECT agency_id, registration_year, MAX(sequence) FROM objections "
        "GROUP BY agency_id, registration_year"
    )

    op.create_table(
        "request_clocks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("party", sa.String(length=12), nullable=False),
        sa.Column("objection_id", sa.Integer(), nullable=True),
        sa.Column("started_on", sa.Date(), nullable=False),
        sa.Column("working_days", sa.Integer(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("fixed", sa.Boolean(), nullable=False),
        sa.Column("stopped_at", UtcDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["information_requests.id"],
            name=op.f("fk_request_clocks_request_id_information_requests"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["objection_id"],
            ["objections.id"],
            name=op.f("fk_request_clocks_objection_id_objections"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_request_clocks")),
    )
    op.create_index(op.f("ix_request_clocks_request_id"), "request_clocks", ["request_id"])
    op.create_index("ix_request_clocks_running_due_on", "request_clocks", ["stopped_at", "due_on"])
    _clocks_for_existing_requests()


def _number_existing_objections() -> None:
    bind = op.get_bind()
    rows = bind.execute(
        sa.text(
            "SELECT o.id, r.agency_id, o.filed_on, COALESCE(a.acronym, a.slug) "
            "FROM objections o JOIN information_requests r ON r.id = o.request_id "
            "JOIN agencies a ON a.id = r.agency_id ORDER BY o.filed_at, o.id"
        )
    ).all()
    sequences: dict[tuple[int, int], int] = {}
    for objection_id, agency_id, filed_on, prefix in rows:
        year = int(str(filed_on)[:4])
        sequence = sequences.get((agency_id, year), 0) + 1
        sequences[(agency_id, year)] = sequence
        number = f"{str(prefix).strip().upper().replace('/', '-')}/KEB/{year}/{sequence:06d}"
        bind.execute(
            sa.text(
                "UPDATE objections SET agency_id = :agency, registration_year = :year, "
                "sequence = :sequence, registration_number = :number WHERE id = :id"
            ),
            {
                "agency": agency_id,
                "year": year,
                "sequence": sequence,
                "number": number,
                "id": objection_id,
            },
        )


def _clocks_for_existing_requests() -> None:
    """The notice clock of unanswered requests and the superior's clock of open objections."""
    op.execute(
        "INSERT INTO request_clocks (request_id, kind, party, started_on, working_days, due_on, "
        "fixed) SELECT id, 'NOTICE', 'OFFICER', received_on, "
        "CASE WHEN extended THEN 17 ELSE 10 END, answer_due_on, false "
        "FROM information_requests WHERE answered_at IS NULL AND withdrawn_at IS NULL "
        "AND status <> 'DISPUTE_DECIDED'"
    )
    op.execute(
        "INSERT INTO request_clocks (request_id, kind, party, objection_id, started_on, "
        "working_days, due_on, fixed) SELECT o.request_id, 'OBJECTION_ANSWER', 'SUPERIOR', o.id, "
        "o.filed_on, 30, o.due_on, false FROM objections o JOIN information_requests r "
        "ON r.id = o.request_id WHERE o.answered_at IS NULL AND r.status = 'OBJECTION_FILED'"
    )
    # the requester's window and the Commission's clock, as the register showed them
    op.execute(
        "INSERT INTO request_clocks (request_id, kind, party, started_on, working_days, due_on, "
        "fixed) SELECT id, 'OBJECTION_FILING', 'REQUESTER', answered_on, 30, due_on, false "
        "FROM information_requests WHERE status = 'ANSWERED' AND due_party = 'REQUESTER'"
    )
    op.execute(
        "INSERT INTO request_clocks (request_id, kind, party, started_on, working_days, due_on, "
        "fixed) SELECT r.id, 'DISPUTE_FILING', 'REQUESTER', o.answered_on, 14, r.due_on, false "
        "FROM information_requests r JOIN objections o ON o.request_id = r.id "
        "WHERE r.status = 'OBJECTION_ANSWERED' AND r.due_party = 'REQUESTER'"
    )
    op.execute(
        "INSERT INTO request_clocks (request_id, kind, party, started_on, working_days, due_on, "
        "fixed) SELECT r.id, 'COMMISSION_SETTLEMENT', 'COMMISSION', d.filed_on, 100, r.due_on, "
        "false FROM information_requests r JOIN disputes d ON d.request_id = r.id "
        "WHERE r.status = 'DISPUTE_FILED' AND r.due_party = 'COMMISSION'"
    )


def downgrade() -> None:
    op.drop_table("request_clocks")
    op.drop_table("objection_counters")
    with op.batch_alter_table("disputes") as batch:
        batch.drop_column("summary")
    with op.batch_alter_table("objections") as batch:
        batch.drop_index(op.f("ix_objections_request_id"))
        batch.drop_constraint(op.f("uq_objections_registration_number"), type_="unique")
        batch.drop_constraint(op.f("fk_objections_agency_id_agencies"), type_="foreignkey")
        for column in ("registration_number", "sequence", "registration_year", "agency_id"):
            batch.drop_column(column)
    with op.batch_alter_table("information_requests") as batch:
        for column in (
            "delivered_form",
            "delivered_on",
            "decision_reference",
            "exemption_expires_on",
            "expected_on",
            "held_by",
            "fee_basis",
            "fee_amount",
        ):
            batch.drop_column(column)
