"""The decision guide's rules (``docs/data/decision.yaml``) and the recommendation they give.

The page ``docs/decide.md`` embeds the rules, and its script (``docs/assets/decide/decide.js``)
scores the reader's answers in the browser with the same algorithm as ``recommend`` below;
``tests/browser/test_decision_guide.py`` compares the two on every combination of answers, so
a change to the algorithm is a change to both.

An effect may name a benchmark ``endpoint``: its reason then ends with the best measured
configuration of every framework on that endpoint, read from the newest result file, so a rule
cites each framework at its best (whichever server that is) rather than one server, and follows
a new measurement with no edit.

The rules are checked when they are loaded, so a typo in the data file fails the build with the
file and the entry named instead of silently dropping a rule from the page.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from verified_guide.bench import results
from verified_guide.bench.config import (
    ENDPOINTS,
    FRAMEWORK_CONFIGURATIONS,
    SQLITE,
    endpoint_title,
)
from verified_guide.topics import FRAMEWORK_TITLES, ROOT, display, load_yaml

RULES_FILE = ROOT / "docs" / "data" / "decision.yaml"
DOCS = ROOT / "docs"
#: Ids become HTML ids and form field names, so they are kept to a safe alphabet.
ID_PATTERN = re.compile(r"[a-z][a-z0-9_]*")


class RulesError(Exception):
    """The rules file is malformed; the message names the file and the entry."""


@dataclass(frozen=True)
class Effect:
    """Points for one framework, with the reason and the site section that supports it."""

    framework: str
    points: int
    reason: str
    #: A docs-relative page and anchor, e.g. ``guide/admin.md#verdict``.
    link: str


@dataclass(frozen=True)
class Option:
    """One answer to a question; no effects means the answer favours no framework."""

    id: str
    label: str
    effects: tuple[Effect, ...]


@dataclass(frozen=True)
class Question:
    """One question of the form; the reader picks at most one of its options."""

    id: str
    text: str
    options: tuple[Option, ...]


@dataclass(frozen=True)
class Recommendation:
    """Scores of every framework (in ``FRAMEWORK_TITLES`` order), the top-scoring ones (several
    on a tie, none when no answer gave points) and the effects that counted, in question order."""

    scores: dict[str, int]
    winners: tuple[str, ...]
    reasons: tuple[Effect, ...]


# --------------------------------------------------------------------------- loading


def _fields(
    raw: Any, where: str, required: tuple[str, ...], optional: tuple[str, ...] = ()
) -> dict[str, Any]:
    """A mapping with every required key and no other than the optional ones.

    Unknown keys are errors because the one optional key, ``effects``, is where a typo would
    otherwise turn an answer into a silently neutral one.
    """
    if not isinstance(raw, dict):
        raise RulesError(f"{where}: expected a mapping, got {type(raw).__name__}")
    for key in required:
        if key not in raw:
            raise RulesError(f"{where}: missing key {key!r}")
    unknown = sorted(set(raw) - {*required, *optional})
    if unknown:
        allowed = ", ".join((*required, *optional))
        guess = difflib.get_close_matches(unknown[0], (*required, *optional), n=1)
        fix = f"did you mean {guess[0]!r}? " if guess else ""
        raise RulesError(f"{where}: unknown key {unknown[0]!r}; {fix}(allowed: {allowed})")
    return raw


def _text(raw: dict[str, Any], key: str, where: str) -> str:
    value = raw[key]
    if not isinstance(value, str) or not value.strip():
        raise RulesError(f"{where}: {key!r} must be a non-empty string")
    return value.strip()


def _id(raw: dict[str, Any], where: str, seen: set[str]) -> str:
    value = raw["id"]
    if not isinstance(value, str) or not ID_PATTERN.fullmatch(value):
        raise RulesError(f"{where}: id {value!r} must be lowercase letters, digits and _")
    if value in seen:
        raise RulesError(f"{where}: duplicate id {value!r}")
    seen.add(value)
    return value


def _check_link(link: str, where: str) -> str:
    """A link must name an existing page under docs/ and an anchor; the strict build and
    tests/test_decision.py check that the anchor exists on the built page."""
    path, _, anchor = link.partition("#")
    if not path.endswith(".md") or not anchor:
        raise RulesError(f"{where}: link {link!r} must be '<page>.md#<anchor>'")
    target = (DOCS / path).resolve()
    if not target.is_relative_to(DOCS) or not target.is_file():
        raise RulesError(f"{where}: link {link!r} names no file under docs/")
    return link


def best_measured(doc: dict[str, Any] | None, endpoint: str) -> str:
    """``Best measured on GET /db: FastAPI 1,234 req/s (granian), ...``: each framework's
    fastest configuration at the suite's main concurrency, from cells that ran without error."""
    where = endpoint_title(endpoint)
    if doc is None:
        return f"({where} has not been measured yet.)"
    level = doc["suite"]["concurrency"]
    best = []
    for framework, title in FRAMEWORK_TITLES.items():
        cells = [
            c
            for c in doc["results"]
            if c["framework"] == framework
            and c["config"] in FRAMEWORK_CONFIGURATIONS  # not a labelled extra (bare, mounted)
            and c["endpoint"] == endpoint
            and c["concurrency"] == level
            and (c["workers"], c["database"]) == (1, SQLITE)
            and c["status"] == "ok"
        ]
        if cells:
            top = max(cells, key=lambda c: c["rps"])
            setup = ", ".join(filter(None, (top["variant"], top["server"])))
            best.append(f"{title} {top['rps']:,.0f}{results.flags(top)} req/s ({setup})")
        else:
            best.append(f"{title} not measured")
    return f"Best measured on {where}, {level} connections: {'; '.join(best)}."


