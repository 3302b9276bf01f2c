"""The site's macros: the topic pages' tabs and tables, and the registration of every macro.

mkdocs-macros calls ``define_env`` (the macros pages use; it also starts the build's
``context.py``, so result files and verdicts are loaded once per build) and
``on_post_page_macros``/``on_post_build`` (the embed check, which must see pages after
macros have run). The other pages' fragments are rendered beside this file:
``bench_page.py`` (benchmark tables, charts and figures), ``claims_page.py`` (verdicts, the
landing page's counts and headline table), ``decision_page.py``, ``matrix_page.py`` and
``support_page.py``. The MkDocs hooks are in ``hooks.py``. Pages hold prose and macro calls;
anything computed lives in ``docs/plugins/``.

Snippets are embedded with pymdownx.snippets lines that the macros *emit*; the
snippets preprocessor runs after Jinja, so template syntax inside a snippet
(``{{ item.name }}``) reaches the reader untouched.
"""

from __future__ import annotations

import json
import posixpath
import re
import shlex
import sys
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from jinja2 import pass_context
from jinja2.runtime import Context
from mkdocs.exceptions import PluginError

from docs.plugins import bench_page, claims_page, decision_page, support_page
from docs.plugins.context import current, start_build
from docs.plugins.markdown import code, literal, spoken_list, table
from docs.plugins.matrix_page import summary_table, topic_matrix
from docs.plugins.page_data import live_placeholder, script_json
from verified_guide import postgres, servers, typecheck
from verified_guide.bench.environment import measured_code
from verified_guide.check_embeds import broken_embeds, embeds_in, orphans
from verified_guide.claims.evidence import IN_CI
from verified_guide.frameworks import REGISTRY
from verified_guide.servers import DEMO_SERVERS, SOCKET_SERVERS
from verified_guide.sockets import (
    endpoint,
    expected_frames,
    socket_demo_servers,
    speaks_socketio,
)
from verified_guide.source_links import configure as configure_source_links
from verified_guide.source_links import links
from verified_guide.topics import (
    FRAMEWORK_TITLES,
    FRAMEWORKS,
    LOC_RULE,
    ROOT,
    SocketCase,
    Topic,
    TopicError,
    all_topics,
    get_topic,
    is_migration,
    page_of,
)

# --------------------------------------------------------------------------- helpers

LANGUAGES = {".py": "python", ".html": "jinja", ".txt": "text", ".yaml": "yaml"}


def _code_block(path: Path, indent: str = "") -> str:
    """The file as a code block, followed by a link to it in the repository."""
    rel = path.relative_to(ROOT)
    lang = LANGUAGES.get(path.suffix, "text")
    return (
        f'{indent}``` {lang} title="{rel}"\n{indent}--8<-- "{rel}"\n{indent}```\n\n'
        f"{indent}Source: {links().link(rel)}\n{indent}{{ .source-link }}\n"
    )


def source_link(path: str) -> str:
    """A link to a file of the repository at the built commit, for prose that names a file it
    does not show; a path that names no file stops the build."""
    if not (ROOT / path).is_file():
        raise PluginError(f"source_link: {path} is not a file of the repository")
    return links().link(path)


def installed_version(package: str) -> str:
    try:
        return version(package)
    except PackageNotFoundError as exc:
        raise PluginError(f"package {package!r} named in a topic.yaml is not installed") from exc


# --------------------------------------------------------------------------- macros


def int_max_str_digits() -> str:
    """How many digits CPython's int() converts from a string (``sys.get_int_max_str_digits``,
    4,300 unless configured), for the validation page's pitfall."""
    return f"{sys.get_int_max_str_digits():,}"


