"""A visitor answers the intake questionnaire before having an account, signs up through the
real sign-up page, finishes PHQ-9 and GAD-7, sees three suggested counselors with reasons and
picks one (INTAKE-1, INTAKE-2)."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.accounts.helpers import last_code
from tests.counselors.builders import make_counselor
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser


def _answer_radio(page: Any, question: str, answer: str) -> None:
    page.get_by_role("group", name=question).get_by_label(answer, exact=True).check()


@pytest.mark.promise("INTAKE-1")
@pytest.mark.promise("INTAKE-2")
def test_visitor_intake_sign_up_and_choose_a_counselor(page: Any) -> None:
    from confide.intake.models import IntakeEvent, IntakeResponse
    from confide.matching.models import CareRelationship

    for name, specialties in [
        ("Ana Anxiety", ("anxiety",)),
        ("Bo Sleep", ("sleep",)),
        ("Cai Grief", ("grief",)),
        ("Dee Trauma", ("trauma",)),
    ]:
        make_counselor(name=name, languages=("en",), jurisdictions=("ES",), specialties=specialties)
    make_counselor(name="Sven Only", languages=("sv",), jurisdictions=("ES",))

    page.goto("/intake/")
    page.get_by_role("button", name="Start").click()
    page.get_by_label("Anxiety or worry").check()
    page.get_by_label("Sleep").check()
    _answer_radio(page, re.compile("Are you in danger"), "No")
    page.get_by_role("button", name="Continue").click()

    page.get_by_label("English").check()
    _answer_radio(page, re.compile("particular gender"), "No preference")
    _answer_radio(page, re.compile("How would you like to meet"), "Video")
    page.get_by_role("button", name="Continue").click()

    _answer_radio(page, re.compile("Which country"), "Spain")
    page.get_by_role("button", name="Continue").click()

    # PHQ-9: the crisis panel stays hidden while item 9 is "Not at all".
    assert page.get_by_text("Step 4 of 5").is_visible()
    groups = page.locator("main form fieldset")
    for index in range(9):
        groups.nth(index).get_by_label("Several days" if index < 8 else "Not at all").check()
    assert page.locator("#crisis-panel").is_hidden()
    page.get_by_role("button", name="Continue").click()
    groups = page.locator("main form fieldset")
    for index in range(7):
        groups.nth(index).get_by_label("More than half the days").check()
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/intake/done/")
    assert IntakeResponse.objects.count() == 0  # not stored until there is an account
    assert set(IntakeEvent.objects.values_list("kind", flat=True)) == {
        "started",
        "answered",
        "finished",
    }

    page.get_by_role("link", name="Create an account").click()
    page.get_by_label("Email").fill("visitor@example.test")
    page.get_by_label("Nickname").fill("Vi")
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)
    page.get_by_label("Date of birth").fill("1991-04-04")
    page.get_by_label("I have read and accept").check()
    page.get_by_role("button", name="Create account").click()
    page.wait_for_url("**/accounts/confirm-email/")
    page.get_by_label("Code").fill(last_code("visitor@example.test"))
    page.get_by_role("button", name=re.compile("Confirm|Sign In|Verify", re.I)).first.click()
    page.wait_for_load_state()

    page.goto("/intake/done/")
    assert page.get_by_text("PHQ-9: how you have been feeling: 8 points (Mild)").is_visible()
    assert page.get_by_text("GAD-7: worry and anxiety: 14 points (Moderate)").is_visible()
    assert IntakeResponse.objects.filter(client__email="visitor@example.test").count() == 5

    page.get_by_role("link", name="See suggested counselors").click()
    cards = page.get_by_test_id("suggestion")
    assert cards.count() == 3
    first = cards.first
    assert first.get_by_text("speaks English").is_visible()
    assert first.get_by_text(re.compile("specialises in")).is_visible()
    assert "Sven Only" not in page.content()
    name = first.get_by_role("heading").inner_text()
    first.get_by_role("button", name=f"Choose {name}").click()
    page.wait_for_url("**/matching/mine/")
    assert page.get_by_text(f"You are working with {name}.").is_visible()
    care = CareRelationship.objects.get(client__email="visitor@example.test", ended_at__isnull=True)
    assert care.counselor.counselor_profile.display_name == name