def _effect(raw: Any, where: str, doc: dict[str, Any] | None) -> Effect:
    raw = _fields(raw, where, ("framework", "points", "reason", "link"), ("endpoint",))
    framework = raw["framework"]
    if framework not in FRAMEWORK_TITLES:
        expected = ", ".join(FRAMEWORK_TITLES)
        raise RulesError(f"{where}: unknown framework {framework!r} (expected {expected})")
    points = raw["points"]
    if type(points) is not int or points < 1:  # bool is an int, and True is no score
        raise RulesError(f"{where}: points must be a positive integer, got {points!r}")
    link = raw["link"]
    if not isinstance(link, str):
        raise RulesError(f"{where}: link must be a string")
    reason = _text(raw, "reason", where)
    if "endpoint" in raw:
        if raw["endpoint"] not in ENDPOINTS:
            known = ", ".join(ENDPOINTS)
            raise RulesError(f"{where}: unknown endpoint {raw['endpoint']!r} (known: {known})")
        reason = f"{reason} {best_measured(doc, raw['endpoint'])}"
    return Effect(framework, points, reason, _check_link(link, where))


def _option(
    raw: Any, question: str, number: int, seen: set[str], doc: dict[str, Any] | None
) -> Option:
    raw = _fields(raw, f"{question}, option {number}", ("id", "label"), ("effects",))
    option_id = _id(raw, f"{question}, option {number}", seen)
    where = f"{question}, option {option_id!r}"
    effects = raw.get("effects") or []
    if not isinstance(effects, list):
        raise RulesError(f"{where}: effects must be a list")
    return Option(
        option_id,
        _text(raw, "label", where),
        tuple(_effect(e, f"{where}, effect {n}", doc) for n, e in enumerate(effects, 1)),
    )


def _question(
    raw: Any, source: str, number: int, seen: set[str], doc: dict[str, Any] | None
) -> Question:
    raw = _fields(raw, f"{source}: question {number}", ("id", "text", "options"))
    question_id = _id(raw, f"{source}: question {number}", seen)
    where = f"{source}: question {question_id!r}"
    options = raw["options"]
    if not isinstance(options, list) or len(options) < 2:
        raise RulesError(f"{where}: options must be a list of at least two answers")
    option_ids: set[str] = set()
    return Question(
        question_id,
        _text(raw, "text", where),
        tuple(_option(o, where, n, option_ids, doc) for n, o in enumerate(options, 1)),
    )


def newest_results() -> dict[str, Any] | None:
    path = results.latest()
    return results.load(path) if path else None


def load_rules(
    path: Path = RULES_FILE, doc: dict[str, Any] | str | None = "newest"
) -> list[Question]:
    """The questions of the rules file, checked; ``RulesError`` names the bad entry. Figures
    cited by effects with an ``endpoint`` come from ``doc``, by default the newest result."""
    if doc == "newest":
        doc = newest_results()
    data = load_yaml(path, RulesError)
    if not isinstance(data, list) or not data:
        raise RulesError(f"{display(path)}: expected a list of questions at the top level")
    seen: set[str] = set()
    return [_question(q, display(path), n, seen, doc) for n, q in enumerate(data, 1)]


# --------------------------------------------------------------------------- scoring


def recommend(questions: list[Question], answers: dict[str, str]) -> Recommendation:
    """Sum each framework's points over the chosen answers; every top scorer wins.

    ``answers`` maps question ids to option ids; a question left out counts nothing. A tie is
    reported as a tie: choosing between equally supported frameworks is the reader's call.
    """
    known = {q.id for q in questions}
    unknown = sorted(set(answers) - known)
    if unknown:
        raise ValueError(f"unknown question id {unknown[0]!r}")
    reasons: list[Effect] = []
    for question in questions:
        if question.id not in answers:
            continue
        chosen = answers[question.id]
        option = next((o for o in question.options if o.id == chosen), None)
        if option is None:
            raise ValueError(f"question {question.id!r} has no option {chosen!r}")
        reasons.extend(option.effects)
    scores = dict.fromkeys(FRAMEWORK_TITLES, 0)
    for effect in reasons:
        scores[effect.framework] += effect.points
    top = max(scores.values())
    winners = tuple(fw for fw, score in scores.items() if score == top) if top > 0 else ()
    return Recommendation(scores, winners, tuple(reasons))


def as_data(questions: list[Question], resolve: Callable[[str], str]) -> dict[str, Any]:
    """The rules as the page's script reads them, each link passed through ``resolve`` (the
    page turns ``guide/admin.md#verdict`` into a URL relative to itself)."""
    return {
        "frameworks": [{"id": fw, "title": title} for fw, title in FRAMEWORK_TITLES.items()],
        "questions": [
            {
                "id": q.id,
                "text": q.text,
                "options": [
                    {
                        "id": o.id,
                        "label": o.label,
                        "effects": [
                            {
                                "framework": e.framework,
                                "points": e.points,
                                "reason": e.reason,
                                "link": resolve(e.link),
                            }
                            for e in o.effects
                        ],
                    }
                    for o in q.options
                ],
            }
            for q in questions
        ],
    }