def package_version(package: str) -> str:
    """The installed (locked) version of a package, for prose: "FastAPI {{ package_version(
    "fastapi") }} ships ...", so a sentence names the release it was checked against."""
    return installed_version(package)


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
    if topic.sockets:  # the socket conversations, for the live demo's socket form (live.js)
        sockets = script_json([case.as_data() for case in topic.sockets])
        parts.append(
            f'<script type="application/json" class="topic-sockets" data-topic="{slug}">'
            f"{sockets}</script>\n\n"
        )
    shared = topic.shared_files()
    if shared:
        parts.append("Files used by more than one version:\n\n")
        parts.extend(_code_block(path) + "\n" for path in shared)
    return "".join(parts)


def free_table(slug: str) -> str:
    """The topic's "what you get for free" table, from ``topic.yaml``."""
    topic = get_topic(slug)
    rows = [
        [row.feature, *(getattr(row, fw) or "" for fw in topic.frameworks())]
        for row in topic.meta.free
    ]
    header = ["Feature", *(FRAMEWORK_TITLES[fw] for fw in topic.frameworks())]
    return table(header, rows) + f"\nSource: {links().link(topic.folder / 'topic.yaml')}.\n"


def _snippet_title(snippet: Topic, framework: str) -> str:
    """A row's name for one snippet of a tab: ``Django``, or ``Django (`django_ninja.py`)``."""
    title = FRAMEWORK_TITLES[framework]
    if snippet.variant is None:
        return title
    return f"{title} (`{snippet.snippet_path(framework).name}`)"


def loc_table(slug: str) -> str:
    """Lines of code per framework, counted at build time by the one rule (``LOC_RULE``)."""
    topic = get_topic(slug)
    rows, skipped = [], []
    # Each main snippet, and under it each variant on a row of its own: they are alternatives.
    for framework in topic.frameworks():
        for snippet in topic.snippets_of(framework):
            counted = snippet.counted_files(framework)
            names = ", ".join(links().link(p.relative_to(ROOT), f"`{p.name}`") for p in counted)
            lines = str(snippet.lines_of_code(framework))
            rows.append([_snippet_title(snippet, framework), lines, names])
            skipped += [p.name for p in snippet.code_files(framework) if is_migration(p)]
    note = f"\n{LOC_RULE}"
    if skipped:
        note += " Not counted here: " + ", ".join(f"`{n}`" for n in dict.fromkeys(skipped)) + "."
    return table(["Framework", "Lines of code", "Files counted"], rows) + note + "\n"


def verdict_sources(slug: str) -> str:
    """What a topic's verdict rests on: its own tests (``tests/topics/test_<topic>.py``, the
    mirrored path) and the examples' test, as links."""
    topic = get_topic(slug)
    own = ROOT / "tests" / "topics" / f"test_{topic.slug}.py"
    tests = [own] if own.is_file() else []
    named = [links().link(t.relative_to(ROOT)) for t in [*tests, ROOT / "tests" / "test_cases.py"]]
    return f"The tests behind this verdict: {spoken_list(named)}."


@pass_context
def tested_versions(context: Context, slug: str) -> str:
    """The package versions this page's snippets were tested with (read from the environment),
    then the version matrix: the same cases on each supported release line."""
    topic = get_topic(slug)
    packages = topic.meta.packages
    items = []
    for framework in topic.frameworks():
        pinned = ", ".join(f"{p} {installed_version(p)}" for p in packages.get(framework, []))
        items.append(f"**{FRAMEWORK_TITLES[framework]}**: {pinned}")
    text = "Tested with " + "; ".join(items) + "."
    named = topic.meta.also_named
    if named:
        text += (
            " Also named on this page, but not installed or tested here: " + ", ".join(named) + "."
        )
    summary = posixpath.relpath("matrix.md", posixpath.dirname(context["page"].file.src_uri))
    return text + "\n\n" + topic_matrix(slug, summary)


