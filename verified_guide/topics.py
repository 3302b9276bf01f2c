"""The registry of guide topics, read from the files under ``snippets/``.

Everything that needs to know "which topics exist" (the demo apps, the tests,
the site's macros, the browser bundle) asks this module, so adding a topic is
adding a folder: nobody keeps a list by hand.
"""

from __future__ import annotations

import dataclasses
import importlib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import Any, Literal

from pydantic import Field, create_model, model_validator

from verified_guide.datafiles import ROOT, Strict, display, load_model, load_yaml
from verified_guide.frameworks import FRAMEWORK_TITLES, FRAMEWORKS

# Re-exported: most modules read the framework list and titles (verified_guide/frameworks.yaml)
# from here.
__all__ = ["FRAMEWORKS", "FRAMEWORK_TITLES", "ROOT", "display", "load_yaml"]

SNIPPETS = ROOT / "snippets"
Framework = Literal[FRAMEWORKS]  # type: ignore[valid-type]
#: Files in a topic folder that are data, not code shown on the site.
DATA_FILES = frozenset({"cases.yaml", "topic.yaml", "__init__.py"})


class TopicError(Exception):
    """A topic's files are missing or malformed; the message says which file."""


# ----------------------------------------------------------------------------- file schemas
# cases.yaml and topic.yaml as CONTRIBUTING.md documents them. Unknown keys are errors, so a
# misspelt check (``contain:``) fails loudly instead of silently checking nothing.

