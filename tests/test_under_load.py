"""The load toggler that shows `make test` stays green on a busy machine (CONTRIBUTING)."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from scripts import under_load


def test_returns_the_first_failing_status_and_stops_there(capsys) -> None:
    code = "import sys; sys.exit(3)"
    status = under_load.main(
        ["--on", "0.1", "--off", "0.1", "--runs", "3", "--", sys.executable, "-c", code]
    )
    assert status == 3
    assert capsys.readouterr().err.count("under_load: run") == 1


def _cpu_seconds(pid: int) -> float:
    """User plus system CPU seconds of a process, from /proc (Linux, as in CI)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _wait_until(predicate, limit_s: float) -> bool:
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return False


def test_hog_burns_cpu_while_on_and_rests_while_off() -> None:
    """Each spinning process gains CPU time while on (however long another job delays it) and
    none while off: the load it adds is real, and it really stops."""
    hog = under_load.Hog(60, 60, 2)
    with hog:
        pids = hog.pids()
        hog.switch(busy=True)
        assert _wait_until(lambda: all(_cpu_seconds(p) > 0.2 for p in pids), 60), "hog never ran"
        hog.switch(busy=False)
        time.sleep(0.5)  # a spinning slice ends within 50 ms; then it only waits
        resting = [_cpu_seconds(p) for p in pids]
        time.sleep(1)
        gained = [_cpu_seconds(p) - r for p, r in zip(pids, resting, strict=True)]
        assert max(gained) <= 0.05, f"the hog kept burning while off: {gained}"
