"""The request half of the GraphQL contract, one kind per module: object types, inputs, the
service report, queries and the step mutations (which share one builder)."""

from opendata.schema.requests.mutations import RequestsMutation
from opendata.schema.requests.query import RequestsQuery
from opendata.schema.requests.types import (
    InformationRequestConnection,
    InformationRequestType,
    request_connection,
)

__all__ = [
    "InformationRequestConnection",
    "InformationRequestType",
    "RequestsMutation",
    "RequestsQuery",
    "request_connection",
]
