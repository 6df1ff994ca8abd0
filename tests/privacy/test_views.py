from __future__ import annotations

import io
import json
import zipfile
from typing import Any

import pytest
from django.core import mail
from django.urls import reverse

from confide.privacy.models import Objection, Restriction, RightsRequest
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def _reauthenticate(client: Any) -> None:
    response = client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    assert response.status_code in (200, 302)


@pytest.mark.promise("RIGHTS-1")
def test_privacy_centre_is_two_clicks_away_for_every_role(
    client: Any, client_user: Any, counselor: Any
) -> None:
    for user in (client_user, counselor):
        client.force_login(user)
        dashboard = client.get(reverse("core:dashboard"))
        assert reverse("privacy:centre") in dashboard.content.decode()
        assert client.get(reverse("privacy:centre")).status_code == 200


@pytest.mark.promise("RIGHTS-1")
@pytest.mark.promise("RIGHTS-6")
def test_export_flow_progress_email_reauth_and_download(
    client: Any,
    client_user: Any,
    stranger: Any,
    canary: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    client.force_login(client_user)
    client_user.nickname = canary.plant("nickname-is-fine-in-user-table")
    canary.allow_plaintext_in("accounts_user")
    client_user.save()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("privacy:export_start"))
    export = RightsRequest.objects.get(user=client_user, kind="export")
    assert response.url == reverse("privacy:export_status", args=[export.pk])
    partial = client.get(response.url, headers={"HX-Request": "true"})
    assert "export-download" in partial.content.decode()
    assert (
        mail.outbox and reverse("privacy:export_status", args=[export.pk]) in mail.outbox[-1].body
    )
    download = reverse("privacy:export_download", args=[export.pk])
    first = client.get(download)
    assert first.status_code == 302 and "reauthenticate" in first.url
    _reauthenticate(client)
    zipped = client.get(download)
    assert zipped.status_code == 200 and zipped["Content-Type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(zipped.content)) as zf:
        data = json.loads(zf.read("data.json"))
    assert data["subject_id"] == client_user.pk
    client.force_login(stranger)  # someone else's export is not found
    assert client.get(reverse("privacy:export_status", args=[export.pk])).status_code == 404


@pytest.mark.promise("RIGHTS-1")
def test_expired_link_no_longer_downloads(
    client: Any, client_user: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from datetime import timedelta

    import time_machine
    from django.utils import timezone

    client.force_login(client_user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("privacy:export_start"))
    export = RightsRequest.objects.get(user=client_user, kind="export")
    _reauthenticate(client)
    with time_machine.travel(timezone.now() + timedelta(days=8)):
        client.force_login(client_user)
        _reauthenticate(client)
        assert client.get(reverse("privacy:export_download", args=[export.pk])).status_code == 404


@pytest.mark.promise("RIGHTS-2")
@pytest.mark.promise("RIGHTS-8")
def test_rectify_and_hide_fields(client: Any, client_user: Any) -> None:
    from confide.privacy.services import visible_value

    client.force_login(client_user)
    page = client.get(reverse("privacy:profile")).content.decode()
    assert "support" in page  # non-editable fields say how to ask
    response = client.post(
        reverse("privacy:profile"),
        {
            "profile-nickname": "Anita",
            "profile-first_name": "Ana",
            "profile-last_name": "Gil",
            "profile-phone": "",
            "profile-language": "es",
            "profile-timezone": "Europe/Madrid",
            "profile-date_of_birth": "",
            "profile-submit": "1",
        },
    )
    assert response.status_code == 302
    client_user.refresh_from_db()
    assert client_user.nickname == "Anita" and client_user.last_name == "Gil"
    client.post(reverse("privacy:profile"), {"hide-hidden": ["last_name"], "hide-submit": "1"})
    client_user.refresh_from_db()
    assert client_user.hidden_fields == ["last_name"]
    assert visible_value(client_user, "last_name", None) is None
    assert visible_value(client_user, "last_name", client_user) == "Gil"
    assert RightsRequest.objects.filter(user=client_user, kind="rectify", state="done").exists()


@pytest.mark.promise("RIGHTS-4")
@pytest.mark.promise("RIGHTS-5")
def test_restriction_and_objection_toggles(client: Any, client_user: Any) -> None:
    client.force_login(client_user)
    client.post(reverse("privacy:restriction"), {"on": "1"})
    assert Restriction.objects.filter(user=client_user).exists()
    client.post(reverse("privacy:restriction"), {"on": "0"})
    assert not Restriction.objects.filter(user=client_user).exists()
    client.post(reverse("privacy:objection"), {"on": "1", "purpose": "analytics"})
    assert Objection.objects.filter(user=client_user, purpose="analytics").exists()
    assert (
        client.post(reverse("privacy:objection"), {"on": "1", "purpose": "care"}).status_code == 403
    )


@pytest.mark.promise("RIGHTS-3")
def test_account_erasure_needs_reauth_and_shows_receipt(client: Any, client_user: Any) -> None:
    client.force_login(client_user)
    first = client.post(reverse("privacy:erase_account"), {"acc-confirm": "on"})
    assert first.status_code == 302 and "reauthenticate" in first.url
    _reauthenticate(client)
    unconfirmed = client.post(reverse("privacy:erase_account"), {})
    assert unconfirmed.status_code == 400
    done = client.post(reverse("privacy:erase_account"), {"acc-confirm": "on"})
    assert done.status_code == 200 and 'id="receipt"' in done.content.decode()
    client_user.refresh_from_db()
    assert not client_user.is_active
    assert client.get(reverse("privacy:centre")).status_code == 302


def test_what_we_collect_page_is_public(client: Any) -> None:
    assert client.get(reverse("privacy:what_we_collect")).status_code == 200


@pytest.mark.promise("LOG-4")
def test_client_sees_who_accessed_the_record_and_why(
    client: Any, care: Any, team_leader: Any
) -> None:
    from confide.privacy.access import Action, break_glass, require_client_access

    require_client_access(care.counselor, care.client.pk, Action.VIEW_CLINICAL)
    break_glass(
        team_leader, care.client.pk, Action.VIEW_PROFILE, reason="complaint 42 review needed"
    )
    client.force_login(care.client)
    page = client.get(reverse("privacy:centre")).content.decode()
    assert care.counselor.display_name in page
    assert "viewed your care records" in page
    assert "complaint 42 review needed" in page
    assert "emergency access" in page


@pytest.mark.promise("RIGHTS-3")
def test_erase_categories_from_the_page(client: Any, client_user: Any) -> None:
    client_user.phone = "+34600111222"
    client_user.save()
    client.force_login(client_user)
    page = client.get(reverse("privacy:erase")).content.decode()
    assert 'value="credentials"' not in page  # would lock the person out
    response = client.post(reverse("privacy:erase"), {"cat-categories": ["contact"]})
    assert response.status_code == 302
    client_user.refresh_from_db()
    assert client_user.phone == "" and client_user.email  # email is needed to sign in: kept
    receipt = client.get(response.url).content.decode()
    assert "kept because your account needs it" in receipt
    assert client.post(reverse("privacy:erase"), {"cat-categories": ["bogus"]}).status_code == 200


@pytest.mark.promise("RIGHTS-3")
def test_erase_item_button_posts_to_the_registered_action(client: Any, client_user: Any) -> None:
    from django.template.loader import render_to_string
    from django.test import RequestFactory

    from confide.privacy import registry

    registry.register_item_action(
        "privacy.Objection",
        "objection",
        lambda user, item_id: Objection.objects.filter(user=user, pk=item_id).delete()[0] > 0,
    )
    objection = Objection.objects.create(user=client_user, purpose="analytics")
    request = RequestFactory().get("/")
    html = render_to_string(
        "privacy/_erase_item_button.html",
        {"model": "privacy.Objection", "item": objection.pk},
        request=request,
    )
    assert reverse("privacy:erase_item") in html and 'value="privacy.Objection"' in html
    client.force_login(client_user)
    response = client.post(
        reverse("privacy:erase_item"), {"model": "privacy.Objection", "item": objection.pk}
    )
    assert response.status_code == 302
    assert not Objection.objects.filter(pk=objection.pk).exists()
    missing = {"model": "privacy.Objection", "item": objection.pk}
    assert client.post(reverse("privacy:erase_item"), missing).status_code == 404


@pytest.mark.parametrize(
    ("language", "label"),
    [("es", "Número de cliente"), ("sv", "Klientnummer"), ("sq", "Numri i klientit")],
)
def test_the_profile_shows_a_client_only_their_own_details_in_their_language(
    client: Any, language: str, label: str
) -> None:
    from tests.factories import make_user

    user = make_user("client", language=language)
    client.force_login(user)
    page = client.get(reverse("privacy:profile")).content.decode()
    assert label in page
    for internal in ("Blocked reason", "blocked_reason", "Hidden fields", "Phone verified at"):
        assert internal not in page
    from django.utils import translation

    with translation.override(language):
        from confide.accounts.models import User

        for name in ("blocked_reason", "blocked_at", "hidden_fields"):
            assert str(User._meta.get_field(name).verbose_name).lower() not in page.lower()
