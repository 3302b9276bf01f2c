"""Run wrk and read its results.

A Lua script makes wrk print one JSON line at the end with everything the result files need
(request count, duration, socket errors, answers of status 400 or above, which is the only
status wrk counts, and latency percentiles), so nothing is scraped from its human-readable
summary except as a cross-check in the tests.
"""

import json
import os
import shutil
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from snippets.bench.seed import ROW_COUNT
from verified_guide.bench.config import Request
from verified_guide.servers import pinned

INSTALL_HINT = "wrk is not installed: run `sudo apt-get install wrk` (Debian/Ubuntu package 'wrk')"
REQUEST_TIMEOUT_S = 10  # per request; a slower answer counts as a socket error

# {method} {body} {path} {random_id} are filled in per endpoint; %d etc. are Lua's own.
LUA_TEMPLATE = """
wrk.method = "{method}"
{body}
local path = "{path}"
local random_id = {random_id}
local fmt = string.format

request = function()
  if random_id then
    return wrk.format(nil, (path:gsub("{{id}}", tostring(math.random(1, {rows})))))
  end
  return wrk.format(nil, path)
end

done = function(summary, latency, requests)
  local e = summary.errors
  io.write(fmt('BENCH_JSON {{"requests": %d, "duration_us": %d, "bytes": %d, ', summary.requests,
    summary.duration, summary.bytes))
  io.write(fmt('"connect": %d, "read": %d, "write": %d, "timeout": %d, "error_status": %d, ',
    e.connect, e.read, e.write, e.timeout, e.status))
  io.write(fmt('"p50_us": %d, "p90_us": %d, "p99_us": %d, "mean_us": %f, "max_us": %d}}\\n',
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.mean,
    latency.max))
end
"""


class WrkMissing(RuntimeError):
    """wrk is not on PATH; the message says how to install it."""


@dataclass(frozen=True)
class WrkRun:
    """One measured wrk run."""

    rps: float
    p50_ms: float
    p90_ms: float
    p99_ms: float
    socket_errors: int
    error_status: int
    requests: int
    cpu_s: float  # CPU time wrk itself used: near its wall time means wrk was the limit
    wall_s: float


def wrk_path() -> str:
    path = shutil.which("wrk")
    if path is None:
        raise WrkMissing(INSTALL_HINT)
    return path


def wrk_version() -> str:
    """wrk prints its version in the first line of its usage text."""
    out = subprocess.run([wrk_path(), "--version"], capture_output=True, text=True, timeout=10)
    return (out.stdout or out.stderr).splitlines()[0].split(" Copyright")[0].strip()


def lua_script(request: Request) -> str:
    body, path = "", request.path
    if request.body is not None:
        body = (
            f"wrk.body = {json.dumps(request.body)}\n"
            'wrk.headers["Content-Type"] = "application/json"'
        )
    return LUA_TEMPLATE.format(
        method=request.method,
        body=body,
        path=path,
        random_id="true" if "{id}" in path else "false",
        rows=ROW_COUNT,
    )


def parse_output(stdout: str, cpu_s: float, wall_s: float) -> WrkRun:
    """Read the JSON line the Lua done() hook printed."""
    line = next((ln for ln in stdout.splitlines() if ln.startswith("BENCH_JSON ")), None)
    if line is None:
        raise ValueError(f"wrk printed no result line:\n{stdout[-2000:]}")
    data = json.loads(line.removeprefix("BENCH_JSON "))
    seconds = data["duration_us"] / 1e6
    return WrkRun(
        rps=data["requests"] / seconds if seconds else 0.0,
        p50_ms=data["p50_us"] / 1000,
        p90_ms=data["p90_us"] / 1000,
        p99_ms=data["p99_us"] / 1000,
        socket_errors=data["connect"] + data["read"] + data["write"] + data["timeout"],
        error_status=data["error_status"],
        requests=data["requests"],
        cpu_s=cpu_s,
        wall_s=wall_s,
    )


def run(
    url_base: str,
    request: Request,
    connections: int,
    duration_s: float,
    cpus: str | None,
) -> WrkRun:
    """One wrk run: keep-alive connections, one thread, bounded by a watchdog."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(lua_script(request))
    argv = pinned(
        [
            wrk_path(),
            "--threads",
            "1",
            "--connections",
            str(connections),
            "--duration",
            f"{max(1, round(duration_s))}s",
            "--timeout",
            f"{REQUEST_TIMEOUT_S}s",
            "--latency",
            "--script",
            script.name,
            url_base,
        ],
        cpus,
    )
    process = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    watchdog = threading.Timer(duration_s + REQUEST_TIMEOUT_S + 20, process.kill)
    watchdog.daemon = True
    watchdog.start()
    started = time.monotonic()
    try:
        _, status, usage = os.wait4(process.pid, 0)  # wait4, for wrk's own CPU time
    except BaseException:  # Ctrl-C or SIGTERM: no wrk may outlive the run
        process.kill()
        process.wait()
        raise
    finally:
        watchdog.cancel()
        Path(script.name).unlink(missing_ok=True)
    wall = time.monotonic() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    stdout = process.stdout.read().decode(errors="replace") if process.stdout else ""
    if process.returncode != 0:
        raise RuntimeError(f"wrk exited with {process.returncode}: {stdout[-500:]}")
    return parse_output(stdout, usage.ru_utime + usage.ru_stime, wall)
