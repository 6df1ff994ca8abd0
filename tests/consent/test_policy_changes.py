"""Policy pages, notice before a change, re-acceptance gate, presets
(POLICY-1/2/3/4, CONSENT-5, SHARE-1, SHARE-6); presets are proved in tests/core/test_presets.py."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.utils import timezone, translation

from confide.presets import PRESETS
from confide.privacy.consent import services
from confide.privacy.consent.integrations import INTEGRATIONS
from confide.privacy.consent.models import PolicyAcceptance, PolicyDocument

TEXTS = {
    "en": ("Privacy policy", "## Changes\nWe add a new service provider.\n", "A new provider."),
    "es": ("Política de privacidad", "## Cambios\nAñadimos un proveedor.\n", "Un proveedor."),
    "sv": ("Integritetspolicy", "## Ändringar\nVi lägger till en leverantör.\n", "Leverantör."),
    "sq": ("Politika e privatësisë", "## Ndryshime\nShtojmë një ofrues.\n", "Një ofrues."),
}


def publish(capture: Any, *, reason: str = "revision", days: int = 14) -> int:
    with capture(execute=True):
        rows = services.publish_version(
            services.NewVersion("privacy", TEXTS, material=True, reason=reason), notice_days=days
        )
    return rows[0].version


def take_effect(version: int) -> None:
    PolicyDocument.objects.filter(version=version).update(
        effective_at=timezone.now() - timedelta(seconds=1)
    )
    cache.clear()


@pytest.mark.promise("POLICY-3")
@pytest.mark.promise("POLICY-4")
@pytest.mark.parametrize("language", ["en", "es", "sv", "sq"])
def test_the_policy_page_is_in_each_language_with_the_generated_section(
    db: Any, language: str
) -> None:
    from confide.privacy.manifest import collection_summary

    html = Client(HTTP_ACCEPT_LANGUAGE=language).get("/privacy-policy/").content.decode()
    doc = services.current_document("privacy", language)
    assert doc is not None and doc.language == language
    assert f"<h1>{doc.title}</h1>" in html
    assert "[[what-we-collect]]" not in html
    with translation.override(language):
        labels = [item.label for item in collection_summary()]
    assert labels and all(label.replace("'", "&#x27;") in html for label in labels)
    assert Client(HTTP_ACCEPT_LANGUAGE=language).get("/terms/").status_code == 200


@pytest.mark.promise("POLICY-1")
def test_the_policy_shows_its_revision_and_keeps_old_versions_readable(
    db: Any, django_capture_on_commit_callbacks: Any
) -> None:
    version = publish(django_capture_on_commit_callbacks)
    take_effect(version)
    html = Client().get("/privacy-policy/").content.decode()
    assert f"Version {version}, last revised" in html
    old = PolicyDocument.objects.get(kind="privacy", version=1, language="en")
    assert old.text_sha256 in html
    archived = Client().get("/consent/policy/privacy/v1/").content.decode()
    assert "This is an earlier version" in archived and old.title in archived
    assert Client().get(f"/consent/policy/privacy/v{version + 1}/").status_code == 404


@pytest.mark.promise("POLICY-2")
@pytest.mark.promise("SHARE-6")
@pytest.mark.parametrize("reason", ["revision", "business_transfer"])
def test_a_change_is_announced_by_email_and_on_the_site_before_it_takes_effect(
    client_user: Any, counselor: Any, django_capture_on_commit_callbacks: Any, reason: str
) -> None:
    client_user.language = "sv"
    client_user.save(update_fields=["language"])
    publish(django_capture_on_commit_callbacks, reason=reason, days=14)
    notices = {m.to[0]: m for m in mail.outbox}
    assert set(notices) == {client_user.email, counselor.email}
    assert "Integritetspolicy" in notices[client_user.email].subject
    assert notices[client_user.email].body.count("Leverantör.") == 1
    if reason == "business_transfer":
        assert "transfer" in notices[counselor.email].body
    browser = Client()
    browser.force_login(client_user)
    page = browser.get("/dashboard/")
    assert page.status_code == 200  # not yet in effect: nobody is blocked
    assert 'class="site-notice"' in page.content.decode()


@pytest.mark.promise("CONSENT-5")
@pytest.mark.promise("POLICY-2")
def test_after_a_material_change_only_the_gate_routes_work_until_acceptance(
    client_user: Any, django_capture_on_commit_callbacks: Any
) -> None:
    services.record_acceptance(client_user, method="signup")
    version = publish(django_capture_on_commit_callbacks)
    take_effect(version)
    browser = Client()
    browser.force_login(client_user)
    for blocked in ("/dashboard/", "/messages/", "/schedule/", "/account/"):
        response = browser.get(blocked)
        assert response.status_code == 302 and response["Location"].startswith("/consent/accept/")
    htmx = browser.get("/dashboard/", HTTP_HX_REQUEST="true")
    assert htmx.status_code == 204 and htmx["HX-Redirect"].startswith("/consent/accept/")
    for allowed in ("/privacy-policy/", "/terms/", "/privacy/", "/consent/accept/"):
        assert browser.get(allowed).status_code == 200, allowed
    assert browser.post("/consent/accept/", {}).status_code == 400  # the box must be ticked
    response = browser.post("/consent/accept/", {"agree": "on", "next": "/dashboard/"})
    assert response["Location"] == "/dashboard/"
    row = PolicyAcceptance.objects.get(user=client_user, kind="privacy", version=version)
    doc = PolicyDocument.objects.get(kind="privacy", version=version, language=row.language)
    assert row.text_sha256 == doc.text_sha256 and row.method == "reacceptance"
    assert browser.get("/dashboard/").status_code == 200
    logout = Client()
    logout.force_login(client_user)
    PolicyAcceptance.objects.filter(user=client_user, version=version).delete()
    assert logout.post("/accounts/logout/").status_code == 302
    assert "_auth_user_id" not in logout.session


@pytest.mark.promise("SHARE-1")
def test_the_policy_promises_no_sale_and_no_integration_may_receive_identity(db: Any) -> None:
    phrases = {
        "en": "never sell or rent",
        "es": "Nunca vendemos ni alquilamos",
        "sv": "säljer eller hyr aldrig ut",
        "sq": "kurrë nuk i shesim",
    }
    for language, phrase in phrases.items():
        assert phrase in services.current_document("privacy", language).body
    from confide.privacy.consent.integrations import RefusedEvent, guard_event

    for advertising in (True, False):
        with pytest.raises(RefusedEvent):
            guard_event({"email": "a@b.c"}, signed_in=False, advertising=advertising)


def test_seed_operator_presets_name_known_integrations_and_a_full_notice_period() -> None:
    for key in ("enterapia", "optiwe", "icbt", "mentabee", "o7therapy"):
        preset = PRESETS[key]
        assert preset.analytics_integrations <= set(INTEGRATIONS)
        assert preset.policy_notice_days >= 30


@pytest.mark.promise("POLICY-2")
def test_the_publish_command_reads_files_and_refuses_a_wrong_version(
    db: Any, tmp_path: Any, monkeypatch: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from django.core.management import CommandError, call_command

    from confide.privacy.consent.management.commands import publish_policy

    (tmp_path / "terms.v2.en.txt").write_text("Terms of service\n> Shorter notice.\n## A\nB.\n")
    (tmp_path / "terms.v2.es.txt").write_text("Condiciones\n## A\nB.\n")
    monkeypatch.setattr(publish_policy, "DOCUMENTS", tmp_path)
    with pytest.raises(CommandError):
        call_command("publish_policy", "terms", "3")
    with django_capture_on_commit_callbacks(execute=True):
        call_command("publish_policy", "terms", "2", "--material", "--notice-days", "30")
    new = PolicyDocument.objects.get(kind="terms", version=2, language="en")
    assert new.material and new.change_summary == "Shorter notice." and new.body == "## A\nB.\n"
    assert (new.effective_at - new.published_at).days == 30
    assert PolicyDocument.objects.filter(kind="terms", version=2).count() == 2
