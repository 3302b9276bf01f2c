"""Every claim's verdict: the rule's finding, unless the claim's tests did not all pass.

The ledger is where the two kinds of evidence meet: the rule's reading of the figures
(``rules.py``) and the outcomes of the tests that carry the claim (``evidence.py``). It is
computed once per site build and read by the claims page, the landing page's counts and
the headline table.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from verified_guide.claims.evidence import IN_CI, ClaimError, Evidence, Outcome
from verified_guide.claims.rules import (
    BORDERLINE,
    CONFIRMED,
    NOT_CHECKABLE,
    PARTLY,
    REFUTED,
    UNTESTED_RULES,
    Document,
    Finding,
    Sources,
    finding,
)
from verified_guide.decision import Question

FAILING = "evidence failing"
NOT_REMEASURED = "not re-measured here"
LABELS = (CONFIRMED, PARTLY, REFUTED, BORDERLINE, NOT_CHECKABLE, FAILING)
log = logging.getLogger("mkdocs.plugins.claims")  # under "mkdocs": strict counts its warnings


# ----------------------------------------------------------------------------- verdicts


@dataclass(frozen=True)
class Verdict:
    """A claim's verdict with everything the page shows beside it."""

    claim: dict
    label: str
    text: str
    tests: tuple[Outcome, ...]
    finding: Finding
    remeasured: bool = True  # False: judged from committed figures, tests skipped here


def judge(
    claim: dict, doc: Document | None, evidence: Evidence, sources: Sources | None = None
) -> Verdict:
    """The verdict: the rule's, unless a test carrying the claim did not pass."""
    found = finding(claim, doc, sources)
    if claim["rule"] in UNTESTED_RULES:
        return Verdict(claim, found.label, found.text, (), found)
    tests = tuple(evidence.for_claim(claim["id"]))
    if not tests:
        raise ClaimError(
            f"claim {claim['id']}: no test marked @pytest.mark.claim({claim['id']!r}) ran "
            f"in {evidence.path}; every checkable claim needs at least one"
        )
    bad = [t for t in tests if t.outcome != "passed"]
    notes = "; ".join(dict.fromkeys(t.message for t in tests if t.message))
    if not bad and notes:
        # Passed without judging: the re-measurement ran on a machine too busy to mean
        # anything (see tests/bench/test_claim_figures.py), so the committed figures judge.
        text = f"{found.text} {NOT_REMEASURED.capitalize()}: {notes}."
        return Verdict(claim, found.label, text, tests, found, remeasured=False)
    if not bad:
        return Verdict(claim, found.label, found.text, tests, found)
    if not IN_CI and all(t.outcome == "skipped" for t in bad):
        # A laptop without the tool (wrk): the committed figures still judge the claim, and
        # the page says the re-measurement did not run here. CI never takes this path.
        reasons = "; ".join(dict.fromkeys(t.message for t in bad))
        return Verdict(
            claim,
            found.label,
            f"{found.text} {NOT_REMEASURED.capitalize()}: {reasons}.",
            tests,
            found,
            remeasured=False,
        )
    return Verdict(claim, FAILING, failing_text(tests, bad, found), tests, found)


OUTCOME_WORDS = {"failed": "failed", "error": "could not run", "skipped": "was skipped"}


def failing_text(tests: tuple[Outcome, ...], bad: list[Outcome], found: Finding) -> str:
    """What a reader sees for a claim whose tests did not pass: which tests disagreed, in
    words, and the figures the rule read. Exception texts and paths of the machine the tests
    ran on stay in the build log (``report_failures``), not on the page."""
    names = sorted(
        {
            f"`{t.function.rsplit('::', 1)[-1]}` {OUTCOME_WORDS.get(t.outcome, t.outcome)}"
            for t in bad
        }
    )
    return (
        f"{len(bad)} of {len(tests)} tests of this claim did not pass on the last evidence run "
        f"({'; '.join(names)}), so no verdict is shown until they do. What the rule reads from "
        f"the rest of the evidence: {found.text}"
    )


@dataclass(frozen=True)
class Ledger:
    """Every claim's verdict, with the result file and evidence report they were judged from."""

    verdicts: list[Verdict]
    doc: Document | None
    doc_path: Path | None
    evidence: Evidence


def judge_all(
    claims: list[dict],
    doc: Document | None,
    doc_path: Path | None,
    evidence: Evidence,
    questions: list[Question] | None = None,
) -> Ledger:
    """Every claim judged from one evidence report and one result file (``None``: no result
    file yet), and the decision guide's ``questions`` (read here when not given). The build
    calls it once; its inputs are loaded by the caller, once, and every rule shares them."""
    sources = Sources(doc, claims, questions)
    verdicts = [judge(claim, doc, evidence, sources) for claim in claims]
    return Ledger(verdicts, doc, doc_path, evidence)


def report_failures(verdicts: list[Verdict]) -> None:
    """Warn (so a strict build fails) on every claim whose tests did not pass.

    Tests skipped for a missing tool on a laptop do not get here: their claims are judged
    from the committed figures and marked "not re-measured here" (see ``judge``).
    """
    for v in verdicts:
        if v.label != FAILING:
            continue
        only_skipped = all(t.outcome in {"passed", "skipped"} for t in v.tests)
        emit = log.info if only_skipped and not IN_CI else log.warning
        details = "; ".join(
            f"{t.nodeid} {t.outcome}: {t.message}" for t in v.tests if t.outcome != "passed"
        )
        emit("claim %s: evidence failing: %s", v.claim["id"], details)


def label_counts(verdicts: list[Verdict]) -> dict[str, int]:
    """How many claims got each label (for the landing page's counts)."""
    return {label: sum(v.label == label for v in verdicts) for label in LABELS}
