"""All build-time logic of the site: Jinja macros for pages, and MkDocs hooks.

mkdocs-macros calls ``define_env`` (the macros pages use) and
``on_post_page_macros``/``on_post_build`` (the embed check, which must see pages
after macros have run). The only MkDocs hook, the navigation built from the
topics, is in ``hooks.py`` beside this file. Pages hold prose
and macro calls; anything computed lives here.

Snippets are embedded with pymdownx.snippets lines that the macros *emit*; the
snippets preprocessor runs after Jinja, so template syntax inside a snippet
(``{{ item.name }}``) reaches the reader untouched.
"""

from __future__ import annotations

import html
import json
import shlex
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from jinja2 import pass_context
from jinja2.runtime import Context
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File
from mkdocs.utils import get_relative_url

from scripts.bench import results
from scripts.bench.report import MACROS as BENCH_MACROS
from scripts.check_embeds import broken_embeds, embeds_in, orphans
from scripts.claims_page import claims_page, headline_table, locked_versions, site_counts
from scripts.decision import Question, as_data, load_rules
from scripts.live.support import placeholder as live_placeholder
from scripts.live.support import script_json
from scripts.markdown import table
from scripts.servers import DEMO_SERVERS
from scripts.topics import DATA_FILES, FRAMEWORK_TITLES, ROOT, Topic, all_topics, get_topic

# --------------------------------------------------------------------------- helpers

LANGUAGES = {".py": "python", ".html": "jinja", ".txt": "text", ".yaml": "yaml"}


def _code_block(path: Path, indent: str = "") -> str:
    rel = path.relative_to(ROOT)
    lang = LANGUAGES.get(path.suffix, "text")
    return f'{indent}``` {lang} title="{rel}"\n{indent}--8<-- "{rel}"\n{indent}```\n'


def shared_files(topic: Topic) -> list[Path]:
    """Topic files that belong to no single framework (seed scripts, templates)."""
    own = {p for fw in topic.frameworks() for p in topic.code_files(fw)}
    return sorted(
        p
        for p in topic.folder.rglob("*")
        if p.is_file()
        and p not in own
        and p.name not in DATA_FILES
        and "__pycache__" not in p.parts
    )


def installed_version(package: str) -> str:
    try:
        return version(package)
    except PackageNotFoundError as exc:
        raise PluginError(f"package {package!r} named in a topic.yaml is not installed") from exc


# --------------------------------------------------------------------------- macros


def framework_tabs(slug: str) -> str:
    """Linked content tabs, one per framework, every line included from ``snippets/``."""
    topic = get_topic(slug)
    parts = []
    for framework in topic.frameworks():
        parts.append(f'=== "{FRAMEWORK_TITLES[framework]}"\n\n')
        for path in topic.code_files(framework):
            parts.append(_code_block(path, indent="    ") + "\n")
        parts.append(f"    {live_placeholder(slug, framework)}\n\n")
    cases = script_json([case.as_data() for case in topic.cases])
    parts.append(
        f'<script type="application/json" class="topic-cases" data-topic="{slug}">'
        f"{cases}</script>\n\n"
    )
    shared = shared_files(topic)
    if shared:
        parts.append("Files used by more than one version:\n\n")
        parts.extend(_code_block(path) + "\n" for path in shared)
    return "".join(parts)


def free_table(slug: str) -> str:
    """The topic's "what you get for free" table, from ``topic.yaml``."""
    topic = get_topic(slug)
    rows = [
        [row["feature"], *(str(row.get(fw, "")) for fw in topic.frameworks())]
        for row in topic.meta.get("free", [])
    ]
    header = ["", *(FRAMEWORK_TITLES[fw] for fw in topic.frameworks())]
    return table(header, rows)


def loc_table(slug: str) -> str:
    """Lines of code per framework, counted from the snippet files at build time."""
    topic = get_topic(slug)
    rows = []
    for framework in topic.frameworks():
        files = topic.code_files(framework)
        names = ", ".join(f"`{p.name}`" for p in files)
        rows.append([FRAMEWORK_TITLES[framework], str(topic.lines_of_code(framework)), names])
    return table(["Framework", "Lines of code", "Files"], rows)


