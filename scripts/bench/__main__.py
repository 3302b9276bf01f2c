"""Command line: `python -m scripts.bench run [--smoke] ...` or `... check FILE...`."""

import argparse
import json
import signal
import sys
from pathlib import Path

from scripts.bench import runner
from verified_guide.bench import config, results
from verified_guide.bench.options import SMOKE_DIR, SUITE_FIELDS, add_run_options
from verified_guide.bench.wrk import WrkMissing


def _interrupt(signum: int, frame: object) -> None:
    """SIGTERM behaves like Ctrl-C, so every `finally` stops its server."""
    raise KeyboardInterrupt


def _progress(cell: dict) -> None:
    if cell["status"] == "ok":
        figure = (
            f"{cell['rps']:>9.0f} rps ({cell['rps_min']:.0f}-{cell['rps_max']:.0f},"
            f" spread {cell['spread']:.0%})  p99 {cell['latency_ms']['p99']:.1f} ms"
            + ("  [noisy]" if cell["noisy"] else "")
            + ("  [wrk-limited]" if cell["wrk_limited"] else "")
        )
    else:
        figure = f"FAILED: {cell['reason']}"
    print(
        f"{cell['config']:<24} {cell['endpoint']:<9} c={cell['concurrency']:<4}"
        f" w={cell['workers']} {cell['database']:<10} {figure}",
        flush=True,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scripts.bench", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    add_run_options(commands.add_parser("run", help="measure and write a result file"))
    check = commands.add_parser("check", help="validate result files against the schema")
    check.add_argument("files", type=Path, nargs="+")
    args = parser.parse_args(argv)

    if args.command == "check":
        problems = {f: results.validate(json.loads(f.read_text())) for f in args.files}
        for file, found in problems.items():
            print(f"{file}: {'ok' if not found else '; '.join(found)}")
        return 1 if any(problems.values()) else 0

    signal.signal(signal.SIGTERM, _interrupt)
    signal.signal(
        signal.SIGINT, signal.default_int_handler
    )  # even when started as a background job
    options = runner.Options(
        suite=config.SMOKE if args.smoke else config.FULL,
        out_dir=args.out or (SMOKE_DIR if args.smoke else results.RESULTS_DIR),
        **{field: getattr(args, option) for option, field in SUITE_FIELDS.items()},
    )
    try:
        path = runner.run(options, progress=_progress)
    except WrkMissing as error:
        print(error, file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted: servers stopped, no result file written", file=sys.stderr)
        return 130
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
