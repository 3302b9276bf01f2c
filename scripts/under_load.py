"""Run a command while a CPU hog switches on and off on every core.

`make test` must stay green on a busy machine: the claim re-measurements, the benchmark smoke
cells and the serve loop all time something, and a verdict that flips when another job takes the
cores is noise published as fact. This tool makes that load reproducible: one busy-looping
process per core, all on for ``--on`` seconds, all off for ``--off`` seconds, for as long as the
command runs. It prints the command's exit status, how long it ran, and the load it ran under.

    python -m scripts.under_load --runs 3 -- make test

With ``--runs N`` the command runs N times in a row and the tool stops at the first failure.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import signal
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from multiprocessing.synchronize import Event


def _spin(stop: Event, busy: Event) -> None:
    """Burn one core while `busy` is set; sleep while it is not; return once `stop` is set."""
    while not stop.is_set():
        if busy.wait(timeout=0.2):
            deadline = time.monotonic() + 0.05
            while time.monotonic() < deadline:
                pass


@dataclass
class Hog:
    """One spinning process per core, switched on and off together."""

    on_seconds: float
    off_seconds: float
    cores: int

    def __post_init__(self) -> None:
        self._stop = multiprocessing.Event()
        self._busy = multiprocessing.Event()
        self._procs = [
            multiprocessing.Process(target=_spin, args=(self._stop, self._busy), daemon=True)
            for _ in range(self.cores)
        ]
        self.toggles = 0
        self.loads: list[float] = []

    def __enter__(self) -> Hog:
        for proc in self._procs:
            proc.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._busy.clear()
        for proc in self._procs:
            proc.join(timeout=5)
            if proc.is_alive():
                proc.kill()

    def drive(self, child: subprocess.Popen[bytes]) -> int:
        """Toggle the hog until `child` exits; return its exit status."""
        while True:
            for busy, seconds in ((True, self.on_seconds), (False, self.off_seconds)):
                if busy:
                    self._busy.set()
                else:
                    self._busy.clear()
                self.toggles += 1
                self.loads.append(os.getloadavg()[0])
                try:
                    return child.wait(timeout=seconds)
                except subprocess.TimeoutExpired:
                    continue


def run_once(command: Sequence[str], hog: Hog) -> tuple[int, float, float]:
    """Run `command` once under `hog`: its exit status, seconds taken, mean 1-minute load."""
    started = time.monotonic()
    child = subprocess.Popen(command, start_new_session=True)
    try:
        status = hog.drive(child)
    except KeyboardInterrupt:
        os.killpg(child.pid, signal.SIGTERM)
        raise
    return status, time.monotonic() - started, sum(hog.loads) / max(len(hog.loads), 1)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--on", type=float, default=5.0, help="seconds the hog burns (5)")
    parser.add_argument("--off", type=float, default=5.0, help="seconds it rests (5)")
    parser.add_argument("--cores", type=int, default=os.cpu_count() or 1, help="spinning processes")
    parser.add_argument("--runs", type=int, default=1, help="run the command this many times")
    parser.add_argument("command", nargs=argparse.REMAINDER, help="the command, after --")
    args = parser.parse_args(argv)
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        parser.error("give the command to run after --, e.g. -- make test")
    for run in range(1, args.runs + 1):
        with Hog(args.on, args.off, args.cores) as hog:
            status, seconds, load = run_once(command, hog)
        print(
            f"under_load: run {run}/{args.runs}: exit {status} after {seconds:.0f} s, "
            f"{hog.toggles} toggles of {args.cores} spinning processes "
            f"({args.on:g} s on, {args.off:g} s off), mean 1-minute load average {load:.1f}",
            file=sys.stderr,
            flush=True,
        )
        if status != 0:
            return status
    return 0


if __name__ == "__main__":
    sys.exit(main())
