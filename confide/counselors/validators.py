"""Validators for counselor credentials (INTAKE-3). Pure functions, unit-tested with good and bad
values; national ids and IBAN are checked with python-stdnum where it has a validator."""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from stdnum import iban as stdnum_iban
from stdnum.al import nipt
from stdnum.es import dni, nie
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.se import personnummer
from stdnum.us import ssn


def _luhn_ok(digits: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def npi_is_valid(value: str) -> bool:
    """A US National Provider Identifier: 10 digits whose last is the Luhn check digit computed
    over the prefix "80840" followed by the first nine (CMS NPI check-digit rule)."""
    value = value.strip()
    return len(value) == 10 and value.isdigit() and _luhn_ok("80840" + value)


def validate_npi(value: str) -> str:
    if not npi_is_valid(value):
        raise ValidationError(
            _("This is not a valid NPI: it needs ten digits with a valid check digit.")
        )
    return value.strip()


def _es_id(value: str) -> str:
    try:
        return str(dni.validate(value))
    except StdnumError:
        return str(nie.validate(value))


#: Country -> stdnum validator returning the compact form. Countries not listed are stored as given.
NATIONAL_ID_VALIDATORS: dict[str, Callable[[str], str]] = {
    "ES": _es_id,
    "SE": lambda v: str(personnummer.validate(v)),
    "AL": lambda v: str(nipt.validate(v)),
    "US": lambda v: str(ssn.validate(v)),
}


def validate_national_id(country: str, value: str) -> str:
    """Return the compact id; raise ValidationError when the country has a validator and the
    number fails it."""
    value = value.strip()
    if not value:
        raise ValidationError(_("Enter your government id number."))
    check = NATIONAL_ID_VALIDATORS.get(country.upper())
    if check is None:
        return value
    try:
        return check(value)
    except StdnumError:
        raise ValidationError(
            _("This government id number is not valid for the country you chose.")
        ) from None


def validate_iban(value: str) -> str:
    try:
        return str(stdnum_iban.validate(value))
    except StdnumError:
        raise ValidationError(_("This is not a valid IBAN.")) from None


#: Uploaded documents: accepted types by their leading bytes, never by the name the browser sent.
DOCUMENT_SIGNATURES: dict[str, bytes] = {
    "application/pdf": b"%PDF-",
    "image/png": b"\x89PNG\r\n\x1a\n",
    "image/jpeg": b"\xff\xd8\xff",
}
MAX_DOCUMENT_BYTES = 5 * 1024 * 1024


def sniff_document(data: bytes) -> str:
    """Return the content type of an accepted document or raise ValidationError."""
    if len(data) > MAX_DOCUMENT_BYTES:
        raise ValidationError(_("Documents can be at most 5 MB."))
    if not data:
        raise ValidationError(_("The file is empty."))
    for content_type, signature in DOCUMENT_SIGNATURES.items():
        if data.startswith(signature):
            return content_type
    raise ValidationError(_("Upload a PDF, PNG or JPEG file."))
