"""How the benchmark starts a configuration: pinned apart from wrk, with its production env.

The launching itself (free port, readiness, stopping the whole process group on every
exit path, Ctrl-C included) is ``scripts.servers``, shared with the tests.
"""

import os
from collections.abc import Iterator
from contextlib import contextmanager

from scripts import servers
from scripts.bench.config import SERVER_ENV, Configuration

READY_TIMEOUT_S = 30.0


def cpu_split(workers: int) -> tuple[str | None, str | None]:
    """CPU lists for (server, wrk): separate cores when the machine has two or more.

    The server gets as many cores as it has workers while at least one is left for wrk.
    """
    cores = sorted(os.sched_getaffinity(0))
    if len(cores) < 2:
        return None, None
    server_cores = cores[: max(1, min(workers, len(cores) - 1))]
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
