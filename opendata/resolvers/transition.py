"""Until the domain functions take the parts they use (issue 19): a scope passed where today's
signatures say `Services`. It has every attribute they read; delete this when they take the
parts' Protocol and pass the scope itself."""

from __future__ import annotations

from typing import cast

from opendata.request_scope import RequestScope
from opendata.services import Services


def as_services(scope: RequestScope) -> Services:
    return cast(Services, scope)
