"""Periodic licence check: warns ahead of expiry. Expired licences leave matching by the date
filter in ``listable_profiles`` itself, so no task is needed for that to hold."""

from __future__ import annotations

from datetime import timedelta

from celery import shared_task

from confide.core.tasks import periodic


@periodic("counselors.warn_expiring_licences", timedelta(days=1))
@shared_task(name="counselors.warn_expiring_licences")
def warn_expiring_licences() -> int:
    from confide.counselors import services

    return services.warn_expiring_licences()
