"""The age gate (ACC-8): boundaries property-tested, refusal kind, only a tombstone kept."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from confide.accounts import services
from confide.accounts.age import age_on, is_old_enough
from confide.accounts.models import AgeTombstone, User
from confide.core import times
from tests.accounts.helpers import signup_data

births = st.dates(min_value=date(1900, 1, 1), max_value=date(2030, 12, 31))
ages = st.integers(min_value=1, max_value=100)


def _birthday(born: date, year: int) -> date:
    """The day someone born on ``born`` completes a year in ``year`` (29 Feb -> 1 Mar)."""
    try:
        return born.replace(year=year)
    except ValueError:
        return date(year, 3, 1)


@pytest.mark.promise("ACC-8")
@given(born=births, minimum=ages)
def test_old_enough_exactly_on_the_birthday_and_not_the_day_before(
    born: date, minimum: int
) -> None:
    birthday = _birthday(born, born.year + minimum)
    assert is_old_enough(born, birthday, minimum)
    assert not is_old_enough(born, birthday - timedelta(days=1), minimum)


@pytest.mark.promise("ACC-8")
@given(born=births, minimum=ages)
def test_a_birthday_tomorrow_is_still_too_young(born: date, minimum: int) -> None:
    today = _birthday(born, born.year + minimum) - timedelta(days=1)
    assert age_on(born, today) == minimum - 1


@pytest.mark.promise("ACC-8")
@given(year=st.sampled_from([1996, 2000, 2004, 2008]), minimum=st.integers(1, 25))
def test_leap_day_births_come_of_age_on_1_march_in_common_years(year: int, minimum: int) -> None:
    born = date(year, 2, 29)
    target = year + minimum
    is_leap = target % 4 == 0 and (target % 100 != 0 or target % 400 == 0)
    if is_leap:
        assert is_old_enough(born, date(target, 2, 29), minimum)
        assert not is_old_enough(born, date(target, 2, 28), minimum)
    else:
        assert not is_old_enough(born, date(target, 2, 28), minimum)
        assert is_old_enough(born, date(target, 3, 1), minimum)


@pytest.mark.promise("ACC-8")
@given(born=births, today=births)
def test_age_never_decreases_with_time(born: date, today: date) -> None:
    if today >= born:
        assert age_on(born, today) <= age_on(born, today + timedelta(days=1))


def _years_ago(years: int, days: int = 0) -> date:
    # The sign-up page judges age on the visitor's own date (the preset's zone for a visitor),
    # which near midnight UTC is already another day than UTC's.
    today = timezone.localdate(timezone=times.zone(""))
    return _birthday(today, today.year - years) + timedelta(days=days)


@pytest.mark.django_db
@pytest.mark.promise("ACC-8")
def test_eighteen_today_may_sign_up(client: Any) -> None:
    dob = _years_ago(18).isoformat()
    client.post(reverse("account_signup"), signup_data(date_of_birth=dob))
    assert User.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.promise("ACC-8")
def test_under_age_sign_up_is_refused_kindly_and_leaves_only_a_tombstone(client: Any) -> None:
    dob = _years_ago(18, days=1).isoformat()  # eighteen tomorrow
    response = client.post(
        reverse("account_signup"), signup_data(email="Young@Example.test", date_of_birth=dob)
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "at least 18 years old" in body and "116 111" in body
    assert 'role="alert"' in body
    assert not User.objects.exists()
    tombstone = AgeTombstone.objects.get()
    assert "young" not in tombstone.email_hash
    assert tombstone.email_hash == services.email_fingerprint("young@example.test")


@pytest.mark.django_db
@pytest.mark.promise("ACC-8")
def test_an_immediate_retry_with_another_birth_date_is_refused(client: Any) -> None:
    young = _years_ago(15).isoformat()
    client.post(
        reverse("account_signup"), signup_data(email="kid@example.test", date_of_birth=young)
    )
    retry = client.post(reverse("account_signup"), signup_data(email="kid@example.test"))
    assert retry.context["form"].under_age
    assert not User.objects.exists()
    assert AgeTombstone.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.promise("ACC-8")
def test_tombstones_are_purged_after_thirty_days() -> None:
    services.refuse_under_age("old@example.test")
    AgeTombstone.objects.update(created_at=timezone.now() - timedelta(days=31))
    assert not services.recently_refused("old@example.test")
    assert services.purge_tombstones() == 1
    assert not AgeTombstone.objects.exists()


@pytest.mark.django_db
def test_a_future_birth_date_is_a_field_error(client: Any) -> None:
    future = (timezone.localdate() + timedelta(days=3)).isoformat()
    response = client.post(reverse("account_signup"), signup_data(date_of_birth=future))
    assert "date_of_birth" in response.context["form"].errors
    assert not AgeTombstone.objects.exists()
