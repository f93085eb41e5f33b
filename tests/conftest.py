"""Every test gets its own loudness cache, so none reads or fills the user's."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _private_loudness_cache(tmp_path_factory, monkeypatch):
    monkeypatch.setenv("COMPANION_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
