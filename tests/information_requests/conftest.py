from __future__ import annotations

import pytest

from opendata.services import Services
from tests.information_requests.helpers import Desk, make_desk


@pytest.fixture
async def desk(services: Services) -> Desk:
    return await make_desk(services)
