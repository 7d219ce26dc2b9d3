"""GET /download/<resource id>.csv|.jsonl|.xlsx: exactly what `Resource.rows` shows, as a file.

The query string takes the same arguments as `rows`: `where` (the JSON object), `orderBy`
(`field,-other` or the JSON list of {field, direction}) and `fields` (`a,b`); `version=N`
gives an earlier published version of the dataset (opendata.publishing.older). Rows stream
straight from the typed table; a client that goes away ends the stream quietly.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from typing import Any

import anyio
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.datastructures import QueryParams
from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response, StreamingResponse

from opendata.catalogue import datapackage, exports, queries, row_query
from opendata.db.models import Dataset, Resource
from opendata.errors import BadUserInput, not_found
from opendata.inputs import check_address
from opendata.public_ids import from_global_id, to_global_id
from opendata.publishing.older import resource_at_version, version_number
from opendata.urls import PublicUrls
from opendata.visibility.fields import FieldDef
from opendata.visibility.policy import load_policy
from opendata.web.attachments import content_disposition
from opendata.web.endpoint import FileEndpoint
from opendata.web.responses import json_response

MAX_PARAMETER_CHARS = 20_000


def _json_parameter(text: str | None, name: str) -> Any:
    if text is None:
        return None
    try:
        if len(text) > MAX_PARAMETER_CHARS:
            raise ValueError("too long")
        return json.loads(text)
    except (ValueError, RecursionError):
        raise BadUserInput(
            f"Parameter `{name}` harus berupa JSON yang sah.",
            f"Parameter `{name}` must be valid JSON.",
            field=name,
        ) from None


def _order_parameter(text: str | None) -> list[tuple[str, bool]]:
    """`a,-b` or [{"field": "a", "direction": "DESC"}]: (field, descending) pairs."""
    if not text:
        return []
    if text.lstrip().startswith("["):
        items = _json_parameter(text, "orderBy")
        if not isinstance(items, list) or not all(
            isinstance(i, dict) and i.get("direction", "ASC") in ("ASC", "DESC") for i in items
        ):
            raise BadUserInput(
                "`orderBy` berupa daftar {field, direction: ASC|DESC}.",
                "`orderBy` is a list of {field, direction: ASC|DESC}.",
                field="orderBy",
            )
        return [(i.get("field"), i.get("direction") == "DESC") for i in items]
    return [(part.lstrip("-"), part.startswith("-")) for part in text.split(",") if part]


def _list_parameter(text: str | None) -> Sequence[str] | None:
    return None if text is None else [part for part in text.split(",") if part]


async def _released(
    chunks: AsyncIterator[Any], held: contextlib.AsyncExitStack
) -> AsyncIterator[Any]:
    """The chunks (quietly), then the snapshot they were read from is released, also when
    the client goes away: the chunks' own clean-up (a COPY stopped) runs first.

    A client gone away cancels the stream's scope, which would cancel every await of this
    clean-up too, leaving the connection's rollback half done (logged by the pool with a
    traceback); the clean-up runs shielded, to its end."""
    quiet = _quiet(chunks)
    try:
        async for chunk in quiet:
            yield chunk
    finally:
        with anyio.CancelScope(shield=True):
            for generator in (quiet, chunks):
                close = getattr(generator, "aclose", None)
                if close is not None:
                    await close()
            await held.aclose()


async def _quiet(chunks: AsyncIterator[Any]) -> AsyncIterator[Any]:
    """Yield to the event loop after each chunk, so a client that has gone away is noticed
    (and the stream cancelled) before more is written to its closed socket."""
    try:
        async for chunk in chunks:
            yield chunk
            await asyncio.sleep(0)
    except (ClientDisconnect, OSError):
        return


def file_name(dataset_slug: str, resource_name: str, extension: str) -> str:
    """`<dataset>-<resource>.<extension>`: a saved file says what it holds."""
    return f"{dataset_slug}-{resource_name}.{extension}"


@dataclass(frozen=True)
class Selection:
    """What one download holds: the resource's visible rows under the asked filters, in the
    asked order, with the asked fields (by default every field not withheld)."""

    dataset: Dataset
    resource: Resource
    source: row_query.RowSource
    conditions: tuple[row_query.Condition, ...]
    order: tuple[row_query.SortKey, ...]
    names: tuple[str, ...]

    @property
    def global_id(self) -> str:
        return to_global_id("Resource", self.resource.id)

    @property
    def fields(self) -> list[FieldDef]:
        by_name = {f.name: f for f in self.source.fields}
        return [by_name[name] for name in self.names]


async def selection(session: AsyncSession, global_id: str, params: QueryParams) -> Selection:
    """The resource named by `global_id` and what the query string asks of it, all checked
    (by the parsers `rows` uses) in `session`; refuses what the policy does not let out."""
    _, pk = from_global_id(global_id, expected="Resource")
    # resource ids are 32-bit keys: a larger number names no resource (and no query)
    found = (await queries.resources_by_ids(session, [pk]))[0] if 0 < pk < 2**31 else None
    if found is None:
        raise not_found("Sumber data", "Resource", global_id)
    resource = found
    if params.get("version"):  # an earlier published version, under today's exemptions
        resource = await resource_at_version(session, resource, version_number(params["version"]))
    dataset = await session.get(Dataset, resource.dataset_id)
    assert dataset is not None  # resources_by_ids found it live
    policy = await load_policy(session, resource.dataset_id)
    source = row_query.row_source(resource, policy)
    conditions = row_query.parse_where(source, _json_parameter(params.get("where"), "where"))
    order = row_query.parse_order(source, _order_parameter(params.get("orderBy")))
    chosen = _list_parameter(params.get("fields"))
    # withheld fields are left out of every file (their column too), as from its schema;
    # when every field is withheld, their empty columns still give a line per visible row
    names = (
        row_query.parse_fields(source, chosen)
        if chosen is not None or not source.readable
        else tuple(f.name for f in source.readable)
    )
    return Selection(dataset, resource, source, conditions, order, names)


class DownloadEndpoint(FileEndpoint):
    async def answer(self, request: Request) -> Response:
        extension = request.url.path.rsplit(".", 1)[-1]
        export = exports.FORMATS.get(extension, exports.FORMATS["csv"])
        database = self.services.database
        # The policy, the checks and every row come from ONE snapshot, held until the stream
        # ends: a download is the data and the exemptions as they were when it started, so an
        # exemption committed meanwhile never lets a value read after it through.
        held = contextlib.AsyncExitStack()
        session = await held.enter_async_context(database.snapshot())
        try:
            chosen = await selection(
                session, request.path_params["resource_id"], request.query_params
            )
            body = await self._body(session, export, chosen)
        except BaseException:
            await held.aclose()
            raise
        name = file_name(chosen.dataset.slug, chosen.resource.name, export.extension)
        return StreamingResponse(
            _released(body, held),
            media_type=export.media_type,
            headers={"Content-Disposition": content_disposition(name)},
        )

    async def _body(
        self, session: AsyncSession, export: exports.ExportFormat, chosen: Selection
    ) -> AsyncIterator[Any]:
        """The file's chunks (not yet read), all from `session`."""
        source, conditions, order, names = (
            chosen.source,
            chosen.conditions,
            chosen.order,
            chosen.names,
        )
        if (
            export.extension == "xlsx"
            and await row_query.count_rows(session, source, conditions) > exports.XLSX_MAX_ROWS
        ):
            raise BadUserInput(
                "Terlalu banyak baris untuk satu lembar XLSX; unduh CSV atau JSON Lines.",
                "Too many rows for one XLSX sheet; download CSV or JSON Lines instead.",
                field="format",
            )
        batches = row_query.stream_rows(session, source, conditions, order, names)
        if export.extension == "xlsx":
            return exports.file_chunks(await exports.xlsx_file(chosen.fields, batches))
        if export.extension == "jsonl":
            return exports.jsonl_chunks(names, batches)
        if self.services.database.is_postgres:
            statement = exports.neutralised_select(
                row_query.csv_select(source, conditions, order, names),
                [f.type == "string" for f in chosen.fields],
            )
            return exports.postgres_csv_chunks(session, names, statement)
        return exports.csv_chunks(names, batches)