def demo_django_middleware() -> str:
    """What the Django demo project adds to ``startproject``'s middleware, and the total, read
    from the module its settings take ``MIDDLEWARE`` from (a test pins the two together)."""
    from demo_apps.django_app.config import middleware

    added = [
        f"{purpose} (for {get_topic(topic).meta.title})"
        for purpose, topic in middleware.ADDED_BY_TOPICS.values()
    ]
    return (
        f"middleware for {spoken_list(added)}: {len(middleware.MIDDLEWARE)} in all, listed in "
        "`demo_apps/django_app/config/middleware.py`"
    )


def django_middleware_count(which: str) -> int:
    """How many middleware ``startproject`` gives (``"startproject"``) or the demo project runs
    (``"demo"``), for prose: the count changes with the module, never by hand."""
    from demo_apps.django_app.config import middleware

    lists = {"startproject": middleware.STARTPROJECT_MIDDLEWARE, "demo": middleware.MIDDLEWARE}
    if which not in lists:
        raise PluginError(f"django_middleware_count: {which!r} is not one of {sorted(lists)}")
    return len(lists[which])


def live_unsupported_count() -> int:
    """How many snippets cannot run in the browser (``snippets/live_unsupported.yaml``)."""
    from verified_guide.live.support import unsupported

    return len(unsupported())


def n_plus_one_counts() -> str:
    """Queries per read for each framework: the figures ``tests/topics/test_async_database.py``
    requires on SQLite and PostgreSQL."""
    from verified_guide import async_database as nq

    rows = [
        [FRAMEWORK_TITLES[fw], str(trap), str(fixed), str(joined)]
        for fw, (trap, fixed, joined) in nq.QUERY_COUNTS.items()
    ]
    header = [
        "Framework",
        f"{nq.AUTHORS} authors, books one author at a time",
        "`GET /authors` (books prefetched)",
        "`GET /books` (author joined)",
    ]
    test = links().link("tests/topics/test_async_database.py")
    return table(header, rows) + (
        f"\nQueries counted by {test} on SQLite and on PostgreSQL, with {nq.AUTHORS} authors of "
        f"{nq.BOOKS_EACH} books each.\n"
    )


def n_plus_one_timings() -> str:
    """The committed measurement of the N+1 read against the fixed one on PostgreSQL."""
    from verified_guide import async_database as nq

    result = nq.load()
    rows = []
    for timing in result.timings:
        figures = nq.summary(timing)
        rows.append([
            FRAMEWORK_TITLES[timing.framework],
            timing.orm,
            f"{figures['n_plus_one_ms']:.2f} ms ({timing.queries_n_plus_one} queries)",
            f"{figures['fixed_ms']:.2f} ms ({timing.queries_fixed} queries)",
            str(figures["ratio"]),
        ])  # fmt: skip
    env = result.environment
    header = ["Framework", "ORM", "N+1 read (median)", "Fixed read (median)", "N+1 / fixed"]
    source = links().link(nq.RESULT_FILE.relative_to(ROOT))
    script = links().link("verified_guide/async_database.py")
    return table(header, rows) + (
        f"\nOne read is a page of {result.authors} authors with {result.books_each} books each, "
        f"through the snippet's own function; each figure is the median over {result.rounds} "
        f"interleaved rounds of {result.calls_per_sample} reads, the ratio's 95% interval paired "
        f"by round. PostgreSQL {env.postgresql} on loopback TCP, Python {env.python}, "
        f"{env.cores} cores ({env.cpu_model}), load average {env.load_average[0]:g} as the run "
        f"ended, {env.date[:10]}, {measured_code(env.git_commit, env.git_dirty)}. Result file "
        f"{source}, written by "
        f"{script} (`python -m scripts.async_database measure`).\n"
    )


def version_matrix() -> str:
    """The summary page: every topic on every release line."""
    return summary_table()


def postgres_version() -> str:
    """The PostgreSQL server version the tests run against: the binaries that
    ``verified_guide/postgres.py`` starts (a test pins the running server to this). Without
    PostgreSQL, CI stops; a laptop build says it is missing."""
    try:
        return f"PostgreSQL {postgres.installed_version()}"
    except postgres.PostgresNotInstalled as exc:
        if IN_CI:
            raise PluginError(str(exc)) from exc
        return f"PostgreSQL (not installed where this page was built: `{postgres.INSTALL_HINT}`)"


