"""Build (or reuse) the live-demo bundle: Pyodide core, wheels, lockfile, code editor.

Run: `uv run python -m scripts.live.build_bundle` (prints the bundle directory).
The bundle lives in <cache>/live/<key>/ where key hashes everything it is made from (bundle.yaml,
the resolved pins from uv.lock, package-lock.json, the editor entry, the code that builds it), so
it is rebuilt only when one of those changes. <cache> is the user's cache directory
(``$GUIDE_CACHE_DIR``, else ``$XDG_CACHE_HOME/verified-guide``, else
``~/.cache/verified-guide``), as uv's and npm's caches are: a fresh clone on a machine that built
the same bundle before reuses it instead of spending a minute and a half of CPU on it again.
The mkdocs hook (verified_guide/live/mkdocs_hook.py) copies it into the site.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from verified_guide.datafiles import Strict, load_model
from verified_guide.live.resolve import ROOT, direct_dependencies, resolve
from verified_guide.live.wheels import build_pure_from_sdist, download_wheels, slim_wheel
from verified_guide.lockfile import locked_packages

HERE = Path(__file__).resolve().parent
#: Bundles kept in the cache: the newest few, so checkouts at different commits on one machine
#: (a working copy and a fresh clone) do not rebuild each other's bundle in turn.
KEEP_BUNDLES = 3
#: A staging directory this old was left by a build that was stopped (a build takes minutes).
STALE_STAGING_S = 6 * 3600
CORE_FILES = ["pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip"]
EDITOR_ENTRY = HERE / "editor_entry.mjs"
COMPLETE = "manifest.json"
#: Files a static host may serve precompressed (.br, .gz beside them); the wheels and the stdlib
#: zip are stored uncompressed for this (verified_guide/live/bytecode.py).
COMPRESSIBLE = ("*.wasm", "*.mjs", "*.js", "*.json", "*.whl", "python_stdlib.zip")
COMPILE_BYTECODE = HERE / "compile_bytecode.mjs"
# pyodide-build's CLI, from this environment (pkginfo, which its lockfile step needs, is a dev
# dependency of the project because pyodide-build does not pull it in).
PYODIDE_CLI = [sys.executable, "-m", "pyodide_cli"]


class SlimRule(Strict):
    """Files dropped from one wheel (fnmatch patterns on its paths), unless ``keep`` matches."""

    drop: list[str]
    keep: list[str] = []


class BundleConfig(Strict):
    """``bundle.yaml``: the Pyodide release, its wheel tags and what the bundle holds."""

    pyodide: str
    platform: str
    python_version: str
    abi: str
    requirements: list[str]
    runtime: dict[str, list[str]] = {}
    lazy_imports: dict[str, list[str]] = {}
    pure_from_sdist: list[str] = []
    exclude: list[str] = []
    slim: dict[str, SlimRule] = {}
    keep_source: list[str] = []


class BundleConfigError(Exception):
    """bundle.yaml is malformed; the message names the key and the fix."""


def load_config() -> dict:
    """The bundle's configuration, checked (a misspelt key fails instead of being ignored)."""
    return load_model(HERE / "bundle.yaml", BundleConfig, BundleConfigError).model_dump()


def node_tool(name: str) -> str:
    """Path of ``node`` or ``npm``, which the bundle (and python.zip's brotli copy, on every site
    build) needs: without it the build stops here, saying what to install."""
    path = shutil.which(name)
    if path is None:
        raise SystemExit(
            f"live bundle: `{name}` not found on PATH; install Node.js (apt-get install nodejs npm)"
        )
    return path


def ensure_npm(version: str) -> Path:
    """`npm ci` when node_modules does not hold the pinned Pyodide (npm checks its integrity)."""
    package = ROOT / "node_modules" / "pyodide"
    installed = package / "package.json"
    if not installed.exists() or json.loads(installed.read_text())["version"] != version:
        subprocess.run([node_tool("npm"), "ci", "--no-audit", "--no-fund"], cwd=ROOT, check=True)
    lock = json.loads((ROOT / "package-lock.json").read_text())
    locked = lock["packages"]["node_modules/pyodide"]["version"]
    if locked != version:
        raise SystemExit(f"live bundle: package-lock.json has pyodide {locked}, not {version}")
    return package


