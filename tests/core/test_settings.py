from __future__ import annotations

import pytest

from confide import env
from confide.core.mail import email_settings_from_url
from confide.presets import PRESETS, get_preset


def test_booleans_fail_loudly_on_nonsense(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOME_FLAG", "maybe")
    with pytest.raises(env.ConfigError, match="SOME_FLAG must be a boolean"):
        env.env_bool("SOME_FLAG", False)


def test_numbers_fail_loudly(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PORT_X", "80a")
    with pytest.raises(env.ConfigError, match="whole number"):
        env.env_int("PORT_X", 1)


def test_a_required_secret_is_never_defaulted(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SECRET_X", raising=False)
    with pytest.raises(env.ConfigError, match="must be set in production"):
        env.env_str("SECRET_X", "fallback", required=True)


def test_secrets_can_come_from_files(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    secret = tmp_path / "secret"
    secret.write_text("s3cret\n")
    monkeypatch.setenv("TOKEN_FILE", str(secret))
    assert env.env_str("TOKEN") == "s3cret"


def test_email_url_is_parsed() -> None:
    settings = email_settings_from_url("smtps://user%40x:p%2Fw@mail.example.org")
    assert settings["EMAIL_PORT"] == 465 and settings["EMAIL_USE_SSL"]
    assert settings["EMAIL_HOST_USER"] == "user@x" and settings["EMAIL_HOST_PASSWORD"] == "p/w"
    with pytest.raises(env.ConfigError):
        email_settings_from_url("http://mail.example.org")


def test_an_unknown_preset_fails_loudly() -> None:
    assert set(PRESETS) >= {"eu_es", "eu_se", "eu_al", "us_hipaa"}
    with pytest.raises(KeyError, match="Unknown CONFIDE_PRESET"):
        get_preset("nowhere")


def test_production_refuses_to_start_without_secrets() -> None:
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-c", "import django; from django.conf import settings; settings.DEBUG"],
        env={
            "CONFIDE_ENV": "production",
            "DJANGO_SETTINGS_MODULE": "confide.settings",
            "PATH": "/usr/bin:/bin",
        },
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set in production" in result.stderr
