"""/healthz: real round trips to the database, channel layer and task queue; status only."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from typing import Any

import pytest

from confide.celery import app

CLOSED = "redis://127.0.0.1:1/0"  # nothing listens on port 1


@pytest.fixture
def broker(settings: Any) -> Iterator[Any]:
    """Lets a test point Celery at a broker (the app reads its configuration only once)."""
    previous = app.conf.broker_url

    def use(url: str) -> None:
        settings.CELERY_TASK_ALWAYS_EAGER = False
        app.conf.broker_url = url

    yield use
    app.conf.broker_url = previous


def redis_layer(url: str) -> dict[str, Any]:
    return {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": [url], "prefix": "healthz_test"},
        }
    }


@pytest.mark.django_db
def test_healthz_embedded_reports_every_part_and_nothing_else(client: Any) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "checks": {"database": "ok", "channel_layer": "ok", "task_queue": "inline"},
    }
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_healthz_reports_unreachable_redis_quickly(client: Any, settings: Any, broker: Any) -> None:
    settings.CHANNEL_LAYERS = redis_layer(CLOSED)
    broker(CLOSED)
    started = time.monotonic()
    response = client.get("/healthz")
    assert time.monotonic() - started < 10
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "degraded"
    assert body["checks"]["database"] == "ok"
    assert body["checks"]["channel_layer"].startswith("error")
    assert body["checks"]["task_queue"].startswith("error")


@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs REDIS_URL (CI second run)")
@pytest.mark.django_db
def test_healthz_with_redis_makes_real_round_trips(client: Any, settings: Any, broker: Any) -> None:
    settings.CHANNEL_LAYERS = redis_layer(settings.REDIS_URL)
    broker(settings.REDIS_URL)
    response = client.get("/healthz")
    assert response.json() == {
        "status": "ok",
        "checks": {"database": "ok", "channel_layer": "ok", "task_queue": "ok"},
    }
    assert response.status_code == 200