def bundle_key(config: dict, pins: dict[str, str]) -> str:
    """Hash of every input, so a changed pin (or editor entry) means a new bundle directory."""
    digest = hashlib.sha256()
    for part in (
        json.dumps(config, sort_keys=True),
        json.dumps(pins, sort_keys=True),
        (ROOT / "package-lock.json").read_text(),
        EDITOR_ENTRY.read_text(),
        (HERE / "wheels.py").read_text(),
        (HERE / "bytecode.py").read_text(),
        COMPILE_BYTECODE.read_text(),
        Path(__file__).read_text(),
    ):
        digest.update(part.encode())
    return digest.hexdigest()[:16]


def make_lockfile(
    core_lock: Path, out: Path, wheels: list[Path], platform: str, python_version: str
) -> None:
    """Write a pyodide-lock.json listing exactly the bundle's wheels, via `lockfile add-wheels`.

    Pyodide's own lock lists ~350 packages hosted elsewhere; we start from it with no packages, so
    loadPackage can never reach for a file this site does not have. pyodide-lock 0.2.1 checks wheel
    tags against info.platform, which still says emscripten_X while PyPI's tag is pyemscripten_X:
    the input says the wheel platform for the check, and the output gets Pyodide's info back.
    """
    core = json.loads(core_lock.read_text())
    staged_in, staged_out = out / "lock.in.json", out / "lock.out.json"
    platform_name = platform.rpartition("_")[0]
    staged_in.write_text(
        json.dumps({**core, "info": {**core["info"], "platform": platform_name}, "packages": {}})
    )
    result = subprocess.run(
        [*PYODIDE_CLI, "lockfile", "add-wheels", "--input", str(staged_in),
         "--output", str(staged_out), "--base-path", str(out), *map(str, wheels)],
        check=False, capture_output=True, text=True,
    )  # fmt: skip
    if result.returncode != 0:
        raise SystemExit(f"live bundle: lockfile add-wheels failed:\n{result.stderr[-3000:]}")
    lock = {**json.loads(staged_out.read_text()), "info": core["info"]}
    locked = locked_packages()
    for name, entry in lock["packages"].items():
        entry["depends"] = direct_dependencies(name, locked, python_version)
        missing = [dep for dep in entry["depends"] if dep not in lock["packages"]]
        if missing:
            raise SystemExit(f"live bundle: {name} depends on {missing}, not in the bundle")
    (out / "pyodide-lock.json").write_text(json.dumps(lock, indent=1, sort_keys=True))
    staged_in.unlink()
    staged_out.unlink()


def compile_bytecode(pyodide: Path, out: Path, keep: list[str]) -> None:
    """Replace the stdlib's and the wheels' sources by bytecode, compiled by the bundle's own
    Pyodide under node (verified_guide/live/bytecode.py says why)."""
    archives = ["python_stdlib.zip", *sorted(p.name for p in out.glob("*.whl"))]
    result = subprocess.run(
        [node_tool("node"), str(COMPILE_BYTECODE), str(pyodide), str(out), *archives],
        check=False, capture_output=True, text=True,
        env={**os.environ, "KEEP_SOURCE": json.dumps(keep)},
    )  # fmt: skip
    if result.returncode != 0:
        raise SystemExit(f"live bundle: compiling bytecode failed:\n{result.stderr[-3000:]}")


def build_editor(out: Path) -> None:
    """Bundle CodeMirror 6 (from npm) into one self-hosted ES module with esbuild."""
    esbuild = ROOT / "node_modules" / ".bin" / "esbuild"
    subprocess.run(
        [str(esbuild), str(EDITOR_ENTRY), "--bundle", "--minify", "--format=esm",
         "--log-level=warning", f"--outfile={out / 'editor.js'}"],
        check=True, cwd=ROOT,
    )  # fmt: skip


