"""POST /graphql (and GET for cacheable queries; a browser's GET goes to GraphiQL, app.py):
our own thin endpoint.

Written over `schema.execute` rather than strawberry's view so that every refusal
(oversized body, malformed JSON, wrong content type, bad token) answers in the contract's
error shape, and so the response cache and cost report sit in one place.
"""

from __future__ import annotations

from typing import Any

import anyio
import anyio.to_thread
from graphql import DocumentNode
from sqlalchemy import Select, null, select
from starlette.requests import Request
from starlette.responses import Response
from strawberry.schema.exceptions import CannotGetOperationTypeError, InvalidOperationTypeError
from strawberry.types.graphql import OperationType

from opendata.calendar import WorkingCalendar
from opendata.calendar_store import STORED_VERSION, calendar_of_version
from opendata.catalogue.changes import GENERATION
from opendata.catalogue.kept_resources import KEPT_RESOURCES, KeptResources
from opendata.catalogue.queries import LARGEST_ROW_COUNT
from opendata.db.engine import bounded
from opendata.errors import DomainError, RateLimited
from opendata.regency_time import regency_today
from opendata.request_scope import Parts, RequestScope
from opendata.web.bearer import authenticate, bearer_token
from opendata.web.errors import error_body, format_graphql_error
from opendata.web.graphql.body import bad_request, decode_json, parse_operation, read_limited_body
from opendata.web.graphql.build import OpendataSchema
from opendata.web.graphql.cost import query_cost
from opendata.web.graphql.inputs import check_payload
from opendata.web.graphql.multipart import parse_multipart
from opendata.web.rate_limit import limiter_for, retry_after_header
from opendata.web.response_cache import (
    CachedResponse,
    ResponseCache,
    cache_key,
    is_cacheable,
    public_cache_headers,
    reads_nothing,
)
from opendata.web.responses import RequestRefused, encode, json_response

# A body this small decodes and checks in well under a millisecond; larger ones go to a thread.
SMALL_BODY = 16 * 1024
READ_ONLY = (OperationType.QUERY,)
READ_WRITE = (OperationType.QUERY, OperationType.MUTATION)


def _facts_statement(largest: bool) -> Select[tuple[Any, Any, Any]]:
    """What the endpoint reads before a query runs (`GraphQLEndpoint._facts`), built once:
    each is a key's row, and the largest resource comes from its index (0039)."""
    return bounded(
        select(
            LARGEST_ROW_COUNT.scalar_subquery() if largest else null(),
            STORED_VERSION.scalar_subquery(),
            GENERATION.scalar_subquery(),
        )
    )


FACTS, FACTS_WITH_LARGEST = _facts_statement(False), _facts_statement(True)


