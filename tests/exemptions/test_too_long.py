"""Text longer than an argument takes is refused in one wording at every door.

The request forms said "`purpose` is too long (at most 10000 characters)" where an exemption
and a search said "`reason` is at most 5000 characters": one rule, two messages. Both now come
from `opendata.inputs.too_long` (this test failed on 3585682 for the request form).
"""

from __future__ import annotations

import re

import pytest

from opendata.errors import BadUserInput
from opendata.information_requests.validation import MAX_TEXT, required_text
from tests.exemptions.conftest import World
from tests.exemptions.helpers import add
from tests.web.helpers import gql

SHAPE_ID = re.compile(r"`(\w+)` paling panjang (\d+) karakter\.")
SHAPE_EN = re.compile(r"`(\w+)` is at most (\d+) characters\.")


def _shape(message_id: str, message_en: str) -> tuple[str, int]:
    said_id, said_en = SHAPE_ID.fullmatch(message_id), SHAPE_EN.fullmatch(message_en)
    assert said_id and said_en, (message_id, message_en)
    assert said_id.groups() == said_en.groups()
    return said_id[1], int(said_id[2])


async def test_a_search_an_exemption_and_a_request_form_say_too_long_alike(world: World) -> None:
    refused = []
    searched = await gql(
        world.client, "query($q: String!) { datasets(query: $q) { totalCount } }", {"q": "x" * 201}
    )
    refused.append(searched["errors"][0])
    added = await add(
        world.client,
        world.tokens.officer,
        dataset="laporan-investigasi-wabah",
        scope="FIELD",
        field="nik",
        consequenceTest="x" * 5_001,
    )
    refused.append(added["errors"][0])
    said = [_shape(error["message"], error["extensions"]["messageEn"]) for error in refused]
    assert said == [("query", 200), ("consequenceTest", 5_000)]
    assert [error["extensions"]["code"] for error in refused] == ["BAD_USER_INPUT"] * 2

    with pytest.raises(BadUserInput) as raised:
        required_text("x" * (MAX_TEXT + 1), "purpose")
    assert _shape(raised.value.message_id, raised.value.message_en) == ("purpose", MAX_TEXT)
