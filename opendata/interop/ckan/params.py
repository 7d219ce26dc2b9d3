"""Per-action parameters declared as data: names, types, bounds, defaults; unknown keys refused.

GET query strings carry text (lists repeated or comma-separated, objects as JSON); POST bodies
carry JSON. Both are read into the same typed values here, so an action never parses input.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from opendata.errors import BadUserInput
from opendata.inputs import MAX_INT32, parse_int, text_problem
from opendata.interop.ckan.errors import CkanError, invalid

# "any": accepted as sent (text rule checked) and left unused: what CKAN takes but we need not.
Kind = Literal["str", "int", "bool", "list", "dict", "any"]
_TRUE = {"true", "1", "yes", "on"}
_FALSE = {"false", "0", "no", "off"}
MAX_TEXT = 1000


@dataclass(frozen=True)
class Param:
    kind: Kind = "str"
    default: Any = None
    required: bool = False
    minimum: int | None = None
    maximum: int | None = None
    choices: tuple[str, ...] = ()


def _refused(name: str, rule_id: str, rule_en: str) -> CkanError:
    """A parameter refused: each message is its name, then the rule it broke."""
    return invalid(name, f"`{name}` {rule_id}", f"`{name}` {rule_en}")


def _control(name: str) -> CkanError:
    return _refused(
        name,
        "tidak boleh berisi karakter NUL atau karakter kendali.",
        "must not contain NUL or control characters.",
    )


def _text(name: str, value: Any) -> str:
    if not isinstance(value, str | int | float) or isinstance(value, bool):
        raise _refused(name, "harus berupa teks.", "must be a string.")
    text = str(value)
    if text_problem(text) is not None:
        raise _control(name)
    if len(text) > MAX_TEXT:
        raise _refused(
            name, f"paling panjang {MAX_TEXT} karakter.", f"is at most {MAX_TEXT} characters."
        )
    return text


def _from_json_text(name: str, value: Any) -> Any:
    if isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            raise _refused(name, "bukan JSON yang sah.", "is not valid JSON.") from None
    return value


def _convert(name: str, param: Param, value: Any) -> Any:
    if param.kind == "int":
        if isinstance(value, bool) or not isinstance(value, int | str):
            number = None
        else:
            try:  # from ASCII digits only: int() also reads "١", " 1" and "1_0"
                number = parse_int(str(value), name, minimum=-MAX_INT32)
            except BadUserInput:
                number = None
        if number is None:
            raise _refused(name, "harus bilangan bulat.", "must be an integer.")
        low, high = param.minimum, param.maximum
        if (low is not None and number < low) or (high is not None and number > high):
            raise _refused(
                name, f"harus antara {low} dan {high}.", f"must be between {low} and {high}."
            )
        return number
    if param.kind == "bool":
        if isinstance(value, bool):
            return value
        lowered = str(value).lower()
        if lowered in _TRUE or lowered in _FALSE:
            return lowered in _TRUE
        raise _refused(name, "harus true atau false.", "must be true or false.")
    if param.kind == "list":
        items = _from_json_text(name, value) if str(value).startswith("[") else value
        if isinstance(items, str):
            items = [part.strip() for part in items.split(",") if part.strip()]
        if not isinstance(items, list):
            raise _refused(name, "harus berupa daftar.", "must be a list.")
        return [_text(name, item) for item in items]
    if param.kind == "any":
        _check_texts(name, value)
        return value
    if param.kind == "dict":
        mapping = _from_json_text(name, value)
        if not isinstance(mapping, dict):
            raise _refused(name, "harus berupa objek JSON.", "must be a JSON object.")
        _check_texts(name, mapping)
        return mapping
    text = _text(name, value)
    if param.choices and text not in param.choices:
        allowed = ", ".join(param.choices)
        raise _refused(name, f"harus salah satu dari: {allowed}.", f"must be one of: {allowed}.")
    return text


def _check_texts(name: str, value: Any) -> None:
    """Every string inside a JSON parameter (keys too) follows the one text rule."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str) and text_problem(item) is not None:
            raise _control(name)
        elif isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())


def parse_params(
    spec: Mapping[str, Param], raw: Mapping[str, Any], strict: bool = True, open_prefix: str = ""
) -> dict[str, Any]:
    """Typed values for every declared parameter (defaults filled). Any other key is refused
    when `strict` (unless it starts with `open_prefix`), else ignored, as CKAN does per action."""
    for name in raw:
        if name not in spec and strict and not (open_prefix and name.startswith(open_prefix)):
            raise invalid(
                name,
                f"Parameter `{name}` tidak dikenal untuk aksi ini.",
                f"Parameter `{name}` is not accepted by this action.",
            )
    parsed: dict[str, Any] = {}
    for name, param in spec.items():
        value = raw.get(name)
        if value is None or (value == "" and param.kind != "str"):
            if param.required:
                raise _refused(name, "wajib diisi.", "is required.")
            parsed[name] = param.default
            continue
        parsed[name] = _convert(name, param, value)
        if param.required and parsed[name] in ("", [], {}):
            raise _refused(name, "wajib diisi.", "is required.")
    return parsed
