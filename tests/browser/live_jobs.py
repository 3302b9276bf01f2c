"""The parity test's jobs (every case of every runnable snippet) and their CPython answers.

`python -m tests.browser.live_jobs JOBS.json OUT.json` writes the CPython results to OUT.json as
JSON, all at once when every job has answered (OUT.json exists only then): run in a subprocess,
because the runner configures Django for the whole process.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
from pathlib import Path
from typing import Any

from verified_guide.live.support import unsupported
from verified_guide.topics import Topic, all_topics

#: ``GUIDE_PARITY_TOPICS=websockets,hello`` runs those topics' jobs only (default: all).
ONLY = set(filter(None, os.environ.get("GUIDE_PARITY_TOPICS", "").split(",")))


def selected_topics() -> list[Topic]:
    """The topics whose snippets the parity test runs: all, or those ``ONLY`` names (a name
    that is no topic stops the run, rather than leaving nothing to compare)."""
    unknown = sorted(ONLY - {topic.slug for topic in all_topics()})
    if unknown:
        raise ValueError(f"GUIDE_PARITY_TOPICS names no topic {unknown}")
    return [topic for topic in all_topics() if not ONLY or topic.slug in ONLY]


def parity_jobs() -> list[dict[str, Any]]:
    """One job per (topic, framework, case) and per socket case, with the snippet's source as
    the page shows it."""
    skipped = unsupported()
    jobs = []
    for topic in selected_topics():
        conversations = [(case, {"socket": case.as_data()}) for case in topic.sockets]
        exchanges = [
            (case, {"request": case.request, "before": list(case.before)}) for case in topic.cases
        ]
        for case, payload in conversations + exchanges:
            for framework in case.frameworks:
                if (topic.slug, framework) in skipped:
                    continue
                jobs.append({
                    "id": f"{topic.slug}/{framework}/{case.name}",
                    "topic": topic.slug,
                    "framework": framework,
                    "source": topic.snippet_path(framework).read_text(encoding="utf-8"),
                    **payload,
                })  # fmt: skip
    return jobs


def main(jobs_file: str, out_file: str) -> None:
    from verified_guide.live.runner import run_job

    jobs = json.loads(Path(jobs_file).read_text(encoding="utf-8"))

    async def run_all() -> list[dict[str, Any]]:
        return [json.loads(await run_job(json.dumps(job))) for job in jobs]

    out = Path(out_file)
    partial = out.with_name(out.name + ".part")
    partial.write_text(json.dumps(asyncio.run(run_all())), encoding="utf-8")
    partial.rename(out)  # whoever reads OUT.json reads every answer or finds no file


if __name__ == "__main__":
    main(*sys.argv[1:3])
