"""The Upload scalar's values: each must be a file the multipart parser made."""

from __future__ import annotations

from starlette.datastructures import UploadFile

from opendata.errors import BadUserInput


def upload_file(value: object, field: str) -> UploadFile:
    """`value` as the Starlette file it should be; a caller who sent something else in its
    place (a JSON string, say) gets BAD_USER_INPUT naming `field`."""
    if not isinstance(value, UploadFile):
        raise BadUserInput(
            "Berkas harus dikirim sebagai unggahan multipart.",
            "Files must be sent as a multipart upload.",
            field=field,
        )
    return value
