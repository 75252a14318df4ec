"""The HTML report renders in a real browser with what the marts hold.

Headless Chromium (Debian's `chromium` + `chromium-driver`, which `make
system-deps` installs; the test installs nothing) opens the written file with
the network closed; the test counts the marks plotly drew against counts
queried from the marts independently of the report code, hovers a point to
see its evidence sentence, fails on any console error, and takes a
screenshot. The screenshot goes to a temporary folder, so a test run writes
no tracked file; `make screenshot` sets LIVELEDGER_SCREENSHOT to refresh the
one the README shows (docs/report.png).

Without Chromium the browser test is skipped, with the reason, except on CI
(CI=true) or when a screenshot is asked for: there it fails, because a
skipped check would pass unseen.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from conftest import run_cli
from liveledger import report

#: Set by `make screenshot` to the README's docs/report.png.
SCREENSHOT_ENV = "LIVELEDGER_SCREENSHOT"
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--window-size=1400,1000",
)


def _browser_binaries() -> tuple[str, str] | None:
    chromium = shutil.which("chromium")
    driver = shutil.which("chromedriver")
    return (chromium, driver) if chromium and driver else None


def browser_required() -> bool:
    """On CI, or when a screenshot is asked for, a missing browser is a failure."""
    on_ci = os.environ.get("CI", "").strip().lower() in ("true", "1")
    return on_ci or bool(os.environ.get(SCREENSHOT_ENV))


def find_chromium() -> tuple[str, str]:
    """Chromium and its driver; skip (or fail, see ``browser_required``) without them."""
    found = _browser_binaries()
    if found:
        return found
    why = (
        "chromium and chromedriver are not on PATH; `make system-deps` installs them "
        "(apt-get install chromium chromium-driver)"
    )
    if browser_required():
        pytest.fail(f"{why}; the report test may not be skipped on CI or for make screenshot")
    pytest.skip(why)


def screenshot_path(tmp_path: Path) -> Path:
    """Where the screenshot goes: a temporary file, or the one `make screenshot` names."""
    asked = os.environ.get(SCREENSHOT_ENV)
    return Path(asked) if asked else tmp_path / "report.png"


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    chromium, driver = find_chromium()
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
            "rows": min(
                15,
                one("""select count(*) from marts.fct_stances
                                  where not is_negated and not is_hypothetical
                                    and polarity <> 0
                                    and target_actor_id is not null"""),
            ),
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
    browser: object,
    page: Path,
    sample_warehouse: Path,
    tmp_path: Path,
) -> None:
    from selenium.webdriver.chrome.webdriver import WebDriver

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
    browser.execute_script("Plotly.Fx.hover('timeline', [{curveNumber: 0, pointNumber: 0}]);")
    hover = browser.execute_script(
        "return document.querySelector('#timeline .hoverlayer').textContent;"
    )
    first = report.read_report_data(sample_warehouse).facts
    favourable = next(f for f in first if f.polarity == 1)
    assert " ".join(favourable.evidence.split()[:4]) in hover
    assert favourable.actor_name in hover

    # a fact restated elsewhere lists every report of its stance event
    favourables = [f for f in first if f.polarity == 1]
    data = report.read_report_data(sample_warehouse)
    index, restated = next(
        (i, f) for i, f in enumerate(favourables) if len(data.event_reports[f.stance_event_id]) > 1
    )
    browser.execute_script(
        f"Plotly.Fx.hover('timeline', [{{curveNumber: 0, pointNumber: {index}}}]);"
    )
    hover = browser.execute_script(
        "return document.querySelector('#timeline .hoverlayer').textContent;"
    )
    reports = data.event_reports[restated.stance_event_id]
    assert f"one of {len(reports)} reports of this position" in hover
    for other in reports[: report.HOVER_REPORTS]:
        assert " ".join(other.evidence.split()[:3]) in hover

    errors = [e for e in browser.get_log("browser") if e["level"] == "SEVERE"]
    assert errors == []

    height = browser.execute_script("return document.body.scrollHeight;")
    browser.set_window_size(1400, int(height) + 40)
    screenshot = screenshot_path(tmp_path)
    screenshot.parent.mkdir(parents=True, exist_ok=True)
    assert browser.save_screenshot(str(screenshot))
    assert screenshot.stat().st_size > 50_000


def test_without_chromium_the_test_skips_locally_and_fails_on_ci(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The skip is visible and never hides a missing browser on CI."""
    monkeypatch.setenv("PATH", str(tmp_path))  # no chromium here
    monkeypatch.delenv(SCREENSHOT_ENV, raising=False)
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="make system-deps"):
        find_chromium()
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="may not be skipped on CI"):
        find_chromium()
    monkeypatch.delenv("CI")
    monkeypatch.setenv(SCREENSHOT_ENV, str(tmp_path / "shot.png"))
    with pytest.raises(pytest.fail.Exception):
        find_chromium()
    assert screenshot_path(tmp_path) == tmp_path / "shot.png"
    monkeypatch.delenv(SCREENSHOT_ENV)
    assert screenshot_path(tmp_path) == tmp_path / "report.png"


def test_report_on_an_unbuilt_warehouse_is_a_one_line_error(tmp_path: Path) -> None:
    db = tmp_path / "empty.duckdb"
    duckdb.connect(str(db)).close()
    result = run_cli(db, "report", "--out", str(tmp_path / "r.html"))
    assert result.returncode == 1
    assert result.stderr.startswith("liveledger: error:")
    assert "run liveledger build" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "r.html").exists()
