"""The live bundle's cold-start pieces that run outside a browser: bytecode archives, the
lockfile's dependencies, the migrated Django database's loading, the worker's wheel installer
(under node). (The browser side, the same
code in Pyodide, is checked by tests/browser/test_parity.py and test_live_demo.py.)"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import sqlite3
import subprocess
import sys
import warnings
import zipfile
from pathlib import Path

import pytest

from tests.conftest import require_tool
from verified_guide.live.bytecode import compile_archive
from verified_guide.live.resolve import direct_dependencies
from verified_guide.live.runner import load_database
from verified_guide.live.support import hashes_passwords
from verified_guide.lockfile import locked_packages

WHEEL_FILES = {
    "demo_pkg/__init__.py": '"""A package."""\nVALUE = 41 + 1\n',
    "demo_pkg/reads_itself.py": "SOURCE = open(__file__).read()\n",
    "demo_pkg/template.py": "{% if not python %}\n",
    "demo_pkg/data.txt": "kept as it is\n",
    "demo_pkg-1.0.dist-info/RECORD": "stale\n",
}


@pytest.fixture
def wheel(tmp_path: Path) -> Path:
    path = tmp_path / "demo_pkg-1.0-py3-none-any.whl"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in WHEEL_FILES.items():
            archive.writestr(name, text)
    return path


def test_sources_become_importable_bytecode_and_the_record_matches(
    wheel: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    compiled, kept = compile_archive(wheel, "/site-packages/", ["demo_pkg/reads_itself.py"])
    assert (compiled, kept) == (1, 2)  # the template does not compile; reads_itself is kept
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        assert all(info.compress_type == zipfile.ZIP_STORED for info in archive.infolist())
        record = archive.read("demo_pkg-1.0.dist-info/RECORD").decode().splitlines()
        contents = {name: archive.read(name) for name in names}
    expected = ["demo_pkg/__init__.pyc", "demo_pkg/reads_itself.py", "demo_pkg/template.py"]
    assert sorted(n for n in names if n.startswith("demo_pkg/") and ".py" in n) == expected
    for line in record[:-1]:
        name, digest, size = line.split(",")
        data = contents[name]
        sha = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
        assert (digest, int(size)) == (f"sha256={sha}", len(data)), name
    assert record[-1] == "demo_pkg-1.0.dist-info/RECORD,,"
    assert len(record) == len(names)
    monkeypatch.syspath_prepend(str(wheel))  # zipimport, as Pyodide's stdlib zip is imported
    monkeypatch.delitem(sys.modules, "demo_pkg", raising=False)
    import demo_pkg  # type: ignore[import-not-found]

    assert demo_pkg.VALUE == 42
    assert demo_pkg.__file__.endswith("__init__.pyc")
    assert demo_pkg.__doc__ == "A package."  # docstrings stay: libraries read them
    monkeypatch.delitem(sys.modules, "demo_pkg")


def test_lockfile_dependencies_leave_out_optional_extras() -> None:
    lock = locked_packages()
    pydantic = direct_dependencies("pydantic", lock, "3.14")
    assert "pydantic-core" in pydantic
    assert "email-validator" not in pydantic  # only pydantic's "email" extra wants it


def test_a_serialized_database_loads_into_the_shared_memory_one() -> None:
    made = sqlite3.connect(":memory:")
    made.execute("create table item (name text)")
    made.execute("insert into item values ('migrated')")
    made.commit()
    uri = "file:test-live-bundle?mode=memory&cache=shared"
    target = sqlite3.connect(uri, uri=True)
    load_database(made.serialize(), target)
    other = sqlite3.connect(uri, uri=True)  # as Django's own connection sees it
    assert other.execute("select name from item").fetchall() == [("migrated",)]


def test_a_bundled_pydantic_plugin_stops_the_build(wheel: Path) -> None:
    """The worker skips pydantic's plugin search (PYDANTIC_DISABLE_PLUGINS): a bundled wheel
    declaring a plugin would then answer differently in the browser, so the build refuses it."""
    from mkdocs.exceptions import PluginError

    from verified_guide.live.mkdocs_hook import check_no_pydantic_plugins

    lock = {"demo-pkg": {"file_name": wheel.name}}
    check_no_pydantic_plugins(wheel.parent, lock)  # no entry points at all
    with zipfile.ZipFile(wheel, "a") as archive:
        archive.writestr(
            "demo_pkg-1.0.dist-info/entry_points.txt",
            "[console_scripts]\ndemo = demo_pkg:main\n\n[pydantic]\ndemo = demo_pkg:plugin\n",
        )
    with pytest.raises(PluginError, match="declares a pydantic plugin"):
        check_no_pydantic_plugins(wheel.parent, lock)


# The worker's unpacker for wheels and python.zip (docs/assets/live/stored_zip.js), run under
# node with a stand-in for Pyodide's file system that records what would be written.
INSTALL_UNDER_NODE = """
const { extractStoredZip } = await import(process.argv[1]);
const bytes = new Uint8Array(require("fs").readFileSync(process.argv[2]));
const dirs = [], files = {};
const FS = {
  mkdirTree: (path) => dirs.push(path),
  writeFile: (path, data) => { files[path] = Buffer.from(data).toString("base64"); },
};
try {
  const count = extractStoredZip(FS, bytes, "/site", "demo.whl");
  console.log(JSON.stringify({ count, dirs, files }));
} catch (err) {
  console.log(JSON.stringify({ error: err.message }));
}
"""
STORED_ZIP_JS = Path(__file__).resolve().parents[1] / "docs" / "assets" / "live" / "stored_zip.js"


def unpack_with_stored_zip_js(wheel: Path) -> dict:
    node = require_tool("node", "apt-get install nodejs")
    result = subprocess.run(
        [node, "--input-type=commonjs", "-e", f"(async () => {{{INSTALL_UNDER_NODE}}})()",
         str(STORED_ZIP_JS), str(wheel)],
        check=True, capture_output=True, text=True,
    )  # fmt: skip
    return json.loads(result.stdout)


def stored_wheel(path: Path) -> Path:
    """A one-module wheel as the bundle writes them: stored."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("demo_pkg/__init__.py", "VALUE = 1\n")
    return path


