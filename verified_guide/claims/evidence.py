"""The outcomes of the claim tests: one run of ``make evidence``, read back for the build.

Tests that carry ``@pytest.mark.claim("<id>")`` are half of a claim's evidence. ``make
evidence`` runs them and writes their outcomes to a report (``tests/support/claim_evidence.py``);
this module reads it, apart from the rules that read figures, so the pytest plugin and the
test session can name the report and its schema without loading every rule.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

from verified_guide.topics import ROOT

EVIDENCE_FILE = ROOT / ".cache" / "claims" / "evidence.json"
EVIDENCE_SCHEMA = 1
#: In CI a skipped claim test fails the claim; on a laptop it keeps the committed verdict.
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


class ClaimError(Exception):
    """The claims or their evidence are misconfigured: stops the build with what and where."""


@dataclass(frozen=True)
class Outcome:
    nodeid: str
    claims: tuple[str, ...]
    outcome: str  # passed, failed, error, skipped
    duration_s: float
    message: str

    @property
    def function(self) -> str:
        """The test's name without its parameters: how the page groups parametrised runs."""
        return self.nodeid.split("[")[0]


@dataclass(frozen=True)
class Evidence:
    """One run of the claim tests, as the report written by ``make evidence``."""

    path: Path
    finished: str
    suite_size: int
    tests: tuple[Outcome, ...]

    def for_claim(self, claim_id: str) -> list[Outcome]:
        return [t for t in self.tests if claim_id in t.claims]


def evidence_path() -> Path:
    return Path(os.environ.get("GUIDE_CLAIMS_EVIDENCE") or EVIDENCE_FILE)


def load_evidence(path: Path | None = None) -> Evidence:
    path = path or evidence_path()
    hint = "run `make evidence` (pytest -m claim --claims-report PATH) to write it"
    if not path.is_file():
        raise ClaimError(f"no claim evidence report at {path}: {hint}")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("schema") != EVIDENCE_SCHEMA:
            raise ClaimError(f"{path}: schema {data.get('schema')!r}, expected {EVIDENCE_SCHEMA}")
        tests = tuple(
            Outcome(t["nodeid"], tuple(t["claims"]), t["outcome"], t["duration_s"], t["message"])
            for t in data["tests"]
        )
        return Evidence(path, data["finished"], data["suite_size"], tests)
    except (json.JSONDecodeError, KeyError, TypeError) as error:
        raise ClaimError(f"{path} is not a claim evidence report ({error!r}): {hint}") from error
