"""Check an endpoint's answer under the real server before timing it.

A fast wrong answer (a 404 page, an error page, the wrong content type) must never become a
figure, so each cell starts with the request of its case in snippets/bench/cases.yaml, sent
and compared by ``verified_guide/cases.py`` as the framework tests and the demo-server tests send
and
compare it.
"""

import httpx

from verified_guide.bench.config import Request
from verified_guide.cases import check, http_sender


def check_response(base_url: str, request: Request, prefix: str = "") -> str | None:
    """None when the answer is the case's, else the reason the cell fails."""
    try:
        with httpx.Client(base_url=base_url, timeout=10) as client:
            problems = check(http_sender(client), request.case, request.framework, prefix)
    except httpx.HTTPError as error:
        return f"check request failed: {error!r}"
    return f"check against case {request.case.name!r}: " + "; ".join(problems) if problems else None
