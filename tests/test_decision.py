"""The decision guide: its rules file, the scoring, and the page built from them.

The browser side (the same scoring in decide.js, the page without JavaScript) is checked in
tests/browser/test_decision_guide.py.
"""

from __future__ import annotations

import html
import itertools
import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import pytest
import yaml

from verified_guide.decision import (
    Effect,
    Option,
    Question,
    RulesError,
    as_data,
    load_rules,
    recommend,
)
from verified_guide.topics import FRAMEWORK_TITLES

QUESTIONS = load_rules()

#: What the requirement asks the questionnaire to cover: question id -> answers it must offer.
REQUIRED = {
    "building": {"api_service", "content_site", "internal_tool", "ml_serving"},
    "interface": {"json", "html", "both"},
    "team": {"django", "flask", "fastapi", "none"},
    "accounts": {"admin_and_accounts", "accounts", "neither"},
    "load": {"connections", "slow_io", "database", "low"},
    "database": {"server_orm", "sqlite_orm", "no_orm", "none"},
    "existing": {"flask_app", "django_app", "none"},
}


def site_link(link: str) -> str:
    """A rule's link as it reads from the decide page (``decide/``, directory URLs), worked
    out here independently of the macro: ``guide/admin.md#verdict`` -> ``../guide/admin/#verdict``.
    """
    path, _, anchor = link.partition("#")
    stem = path.removesuffix(".md")
    folder = stem.removesuffix("index") if stem.rpartition("/")[2] == "index" else f"{stem}/"
    return f"../{folder}#{anchor}"


def every_answer_set(questions: list[Question]) -> Iterator[dict[str, str]]:
    """Every combination of answers, a question left unanswered included."""
    choices = [[None, *(o.id for o in q.options)] for q in questions]
    for combo in itertools.product(*choices):
        yield {q.id: o for q, o in zip(questions, combo, strict=True) if o is not None}


# --------------------------------------------------------------------------- the rules file


@pytest.mark.claim("verdict")
def test_rules_cover_every_question_of_the_requirement() -> None:
    asked = {q.id: {o.id for o in q.options} for q in QUESTIONS}
    assert list(asked) == list(REQUIRED)
    for question, answers in REQUIRED.items():
        assert answers <= asked[question], f"{question}: missing {answers - asked[question]}"
        assert 3 <= len(asked[question]) <= 5, f"{question}: keep 3 to 5 answers"


@pytest.mark.claim("verdict")
def test_every_framework_is_the_only_recommendation_of_some_profile() -> None:
    full = [a for a in every_answer_set(QUESTIONS) if len(a) == len(QUESTIONS)]
    won = {recommend(QUESTIONS, a).winners for a in full}
    for framework in FRAMEWORK_TITLES:
        assert (framework,) in won, f"no complete set of answers recommends {framework}"


@pytest.mark.parametrize(
    ("question", "option"),
    [(q, o) for q in QUESTIONS for o in q.options if o.effects],
    ids=lambda x: x.id,
)
def test_every_answer_with_points_decides_some_outcome(question: Question, option: Option) -> None:
    """Reachable: for some answers to the other questions, adding this one changes the result."""
    others = [q for q in QUESTIONS if q is not question]
    assert recommend(QUESTIONS, {question.id: option.id}).reasons == option.effects
    assert any(
        recommend(QUESTIONS, rest).winners
        != recommend(QUESTIONS, {**rest, question.id: option.id}).winners
        for rest in every_answer_set(others)
    ), f"{question.id}={option.id} never changes the recommendation"


# --------------------------------------------------------------------------- bad rule files

VALID_RULES = [
    {
        "id": "kind",
        "text": "What are you building?",
        "options": [
            {
                "id": "api",
                "label": "An API",
                "effects": [
                    {
                        "framework": "fastapi",
                        "points": 2,
                        "reason": "Docs for free.",
                        "link": "guide/api_docs.md#verdict",
                    }
                ],
            },
            {"id": "other", "label": "Something else"},
        ],
    },
    {
        "id": "team",
        "text": "Team?",
        "options": [{"id": "a", "label": "A"}, {"id": "b", "label": "B"}],
    },
]


def _effect(rules: list[dict[str, Any]]) -> dict[str, Any]:
    return rules[0]["options"][0]["effects"][0]


def _set(key: str, value: Any) -> Callable[[list[dict[str, Any]]], None]:
    return lambda rules: _effect(rules).__setitem__(key, value)


