"""The support page's tables, from ``docs/data/support.yaml`` (``verified_guide/support.py``)."""

from __future__ import annotations

import datetime

from mkdocs.exceptions import PluginError

from docs.plugins.markdown import table
from verified_guide import support
from verified_guide.source_links import links
from verified_guide.support import SUPPORT_FILE, SupportFile
from verified_guide.topics import FRAMEWORK_TITLES, FRAMEWORKS, ROOT


def _months(start: datetime.date, end: datetime.date) -> int:
    return (end.year - start.year) * 12 + end.month - start.month


def support_table(data: SupportFile, today: datetime.date) -> str:
    """How long each release line is supported, and how much of that is left on ``today``."""
    rows = []
    for framework in FRAMEWORKS:
        for line in data.frameworks[framework].lines:
            if line.end_of_support is None:
                ends, total, left = line.ends_with or "", "—", "until then"
            else:
                ends = line.end_of_support.isoformat()
                span = line.released and _months(line.released, line.end_of_support)
                total = f"{span} months" if span else "—"
                remaining = _months(today, line.end_of_support)
                left = f"{remaining} months" if line.end_of_support >= today else "ended"
            rows.append(
                [
                    f"{FRAMEWORK_TITLES[framework]} {line.line}",
                    "yes" if line.lts else "no",
                    line.released.isoformat() if line.released else "not confirmed here",
                    ends,
                    total,
                    left,
                    f"[source]({line.source})",
                ]
            )
    header = ["Release line", "LTS", "Released", "Security fixes until", "Span", "Left", "Source"]
    return table(header, rows)


def policy_table(data: SupportFile) -> str:
    """Each project's versioning, support rule and breaking-change practice, with sources."""
    rows = [
        [
            FRAMEWORK_TITLES[framework],
            policy.versioning,
            f"{policy.support} ([source]({policy.support_source}))",
            f"{policy.breaking_changes} ([source]({policy.breaking_changes_source}))",
        ]
        for framework in FRAMEWORKS
        for policy in [data.frameworks[framework]]
    ]
    return table(["Project", "Versions", "Supported", "Breaking changes"], rows)


def _load() -> SupportFile:
    try:
        return support.load()
    except support.SupportError as exc:
        raise PluginError(str(exc)) from exc


def support_span(framework: str, lts: bool) -> str:
    """The months of fixes a dated release line of this kind got (a range when the dated lines
    differ), so a sentence about support cannot drift from the table beside it."""
    spans = sorted(
        {
            _months(line.released, line.end_of_support)
            for line in _load().frameworks[framework].lines
            if line.lts is lts and line.released and line.end_of_support
        }
    )
    if not spans:
        kind = "LTS" if lts else "non-LTS"
        raise PluginError(f"{SUPPORT_FILE}: no {framework} {kind} line has both dates")
    return f"{spans[0]} months" if len(spans) == 1 else f"{spans[0]}-{spans[-1]} months"


def support_tables() -> str:
    """The "how long will my choice be supported" table and each project's policy."""
    data = _load()
    today = datetime.datetime.now(datetime.UTC).date()
    source = f"Data: {links().link(SUPPORT_FILE.relative_to(ROOT))}."
    return (
        "## How long will my choice be supported?\n\n"
        + support_table(data, today)
        + f'\n"Left" is counted from the day this page was built ({today.isoformat()}). '
        + f"{source}\n\n"
        + "## How each project versions, supports and breaks\n\n"
        + policy_table(data)
        + f"\n{source}\n"
    )


MACROS = (support_tables, support_span)
