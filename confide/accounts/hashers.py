"""Argon2id at or above the OWASP Password Storage Cheat Sheet minimum (m=19 MiB, t=2, p=1).

We use m=24 MiB, t=2, p=1. Measured with `make bench BENCH=signin` on the reference machine
(2 cores): about 30 ms per hash, inside the 20-60 ms target. 64 MiB cost 90-150 ms there, which
slowed every sign-in without a proportionate gain. Hashes made with other parameters are
re-hashed at the next successful sign-in (Django's ``must_update``).
"""

from django.contrib.auth.hashers import Argon2PasswordHasher


class ConfideArgon2PasswordHasher(Argon2PasswordHasher):
    algorithm = "argon2"
    time_cost = 2
    memory_cost = 24576  # KiB
    parallelism = 1
