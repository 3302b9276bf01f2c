"""The live demos' measurement script's summary over several runs (scripts/live/measure.py)."""

from scripts.live.measure import summary


def _tab(cold: float, warm: float) -> dict:
    return {"cold_first_run_s": cold, "warm_run_s": warm, "cold_breakdown_ms": None}


def test_summary_gives_each_tabs_median_and_range_over_the_runs() -> None:
    runs = [
        {"chromium": {"fastapi": _tab(3.4, 0.03), "flask": _tab(2.5, 0.02)}, "webkit": {}},
        {"chromium": {"fastapi": _tab(2.9, 0.05), "flask": _tab(2.7, 0.02)}, "webkit": {}},
        {"chromium": {"fastapi": _tab(4.1, 0.04), "flask": _tab(2.6, 0.01)}, "webkit": {}},
    ]
    chromium = summary(runs)["chromium"]
    assert chromium["fastapi"]["cold_first_run_s"] == {
        "median": 3.4, "min": 2.9, "max": 4.1, "runs": [3.4, 2.9, 4.1]
    }  # fmt: skip
    assert chromium["flask"]["warm_run_s"]["median"] == 0.02
    assert summary(runs)["webkit"] == {}


def test_summary_leaves_out_an_engine_no_run_measured() -> None:
    assert summary([{"chromium": {"django": _tab(3.0, 0.02)}}]).keys() == {"chromium"}
