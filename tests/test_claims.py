"""Claim verdicts follow the evidence: change the figures and the verdict changes."""

from __future__ import annotations

import pytest

from scripts.claims import ClaimError, load_claims, verdict


def _doc(cells: dict[tuple[str, str], float], failed: set = frozenset(), costs=()) -> dict:
    results = [
        {
            "config": config,
            "endpoint": endpoint,
            "concurrency": 64,
            "rps": rps,
            "status": "failed" if (config, endpoint) in failed else "ok",
        }
        for (config, endpoint), rps in cells.items()
    ]
    return {"suite": {"concurrency": 64}, "results": results, "costs": list(costs)}


RPS_CLAIM = {
    "id": "x",
    "evidence": "rps",
    "rps": 2500,
    "config": "flask-gunicorn",
    "endpoint": "json",
}


def test_rps_within_the_tolerance_is_supported() -> None:
    assert verdict(RPS_CLAIM, _doc({("flask-gunicorn", "json"): 2000})).label == "supported"


def test_rps_far_from_the_claim_is_not_supported() -> None:
    assert verdict(RPS_CLAIM, _doc({("flask-gunicorn", "json"): 900})).label == "not supported"


def test_a_failed_cell_never_yields_a_verdict_from_its_number() -> None:
    doc = _doc({("flask-gunicorn", "json"): 2500}, failed={("flask-gunicorn", "json")})
    assert verdict(RPS_CLAIM, doc).label == "not checked"


def test_without_a_result_file_benchmark_claims_are_not_checked() -> None:
    assert verdict(RPS_CLAIM, None).label == "not checked"


def test_db_bound_is_supported_only_when_the_gap_narrows() -> None:
    claim = {
        "id": "db-bound", "evidence": "gap_by_endpoint", "a": "f", "b": "g",
        "endpoints": ["json", "db"], "wide": "json", "narrow": "db",
    }  # fmt: skip
    narrows = _doc({("f", "json"): 4000, ("g", "json"): 1000, ("f", "db"): 1500, ("g", "db"): 1000})
    widens = _doc({("f", "json"): 2000, ("g", "json"): 1000, ("f", "db"): 3000, ("g", "db"): 1000})
    assert verdict(claim, narrows).label == "supported"
    assert verdict(claim, widens).label == "not supported"


def test_lightest_needs_the_least_on_every_metric() -> None:
    claim = {"id": "l", "evidence": "costs_least", "framework": "flask", "metrics": ["a", "b"]}
    costs = [
        {"framework": "flask", "a": 1, "b": 5},
        {"framework": "django", "a": 2, "b": 3},
    ]
    assert verdict(claim, _doc({}, costs=costs)).label == "partly"


def test_a_claim_naming_a_missing_test_fails_the_build() -> None:
    claim = {"id": "t", "evidence": "tests", "finding": "", "tests": ["tests/nope.py::test_x"]}
    with pytest.raises(ClaimError, match=r"nope\.py"):
        verdict(claim, None)


def test_an_unknown_evidence_kind_fails_the_build() -> None:
    with pytest.raises(ClaimError, match="unknown evidence kind"):
        verdict({"id": "u", "evidence": "vibes"}, None)


@pytest.mark.parametrize("claim", load_claims(), ids=lambda c: c["id"])
def test_every_published_claim_gets_a_verdict(claim: dict) -> None:
    assert verdict(claim, None).label in {"supported", "partly", "not supported", "not checked"}


def test_every_shared_claim_id_is_on_the_page() -> None:
    ids = {c["id"] for c in load_claims()}
    assert len(ids) == 18