def tested_versions(slug: str) -> str:
    """The package versions this page's snippets were tested with (read from the environment)."""
    topic = get_topic(slug)
    packages = topic.meta.get("packages", {})
    items = []
    for framework in topic.frameworks():
        pinned = ", ".join(f"{p} {installed_version(p)}" for p in packages.get(framework, []))
        items.append(f"**{FRAMEWORK_TITLES[framework]}**: {pinned}")
    text = "Tested with " + "; ".join(items) + "."
    named = topic.meta.get("also_named") or []
    if named:
        text += (
            " Also named on this page, but not installed or tested here: " + ", ".join(named) + "."
        )
    return text


def _headers_summary(headers: dict[str, Any]) -> list[str]:
    return [
        f"no `{name}`" if value is None else f"`{name}: {value}`" for name, value in headers.items()
    ]


def _response_summary(expected: dict[str, Any]) -> str:
    parts = [f"**{expected['status']}**"]
    if expected.get("json") is not None:
        parts.append(f"`{json.dumps(expected['json'])}`")
    elif expected.get("text"):
        parts.append(f"`{expected['text']}`")
    elif expected.get("contains"):
        parts.append("contains " + ", ".join(f"`{c}`" for c in expected["contains"]))
    if expected.get("not_contains"):
        parts.append("never " + ", ".join(f"`{c}`" for c in expected["not_contains"]))
    parts.extend(_headers_summary(expected.get("headers") or {}))
    return " ".join(parts)


def _request_summary(request: dict[str, Any]) -> str:
    parts = [f"`{request['method']} {request['path']}`"]
    parts.extend(_headers_summary(request.get("headers") or {}))
    if "json" in request:
        parts.append(f"`{json.dumps(request['json'])}`")
    elif "body" in request:
        parts.append(f"`{request['body']}`")
    return "<br>".join(parts)


def cases_table(slug: str) -> str:
    """The topic's example requests and each framework's expected answer (from cases.yaml)."""
    topic = get_topic(slug)
    frameworks = topic.frameworks()
    rows = []
    for case in topic.cases:
        cells = [
            _response_summary(case.expected(fw)) if fw in case.frameworks else "n/a"
            for fw in frameworks
        ]
        rows.append([case.name, _request_summary(case.request), *cells])
    header = ["Case", "Request", *(FRAMEWORK_TITLES[fw] for fw in frameworks)]
    return table(header, rows)


def page_of(topic: Topic) -> str:
    """The page that shows a topic: ``guide/<slug>.md`` unless ``topic.yaml`` says ``page``."""
    return topic.meta.get("page", f"guide/{topic.slug}.md")


def topic_index() -> str:
    """The guide's table of contents, from the topics' own metadata."""
    rows = [
        [f"[{t.title}]({t.slug}.md)", t.meta.get("summary", "")]
        for t in all_topics()
        if page_of(t).startswith("guide/")
    ]
    return table(["Topic", "What it shows"], rows)


def server_commands() -> str:
    """The demo apps' production commands, rendered from ``scripts.servers.DEMO_SERVERS``."""
    rows = [
        [f"`{name}`", f"`{shlex.join(arg.replace('{port}', '8000') for arg in argv)}`"]
        for name, argv in DEMO_SERVERS.items()
    ]
    return table(["Demo app and server", "Command"], rows)


# --------------------------------------------------------------------------- decision guide


def _decision_form(questions: list[Question]) -> str:
    """The questionnaire: hidden until decide.js, which scores it, removes ``hidden``."""
    parts = ['<form class="decision-guide" hidden aria-label="Questionnaire">']
    for q in questions:
        parts.append(f"<fieldset><legend>{html.escape(q.text)}</legend>")
        for o in q.options:
            field = f"decide-{q.id}-{o.id}"
            parts.append(
                f'<div class="decision-guide__option"><input type="radio" name="{q.id}" '
                f'id="{field}" value="{o.id}"><label for="{field}">{html.escape(o.label)}'
                "</label></div>"
            )
        parts.append("</fieldset>")
    parts.append(
        '<button type="reset" class="md-button">Clear the answers</button>'
        '<div class="decision-guide__result" role="status" aria-live="polite" '
        'aria-label="Recommendation"></div></form>'
    )
    return "".join(parts)


