"""GraphQL multipart requests (github.com/jaydenseric/graphql-multipart-request-spec).

A `multipart/form-data` POST carries `operations` (the usual JSON body), `map` (which file
goes to which variable path) and the files. The files are put into the variables, where
strawberry's `Upload` scalar hands them to the resolver. Uploads need a bearer token: a
browser form on another site can post multipart without asking, but cannot add that header
(the CSRF rule strawberry's own view enforces with a preflight header). The token is proved
(`authenticate`) before a byte of the body is read, and the body is parsed as it arrives,
files spooled to temporary files on disk, refused once it passes the upload bound: an
anonymous client cannot make the server hold its uploads in memory.
"""

from __future__ import annotations

import json
from typing import Any

from starlette.datastructures import UploadFile
from starlette.requests import Request

from opendata.attachments.rules import MAX_FILES_PER_UPLOAD, MAX_UPLOAD_BYTES
from opendata.db.engine import Database
from opendata.errors import BadUserInput
from opendata.web.bearer import authenticate, bearer_token
from opendata.web.graphql.body import bounded_receive
from opendata.web.graphql.inputs import check_map, check_payload
from opendata.web.responses import RequestRefused


def _refused(
    message_id: str, message_en: str, status: int = BadUserInput.http_status
) -> RequestRefused:
    return RequestRefused(status, message_id, message_en, "BAD_USER_INPUT")


def _json_field(form: Any, name: str) -> Any:
    raw = form.get(name)
    if not isinstance(raw, str):
        raise _refused(f"Bagian `{name}` wajib ada.", f"The `{name}` part is required.")
    try:
        return json.loads(raw)
    except ValueError as error:
        raise _refused(
            f"Bagian `{name}` bukan JSON yang valid.", f"The `{name}` part is not valid JSON."
        ) from error


def _place(operations: dict[str, Any], path: str, upload: UploadFile) -> None:
    """Put `upload` at a path like `variables.input.attachments.0`."""
    keys = path.split(".")
    if len(keys) < 2 or keys[0] != "variables":
        raise _refused(
            f"Jalur `{path}` di `map` harus diawali `variables.`.",
            f"The `map` path `{path}` must start with `variables.`.",
        )
    target: Any = operations
    for key in keys[:-1]:
        target = target[int(key)] if isinstance(target, list) else target.get(key)
        if target is None:
            break
    last = keys[-1]
    try:
        if isinstance(target, list):
            target[int(last)] = upload
        elif isinstance(target, dict):
            target[last] = upload
        else:
            raise TypeError(path)
    except (ValueError, IndexError, TypeError) as error:
        raise _refused(
            f"Jalur `{path}` di `map` tidak ada di `variables`.",
            f"The `map` path `{path}` does not exist in `variables`.",
        ) from error


async def parse_multipart(request: Request, database: Database) -> dict[str, Any]:
    """The operation of a multipart request, its files in place of the mapped variables."""
    token = bearer_token(request)
    if token is None:
        raise RequestRefused(
            401,
            "Unggahan memerlukan token (Authorization: Bearer ...).",
            "Uploads need a token (Authorization: Bearer ...).",
            "UNAUTHENTICATED",
        )
    await authenticate(database, token)  # a bad token is refused before the body is read
    bounded = Request(request.scope, bounded_receive(request, MAX_UPLOAD_BYTES))
    try:
        form = await bounded.form(
            max_files=MAX_FILES_PER_UPLOAD, max_fields=MAX_FILES_PER_UPLOAD + 2
        )
    except RequestRefused:  # past the upload bound
        raise
    except Exception as error:  # python-multipart's refusals: too many parts, bad framing
        raise _refused(
            "Isi multipart tidak valid atau terlalu banyak bagian.",
            "The multipart body is malformed or has too many parts.",
        ) from error
    operations = _json_field(form, "operations")
    mapping = _json_field(form, "map")
    if not isinstance(operations, dict):
        raise _refused(
            "`operations` harus satu objek JSON (tanpa batch).",
            "`operations` must be one JSON object (no batches).",
        )
    check_payload(operations)  # the same text and nesting rules as a JSON body
    if not isinstance(mapping, dict) or not all(
        isinstance(paths, list) and all(isinstance(p, str) for p in paths)
        for paths in mapping.values()
    ):
        raise _refused(
            '`map` harus berbentuk {"0": ["variables.file"]}.',
            '`map` must look like {"0": ["variables.file"]}.',
        )
    check_map(operations, mapping)
    for field_name, paths in mapping.items():
        upload = form.get(field_name)
        if not isinstance(upload, UploadFile):
            raise _refused(
                f"Berkas `{field_name}` yang disebut di `map` tidak ada.",
                f"The file `{field_name}` named in `map` is missing.",
            )
        for path in paths:
            _place(operations, path, upload)
    return operations
