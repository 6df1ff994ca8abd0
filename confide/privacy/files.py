"""Personal data kept in files rather than tables: the local outbox (``confide.core.outbox``).

With the embedded mail and text backends every e-mail and text message is also a file in
``OUTBOX_DIR``: the person's address or number, sign-in codes, links. Declared here in the
inventory's vocabulary, so the manifest and the "what we collect" page list it; exported with
the person's data, deleted with their account, and swept after ``outbox_copy``
(``preset.outbox_retention``). With SMTP and a gateway in production the folder stays empty.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from confide.core import outbox
from confide.privacy.inventory import DELETE, Declared

LABEL = "files.outbox"
_MAIL = ["account", "scheduling", "security"]


@dataclass(frozen=True)
class FileDeclaration:
    label: str
    title: Any
    fields: dict[str, Declared]
    labels: dict[str, Any]


OUTBOX = FileDeclaration(
    label=LABEL,
    title=_("Copies of e-mails and text messages sent to you"),
    fields={
        "sent_at": Declared("contact", _MAIL, "contract", "outbox_copy", DELETE, editable=False),
        "recipient": Declared("contact", _MAIL, "contract", "outbox_copy", DELETE, editable=False),
        "subject": Declared("contact", _MAIL, "contract", "outbox_copy", DELETE, editable=False),
        "message": Declared("contact", _MAIL, "contract", "outbox_copy", DELETE, editable=False),
    },
    labels={
        "sent_at": _("sent on"),
        "recipient": _("sent to"),
        "subject": _("subject"),
        "message": _("message"),
    },
)

#: Every file store the kernel knows; the manifest and the policy page read this list.
FILE_DECLARATIONS = [OUTBOX]


def addresses_of(user_id: int) -> set[str]:
    """The addresses and number the person's messages went to."""
    user = get_user_model()._default_manager.filter(pk=user_id).first()
    found = {str(user.email), str(getattr(user, "phone", "") or "")} if user else set()
    if apps.is_installed("allauth.account"):
        from allauth.account.models import EmailAddress

        found |= set(EmailAddress.objects.filter(user_id=user_id).values_list("email", flat=True))
    return {a.lower() for a in found if a}


def export_rows(user_id: int) -> list[dict[str, Any]]:
    """The person's outbox messages as export rows (``records["files.outbox"]``)."""
    return [
        {
            "id": item.path.name,
            "sent_at": item.sent_at.isoformat(),
            "recipient": ", ".join(item.recipients),
            "subject": item.subject,
            "message": item.text,
        }
        for item in outbox.items_for(addresses_of(user_id))
    ]


def erase_for(user_id: int) -> int:
    """Delete, once the erasure commits, every outbox file about the person as it stands now.
    Files written later in the same transaction (the erasure receipt itself) are kept: the
    person is meant to read that one; it goes with the sweep. Returns how many are listed."""
    paths: list[Path] = [item.path for item in outbox.items_for(addresses_of(user_id))]
    transaction.on_commit(lambda: outbox.delete(paths))
    return len(paths)


def sweep(now: datetime) -> int:
    """Delete messages older than the outbox retention."""
    from confide.privacy.retention import duration

    span = duration("outbox_copy")
    return outbox.purge_before(now - span) if span is not None else 0