HOSTILE_SUITE = "tests/hostile/"


def _hostile_rows(slug: str) -> dict[str, dict[str, Any]]:
    """This topic's in-process tallies per framework (or variant), from the build's report."""
    return {row["framework"]: row for row in current().hostile_runs if row["topic"] == slug}


def hostile_survival(slug: str) -> str:
    """How many hostile requests each snippet survived in the last run of the suite."""
    topic = get_topic(slug)
    rows = _hostile_rows(slug)
    suite = links().link(HOSTILE_SUITE, f"`{HOSTILE_SUITE}`")
    parts = []
    # Every snippet of every tab (a variant's rows are under its file's stem: django_ninja).
    shown = [
        (snippet.snippet_path(fw).stem, _snippet_title(snippet, fw))
        for fw in topic.frameworks()
        for snippet in topic.snippets_of(fw)
    ]
    for key, title in shown:
        row = rows.get(key)
        if row is None:
            parts.append(f"**{title}**: not run here")
        else:
            survived, sent, day = row["sent"] - row["failed"], row["sent"], row["finished"][:10]
            parts.append(f"**{title}**: {survived:,} of {sent:,} (run {day})")
    # The time limit each run judged by, as its report row recorded it (older reports did not).
    hangs = sorted({r["hang_seconds"] for r in rows.values() if "hang_seconds" in r})
    limits = " or ".join(f"{seconds:g} s" for seconds in hangs)
    within = f", within {limits}" if limits else ""
    return (
        "Hostile requests survived (answered with a 4xx refusal, or a 2xx or 3xx where the odd "
        f"input was still valid, never a 5xx{within}, "
        "with no traceback or path) in the last run of the hostile-request suite "
        f"{suite}: " + "; ".join(parts) + "."
    )


def _headers_summary(headers: dict[str, Any]) -> list[str]:
    return [
        f"no {code(name)}" if value is None else code(f"{name}: {value}")
        for name, value in headers.items()
    ]


def _response_summary(expected: dict[str, Any]) -> str:
    parts = [f"**{expected['status']}**"]
    if expected.get("json") is not None:
        parts.append(code(json.dumps(expected["json"])))
    elif expected.get("text"):
        # A streamed body (server-sent events, CSV) spans lines: shown with its \n, in one cell.
        parts.append(code(expected["text"]))
    elif expected.get("contains"):
        parts.append("contains " + ", ".join(code(c) for c in expected["contains"]))
    if expected.get("not_contains"):
        parts.append("never " + ", ".join(code(c) for c in expected["not_contains"]))
    parts.extend(_headers_summary(expected.get("headers") or {}))
    return " ".join(parts)


#: A run of digits too long to read in a table cell (a number past a float's range).
LONG_NUMBER = re.compile(r"\d{40,}")


def _long_numbers_shortened(text: str) -> str:
    """``1000…0 (401 digits)`` for each long run of digits: the cell stays narrow, and the
    linked cases.yaml has the number in full."""
    return LONG_NUMBER.sub(lambda m: f"{m[0][:4]}…{m[0][-1]} ({len(m[0])} digits)", text)


