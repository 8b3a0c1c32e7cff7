from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from aiohttp.test_utils import TestClient, TestServer

from intake_assistant.web.site import SiteSettings, WebSite


@pytest.fixture
def site(tmp_path: Path) -> WebSite:
    return WebSite(SiteSettings(data_dir=tmp_path / "data"))


@pytest.fixture
async def client(site: WebSite) -> AsyncIterator[TestClient]:
    async with TestClient(TestServer(site.make_app(), host="127.0.0.1")) as test_client:
        yield test_client
