"""The decision guide as a reader uses it, in headless Chromium with every other host blocked.

Answers clicked in give the recommendation and reasons Python gives; the page's scoring agrees
with verified_guide/decision.py on every combination of answers; without JavaScript the form stays
hidden and the rules table is complete; rule text with markup is shown as text.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import urljoin

import pytest
from playwright.sync_api import expect

from docs.plugins.page_data import script_json
from tests.browser.conftest import offline_context
from tests.test_decision import PROFILES, every_answer_set, site_link
from verified_guide.decision import Recommendation, load_rules, recommend
from verified_guide.topics import FRAMEWORK_TITLES

pytestmark = pytest.mark.slow

QUESTIONS = load_rules()
# Answers in and results out as one JSON string each: Playwright's own serialisation of twelve
# thousand nested objects takes ten times as long.
RECOMMEND_ALL = "all => JSON.stringify(JSON.parse(all).map(a => window.decisionGuide.recommend(a)))"
# The same results as the SHA-256 of their canonical JSON (keys sorted, no spaces): 62,500 answer
# sets give 118 MB of results, and passing that string out of the page cost about 14 s of a quiet
# machine's time (48 s in the parallel stage). Equal digests are equal results; on a difference
# the test fetches the results themselves (RECOMMEND_ALL) to name the answer sets that differ.
RECOMMEND_ALL_DIGEST = """async all => {
  const canon = v => Array.isArray(v) ? `[${v.map(canon).join(",")}]`
    : v !== null && typeof v === "object"
      ? `{${Object.keys(v).sort().map(k => `${JSON.stringify(k)}:${canon(v[k])}`).join(",")}}`
      : JSON.stringify(v);
  const text = canon(JSON.parse(all).map(a => window.decisionGuide.recommend(a)));
  const hash = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return Array.from(new Uint8Array(hash), b => b.toString(16).padStart(2, "0")).join("");
}"""


def sha256_hex(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def as_js(result: Recommendation) -> dict[str, Any]:
    """Python's recommendation in the shape decide.js returns, links as the page holds them."""
    return {
        "scores": result.scores,
        "winners": list(result.winners),
        "reasons": [
            {"framework": e.framework, "points": e.points, "reason": e.reason,
             "link": site_link(e.link)}
            for e in result.reasons
        ],
    }  # fmt: skip


@pytest.fixture(scope="module")
def page(browser: Any, base_url: str) -> Iterator[Any]:
    context = offline_context(browser)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{base_url}decide/")
    yield page
    context.close()
    assert not errors, f"script errors on the page: {errors}"


def choose(page: Any, answers: dict[str, str]) -> None:
    """Clear the form, then click each answer's label, found by its question's legend."""
    page.get_by_role("button", name="Clear the answers").click()
    for question in QUESTIONS:
        if question.id in answers:
            option = next(o for o in question.options if o.id == answers[question.id])
            group = page.get_by_role("group", name=question.text)
            group.get_by_text(option.label, exact=True).click()


@pytest.mark.parametrize("profile", PROFILES)
def test_answers_in_recommendation_out(page: Any, profile: str) -> None:
    answers, winners = PROFILES[profile]
    choose(page, answers)
    status = page.get_by_role("status", name="Recommendation")
    names = [FRAMEWORK_TITLES[fw] for fw in winners]
    if not winners:
        verdict = "Answer any question to see a recommendation."
    elif len(winners) == 1:
        verdict = f"Recommended: {names[0]}"
    else:
        verdict = f"A tie between {', '.join(names[:-1])} and {names[-1]}"
    expect(status.locator("p").first).to_have_text(verdict)
    text = status.text_content()
    expected = recommend(QUESTIONS, answers)
    scores = " · ".join(f"{FRAMEWORK_TITLES[fw]} {n}" for fw, n in expected.scores.items())
    assert winners == () or f"Points: {scores}" in text
    links = status.get_by_role("link")
    assert links.all_text_contents() == [e.reason for e in expected.reasons]
    hrefs = [urljoin(page.url, href) for href in links.evaluate_all("as => as.map(a => a.href)")]
    assert hrefs == [urljoin(page.url, site_link(e.link)) for e in expected.reasons]


def test_the_page_scores_every_combination_of_answers_like_python(page: Any) -> None:
    combos = list(every_answer_set(QUESTIONS))
    in_python = [as_js(recommend(QUESTIONS, answers)) for answers in combos]
    canonical = json.dumps(in_python, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    if page.evaluate(RECOMMEND_ALL_DIGEST, json.dumps(combos)) == sha256_hex(canonical):
        return
    in_browser = json.loads(page.evaluate(RECOMMEND_ALL, json.dumps(combos)))
    mismatched = [
        (answers, js, py)
        for answers, js, py in zip(combos, in_browser, in_python, strict=True)
        if js != py
    ]
    assert mismatched, "equal results, different digests: the canonical JSON differs in JS"
    assert not mismatched, f"{len(mismatched)} of {len(combos)} differ, first: {mismatched[0]}"


def test_unknown_answers_are_errors_in_the_page_too(page: Any) -> None:
    for answers in ({"colour": "blue"}, {"team": "rails"}):
        with pytest.raises(Exception, match=r"unknown question id|has no option"):
            page.evaluate("a => window.decisionGuide.recommend(a)", answers)


def test_without_javascript_the_table_replaces_the_form(browser: Any, base_url: str) -> None:
    context = offline_context(browser, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(f"{base_url}decide/")
        assert page.locator("form.decision-guide").is_hidden()
        notice = page.locator("noscript p")  # get_by_text does not look inside <noscript>
        assert notice.is_visible()
        assert notice.text_content().startswith("The questionnaire needs JavaScript.")
        rules = page.locator("#all-the-rules + table tbody tr")
        effects = sum(max(len(o.effects), 1) for q in QUESTIONS for o in q.options)
        assert rules.count() == effects
        assert rules.last.is_visible()
        links = page.locator("#all-the-rules + table a").all_text_contents()
        assert links == [e.reason for q in QUESTIONS for o in q.options for e in o.effects]
    finally:
        context.close()


def test_the_script_does_nothing_on_other_pages(browser: Any, base_url: str) -> None:
    context = offline_context(browser)
    try:
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(base_url)
        assert page.evaluate("typeof window.decisionGuide") == "undefined"
        assert not errors
    finally:
        context.close()


def test_markup_in_a_reason_is_shown_as_text(browser: Any, base_url: str) -> None:
    """Serve the page with the first reason replaced by markup: it must reach the reader as text."""
    markup = '<img src="x" onerror="window.injected = true"><b>bold</b>'
    question, option = QUESTIONS[0], QUESTIONS[0].options[0]
    original = script_json(option.effects[0].reason)

    def doctor(route: Any) -> None:
        response = route.fetch()
        body = response.text()
        assert original in body
        route.fulfill(response=response, body=body.replace(original, script_json(markup)))

    context = offline_context(browser)
    try:
        page = context.new_page()
        page.route(f"{base_url}decide/", doctor)
        page.goto(f"{base_url}decide/")
        choose(page, {question.id: option.id})
        status = page.get_by_role("status", name="Recommendation")
        assert status.get_by_role("link").first.text_content() == markup
        assert status.locator("img, b").count() == 0
        assert page.evaluate("window.injected") is None
    finally:
        context.close()