class DataPackageEndpoint(FileEndpoint):
    """`datapackage.json` beside a download (the same query string: the same rows and
    fields) and beside a dataset (each resource whose rows are public, whole)."""

    async def answer(self, request: Request) -> Response:
        check_address(request.path_params, request.query_params.multi_items())
        urls = PublicUrls.for_request(request)
        async with self.services.database.snapshot() as session:
            if "slug" in request.path_params:
                dataset = await queries.dataset_by_slug(session, request.path_params["slug"])
                if dataset is None:
                    raise not_found("Dataset", "Dataset", request.path_params["slug"])
                (await load_policy(session, dataset.id)).require_rows()
                resources = (await queries.resources_by_dataset_ids(session, [dataset.id]))[0]
                chosen = [
                    await selection(session, to_global_id("Resource", r.id), QueryParams())
                    for r in resources
                ]
                query = ""
            else:
                chosen = [
                    await selection(
                        session, request.path_params["resource_id"], request.query_params
                    )
                ]
                dataset, query = chosen[0].dataset, request.url.query
        described = [
            datapackage.resource_descriptor(
                one.resource.name,
                _with_query(urls.route("download_csv", resource_id=one.global_id), query),
                one.fields,
            )
            for one in chosen
        ]
        package = datapackage.package_descriptor(dataset, urls.dataset(dataset.slug), described)
        return json_response(package)


def _with_query(url: str, query: str) -> str:
    return f"{url}?{query}" if query else url
