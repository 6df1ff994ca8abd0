from django.urls import URLPattern, path  # noqa: F401

app_name = "therapy_sessions"

urlpatterns: list[URLPattern] = []
