from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture
def conversation(care: Any) -> Any:
    from confide.messaging.services import conversation_for_care

    return conversation_for_care(care)


@pytest.fixture(autouse=True)
def _generous_rate(settings: Any) -> None:
    settings.MESSAGING_RATE_LIMIT = (1000, 10)
