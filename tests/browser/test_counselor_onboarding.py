"""A counselor applies in the browser, staff approve in the review queue, and the counselor
becomes matchable (INTAKE-3, INTAKE-4)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from tests.factories import make_user

pytestmark = pytest.mark.browser


def _signed_in_context(new_context: Any, asgi_server: Any, user: Any) -> Any:
    web = Client()
    web.force_login(user)
    context = new_context()
    context.add_cookies(
        [{"name": "sessionid", "value": web.cookies["sessionid"].value, "url": asgi_server.url}]
    )
    return context


@pytest.mark.promise("INTAKE-3")
@pytest.mark.promise("INTAKE-4")
def test_counselor_applies_staff_approve_and_counselor_becomes_matchable(
    new_context: Any, asgi_server: Any, tmp_path: Path
) -> None:
    from confide.counselors.models import CounselorApplication
    from confide.matching.factors import Needs
    from confide.matching.services import ranked

    licence = tmp_path / "licence.pdf"
    licence.write_bytes(b"%PDF-1.4 scanned licence")
    page = new_context().new_page()
    page.goto("/counselors/apply/")
    page.get_by_label("Email").fill("maria.applicant@example.test")
    page.get_by_label("Password").fill("a-Long-pass-99x")
    page.get_by_label("Legal name").fill("María Applicant")
    page.get_by_label("Phone number").fill("+34600123456")
    page.get_by_label("Licence type").fill("Psicóloga general sanitaria")
    page.get_by_label("Licence number").fill("M-98765")
    page.get_by_label("Licence jurisdiction").fill("ES")
    expiry = timezone.localdate() + timedelta(days=500)
    page.get_by_label("Licence expiry date").fill(expiry.isoformat())
    page.get_by_label("Country that issued your government id").select_option("ES")
    page.get_by_label("Government id number").fill("12345678Y")  # wrong check letter
    page.get_by_label("Bank account format").select_option("iban")
    page.locator("#id_bank_account").fill("ES91 2100 0418 4502 0005 1332")
    page.get_by_label("Education").fill("Grado en Psicología")
    page.get_by_label("Work history").fill("Centro de salud, 2016–2025")
    page.get_by_label("Copy of your licence").set_input_files(str(licence))
    page.get_by_role("button", name="Send application").click()
    assert page.get_by_text("not valid for the country you chose").is_visible()
    assert not CounselorApplication.objects.exists()

    page.get_by_label("Government id number").fill("12345678Z")
    page.get_by_label("Password").fill("a-Long-pass-99x")
    page.get_by_label("Copy of your licence").set_input_files(str(licence))
    page.get_by_role("button", name="Send application").click()
    page.wait_for_load_state()
    application = CounselorApplication.objects.get()
    assert application.user.role == "counselor"
    needs = Needs(client_id=0, languages=("es",), country="ES")
    assert application.user_id not in {s.counselor_id for s in ranked(needs, limit=10)}

    staff = make_user("staff", email="rita.review@example.test", passkey=True, is_staff=True)
    review = _signed_in_context(new_context, asgi_server, staff).new_page()
    review.goto("/counselors/review/")
    review.get_by_role("link", name="María Applicant").click()
    assert review.get_by_text("12345678Z").is_visible()
    review.get_by_label("Approve").check()
    review.get_by_role("button", name="Save decision").click()
    review.wait_for_url("**/counselors/review/")
    assert review.get_by_text("No applications are waiting for review.").is_visible()

    # The new counselor (with a passkey enrolled) fills in the public profile.
    from allauth.mfa.models import Authenticator

    Authenticator.objects.create(
        user=application.user,
        type=Authenticator.Type.WEBAUTHN,
        data={"name": "key", "credential": {}},
    )
    own = _signed_in_context(new_context, asgi_server, application.user).new_page()
    own.goto("/counselors/profile/edit/")
    own.get_by_label("Spanish").check()
    own.get_by_label("anxiety", exact=True).check()
    own.get_by_label("About you, in Español").fill("Acompaño a personas adultas con ansiedad.")
    own.get_by_role("button", name="Save profile").click()
    own.wait_for_url("**/counselors/application/")
    profile = application.user.counselor_profile
    profile.refresh_from_db()
    assert application.user_id in {s.counselor_id for s in ranked(needs, limit=10)}
    visitor = new_context().new_page()
    visitor.goto(f"/counselors/{profile.pk}/")
    assert visitor.get_by_role("heading", name="María Applicant").is_visible()
    assert "12345678Z" not in visitor.content() and "M-98765" not in visitor.content()
