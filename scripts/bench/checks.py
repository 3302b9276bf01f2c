"""Check an endpoint's answer under the real server before timing it.

A fast wrong answer (a 404 page, an error page, the wrong content type) must never become a
figure, so each cell starts with the request of its case in snippets/bench/cases.yaml, and
the answer is compared with that case's expectation for the framework, the same comparison
the framework tests make.
"""

import httpx

from scripts.bench.config import Request
from tests.support.responses import Observed, mismatches


def check_response(base_url: str, request: Request, prefix: str = "") -> str | None:
    """None when the answer is the case's, else the reason the cell fails."""
    sent = request.case.request
    try:
        response = httpx.request(
            sent["method"],
            base_url + prefix + sent["path"],
            json=sent.get("json"),
            content=sent.get("body"),
            headers=sent.get("headers"),
            timeout=10,
        )
    except httpx.HTTPError as error:
        return f"check request failed: {error!r}"
    observed = Observed(
        response.status_code,
        response.headers.get("content-type", ""),
        response.content,
        dict(response.headers),
    )
    problems = mismatches(request.case.expected(request.framework), observed)
    return f"check against case {request.case.name!r}: " + "; ".join(problems) if problems else None
