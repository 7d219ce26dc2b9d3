"""What a template may cite: the articles table and the clocks, so no template retypes an
article or a number of days (pages, letters and e-mails all take them from here)."""

from __future__ import annotations

from opendata.information_requests.lifecycle import STEP_BY_ACTION
from opendata.information_requests.rules import FEE_ARTICLE, Clocks
from opendata.statute import Articles, cite, exemption_article


def citation_globals() -> dict[str, object]:
    """`law.OBJECTION_WINDOW`, `clocks.NOTICE.article`, `steps.ANSWER.article`, `fee_article`,
    `cite(law.EXEMPTIONS, law.CONSEQUENCE_TEST)`, `exemption_article("h")`."""
    return {
        "law": Articles,
        "clocks": Clocks,
        "steps": {action.value: step for action, step in STEP_BY_ACTION.items()},
        "fee_article": FEE_ARTICLE,
        "cite": cite,
        "exemption_article": exemption_article,
    }
