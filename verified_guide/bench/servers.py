"""How the benchmark starts a configuration: pinned apart from wrk, with its production env.

The launching itself (free port, readiness, stopping the whole process group on every
exit path, Ctrl-C included) is ``verified_guide.servers``, shared with the tests.
"""

import os
from collections.abc import Iterator
from contextlib import contextmanager

from verified_guide import servers
from verified_guide.bench.config import SERVER_ENV, Configuration

#: A server pinned to one core imports its framework in 1-2 s on a quiet machine; with other
#: work on that core it took over 30 s, so the limit only catches a server that never answers.
READY_TIMEOUT_S = 120.0


def cpu_split(workers: int) -> tuple[str | None, str | None]:
    """CPU lists for (server, wrk).

    One worker: the server on one core, wrk on the others, so neither slows the other.
    As many workers as cores or more: nothing is pinned, because pinning two workers to the
    single core wrk leaves free would measure one core twice; the server's workers and wrk
    then share every core, which the results page says beside those cells.
    """
    cores = sorted(os.sched_getaffinity(0))
    if len(cores) < 2 or workers >= len(cores):
        return None, None
    server_cores = cores[:workers]
    wrk_cores = [c for c in cores if c not in server_cores]
    return ",".join(map(str, server_cores)), ",".join(map(str, wrk_cores))


@contextmanager
def serve(
    config: Configuration, ready_path: str, workers: int, cpus: str | None, env: dict[str, str]
) -> Iterator[tuple[servers.RunningServer, tuple[float, int]]]:
    """Run one configuration's server; yields it and (start-to-first-answer s, its status)."""
    with servers.serve(
        config.id,
        config.server.command(config.target, workers),
        env={**SERVER_ENV, **env, **config.env},
        ready_path=ready_path,
        timeout=READY_TIMEOUT_S,
        cpus=cpus,
    ) as server:
        yield server, (server.ready_after, server.ready_status)