def _request_summary(request: dict[str, Any]) -> str:
    parts = [code(f"{request['method']} {request['path']}")]
    parts.extend(_headers_summary(request.get("headers") or {}))
    if "json" in request:
        parts.append(code(_long_numbers_shortened(json.dumps(request["json"]))))
    elif "body" in request:
        parts.append(code(_long_numbers_shortened(request["body"])))
    for field, spec in (request.get("files") or {}).items():
        size = len(spec.get("content", "").encode()) * spec.get("repeat", 1)
        name, kind = spec["filename"], spec["content_type"]
        parts.append(f"file {code(field)}: {code(name)} ({code(kind)}, {size:,} bytes)")
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
        rows.append([literal(case.name), _request_summary(case.request), *cells])
    header = ["Case", "Request", *(FRAMEWORK_TITLES[fw] for fw in frameworks)]
    source = links()
    return (
        table(header, rows) + f"\nThese cases are {source.link(topic.folder / 'cases.yaml')}; "
        f"{source.link('tests/test_cases.py')} sends each one to every framework's snippet, and "
        f"{source.link('tests/test_demo_servers.py')} to the demo apps on their servers.\n"
    )


def _frame_summary(frame: dict[str, Any], event: str | None = None) -> str:
    value = json.dumps(frame["json"]) if "json" in frame else frame["text"]
    return f"{code(event)} event: {code(value)}" if event else code(value)


def _answers_cell(case: SocketCase, framework: str) -> str:
    """The frames a framework must answer with, in order, or the refusal a case expects."""
    if case.refused:
        return "handshake refused"
    frames = expected_frames(case, framework)
    return "<br>".join(_frame_summary(f, f.pop("event")) for f in frames)


def _endpoints(case: SocketCase, frameworks: tuple[str, ...]) -> str:
    """Where the conversation connects: its WebSocket path, and what each framework that
    speaks Socket.IO joins instead (``endpoint``: its namespace)."""
    shown = code(case.path)
    for framework in frameworks:
        if speaks_socketio(case, framework):
            shown += f" ({FRAMEWORK_TITLES[framework]}: {code(endpoint(case, framework))})"
    return shown


def socket_table(slug: str) -> str:
    """The topic's socket conversations (``sockets:`` in cases.yaml): each frame sent and the
    frame each framework must answer it with, in order, on one connection; empty without any."""
    topic = get_topic(slug)
    if not topic.sockets:
        return ""
    frameworks = topic.frameworks()
    rows = []
    for case in topic.sockets:
        sent = "<br>".join(_frame_summary(m["send"]) for m in case.messages) or "(nothing)"
        cells = [_answers_cell(case, fw) if fw in case.frameworks else "n/a" for fw in frameworks]
        rows.append([literal(case.name), f"{_endpoints(case, frameworks)}<br>{sent}", *cells])
    header = ["Conversation", "Frames sent", *(FRAMEWORK_TITLES[fw] for fw in frameworks)]
    socketio = sorted(
        {(fw, case.socketio["event"]) for case in topic.sockets for fw in frameworks
         if speaks_socketio(case, fw) and case.socketio["event"]}
    )  # fmt: skip
    note = "".join(
        f" {FRAMEWORK_TITLES[fw]}'s snippet speaks Socket.IO: each frame is sent as the argument "
        f"of the {code(event)} event, and the answers arrive as the events named."
        for fw, event in socketio
    )
    source = links()
    return (
        table(header, rows) + "\nEach conversation is one connection: the frames are sent in "
        f"turn, and the n-th answer listed answers the n-th frame.{note} They are "
        f"{source.link(topic.folder / 'cases.yaml')} "
        f"too; {source.link('tests/test_socket_cases.py')} holds each one with every framework's "
        f"socket test client, {source.link('tests/test_demo_servers.py')} over a real connection "
        f"with the demo apps on their servers ({_socket_deployments(topic)}), and the live demo "
        "above in your browser.\n"
    )


def _socket_deployments(topic: Topic) -> str:
    """Where the demo apps hold the topic's conversations, from the registry: the demo servers,
    and the full command of a server started for sockets only (``socket_server``)."""
    names = dict.fromkeys(d.name for case in topic.sockets for d in socket_demo_servers(case))
    by_framework: dict[str, list[str]] = {}
    for name in names:
        if name in SOCKET_SERVERS:
            command = shlex.join(arg.replace("{port}", "8000") for arg in SOCKET_SERVERS[name])
            shown = f"`{command}` (its own servers cannot keep a socket open beside other requests)"
        else:
            shown = f"`{name}`"
        by_framework.setdefault(REGISTRY.server(name).framework.title, []).append(shown)
    return "; ".join(f"{title} on {', '.join(shown)}" for title, shown in by_framework.items())


