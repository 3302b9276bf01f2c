"""The site read in Chromium at a desktop and a phone size, in both colour schemes.

At 1280x900 and 390x844 (and 1024 wide for the verdict tables): no table of the home,
benchmark, claims, decision-guide and guide pages hides a column, every chart has an
accessible name, axe-core finds no violation (contrast of every control included) in the
light and the dark scheme, and one answer to the decision guide leaves the recommendation on
screen. The site also works from a sub-path, as a project page on GitHub Pages is served.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from scripts.live.static_server import Handler, serve
from tests.browser.conftest import offline_context
from tests.conftest import IN_CI
from verified_guide.topics import ROOT, all_topics, page_of

pytestmark = pytest.mark.slow

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
SIZES = {"desktop": DESKTOP, "phone": PHONE}
MAIN_PAGES = ["", "benchmarks/", "claims/", "decide/"]
GUIDE_PAGES = ["guide/", *(page_of(t).removesuffix(".md") + "/" for t in all_topics())]
SCHEMES = ("default", "slate")
SUB_PATH = "/some/prefix/"

# Every table cell that is displayed must end inside the window, and no table may need a
# sideways scroll: either would put a column (a framework, a verdict) out of sight.
HIDDEN_COLUMNS = """() => {
  const width = document.documentElement.clientWidth;
  const problems = [];
  document.querySelectorAll(".md-content table").forEach((table, n) => {
    const wrap = table.closest(".md-typeset__scrollwrap");
    if (wrap && wrap.offsetParent !== null && wrap.scrollWidth > wrap.clientWidth + 1) {
      problems.push(`table ${n}: scrolls sideways (${wrap.scrollWidth} > ${wrap.clientWidth} px)`);
    }
    const head = table.querySelector("thead");
    // A stacked table keeps its header row for screen readers only, clipped to one pixel.
    const headHidden = head && head.getBoundingClientRect().width <= 1;
    table.querySelectorAll(headHidden ? "tbody th, tbody td" : "th, td").forEach((cell) => {
      const box = cell.getBoundingClientRect();
      if (box.width > 0 && box.right > width + 1) {
        const text = cell.textContent.trim().slice(0, 40);
        problems.push(`table ${n}: "${text}" ends at ${Math.round(box.right)} px`);
      }
    });
  });
  return problems;
}"""


def _goto(page: Any, url: str) -> None:
    page.goto(url, wait_until="load")


def _scheme(page: Any, scheme: str) -> None:
    """Switch Material's palette the way its toggle does, then wait for the colour transitions
    it starts (Material's tab labels fade their colour): a contrast check made mid-fade read
    the light scheme's colour on the dark background, and failed on a busy machine."""
    page.evaluate(
        """async s => {
             document.body.setAttribute("data-md-color-scheme", s);
             await Promise.all(document.getAnimations().map(a => a.finished));
           }""",
        scheme,
    )


@pytest.fixture(scope="module")
def axe_source() -> str:
    if not AXE.is_file():
        message = f"{AXE.relative_to(ROOT)} is missing: run `npm ci`"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    return AXE.read_text(encoding="utf-8")


def _watched_page(browser: Any, viewport: dict[str, int]) -> Iterator[Any]:
    """A page in its own offline context; a script error on any page it loaded fails at the end."""
    context = offline_context(browser, viewport=viewport)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    context.close()
    assert not errors, f"script errors: {errors}"


@pytest.fixture(scope="module", params=list(SIZES))
def sized_page(request: Any, browser: Any) -> Iterator[Any]:
    yield from _watched_page(browser, SIZES[request.param])


@pytest.fixture(scope="module")
def resized_page(browser: Any) -> Iterator[Any]:
    """One page for the tests that set their own window size and load their own path: a new
    page starts a renderer process, about a CPU-second each on this machine, as much as
    loading the path itself."""
    yield from _watched_page(browser, DESKTOP)


@pytest.mark.parametrize("path", MAIN_PAGES + GUIDE_PAGES)
def test_no_table_hides_a_column(resized_page: Any, base_url: str, path: str) -> None:
    """At each size of SIZES, from one load: the window is resized, as a reader turning a
    tablet or narrowing a window does. The stacked phone layout is CSS (a media query on the
    width) and every check reads the layout afresh, so a page loaded at the phone's size lays
    its tables out the same; one load per page instead of one per size halves the test's time."""
    resized_page.set_viewport_size(DESKTOP)
    _goto(resized_page, base_url + path)
    problems = {}
    for name, size in SIZES.items():
        resized_page.set_viewport_size(size)
        if found := resized_page.evaluate(HIDDEN_COLUMNS):
            problems[name] = found
    assert not problems


@pytest.mark.parametrize("path", ["", "benchmarks/"])
def test_verdict_tables_fit_at_1024(resized_page: Any, base_url: str, path: str) -> None:
    resized_page.set_viewport_size({"width": 1024, "height": 768})
    _goto(resized_page, base_url + path)
    assert resized_page.locator(".md-content table").count() > 0, f"no table on /{path}"
    assert resized_page.evaluate(HIDDEN_COLUMNS) == []


def test_every_chart_has_an_accessible_name(sized_page: Any, base_url: str) -> None:
    _goto(sized_page, base_url + "benchmarks/")
    charts = sized_page.locator(".bench-chart svg")
    assert charts.count() > 0, "no chart on the benchmark page"
    named = sized_page.locator(".bench-chart").get_by_role("img")
    assert named.count() == charts.count()
    for n in range(charts.count()):
        name = named.nth(n).evaluate(
            "svg => [...svg.getAttribute('aria-labelledby').split(' ')]"
            ".map(id => document.getElementById(id).textContent).join(' ')"
        )
        assert len(name.split()) >= 3, f"chart {n} is named {name!r}"


#: Rules that concern what this site adds (its controls, charts, tables and panels); the
#: theme's own findings (its search dialog, syntax colours) are Material's to fix.
AXE_RULES = [
    "color-contrast", "button-name", "label", "svg-img-alt", "role-img-alt",
    "scrollable-region-focusable", "empty-table-header", "link-in-text-block", "aria-allowed-attr",
]  # fmt: skip
#: Controls: every button, field and label, the site's and the theme's.
CONTROLS = "button, input, select, textarea, label, .md-button, .md-search__input"


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("path", ["", "guide/routing/", "benchmarks/", "claims/", "decide/"])
def test_axe_finds_no_violation(
    resized_page: Any, base_url: str, axe_source: str, path: str, scheme: str
) -> None:
    """axe-core's checks of the site's own components, and the contrast of every control."""
    page = resized_page
    page.set_viewport_size(DESKTOP)
    page.mouse.move(0, 0)  # off any control: a hover left by an earlier test changes colours
    _goto(page, base_url + path)
    _scheme(page, scheme)
    if path == "decide/":  # with a recommendation showing
        page.locator(".decision-guide input[type=radio]").first.check()
    page.add_script_tag(content=axe_source)
    found = page.evaluate(
        """async ([rules, controls]) => {
             const own = await axe.run(document,
               {runOnly: rules.filter(r => r !== "color-contrast")});
             const contrast = await axe.run(
               {include: [...document.querySelectorAll(controls)]},
               {runOnly: ["color-contrast"]});
             return [...own.violations, ...contrast.violations].map(
               v => `${v.id}: ${v.nodes.length} x, e.g. ${v.nodes[0].target}`);
           }""",
        [AXE_RULES, CONTROLS],
    )
    assert found == [], f"{path or 'home'} in {scheme}: {found}"


@pytest.mark.parametrize("question", ["first", "last"])
def test_one_answer_shows_the_recommendation_on_screen(
    sized_page: Any, base_url: str, question: str
) -> None:
    _goto(sized_page, base_url + "decide/")
    fieldset = sized_page.locator(".decision-guide fieldset").nth(0 if question == "first" else -1)
    fieldset.scroll_into_view_if_needed()
    fieldset.locator("label").first.click()
    verdict = sized_page.get_by_role("status", name="Recommendation").locator("p").first
    assert verdict.text_content() != "Answer any question to see a recommendation."
    box = verdict.bounding_box()
    window = sized_page.viewport_size
    assert box is not None and box["y"] >= 0 and box["y"] + box["height"] <= window["height"], (
        f"the verdict is at y={box and box['y']:.0f}, outside the {window['height']} px window"
    )


class _PrefixHandler(Handler):
    """The built site under SUB_PATH only, as GitHub Pages serves a project site."""

    def translate_path(self, path: str) -> str:
        if not path.startswith(SUB_PATH):
            return str(Path(self.directory) / "no-such-file-outside-the-prefix")
        return super().translate_path("/" + path.removeprefix(SUB_PATH))


@pytest.fixture(scope="module")
def prefixed_url(site_dir: Path) -> Iterator[str]:
    with serve(site_dir, _PrefixHandler) as root:
        yield root.rstrip("/") + SUB_PATH


def test_a_live_demo_runs_from_a_sub_path(browser: Any, prefixed_url: str) -> None:
    context = offline_context(browser)
    try:
        page = context.new_page()
        failed: list[str] = []
        page.on("response", lambda r: failed.append(r.url) if r.status >= 400 else None)
        _goto(page, prefixed_url + "guide/hello/")
        assert page.locator("link[rel=stylesheet]").count() > 0
        box = page.locator('.live-demo[data-topic="hello"][data-framework="fastapi"]')
        box.get_by_role("button", name="Run", exact=True).click()
        region = box.get_by_role("region", name="Response")
        page.wait_for_function(
            "el => el.dataset.state && el.dataset.state !== 'running'",
            arg=region.element_handle(timeout=180_000),
            timeout=180_000,
        )
        status = region.locator(".live-demo__status").text_content()
        assert status.startswith("Status 200"), f"{status}; failed loads: {failed}"
        assert failed == []
    finally:
        context.close()
