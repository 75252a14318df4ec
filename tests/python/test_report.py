"""The HTML report renders in a real browser with what the marts hold.

Headless Chromium (Debian's `chromium` + `chromium-driver`, installed here
when missing) opens the written file with the network closed; the test
counts the marks plotly drew against counts queried from the marts
independently of the report code, hovers a point to see its evidence
sentence, fails on any console error, and saves the screenshot the README
shows (docs/report.png).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from conftest import REPO, run_cli
from liveledger import report

SCREENSHOT = REPO / "docs" / "report.png"
CHROMIUM_FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage", "--window-size=1400,1000",
)


def _browser_binaries() -> tuple[str, str] | None:
    chromium = shutil.which("chromium")
    driver = shutil.which("chromedriver")
    return (chromium, driver) if chromium and driver else None


def ensure_chromium() -> tuple[str, str]:
    """Chromium and its driver, from Debian's packages if not yet installed."""
    found = _browser_binaries()
    if found:
        return found
    apt = shutil.which("apt-get")
    if apt is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is missing and apt-get is unavailable on CI")
        pytest.skip("chromium/chromedriver missing and apt-get unavailable to install them")
    # with recommends: they bring the fonts the screenshot's text is drawn in
    for command in ([apt, "update"], [apt, "install", "-y", "chromium", "chromium-driver"]):
        done = subprocess.run(command, capture_output=True, text=True, timeout=1200,
                              env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"})
        assert done.returncode == 0, f"{' '.join(command)} failed: {done.stderr[-2000:]}"
    found = _browser_binaries()
    assert found, "apt installed chromium but chromium/chromedriver are not on PATH"
    return found


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    chromium, driver = ensure_chromium()
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    profile = tempfile.mkdtemp(prefix="liveledger-chromium-")
    options.add_argument(f"--user-data-dir={profile}")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    session = webdriver.Chrome(service=Service(driver), options=options)
    yield session
    session.quit()
    shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture(scope="module")
def page(sample_warehouse: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("report") / "report.html"
    result = run_cli(sample_warehouse, "report", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"wrote {out}")
    return out


def expected_marks(db: Path) -> dict[str, int]:
    """What each chart must show, straight from the marts."""
    con = duckdb.connect(str(db), read_only=True)

    def one(sql: str) -> int:
        row = con.execute(sql).fetchone()
        return int(row[0]) if row else 0

    try:
        return {
            "points": one("select count(*) from marts.fct_stances"),
            "cells": one("""select count(*) from (select distinct actor_id, target_actor_id
                            from marts.fct_stances
                            where claimed_polarity is not null
                              and target_actor_id is not null)"""),
            "bars": one("""select count(distinct date_trunc('hour', published_at))
                           from marts.fct_entries"""),
            "rows": min(15, one("""select count(*) from marts.fct_stances
                                  where not is_negated and not is_hypothetical
                                    and polarity <> 0
                                    and target_actor_id is not null""")),
        }
    finally:
        con.close()


COUNT_MARKS = """
const gd = id => document.getElementById(id);
return {
  points: document.querySelectorAll('#timeline .scatterlayer path.point').length,
  traces: gd('timeline').data.map(t => t.name),
  cells: gd('alignment').data[0].z.flat().filter(v => v !== null).length,
  heatmaps: document.querySelectorAll('#alignment .hm image').length,
  bars: document.querySelectorAll('#entries-per-hour .barlayer path').length,
  rows: gd('strongest').data[0].cells.values[0].length,
  table_cells: document.querySelectorAll('#strongest .y-column')[0]
                 .querySelectorAll('.cell-text').length,
  self_contained: !document.querySelector('script[src]'),
};
"""


def test_report_renders_every_chart_with_the_marts_counts(
    browser: object, page: Path, sample_warehouse: Path,
) -> None:
    from selenium.webdriver.remote.webdriver import WebDriver

    assert isinstance(browser, WebDriver)
    browser.get(page.as_uri())
    marks = browser.execute_script(COUNT_MARKS)
    expected = expected_marks(sample_warehouse)
    assert expected["points"] > 0 and expected["cells"] > 0
    assert marks["points"] == expected["points"]
    assert marks["cells"] == expected["cells"]
    assert marks["heatmaps"] == 1
    assert marks["bars"] == expected["bars"]
    assert marks["rows"] == expected["rows"]
    assert marks["table_cells"] == expected["rows"] + 1  # the header cell, then one per row
    assert marks["self_contained"], "the page loads a script from elsewhere"
    assert set(marks["traces"]) <= set(report.POLARITY_NAMES.values())

    # hovering the first favourable point shows that fact's evidence sentence
    browser.execute_script(
        "Plotly.Fx.hover('timeline', [{curveNumber: 0, pointNumber: 0}]);")
    hover = browser.execute_script(
        "return document.querySelector('#timeline .hoverlayer').textContent;")
    first = report.read_report_data(sample_warehouse).facts
    favourable = next(f for f in first if f.polarity == 1)
    assert " ".join(favourable.evidence.split()[:4]) in hover
    assert favourable.actor_name in hover

    errors = [e for e in browser.get_log("browser") if e["level"] == "SEVERE"]
    assert errors == []

    height = browser.execute_script("return document.body.scrollHeight;")
    browser.set_window_size(1400, int(height) + 40)
    SCREENSHOT.parent.mkdir(exist_ok=True)
    assert browser.save_screenshot(str(SCREENSHOT))
    assert SCREENSHOT.stat().st_size > 50_000


def test_report_on_an_unbuilt_warehouse_is_a_one_line_error(tmp_path: Path) -> None:
    db = tmp_path / "empty.duckdb"
    duckdb.connect(str(db)).close()
    result = run_cli(db, "report", "--out", str(tmp_path / "r.html"))
    assert result.returncode == 1
    assert result.stderr.startswith("liveledger: error:")
    assert "run liveledger build" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "r.html").exists()