def _expected(slug: str, case_name: str, framework: str) -> dict[str, Any]:
    case = get_topic(slug).case(case_name)
    if framework not in case.frameworks:
        raise TopicError(f"snippets/{slug}/cases.yaml: case {case_name!r} skips {framework}")
    return case.expected(framework)


def status(slug: str, case_name: str, framework: str) -> int:
    """The status a framework answers in a named case of ``cases.yaml``, for prose: a page
    says ``{{ status("hello", "wrong method", "django") }}``, never a typed code, so the
    sentence changes when the case (which the tests run) does."""
    return _expected(slug, case_name, framework)["status"]


def case_field(slug: str, case_name: str, framework: str, field: str) -> Any:
    """One field of the JSON a framework answers in a named case, for prose, as ``status``
    is for its code: ``{{ case_field("bench", "simulated io", "flask", "waited_ms") }}``."""
    body = _expected(slug, case_name, framework).get("json")
    if not isinstance(body, dict) or field not in body:
        raise TopicError(f"snippets/{slug}/cases.yaml: case {case_name!r} has no JSON {field!r}")
    return body[field]


@pass_context
def this_topic(context: Context) -> str:
    """The slug of the topic whose page is being rendered: the subject of the topic page
    template (docs/plugins/topic_page.md.jinja), so a page names its topic nowhere."""
    src = context["page"].file.src_uri
    for topic in all_topics():
        if page_of(topic) == src:
            return topic.slug
    raise PluginError(f"{src}: extends the topic page template but is no topic's page")


def topic_index() -> str:
    """The guide's table of contents, from the topics' own metadata."""
    rows = [
        [f"[{t.title}]({posixpath.relpath(page_of(t), 'guide')})", t.meta.summary]
        for t in all_topics()
        if page_of(t).startswith("guide/")
    ]
    source = links().link("snippets")
    return (
        table(["Topic", "What it shows"], rows)
        + f"\nEach row is a folder of {source}: its `topic.yaml` names the page and the summary.\n"
    )


def server_commands() -> str:
    """The demo apps' production commands, rendered from ``verified_guide.servers.DEMO_SERVERS``."""
    rows = [
        [f"`{name}`", f"`{shlex.join(arg.replace('{port}', '8000') for arg in argv)}`"]
        for name, argv in DEMO_SERVERS.items()
    ]
    source = links().link(Path(servers.__file__).relative_to(ROOT))
    commands = table(["Demo app and server", "Command"], rows)
    return commands + f"\nSource: {source} (`DEMO_SERVERS`).\n"


def demo_server_names() -> str:
    """The production servers the demo apps run under, from the registry, for prose: "the demo
    apps on Uvicorn, Gunicorn and Granian" names every server the case tests start."""
    names = dict.fromkeys(demo.spec.server for demo in REGISTRY.demo_servers)
    return spoken_list([name.capitalize() for name in names])


# --------------------------------------------------------------------------- landing page


