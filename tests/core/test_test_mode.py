from django.conf import settings


def test_the_suite_runs_in_test_mode() -> None:
    # Without it every created user costs a full Argon2id hash and the suite crawls.
    assert settings.TESTING
    assert settings.PASSWORD_HASHERS[0].endswith("MD5PasswordHasher")
