"""Sign-up takes as long for a taken address as for a new one (ACC-4, issue 13.4).

The two paths are compared as distributions, never against a wall-clock threshold: runs are
interleaved (so a busy machine slows both alike) and the medians must stay within a factor of
two of each other. Before the fix a taken address answered about four times faster.
"""

from __future__ import annotations

import statistics
import time
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from tests.accounts.helpers import signup_data
from tests.factories import make_user

pytestmark = pytest.mark.django_db

RUNS = 15


def _timed_signup(email: str, address: str) -> tuple[float, Any]:
    client = Client(REMOTE_ADDR=address)
    start = time.perf_counter()
    response = client.post(reverse("account_signup"), signup_data(email))
    return time.perf_counter() - start, response


@pytest.mark.promise("ACC-4")
def test_a_taken_address_costs_as_much_as_a_new_account(settings: Any) -> None:
    # Each run uses its own taken address: allauth mails the owner of one at most every 3 min.
    taken = [make_user("client").email for _ in range(RUNS + 1)]
    settings.PASSWORD_HASHERS = ["confide.accounts.hashers.ConfideArgon2PasswordHasher"]
    _timed_signup(taken[-1], "192.0.2.250")  # warm caches and template loaders
    _timed_signup("warm.up@example.test", "192.0.2.251")
    known: list[float] = []
    new: list[float] = []
    for run in range(RUNS):
        spent, known_answer = _timed_signup(taken[run], f"192.0.2.{2 * run}")
        known.append(spent)
        spent, new_answer = _timed_signup(f"new.{run}@example.test", f"192.0.2.{2 * run + 1}")
        new.append(spent)
        assert (known_answer.status_code, known_answer["Location"]) == (
            new_answer.status_code,
            new_answer["Location"],
        )
    ratio = statistics.median(new) / statistics.median(known)
    assert 0.5 <= ratio <= 2.0, f"new/taken median ratio {ratio:.2f}"
