"""Fixtures for the session record tests: a fake monotonic clock and a fixed wall clock."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from companion.clock import FakeClock

START = datetime(2026, 11, 25, 13, 0, 0, tzinfo=timezone.utc)


class Wall:
    """A wall clock for tests: starts at START, moved by hand."""

    def __init__(self, at: datetime = START) -> None:
        self.at = at

    def __call__(self) -> datetime:
        return self.at

    def advance(self, seconds: float) -> None:
        """Move the wall clock forward."""
        self.at += timedelta(seconds=seconds)


@pytest.fixture
def mono() -> FakeClock:
    return FakeClock()


@pytest.fixture
def wall() -> Wall:
    return Wall()
