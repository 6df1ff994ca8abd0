"""Object routes of the counselors app for the role × route matrix."""

from __future__ import annotations

from typing import Any

EVERYONE = {
    "anonymous",
    "client",
    "counselor",
    "other_counselor",
    "team_leader",
    "staff",
    "admin",
    "stranger",
}


def object_routes(p: dict[str, Any]) -> dict[str, Any]:
    from confide.counselors.models import ApplicationDocument, CounselorApplication
    from tests.counselors.builders import make_counselor
    from tests.counselors.test_onboarding import application_data
    from tests.test_route_matrix import ObjectRoute

    application = CounselorApplication.objects.create(
        user=p["other_counselor"], **application_data()
    )
    document = ApplicationDocument.objects.create(
        application=application,
        kind="licence",
        content_type="application/pdf",
        size=5,
        content=b"%PDF-",
    )
    # An unverified profile: private to everyone, even staff, on the public page.
    hidden = make_counselor(user=p["counselor"], verified=False)
    return {
        "counselors:profile": ObjectRoute({"pk": hidden.pk}, EVERYONE),
        "counselors:photo": ObjectRoute({"pk": hidden.pk}, EVERYONE),
        "counselors:review": ObjectRoute({"pk": application.pk}, set()),
        "counselors:document": ObjectRoute({"pk": document.pk}, set()),
    }
