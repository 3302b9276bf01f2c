"""The version matrix as the pages show it, rendered from ``docs/data/matrix.json``.

Each topic page gets a small table (framework, release line, result with the first failing
case) and, for a snippet that fails on an older line and passes from a later one on, a note
naming the release it needs and what was missing, taken from the failing case's error.
"""

from __future__ import annotations

from docs.plugins.markdown import literal, quoted_code, table
from verified_guide.matrix.config import VERSIONS_FILE, Line, MatrixError, line_title, load_matrix
from verified_guide.matrix.report import (
    RESULTS_FILE,
    TopicResult,
    first_passing,
    load_results,
    missing_feature,
)
from verified_guide.source_links import links
from verified_guide.topics import FRAMEWORK_TITLES, ROOT, all_topics, get_topic

SYMBOLS = {"pass": "passes", "fail": "fails", "n/a": "not applicable"}


def result_of(framework: str, line: Line, slug: str) -> TopicResult:
    topics = load_results().get(framework, line.line).topics
    if slug not in topics:
        raise MatrixError(
            f"docs/data/matrix.json has no results for topic {slug!r}: run `make matrix`"
        )
    return topics[slug]


def _cell(result: TopicResult) -> str:
    if result.status == "pass":
        return f"passes ({result.passed} of {result.total} cases)"
    if result.status == "n/a":
        return "not applicable (no case for this framework)"
    return (
        f"**fails** ({result.passed} of {result.total} cases pass); first failing case "
        f"*{literal(result.case)}*: {quoted_code(result.reason)}"
    )


def _pins(line: Line) -> str:
    return ", ".join(f"{name} {version}" for name, version in line.pins.items())


def needs_newer(framework: str, slug: str) -> str:
    """A sentence when the topic's snippet needs a newer release than the oldest line."""
    found = first_passing(framework, slug)
    if found is None:
        return ""
    since, before = found
    failed = result_of(framework, before, slug)
    feature = missing_feature(failed.reason)
    what = f"`{feature}`, missing before {since.line}" if feature else "a behaviour of that release"
    return (
        f"The {FRAMEWORK_TITLES[framework]} snippet needs **{line_title(framework, since)}** or "
        f"newer: it uses {what}. On {line_title(framework, before)} its case *{failed.case}* "
        f"fails with {quoted_code(failed.reason)}."
    )


def topic_matrix(slug: str, summary_link: str) -> str:
    """The topic's matrix table and its "needs a newer release" notes."""
    topic = get_topic(slug)
    matrix = load_matrix()
    rows = [
        [FRAMEWORK_TITLES[fw], f"{line.label} ({_pins(line)})", _cell(result_of(fw, line, slug))]
        for fw in topic.frameworks()
        for line in matrix.frameworks[fw]
    ]
    notes = [note for fw in topic.frameworks() if (note := needs_newer(fw, slug))]
    text = (
        f"Every case above, run in-process on each supported release line "
        f"([version matrix]({summary_link}); data: {links().link(RESULTS_FILE.relative_to(ROOT))},"
        f" written by {links().link('scripts/matrix')}):\n\n"
        + table(["Framework", "Release line", "Result"], rows)
    )
    for note in notes:
        text += f'\n!!! warning "Needs a newer release"\n    {note}\n'
    return text


def summary_table() -> str:
    """Every topic against every line: the summary page."""
    matrix = load_matrix()
    lines = matrix.lines()
    header = ["Topic", *(line_title(fw, line) for fw, line in lines)]
    marks = {"pass": "✓ passes", "fail": "✗ fails", "n/a": "n/a"}
    rows = [
        [topic.title, *(marks[result_of(fw, line, topic.slug).status] for fw, line in lines)]
        for topic in all_topics()
    ]
    results = load_results()
    pins = [
        [line_title(fw, line), _pins(line), f"{results.get(fw, line.line).seconds:.0f} s"]
        for fw, line in lines
    ]
    needs = [
        f"- **{topic.title}**: {note}"
        for topic in all_topics()
        for fw in topic.frameworks()
        if (note := needs_newer(fw, topic.slug))
    ]
    data = (
        f"Data: {links().link(RESULTS_FILE.relative_to(ROOT))}, written by "
        f"{links().link('scripts/matrix')} from the lines in "
        f"{links().link(VERSIONS_FILE.relative_to(ROOT))}.\n"
    )
    return (
        table(header, rows)
        + f"\n{data}"
        + "\n### Snippets that need a newer release\n\n"
        + ("\n".join(needs) if needs else "None: every snippet passes on every line.")
        + "\n\n### The lines and their pins\n\n"
        + f"Run with Python {results.python} on {results.generated[:10]}; every package a line "
        "does not pin is the version in `uv.lock`.\n\n"
        + table(["Line", "Pinned", "Run time"], pins)
        + f"\n{data}"
    )
