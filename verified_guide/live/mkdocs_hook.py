"""MkDocs hook: put the live-demo bundle into the built site, under live/.

Runs on every build, `mkdocs serve` included. The cached bundle (Pyodide, wheels, lockfile,
editor, precompressed copies) is built on first use and copied only when changed; python.zip
(snippets, runner) and packages.json (each runnable snippet's package set, with the bytes a first
Run downloads) change with every edit, so they are written fresh each time.
"""

from __future__ import annotations

import base64
import json
import shutil
import zipfile
from pathlib import Path
from typing import Any

from mkdocs.exceptions import PluginError

from verified_guide.frameworks import REGISTRY
from verified_guide.live.build_bundle import CORE_FILES, ensure_bundle, load_config, precompress
from verified_guide.live.django_database import database_image
from verified_guide.live.packages import package_set
from verified_guide.live.resolve import ROOT
from verified_guide.live.runner import DATABASE_IMAGE
from verified_guide.live.support import unsupported
from verified_guide.topics import all_topics

HERE = Path(__file__).resolve().parent
# The browser-side modules, by the top-level names the worker imports them as.
BROWSER_MODULES = {
    "live_runner.py": HERE / "runner.py",
    "live_cases.py": HERE.parent / "cases.py",  # builds each request, as every sender does
    "live_hashing.py": HERE / "hashing.py",
    "live_secrets.py": HERE.parent / "secret_env.py",
}
#: Each framework's in-browser adapter and title, beside the runner (``live_runner.FRAMEWORKS``).
FRAMEWORKS_JSON = "live_frameworks.json"


def _sync(source: Path, dest: Path) -> None:
    """Copy the bundle's files that are missing or differ in size (they never change in place)."""
    dest.mkdir(parents=True, exist_ok=True)
    for path in source.iterdir():
        target = dest / path.name
        if not target.exists() or target.stat().st_size != path.stat().st_size:
            shutil.copy2(path, target)


#: What a snippet or the demo project is made of; anything else in those folders (a local .env,
#: a database and its -journal or -wal file, an editor's backup) stays off the published site.
PUBLISHED_SUFFIXES = frozenset({".py", ".html", ".yaml"})


def is_published_source(path: Path) -> bool:
    """Whether a file under snippets/ or demo_apps/ goes into python.zip: source and templates
    only, never a hidden file or anything in a hidden or cache folder."""
    parts = path.relative_to(ROOT).parts
    return path.suffix in PUBLISHED_SUFFIXES and not any(
        part.startswith(".") or part == "__pycache__" for part in parts
    )


def write_python_zip(dest: Path) -> None:
    """What the worker unpacks into its import path: the runner modules, the snippets, the
    Django demo project (its settings and the "guide" app) and its migrated database.

    Stored, not deflated, as the bundle's wheels are: the worker copies files out of it in
    JavaScript (docs/assets/live/stored_zip.js), faster than Python's zipfile in WebAssembly
    inflates them, and hosts serve the precompressed copies written beside it."""
    files = [*(ROOT / "snippets").rglob("*"), ROOT / "demo_apps" / "__init__.py"]
    files += (ROOT / "demo_apps" / "django_app").rglob("*")
    with zipfile.ZipFile(dest, "w", zipfile.ZIP_STORED) as archive:
        for path in sorted(files):
            if path.is_file() and is_published_source(path):
                archive.write(path, path.relative_to(ROOT).as_posix())
        for name, path in BROWSER_MODULES.items():
            archive.write(path, name)
        # The framework registry (verified_guide/frameworks.yaml), as data for the runner's
        # dispatch.
        archive.writestr(FRAMEWORKS_JSON, json.dumps(REGISTRY.browser_data(), sort_keys=True))
        archive.write(database_image(), DATABASE_IMAGE)


def package_manifest(live: Path) -> dict[str, Any]:
    """packages.json: every runnable snippet's package set and the bytes it downloads (decoded),
    checked against the bundle's lockfile, so a name the bundle lacks stops the build here.

    The worker installs every package of a set itself (docs/assets/live/stored_zip.js): each
    wheel is fetched by ``wheel_files`` with the lockfile's hash as its integrity, and its
    WebAssembly libraries (``libraries``: pydantic-core's) are loaded after the files are in
    place."""
    lock = json.loads((live / "pyodide-lock.json").read_text(encoding="utf-8"))["packages"]
    config = load_config()
    snippets = {}
    for topic in all_topics():
        for framework in topic.frameworks():
            if (topic.slug, framework) in unsupported():
                continue
            names = package_set(topic.slug, framework, config)
            missing = [name for name in names if name not in lock]
            if missing:
                raise PluginError(
                    f"live demo {topic.slug}/{framework}: {missing} not in the bundle's "
                    "pyodide-lock.json (verified_guide/live/bundle.yaml)"
                )
            size = sum((live / lock[name]["file_name"]).stat().st_size for name in names)
            snippets[f"{topic.slug}/{framework}"] = {"packages": names, "bytes": size}
    check_no_pydantic_plugins(live, lock)
    installed_here = sorted({name for entry in snippets.values() for name in entry["packages"]})
    wheel_files = {name: wheel_file(live, lock[name]) for name in installed_here}
    core = sum((live / name).stat().st_size for name in [*CORE_FILES, "python.zip"])
    return {"core_bytes": core, "snippets": snippets, "wheel_files": wheel_files}