HttpMethod = Literal["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]


class FileSpec(Strict):
    """One file of a multipart/form-data request (``files:`` in a case's request)."""

    filename: str
    content_type: str
    #: The file's text; repeated ``repeat`` times, so a case can send a large file in one line.
    content: str = ""
    repeat: int = Field(default=1, ge=1)


class RequestSpec(Strict):
    """A request to send: ``json``, a raw ``body`` or multipart ``files`` (with ``headers``)."""

    method: HttpMethod = "GET"
    path: str
    json_body: Any = Field(default=None, alias="json")
    body: str | None = None
    #: Form field name to file: sent as multipart/form-data (verified_guide/live/runner.py builds
    #: it).
    files: dict[str, FileSpec] | None = None
    headers: dict[str, str] = {}


class ExpectedSpec(Strict):
    """Checks on a response; in an override, ``null`` drops a check the shared response makes."""

    status: int | None = None
    content_type: str | None = None
    json_body: Any = Field(default=None, alias="json")
    json_subset: dict[str, Any] | None = None
    text: str | None = None
    contains: list[str] | None = None
    not_contains: list[str] | None = None
    #: Header name to expected value; ``null`` means the header must be absent.
    headers: dict[str, str | None] | None = None


class ResponseSpec(ExpectedSpec):
    status: int


class CaseSpec(Strict):
    name: str
    before: list[RequestSpec] = []
    request: RequestSpec
    response: ResponseSpec
    #: Default: every framework the topic covers (``TopicMeta.frameworks``).
    frameworks: list[Framework] | None = None  # type: ignore[valid-type]
    overrides: dict[Framework, ExpectedSpec] = {}  # type: ignore[valid-type]


class FrameSpec(Strict):
    """One socket frame: a JSON value (``json``) or raw ``text``; for a Socket.IO snippet, the
    argument of an ``event`` (sent: default the conversation's ``socketio.event``; received:
    default the event of the frame it answers)."""

    json_body: Any = Field(default=None, alias="json")
    text: str | None = None
    event: str | None = None

    @model_validator(mode="after")
    def _one_payload(self) -> FrameSpec:
        if ("json_body" in self.model_fields_set) == (self.text is not None):
            raise ValueError("a frame has exactly one of `json` and `text`")
        return self


class SocketMessage(Strict):
    """A frame the client sends and the one frame the server must answer it with."""

    send: FrameSpec
    receive: FrameSpec


class SocketIOSpec(Strict):
    """The frameworks whose snippet speaks Socket.IO (events) rather than plain WebSocket.

    A Socket.IO server has one path (``/socket.io/``) and tells its conversations apart by
    namespace, so ``namespace`` is what ``path`` is to a WebSocket: the one the client joins.
    """

    frameworks: list[Framework]  # type: ignore[valid-type]
    #: The event every sent frame is emitted as, unless the frame names its own (a conversation
    #: that sends nothing, a refused one, needs none).
    event: str | None = None
    namespace: str = Field(default="/", pattern="^/")


class SocketSpec(Strict):
    """A socket conversation: connect to ``path``, then each message in turn on one connection;
    or, with ``refused``, a handshake the server must refuse (nothing is sent)."""

    name: str
    path: str
    messages: list[SocketMessage] = []
    refused: bool = False
    frameworks: list[Framework] | None = None  # type: ignore[valid-type]
    socketio: SocketIOSpec | None = None

    @model_validator(mode="after")
    def _sends_unless_refused(self) -> SocketSpec:
        if self.refused == bool(self.messages):
            raise ValueError(
                "a conversation has messages, or is `refused: true` with none (nothing is sent "
                "on a refused connection)"
            )
        if self.socketio and self.messages and self.socketio.event is None:
            raise ValueError("`socketio.event` is needed: the event the frames are sent as")
        return self


class CasesFile(Strict):
    cases: list[CaseSpec] = []
    #: Socket conversations (WebSocket, or Socket.IO events), written once for every framework.
    sockets: list[SocketSpec] = []


#: A row of the "what you get for free" table: the feature, and a cell per framework.
FreeRow = create_model(
    "FreeRow",
    __base__=Strict,
    feature=(str, ...),
    **{fw: (str | None, None) for fw in FRAMEWORKS},  # type: ignore[call-overload]
)

PerFramework = dict[Framework, list[str]]  # type: ignore[valid-type]


class VariantSpec(Strict):
    """A second snippet of one framework (``django_ninja.py`` beside ``django.py``).

    The demo app mounts it at ``/<topic>/<snippet>/`` and the tests send it the topic's cases
    and the hostile suite, as they do the main snippet. ``answers_like`` names the cases where
    it gives another framework's documented answer (Django Ninja validates with Pydantic, so
    it answers a bad query like FastAPI, not like Django REST framework).
    """

    snippet: str
    framework: Framework  # type: ignore[valid-type]
    answers_like: dict[Framework, list[str]] = {}  # type: ignore[valid-type]


class TopicMeta(Strict):
    """``topic.yaml``: the page's title, place, summary, packages and "for free" table."""

    title: str
    order: int
    summary: str
    #: The frameworks the topic covers, each with a ``<framework>.py`` snippet; default: every
    #: registered framework (verified_guide/frameworks.yaml) whose snippet file the folder holds.
    frameworks: list[Framework] | None = None  # type: ignore[valid-type]
    #: Only for a topic shown outside the guide; default ``guide/<slug>.md``.
    page: str | None = None
    packages: PerFramework = {}
    extensions: PerFramework = {}
    also_named: list[str] = []
    free: list[FreeRow] = []  # type: ignore[valid-type]
    #: The article's claims (docs/data/claims.yaml) this topic's cases are evidence for.
    claims: PerFramework = {}
    #: Second snippets of a framework, run and attacked like the main one (see VariantSpec).
    variants: list[VariantSpec] = []
    #: Each file that belongs to no one framework (a path in the topic's folder, or a folder
    #: ending in "/"), with the frameworks that use it: the page shows it under the tabs, and
    #: it counts towards each of these frameworks' lines of code (``LOC_RULE``).
    shared: dict[str, list[Framework]] = {}  # type: ignore[valid-type]


def _dump(spec: Strict) -> dict[str, Any]:
    """The keys the file set (explicit nulls kept: they drop checks), as the tests read them."""
    return spec.model_dump(by_alias=True, exclude_unset=True)


@dataclass(frozen=True)
class Case:
    """One example request and the response every framework must give."""

    topic: str
    name: str
    request: dict[str, Any]
    response: dict[str, Any]
    frameworks: tuple[str, ...]
    overrides: dict[str, dict[str, Any]] = field(default_factory=dict)
    #: Requests sent first, on the same client (cookies kept), to set up state.
    before: tuple[dict[str, Any], ...] = ()

    def expected(self, framework: str) -> dict[str, Any]:
        """The expected response for one framework: the shared one plus its overrides."""
        return {**self.response, **self.overrides.get(framework, {})}

    def as_data(self) -> dict[str, Any]:
        """A plain dict, for JSON embedding in pages and the browser runner."""
        return {
            "name": self.name,
            "request": self.request,
            "response": self.response,
            "frameworks": list(self.frameworks),
            "overrides": self.overrides,
            "before": list(self.before),
        }


@dataclass(frozen=True)
class SocketCase:
    """A socket conversation every framework must hold alike (``sockets:`` in cases.yaml).

    ``messages`` are ``{"send": frame, "receive": frame}``, a frame being ``{"json": value}``
    or ``{"text": str}``, with an ``event`` where the file gave one; the live runner
    (verified_guide/live/runner.py, ``socket_frames``) turns them into each framework's frames.
    """

    topic: str
    name: str
    path: str
    messages: tuple[dict[str, Any], ...]
    frameworks: tuple[str, ...]
    #: ``{"frameworks": [...], "event": ...}``: who speaks Socket.IO, and the event sent.
    socketio: dict[str, Any] | None = None
    #: The handshake must be refused (``messages`` is then empty).
    refused: bool = False

    def as_data(self) -> dict[str, Any]:
        """A plain dict, for JSON embedding in pages and the browser runner."""
        return {
            "name": self.name,
            "path": self.path,
            "messages": list(self.messages),
            "refused": self.refused,
            "frameworks": list(self.frameworks),
            "socketio": self.socketio,
        }


@dataclass(frozen=True)
class Topic:
    """A guide topic: its metadata (``topic.yaml``) and its cases (``cases.yaml``)."""

    slug: str
    title: str
    order: int
    meta: TopicMeta
    cases: tuple[Case, ...]
    #: The frameworks with a main snippet, in registry order (see ``TopicMeta.frameworks``).
    covers: tuple[str, ...] = ()
    #: Set on the topic a variant stands in for: its (framework, snippet file stem).
    variant: tuple[str, str] | None = None
    #: Socket conversations (``sockets:`` in cases.yaml).
    sockets: tuple[SocketCase, ...] = ()

    @property
    def folder(self) -> Path:
        return SNIPPETS / self.slug

    def case(self, name: str) -> Case:
        """The case of this name in ``cases.yaml`` (pages and pins quote its answers)."""
        found = next((c for c in self.cases if c.name == name), None)
        if found is None:
            names = ", ".join(repr(c.name) for c in self.cases)
            raise TopicError(f"snippets/{self.slug}/cases.yaml: no case {name!r} (cases: {names})")
        return found

    @property
    def mount(self) -> str:
        """Where the demo apps mount it: ``<slug>``, or ``<slug>/<snippet>`` for a variant."""
        return self.slug if self.variant is None else f"{self.slug}/{self.variant[1]}"

    def _stem(self, framework: str) -> str:
        return self.variant[1] if self.variant and self.variant[0] == framework else framework

    def snippet_path(self, framework: str) -> Path:
        """The main snippet file of a framework, e.g. ``snippets/hello/flask.py``."""
        return self.folder / f"{self._stem(framework)}.py"

    def module_name(self, framework: str) -> str:
        return f"snippets.{self.slug}.{self._stem(framework)}"

    def frameworks(self) -> tuple[str, ...]:
        """The frameworks that have a main snippet for this topic (a variant's one only)."""
        if self.variant is not None:
            return (self.variant[0],)
        return self.covers

    def variants(self) -> tuple[Topic, ...]:
        """The topic once per ``variants:`` entry, that snippet standing in for its framework's.

        Everything that takes a topic (the demo apps, the case and hostile tests) then runs the
        variant as it runs a main snippet; ``snippet_path(framework).stem`` tells them apart.
        """
        return tuple(_as_variant(self, spec) for spec in self.meta.variants)

    def snippets_of(self, framework: str) -> tuple[Topic, ...]:
        """Every snippet a framework's tab holds, each as a topic: the main one, then each
        variant that stands in for it (``django_ninja``). Each is counted and attacked apart."""
        return (self, *(v for v in self.variants() if v.frameworks() == (framework,)))

    def code_files(self, framework: str) -> list[Path]:
        """Every file of one framework: the main snippet first, then its helpers.

        A file belongs to a framework when its path inside the topic starts with
        the framework's name: ``django_models.py``, ``django_templates/items.html``.
        """
        main = self.snippet_path(framework)
        owned = sorted(
            p
            for p in self.folder.rglob("*")
            if p.is_file()
            and p != main
            and "__pycache__" not in p.parts
            and p.relative_to(self.folder).parts[0].startswith(framework)
        )
        return [main, *owned]

    def shared_files(self) -> list[Path]:
        """The topic's files that no one framework owns (templates, a seed script)."""
        return _unowned_files(self.folder, self.covers)

    def shared_by(self, framework: str) -> list[Path]:
        """The shared files ``topic.yaml`` says this framework uses."""
        entries = [path for path, users in self.meta.shared.items() if framework in users]
        return [
            p
            for p in self.shared_files()
            if any(_declares(entry, p.relative_to(self.folder)) for entry in entries)
        ]

    def counted_files(self, framework: str) -> list[Path]:
        """The files whose lines count (see ``LOC_RULE``): the tab's files and the shared files
        the framework uses, but not migrations, nor the framework's other snippets.

        A variant (``django_ninja.py``) and the main snippet (``django.py``) are alternatives
        in one tab: each counts with the helpers they share (``django_settings.py``), never
        with the other, or the tab's total would be two APIs' worth of code.
        """
        files = [*self.code_files(framework), *self.shared_by(framework)]
        return [
            p for p in files if not is_migration(p) and not self._another_snippets(framework, p)
        ]

    def _another_snippets(self, framework: str, path: Path) -> bool:
        """Whether ``path`` is (or belongs only to) another snippet of ``framework``: its main
        snippet file, or a variant's file or ``<variant>_*`` helper."""
        own = self._stem(framework)
        name = path.relative_to(self.folder).parts[0]
        if own != framework and name == f"{framework}.py":
            return True
        return any(
            spec.snippet != own
            and (name == f"{spec.snippet}.py" or name.startswith(f"{spec.snippet}_"))
            for spec in self.meta.variants
            if spec.framework == framework
        )

    def lines_of_code(self, framework: str) -> int:
        """A framework's lines of code for this topic, by ``LOC_RULE``."""
        return sum(count_code_lines(path) for path in self.counted_files(framework))


#: The one rule every page and claim counts lines of code by (loc_table, the claims' rules).
LOC_RULE = (
    "Lines of code count the lines that are neither blank nor only a `#` comment, in every "
    "file of the framework's tab (its snippet, helper modules and templates) and in every file "
    "it shares with another framework (shown under the tabs), for all three frameworks alike. "
    "Migration scripts are shown but not counted, for any framework: "
    "`makemigrations`, `alembic revision --autogenerate` and `flask db migrate` write them "
    "from the models. The Alembic environment (`env.py`) counts, because you configure it. "
    "A second snippet for one framework (Django Ninja beside DRF, say) is an alternative, not "
    "an addition: it has a row of its own, counted with the helpers it shares with the main one."
)
#: Folders that hold migration scripts: Alembic's ``versions/`` and Django's ``migrations/``.
MIGRATION_FOLDERS = frozenset({"versions", "migrations"})


def is_migration(path: Path) -> bool:
    return path.parent.name in MIGRATION_FOLDERS


def count_code_lines(path: Path) -> int:
    """Lines of one file that are neither blank nor only a ``#`` comment."""
    return sum(
        1
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.strip().startswith("#")
    )


def load_topic(slug: str) -> Topic:
    """Read one topic folder, failing with the file name when something is off."""
    folder = SNIPPETS / slug
    meta: TopicMeta = load_model(folder / "topic.yaml", TopicMeta, TopicError)
    covers = _covered(folder, meta)
    cases_file = folder / "cases.yaml"
    specs: CasesFile = load_model(cases_file, CasesFile, TopicError)
    cases = tuple(_case(slug, spec, covers) for spec in specs.cases)
    sockets = tuple(_socket(slug, spec, covers) for spec in specs.sockets)
    for case in [*cases, *sockets]:
        if not set(case.frameworks) <= set(covers):
            raise TopicError(
                f"{display(cases_file)}: case {case.name!r} names frameworks the topic does not "
                f"cover: {sorted(set(case.frameworks) - set(covers))} (covered: {list(covers)})"
            )
    names = [case.name for case in [*cases, *sockets]]
    if len(names) != len(set(names)):
        duplicate = next(n for n in names if names.count(n) > 1)
        raise TopicError(f"{display(cases_file)}: case names must be unique: {duplicate!r}")
    _check_variants(folder, meta, names)
    _check_shared(folder, meta, covers)
    return Topic(slug, meta.title, meta.order, meta, cases, covers, sockets=sockets)


def _covered(folder: Path, meta: TopicMeta) -> tuple[str, ...]:
    """The frameworks a topic covers, in registry order: the declared ones, each of which must
    have its snippet file, or else every registered framework whose snippet file exists."""
    present = tuple(fw for fw in FRAMEWORKS if (folder / f"{fw}.py").exists())
    if meta.frameworks is None:
        return present
    missing = [fw for fw in meta.frameworks if fw not in present]
    if missing:
        raise TopicError(
            f"{display(folder / 'topic.yaml')}: frameworks {missing} have no snippet "
            f"({', '.join(f'{display(folder)}/{fw}.py' for fw in missing)})"
        )
    return tuple(fw for fw in FRAMEWORKS if fw in meta.frameworks)


def _as_variant(topic: Topic, spec: VariantSpec) -> Topic:
    """The topic with a variant's snippet and expected answers in its framework's place."""
    like = {name: other for other, names in spec.answers_like.items() for name in names}
    cases = tuple(_answering_like(c, spec.framework, like.get(c.name)) for c in topic.cases)
    return dataclasses.replace(topic, cases=cases, variant=(spec.framework, spec.snippet))


def _answering_like(case: Case, framework: str, other: str | None) -> Case:
    """The case with ``framework`` expecting what ``other`` is documented to answer."""
    if other is None:
        return case
    overrides = {**case.overrides, framework: case.overrides.get(other, {})}
    return dataclasses.replace(case, overrides=overrides)


def _check_variants(folder: Path, meta: TopicMeta, case_names: list[str]) -> None:
    """A variant names an existing file of its framework and existing cases."""
    where = display(folder / "topic.yaml")
    for spec in meta.variants:
        path = folder / f"{spec.snippet}.py"
        if not spec.snippet.startswith(f"{spec.framework}_") or not path.exists():
            raise TopicError(
                f"{where}: variant {spec.snippet!r} must be a file {spec.framework}_<name>.py "
                f"in {display(folder)}/"
            )
        named = {name for names in spec.answers_like.values() for name in names}
        unknown = sorted(named - set(case_names))
        if unknown:
            raise TopicError(f"{where}: variant {spec.snippet!r} names unknown cases: {unknown}")


def _unowned_files(folder: Path, covers: tuple[str, ...]) -> list[Path]:
    """Files of a topic folder outside every framework's tab (``Topic.code_files``)."""
    return sorted(
        p
        for p in folder.rglob("*")
        if p.is_file()
        and p.name not in DATA_FILES
        and "__pycache__" not in p.parts
        and not p.relative_to(folder).parts[0].startswith(covers)
    )


def _declares(entry: str, relative: Path) -> bool:
    """Whether a ``shared:`` entry (a file, or a folder ending in "/") names this file."""
    path = relative.as_posix()
    return path.startswith(entry) if entry.endswith("/") else path == entry


def _check_shared(folder: Path, meta: TopicMeta, covers: tuple[str, ...]) -> None:
    """Every shared file says which frameworks use it (their line counts include it), and every
    ``shared:`` entry names shared files and covered frameworks."""
    where = display(folder / "topic.yaml")
    files = [p.relative_to(folder) for p in _unowned_files(folder, covers)]
    for entry, users in meta.shared.items():
        if not any(_declares(entry, f) for f in files):
            raise TopicError(
                f"{where}: shared: {entry!r} names no shared file of {display(folder)}/"
            )
        if not users or not set(users) <= set(covers):
            raise TopicError(
                f"{where}: shared: {entry!r} must list frameworks the topic covers ({list(covers)})"
            )
    undeclared = [f.as_posix() for f in files if not any(_declares(e, f) for e in meta.shared)]
    if undeclared:
        raise TopicError(
            f"{where}: say under shared: which frameworks use {undeclared} (their lines of code "
            "count towards those frameworks)"
        )


def mounted_topics(framework: str) -> list[Topic]:
    """What a framework's demo app mounts at ``/<topic.mount>``: variants first, so a prefix
    router (Starlette's mounts, Django's URL list) reaches them before their topic's snippet."""
    variants = [v for t in all_topics() for v in t.variants() if framework in v.frameworks()]
    return [*variants, *(t for t in all_topics() if framework in t.frameworks())]


def _case(slug: str, spec: CaseSpec, covers: tuple[str, ...]) -> Case:
    return Case(
        slug,
        spec.name,
        {"method": spec.request.method, **_dump(spec.request)},
        _dump(spec.response),
        tuple(spec.frameworks) if spec.frameworks is not None else covers,
        {fw: _dump(expected) for fw, expected in spec.overrides.items()},
        tuple({"method": r.method, **_dump(r)} for r in spec.before),
    )


def _socket(slug: str, spec: SocketSpec, covers: tuple[str, ...]) -> SocketCase:
    return SocketCase(
        slug,
        spec.name,
        spec.path,
        tuple(_dump(message) for message in spec.messages),
        tuple(spec.frameworks) if spec.frameworks is not None else covers,
        # Every key, defaults included (the namespace "/", no event): what reads it, the browser's
        # runner included, then needs no default of its own.
        spec.socketio.model_dump() if spec.socketio is not None else None,
        spec.refused,
    )


@cache
def all_topics() -> tuple[Topic, ...]:
    """Every topic, in navigation order."""
    slugs = [p.parent.name for p in SNIPPETS.glob("*/topic.yaml")]
    return tuple(sorted((load_topic(s) for s in slugs), key=lambda t: (t.order, t.slug)))


def get_topic(slug: str) -> Topic:
    for topic in all_topics():
        if topic.slug == slug:
            return topic
    raise TopicError(f"snippets/{slug}/: no such topic (expected snippets/{slug}/topic.yaml)")


def page_of(topic: Topic) -> str:
    """The docs-relative page that shows a topic: ``guide/<slug>.md`` unless its
    ``topic.yaml`` says ``page``. The navigation, every link to a topic and the site tests
    all ask here, so an override moves all of them."""
    return topic.meta.page or f"guide/{topic.slug}.md"


def import_snippet(topic: Topic, framework: str) -> ModuleType:
    """Import a framework's snippet module, naming the file when it is missing."""
    path = topic.snippet_path(framework)
    if not path.exists():
        raise TopicError(f"{display(path)}: snippet file is missing")
    return importlib.import_module(topic.module_name(framework))


def snippet_files() -> list[Path]:
    """Every file under ``snippets/`` that is shown on the site (code and templates)."""
    return sorted(
        p
        for p in SNIPPETS.rglob("*")
        if p.is_file()
        and p.name not in DATA_FILES
        and "__pycache__" not in p.parts
        and p.parent != SNIPPETS
    )
