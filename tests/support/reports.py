"""Evidence reports written by hand, for tests that need the claims judged without a test run."""

from __future__ import annotations

import json
from pathlib import Path

from verified_guide.claims.evidence import EVIDENCE_SCHEMA
from verified_guide.claims.rules import load_claims


def write_evidence(path: Path, failing: str | None = None) -> Path:
    """A report with one passed test per claim, except ``failing``, whose test failed."""
    tests = [
        {
            "nodeid": f"tests/test_x.py::test_{claim['id']}",
            "claims": [claim["id"]],
            "duration_s": 0.1,
            "outcome": "failed" if claim["id"] == failing else "passed",
            "message": f"AssertionError: boom in {path.parent / 'test_x.py'}"
            if claim["id"] == failing
            else "",
        }
        for claim in load_claims()
    ]
    document = {"schema": EVIDENCE_SCHEMA, "finished": "now", "suite_size": len(tests)}
    path.write_text(json.dumps({**document, "exit_status": 0, "tests": tests}))
    return path
