"""The schema's root types, merged from each domain's part.

Each domain adds its Query and Mutation parts to the lists below; names are promises to
external apps (see contract.graphql).
"""

from __future__ import annotations

from typing import Any

from opendata.schema.accounts import AccountsMutation, AccountsQuery
from opendata.schema.attachments import AttachmentsMutation
from opendata.schema.catalogue import CatalogueQuery
from opendata.schema.exemptions import ExemptionMutation, ExemptionQuery
from opendata.schema.follows import FollowsMutation
from opendata.schema.objection_register import ObjectionRegisterQuery
from opendata.schema.publishing import PublishingMutation
from opendata.schema.queue import QueueQuery
from opendata.schema.report_narrative import ReportNarrativeMutation
from opendata.schema.requests import RequestsMutation, RequestsQuery

QUERY_PARTS: list[type[Any]] = [
    CatalogueQuery,
    AccountsQuery,
    RequestsQuery,
    ExemptionQuery,
    QueueQuery,
    ObjectionRegisterQuery,
]
MUTATION_PARTS: list[type[Any]] = [
    AccountsMutation,
    RequestsMutation,
    ExemptionMutation,
    AttachmentsMutation,
    ReportNarrativeMutation,
    PublishingMutation,
    FollowsMutation,
]
