"""The strawberry `Info` of this schema: its context is the request's scope."""

from __future__ import annotations

from strawberry.types import Info as StrawberryInfo

from opendata.request_scope import RequestScope

Info = StrawberryInfo[RequestScope, None]