def add_entry(wheel: Path, name: str, compression: int) -> None:
    with zipfile.ZipFile(wheel, "a") as archive:
        archive.writestr(name, "x = 1\n" * 100, compress_type=compression)


def test_the_worker_installs_a_bundled_wheel_file_for_file(wheel: Path) -> None:
    compile_archive(wheel, "/site-packages/", ["demo_pkg/reads_itself.py"])  # as the bundle is
    with zipfile.ZipFile(wheel, "a") as archive:  # a directory entry and an archive comment too
        archive.writestr(zipfile.ZipInfo("demo_pkg/empty/"), b"")
        archive.comment = b"made by a test"
    with zipfile.ZipFile(wheel) as archive:
        expected = {
            f"/site/{info.filename}": base64.b64encode(archive.read(info)).decode()
            for info in archive.infolist()
            if not info.is_dir()
        }
    installed = unpack_with_stored_zip_js(wheel)
    assert installed["files"] == expected
    assert installed["count"] == len(expected)
    assert "/site/demo_pkg/empty/" in installed["dirs"]


@pytest.mark.parametrize(
    ("name", "compression", "problem"),
    [
        ("demo_pkg/packed.py", zipfile.ZIP_DEFLATED, "is compressed"),
        ("../outside.py", zipfile.ZIP_STORED, "outside the directory it unpacks into"),
        ("/etc/absolute.py", zipfile.ZIP_STORED, "outside the directory it unpacks into"),
    ],
)
def test_the_worker_refuses_a_wheel_it_cannot_install_naming_the_entry(
    tmp_path: Path, name: str, compression: int, problem: str
) -> None:
    wheel = stored_wheel(tmp_path / "demo.whl")
    add_entry(wheel, name, compression)
    error = unpack_with_stored_zip_js(wheel)["error"]
    assert error.startswith(f"demo.whl: {name}") and problem in error


