"""Argon2id at or above the OWASP Password Storage Cheat Sheet minimum (m=19 MiB, t=2, p=1).

We use m=64 MiB, t=2, p=1: about 40-60 ms on this project's reference machine (see the accounts
benchmark), inside the 20-60 ms target, and memory-hard enough to make GPU guessing costly.
"""

from django.contrib.auth.hashers import Argon2PasswordHasher


class ConfideArgon2PasswordHasher(Argon2PasswordHasher):
    algorithm = "argon2"
    time_cost = 2
    memory_cost = 65536  # KiB
    parallelism = 1
