"""Data kept under legal hold names the actual law of the jurisdiction, in the reader's language:
on the "what we collect" page and on the erasure receipt (page and email)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation

from confide.presets import PRESETS
from confide.privacy.erasure import receipt_lines
from confide.privacy.inventory import LAWS, all_declarations
from confide.privacy.services import erase_account
from tests.privacy.scenario import two_subjects

pytestmark = pytest.mark.django_db

#: Internal words that must never reach a reader in place of a law's name.
INTERNAL = ("of the preset", "clinical_records", "rights_records", "clinical record hold")


def test_every_preset_names_every_law_in_every_language() -> None:
    declared = {spec.law for d in all_declarations() for spec in d.fields.values() if spec.law}
    assert declared <= LAWS
    for preset in PRESETS.values():
        for key in LAWS:
            names = preset.laws[key]
            assert {"en", "es", "sv", "sq"} <= set(names), (preset.key, key)


@pytest.mark.promise("POLICY-4")
@pytest.mark.parametrize(
    ("preset", "language", "law"),
    [
        ("eu_es", "es", "Ley 41/2002, básica reguladora de la autonomía del paciente, artículo 17"),
        ("eu_es", "en", "Spanish Law 41/2002 on patient autonomy, Article 17"),
        ("eu_se", "sv", "patientdatalagen (2008:355) 3 kap. 17 §"),
        ("eu_al", "sq", "Ligji nr. 10107/2009 «Për kujdesin shëndetësor»"),
        ("us_hipaa", "es", "HIPAA, 45 CFR 164.316(b)(2), y la ley estatal de historias clínicas"),
    ],
)
def test_what_we_collect_names_the_presets_law_in_the_readers_language(
    client: Any, settings: Any, preset: str, language: str, law: str
) -> None:
    settings.CONFIDE_PRESET = preset
    page = client.get(reverse("privacy:what_we_collect"), HTTP_ACCEPT_LANGUAGE=language)
    html = page.content.decode()
    assert law in html
    assert not [word for word in INTERNAL if word in html]


@pytest.mark.promise("RIGHTS-3")
def test_the_erasure_receipt_names_the_law_in_the_readers_language() -> None:
    a, _b, _counselor = two_subjects()
    a.language = "sv"
    a.save(update_fields=["language"])
    done = erase_account(a)
    with translation.override("es"):
        kept = receipt_lines(done.receipt)["kept"]
    laws = {line["law"] for line in kept if line["reason"] == "legal_hold"}
    assert (
        "Ley 41/2002, básica reguladora de la autonomía del paciente, artículo 17 (al menos "
        "cinco años desde cada proceso asistencial)" in laws
    )
    assert not [law for law in laws if any(word in law for word in INTERNAL)]
    # The emailed receipt is in the person's own language (Swedish), the law named in Swedish.
    body = str(mail.outbox[-1].body)
    assert "spanska lagen 41/2002 om patientens självbestämmande" in body
    assert not [word for word in INTERNAL if word in body]
