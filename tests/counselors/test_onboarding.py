from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import timezone

from confide.audit.models import AuditEvent
from confide.counselors import services
from confide.counselors.models import (
    ApplicationDocument,
    ApplicationStatus,
    CounselorApplication,
    CounselorProfile,
)
from tests.counselors.builders import make_counselor
from tests.factories import make_user

PDF = b"%PDF-1.4 licence scan"


def application_data(**overrides):
    data = {
        "legal_name": "Laura Martín",
        "phone": "+34600111222",
        "licence_type": "Psicóloga sanitaria",
        "licence_number": "M-12345",
        "licence_jurisdiction": "ES",
        "licence_expiry": timezone.localdate() + timedelta(days=400),
        "npi": "",
        "caqh_id": "",
        "gov_id_country": "ES",
        "gov_id_number": "12345678Z",
        "bank_format": "iban",
        "bank_account": "ES9121000418450200051332",
        "education": "Grado en Psicología, UCM",
        "work_history": "Clínica X, 2015–2024",
    }
    data.update(overrides)
    return data


@pytest.fixture
def applicant(db):
    return make_user("client", email="laura@example.test", language="es")


@pytest.mark.promise("INTAKE-3")
def test_application_is_stored_encrypted_and_audited(applicant, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        application = services.submit_application(
            applicant, application_data(), [services.Document("licence", PDF)]
        )
    applicant.refresh_from_db()
    assert applicant.role == "counselor"
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT gov_id_number, bank_account FROM counselors_counselorapplication WHERE id = %s",
            [application.pk.hex],
        )
        raw_id, raw_bank = cursor.fetchone()
    assert b"12345678Z" not in bytes(raw_id)
    assert b"ES9121" not in bytes(raw_bank)
    fresh = CounselorApplication.objects.get(pk=application.pk)
    assert fresh.gov_id_number == "12345678Z"
    document = ApplicationDocument.objects.get(application=application)
    assert document.content_type == "application/pdf" and document.content == PDF
    assert AuditEvent.objects.filter(action="counselor.application.submitted").exists()
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["laura@example.test"]
    assert "12345678Z" not in mail.outbox[0].body


@pytest.mark.promise("INTAKE-4")
def test_unverified_counselor_is_not_listable_until_staff_approve(
    applicant, staff_user, django_capture_on_commit_callbacks
):
    application = services.submit_application(applicant, application_data(), [])
    assert not services.listable_profiles().filter(user=applicant).exists()
    with pytest.raises(PermissionDenied):
        services.decide(applicant, application.pk, "approve")
    with django_capture_on_commit_callbacks(execute=True):
        services.decide(staff_user, application.pk, "approve")
    profile = CounselorProfile.objects.get(user=applicant)
    assert profile.verified_at is not None
    assert profile.codes("jurisdiction") == ["ES"]
    assert services.listable_profiles().filter(user=applicant).exists()
    assert AuditEvent.objects.filter(action="counselor.application.approve").exists()
    assert mail.outbox[-1].to == [applicant.email]
    with pytest.raises(ValidationError):
        services.decide(staff_user, application.pk, "reject", "too late now")


@pytest.mark.promise("INTAKE-4")
def test_changes_and_rejection_need_a_reason_and_are_emailed(
    applicant, staff_user, django_capture_on_commit_callbacks
):
    application = services.submit_application(applicant, application_data(), [])
    with pytest.raises(ValidationError):
        services.decide(staff_user, application.pk, "changes", "")
    with django_capture_on_commit_callbacks(execute=True):
        services.decide(staff_user, application.pk, "changes", "Please attach your licence.")
    assert "Please attach your licence." in mail.outbox[-1].body
    # The applicant resubmits; the same application goes back to the queue.
    again = services.submit_application(
        applicant, application_data(), [services.Document("licence", PDF)]
    )
    assert again.pk == application.pk and again.status == ApplicationStatus.SUBMITTED
    with django_capture_on_commit_callbacks(execute=True):
        services.decide(staff_user, application.pk, "reject", "Licence could not be confirmed.")
    assert not CounselorProfile.objects.filter(user=applicant).exists()
    assert AuditEvent.objects.filter(action="counselor.application.reject").exists()


@pytest.mark.promise("INTAKE-4")
def test_expired_licence_leaves_listing_and_expiring_one_is_warned_once(
    db, django_capture_on_commit_callbacks
):
    expiring = make_counselor(expires_in_days=10)
    expired = make_counselor(expires_in_days=-1)
    far = make_counselor(expires_in_days=300)
    listed = set(services.listable_profiles().values_list("pk", flat=True))
    assert expiring.pk in listed and far.pk in listed and expired.pk not in listed
    with django_capture_on_commit_callbacks(execute=True):
        assert services.warn_expiring_licences() == 1
    assert mail.outbox[-1].to == [expiring.user.email]
    assert services.warn_expiring_licences() == 0


def test_apply_page_creates_counselor_account_and_rejects_bad_input(client, db):
    response = client.get("/counselors/apply/")
    assert response.status_code == 200
    from django.core.files.uploadedfile import SimpleUploadedFile

    form = {k: str(v) for k, v in application_data().items()}
    form.update(
        {"account-email": "new.counselor@example.test", "account-password": "a-Long-pass-99x"}
    )
    bad = dict(form, bank_account="ES00 0000", npi="")
    response = client.post(
        "/counselors/apply/", {**bad, "licence_document": SimpleUploadedFile("l.pdf", PDF)}
    )
    assert response.status_code == 200
    assert not CounselorApplication.objects.exists()
    exe = SimpleUploadedFile("l.pdf", b"MZ not a pdf")
    response = client.post("/counselors/apply/", {**form, "licence_document": exe})
    assert response.status_code == 200 and not CounselorApplication.objects.exists()
    response = client.post(
        "/counselors/apply/", {**form, "licence_document": SimpleUploadedFile("l.pdf", PDF)}
    )
    assert response.status_code == 302
    application = CounselorApplication.objects.get()
    assert application.user.role == "counselor"
    assert application.user.email == "new.counselor@example.test"


@pytest.mark.promise("INTAKE-4")
def test_renewed_licence_extends_visibility_and_resets_the_warning(applicant, staff_user):
    first = services.submit_application(
        applicant, application_data(licence_expiry=timezone.localdate() + timedelta(days=5)), []
    )
    services.decide(staff_user, first.pk, "approve")
    assert services.warn_expiring_licences() == 1
    renewed = services.submit_application(applicant, application_data(), [])
    assert renewed.pk != first.pk
    services.decide(staff_user, renewed.pk, "approve")
    profile = CounselorProfile.objects.get(user=applicant)
    assert profile.licence_expiry == renewed.licence_expiry and profile.licence_warned_at is None


def test_form_starts_from_the_application_after_a_request_for_changes(
    client, applicant, staff_user
):
    application = services.submit_application(applicant, application_data(), [])
    services.decide(staff_user, application.pk, "changes", "Please attach your licence.")
    from allauth.mfa.models import Authenticator

    applicant.refresh_from_db()
    Authenticator.objects.create(user=applicant, type=Authenticator.Type.WEBAUTHN, data={})
    client.force_login(applicant)
    response = client.get("/counselors/apply/")
    assert response.status_code == 200
    page = response.content.decode()
    assert 'value="M-12345"' in page and "12345678Z" not in page
