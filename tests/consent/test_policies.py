"""Policy documents, acceptance records and the re-acceptance rule."""

from __future__ import annotations

import hashlib
from typing import Any

import pytest

from confide.privacy.consent import services
from confide.privacy.consent.models import PolicyAcceptance, PolicyDocument

LANGUAGES = ("en", "es", "sv", "sq")


@pytest.mark.promise("POLICY-3")
@pytest.mark.parametrize("language", LANGUAGES)
def test_a_fresh_database_has_both_documents_in_each_language(db: Any, language: str) -> None:
    docs = services.current_documents(language)
    assert set(docs) == {"privacy", "terms"}
    for doc in docs.values():
        # A fresh database starts with the privacy policy that says only what the code does.
        assert doc.language == language and doc.version == {"privacy": 4, "terms": 1}[doc.kind]
        assert doc.text_sha256 == hashlib.sha256(doc.body.encode()).hexdigest()


@pytest.mark.promise("CONSENT-5")
def test_acceptance_keeps_version_and_text_hash(client_user: Any) -> None:
    rows = services.record_acceptance(client_user, method="signup", language="sv")
    assert {r.kind for r in rows} == {"privacy", "terms"}
    for row in rows:
        doc = PolicyDocument.objects.get(kind=row.kind, version=row.version, language="sv")
        assert row.text_sha256 == doc.text_sha256 and row.method == "signup"
    assert PolicyAcceptance.objects.filter(user=client_user).count() == 2
