"""Measure the live demos as a reader meets them: bytes and seconds to a first and a second Run.

Run: `uv run python -m scripts.live.measure SITE_DIR [--engine chromium|webkit|both] [--topic T]`
(`make measure-live` builds the site first). For each framework tab of the topic's page, in a fresh
browser (cold HTTP cache, new worker): bytes fetched on page load (nothing of Pyodide may be), bytes
a first Run downloads as served (precompressed copies included), seconds from the click on Run to
the response (cold), then a second Run's seconds (warm), as live.js measures them (data-last-run-ms,
in both engines: a clock around the driver's click also counted its own work, 0.1-0.2 s of
Playwright's scrolling, checks and polling), and where the cold Run's time went
(data-last-run-timings: when each step ended and each file finished downloading, in ms after the
click, and the seconds of each step of the framework's setup in Python). Chromium through
Playwright, WebKitGTK through WebKitWebDriver on Xvfb (bytes are counted in Chromium only: WebDriver
does not see the worker's requests). Results are printed as JSON, with the machine's load average,
since the figures depend on it. One run is noisy on a shared machine (a cold Run's seconds varied by
a third between runs minutes apart): `--runs N` measures N times, the engines alternating, and adds
each tab's median, lowest and highest seconds over the runs (`summary`), so a target is judged on
all of them, not one.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import time
from pathlib import Path
from typing import Any

from scripts.live.static_server import serve
from scripts.live.xvfb import private_display
from verified_guide.topics import FRAMEWORK_TITLES, get_topic

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
MINIBROWSER = "/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser"
DONE = "el => el.dataset.state && el.dataset.state !== 'running'"
TIMEOUT_S = 300
SEARCH_INDEX = "/search/search_index.json"


def load_settled(page: Any, url: str) -> None:
    """Open the page (Playwright) and wait until its own loading is over, Material's search
    index included, so bytes counted after this are a Run's alone (tests/browser/test_live_demo.py
    counts the same way). The search worker fetches the index (about 380 KB) whenever it gets to
    it, which on a busy machine can be after "networkidle": CI once counted 10.09 MB for a
    9.70 MB first Run."""
    with page.expect_request_finished(lambda request: request.url.endswith(SEARCH_INDEX)):
        page.goto(url, wait_until="networkidle")


def _chromium_tab(browser: Any, url: str, topic: str, framework: str) -> dict[str, Any]:
    context = browser.new_context()
    fetched: list[tuple[str, int]] = []
    try:
        page = context.new_page()
        page.on(
            "requestfinished",
            lambda r: fetched.append((r.url, r.sizes()["responseBodySize"])),
        )
        load_settled(page, url)
        bundle = url.split("guide/")[0] + "live/"  # Pyodide and wheels; not assets/live/live.js
        on_load = sum(size for u, size in fetched if u.startswith(bundle))
        page.locator(".tabbed-labels label", has_text=FRAMEWORK_TITLES[framework]).first.click()
        box = page.locator(f'.live-demo[data-topic="{topic}"][data-framework="{framework}"]')
        region = box.locator(".live-demo__response")
        button = box.get_by_role("button", name="Run", exact=True)
        seconds = []
        for _ in range(2):
            before = len(fetched)
            button.click()
            page.wait_for_function(DONE, arg=region.element_handle(), timeout=TIMEOUT_S * 1000)
            seconds.append(int(box.get_attribute("data-last-run-ms")) / 1000)
            if len(seconds) == 1:
                first_run = sum(size for _, size in fetched[before:])
                breakdown = json.loads(box.get_attribute("data-last-run-timings") or "null")
            state = region.get_attribute("data-state")
            if state != "result":
                raise SystemExit(f"{topic}/{framework}: {state}: {region.text_content()[-2000:]}")
        return {
            "pyodide_bytes_on_page_load": on_load,
            "first_run_bytes_as_served": first_run,
            "cold_first_run_s": round(seconds[0], 2),
            "warm_run_s": round(seconds[1], 3),
            "cold_breakdown_ms": breakdown,
        }
    finally:
        context.close()


def measure_chromium(base: str, topic: str) -> dict[str, Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=shutil.which("chromium"), headless=True, args=CHROMIUM_ARGS
        )
        try:
            return {
                fw: _chromium_tab(browser, f"{base}guide/{topic}/", topic, fw)
                for fw in get_topic(topic).frameworks()
            }
        finally:
            browser.close()


def _webkit_tab(driver: Any, url: str, topic: str, framework: str) -> dict[str, Any]:
    from selenium.webdriver.common.by import By

    driver.get(url)
    for label in driver.find_elements(By.CSS_SELECTOR, ".tabbed-labels label"):
        if label.text.strip() == FRAMEWORK_TITLES[framework]:
            label.click()
            break
    box = driver.find_element(
        By.CSS_SELECTOR, f'.live-demo[data-topic="{topic}"][data-framework="{framework}"]'
    )
    seconds = []
    for _ in range(2):
        box.find_element(By.CSS_SELECTOR, ".live-demo__run").click()
        started = time.perf_counter()
        region = box.find_element(By.CSS_SELECTOR, ".live-demo__response")
        while region.get_attribute("data-state") in (None, "", "running"):
            if time.perf_counter() - started > TIMEOUT_S:
                raise SystemExit(f"{topic}/{framework}: no response in WebKitGTK")
            time.sleep(0.05)
        if region.get_attribute("data-state") != "result":
            raise SystemExit(f"{topic}/{framework} in WebKitGTK: {region.text[-2000:]}")
        seconds.append(int(box.get_attribute("data-last-run-ms")) / 1000)
        if len(seconds) == 1:
            breakdown = json.loads(box.get_attribute("data-last-run-timings") or "null")
    return {
        "cold_first_run_s": round(seconds[0], 2),
        "warm_run_s": round(seconds[1], 3),
        "cold_breakdown_ms": breakdown,
    }


def measure_webkit(base: str, topic: str) -> dict[str, Any]:
    """Each tab in a fresh MiniBrowser (its own cache and worker), on a private Xvfb display."""
    from selenium import webdriver
    from selenium.webdriver.webkitgtk.options import Options
    from selenium.webdriver.webkitgtk.service import Service

    with private_display() as display:
        results = {}
        for framework in get_topic(topic).frameworks():
            options = Options()
            options.binary_location = MINIBROWSER
            options.add_argument("--automation")
            service = Service(env={**os.environ, "DISPLAY": display})
            driver = webdriver.WebKitGTK(options=options, service=service)
            try:
                results[framework] = _webkit_tab(driver, f"{base}guide/{topic}/", topic, framework)
            finally:
                driver.quit()
        return results


#: The seconds `summary` gathers over the runs, per engine and tab.
SECONDS = ("cold_first_run_s", "warm_run_s")


def summary(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """Per engine and tab: the median, lowest and highest of each of SECONDS over the runs,
    and every run's value in order."""
    result: dict[str, Any] = {}
    for engine in ("chromium", "webkit"):
        tabs = [run[engine] for run in runs if engine in run]
        if not tabs:
            continue
        result[engine] = {
            framework: {key: _spread([tab[framework][key] for tab in tabs]) for key in SECONDS}
            for framework in tabs[0]
        }
    return result


def _spread(values: list[float]) -> dict[str, Any]:
    return {
        "median": round(statistics.median(values), 3),
        "min": min(values),
        "max": max(values),
        "runs": values,
    }


def measure_once(base: str, engine: str, topic: str) -> dict[str, Any]:
    """Every tab of the topic's page in the chosen engines, with the load average around it."""
    report: dict[str, Any] = {"load_average_before": os.getloadavg()}
    if engine in ("chromium", "both"):
        report["chromium"] = measure_chromium(base, topic)
    if engine in ("webkit", "both"):
        report["webkit"] = measure_webkit(base, topic)
    report["load_average_after"] = os.getloadavg()
    return report


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site_dir", type=Path)
    parser.add_argument("--engine", choices=["chromium", "webkit", "both"], default="both")
    parser.add_argument("--topic", default="routing")
    parser.add_argument("--runs", type=int, default=1, help="measure this many times (default 1)")
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    with serve(args.site_dir) as base:
        runs = [measure_once(base, args.engine, args.topic) for _ in range(args.runs)]
    json.dump({"topic": args.topic, "runs": runs, "summary": summary(runs)}, sys.stdout, indent=1)
    print()


if __name__ == "__main__":
    main()