def test_the_worker_refuses_a_zip64_archive_instead_of_losing_entries(tmp_path: Path) -> None:
    """review: with 65,536 entries Python writes a Zip64 end record, whose plain count
    (0xFFFF) stopped the unpacking one file short, without a word."""
    wheel = tmp_path / "demo.whl"
    with zipfile.ZipFile(wheel, "w", zipfile.ZIP_STORED) as archive:
        for n in range(0x10000):
            archive.writestr(f"demo_pkg/m{n}.py", b"")
    error = unpack_with_stored_zip_js(wheel)["error"]
    assert error == "demo.whl: Zip64 archives are not supported"


@pytest.mark.parametrize(
    ("names", "problem"),
    [
        (["demo_pkg/__init__.py"], "demo.whl: demo_pkg/__init__.py is named twice"),
        (["demo_pkg"], "demo.whl: demo_pkg is named twice, or as a file and a directory"),
        (["tool", "tool/x.py"], "demo.whl: tool/x.py is inside tool, a file"),
        ([""], 'demo.whl: entry "" has an empty or "." path segment'),
        (["demo_pkg//x.py"], 'demo.whl: entry "demo_pkg//x.py" has an empty'),
        (["./x.py"], 'demo.whl: entry "./x.py" has an empty'),
    ],
)
def test_the_worker_names_an_entry_the_file_system_could_not_hold(
    tmp_path: Path, names: list[str], problem: str
) -> None:
    """review: an empty name, a name given twice or a file where a directory goes failed in
    Pyodide's file system with an error that named neither the archive nor the entry."""
    wheel = stored_wheel(tmp_path / "demo.whl")
    with warnings.catch_warnings(), zipfile.ZipFile(wheel, "a") as archive:
        warnings.simplefilter("ignore")  # zipfile warns of a duplicate name, as it should
        for name in names:
            archive.writestr(zipfile.ZipInfo(name), b"x = 1\n")
    error = unpack_with_stored_zip_js(wheel)["error"]
    assert error.startswith(problem), error


def _patched(wheel: Path, offset_from_end_record: int, value: bytes) -> Path:
    data = bytearray(wheel.read_bytes())
    end = data.rindex(b"PK\x05\x06")
    data[end + offset_from_end_record : end + offset_from_end_record + len(value)] = value
    wheel.write_bytes(bytes(data))
    return wheel


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        # the central directory's offset points past the archive's end
        (lambda w: _patched(w, 16, (10**6).to_bytes(4, "little")), "damaged central directory"),
        # the one entry's name is not UTF-8 (the name ends where the end record starts)
        (lambda w: _patched(w, -len("demo_pkg/__init__.py"), b"\xff"), "name is not UTF-8"),
    ],
)
def test_the_worker_names_the_archive_when_its_directory_is_damaged(
    tmp_path: Path, damage, message: str
) -> None:
    """review: a crafted offset or name gave a bare RangeError or TypeError, naming nothing."""
    wheel = damage(stored_wheel(tmp_path / "demo.whl"))
    error = unpack_with_stored_zip_js(wheel)["error"]
    assert error.startswith("demo.whl: ") and message in error, error


