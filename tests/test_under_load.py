"""The load toggler that shows `make test` stays green on a busy machine (CONTRIBUTING)."""

from __future__ import annotations

import os
import sys

from scripts import under_load


def test_returns_the_first_failing_status_and_stops_there(capsys) -> None:
    code = "import sys; sys.exit(3)"
    status = under_load.main(
        ["--on", "0.1", "--off", "0.1", "--runs", "3", "--", sys.executable, "-c", code]
    )
    assert status == 3
    assert capsys.readouterr().err.count("under_load: run") == 1


def test_hog_burns_cpu_while_on(tmp_path) -> None:
    """A child that waits 1.5 s sees the hog take CPU time while it waits (the hog is real)."""
    before = os.times()
    with under_load.Hog(0.5, 0.5, 1) as hog:
        status, seconds, _ = under_load.run_once(
            [sys.executable, "-c", "import time; time.sleep(1.5)"], hog
        )
    after = os.times()
    assert status == 0 and seconds >= 1.5
    assert hog.toggles >= 3
    assert (
        after.children_user + after.children_system - before.children_user - before.children_system
        > 0.3
    )