def _decision_table(questions: list[Question], page_src: str) -> str:
    """Every rule as a table row, linked like any Markdown link so the build checks anchors."""
    rows = []
    for q in questions:
        first = True
        for o in q.options:
            effects = o.effects or (None,)
            for effect in effects:
                why, to = "no points: this answer favours none", "none"
                if effect is not None:
                    path, _, anchor = effect.link.partition("#")
                    link = f"{get_relative_url(path, page_src)}#{anchor}"
                    why = f"[{html.escape(effect.reason, quote=False)}]({link})"
                    to = f"{FRAMEWORK_TITLES[effect.framework]} +{effect.points}"
                question = f"**{html.escape(q.text, quote=False)}**" if first else ""
                rows.append([question, html.escape(o.label, quote=False), to, why])
                first = False
    return table(["Question", "Answer", "Points to", "Why"], rows)


@pass_context
def decision_guide(context: Context) -> str:
    """The decision guide of the page that calls it: questionnaire, rules as JSON for its script
    (links made relative to this page's URL), and the same rules as a table for readers
    without JavaScript.

    The page is read from the Jinja context (the same page as the macros env's ``env.page``),
    so the links are right whichever page calls the macro.
    """
    page = context["page"]
    directory_urls = context["config"]["use_directory_urls"]
    questions = load_rules()

    def resolve(link: str) -> str:
        path, _, anchor = link.partition("#")
        url = File(path, None, "", directory_urls).url
        return f"{get_relative_url(url, page.url)}#{anchor}"

    rules = script_json(as_data(questions, resolve))
    return (
        '<noscript><p>The questionnaire needs JavaScript. <a href="#all-the-rules">All the '
        "rules</a> below are the same rules as a table: add up the points of your answers."
        "</p></noscript>\n\n"
        f"{_decision_form(questions)}\n\n"
        f'<script type="application/json" id="decision-rules">{rules}</script>\n\n'
        f"## All the rules\n\n{_decision_table(questions, page.file.src_uri)}"
    )


# --------------------------------------------------------------------------- landing page


def landing_counts() -> str:
    """What the site checks, counted at build time from the snippets, tests and results."""
    n = site_counts()
    labels = ", ".join(f"{count} {label}" for label, count in n["labels"].items())
    return (
        f"- **{n['snippets']} snippet files** in {n['topics']} topics, every one embedded in a "
        "page and run by the tests;\n"
        f"- **{n['tests']} tests**, run on every change;\n"
        f"- **{n['checked']} of the article's {n['claims']} claims checked** against evidence "
        f"({labels});\n"
        f"- **{n['cells']} benchmark cells** in the current result file"
        + (f", {n['failed_cells']} failed and not shown as figures" if n["failed_cells"] else "")
        + ".\n"
    )


def headline_comparison(base: str = "") -> str:
    """The article's throughput figures beside ours, with verdicts, from the newest result."""
    path = results.latest()
    if path is None:
        return "*No benchmark result file yet: run `make bench`.*\n"
    return headline_table(results.load(path), base=base)


def bench_claims() -> str:
    """The same table on the benchmark results page (links one level up)."""
    return headline_comparison(base="../")


_embedded: set[str] = set()


def define_env(env: Any) -> None:
    """mkdocs-macros entry point (once per build): the functions pages may call."""
    _embedded.clear()
    for macro in (
        framework_tabs,
        free_table,
        loc_table,
        tested_versions,
        cases_table,
        topic_index,
        server_commands,
        decision_guide,
        claims_page,
        landing_counts,
        headline_comparison,
        bench_claims,
        locked_versions,
    ):
        env.macro(macro)
    for macro in BENCH_MACROS:  # benchmark tables and charts, from docs/data/benchmarks/
        env.macro(macro)


def on_post_page_macros(env: Any) -> None:
    """Record what each page embeds, once its macros have expanded."""
    _embedded.update(embeds_in(env.markdown))


def on_post_build(env: Any) -> None:
    """Fail the build on an embed that points at nothing or a snippet no page shows."""
    problems = broken_embeds(_embedded)
    problems += [f"{path}: embedded by no page" for path in orphans(_embedded)]
    if problems:
        raise PluginError("Snippet embeds are broken:\n  " + "\n  ".join(problems))