def wheel_file(live: Path, entry: dict[str, Any]) -> dict[str, Any]:
    """Where the worker fetches a wheel, the hash it checks and the WebAssembly libraries it
    loads from it, after checking the worker can install it: every entry stored (uncompressed),
    no Zip64, no path leaving site-packages, no ``.data`` directory (stored_zip.js copies files;
    it does not move data files into place), and no shared library other packages link against
    (Pyodide's ``shared_library`` packages: the worker loads a package's libraries for its own
    modules only, as Pyodide's loadPackage does for an ordinary package)."""
    path = live / entry["file_name"]
    if entry.get("package_type", "package") != "package":
        raise PluginError(
            f"live bundle: {path.name} is a {entry['package_type']} package; the worker loads "
            "only a package's own extension modules (docs/assets/live/worker.js)"
        )
    kinds: dict[str, str] = {}
    with zipfile.ZipFile(path) as wheel:
        for info in wheel.infolist():
            name = info.filename
            problem = (
                "is compressed" if info.compress_type != zipfile.ZIP_STORED
                else "needs Zip64" if max(info.file_size, info.header_offset) >= 0xFFFFFFFF
                else "leaves site-packages"
                if name.startswith("/") or "\\" in name or ".." in name.split("/")
                else "is a .data file" if name.split("/")[0].endswith(".data")
                else 'has an empty or "." path segment'
                if {"", "."} & set(name.removesuffix("/").split("/"))
                else clash(kinds, name)
            )  # fmt: skip
            if problem:
                raise PluginError(
                    f"live bundle: {path.name}: {name} {problem}; the worker installs the "
                    "wheels itself (docs/assets/live/stored_zip.js), and cannot install this one"
                )
        libraries = sorted(name for name in wheel.namelist() if name.endswith(".so"))
    digest = base64.b64encode(bytes.fromhex(entry["sha256"])).decode()
    return {"file": entry["file_name"], "integrity": f"sha256-{digest}", "libraries": libraries}


def clash(kinds: dict[str, str], name: str) -> str | None:
    """Why a file system could not hold an archive's entry beside the ones before it (recorded
    in ``kinds``: each path named so far, "file" or "dir"), or None: stored_zip.js's rule, so
    the build refuses what the worker would."""
    is_directory = name.endswith("/")
    parts = name.removesuffix("/").split("/")
    for depth in range(1, len(parts)):
        above = "/".join(parts[:depth])
        if kinds.setdefault(above, "dir") == "file":
            return f"is inside {above}, a file"
    own = "/".join(parts)
    known = kinds.get(own)
    if known == "file" or (known == "dir" and not is_directory):
        return "is named twice, or as a file and a directory"
    kinds[own] = "dir" if is_directory else "file"
    return None


#: The entry-point group pydantic searches for plugins; the worker skips the search
#: (PYDANTIC_DISABLE_PLUGINS in docs/assets/live/worker.js), which is only right while no
#: bundled distribution declares one.
PYDANTIC_PLUGIN_GROUP = "pydantic"


def check_no_pydantic_plugins(live: Path, lock: dict[str, Any]) -> None:
    """Stop the build when a bundled wheel declares a pydantic plugin: the browser would not
    load it, so a demo could answer differently from CPython."""
    for name, entry in lock.items():
        path = live / entry["file_name"]
        if path.suffix != ".whl" or not path.is_file():
            continue
        with zipfile.ZipFile(path) as wheel:
            for member in wheel.namelist():
                if not member.endswith(".dist-info/entry_points.txt"):
                    continue
                lines = wheel.read(member).decode("utf-8").splitlines()
                if f"[{PYDANTIC_PLUGIN_GROUP}]" in (line.strip() for line in lines):
                    raise PluginError(
                        f"live demos: {path.name} declares a pydantic plugin, which the worker "
                        "skips (PYDANTIC_DISABLE_PLUGINS in docs/assets/live/worker.js): "
                        f"remove that setting or the package ({name})"
                    )


def on_post_build(config: Any) -> None:
    live = Path(config["site_dir"]) / "live"
    _sync(ensure_bundle(), live)
    write_python_zip(live / "python.zip")
    precompress(live, ("python.zip",))
    manifest = package_manifest(live)
    (live / "packages.json").write_text(json.dumps(manifest, indent=1, sort_keys=True))