BROKEN: dict[str, tuple[Callable[[list[dict[str, Any]]], None], str]] = {
    "unknown framework": (
        _set("framework", "pyramid"),
        "question 'kind', option 'api', effect 1: unknown framework 'pyramid'",
    ),
    "duplicate question id": (
        lambda rules: rules[1].__setitem__("id", "kind"),
        "question 2: duplicate id 'kind'",
    ),
    "duplicate option id": (
        lambda rules: rules[0]["options"][1].__setitem__("id", "api"),
        "question 'kind', option 2: duplicate id 'api'",
    ),
    "missing question text": (lambda rules: rules[0].pop("text"), "question 1: missing key 'text'"),
    "missing option label": (
        lambda rules: rules[0]["options"][1].pop("label"),
        "question 'kind', option 2: missing key 'label'",
    ),
    "missing reason": (
        lambda rules: _effect(rules).pop("reason"),
        "option 'api', effect 1: missing key 'reason'",
    ),
    "misspelt effects": (
        lambda rules: rules[0]["options"][0].__setitem__("effect", []),
        "question 'kind', option 1: unknown key 'effect'",
    ),
    "link to a missing page": (
        _set("link", "guide/nowhere.md#verdict"),
        "effect 1: link 'guide/nowhere.md#verdict' names no file under docs/",
    ),
    "link outside docs": (
        _set("link", "../README.md#top"),
        "effect 1: link '../README.md#top' names no file under docs/",
    ),
    "link without anchor": (
        _set("link", "guide/admin.md"),
        "effect 1: link 'guide/admin.md' must be '<page>.md#<anchor>'",
    ),
    "zero points": (_set("points", 0), "effect 1: points must be a positive integer"),
    "boolean points": (_set("points", True), "effect 1: points must be a positive integer"),
    "id with a space": (
        lambda rules: rules[1].__setitem__("id", "my team"),
        "question 2: id 'my team' must be lowercase letters, digits and _",
    ),
    "a single answer": (
        lambda rules: rules[1]["options"].pop(),
        "question 'team': options must be a list of at least two answers",
    ),
}


def test_the_valid_example_loads(tmp_path: Path) -> None:
    path = tmp_path / "decision.yaml"
    path.write_text(yaml.safe_dump(VALID_RULES))
    kind, team = load_rules(path)
    assert kind.options[0].effects == (
        Effect("fastapi", 2, "Docs for free.", "guide/api_docs.md#verdict"),
    )
    assert kind.options[1].effects == team.options[0].effects == ()


@pytest.mark.parametrize("case", BROKEN)
def test_a_bad_rules_file_is_named_with_its_bad_entry(tmp_path: Path, case: str) -> None:
    break_it, message = BROKEN[case]
    rules = json.loads(json.dumps(VALID_RULES))  # a deep copy
    break_it(rules)
    path = tmp_path / "decision.yaml"
    path.write_text(yaml.safe_dump(rules))
    with pytest.raises(RulesError) as error:
        load_rules(path)
    assert str(error.value).startswith(f"{path}: ")
    assert message in str(error.value)


def test_a_missing_or_unparsable_rules_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(RulesError, match=r"decision\.yaml: file is missing"):
        load_rules(tmp_path / "decision.yaml")
    (tmp_path / "decision.yaml").write_text("- id: [unclosed")
    with pytest.raises(RulesError, match=r"decision\.yaml: invalid YAML"):
        load_rules(tmp_path / "decision.yaml")


# --------------------------------------------------------------------------- recommendations

PROFILES = {
    "JSON API, many connections, FastAPI team": (
        {
            "building": "api_service",
            "interface": "json",
            "team": "fastapi",
            "accounts": "tokens",
            "load": "connections",
            "existing": "none",
        },
        ("fastapi",),
    ),
    "content site with admin and accounts, Django team": (
        {
            "building": "content_site",
            "interface": "html",
            "team": "django",
            "accounts": "admin_and_accounts",
            "load": "database",
            "existing": "none",
        },
        ("django",),
    ),
    "prototype, low traffic, existing Flask app": (
        {
            "building": "internal_tool",
            "accounts": "neither",
            "load": "low",
            "existing": "flask_app",
        },
        ("flask",),
    ),
    "model serving, waiting on services, no known framework": (
        {"building": "ml_serving", "team": "none", "load": "slow_io"},
        ("fastapi",),
    ),
    "pages and an API": ({"interface": "both"}, ("django", "flask")),
    "nothing answered": ({}, ()),
    "only neutral answers": ({"team": "none", "accounts": "neither", "existing": "none"}, ()),
}


@pytest.mark.claim("verdict")
@pytest.mark.parametrize("profile", PROFILES)
def test_representative_profiles(profile: str) -> None:
    answers, winners = PROFILES[profile]
    assert recommend(QUESTIONS, answers).winners == winners


def test_scores_and_reasons_follow_the_chosen_answers_in_question_order() -> None:
    answers = PROFILES["prototype, low traffic, existing Flask app"][0]
    result = recommend(QUESTIONS, dict(reversed(answers.items())))
    # The answers go in reversed; the reasons still come out in question order.
    chosen = [o for q in QUESTIONS for o in q.options if answers.get(q.id) == o.id]
    assert result.reasons == tuple(e for o in chosen for e in o.effects)
    assert list(result.scores) == list(FRAMEWORK_TITLES)
    for framework, score in result.scores.items():
        assert score == sum(e.points for e in result.reasons if e.framework == framework)