def typecheck_table() -> str:
    """Strict mypy errors per topic and framework, from the report ``make test`` writes."""
    report = current().typecheck
    counts: dict[tuple[str, str], int] = {}
    for result in report.files:
        key = (result.topic, result.framework)
        counts[key] = counts.get(key, 0) + result.errors
    topics = sorted({topic for topic, _ in counts})
    rows = [
        [topic, *(str(counts[topic, fw]) if (topic, fw) in counts else "—" for fw in FRAMEWORKS)]
        for topic in topics
    ]
    totals = [sum(n for (_, f), n in counts.items() if f == fw) for fw in FRAMEWORKS]
    rows.append(["**all topics**", *(f"**{n}**" for n in totals)])
    source = links().link(Path(typecheck.__file__).relative_to(ROOT))
    stale = (
        '!!! warning "Counted before your latest edit"\n'
        "    A snippet, demo app, pin or mypy setting changed after these counts were taken; "
        "`python -m scripts.typecheck` counts again (`make build` does).\n\n"
        if typecheck.is_stale(report)
        else ""
    )
    return (
        stale
        + table(["Topic", *(FRAMEWORK_TITLES[fw] for fw in FRAMEWORKS)], rows)
        + f"\nCounted by mypy {report.mypy_version} in strict mode, {len(report.files)} files "
        f"(script: {source}).\n"
    )


def typecheck_codes() -> str:
    """The kinds of strict-mode errors per framework (mypy's error codes), largest first."""
    report = current().typecheck
    codes: dict[str, dict[str, int]] = {fw: {} for fw in FRAMEWORKS}
    for result in report.files:
        for error_code, n in result.codes.items():
            codes[result.framework][error_code] = codes[result.framework].get(error_code, 0) + n
    names = sorted({c for by_fw in codes.values() for c in by_fw})
    names.sort(key=lambda c: -sum(codes[fw].get(c, 0) for fw in FRAMEWORKS))
    rows = [[f"`{c}`", *(str(codes[fw].get(c, 0)) for fw in FRAMEWORKS)] for c in names]
    source = links().link(Path(typecheck.__file__).relative_to(ROOT))
    return (
        table(["mypy error code", *(FRAMEWORK_TITLES[fw] for fw in FRAMEWORKS)], rows)
        + f"\nCounted by the same run as the table above (script: {source}).\n"
    )


def typecheck_files(*codes: str) -> str:
    """Which frameworks' snippets strict mypy found these error codes in, and in which files
    (with counts), so a sentence explaining them cannot leave one out or name a stale one."""
    found: dict[str, list[str]] = {}
    for result in current().typecheck.files:
        n = sum(result.codes.get(code, 0) for code in codes)
        if n:
            found.setdefault(result.framework, []).append(f"`{result.path}` ({n})")
    if not found:
        return "in no snippet"
    owners = spoken_list([f"{FRAMEWORK_TITLES[fw]}'s" for fw in FRAMEWORKS if fw in found])
    only = "only " if len(found) < len(FRAMEWORKS) else ""
    files = [f for fw in FRAMEWORKS for f in sorted(found.get(fw, []))]
    return f"{only}in {owners} snippets: {spoken_list(files)}"


def typing_examples() -> str:
    """The validation topic's snippets side by side, for the typing page's autocomplete note."""
    topic = get_topic("validation")
    parts = []
    for framework in topic.frameworks():
        parts.append(f'=== "{FRAMEWORK_TITLES[framework]}"\n\n')
        parts.append(_code_block(topic.snippet_path(framework), indent="    ") + "\n")
    return "".join(parts)


_embedded: set[str] = set()


def define_env(env: Any) -> None:
    """mkdocs-macros entry point (once per build): the functions pages may call."""
    _embedded.clear()
    start_build()
    configure_source_links(env.conf["repo_url"])
    for macro in (
        framework_tabs,
        free_table,
        loc_table,
        tested_versions,
        verdict_sources,
        postgres_version,
        demo_django_middleware,
        django_middleware_count,
        live_unsupported_count,
        source_link,
        n_plus_one_counts,
        n_plus_one_timings,
        hostile_survival,
        this_topic,
        version_matrix,
        cases_table,
        socket_table,
        status,
        case_field,
        topic_index,
        server_commands,
        demo_server_names,
        typecheck_table,
        typecheck_codes,
        typecheck_files,
        typing_examples,
        package_version,
        int_max_str_digits,
    ):
        env.macro(macro)
    for page in (bench_page, claims_page, decision_page, support_page):
        for macro in page.MACROS:
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
