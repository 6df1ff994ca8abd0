"""Root URLs. Each domain owns its prefix; see docs/layout.md."""

from django.contrib import admin
from django.urls import include, path

from confide.accounts import views as account_views
from confide.privacy.consent import views as consent_views

urlpatterns = [
    path("", include("confide.core.urls")),
    # Ours first: it also saves a signed-in person's preference, then hands over to Django's.
    path("i18n/setlang/", account_views.set_language, name="set_language"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("allauth.urls")),
    path("account/", include("confide.accounts.urls")),
    path("privacy/", include("confide.privacy.urls")),
    path("consent/", include("confide.privacy.consent.urls")),
    path("privacy-policy/", consent_views.policy, {"kind": "privacy"}, name="privacy_policy"),
    path("terms/", consent_views.policy, {"kind": "terms"}, name="terms"),
    path("counselors/", include("confide.counselors.urls")),
    path("intake/", include("confide.intake.urls")),
    path("matching/", include("confide.matching.urls")),
    path("schedule/", include("confide.scheduling.urls")),
    path("sessions/", include("confide.sessions.urls")),
    path("messages/", include("confide.messaging.urls")),
    path("care/worksheets/", include("confide.worksheets.urls")),
    path("care/measures/", include("confide.measures.urls")),
    path("care/", include("confide.care.urls")),
    path("records/", include("confide.records.urls")),
    path("billing/stripe/", include("confide.billing.stripe_urls")),
    path("library/", include("confide.library.urls")),
    path("billing/", include("confide.billing.urls")),
    path("audit/", include("confide.audit.urls")),
    path("admin/", admin.site.urls),
]

handler400 = "confide.core.views.error_400"
handler403 = "confide.core.views.error_403"
handler404 = "confide.core.views.error_404"
handler500 = "confide.core.views.error_500"
