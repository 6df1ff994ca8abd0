from django.urls import path

from confide.privacy.consent import views

app_name = "consent"

urlpatterns = [
    path("cookies/", views.cookie_settings, name="cookies"),
    path("analytics/collect/", views.collect, name="collect"),
    path("policy/<str:kind>/", views.policy, name="policy"),
    path("policy/<str:kind>/v<int:version>/", views.policy, name="policy_version"),
    path("accept/", views.accept, name="accept"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("email/", views.marketing_settings, name="marketing"),
]
