"""Shared fixtures: the repo's reference seeds and the bundled sample."""

from __future__ import annotations

from pathlib import Path

import pytest

from liveledger.places import PlaceIndex

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "samples" / "ap-the-latest-venezuela-2019-01-24.txt"
TEST_BLOGS = REPO / "tests" / "data" / "blogs"


@pytest.fixture(scope="session")
def places() -> PlaceIndex:
    return PlaceIndex.from_seed_dir(REPO / "seeds" / "reference")


def blog(*entries: str, header: str | None = None) -> str:
    """A minimal AP-style blog: a dated header and the given entry blocks."""
    top = header if header is not None else (
        "The Latest: Test Blog\n\n"
        "A photo caption in Caracas, Venezuela, Thursday, Jan. 24, 2019. (AP Photo/Test)\n\n"
        "CARACAS, Venezuela (AP) — The Latest on the test crisis (all times local):\n"
    )
    return top + "\n" + "\n\n".join(entries) + "\n"


def pytest_addoption(parser: pytest.Parser) -> None:
    """Sizes of the reliability tests: small in ``make test``, larger on demand."""
    group = parser.getgroup("liveledger reliability")
    group.addoption("--crash-runs", type=int, default=20, metavar="N",
                    help="SIGKILLs the crash test delivers (default 20)")
    group.addoption("--crash-seed", type=int, default=20190124, metavar="SEED",
                    help="first random seed of the crash test; kill i uses SEED + i")
    group.addoption("--concurrency-rounds", type=int, default=2, metavar="N",
                    help="rounds of simultaneous loads and builds (default 2)")