@pytest.mark.parametrize(
    ("name", "compression", "problem"),
    [
        ("demo_pkg/packed.py", zipfile.ZIP_DEFLATED, "is compressed"),
        ("../outside.py", zipfile.ZIP_STORED, "leaves site-packages"),
        ("demo_pkg-1.0.data/scripts/tool", zipfile.ZIP_STORED, "is a .data file"),
        ("demo_pkg//x.py", zipfile.ZIP_STORED, 'has an empty or "." path segment'),
        ("demo_pkg/__init__.py/x.py", zipfile.ZIP_STORED, "is inside demo_pkg/__init__.py, a file"),
        ("demo_pkg", zipfile.ZIP_STORED, "is named twice, or as a file and a directory"),
    ],
)
def test_the_build_refuses_a_wheel_the_worker_cannot_install(
    tmp_path: Path, name: str, compression: int, problem: str
) -> None:
    from mkdocs.exceptions import PluginError

    from verified_guide.live.mkdocs_hook import wheel_file

    wheel = stored_wheel(tmp_path / "demo_pkg-1.0-py3-none-any.whl")
    entry = {"file_name": wheel.name, "sha256": hashlib.sha256(wheel.read_bytes()).hexdigest()}
    digest = base64.b64encode(hashlib.sha256(wheel.read_bytes()).digest()).decode()
    expected = {"file": wheel.name, "integrity": f"sha256-{digest}", "libraries": []}
    assert wheel_file(tmp_path, entry) == expected
    add_entry(wheel, name, compression)
    with pytest.raises(PluginError, match=f"{re.escape(name)} {problem}"):
        wheel_file(tmp_path, entry)


def test_a_compiled_wheel_names_the_libraries_the_worker_loads(tmp_path: Path) -> None:
    """The worker unpacks a compiled wheel like a pure one, then loads each library the build
    listed (docs/assets/live/worker.js): a library left off the list would leave its module
    unimportable in the browser."""
    from verified_guide.live.mkdocs_hook import wheel_file

    wheel = stored_wheel(tmp_path / "demo_pkg-1.0-cp314-cp314-pyemscripten_2026_0_wasm32.whl")
    add_entry(wheel, "demo_pkg/_speedups.cpython-314-wasm32-emscripten.so", zipfile.ZIP_STORED)
    add_entry(wheel, "demo_pkg/sub/_more.so", zipfile.ZIP_STORED)
    entry = {"file_name": wheel.name, "sha256": hashlib.sha256(wheel.read_bytes()).hexdigest()}
    assert wheel_file(tmp_path, entry)["libraries"] == [
        "demo_pkg/_speedups.cpython-314-wasm32-emscripten.so",
        "demo_pkg/sub/_more.so",
    ]


def test_the_build_refuses_a_shared_library_package(tmp_path: Path) -> None:
    """Pyodide loads a shared_library package's libraries globally, for other packages to link
    against; the worker loads a package's libraries for its own modules only."""
    from mkdocs.exceptions import PluginError

    from verified_guide.live.mkdocs_hook import wheel_file

    wheel = stored_wheel(tmp_path / "libdemo-1.0-cp314-cp314-pyemscripten_2026_0_wasm32.whl")
    entry = {"file_name": wheel.name, "sha256": "00", "package_type": "shared_library"}
    with pytest.raises(PluginError, match=r"libdemo-1\.0-.*is a shared_library package"):
        wheel_file(tmp_path, entry)


