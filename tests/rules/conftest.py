"""Fixtures of the rules and ``check`` tests (not in tests/conftest.py: others edit that)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from intake_assistant.rules import load_ruleset
from intake_assistant.rules.ruleset import Params

from .helpers import ELIGIBLE, example_data


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    return (Path(__file__).resolve().parents[2] / ".." / "shared").resolve()


@pytest.fixture(scope="session")
def examples_dir(shared_dir: Path) -> Path:
    folder = shared_dir / "examples"
    assert folder.is_dir(), folder
    return folder


@pytest.fixture
def eligible() -> dict[str, Any]:
    """The eligible example as fresh JSON data (change it freely)."""
    return example_data(ELIGIBLE)


@pytest.fixture(scope="session")
def params() -> Params:
    """Parameters of sce-2020 at its reference date: the boundaries come from here."""
    return load_ruleset("sce-2020").params_on(None)
