"""Screenshot a conflictkg HTML page in headless Chromium, with every network request blocked.

Usage: python scripts/screenshot.py out/graph.html docs/img/seeds-graph.png [--width 1400 --height 900]

Needs Debian's ``chromium`` and ``chromium-driver`` (scripts/install_browser.sh) and Selenium (test extras).
``tests/test_browser.py`` imports :func:`chromium_driver` and :func:`wait_until_stable` from here, so the
tests and the README screenshot use one browser set-up.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

from selenium import webdriver
from selenium.webdriver.chrome.service import Service

BLOCKED_URLS = ["http://*", "https://*", "ws://*", "wss://*"]


def chromium_driver(user_data_dir: Path, *, width: int = 1400, height: int = 900) -> webdriver.Chrome:
    """Headless Chromium that refuses every network request and records console and network logs."""
    binary = shutil.which("chromium") or shutil.which("chromium-browser")
    driver_path = shutil.which("chromedriver")
    if not binary or not driver_path:
        raise RuntimeError("chromium and chromedriver are needed: run scripts/install_browser.sh")
    options = webdriver.ChromeOptions()
    options.binary_location = binary
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-extensions",
        "--no-first-run",
        f"--user-data-dir={user_data_dir}",
        f"--window-size={width},{height}",
    ):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    driver = webdriver.Chrome(service=Service(executable_path=driver_path), options=options)
    driver.execute_cdp_cmd("Network.enable", {})
    driver.execute_cdp_cmd("Network.setBlockedURLs", {"urls": BLOCKED_URLS})
    return driver


def wait_until_stable(driver: webdriver.Chrome, timeout: float = 30.0) -> float:
    """Wait for the page to expose ``window.network`` and finish its layout; return seconds waited."""
    began = time.perf_counter()
    while time.perf_counter() - began < timeout:
        if driver.execute_script("return !!(window.network && window.ckgStable);"):
            return time.perf_counter() - began
        time.sleep(0.05)
    raise TimeoutError(f"the graph did not stabilise within {timeout:.0f} s")


def screenshot(html: Path, png: Path, *, width: int = 1400, height: int = 900, timeout: float = 60.0) -> Path:
    """Open ``html`` from disk, wait for a stable layout, and save a PNG of the window."""
    png.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="ckg-chromium-") as profile:
        driver = chromium_driver(Path(profile), width=width, height=height)
        try:
            driver.get(html.resolve().as_uri())
            wait_until_stable(driver, timeout)
            time.sleep(0.3)  # let the last frame paint
            if not driver.save_screenshot(str(png)):
                raise RuntimeError(f"Chromium could not write {png}")
        finally:
            driver.quit()
    return png


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("html", type=Path, help="the page, e.g. out/graph.html")
    parser.add_argument("png", type=Path, help="the screenshot to write, e.g. docs/img/seeds-graph.png")
    parser.add_argument("--width", type=int, default=1400)
    parser.add_argument("--height", type=int, default=900)
    args = parser.parse_args(argv)
    if not args.html.is_file():
        print(f"error: {args.html} does not exist; build it first (conflictkg build)", file=sys.stderr)
        return 3
    screenshot(args.html, args.png, width=args.width, height=args.height)
    print(f"wrote {args.png}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