def test_a_missing_node_stops_the_build_saying_what_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every site build brotli-compresses python.zip with node, not only `make bundle`."""
    from verified_guide.live import build_bundle

    (tmp_path / "python.zip").write_bytes(b"PK\x05\x06" + bytes(18))
    monkeypatch.setattr(build_bundle.shutil, "which", lambda name: None)
    with pytest.raises(SystemExit, match=re.escape("`node` not found on PATH; install Node.js")):
        build_bundle.precompress(tmp_path, ("python.zip",))


def test_python_zip_holds_the_tracked_sources_and_nothing_a_contributor_left_beside_them(
    tmp_path: Path,
) -> None:
    """A local .env, a SQLite journal or an editor backup beside the snippets never reaches
    the published site; every file git tracks under snippets/ and demo_apps/django_app/ does."""
    import subprocess
    import zipfile

    from verified_guide.live.mkdocs_hook import is_published_source, write_python_zip
    from verified_guide.topics import ROOT

    hello = ROOT / "snippets" / "hello"
    strays = [
        ".env",
        "db.sqlite3",
        "db.sqlite3-wal",
        "fastapi.py~",
        ".cache/x.py",
        "__pycache__/x.py",
    ]
    assert not [name for name in strays if is_published_source(hello / name)]
    assert is_published_source(hello / "fastapi.py")
    write_python_zip(tmp_path / "python.zip")
    names = set(zipfile.ZipFile(tmp_path / "python.zip").namelist())
    tracked = subprocess.run(
        ["git", "ls-files", "snippets", "demo_apps/__init__.py", "demo_apps/django_app"],
        cwd=ROOT, capture_output=True, text=True, check=True,
    ).stdout.split()  # fmt: skip
    assert set(tracked) <= names


@pytest.mark.parametrize(
    ("topic", "framework", "hashes"),
    [
        ("auth", "fastapi", True),
        ("auth", "flask", True),
        ("auth", "django", True),
        ("admin", "django", True),  # the admin's log-in form authenticates
        ("routing", "fastapi", False),
        # Its views are named create_user and hash nothing: the note was shown there.
        ("serialization", "fastapi", False),
        ("serialization", "django", False),
        ("serialization", "flask", False),
    ],
)
def test_the_hashing_note_follows_what_a_snippet_calls(
    topic: str, framework: str, hashes: bool
) -> None:
    assert hashes_passwords(topic, framework) is hashes


def test_bundles_are_cached_per_user_and_the_oldest_go_first(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A bundle is built once per set of inputs into the user's cache, reused by any checkout,
    and only the most recently used few are kept; a staging folder left by a stopped build
    goes once it is old, never while a build may still be writing it."""
    import os
    import time

    from verified_guide.live import build_bundle as bb

    monkeypatch.setenv("GUIDE_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(bb, "load_config", lambda: {"pyodide": "0.0.0"})
    npm: list[str] = []
    monkeypatch.setattr(bb, "ensure_npm", lambda version: npm.append(version) or tmp_path)
    monkeypatch.setattr(bb, "resolve", lambda config: {})
    wanted = ["key0"]
    monkeypatch.setattr(bb, "bundle_key", lambda config, pins: wanted[0])
    built: list[str] = []

    def build(config: dict, pins: dict, out: Path, core: Path) -> None:
        built.append(out.name)
        out.mkdir(parents=True)
        (out / bb.COMPLETE).write_text("{}")

    monkeypatch.setattr(bb, "build", build)
    cache = tmp_path / "live"
    cache.mkdir()
    old_staging, new_staging = cache / "key0.abc.tmp", cache / "key0.def.tmp"
    old_staging.mkdir()
    new_staging.mkdir()
    long_ago = time.time() - bb.STALE_STAGING_S - 60
    os.utime(old_staging, (long_ago, long_ago))
    clock = iter(range(1_000, 2_000))

    def use(key: str) -> None:
        wanted[0] = key
        assert bb.ensure_bundle() == cache / key
        moment = next(clock)
        os.utime(cache / key, (moment, moment))  # one use after another, whatever the clock

    for key in ("key0", "key1", "key2", "key3", "key4", "key2", "key5"):
        use(key)
    assert built == ["key0", "key1", "key2", "key3", "key4", "key5"]  # key2 reused
    # The checkout's npm packages (axe-core for the tests among them) on every call, the reused
    # bundle's included: a fresh clone has none, whatever the user's cache holds.
    assert npm == ["0.0.0"] * 7
    kept = sorted(d.name for d in cache.iterdir() if not d.name.endswith(".tmp"))
    assert kept == ["key2", "key4", "key5"]  # key3 was the least recently used
    assert not old_staging.exists() and new_staging.exists()


def test_the_cache_folder_follows_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from verified_guide.live.build_bundle import cache_dir

    monkeypatch.delenv("GUIDE_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache_dir() == tmp_path / "xdg" / "verified-guide" / "live"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert cache_dir() == tmp_path / "home" / ".cache" / "verified-guide" / "live"
    monkeypatch.setenv("GUIDE_CACHE_DIR", str(tmp_path / "mine"))
    assert cache_dir() == tmp_path / "mine" / "live"