@pytest.mark.claim("verdict")
def test_a_tie_names_every_top_framework() -> None:
    def effect(framework: str) -> Effect:
        return Effect(framework, 1, "because", "guide/hello.md#verdict")

    questions = [
        Question("q", "Q?", (Option("all", "All", tuple(map(effect, FRAMEWORK_TITLES))),)),
        Question("r", "R?", (Option("flask", "Flask", (effect("flask"),)),)),
    ]
    assert recommend(questions, {"q": "all"}).winners == ("fastapi", "django", "flask")
    assert recommend(questions, {"q": "all", "r": "flask"}).winners == ("flask",)


def test_unknown_answers_are_errors() -> None:
    with pytest.raises(ValueError, match="unknown question id 'colour'"):
        recommend(QUESTIONS, {"colour": "blue"})
    with pytest.raises(ValueError, match="question 'team' has no option 'rails'"):
        recommend(QUESTIONS, {"team": "rails"})


# --------------------------------------------------------------------------- the built page


@pytest.fixture(scope="module")
def decide_html(site_dir: Path) -> str:
    return (site_dir / "decide" / "index.html").read_text(encoding="utf-8")


def embedded_rules(page: str) -> dict[str, Any]:
    """The JSON the page's script reads."""
    found = re.search(r'<script type="application/json" id="decision-rules">(.*?)</script>', page)
    assert found, "no decision-rules script on the page"
    assert "<" not in found[1] and ">" not in found[1], "the JSON is not escaped for <script>"
    return json.loads(found[1])


def test_the_page_has_the_hidden_form_with_a_labelled_radio_per_answer(decide_html: str) -> None:
    assert '<form class="decision-guide" hidden' in decide_html
    assert 'role="status" aria-live="polite" aria-label="Recommendation"' in decide_html
    for q in QUESTIONS:
        assert f"<legend>{html.escape(q.text)}</legend>" in decide_html
        for o in q.options:
            field = f"decide-{q.id}-{o.id}"
            assert f'<input type="radio" name="{q.id}" id="{field}" value="{o.id}">' in decide_html
            assert f'<label for="{field}">{html.escape(o.label)}</label>' in decide_html


def test_the_embedded_rules_are_the_data_file_with_links_from_the_page(decide_html: str) -> None:
    assert embedded_rules(decide_html) == as_data(QUESTIONS, site_link)


def test_every_embedded_link_reaches_its_anchor(decide_html: str, site_dir: Path) -> None:
    rules = embedded_rules(decide_html)
    links = {e["link"] for q in rules["questions"] for o in q["options"] for e in o["effects"]}
    for link in sorted(links):
        target = urlsplit(urljoin("http://site/decide/", link))
        page = site_dir / target.path.lstrip("/") / "index.html"
        assert page.is_file(), f"{link}: no page {page}"
        assert f'id="{target.fragment}"' in page.read_text(encoding="utf-8"), f"{link}: no anchor"


def _cell_text(cell: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", cell)).strip()


def rules_table(page: str) -> list[tuple[str, str, str, str, str | None]]:
    """The no-JS table's rows as (question, answer, points to, why, link); a blank question
    cell continues the question above it."""
    start = page.index('id="all-the-rules"')
    body = page[start : page.index("</table>", start)]
    rows: list[tuple[str, str, str, str, str | None]] = []
    question = ""
    for row in re.findall(r"<tr>(.*?)</tr>", body, re.S):
        cells = re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
        if not cells:
            continue  # the header row
        question = _cell_text(cells[0]) or question
        answer, points_to, why = (_cell_text(c) for c in cells[1:])
        href = re.search(r'href="([^"]*)"', cells[3])
        rows.append((question, answer, points_to, why, href[1] if href else None))
    return rows


def test_the_no_js_table_lists_every_rule(decide_html: str) -> None:
    expected = []
    for q in QUESTIONS:
        for o in q.options:
            for e in o.effects:
                to = f"{FRAMEWORK_TITLES[e.framework]} +{e.points}"
                expected.append((q.text, o.label, to, e.reason, site_link(e.link)))
            if not o.effects:
                expected.append(
                    (q.text, o.label, "none", "no points: this answer favours none", None)
                )
    assert rules_table(decide_html) == expected
    notice = '<noscript><p>The questionnaire needs JavaScript. <a href="#all-the-rules">'
    assert notice in decide_html


def test_the_page_is_in_the_navigation(site_dir: Path) -> None:
    home = (site_dir / "index.html").read_text(encoding="utf-8")
    assert re.search(r'href="decide/"[^>]*>\s*<span class="md-ellipsis">\s*Which one\?', home)
