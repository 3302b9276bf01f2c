"""Screenshots of the built site for reviewing its layout by eye: ``make screenshots``.

Home, a guide page, the benchmark results and the decision guide (with one answer given), at a
desktop and a phone size, in the light and the dark scheme, as full-page PNGs in the output
folder (``screenshots/``, not committed). Needs Chromium (Debian's ``chromium`` package).

    python -m scripts.screenshots SITE_DIR OUT_DIR
"""

from __future__ import annotations

import functools
import shutil
import sys
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

PAGES = {"home": "", "guide-routing": "guide/routing/", "benchmarks": "benchmarks/",
         "decide": "decide/"}  # fmt: skip
SIZES = {"desktop": (1280, 900), "phone": (390, 844)}
SCHEMES = ("default", "slate")


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        """No request log on the terminal."""


def shoot(site: Path, out: Path) -> list[Path]:
    """Write every screenshot; returns their paths."""
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium")
    if chromium is None:
        raise SystemExit("chromium not found on PATH: install it with `apt-get install chromium`")
    if not (site / "index.html").is_file():
        raise SystemExit(f"{site} holds no built site: run `make build` first")
    out.mkdir(parents=True, exist_ok=True)
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=site))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    written = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=chromium, args=["--no-sandbox", "--disable-gpu"]
            )
            for size, (width, height) in SIZES.items():
                context = browser.new_context(viewport={"width": width, "height": height})
                page = context.new_page()
                for name, path in PAGES.items():
                    for scheme in SCHEMES:
                        page.goto(base + path, wait_until="load")
                        page.evaluate(
                            "s => document.body.setAttribute('data-md-color-scheme', s)", scheme
                        )
                        if name == "decide":
                            page.locator(".decision-guide label").first.click()
                        target = (
                            out / f"{name}-{size}-{'dark' if scheme == 'slate' else 'light'}.png"
                        )
                        page.screenshot(path=str(target), full_page=name != "decide")
                        written.append(target)
                context.close()
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    return written


if __name__ == "__main__":
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    for path in shoot(Path(sys.argv[1]), Path(sys.argv[2])):
        print(path)
