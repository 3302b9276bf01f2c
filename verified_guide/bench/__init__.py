"""The benchmark harness: real servers, wrk as the load generator, results as JSON files.

Run `uv run python -m scripts.bench run` (see docs/benchmarks/reproduce.md).
"""
