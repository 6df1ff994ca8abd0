"""System check: every field of every Confide model is declared in the inventory."""

from __future__ import annotations

from typing import Any

from django.core.checks import Error, Warning, register

from confide.privacy.inventory import our_models, problems_for, third_party_models


@register("privacy")
def check_inventory(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    """Our models and the libraries' declared in ``third_party.py`` (the real schema is compared
    in ``schema.undeclared_columns``, which needs a database)."""
    errors = []
    for model in our_models() + third_party_models():
        for problem in problems_for(model):
            errors.append(
                Error(
                    problem,
                    hint="Declare the field in the model's PersonalData class, or in "
                    "confide/privacy/third_party.py for a library's model "
                    "(see docs/privacy-kernel.md).",
                    obj=model,
                    id="privacy.E001",
                )
            )
    return errors


@register("privacy")
def check_held_encryption(app_configs: Any = None, **kwargs: Any) -> list[Warning]:
    """Encrypted fields kept under legal hold must use the clinical-hold key: any other scope is
    shredded by the account erasure, which would destroy what the law says to keep (CARE-7)."""
    from confide.privacy.fields import EncryptedField
    from confide.privacy.inventory import LEGAL_HOLD, declaration_for
    from confide.privacy.models import DataKey

    found = []
    for model in our_models():
        declaration = declaration_for(model)
        if declaration is None:
            continue
        for field in model._meta.concrete_fields:
            spec = declaration.fields.get(field.name)
            if (
                isinstance(field, EncryptedField)
                and spec is not None
                and spec.erasure == LEGAL_HOLD
                and field.scope() not in DataKey.HELD_SCOPES
            ):
                found.append(
                    Warning(
                        f"{model._meta.label}.{field.name} is kept under legal hold but "
                        f"encrypted under the {field.scope()!r} key, which erasure shreds.",
                        hint=f'Use key_scope="{DataKey.CLINICAL_HOLD}" on this field.',
                        obj=model,
                        id="privacy.W001",
                    )
                )
    return found


@register("privacy")
def check_key_rotation(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    """KEEP-2 holds only if a KEK is superseded before it is destroyed (period < delay)."""
    from django.conf import settings

    from confide.presets import current_preset

    delay = current_preset().backup_shred_delay.days
    if not 1 <= settings.KEK_ROTATION_DAYS < delay:
        return [
            Error(
                f"KEK_ROTATION_DAYS must be at least 1 and shorter than the preset's backup delay "
                f"({delay} days), or backups could not be restored or would not forget.",
                id="privacy.E020",
            )
        ]
    return []
