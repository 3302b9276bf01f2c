"""Compare an HTTP response with a case's expectation, with messages that name the snippet."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Observed:
    """What came back, reduced to what cases can assert on."""

    status: int
    content_type: str
    body: bytes
    #: Response headers; names are compared case-insensitively.
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")


def _is_subset(expected: Any, actual: Any) -> bool:
    if isinstance(expected, dict):
        return isinstance(actual, dict) and all(
            k in actual and _is_subset(v, actual[k]) for k, v in expected.items()
        )
    return expected == actual


def mismatches(expected: dict[str, Any], observed: Observed) -> list[str]:
    """Every way ``observed`` differs from ``expected``; empty when it matches."""
    problems = []
    if observed.status != expected["status"]:
        problems.append(f"status {observed.status}, expected {expected['status']}")
    media_type = observed.content_type.split(";")[0].strip()
    want_type = expected.get("content_type")
    if want_type and media_type != want_type:
        problems.append(f"content type {media_type!r}, expected {want_type!r}")
    if expected.get("json") is not None or expected.get("json_subset") is not None:
        try:
            body = json.loads(observed.body)
        except ValueError:
            problems.append("body is not JSON")
        else:
            if expected.get("json") is not None and body != expected["json"]:
                problems.append(f"JSON body {body!r}, expected {expected['json']!r}")
            subset = expected.get("json_subset")
            if subset is not None and not _is_subset(subset, body):
                problems.append(f"JSON body {body!r} lacks {subset!r}")
    if expected.get("text") is not None and observed.text != expected["text"]:
        problems.append(f"body {observed.text!r}, expected {expected['text']!r}")
    received = {name.lower(): value for name, value in observed.headers.items()}
    for name, want in (expected.get("headers") or {}).items():
        got = received.get(name.lower())
        if want is None and got is not None:
            problems.append(f"header {name} is {got!r}, expected it absent")
        elif want is not None and got != str(want):
            problems.append(f"header {name} is {got!r}, expected {str(want)!r}")
    problems.extend(
        f"body lacks {fragment!r}"
        for fragment in expected.get("contains") or []
        if fragment not in observed.text
    )
    problems.extend(
        f"body contains {fragment!r}"
        for fragment in expected.get("not_contains") or []
        if fragment in observed.text
    )
    if problems:
        problems.append(f"body was: {observed.text[:500]!r}")
    return problems
