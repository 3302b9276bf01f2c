"""Check an endpoint's answer under the real server before timing it.

A fast wrong answer (a 404 page, an error page, the wrong content type) must never become a
figure, so each cell starts with one real request whose status, type and body are verified.
"""

import httpx

from scripts.bench.config import Endpoint


def check_response(base_url: str, endpoint: Endpoint, path: str) -> str | None:
    """None when the answer is right, else the reason the cell fails."""
    url = base_url + path.replace("{id}", "1234")
    try:
        response = httpx.request(
            endpoint.method,
            url,
            content=endpoint.body,
            headers={"Content-Type": "application/json"} if endpoint.body else None,
            timeout=10,
        )
    except httpx.HTTPError as error:
        return f"check request failed: {error!r}"
    media_type = response.headers.get("content-type", "").split(";")[0].strip()
    if response.status_code != endpoint.status:
        return f"check: status {response.status_code}, expected {endpoint.status}"
    if media_type != endpoint.content_type:
        return f"check: content type {media_type!r}, expected {endpoint.content_type!r}"
    if endpoint.body_contains not in response.text:
        return f"check: body lacks {endpoint.body_contains!r}"
    return None
