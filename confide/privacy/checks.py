"""System check: every field of every Confide model is declared in the inventory."""

from __future__ import annotations

from typing import Any

from django.core.checks import Error, register

from confide.privacy.inventory import our_models, problems_for


@register("privacy")
def check_inventory(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    errors = []
    for model in our_models():
        for problem in problems_for(model):
            errors.append(
                Error(
                    problem,
                    hint="Declare the field in the model's PersonalData class "
                    "(see docs/privacy-kernel.md).",
                    obj=model,
                    id="privacy.E001",
                )
            )
    return errors
