"""Client numbers (ACC-2): sequential, unique under concurrent sign-ups, never reused.
Runs on PostgreSQL too when DATABASE_URL is set (CI's second pass)."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connections

from confide.accounts.models import User
from tests.factories import make_user


@pytest.mark.django_db
@pytest.mark.promise("ACC-2")
def test_numbers_are_sequential_and_shown_on_the_account_page(client: Any) -> None:
    first, second = make_user("client"), make_user("counselor", passkey=True)
    assert second.client_number == first.client_number + 1
    client.force_login(second)
    page = client.get("/account/").content.decode()
    assert f'id="client-number">{second.client_number}<' in page


@pytest.mark.django_db
@pytest.mark.promise("ACC-2")
def test_a_deleted_users_number_is_never_handed_out_again() -> None:
    gone = make_user("client")
    number = gone.client_number
    gone.delete()
    assert make_user("client").client_number > number


@pytest.mark.django_db(transaction=True)
@pytest.mark.promise("ACC-2")
def test_numbers_stay_unique_under_concurrent_sign_ups() -> None:
    workers, per_worker = 6, 4
    errors: list[BaseException] = []
    start = threading.Barrier(workers)

    def sign_up(worker: int) -> None:
        try:
            start.wait()
            for index in range(per_worker):
                User.objects.create_user(f"c{worker}-{index}@example.test", "pw-irrelevant-1")
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=sign_up, args=(n,)) for n in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    numbers = sorted(User.objects.values_list("client_number", flat=True))
    assert len(numbers) == len(set(numbers)) == workers * per_worker
    assert numbers == list(range(numbers[0], numbers[0] + len(numbers)))