def precompress(directory: Path, patterns: tuple[str, ...]) -> None:
    """Write name.gz and name.br beside each matching file, for hosts that serve precompressed
    copies (nginx gzip_static/brotli_static, Netlify, Cloudflare Pages): the wasm runtime shrinks
    to about a third on the wire. Brotli comes from node's zlib (node builds the editor anyway),
    with its largest window (16 MB), which finds repeats across the files of a whole archive."""
    files = sorted({p for pattern in patterns for p in directory.glob(pattern)})
    script = (
        "const z = require('zlib'), fs = require('fs');"
        "for (const f of process.argv.slice(1)) fs.writeFileSync(f + '.br', z.brotliCompressSync("
        "fs.readFileSync(f), {params: {[z.constants.BROTLI_PARAM_QUALITY]: 9,"
        "[z.constants.BROTLI_PARAM_LGWIN]: 24}}));"
    )
    # Brotli is most of the bundle's build time: two node processes (largest files dealt out in
    # turn) compress while this one writes the gzip copies, so every core works.
    by_size = sorted(files, key=lambda p: p.stat().st_size, reverse=True)
    node = node_tool("node")
    shares = [by_size[i::2] for i in range(2) if by_size[i::2]]  # one file (python.zip): one node
    workers = [subprocess.Popen([node, "-e", script, *map(str, share)]) for share in shares]
    for path in files:
        path.with_name(path.name + ".gz").write_bytes(gzip.compress(path.read_bytes(), 9, mtime=0))
    failed = [proc.args for proc in workers if proc.wait() != 0]
    if failed:
        raise SystemExit(f"live bundle: brotli compression failed: {failed}")


def build(config: dict, pins: dict[str, str], out: Path, core: Path) -> None:
    """Assemble a complete bundle in a staging directory, then move it into place atomically;
    ``core`` is the installed npm package of Pyodide (``ensure_npm``)."""
    out.parent.mkdir(parents=True, exist_ok=True)
    # A staging directory of its own: two checkouts may build the same bundle at once.
    staging = Path(tempfile.mkdtemp(prefix=f"{out.name}.", suffix=".tmp", dir=out.parent))
    for name in CORE_FILES:
        shutil.copy2(core / name, staging / name)
    from_sdist = {n: v for n, v in pins.items() if n in config.get("pure_from_sdist", [])}
    download_wheels({n: v for n, v in pins.items() if n not in from_sdist}, config, staging)
    for name, version in from_sdist.items():
        build_pure_from_sdist(name, version, staging)
    for name, rule in config.get("slim", {}).items():
        slim_wheel(staging, name, rule["drop"], rule.get("keep", []))
    compile_bytecode(core, staging, config["keep_source"])
    make_lockfile(
        core / "pyodide-lock.json", staging, sorted(staging.glob("*.whl")), config["platform"],
        config["python_version"],
    )  # fmt: skip
    build_editor(staging)
    precompress(staging, COMPRESSIBLE)
    manifest = {"pyodide": config["pyodide"], "pins": pins, "pure_from_sdist": sorted(from_sdist)}
    (staging / COMPLETE).write_text(json.dumps(manifest, indent=1, sort_keys=True))
    if (out / COMPLETE).exists():  # another checkout finished the same bundle first
        shutil.rmtree(staging, ignore_errors=True)
        return
    shutil.rmtree(out, ignore_errors=True)  # an incomplete one, left by an interrupted build
    staging.rename(out)


def cache_dir() -> Path:
    """Where bundles are kept: ``$GUIDE_CACHE_DIR/live``, else the user's cache directory."""
    if override := os.environ.get("GUIDE_CACHE_DIR"):
        return Path(override) / "live"
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "verified-guide" / "live"


def ensure_bundle() -> Path:
    """The bundle directory for the current inputs, building it if it is not cached yet."""
    config = load_config()
    # The checkout's own npm packages (Pyodide, the editor's, axe-core for the tests), as `uv
    # sync` installs its Python ones: needed whether or not the bundle is cached.
    core = ensure_npm(config["pyodide"])
    pins = resolve(config)
    cache = cache_dir()
    out = cache / bundle_key(config, pins)
    if not (out / COMPLETE).exists():
        print(f"live bundle: building {out}", file=sys.stderr)
        build(config, pins, out, core)
    out.touch()  # its time says when it was last used: the oldest bundles go first
    bundles = sorted((d for d in cache.iterdir() if (d / COMPLETE).exists()), key=_last_used)
    stale = [d for d in cache.glob("*.tmp") if time.time() - _last_used(d) > STALE_STAGING_S]
    for old in bundles[:-KEEP_BUNDLES] + stale:
        shutil.rmtree(old, ignore_errors=True)
    return out


def _last_used(bundle: Path) -> float:
    return bundle.stat().st_mtime
