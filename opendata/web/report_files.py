"""GET /reports/<year>.csv|.html[?agency=<slug>&part=requests]: the annual service report.

The same `service_report` the GraphQL `serviceReport` field reads, as a download (CSV: the
figures, or with `part=requests` one line per request) and as a printable page.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from opendata.errors import BadUserInput
from opendata.information_requests.report import service_report
from opendata.information_requests.report_formats import report_csv, requests_csv
from opendata.web.endpoint import FileEndpoint
from opendata.web.report_page import report_html


class ReportEndpoint(FileEndpoint):
    async def answer(self, request: Request) -> Response:
        year = int(request.path_params["year"])
        form = request.path_params["format"]
        agency = request.query_params.get("agency") or None
        part = request.query_params.get("part", "summary")
        if form not in ("csv", "html") or part not in ("summary", "requests"):
            raise BadUserInput(
                "Format laporan: .csv atau .html; part: summary atau requests.",
                "Report format: .csv or .html; part: summary or requests.",
                field="format",
            )
        report = await service_report(self.services, year, agency)
        if form == "html":
            return HTMLResponse(report_html(report))
        body = requests_csv(report) if part == "requests" else report_csv(report)
        scope = report.agency.slug if report.agency else "kabupaten"
        name = f"laporan-{year}-{scope}-{part}.csv"
        return Response(
            body,
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="{name}"'},
        )