class GraphQLEndpoint:
    """The ASGI handler for /graphql."""

    def __init__(self, schema: OpendataSchema, services: Parts) -> None:
        self.schema = schema
        self.services = services
        settings = services.settings
        self.rate_limiter = limiter_for(services, "graphql")
        self.cache = ResponseCache(settings.response_cache_entries)
        # off with the response cache (`response_cache_entries = 0`: every cache off)
        self.kept_resources = KeptResources(
            KEPT_RESOURCES if settings.response_cache_entries else 0
        )
        self._large_bodies = anyio.CapacityLimiter(1)

    async def handle(self, request: Request) -> Response:
        try:
            return await self._handle(request)
        except RequestRefused as refused:
            return json_response(refused.body, status=refused.status, headers=refused.headers)
        except DomainError as refused:  # an input no resolver may see (`check_payload`)
            body = {"message": refused.message_id, "extensions": refused.extensions()}
            return json_response({"errors": [body]})

    async def _check_rate(self, token: str | None, request: Request) -> None:
        address = request.client.host if request.client else ""
        wait = await self.rate_limiter.retry_after(self.rate_limiter.client_key(token, address))
        if wait is not None:
            raise RequestRefused(
                RateLimited.http_status,
                "Terlalu banyak permintaan; coba lagi sebentar lagi.",
                "Too many requests; try again shortly.",
                "RATE_LIMITED",
                headers={"Retry-After": retry_after_header(wait)},
            )

    async def _payload(self, request: Request) -> Any:
        if request.method == "GET":
            raw_variables = request.query_params.get("variables")
            payload = {
                "query": request.query_params.get("query"),
                "variables": decode_json(raw_variables.encode()) if raw_variables else None,
                "operationName": request.query_params.get("operationName"),
            }
            check_payload(payload)
            return payload
        content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if content_type == "multipart/form-data":  # uploads (the multipart request spec)
            return await parse_multipart(request, self.services.database)
        if content_type != "application/json":
            raise RequestRefused(
                415,
                "Gunakan Content-Type: application/json.",
                "Use Content-Type: application/json.",
                "BAD_USER_INPUT",
            )
        limit = self.services.settings.limits.max_body_bytes
        body = await read_limited_body(request, limit)
        if len(body) <= SMALL_BODY:
            return decode_json(body)
        # Decoding and checking a large body takes a CPU burst: not on the event loop.
        return await anyio.to_thread.run_sync(decode_json, body, limiter=self._large_bodies)

    async def _facts(self, query: str, introspection: bool) -> tuple[int, WorkingCalendar, int]:
        """What the endpoint reads before it executes, in one statement: the largest
        resource's row count, only when the document can name a field that scans (every
        field's name is written in the document's text); the calendar's version (another
        server may have changed it); the catalogue generation (the response cache's key, and
        the key of the resources kept across requests). An introspection query reads none
        of them: its answer is the schema's (generation 0 in its cache key)."""
        if introspection:
            return 0, self.services.calendar, 0
        facts = FACTS_WITH_LARGEST if "rows" in query or "aggregate" in query else FACTS
        async with self.services.database.session() as session:
            # one statement for the three (each was a round trip of its own)
            largest, version, generation = (await session.execute(facts)).one()
            calendar = await calendar_of_version(self.services, session, version)
        return int(largest or 0), calendar, int(generation or 0)

    async def _handle(self, request: Request) -> Response:
        token = bearer_token(request)
        await self._check_rate(token, request)
        query, variables, operation_name = parse_operation(await self._payload(request))
        prepared = await self.schema.documents.prepare(query)
        if prepared.document is None or prepared.errors:
            return json_response({"errors": [format_graphql_error(e) for e in prepared.errors]})
        # the facts, the token's check and the resolvers' reads share one session as far as
        # they run one after another (`Database.shared_reads`)
        async with self.services.database.shared_reads():
            return await self._answer(
                request, token, query, variables, operation_name, prepared.document
            )

    async def _answer(
        self,
        request: Request,
        token: str | None,
        query: str,
        variables: dict[str, Any] | None,
        operation_name: str | None,
        document: DocumentNode,
    ) -> Response:
        limits = self.services.settings.limits
        cacheable = token is None and is_cacheable(document, operation_name)
        introspection = reads_nothing(document, operation_name)
        largest, calendar, generation = await self._facts(query, introspection)
        cost = query_cost(
            self.schema.documents.schema, document, operation_name, variables, largest
        )
        if cost > limits.max_cost:
            refusal = {
                "errors": [
                    error_body(
                        f"Kueri terlalu mahal: biaya {cost}, batas {limits.max_cost}. "
                        "Kurangi `first` atau kedalaman.",
                        f"The query exceeds the maximum cost: {cost} > {limits.max_cost}. "
                        "Lower `first` or the nesting.",
                        "QUERY_TOO_COMPLEX",
                    )
                ],
                "extensions": {"cost": {"requested": cost, "limit": limits.max_cost}},
            }
            return json_response(refusal)
        cache_key_value: str | None = None
        if cacheable:
            # links in an answer may name the host it was asked on (attachment URLs)
            state = f"{generation}:{regency_today()}:{calendar.version}:{request.base_url}"
            cache_key_value = cache_key(query, variables, operation_name, state)
            cached = self.cache.get(cache_key_value)
            if cached is not None:
                return self._cached_response(request, cached)
        viewer = await authenticate(self.services.database, token)
        if token is not None:  # proved valid: from now on it has a bucket of its own
            self.rate_limiter.token_authenticated(token)
        context = RequestScope.of(
            self.services,
            viewer,
            request.client.host if request.client else "",
            str(request.base_url),
        )
        context.generation, context.kept_resources = generation, self.kept_resources
        try:
            result = await self.schema.execute(
                query,
                variable_values=variables,
                context_value=context,
                operation_name=operation_name,
                allowed_operation_types=READ_ONLY if request.method == "GET" else READ_WRITE,
            )
        except InvalidOperationTypeError as error:
            raise RequestRefused(
                405,
                "Mutasi hanya diterima lewat POST.",
                "Mutations are only accepted over POST.",
                "BAD_USER_INPUT",
            ) from error
        except CannotGetOperationTypeError as error:
            raise bad_request(
                "Tentukan `operationName` yang ada di dokumen.",
                "Give an `operationName` that exists in the document.",
            ) from error
        body: dict[str, Any] = {}
        if result.errors:
            body["errors"] = [format_graphql_error(error) for error in result.errors]
        if result.data is not None or not result.errors:
            body["data"] = result.data
        body["extensions"] = {
            **(result.extensions or {}),
            "cost": {"requested": cost, "limit": limits.max_cost},
        }
        encoded = encode(body)
        if cache_key_value is not None and not result.errors:
            return self._cached_response(request, self.cache.put(cache_key_value, encoded))
        return Response(
            encoded, media_type="application/json", headers={"Cache-Control": "no-store"}
        )

    @staticmethod
    def _cached_response(request: Request, cached: CachedResponse) -> Response:
        headers = public_cache_headers(cached)
        if request.headers.get("if-none-match") == cached.etag:
            return Response(status_code=304, headers=headers)
        return Response(cached.body, media_type="application/json", headers=headers)
