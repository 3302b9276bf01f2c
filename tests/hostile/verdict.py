"""Judging one answer to a hostile request, and the tally the report and the pages read.

An answer passes when it is no 5xx (a 4xx refusal, or a 2xx or 3xx where the odd input is
still a valid one: unicode in a name, a number at its bound), arrives within ``HANG_SECONDS``,
and shows the client nothing of the server's insides: no traceback, no file path of the
machine or of an installed package. The cases, not this suite, pin which answer is right.
"""

from __future__ import annotations

import datetime
import fcntl
import json
import os
import re
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from tests.hostile.inputs import HostileRequest
from verified_guide.topics import ROOT

HANG_SECONDS = 5.0
REPORT = ROOT / ".cache" / "hostile" / "report.json"
REPORT_SCHEMA = 2
#: What an answer must never contain: a traceback, or where the code lives.
LEAKS = re.compile(
    rb"Traceback \(most recent call last\)|site-packages|dist-packages|"
    + re.escape(str(ROOT).encode())
    + rb"|File \"/|/usr/lib/python|/home/|/work/"
)


@dataclass
class Answer:
    """What came back: a status, or the exception the in-process client raised instead."""

    status: int
    body: bytes
    seconds: float
    error: str = ""  # the exception, when the app raised instead of answering


def problem(answer: Answer) -> str:
    """Why an answer fails the suite; empty when it passes."""
    if answer.error:
        return f"raised {answer.error}"
    if answer.status >= 500:
        return f"status {answer.status}"
    if answer.seconds > HANG_SECONDS:
        return f"took {answer.seconds:.1f}s"
    leak = LEAKS.search(answer.body)
    if leak:
        return f"leaks {leak.group().decode(errors='replace')!r}"
    return ""


@dataclass
class Tally:
    """Counts for one topic x framework x server (``in-process`` for the test clients)."""

    counts: Counter = field(default_factory=Counter)
    failures: list[str] = field(default_factory=list)

    def record(self, request: HostileRequest, answer: Answer) -> str:
        self.counts["sent"] += 1
        why = problem(answer)
        if answer.error or answer.status >= 500:
            self.counts["5xx"] += 1
        elif answer.seconds > HANG_SECONDS:
            self.counts["hangs"] += 1
        elif why:
            self.counts["leaks"] += 1
        else:
            self.counts[f"{answer.status // 100}xx"] += 1
        if why:
            self.counts["failed"] += 1
            if len(self.failures) < 20:
                self.failures.append(f"{why}: {request.describe()}")
        return why


class Report:
    """Every tally of this pytest session, merged into ``.cache/hostile/report.json``.

    Merged, not overwritten: the pre-build run writes the in-process tallies the pages
    show, the later run adds the real servers' tallies beside them.
    """

    def __init__(self) -> None:
        self.tallies: dict[tuple[str, str, str], Tally] = {}

    def tally(self, topic: str, framework: str, server: str) -> Tally:
        return self.tallies.setdefault((topic, framework, server), Tally())

    def write(self, path: Path = REPORT) -> None:
        """Merge under an exclusive lock: the pytest-xdist workers of one run each write their
        own tallies at the end of their session, and none may drop another's."""
        if not self.tallies:
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        with (path.parent / f"{path.name}.lock").open("w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            self._merge_into(path)

    def _merge_into(self, path: Path) -> None:
        existing = {}
        if path.exists():
            try:
                existing = json.loads(path.read_text(encoding="utf-8"))
            except ValueError:
                existing = {}
        rows = {
            (r["topic"], r["framework"], r["server"]): r
            for r in existing.get("runs", [])
            if existing.get("schema") == REPORT_SCHEMA
        }
        now = datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")
        for (topic, framework, server), tally in self.tallies.items():
            rows[(topic, framework, server)] = {
                "topic": topic,
                "framework": framework,
                "server": server,
                "finished": now,
                "hang_seconds": HANG_SECONDS,
                **{k: tally.counts.get(k, 0) for k in COUNT_KEYS},
                "failures": tally.failures,
            }
        document = {"schema": REPORT_SCHEMA, "runs": [rows[key] for key in sorted(rows)]}
        with tempfile.NamedTemporaryFile(
            "w", dir=path.parent, delete=False, suffix=".tmp", encoding="utf-8"
        ) as tmp:
            json.dump(document, tmp, indent=1)
        os.replace(tmp.name, path)


COUNT_KEYS = ("sent", "2xx", "3xx", "4xx", "5xx", "hangs", "leaks", "failed")
