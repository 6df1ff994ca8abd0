"""Access rules of the matching domain: a counselor sees only clients in active care; team
leaders and staff only through audited break-glass, and never the identifying fields."""

import pytest
from allauth.mfa.models import Authenticator

from confide.audit.models import AuditEvent
from tests.matching.test_matching import give_intake

IDENTITY = ("ana.client@example.test", "+34611222333", "Ruiz-Secret")


@pytest.fixture
def known_client(client_user):
    client_user.phone = "+34611222333"
    client_user.last_name = "Ruiz-Secret"
    client_user.save()
    give_intake(client_user)
    return client_user


@pytest.mark.promise("INTAKE-5")
@pytest.mark.promise("LOG-4")
def test_own_counselor_sees_identity_and_access_is_audited(client, known_client, counselor, care):
    client.force_login(counselor)
    page = client.get("/matching/clients/").content.decode()
    for value in IDENTITY:
        assert value in page
    assert AuditEvent.objects.filter(
        action="access.view_identity", actor_id=counselor.pk, subject_id=known_client.pk
    ).exists()
    assert client.get(f"/matching/clients/{known_client.pk}/").status_code == 200


@pytest.mark.promise("INTAKE-5")
@pytest.mark.promise("LOG-4")
def test_unrelated_counselor_is_refused_and_the_attempt_audited(
    client, known_client, other_counselor, care
):
    client.force_login(other_counselor)
    page = client.get("/matching/clients/").content.decode()
    assert all(value not in page for value in IDENTITY)
    assert client.get(f"/matching/clients/{known_client.pk}/").status_code == 403
    assert AuditEvent.objects.filter(
        action="access.denied.view_clinical", actor_id=other_counselor.pk
    ).exists()


@pytest.mark.promise("INTAKE-5")
def test_counselor_without_passkey_is_refused(client, known_client, counselor, care):
    from confide.privacy.access import Action, can_access_client

    Authenticator.objects.filter(user=counselor).delete()
    assert not can_access_client(counselor, known_client.pk, Action.VIEW_IDENTITY)
    client.force_login(counselor)
    # Refused (403) or sent to enrol a passkey first (302), never shown.
    assert client.get(f"/matching/clients/{known_client.pk}/").status_code in {302, 403}


@pytest.mark.promise("INTAKE-5")
@pytest.mark.promise("LOG-4")
@pytest.mark.parametrize("persona", ["team_leader", "staff_user"])
def test_team_leader_and_staff_only_through_break_glass_without_identity(
    request, client, known_client, care, persona
):
    actor = request.getfixturevalue(persona)
    client.force_login(actor)
    url = f"/matching/clients/{known_client.pk}/"
    form = client.get(url).content.decode()
    assert "reason" in form and "Questionnaire scores" not in form
    assert client.post(url, {"reason": "short"}).status_code == 400
    assert not AuditEvent.objects.filter(action__startswith="break_glass").exists()
    page = client.post(url, {"reason": "Complaint follow-up, ticket 4411"}).content.decode()
    assert "Questionnaire scores" in page
    assert all(value not in page for value in IDENTITY)
    event = AuditEvent.objects.get(action="break_glass.view_clinical")
    assert event.actor_id == actor.pk and event.reason == "Complaint follow-up, ticket 4411"


@pytest.mark.promise("ROLE-1")
def test_care_ends_access(client, known_client, counselor, care):
    from confide.matching import services

    services.request_change(known_client)
    client.force_login(counselor)
    assert client.get(f"/matching/clients/{known_client.pk}/").status_code == 403
    assert known_client.email not in client.get("/matching/clients/").content.decode()


@pytest.mark.promise("INTAKE-5")
def test_fields_the_client_hid_stay_hidden_even_from_their_counselor(
    client, known_client, counselor, care
):
    known_client.hidden_fields = ["phone"]
    known_client.save()
    client.force_login(counselor)
    page = client.get("/matching/clients/").content.decode()
    assert "+34611222333" not in page and "Ruiz-Secret" in page
